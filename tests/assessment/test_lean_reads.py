"""Rankings read lean columns (total, vetoes, provisional reasons) instead of rebuilding full
month sheets (issue 14). They must give what the full sheets gave: same order, totals, ranks,
vetoes (with their records) and provisional reasons, for a month, each quarter and the year.

The reference below is the path the selectors took before: every sheet row with its version,
turned back into the engine's Sheet by assessment.sheets.sheet_from_row.
"""

from collections import defaultdict
from datetime import date

import pytest

from assessment import rubrics
from assessment import selectors
from assessment import services
from assessment.models import ScoreSheet
from assessment.scoring import engine
from assessment.sheets import sheet_from_row
from petitions.models import Petition
from tests.factories import VillageFactory
from villages.selectors import assessed_months

YEAR = 2026


def _full_sheets(township_id, months=None):
    rows = ScoreSheet.objects.filter(village__township_id=township_id, year=YEAR).select_related(
        "version"
    )
    if months:
        rows = rows.filter(month__in=months)
    found = defaultdict(list)
    for row in rows:
        found[row.village_id].append(sheet_from_row(row, ()))
    return found


def _ranked(scores):
    """(village, rank, score, vetoes, provisional reasons) in ranking order, from PeriodScores."""
    ranks = engine.rank({pk: s.score for pk, s in scores.items()})
    return sorted(
        (
            (
                pk,
                ranks[pk],
                s.score,
                tuple(
                    (v.cause, str(v.reason), tuple((r.kind, r.id) for r in v.refs))
                    for v in s.vetoes
                ),
                tuple(map(str, s.provisional_reasons)),
            )
            for pk, s in scores.items()
        ),
        key=lambda row: (row[1], row[0]),
    )


def old_month(township_id, month):
    rows = ScoreSheet.objects.filter(
        village__township_id=township_id, year=YEAR, month=month
    ).select_related("version")
    ranks = engine.rank({row.village_id: row.total for row in rows})
    return sorted(
        (
            (
                row.village_id,
                ranks[row.village_id],
                row.total,
                tuple(
                    (cause, str(reason), tuple((k, int(i)) for k, i in refs))
                    for cause, reason, refs in row.vetoes_shown
                ),
                tuple(map(str, row.provisional_shown)),
            )
            for row in rows
        ),
        key=lambda row: (row[1], row[0]),
    )


def old_quarter(township_id, quarter):
    rubric = rubrics.rubric_of(rubrics.version_for_year(township_id, YEAR))
    expected = assessed_months(township_id, YEAR)
    by_village = _full_sheets(township_id, list(range(3 * quarter - 2, 3 * quarter + 1)))
    return _ranked(
        {
            pk: engine.quarter_score(rubric, pk, YEAR, quarter, sheets, expected.get(pk))
            for pk, sheets in by_village.items()
        }
    )


def old_year(township_id):
    rubric = rubrics.rubric_of(rubrics.version_for_year(township_id, YEAR))
    return _ranked(
        engine.score_year(
            rubric, YEAR, _full_sheets(township_id), assessed_months(township_id, YEAR)
        )
    )


def new(rows):
    return sorted(
        (
            (
                r.village.pk,
                r.rank,
                r.score,
                tuple(
                    (cause, str(reason), refs)
                    for (cause, reason), refs in zip(r.vetoes, r.veto_refs, strict=True)
                ),
                tuple(map(str, r.provisional_reasons)),
            )
            for r in rows
        ),
        key=lambda row: (row[1], row[0]),
    )


@pytest.fixture
def county(township, area, village_a, village_b):
    """Eight villages scored for the year from their records: Beijing petitions of a new problem
    (vetoes, with the petition behind each), a village set up in September (averaged over its
    own months), ties among the villages with nothing recorded; then one sheet deleted (a
    missing month makes a quarter and the year provisional) and one sheet provisional."""
    villages = [village_a, village_b] + [
        VillageFactory(area=area, name=f"计数村{i}", population=800 + i) for i in range(6)
    ]
    late = villages[-1]
    late.active_from = date(YEAR, 9, 1)
    late.save()
    for n, v in enumerate(villages[:5]):
        for month in (2, 5, 11)[: n % 3 + 1]:
            Petition.objects.create(
                village=v,
                date=date(YEAR, month, 3 + n),
                level="beijing" if n % 2 else "city",
                channel="visit",
                matter="m",
                new_problem_unresolved=n % 2 == 1,
            )
    services.score_months(
        township_id=township.pk, year=YEAR, months=range(1, 13), today=date(YEAR + 1, 1, 20)
    )
    ScoreSheet.objects.filter(village=villages[2], year=YEAR, month=5).delete()
    ScoreSheet.objects.filter(village=villages[3], year=YEAR, month=7).update(
        provisional_reasons=["尚缺7月下半月排查报告"]
    )
    return township


def test_the_data_has_what_the_comparison_must_cover(county):
    year = old_year(county.pk)
    assert any(row[3] for row in year), "a veto"
    assert any(row[4] for row in year), "a provisional reason"
    assert len({row[1] for row in year}) < len(year), "a tie"
    assert any(refs for row in old_month(county.pk, 2) for _c, _r, refs in row[3]), "veto refs"


@pytest.mark.parametrize("month", [2, 5, 7, 11])
def test_month_ranking_equals_the_full_sheets(county, month):
    assert new(selectors.month_ranking(county.pk, YEAR, month)) == old_month(county.pk, month)


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_quarter_ranking_equals_the_full_sheets(county, quarter):
    expected = old_quarter(county.pk, quarter)
    assert new(selectors.quarter_ranking(county.pk, YEAR, quarter)) == expected


def test_year_ranking_equals_the_full_sheets(county):
    assert new(selectors.year_ranking(county.pk, YEAR)) == old_year(county.pk)


def test_lean_sheets_keep_the_reasons_translatable(county):
    """A reason read lean still carries its parts, so the pages show it in English too."""
    full = _full_sheets(county.pk)
    lean = selectors.sheets_of_year(county.pk, YEAR)
    pairs = [
        (a, b)
        for pk in full
        for x, y in zip(full[pk], lean[pk], strict=True)
        for a, b in zip(x.vetoes, y.vetoes, strict=True)
    ]
    assert pairs
    for a, b in pairs:
        assert getattr(a.reason, "parts", None) == getattr(b.reason, "parts", None)
