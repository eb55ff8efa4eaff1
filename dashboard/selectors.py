"""Reads of the leaders' dashboard and of a village's page: every figure those pages show.

Templates only lay these figures out (ARCHITECTURE.md example 9). Each function reads all
villages of a township in a fixed number of queries, however many villages there are
(example 4; tests/dashboard/test_queries.py holds the pages to that at 10 and 100 villages).
Scores come from the stored sheets through assessment.selectors, never recomputed here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal

from django.db.models import Prefetch
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment import stored_periods
from assessment.links import record_url
from assessment.models import Contest
from assessment.models import ContestState
from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import ScoreLine
from assessment.models import ScoreSheet
from assessment.selectors import RankingRow
from assessment.selectors import ranking
from assessment.visibility import month_shown
from assessment.visibility import score_months_shown
from cases.choices import AlertTier
from cases.models import AssignedCase
from cases.tiers import TIER_BADGE
from cases.tiers import bounds_for
from cases.tiers import tier_for_dates
from core import periods
from core.periods import Span
from jobs.models import Job
from jobs.models import JobState
from petitions import deadlines
from petitions.choices import DisputeStatus
from petitions.choices import Level
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.selectors import HalfStatus
from petitions.selectors import PortalStatus
from petitions.selectors import half_states
from petitions.selectors import levels_by_month
from petitions.selectors import portal_status
from petitions.selectors import report_facts
from rewards.services import risk_line
from villages.models import Village

# The at-risk list (decision of the issue "The browser experience"): a year-to-date mean under
# the reward scheme's 返还本金分数线 (80 in the document; rewards.services.risk_line) forfeits
# the deposit; within WATCH_MARGIN above it and lower than three months earlier is "falling
# toward it".
WATCH_MARGIN = Decimal(2)
LOOKBACK_MONTHS = 3
# How many villages at each end of the ranking the trend chart shows at first.
HIGHLIGHTED = 3
TWO_PLACES = Decimal("0.01")


def _mean(values) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO_PLACES, ROUND_HALF_UP)


def _short(title: str) -> str:
    """A section's title up to its first comma, short enough for a column head or a legend."""
    return re.split("[,,]", title)[0]


def _plain(number) -> Decimal:
    """20.00 -> 20, 4.50 -> 4.5 (for a column head)."""
    value = Decimal(number)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _villages(township_id: int) -> dict[int, Village]:
    qs = Village.objects.filter(township_id=township_id, is_active=True).select_related("area")
    return {v.pk: v for v in qs.order_by("area__name", "name")}


# --- Chart data (passed to the page with json_script) -----------------------------------------


def _sheet_rows(township_id: int, year: int) -> dict[int, dict[int, Decimal]]:
    """village -> month -> total for a township's year (one query): what the trend and the
    at-risk list read. The lost-points chart reads the sections apart (lost_points)."""
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = ScoreSheet.objects.filter(village__township_id=township_id, year=year)
    for village_id, month, total in rows.values_list("village_id", "month", "total"):
        found[village_id][month] = total
    return found


def _lost_points(township_id: int, span: Span) -> tuple[dict[str, str], dict[str, dict]]:
    """(section titles, lost[section][village]): the points each village lost per section
    (section points minus section score), averaged over the span's scored months (one query,
    decoding the sections of every sheet of the span)."""
    rows = ScoreSheet.objects.filter(
        village__township_id=township_id, year=span.year, month__in=span.months
    ).values_list("village_id", "sections")
    titles: dict[str, str] = {}
    found: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for village_id, sections in rows:
        for code, title, points, score in sections:
            titles.setdefault(code, title)
            found[village_id][code].append(Decimal(points) - Decimal(score))
    lost: dict[str, dict] = defaultdict(dict)
    for village_id, by_section in found.items():
        for code, values in by_section.items():
            lost[code][village_id] = _mean(values)
    return titles, lost


def lost_points(township_id: int, span: Span) -> tuple[dict[str, str], dict[str, dict]]:
    """_lost_points; for a quarter or a year (every sheet of up to twelve months), stored with
    the span's scores and rebuilt with them (assessment.stored_periods.derived)."""
    if span.kind == periods.MONTH:
        return _lost_points(township_id, span)
    quarter = span.quarter if span.kind == periods.QUARTER else stored_periods.YEAR

    def compute():
        titles, lost = _lost_points(township_id, span)
        return {
            "titles": titles,
            "lost": {code: {str(pk): str(v) for pk, v in by.items()} for code, by in lost.items()},
        }

    data = stored_periods.derived(township_id, span.year, quarter, "lost", compute)
    return data["titles"], {
        code: {int(pk): Decimal(v) for pk, v in by.items()} for code, by in data["lost"].items()
    }


