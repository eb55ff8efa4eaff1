"""One convention for every dated register (core/spans.py): an entry holds from its first day to
its last day, both included, and an empty last day means it still holds. The same rule over
plain values (core.periods.holds_on) and through every register's `active_on` query."""

from datetime import date
from datetime import timedelta

import pytest
from django.apps import apps

from core.periods import holds_on
from core.spans import SpanQuerySet
from governance.models import LeadershipGroup
from governance.models import SensitivePeriod
from governance.models import SpecialPerson
from petitions.models import BaobaoEntry
from villages.models import Person
from villages.models import Responsibility

FIRST, LAST = date(2026, 3, 10), date(2026, 6, 30)


@pytest.mark.parametrize(
    ("day", "holds"),
    [
        (FIRST - timedelta(days=1), False),
        (FIRST, True),
        (LAST, True),
        (LAST + timedelta(days=1), False),
    ],
)
def test_an_entry_holds_on_its_first_and_its_last_day_and_on_no_other_outside(day, holds):
    assert holds_on(FIRST, LAST, day) is holds
    assert holds_on(FIRST, None, day) is (day >= FIRST)
    assert holds_on(None, LAST, day) is False


def test_every_register_uses_the_one_convention():
    registers = {
        m._meta.label
        for m in apps.get_models()
        if isinstance(m._default_manager.all(), SpanQuerySet)
    }
    assert {
        "villages.Responsibility",
        "petitions.BaobaoEntry",
        "governance.SpecialPerson",
        "governance.LeadershipGroup",
        "governance.SensitivePeriod",
    } <= registers


def _entries(village, township):
    person = Person.objects.create(township=township, name="李四")
    return [
        Responsibility.objects.create(
            person=person, role="secretary", village=village, start=FIRST, end=LAST
        ),
        BaobaoEntry.objects.create(
            village=village,
            petitioner_name="张三",
            matter="土地",
            responsible_person=person,
            start=FIRST,
            end=LAST,
        ),
        SpecialPerson.objects.create(
            village=village, category="petitioner", name="赵六", registered=FIRST, removed=LAST
        ),
        LeadershipGroup.objects.create(
            village=village, kind="mediation", established=FIRST, dissolved=LAST, leader="钱七"
        ),
        SensitivePeriod.objects.create(
            township=township,
            name="国庆",
            start=FIRST,
            end=LAST,
            bonus_points=0,
            award_amount=0,
        ),
    ]


@pytest.mark.django_db
def test_active_on_finds_each_register_entry_on_its_first_and_last_day_only(village_a, township):
    for entry in _entries(village_a, township):
        qs = type(entry).objects.filter(pk=entry.pk)
        found = {
            day: qs.active_on(day).exists()
            for day in (FIRST - timedelta(days=1), FIRST, LAST, LAST + timedelta(days=1))
        }
        assert list(found.values()) == [False, True, True, False], type(entry).__name__
        if hasattr(entry, "is_active"):
            assert [entry.is_active(d) for d in found] == [False, True, True, False]
