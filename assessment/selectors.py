"""Reads of the scoring service: sheets, quarters, years, rankings and version comparisons.

Every function reads all villages of a township in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal

from django.db.models import Case
from django.db.models import Count
from django.db.models import F
from django.db.models import JSONField
from django.db.models import Max
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import Sum
from django.db.models import When
from django.utils.translation import gettext as _

from core import periods
from core.periods import Span
from petitions.models import Dispute
from petitions.models import Petition
from villages.models import Village
from villages.selectors import assessed_months

from . import rubrics
from . import stored_periods
from . import township_figures
from .models import Period
from .models import PeriodState
from .models import RubricVersion
from .models import ScoreLine
from .models import ScoreSheet
from .scoring import engine
from .scoring.reasons import with_parts
from .scoring.types import PeriodScore
from .scoring.types import RecordRef
from .scoring.types import Sheet
from .scoring.types import Veto
from .services import compute_month

PER = 1000  # residents, for the per-capita view
TWO_PLACES = Decimal("0.01")


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


# --- Lean reads --------------------------------------------------------------------------------
# Rankings, quarters and years need of each month's sheet only its total, its vetoes and its
# provisional reasons (issue 14): reading those columns alone, never a sheet's sections, items
# or lines, makes the year's ranking ten times cheaper than rebuilding 12,000 full sheets.

# Most sheets have no veto and no provisional reason: their JSON columns are read as NULL
# instead of decoded (decoding three JSON columns of every sheet was most of the read).
_HAS_REASONS = ~Q(vetoes=[]) | ~Q(provisional_reasons=[])
NO_REASONS: tuple[list, list, dict] = ([], [], {})


def _if_reasons(column: str) -> Case:
    return Case(When(_HAS_REASONS, then=F(column)), output_field=JSONField())


def _lean_rows(sheets):
    """(village, month, total, (vetoes, provisional reasons, their parts)) of each sheet."""
    rows = sheets.annotate(
        v=_if_reasons("vetoes"), p=_if_reasons("provisional_reasons"), r=_if_reasons("reason_parts")
    ).values_list("village_id", "month", "total", "v", "p", "r")
    for village_id, month, total, vetoes, provisional, parts in rows:
        reasons = NO_REASONS if vetoes is None else (vetoes, provisional, parts or {})
        yield village_id, month, total, reasons


def _shown(texts: list, parts: list) -> list:
    """Stored reasons, each with its parts so it shows in the reader's language (as the
    sheet's ``vetoes_shown`` and ``provisional_shown`` give them)."""
    return [with_parts(text, parts[i] if i < len(parts) else []) for i, text in enumerate(texts)]


def _refs(data) -> tuple[tuple[str, int], ...]:
    return tuple((kind, int(pk)) for kind, pk in data)


def _lean_vetoes(vetoes: list, parts: dict) -> list[tuple[str, str, tuple]]:
    """[(cause, reason shown, ((kind, id), ...))] of a stored sheet's vetoes."""
    reasons = _shown([v[1] for v in vetoes], parts.get("vetoes", []))
    return [
        (v[0], reason, _refs(v[2] if len(v) > 2 else ()))
        for v, reason in zip(vetoes, reasons, strict=True)
    ]


def _lean_sheet(year: int, village_id, month, total, reasons) -> Sheet:
    """A month's sheet as quarters and years read it: no sections, items or lines."""
    vetoes, provisional, parts = reasons
    return Sheet(
        village_id=village_id,
        rubric_code="",
        period_start=date(year, month, 1),
        period_end=periods.month_end(year, month),
        total=total,
        sections=(),
        items=(),
        lines=(),
        vetoes=tuple(
            Veto(cause, reason, tuple(RecordRef(k, i) for k, i in refs))
            for cause, reason, refs in _lean_vetoes(vetoes, parts)
        ),
        provisional_reasons=tuple(_shown(provisional, parts.get("provisional", []))),
    )