def _levels_by_month(township_id: int, year: int) -> dict:
    counts = levels_by_month([township_id], year)[township_id]
    return {
        "months": [_("%(m)d月") % {"m": m} for m in range(1, 13)],
        "series": [{"name": str(label), "data": counts[value]} for value, label in Level.choices],
    }


def chart_data(
    township_id: int, span: Span, rows: list[RankingRow], sheets=None, line=None
) -> dict[str, dict]:
    """The three charts of the dashboard, as plain JSON-ready data (three queries at most).

    trend: each village's monthly totals of the year, in ranking order; the top and bottom
    HIGHLIGHTED villages are shown at first, the others are one click away in the legend.
    lost: points lost per section (section points minus section score) for each ranked village,
    averaged over the span's scored months so a quarter or a year reads like one month.
    levels: the township's petitions per month of the year, stacked by level.
    """
    sheets = _sheet_rows(township_id, span.year) if sheets is None else sheets
    line = risk_line(township_id, span.year) if line is None else line
    last = max((m for by_month in sheets.values() for m in by_month), default=0)
    months = list(range(1, last + 1))
    order = [r.village for r in rows]
    n = len(order)
    shown = {v.pk for i, v in enumerate(order) if n <= 2 * HIGHLIGHTED or i < HIGHLIGHTED}
    shown |= {v.pk for v in order[-HIGHLIGHTED:]}
    trend = {
        "months": [_("%(m)d月") % {"m": m} for m in months],
        "threshold": float(line),
        "series": [
            {
                "name": v.name,
                "data": [
                    float(sheets[v.pk][m]) if m in sheets.get(v.pk, {}) else None for m in months
                ],
                "shown": v.pk in shown,
            }
            for v in order
        ],
    }
    titles, lost = lost_points(township_id, span)
    lost_data = {
        "villages": [v.name for v in order],
        "series": [
            {
                "code": code,
                "name": _short(titles[code]),
                "title": titles[code],
                "data": [float(lost[code].get(v.pk, 0)) for v in order],
            }
            for code in sorted(titles)
        ],
        "averaged": span.kind != "month",
    }
    return {"trend": trend, "lost": lost_data, "levels": _levels_by_month(township_id, span.year)}


# --- At risk -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AtRisk:
    village: Village
    mean: Decimal  # the year-to-date mean of the monthly totals
    mean_before: Decimal | None  # the same mean LOOKBACK_MONTHS months earlier
    latest: Decimal  # the last month's total
    through: int  # the last month counted
    below_line: bool  # under the risk line (else: within WATCH_MARGIN above it, and falling)

    @property
    def drop(self) -> Decimal | None:
        return None if self.mean_before is None else self.mean_before - self.mean


def at_risk(
    township_id: int, year: int, through: int | None, sheets=None, villages=None, line=None
) -> list[AtRisk]:
    """Villages whose year-to-date mean (months 1..through) is under the risk line, or within
    WATCH_MARGIN above it and lower than it was three months earlier (months 1..through-3).
    Lowest mean first."""
    if not through:
        return []
    line = risk_line(township_id, year) if line is None else line
    sheets = _sheet_rows(township_id, year) if sheets is None else sheets
    villages = _villages(township_id) if villages is None else villages
    found = []
    for pk, village in villages.items():
        by_month = sheets.get(pk, {})
        totals = [by_month[m] for m in range(1, through + 1) if m in by_month]
        if not totals:
            continue
        mean = _mean(totals)
        earlier = [by_month[m] for m in range(1, through - LOOKBACK_MONTHS + 1) if m in by_month]
        mean_before = _mean(earlier) if earlier else None
        falling = mean_before is not None and mean < mean_before
        if mean < line or (mean < line + WATCH_MARGIN and falling):
            latest_month = max(m for m in by_month if m <= through)
            found.append(
                AtRisk(
                    village=village,
                    mean=mean,
                    mean_before=mean_before,
                    latest=by_month[latest_month],
                    through=through,
                    below_line=mean < line,
                )
            )
    return sorted(found, key=lambda r: (r.mean, r.village.name))


