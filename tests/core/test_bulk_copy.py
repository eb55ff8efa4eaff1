"""On PostgreSQL the import writes its new rows through COPY: the same rows and history rows as
simple-history's bulk_create_with_history, keys in the file's order, the sequence moved on."""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.bulk import _copy_with_history
from petitions.models import Petition
from petitions.models import Petitioner
from tests.petitions.factories import ID_A
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's; elsewhere the bulk path runs"
)


def _petitions(village, prefix):
    return [
        Petition(
            village=village, date=date(2026, 4, 1 + i), level="district", channel="online",
            nature="abnormal" if i % 2 else "normal", person_count=1 + i, matter=f"事项{i}",
            stabilised_in_time=bool(i % 2), carried_village_opinion=None, source="sunshine",
            source_ref=f"{prefix}-{i}",
        )
        for i in range(3)
    ]  # fmt: skip


def _rows(model, prefix):
    skip = {"id", "history_id", "source_ref", "petition_id"}
    rows = model.objects.filter(source_ref__startswith=prefix).order_by("source_ref").values()
    return [{k: v for k, v in row.items() if k not in skip} for row in rows]


def test_copy_writes_what_bulk_create_with_history_writes(village_a, staff_user):
    when = timezone.now()
    history = {
        "default_user": staff_user,
        "default_change_reason": "导入 x.xlsx",
        "default_date": when,
    }
    copied = _copy_with_history(_petitions(village_a, "C"), Petition, **history)
    bulked = bulk_create_with_history(_petitions(village_a, "B"), Petition, **history)
    assert _rows(Petition, "C") == _rows(Petition, "B")
    assert _rows(Petition.history.model, "C") == _rows(Petition.history.model, "B")
    (row, *_rest) = _rows(Petition.history.model, "C")
    assert (row["history_user_id"], row["history_change_reason"], row["history_type"]) == (
        staff_user.pk,
        "导入 x.xlsx",
        "+",
    )
    assert [p.pk for p in copied] == sorted(p.pk for p in copied)
    assert [
        p.source_ref for p in Petition.objects.filter(pk__in=[p.pk for p in copied]).order_by("pk")
    ] == [
        "C-0",
        "C-1",
        "C-2",
    ]
    people = [Petitioner(petition=p, name="张三", id_number=ID_A) for p in copied]
    _copy_with_history(people, Petitioner, **history)
    assert Petitioner.history.filter(history_user=staff_user, id_number=ID_A).count() == 3
    # The sequence moved past the copied keys: the next saved row takes a new one.
    assert PetitionFactory(village=village_a).pk > max(p.pk for p in copied + bulked)
