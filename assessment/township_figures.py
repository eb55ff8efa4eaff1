"""A township's month as the district's dashboard shows it beside the others, stored once closed.

The district compares its townships month by month (issue 16): the spread of the villages'
scores, the petitions by level, the screening reports in on time and the assigned cases overdue.
Each figure is the township dashboard's own rule, read for many townships at once:

- scores: the month's stored sheets of the assessed villages (as the month's ranking reads
  them): their totals, sorted, and how many carry a veto;
- petitions: the month's petitions by level (petitions.selectors.levels_by_month, the township
  dashboard's chart);
- reports: the halves of the month whose due day has passed: how many villages owed a report
  (Village.owes_report), how many came in on time, late, or not at all
  (petitions.selectors.half_states, the township dashboard's deadline board);
- cases: the assigned cases open and past their due date at the month's end (today for the
  month still running), by alert tier (cases.tiers, the deadline board's tiers).

A fixed number of queries for any number of townships and months. When a month is closed
(services.period_close) its figures are stored as a TownshipMonthFigures row, and the district
pages read that row instead of the township's sheets, reports and cases; reopening the month
drops it. A row counts only while its month is closed at the very close it was stored at, so a
row left behind by an earlier close is never read. Storing is best effort: a close never fails
for it, and a closed month without its row is computed as an open one is.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal

from django.db import transaction
from django.db.models import BooleanField
from django.db.models import Case
from django.db.models import Count
from django.db.models import F
from django.db.models import Q
from django.db.models import Sum
from django.db.models import Value
from django.db.models import When

from cases.choices import AlertTier
from cases.models import AssignedCase
from cases.tiers import bounds_for
from cases.tiers import tier_for_dates
from core import periods
from petitions.models import DisputeReport
from petitions.selectors import ON_TIME
from petitions.selectors import half_states
from petitions.selectors import levels_by_month
from petitions.selectors import report_facts
from villages.models import Village
from workdays.calendar import WorkCalendar

from . import rubrics
from .models import Period
from .models import PeriodState
from .models import ScoreSheet
from .models import TownshipMonthFigures

log = logging.getLogger(__name__)

# The stored data's layout: a row of another layout is read as missing (computed again).
FORMAT = 1
SCORES, PETITIONS, REPORTS, CASES = "scores", "petitions", "reports", "cases"
PARTS = (SCORES, PETITIONS, REPORTS, CASES)

Key = tuple[int, int]  # (township id, month)
TWO_PLACES = Decimal("0.01")


def mean_of(total: Decimal, count: int) -> Decimal | None:
    """A mean score to two places, as the dashboards round one (None of no score)."""
    if not count:
        return None
    return (Decimal(total) / count).quantize(TWO_PLACES, ROUND_HALF_UP)


def score_figures(rows: Iterable[tuple[Decimal, bool]]) -> dict:
    """{"totals": the totals sorted, as text, "vetoed": how many are vetoed} of (total, vetoed)
    pairs: the stored sheets of a month, or a month scored under another version."""
    rows = list(rows)
    return {
        "totals": [str(total) for total in sorted(Decimal(t) for t, _v in rows)],
        "vetoed": sum(1 for _t, vetoed in rows if vetoed),
    }


def _pairs(months_of: Mapping[int, Iterable[int]], township: str, month: str) -> Q:
    """The (township, month) pairs asked for as one filter: townships that ask the same months
    (most do) share one clause."""
    by_months: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for township_id, months in months_of.items():
        months = tuple(sorted(set(months)))
        if months:
            by_months[months].append(township_id)
    found = Q(pk__in=[])
    for months, townships in by_months.items():
        found |= Q(**{f"{township}__in": townships, f"{month}__in": months})
    return found


def _scores(months_of, year: int) -> dict[Key, dict]:
    vetoed = Case(
        When(vetoes=[], then=Value(False)), default=Value(True), output_field=BooleanField()
    )
    rows = (
        ScoreSheet.objects.filter(_pairs(months_of, "village__township_id", "month"), year=year)
        .filter(village__is_active=True)
        .annotate(vetoed=vetoed)
        .values_list("village__township_id", "month", "total", "vetoed")
    )
    found: dict[Key, list] = defaultdict(list)
    for township_id, month, total, is_vetoed in rows:
        found[(township_id, month)].append((total, is_vetoed))
    return {
        (t, m): score_figures(found.get((t, m), ()))
        for t, months in months_of.items()
        for m in months
    }


def _petitions(months_of, year: int) -> dict[Key, dict]:
    wanted = {m for months in months_of.values() for m in months}
    counts = levels_by_month(list(months_of), year, wanted)
    return {
        (t, m): {level: by_month[m - 1] for level, by_month in counts[t].items()}
        for t, months in months_of.items()
        for m in months
    }


def _reports(months_of, year: int, today: date) -> dict[Key, dict]:
    villages: dict[int, list[Village]] = defaultdict(list)
    # What owes_report and HalfStatus read, and no more: a district holds thousands of each.
    assessed = Village.objects.filter(township_id__in=list(months_of), is_active=True)
    for village in assessed.only("township_id", "is_active", "active_from", "active_until"):
        villages[village.township_id].append(village)
    days = rubrics.report_days_of((t, year) for t in months_of)
    reports = report_facts(
        DisputeReport.objects.filter(
            _pairs(months_of, "village__township_id", "month"), year=year, village__is_active=True
        )
    )
    found = {}
    for t, months in months_of.items():
        for m in months:
            counts = {"owed": 0, "on_time": 0, "late": 0, "missing": 0}
            for half in days[(t, year)].halves:
                due = periods.report_due_date(year, m, half, days[(t, year)])
                if due >= today:  # not due yet: nobody is late for it
                    continue
                for state in half_states(villages[t], year, m, half, due, reports).values():
                    counts["owed"] += 1
                    if state in ON_TIME:
                        counts["on_time"] += 1
                    elif state == "late":
                        counts["late"] += 1
                    else:  # missing, or only a draft
                        counts["missing"] += 1
            found[(t, m)] = counts
    return found


def as_of(year: int, month: int, today: date) -> date:
    """The day a month's open cases are counted on: its last day, or today while it runs."""
    return min(periods.month_end(year, month), today)


