"""Reads of the scoring service: sheets, quarters, years, rankings and version comparisons.

Every function reads all villages of a township in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from core import periods
from villages.models import Village
from villages.selectors import assessed_months

from . import rubrics
from .models import RubricVersion
from .models import ScoreLine
from .models import ScoreSheet
from .scoring import engine
from .scoring.types import PeriodScore
from .scoring.types import Sheet
from .sheets import sheet_from_row


@dataclass(frozen=True)
class RankRow:
    village: Village
    score: Decimal
    rank: int
    vetoes: tuple
    provisional_reasons: tuple[str, ...]
    previous_rank: int | None = None
    # The records each veto rests on, one tuple of (kind, id) per veto, in the vetoes' order.
    veto_refs: tuple = ()

    @property
    def change(self) -> int | None:
        return None if self.previous_rank is None else self.previous_rank - self.rank


def _villages(township_id: int) -> dict[int, Village]:
    qs = Village.objects.filter(township_id=township_id, is_active=True).select_related("area")
    return {v.pk: v for v in qs.order_by("area__name", "name")}


def sheets_of_year(township_id: int, year: int, months=None) -> dict[int, list[Sheet]]:
    """Light sheets (no lines) of a township's year, by village: one query."""
    rows = ScoreSheet.objects.filter(village__township_id=township_id, year=year).select_related(
        "version"
    )
    if months:
        rows = rows.filter(month__in=months)
    found: dict[int, list[Sheet]] = defaultdict(list)
    for row in rows:
        found[row.village_id].append(sheet_from_row(row, ()))
    return found


def month_ranking(township_id: int, year: int, month: int) -> list[RankRow]:
    villages = _villages(township_id)
    rows = ScoreSheet.objects.filter(
        village__township_id=township_id, year=year, month=month
    ).select_related("version")
    sheets = {row.village_id: row for row in rows if row.village_id in villages}
    previous = _previous_month_ranks(township_id, year, month)
    ranks = engine.rank({pk: row.total for pk, row in sheets.items()})
    return sorted(
        (
            RankRow(
                village=villages[pk],
                score=row.total,
                rank=ranks[pk],
                vetoes=tuple(tuple(v[:2]) for v in row.vetoes_shown),
                provisional_reasons=tuple(row.provisional_shown),
                previous_rank=previous.get(pk),
                veto_refs=tuple(
                    tuple((k, int(i)) for k, i in (v[2] if len(v) > 2 else ())) for v in row.vetoes
                ),
            )
            for pk, row in sheets.items()
        ),
        key=lambda r: (r.rank, r.village.name),
    )


def _previous_month_ranks(township_id: int, year: int, month: int) -> dict[int, int]:
    year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    totals = dict(
        ScoreSheet.objects.filter(
            village__township_id=township_id, year=year, month=month
        ).values_list("village_id", "total")
    )
    return engine.rank(totals) if totals else {}


def _period_ranking(
    township_id: int, scores: dict[int, PeriodScore], villages: dict[int, Village]
) -> list[RankRow]:
    ranks = engine.rank({pk: s.score for pk, s in scores.items()})
    return sorted(
        (
            RankRow(
                village=villages[pk],
                score=s.score,
                rank=ranks[pk],
                vetoes=tuple((v.cause, v.reason) for v in s.vetoes),
                provisional_reasons=s.provisional_reasons,
                veto_refs=tuple(tuple((r.kind, r.id) for r in v.refs) for v in s.vetoes),
            )
            for pk, s in scores.items()
            if pk in villages
        ),
        key=lambda r: (r.rank, r.village.name),
    )


def quarter_ranking(township_id: int, year: int, quarter: int) -> list[RankRow]:
    rubric = rubrics.rubric_of(rubrics.version_for_year(township_id, year))
    months = list(periods.quarter_months(quarter))
    villages = _villages(township_id)
    by_village = sheets_of_year(township_id, year, months)
    expected = assessed_months(township_id, year)
    scores = {
        pk: engine.quarter_score(rubric, pk, year, quarter, sheets, expected.get(pk))
        for pk, sheets in by_village.items()
    }
    return _period_ranking(township_id, scores, villages)


def annual_scores(township_id: int, year: int) -> dict[int, PeriodScore]:
    rubric = rubrics.rubric_of(rubrics.version_for_year(township_id, year))
    by_village = sheets_of_year(township_id, year)
    if not by_village:
        return {}
    return engine.score_year(rubric, year, by_village, assessed_months(township_id, year))


def year_ranking(township_id: int, year: int) -> list[RankRow]:
    return _period_ranking(township_id, annual_scores(township_id, year), _villages(township_id))


def sheet_for(village: Village, year: int, month: int) -> ScoreSheet | None:
    lines = Prefetch("lines", queryset=ScoreLine.objects.order_by("position"))
    return (
        ScoreSheet.objects.filter(village=village, year=year, month=month)
        .select_related("version")
        .prefetch_related(lines)
        .first()
    )


def village_trend(village: Village, year: int) -> list[tuple[int, Decimal]]:
    return list(
        ScoreSheet.objects.filter(village=village, year=year)
        .order_by("month")
        .values_list("month", "total")
    )


@dataclass(frozen=True)
class VersionDiff:
    village: Village
    total_a: Decimal
    total_b: Decimal
    rank_a: int
    rank_b: int
    lines_only_a: tuple
    lines_only_b: tuple


def compare_versions(
    *, township_id: int, year: int, month: int, version_a: RubricVersion, version_b: RubricVersion
) -> list[VersionDiff]:
    """Both readings of the document scored on the same records: totals, ranks, differing lines."""
    from .services import compute_month

    villages = _villages(township_id)
    a = {
        s.village_id: s
        for s in compute_month(township_id=township_id, year=year, month=month, version=version_a)
    }
    b = {
        s.village_id: s
        for s in compute_month(township_id=township_id, year=year, month=month, version=version_b)
    }
    rank_a = engine.rank({pk: s.total for pk, s in a.items()})
    rank_b = engine.rank({pk: s.total for pk, s in b.items()})

    def key(line):
        return (line.item_code, line.points, line.reason)

    rows = []
    for pk, village in villages.items():
        if pk not in a or pk not in b:
            continue
        keys_a = {key(line) for line in a[pk].lines}
        keys_b = {key(line) for line in b[pk].lines}
        rows.append(
            VersionDiff(
                village=village,
                total_a=a[pk].total,
                total_b=b[pk].total,
                rank_a=rank_a[pk],
                rank_b=rank_b[pk],
                lines_only_a=tuple(line for line in a[pk].lines if key(line) not in keys_b),
                lines_only_b=tuple(line for line in b[pk].lines if key(line) not in keys_a),
            )
        )
    return sorted(rows, key=lambda r: (r.rank_a, r.village.name))
