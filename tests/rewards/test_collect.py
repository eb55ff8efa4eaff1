"""The collect step: the same holders as villages.selectors.holders_on (villages/roster.py), the
responsible people from the scoring facts, and a flat query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.scoring.facts import collect_month
from petitions.models import BaobaoEntry
from petitions.models import Petition
from petitions.models import Petitioner
from rewards import collect
from rewards import services
from tests.factories import AreaFactory
from tests.factories import PersonFactory
from tests.factories import ResponsibilityFactory
from tests.factories import VillageFactory
from villages.selectors import holders_on

from .conftest import AFTER_2026
from .conftest import ROLES

pytestmark = pytest.mark.django_db

DAYS = [date(2026, 1, 1), date(2026, 5, 15), date(2026, 5, 16), date(2026, 12, 31)]


def test_roster_answers_as_holders_on(township, area, people, village_a, village_b):
    before = PersonFactory(township=township)
    after = PersonFactory(township=township)
    ResponsibilityFactory(
        person=before, role="point_leader", village=village_a, end=date(2026, 5, 15)
    )
    ResponsibilityFactory(
        person=after, role="point_leader", village=village_a, start=date(2026, 5, 16)
    )
    second = PersonFactory(township=township)
    ResponsibilityFactory(
        person=second, role="area_leader", area=area, village=None, start=date(2026, 3, 1)
    )
    village_map = collect.villages(township.pk)
    roster = collect.roster(township.pk, date(2026, 1, 1), date(2026, 12, 31), village_map)
    for village in (village_a, village_b):
        for day in DAYS:
            got = roster.holders(village.pk, day)
            for role in ["area_leader", *ROLES]:
                expected = tuple(p.pk for p in holders_on(village, role, day))
                assert got.get(role, ()) == expected, (village, role, day)


def _township_of(township, n: int):
    """n more villages in their own areas, each with every role and a petition."""
    for i in range(n):
        area = AreaFactory(township=township, name=f"片{n}-{i}")
        village = VillageFactory(area=area, name=f"村{n}-{i}")
        ResponsibilityFactory(
            person=PersonFactory(township=township), role="area_leader", area=area, village=None
        )
        for role in ROLES:
            ResponsibilityFactory(
                person=PersonFactory(township=township), role=role, village=village
            )
        Petition.objects.create(
            village=village, date=date(2026, 5, 2), level="beijing", channel="visit", matter="x"
        )


def _queries(township, admin_user) -> tuple[int, int]:
    services.create_deposits(township=township, year=2026, by=admin_user, today=AFTER_2026)
    with CaptureQueriesContext(connection) as quarter:
        services.quarter_lines(township=township, year=2026, quarter=2, today=AFTER_2026)
    with CaptureQueriesContext(connection) as year:
        services.year_lines(township=township, year=2026, today=AFTER_2026)
    return len(quarter), len(year)


def test_computing_a_settlement_costs_the_same_at_3_and_12_villages(township, admin_user):
    _township_of(township, 3)
    small = _queries(township, admin_user)
    _township_of(township, 9)
    assert _queries(township, admin_user) == small


def test_the_scoring_facts_carry_each_petitions_responsible_people(township, village_a):
    """The rewards' 相关责任人 come from the scoring collect step: the 包保 entries active on the
    petition's day for one of its petitioners' names."""
    person = PersonFactory(township=township)
    BaobaoEntry.objects.create(
        village=village_a,
        petitioner_name="张三",
        matter="土地",
        responsible_person=person,
        start=date(2026, 1, 5),
    )
    BaobaoEntry.objects.create(
        village=village_a,
        petitioner_name="张三",
        matter="土地",
        responsible_person=PersonFactory(township=township),
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
    )
    p = Petition.objects.create(
        village=village_a, date=date(2026, 4, 10), level="city", channel="visit", matter="x"
    )
    Petitioner.objects.create(petition=p, name=" 张三 ")
    facts = collect_month(township_id=township.pk, year=2026, month=4, as_of=None)
    (fact,) = facts[village_a.pk].petitions
    assert fact.responsible_ids == (person.pk,)