def _cases(months_of, year: int, today: date) -> dict[Key, dict]:
    days = {m: as_of(year, m, today) for months in months_of.values() for m in months}
    if not days:
        return {}
    first, last = min(days.values()), max(days.values())
    rows = (
        AssignedCase.objects.filter(
            village__township_id__in=list(months_of),
            village__is_active=True,
            assigned_date__lte=last,
            due_date__lt=last,
        )
        .filter(Q(concluded_date__isnull=True) | Q(concluded_date__gt=first))
        .values_list("village__township_id", "assigned_date", "due_date", "concluded_date")
    )
    by_township: dict[int, list] = defaultdict(list)
    for township_id, *dates in rows:
        by_township[township_id].append(dates)
    calendar = WorkCalendar()  # one calendar for every month's bounds
    bounds = {m: bounds_for(day, calendar=calendar) for m, day in days.items()}
    found = {}
    for t, months in months_of.items():
        for m in months:
            day = days[m]
            counts = {"as_of": day.isoformat(), "overdue": 0, "seriously_overdue": 0}
            for assigned, due, concluded in by_township.get(t, ()):
                if assigned > day:
                    continue
                # Concluded after the day: still open on it.
                tier = tier_for_dates(
                    due, concluded if concluded and concluded <= day else None, bounds[m]
                )
                if tier == AlertTier.OVERDUE:
                    counts["overdue"] += 1
                elif tier == AlertTier.SERIOUSLY_OVERDUE:
                    counts["seriously_overdue"] += 1
            found[(t, m)] = counts
    return found


