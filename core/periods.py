"""Calendar periods as plain data: months, quarters, half-months and their report deadlines
(issue 15: one home for the period arithmetic that was written in many places).

Django-free, so that the scoring core (assessment/scoring), the record apps and the jobs all
compute a date the same way from the same figures.

The twice-monthly screening report (评分表 一.4, docs/rubric.md "Deadlines") is due by the end of a
day of the month, one per half (14 and 28 in both shipped readings), plus grace days. Those
figures are rubric data an admin can edit: the `dispute_reports` item's params `due_days` and
`grace_days` of the year's rubric version. `ReportDays` carries them; the one place that reads
them from the database is `assessment.rubrics.report_days`, and nothing here holds a default.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

# --- Months and quarters -----------------------------------------------------------------------


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def month_ends_between(first: date, last: date) -> list[date]:
    """Every month's last day E with first <= E <= last, in order."""
    days, end = [], month_end(first.year, first.month)
    while end <= last:
        days.append(end)
        end = month_end(*next_month(end.year, end.month))
    return days


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def quarter_of(month: int) -> int:
    """The quarter (1-4) a month (1-12) lies in."""
    return (month - 1) // 3 + 1


def quarter_months(quarter: int) -> tuple[int, int, int]:
    """The three months of a quarter: (1, 2, 3) for the first."""
    first = 3 * (quarter - 1) + 1
    return first, first + 1, first + 2


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """A quarter's first and last day."""
    months = quarter_months(quarter)
    return date(year, months[0], 1), month_end(year, months[-1])


MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = (MONTH, QUARTER, YEAR)


@dataclass(frozen=True)
class Span:
    """A month, a quarter or a year of assessment (月考核、季兑现、年终综合考核): the one period
    type of the pages, the rankings and the exports. `Span(2026, month=4)`, `Span(2026,
    quarter=2)`, `Span(2026)`; `Span.of(kind, year, number)` from a page's kind and number."""

    year: int
    month: int | None = None
    quarter: int | None = None

    @classmethod
    def of(cls, kind: str, year: int, number: int = 0) -> Span:
        if kind == MONTH:
            return cls(year, month=number)
        if kind == QUARTER:
            return cls(year, quarter=number)
        return cls(year)

    @property
    def kind(self) -> str:
        if self.month:
            return MONTH
        return QUARTER if self.quarter else YEAR

    @property
    def number(self) -> int:
        """The month (1-12) or the quarter (1-4); 0 for a year."""
        return self.month or self.quarter or 0

    @property
    def months(self) -> tuple[int, ...]:
        if self.month:
            return (self.month,)
        if self.quarter:
            return quarter_months(self.quarter)
        return tuple(range(1, 13))

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        return month_end(self.year, self.months[-1])

    def previous(self) -> Span:
        """The span of the same kind just before (the one a ranking's change counts from)."""
        if self.kind == YEAR:
            return Span(self.year - 1)
        last = 12 if self.kind == MONTH else 4
        number = self.number - 1 if self.number > 1 else last
        return Span.of(self.kind, self.year if self.number > 1 else self.year - 1, number)

    @property
    def label(self) -> str:
        """The span in the township's words, as file names and 评分表 headings print it (the
        pages show the translated title, assessment.selectors.span_title)."""
        if self.month:
            return f"{self.year}年{self.month}月"
        if self.quarter:
            return f"{self.year}年第{self.quarter}季度"
        return f"{self.year}年度"

    @property
    def slug(self) -> str:
        if self.month:
            return f"{self.year}-{self.month:02d}"
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return f"{self.year}"

    def as_params(self) -> dict:
        return {"year": self.year, "month": self.month, "quarter": self.quarter}


# --- Half-months and their report deadlines --------------------------------------------------


@dataclass(frozen=True)
class ReportDays:
    """The report deadlines of a year: the day each half's report is due by, and grace days."""

    due_days: tuple[int, ...]
    grace_days: int = 0

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ReportDays:
        """From a `dispute_reports` item's params, as scoring reads them."""
        return cls(tuple(int(day) for day in params["due_days"]), int(params.get("grace_days", 0)))

    @property
    def halves(self) -> range:
        return range(1, len(self.due_days) + 1)

    def due_day(self, half: int) -> int:
        """The day of the month a half's report is due by (end of day), before grace days."""
        try:
            half = int(half)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"half must be 1 or 2, not {half!r}") from exc
        if half not in self.halves:
            raise ValueError(f"half must be 1 or 2, not {half!r}")
        return self.due_days[half - 1]


def report_due_date(year: int, month: int, half: int, days: ReportDays) -> date:
    """The last day a half's report counts as on time: its due day (the month's last day when
    the month is shorter), plus the grace days."""
    day = min(days.due_day(half), calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=days.grace_days)


def half_of(day: date, days: ReportDays) -> tuple[int, int, int]:
    """The (year, month, half) whose report the village is working towards on `day`: the first
    half of the month whose report still counts as on time, else next month's first half.

    With 14 and 28: days 1-14 belong to the first half, 15-28 to the second; the 29th to the
    31st already count towards the next month's first half.
    """
    for half in days.halves:
        if day <= report_due_date(day.year, day.month, half, days):
            return day.year, day.month, half
    return (*next_month(day.year, day.month), 1)


def halves_due(
    start: date, end: date, days_for: Callable[[int], ReportDays]
) -> list[tuple[int, int, int, date]]:
    """Every (year, month, half, due date) whose due date lies in [start, end], in order;
    `days_for(year)` gives each year's deadlines."""
    found = []
    # From the month before: grace days can carry its second half's due date into `start`'s.
    year, month = (start.year - 1, 12) if start.month == 1 else (start.year, start.month - 1)
    while date(year, month, 1) <= end:
        days = days_for(year)
        for half in days.halves:
            due = report_due_date(year, month, half, days)
            if start <= due <= end:
                found.append((year, month, half, due))
        year, month = next_month(year, month)
    return found


def holds_on(first: date | None, last: date | None, day: date) -> bool:
    """Whether a dated entry from `first` to `last` holds on `day`: both days included, no last
    day means it still holds, no first day means it never held (core/spans.py: the one
    convention of every register)."""
    return first is not None and first <= day and (last is None or day <= last)


def week_thursday(day: date) -> date:
    """The Thursday of `day`'s ISO week: the week belongs to that Thursday's month (评分表 四.4,
    ISO 8601), so a patrol on Monday 30 March 2026 counts in April."""
    return day + timedelta(days=3 - day.weekday())