@dataclass(frozen=True)
class VetoCause:
    """One veto of a ranked village, as the ranking shows it, with the records it rests on."""

    village: Village
    cause: str  # the rubric's code: beijing_new_problem, collective_large_impact, last_place
    reason: str
    records: tuple[tuple[str, str], ...]  # (label, page) of each record behind the veto


def veto_causes(rows: list[RankingRow]) -> list[VetoCause]:
    """The span's vetoes (一票否决) from the ranking's own rows, so the card and the table never
    disagree: the causes found in the span's sheets (a Beijing petition from a new problem not
    resolved in time, a collective petition with large impact) and, in a year, the last place.
    In ranking order, then in each village's order of vetoes."""
    found = []
    for row in rows:
        refs_of = list(row.veto_refs) + [()] * (len(row.vetoes) - len(row.veto_refs))
        for (cause, reason), refs in zip(row.vetoes, refs_of, strict=False):
            records = tuple(
                (f"{RECORD_LABELS.get(kind, kind)}#{pk}", url)
                for kind, pk in refs
                if (url := record_url(kind, pk))
            )
            found.append(VetoCause(row.village, cause, reason, records))
    return found


# --- Deadlines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HalfBoard:
    """One half-month's screening reports across the township (评分表 一.4)."""

    year: int
    month: int
    half: int
    due: date
    today: date
    total: int
    missing: list[Village] = field(default_factory=list)  # nothing submitted (or a draft)
    late: list[Village] = field(default_factory=list)
    incomplete: list[Village] = field(default_factory=list)  # unsigned or unsealed

    @property
    def label(self) -> str:
        return HalfStatus(self.year, self.month, self.half, self.due).label

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def passed(self) -> bool:
        return self.due < self.today

    @property
    def submitted(self) -> int:
        return self.total - len(self.missing)


@dataclass(frozen=True)
class CaseRow:
    case: AssignedCase
    tier: dict


@dataclass(frozen=True)
class DeadlineBoard:
    today: date
    current: HalfBoard
    previous: HalfBoard | None
    cases: dict[str, list[CaseRow]]

    @property
    def has_cases(self) -> bool:
        return any(self.cases.values())

    @property
    def case_tiers(self) -> list[tuple[dict, list[CaseRow]]]:
        """Worst first: seriously overdue, overdue, due within five working days."""
        return [
            (_tier(t), self.cases[t])
            for t in (AlertTier.SERIOUSLY_OVERDUE, AlertTier.OVERDUE, AlertTier.DUE_SOON)
        ]


def _tier(value) -> dict:
    """An alert tier as cases/_tier_badge.html shows it."""
    return {"value": value, "label": value.label, "badge": TIER_BADGE[value]}


def _half_board(key, villages: dict[int, Village], reports: dict, today: date, days) -> HalfBoard:
    year, month, half = key
    due = periods.report_due_date(year, month, half, days(year))
    # Only the villages that owe this half's report (set up before it began, not merged away).
    states = half_states(villages.values(), year, month, half, due, reports)
    board = HalfBoard(year, month, half, due, today, total=len(states))
    for pk, state in states.items():
        if state in ("missing", "draft"):
            board.missing.append(villages[pk])
        elif state == "late":
            board.late.append(villages[pk])
        elif state == "incomplete":
            board.incomplete.append(villages[pk])
    return board


def deadline_board(township_id: int, today: date, villages=None) -> DeadlineBoard:
    """Reports due on the rubric's due days (assessment.rubrics.report_days): the half being
    worked on and which villages have not submitted yet, and the last half whose due day has
    passed (missing, late, incomplete). Assigned cases still open by alert tier (cases.tiers).
    Three queries plus the calendar's and the rubric's."""
    villages = _villages(township_id) if villages is None else villages
    days = deadlines.days_for(township_id)  # the rubric's due days (assessment.rubrics)
    current = periods.half_of(today, days(today.year))
    passed = periods.halves_due(today - timedelta(days=45), today - timedelta(days=1), days)
    previous = passed[-1][:3] if passed else None
    keys = [k for k in (current, previous) if k]
    wanted = Q()
    for year, month, half in keys:
        wanted |= Q(year=year, month=month, half=half)
    reports = report_facts(
        DisputeReport.objects.filter(village__township_id=township_id).filter(wanted)
    )
    bounds = bounds_for(today)
    open_cases = (
        AssignedCase.objects.filter(
            village__township_id=township_id,
            village__is_active=True,
            concluded_date__isnull=True,
            due_date__lt=bounds.due_soon_before,
        )
        .select_related("village")
        .order_by("due_date", "pk")
    )
    cases: dict[str, list[CaseRow]] = {
        AlertTier.DUE_SOON: [],
        AlertTier.OVERDUE: [],
        AlertTier.SERIOUSLY_OVERDUE: [],
    }
    for case in open_cases:
        tier = tier_for_dates(case.due_date, case.concluded_date, bounds)
        if tier in cases:
            cases[tier].append(CaseRow(case, _tier(tier)))
    return DeadlineBoard(
        today=today,
        current=_half_board(current, villages, reports, today, days),
        previous=_half_board(previous, villages, reports, today, days) if previous else None,
        cases=cases,
    )