def compute(
    months_of: Mapping[int, Iterable[int]], year: int, today: date, parts=PARTS
) -> dict[Key, dict]:
    """The `parts` of the figures of each township's months ({township id: months}), computed
    from the records as they are now (`today`: what is due, and the running month's day)."""
    months_of = {t: sorted(set(months)) for t, months in months_of.items()}
    months_of = {t: months for t, months in months_of.items() if months}
    found: dict[Key, dict] = {(t, m): {"v": FORMAT} for t, ms in months_of.items() for m in ms}
    if not found:
        return found
    readers = {
        SCORES: lambda: _scores(months_of, year),
        PETITIONS: lambda: _petitions(months_of, year),
        REPORTS: lambda: _reports(months_of, year, today),
        CASES: lambda: _cases(months_of, year, today),
    }
    for part in parts:
        for key, value in readers[part]().items():
            found[key][part] = value
    return found


def stored(township_ids: Iterable[int], year: int, months: Iterable[int]) -> dict[Key, dict]:
    """The stored figures of the townships' closed months: only rows stored at the month's
    current close and in this layout (one query)."""
    rows = TownshipMonthFigures.objects.filter(
        period__township_id__in=list(township_ids),
        period__year=year,
        period__month__in=list(months),
        period__state=PeriodState.CLOSED,
        closed_at=F("period__closed_at"),
    ).values_list("period__township_id", "period__month", "data")
    return {(t, m): data for t, m, data in rows if data.get("v") == FORMAT}


def figures(
    township_ids: Iterable[int], year: int, months: Iterable[int], today: date, parts=PARTS
) -> tuple[dict[Key, dict], set[Key]]:
    """(the figures of every township's months, the (township, month) pairs read from a stored
    row): a closed month's row as it was stored, the others computed now."""
    township_ids, months = list(township_ids), list(months)
    found = stored(township_ids, year, months)
    frozen = set(found)
    rest = {t: [m for m in months if (t, m) not in found] for t in township_ids}
    found.update(compute(rest, year, today, parts))
    return found, frozen


def store(period: Period, today: date) -> None:
    """Store a month's figures as it closes (services.period_close). Best effort: the close
    goes on without them, and the district pages compute the month as an open one."""
    try:
        with transaction.atomic():
            data = compute({period.township_id: [period.month]}, period.year, today)
            TownshipMonthFigures.objects.update_or_create(
                period=period,
                defaults={
                    "closed_at": period.closed_at,
                    "data": data[(period.township_id, period.month)],
                },
            )
    except Exception:  # derived data: never the reason a month stays open
        log.exception("could not store the figures of township %s %s", period.township_id, period)


def drop(period: Period) -> None:
    """Forget a month's stored figures (services.period_reopen): its records may change again."""
    TownshipMonthFigures.objects.filter(period=period).delete()


def means(township_ids: Iterable[int], year: int, months: Iterable[int]) -> dict[Key, Decimal]:
    """Each township's mean month total over its assessed villages, by month (the district's
    trend): a closed month's from its stored totals, the others' from the sheets' sums (one
    query each). A month without a sheet is left out."""
    township_ids, months = list(township_ids), list(months)
    found = {}
    for key, data in stored(township_ids, year, months).items():
        totals = [Decimal(t) for t in data[SCORES]["totals"]]
        if totals:
            found[key] = mean_of(sum(totals, Decimal(0)), len(totals))
    rest = {t: [m for m in months if (t, m) not in found] for t in township_ids}
    rows = (
        ScoreSheet.objects.filter(_pairs(rest, "village__township_id", "month"), year=year)
        .filter(village__is_active=True)
        .order_by()
        .values_list("village__township_id", "month")
        .annotate(total=Sum("total"), n=Count("id"))
    )
    for township_id, month, total, n in rows:
        found[(township_id, month)] = mean_of(total, n)
    return found
