"""governance 0003: a register's end date becomes its last day (included). Every stored end, and
every history row's, moves one day earlier, so each entry holds on exactly the days it held."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from villages.models import Area
from villages.models import Township
from villages.models import Village

BEFORE = [("governance", "0002_record_version")]
AFTER = [("governance", "0003_register_last_day_included")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_end_dates_move_to_the_last_day_held_and_back():
    old = _migrate(BEFORE)
    # Only governance is migrated back; the villages tables stay as they are now.
    township = Township.objects.create(name="迁移镇", code="mig")
    area = Area.objects.create(township=township, name="东片")
    village = Village.objects.create(township=township, area=area, name="迁移村")
    group = old.get_model("governance", "LeadershipGroup").objects.create(
        village_id=village.pk,
        kind="law",
        established=date(2026, 1, 1),
        dissolved=date(2026, 5, 1),  # ended on May 1: last held on Apr 30
        leader="王",
        version=1,
    )
    person = old.get_model("governance", "SpecialPerson").objects.create(
        village_id=village.pk,
        category="drug",
        name="某",
        registered=date(2026, 1, 1),
        removed=None,
        version=1,
    )
    same_day = old.get_model("governance", "SpecialPerson").objects.create(
        village_id=village.pk,
        category="cult",
        name="某某",
        registered=date(2026, 3, 1),
        removed=date(2026, 3, 1),
        version=1,
    )
    history = old.get_model("governance", "HistoricalLeadershipGroup")
    history.objects.create(
        id=group.pk,
        village_id=village.pk,
        kind="law",
        established=date(2026, 1, 1),
        dissolved=date(2026, 5, 1),
        leader="王",
        history_date="2026-05-01T00:00:00Z",
        history_type="~",
        version=1,
    )

    new = _migrate(AFTER)
    groups = new.get_model("governance", "LeadershipGroup").objects
    people = new.get_model("governance", "SpecialPerson").objects
    assert groups.get(pk=group.pk).dissolved == date(2026, 4, 30)
    assert people.get(pk=person.pk).removed is None
    # Never on the register: kept on its one day, the nearest the convention can say.
    assert people.get(pk=same_day.pk).removed == date(2026, 3, 1)
    rows = new.get_model("governance", "HistoricalLeadershipGroup").objects.filter(id=group.pk)
    assert [r.dissolved for r in rows] == [date(2026, 4, 30)]

    back = _migrate(BEFORE)
    assert back.get_model("governance", "LeadershipGroup").objects.get(
        pk=group.pk
    ).dissolved == date(2026, 5, 1)
    _migrate(AFTER)