def pending_contests(township_id: int) -> list[Contest]:
    return list(
        Contest.objects.filter(village__township_id=township_id, state=ContestState.PENDING)
        .select_related("village", "filed_by")
        .order_by("filed_at", "pk")
    )


def running_recompute(township_id: int) -> Job | None:
    """A year recompute of the township still queued or running, to show its panel again."""
    return (
        Job.objects.filter(
            kind="recompute_year",
            township_id=township_id,
            state__in=[JobState.QUEUED, JobState.RUNNING],
        )
        .order_by("-created_at")
        .first()
    )


# The dashboard's ranking table (issue 14: 1,000 rows made a 726 KB page). A township of up to
# FULL_TABLE villages sees all of them. A larger one sees what a leader acts on: the first and
# the last TABLE_ENDS, and between them every vetoed and at-risk village, in ranking order; the
# whole ranking is one link away (assessment:ranking, which pages).
FULL_TABLE = 40
TABLE_ENDS = 10


@dataclass(frozen=True)
class TableRow:
    row: RankingRow
    skipped: int = 0  # ranked villages left out just before this row


def table_rows(rows: list[RankingRow], at_risk: list[AtRisk]) -> list[TableRow]:
    """The rows the dashboard's ranking table shows (see FULL_TABLE), each with how many
    ranked villages were left out before it."""
    if len(rows) <= FULL_TABLE:
        return [TableRow(r) for r in rows]
    risky = {a.village.pk for a in at_risk}
    shown, skipped = [], 0
    for i, r in enumerate(rows):
        if i < TABLE_ENDS or i >= len(rows) - TABLE_ENDS or r.vetoes or r.village.pk in risky:
            shown.append(TableRow(r, skipped))
            skipped = 0
        else:
            skipped += 1
    return shown


@dataclass(frozen=True)
class Dashboard:
    span: Span
    rows: list[RankingRow]
    table: list[TableRow]  # the rows the ranking table shows (table_rows)
    line: Decimal  # the risk line (rewards.services.risk_line)
    charts: dict
    at_risk: list[AtRisk]
    vetoes: list[VetoCause]
    deadlines: DeadlineBoard
    contests: list[Contest]

    @property
    def watch(self) -> Decimal:
        return self.line + WATCH_MARGIN

    ends = TABLE_ENDS

    @property
    def table_complete(self) -> bool:
        return len(self.table) == len(self.rows)


def dashboard(township_id: int, span: Span, today: date) -> Dashboard:
    """Everything the leaders' dashboard shows, for all villages, in a fixed number of queries."""
    villages = _villages(township_id)
    rows = ranking(township_id, span, villages)
    sheets = _sheet_rows(township_id, span.year)
    scored = [m for by_month in sheets.values() for m in by_month if m <= span.months[-1]]
    line = risk_line(township_id, span.year)
    through = max(scored, default=None)
    risky = at_risk(township_id, span.year, through, sheets, villages, line)
    return Dashboard(
        span=span,
        rows=rows,
        table=table_rows(rows, risky),
        line=line,
        charts=chart_data(township_id, span, rows, sheets, line),
        at_risk=risky,
        vetoes=veto_causes(rows),
        deadlines=deadline_board(township_id, today, villages),
        contests=pending_contests(township_id),
    )


# --- A village's page --------------------------------------------------------------------------