def sheets_of_year(township_id: int, year: int, months=None) -> dict[int, list[Sheet]]:
    """Lean sheets (total, vetoes, provisional reasons) of a township's year, by village, in
    month order: one query."""
    rows = ScoreSheet.objects.filter(village__township_id=township_id, year=year)
    if months:
        rows = rows.filter(month__in=months)
    found: dict[int, list[Sheet]] = defaultdict(list)
    for village_id, month, total, reasons in _lean_rows(rows.order_by("month", "village_id")):
        found[village_id].append(_lean_sheet(year, village_id, month, total, reasons))
    return found


# --- Rankings ----------------------------------------------------------------------------------


def month_ranking(township_id: int, year: int, month: int, villages=None) -> list[RankRow]:
    villages = _villages(township_id) if villages is None else villages
    rows = ScoreSheet.objects.filter(village__township_id=township_id, year=year, month=month)
    found = {}
    for village_id, _month, total, (vetoes, provisional, parts) in _lean_rows(rows):
        if village_id in villages:
            found[village_id] = (
                total,
                _lean_vetoes(vetoes, parts),
                _shown(provisional, parts.get("provisional", [])),
            )
    previous = _previous_month_ranks(township_id, year, month)
    ranks = engine.rank({pk: total for pk, (total, _v, _p) in found.items()})
    return sorted(
        (
            RankRow(
                village=villages[pk],
                score=total,
                rank=ranks[pk],
                vetoes=tuple((cause, reason) for cause, reason, _refs in vetoes),
                provisional_reasons=tuple(provisional),
                previous_rank=previous.get(pk),
                veto_refs=tuple(refs for _cause, _reason, refs in vetoes),
            )
            for pk, (total, vetoes, provisional) in found.items()
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


def _quarter_scores(township_id: int, year: int, quarter: int) -> dict[int, PeriodScore]:
    """Each village's quarter score, built from the quarter's month sheets."""
    rubric = rubrics.rubric_of(rubrics.version_for_year(township_id, year))
    months = list(periods.quarter_months(quarter))
    by_village = sheets_of_year(township_id, year, months)
    expected = assessed_months(township_id, year)
    return {
        pk: engine.quarter_score(rubric, pk, year, quarter, sheets, expected.get(pk))
        for pk, sheets in by_village.items()
    }


def quarter_scores(township_id: int, year: int, quarter: int) -> dict[int, PeriodScore]:
    """Each village's quarter score: stored once, rebuilt when its sheets change
    (assessment.stored_periods)."""
    return stored_periods.period_scores(
        township_id, year, quarter, lambda: _quarter_scores(township_id, year, quarter)
    )


def span_scores_of(township_ids, span: Span) -> dict[int, dict[int, PeriodScore]]:
    """quarter_scores or annual_scores of many townships ({township: {village: score}}): the
    stored ones read together, whatever their number (the district's dashboard)."""
    if span.kind == periods.QUARTER:
        quarter, compute = span.quarter, lambda t: _quarter_scores(t, span.year, span.quarter)
    elif span.kind == periods.YEAR:
        quarter, compute = stored_periods.YEAR, lambda t: _annual_scores(t, span.year)
    else:
        raise ValueError(f"a quarter or a year, not {span.kind!r}")
    return stored_periods.period_scores_of(township_ids, span.year, quarter, compute)


def quarter_ranking(township_id: int, year: int, quarter: int, villages=None) -> list[RankRow]:
    villages = _villages(township_id) if villages is None else villages
    return _period_ranking(township_id, quarter_scores(township_id, year, quarter), villages)


def _annual_scores(township_id: int, year: int) -> dict[int, PeriodScore]:
    rubric = rubrics.rubric_of(rubrics.version_for_year(township_id, year))
    by_village = sheets_of_year(township_id, year)
    if not by_village:
        return {}
    return engine.score_year(rubric, year, by_village, assessed_months(township_id, year))


def annual_scores(township_id: int, year: int) -> dict[int, PeriodScore]:
    """Each village's annual score, vetoes applied: stored once, rebuilt when the year's sheets
    change (assessment.stored_periods)."""
    return stored_periods.period_scores(
        township_id, year, stored_periods.YEAR, lambda: _annual_scores(township_id, year)
    )


def year_ranking(township_id: int, year: int, villages=None) -> list[RankRow]:
    villages = _villages(township_id) if villages is None else villages
    return _period_ranking(township_id, annual_scores(township_id, year), villages)


def span_ranking(township_id: int, span: Span, villages=None) -> list[RankRow]:
    """The rubric's ranking of a month, a quarter or a year."""
    if span.kind == periods.YEAR:
        return year_ranking(township_id, span.year, villages)
    if span.kind == periods.QUARTER:
        return quarter_ranking(township_id, span.year, span.quarter, villages)
    return month_ranking(township_id, span.year, span.month, villages)


# --- The period a page shows -------------------------------------------------------------------


def span_title(span: Span) -> str:
    """The span as a page heads it, in the reader's language."""
    if span.kind == periods.MONTH:
        return _("%(y)d年%(m)d月") % {"y": span.year, "m": span.month}
    if span.kind == periods.QUARTER:
        return _("%(y)d年第%(q)d季度") % {"y": span.year, "q": span.quarter}
    return _("%(y)d年度") % {"y": span.year}


def default_month(
    today: date, year: int | None = None, latest_scored: int | None = None
) -> tuple[int, int]:
    """(year, month) a page shows when none is asked for (the dashboard and the ranking page).

    The latest month that has ended, its last day before today: a month still running is a day
    or a few weeks old, its scores near 100 and provisional, and tells a leader nothing yet.
    For a year asked for that ended before it, that year's December; for a later year, its
    January. Never later than the year's last scored month (`latest_scored`), so a township
    whose scoring lags lands on its last scores rather than on an empty table.
    """
    ended = today.replace(day=1) - timedelta(days=1)
    year = ended.year if year is None else year
    if year < ended.year:
        month = 12
    elif year > ended.year:
        month = 1
    else:
        month = ended.month
    if latest_scored and latest_scored < month:
        month = latest_scored
    return year, month


def latest_scored_month(township_id: int, year: int) -> int | None:
    """The last month of the year that has sheets (one query)."""
    return ScoreSheet.objects.filter(village__township_id=township_id, year=year).aggregate(
        m=Max("month")
    )["m"]


# --- The ranking as the pages show it: the change and the per-capita view ----------------------


@dataclass(frozen=True)
class RankingRow:
    rank: int
    village: Village
    score: Decimal  # always to two places: 0.00 for a vetoed year, 95.50
    change: int | None  # places gained since the previous period; negative: places lost
    vetoes: tuple[tuple[str, str], ...]
    provisional_reasons: tuple[str, ...]
    petitions: int = 0
    person_times: int = 0
    disputes: int = 0
    person_times_per_k: Decimal | None = None
    disputes_per_k: Decimal | None = None
    per_capita_rank: int | None = None
    veto_refs: tuple = ()  # the records behind each veto, in the vetoes' order
    unclosed: tuple[int, ...] = ()  # the span's months not closed yet

    @property
    def change_abs(self) -> int:
        return abs(self.change or 0)

    @property
    def provisional(self) -> bool:
        """暂定 until every month of the span is closed and no record is still missing; 确定
        once they are (docs/rubric.md "Periods": a closed month is frozen)."""
        return bool(self.unclosed or self.provisional_reasons)

    @property
    def status_reasons(self) -> tuple[str, ...]:
        months = "、".join(_("%(m)d月") % {"m": m} for m in self.unclosed)
        not_closed = (_("尚未关闭:%(months)s") % {"months": months},) if self.unclosed else ()
        return not_closed + self.provisional_reasons


def _per_k(count: int, population: int) -> Decimal | None:
    if not population:
        return None
    return (Decimal(count * PER) / population).quantize(TWO_PLACES, ROUND_HALF_UP)


def activity_counts(township_id: int, start: date, end: date) -> dict[int, tuple[int, int, int]]:
    """(petitions, person-times, disputes found) per village in [start, end]: two queries."""
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    petitions = (
        Petition.objects.filter(village__township_id=township_id, date__range=(start, end))
        .order_by()
        .values("village_id")
        .annotate(n=Count("id"), people=Sum("person_count"))
    )
    for row in petitions:
        found[row["village_id"]][0] = row["n"]
        found[row["village_id"]][1] = row["people"] or 0
    disputes = (
        Dispute.objects.filter(village__township_id=township_id, found_date__range=(start, end))
        .order_by()
        .values("village_id")
        .annotate(n=Count("id"))
    )
    for row in disputes:
        found[row["village_id"]][2] = row["n"]
    return {pk: tuple(v) for pk, v in found.items()}


def ranking(township_id: int, span: Span, villages=None) -> list[RankingRow]:
    """The rubric's ranking for the span, its change since the previous span, and beside it the
    petitions and disputes per 1,000 residents (Village.population).

    Decision: the per-capita rank orders villages by petition person-times per 1,000 residents,
    fewest first: petitions are what the rubric prices per person-time; disputes are shown but
    not ranked, since a village that screens well finds more of them.
    """
    villages = _villages(township_id) if villages is None else villages
    rows = span_ranking(township_id, span, villages)
    if span.kind == periods.MONTH:
        changes = {r.village.pk: r.change for r in rows}
    else:
        previous = span_ranking(township_id, span.previous(), villages)
        before = {r.village.pk: r.rank for r in previous}
        changes = {
            r.village.pk: (before[r.village.pk] - r.rank if r.village.pk in before else None)
            for r in rows
        }
    counts = activity_counts(township_id, span.start, span.end)
    closed = set(
        Period.objects.filter(
            township_id=township_id,
            year=span.year,
            month__in=span.months,
            state=PeriodState.CLOSED,
        ).values_list("month", flat=True)
    )
    unclosed = tuple(m for m in span.months if m not in closed)
    per_k = {}
    for r in rows:
        petitions, people, disputes = counts.get(r.village.pk, (0, 0, 0))
        per_k[r.village.pk] = (
            petitions,
            people,
            disputes,
            _per_k(people, r.village.population),
            _per_k(disputes, r.village.population),
        )
    per_capita_ranks = engine.rank({pk: -v[3] for pk, v in per_k.items() if v[3] is not None})
    return [
        RankingRow(
            rank=r.rank,
            village=r.village,
            score=Decimal(r.score).quantize(TWO_PLACES, ROUND_HALF_UP),
            change=changes.get(r.village.pk),
            vetoes=tuple(r.vetoes),
            provisional_reasons=tuple(r.provisional_reasons),
            veto_refs=tuple(r.veto_refs),
            unclosed=unclosed,
            petitions=per_k[r.village.pk][0],
            person_times=per_k[r.village.pk][1],
            disputes=per_k[r.village.pk][2],
            person_times_per_k=per_k[r.village.pk][3],
            disputes_per_k=per_k[r.village.pk][4],
            per_capita_rank=per_capita_ranks.get(r.village.pk),
        )
        for r in rows
    ]


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


def month_scores_under(
    township_ids, year: int, month: int, version: RubricVersion
) -> dict[int, dict]:
    """Each township's month scored under one version, for a fair comparison across townships
    that keep versions of their own: its assessed villages' totals and vetoes
    (township_figures.score_figures), computed in memory from the records (compute_month, an
    open month as known today) and stored nowhere. The scoring's queries for each township."""
    township_ids = list(township_ids)
    active = set(
        Village.objects.filter(township_id__in=township_ids, is_active=True).values_list(
            "pk", flat=True
        )
    )
    return {
        t: township_figures.score_figures(
            (s.total, bool(s.vetoes))
            for s in compute_month(township_id=t, year=year, month=month, version=version)
            if s.village_id in active
        )
        for t in township_ids
    }
