"""Quarter and year scores stored once (assessment.stored_periods, issue 14): a stored read gives
what computing from the month sheets gives, and any change to what they rest on (a recomputed
or deleted sheet, a village's dates, the year's rubric version) makes the next read rebuild
them, so a page never shows a stale year."""

from datetime import date

import pytest
from django.db import DatabaseError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assessment import selectors
from assessment import services
from assessment import stored_periods
from assessment.models import PeriodScoreRow
from assessment.models import PeriodScoreSet
from assessment.models import ScoreSheet
from petitions.models import Petition
from tests.assessment.test_lean_reads import YEAR
from tests.assessment.test_lean_reads import _ranked
from tests.assessment.test_lean_reads import county  # noqa: F401  (the fixture)
from tests.assessment.test_lean_reads import old_quarter
from tests.assessment.test_lean_reads import old_year

pytestmark = pytest.mark.django_db
TODAY = date(YEAR + 1, 1, 20)


def _full(score):
    """Every field of a PeriodScore, reasons as text and in English (their parts)."""
    with translation.override("en"):
        return (
            score.village_id,
            score.period_start,
            score.period_end,
            score.score,
            score.computed,
            score.months,
            tuple((v.cause, str(v.reason), v.refs) for v in score.vetoes),
            tuple(str(r) for r in score.provisional_reasons),
        )


def test_a_stored_year_reads_back_exactly_what_was_computed(county):  # noqa: F811
    computed = selectors._annual_scores(county.pk, YEAR)
    assert any(s.vetoes for s in computed.values()) and any(
        s.provisional_reasons for s in computed.values()
    ), "the comparison covers vetoes and provisional reasons"
    first = selectors.annual_scores(county.pk, YEAR)  # computes and stores
    assert PeriodScoreRow.objects.filter(set__year=YEAR, set__quarter=0).count() == len(computed)
    second = selectors.annual_scores(county.pk, YEAR)  # reads the stored rows
    for scores in (first, second):
        assert {pk: _full(s) for pk, s in scores.items()} == {
            pk: _full(s) for pk, s in computed.items()
        }
    assert _ranked(second) == old_year(county.pk)


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_a_stored_quarter_reads_back_exactly_what_was_computed(county, quarter):  # noqa: F811
    computed = selectors._quarter_scores(county.pk, YEAR, quarter)
    selectors.quarter_scores(county.pk, YEAR, quarter)
    stored = selectors.quarter_scores(county.pk, YEAR, quarter)
    assert {pk: _full(s) for pk, s in stored.items()} == {
        pk: _full(s) for pk, s in computed.items()
    }
    assert _ranked(stored) == old_quarter(county.pk, quarter)


def test_a_second_read_does_not_compute(county):  # noqa: F811
    calls = []

    def compute():
        calls.append(1)
        return selectors._annual_scores(county.pk, YEAR)

    stored_periods.period_scores(county.pk, YEAR, stored_periods.YEAR, compute)
    with CaptureQueriesContext(connection) as queries:
        stored_periods.period_scores(county.pk, YEAR, stored_periods.YEAR, compute)
    assert calls == [1]
    # The stamp (sheets, version, villages), the set and its rows: no sheet row is read.
    assert len(queries) <= 6, [q["sql"] for q in queries]


def _year(township_id):
    return {pk: s.score for pk, s in selectors.annual_scores(township_id, YEAR).items()}


def test_a_recomputed_month_rebuilds_the_year(county):  # noqa: F811
    before = _year(county.pk)
    village = county.villages.order_by("pk").first()
    # A Beijing petition from a new problem vetoes the village's year.
    Petition.objects.create(
        village=village,
        date=date(YEAR, 6, 4),
        level="beijing",
        channel="visit",
        matter="m",
        new_problem_unresolved=True,
    )
    assert _year(county.pk) == before, "no sheet changed yet: the stored year still holds"
    services.score_months(township_id=county.pk, year=YEAR, months=[6], today=TODAY)
    after = _year(county.pk)
    assert after[village.pk] == 0
    assert after == {pk: s.score for pk, s in selectors._annual_scores(county.pk, YEAR).items()}


def test_a_recompute_that_changes_nothing_keeps_the_stored_year(county):  # noqa: F811
    # The fixture deleted and altered a sheet: a first recompute puts them back.
    services.score_months(township_id=county.pk, year=YEAR, months=range(1, 13), today=TODAY)
    selectors.annual_scores(county.pk, YEAR)
    built = PeriodScoreSet.objects.get(township=county, year=YEAR, quarter=0)
    services.score_months(township_id=county.pk, year=YEAR, months=range(1, 13), today=TODAY)
    assert stored_periods.stamp_of(county.pk, YEAR, 0) == built.stamp


def test_a_deleted_sheet_rebuilds_the_year(county):  # noqa: F811
    before = selectors.annual_scores(county.pk, YEAR)
    village = max(before, key=lambda pk: len(before[pk].months))
    ScoreSheet.objects.filter(village_id=village, year=YEAR, month=1).delete()
    after = selectors.annual_scores(county.pk, YEAR)
    assert len(after[village].months) == len(before[village].months) - 1
    assert any("1月" in str(r) for r in after[village].provisional_reasons)


def test_a_village_set_up_later_rebuilds_the_year(county):  # noqa: F811
    selectors.annual_scores(county.pk, YEAR)
    village = county.villages.order_by("pk").first()
    stamp = stored_periods.stamp_of(county.pk, YEAR, 0)
    village.active_from = date(YEAR, 3, 1)
    village.save()
    assert stored_periods.stamp_of(county.pk, YEAR, 0) != stamp
    after = selectors.annual_scores(county.pk, YEAR)
    assert after == selectors._annual_scores(county.pk, YEAR)


def test_a_quarter_is_not_rebuilt_by_a_change_in_another_quarter(county):  # noqa: F811
    first, third = (stored_periods.stamp_of(county.pk, YEAR, q) for q in (1, 3))
    ScoreSheet.objects.filter(village__township=county, year=YEAR, month=8).first().delete()
    assert stored_periods.stamp_of(county.pk, YEAR, 1) == first
    assert stored_periods.stamp_of(county.pk, YEAR, 3) != third


def test_a_failed_store_still_gives_the_scores(county, monkeypatch):  # noqa: F811
    def fail(*args, **kwargs):
        raise DatabaseError("read-only")

    monkeypatch.setattr(stored_periods, "_store", fail)
    scores = selectors.annual_scores(county.pk, YEAR)
    assert _ranked(scores) == old_year(county.pk)
    assert not PeriodScoreSet.objects.filter(township=county, year=YEAR, quarter=0).exists()


def test_a_derived_figure_is_kept_with_the_scores_and_dropped_with_them(county):  # noqa: F811
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    def read():
        return stored_periods.derived(county.pk, YEAR, stored_periods.YEAR, "test", compute)

    assert read() == {"n": 1}, "no stored scores yet: computed"
    selectors.annual_scores(county.pk, YEAR)  # stores the year's scores
    assert read() == {"n": 2}  # computed, and stored beside them
    assert read() == {"n": 2} and len(calls) == 2, "read back, not computed"
    ScoreSheet.objects.filter(village__township=county, year=YEAR, month=3).first().delete()
    assert read() == {"n": 3}, "a sheet changed: computed again"
    selectors.annual_scores(county.pk, YEAR)  # the scores are rebuilt, their extras emptied
    assert PeriodScoreSet.objects.get(township=county, year=YEAR, quarter=0).extras == {}
    assert read() == {"n": 4} and read() == {"n": 4}