# What a line's record is, in the township's words (the kinds the collectors name).
RECORD_LABELS = {
    "petition": gettext_lazy("信访事件"),
    "reception": gettext_lazy("来访接待"),
    "baobao": gettext_lazy("包保登记"),
    "dispute": gettext_lazy("矛盾纠纷"),
    "report": gettext_lazy("排查报告"),
    "dossier": gettext_lazy("化解卷宗"),
    "case": gettext_lazy("交办件"),
    "backlog": gettext_lazy("信访积案"),
    "inspection": gettext_lazy("综治中心检查"),
    "special_person": gettext_lazy("重点人员"),
    "zero_report": gettext_lazy("零报告"),
    "group": gettext_lazy("领导小组"),
    "patrol": gettext_lazy("巡逻记录"),
    "meeting": gettext_lazy("村会议"),
    "attendance": gettext_lazy("镇综治会议"),
    "survey": gettext_lazy("满意度调查"),
    "adjustment": gettext_lazy("加减分事项"),
}


@dataclass(frozen=True)
class LineRow:
    line: ScoreLine
    links: list[tuple[str, str, int, str | None]]  # kind, its label, record id, page or None


@dataclass(frozen=True)
class MonthScore:
    month: int
    sheet: ScoreSheet | None
    state: str  # PeriodState value; "open" when the month has no period yet
    state_label: str
    hidden: bool  # not yet published, and the reader is the village's secretary
    lines: list[LineRow]
    lost: Decimal
    gained: Decimal
    url: str

    @property
    def sections(self) -> list:
        return self.sheet.sections if self.sheet else []


@dataclass(frozen=True)
class VillageYear:
    village: Village
    year: int
    months: list[MonthScore]  # the months that have a sheet, newest first
    sections: list[tuple[str, str, Decimal]]  # short title (a column head), full title, points
    trend: dict


def village_year(village: Village, year: int, *, user) -> VillageYear:
    """A village's year: each month's sheet with its lines down to the records (four queries).

    `user` sees only the months whose scores it may see (assessment.visibility: a secretary,
    once published or closed), as on assessment:village_scores.
    """
    visible = score_months_shown(user, village.township_id, year)
    lines = Prefetch("lines", queryset=ScoreLine.objects.order_by("position"))
    sheets = list(
        ScoreSheet.objects.filter(village=village, year=year)
        .prefetch_related(lines)
        .order_by("-month")
    )
    periods = {
        p.month: p for p in Period.objects.filter(township_id=village.township_id, year=year)
    }
    url = reverse("assessment:village_scores", args=[village.pk])
    months = []
    for sheet in sheets:
        period = periods.get(sheet.month)
        state = period.state if period else PeriodState.OPEN
        hidden = not month_shown(visible, year, sheet.month)
        shown = [] if hidden else list(sheet.lines.all())
        months.append(
            MonthScore(
                month=sheet.month,
                sheet=None if hidden else sheet,
                state=state,
                state_label=PeriodState(state).label,
                hidden=hidden,
                lines=[
                    LineRow(
                        line,
                        [
                            (k, str(RECORD_LABELS.get(k, k)), pk, record_url(k, pk))
                            for k, pk in line.refs
                        ],
                    )
                    for line in shown
                ],
                lost=sum((x.points for x in shown if x.points < 0), Decimal(0)),
                gained=sum((x.points for x in shown if x.points > 0), Decimal(0)),
                url=f"{url}?year={year}&month={sheet.month}",
            )
        )
    visible = sorted((m for m in months if not m.hidden), key=lambda m: m.month)
    first = visible[0].sheet.sections if visible else []
    heads = [(_short(title), title, _plain(points)) for _c, title, points, _s in first]
    trend = {
        "months": [_("%(m)d月") % {"m": m.month} for m in visible],
        "totals": [float(m.sheet.total) for m in visible],
        "threshold": float(risk_line(village.township_id, year)),
    }
    return VillageYear(village, year, months, heads, trend)


@dataclass(frozen=True)
class OpenItems:
    disputes: list[Dispute]
    cases: list[CaseRow]
    reports: PortalStatus  # the half being worked on, and this year's missing or late halves


def open_items(village: Village, today: date) -> OpenItems:
    """A village's open disputes, its open assigned cases with their alert tier, and the
    screening reports missing or late this year (petitions.selectors.portal_status)."""
    disputes = list(
        Dispute.objects.filter(village=village, status=DisputeStatus.OPEN).order_by(
            "found_date", "pk"
        )
    )
    bounds = bounds_for(today)
    cases = [
        CaseRow(c, _tier(tier_for_dates(c.due_date, c.concluded_date, bounds)))
        for c in AssignedCase.objects.filter(village=village, concluded_date__isnull=True).order_by(
            "due_date", "pk"
        )
    ]
    return OpenItems(disputes, cases, portal_status(village, today))
