"""Issue 14: a recompute after edits rebuilds only the stale village-months, and what it leaves
stored equals a full recompute of the township's year: sheet by sheet, line by line, rank by
rank. Edits are drawn at random (seeded, so a failure replays) through the one write path."""

import random
from datetime import date
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import services
from assessment.models import ScoreSheet
from assessment.models import StaleVillageMonth
from assessment.scoring import engine
from core.records import record_delete
from core.records import record_save
from governance.models import CentreInspection
from governance.models import Patrol
from petitions.models import Petition
from sampledata.synthetic import make_county
from tests.assessment.test_store_changed import _stored

YEAR = 2025
TODAY = date(YEAR + 1, 1, 15)


@pytest.fixture
def county(db):
    township = make_county(villages=6, year=YEAR, seed=3, code="stale-only", until=TODAY)
    services.score_year(township_id=township.pk, year=YEAR, today=TODAY)
    StaleVillageMonth.objects.all().delete()
    return township


def _day(rng) -> date:
    return date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))


def _mid_month(rng) -> date:
    """A day whose ISO week's Thursday lies in its own month (the 8th to the 21st). A patrol's
    week counts in the month of its Thursday, yet a patrol marks only its own date's month
    stale (core.records.record_dates): at a month's edge the other month is never marked, a gap
    in the marking that no recompute of the marks, stale-only or township-wide, can close."""
    return date(YEAR, rng.randint(1, 12), rng.randint(8, 21))


def _pick(rng, queryset):
    found = list(queryset.order_by("pk"))
    return rng.choice(found) if found else None


def _edit(rng, villages) -> None:
    """One random edit: a patrol added or deleted, a petition moved to another day or village, a
    centre inspection deleted (a standing fact of the months after it)."""
    kind = rng.choice(["patrol+", "patrol-", "petition", "petition-village", "inspection-"])
    village = rng.choice(villages)
    if kind == "patrol+":
        patrol = Patrol(village=village, date=_mid_month(rng), participants="抽检")
        record_save(instance=patrol, user=None, reason="test")
        return
    if kind == "patrol-":
        found = _pick(rng, Patrol.objects.filter(village=village, date__day__range=(8, 21)))
    elif kind == "inspection-":
        found = _pick(rng, CentreInspection.objects.filter(village=village))
    if kind in {"patrol-", "inspection-"}:
        if found is not None:
            record_delete(instance=found, user=None, reason="test")
        return
    petition = _pick(rng, Petition.objects.filter(village__in=villages))
    if kind == "petition":
        petition.date = _day(rng)
    else:
        petition.village = village
    record_save(instance=petition, user=None, reason="test")


def _ranks(township_id: int, month: int) -> dict:
    totals = dict(
        ScoreSheet.objects.filter(
            village__township_id=township_id, year=YEAR, month=month
        ).values_list("village_id", "total")
    )
    return engine.rank(totals)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recomputing_the_stale_village_months_equals_a_full_recompute(county, seed):
    rng = random.Random(seed)
    villages = list(county.villages.order_by("pk"))
    for _round in range(3):
        for _edit_number in range(rng.randint(1, 4)):
            _edit(rng, villages)
        stale = set(StaleVillageMonth.objects.values_list("village_id", "month"))
        untouched = {
            (v, m): pk
            for v, m, pk in ScoreSheet.objects.filter(village__township=county).values_list(
                "village_id", "month", "pk"
            )
            if (v, m) not in stale
        }
        services.recompute_stale_village_months(today=TODAY)
        assert not StaleVillageMonth.objects.exists()
        # Only the stale village-months were written: every other sheet is the same row.
        after = {
            (v, m): pk
            for v, m, pk in ScoreSheet.objects.filter(village__township=county).values_list(
                "village_id", "month", "pk"
            )
        }
        assert {key: after.get(key) for key in untouched} == untouched
        incremental = _stored(county.pk)
        ranks = {m: _ranks(county.pk, m) for m in range(1, 13)}

        services.score_year(township_id=county.pk, year=YEAR, today=TODAY)
        assert _stored(county.pk) == incremental
        assert {m: _ranks(county.pk, m) for m in range(1, 13)} == ranks


def test_one_stale_village_costs_the_same_queries_as_two(county):
    """The stale path reads and writes a fixed number of statements, whatever it rebuilds."""
    villages = list(county.villages.order_by("pk"))
    counts = []
    for marked in (villages[:1], villages[1:3]):
        for village in marked:
            StaleVillageMonth.objects.create(village=village, year=YEAR, month=6)
        with CaptureQueriesContext(connection) as queries:
            services.recompute_stale_village_months(today=TODAY)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert not StaleVillageMonth.objects.exists()
