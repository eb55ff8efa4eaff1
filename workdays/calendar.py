"""Working days on the township's calendar (docs/rubric.md "Deadlines").

A day is decided in this order:
  1. an admin's override (CalendarDay) for that date;
  2. chinese-calendar, when it covers the year (2004-2026 in version 1.11);
  3. Monday to Friday: final when an admin declared the year entered (CalendarYear),
     otherwise provisional (暂定), and the year is reported as missing.

Counting starts on the day AFTER the start date and the n-th working day itself is the result
(a case assigned on 2026-02-05 is due on 2026-03-11). chinese_calendar.find_workday is not used:
it counts one day late when the start day is a holiday.

A WorkCalendar caches overrides for a span of dates, so a count costs one query for the
overrides (plus one for the entered years, only when a year outside the library is touched),
never one per day. Pass one WorkCalendar to many calls to share that cost across a page.
"""

from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from functools import lru_cache

import chinese_calendar

from .models import CalendarDay
from .models import CalendarYear

# Days read ahead beyond a count's estimated span; a longer span loads the next chunk.
_MARGIN_DAYS = 31
# How far a calendar reads at once when a day falls outside what it has loaded.
_CHUNK_DAYS = 124


@lru_cache(maxsize=64)
def library_covers(year: int) -> bool:
    """Whether chinese-calendar has the holidays of `year` (it raises for any other year)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class WorkdayResult:
    date: date
    provisional: bool
    missing_years: tuple[int, ...]


@dataclass(frozen=True)
class TierBounds:
    """The dates that split due dates into alert tiers on a given day (see cases.tiers).

    due_soon_before: the 6th working day after today; a due date from today up to (not
    including) it is within five working days.
    seriously_before: the 10th working day counted back from today (today included); a due
    date before it lies ten or more working days in the past.
    """

    today: date
    due_soon_before: date
    seriously_before: date


class WorkCalendar:
    """Answers working-day questions, loading overrides span by span and caching them."""

    def __init__(self):
        self._overrides: dict[date, bool] = {}
        self._lo: date | None = None
        self._hi: date | None = None
        self._entered: frozenset[int] | None = None
        self.queries = 0

    # loading --------------------------------------------------------------------------
    def preload(self, start: date, end: date) -> "WorkCalendar":
        """Make sure overrides from `start` to `end` are loaded (at most one query)."""
        if start > end:
            start, end = end, start
        if self._lo is None:
            self._load(start, end)
            self._lo, self._hi = start, end
            return self
        # Grow by whole chunks, so a run of nearby counts does not query once per count.
        if start < self._lo:
            start = min(start, self._lo - timedelta(days=_CHUNK_DAYS))
            self._load(start, self._lo - timedelta(days=1))
            self._lo = start
        if end > self._hi:
            end = max(end, self._hi + timedelta(days=_CHUNK_DAYS))
            self._load(self._hi + timedelta(days=1), end)
            self._hi = end
        return self

    def _load(self, start: date, end: date) -> None:
        self.queries += 1
        rows = CalendarDay.objects.filter(date__range=(start, end)).values_list(
            "date", "is_workday"
        )
        self._overrides.update(rows)

    def _ensure(self, day: date, forward: bool = True) -> None:
        if self._lo is not None and self._lo <= day <= self._hi:
            return
        if forward:
            self.preload(day, day + timedelta(days=_CHUNK_DAYS))
        else:
            self.preload(day - timedelta(days=_CHUNK_DAYS), day)

    def entered_years(self) -> frozenset[int]:
        if self._entered is None:
            self.queries += 1
            self._entered = frozenset(CalendarYear.objects.values_list("year", flat=True))
        return self._entered

    def year_is_final(self, year: int) -> bool:
        """A year whose dates are not provisional: in the library or entered by an admin."""
        return library_covers(year) or year in self.entered_years()

    # questions ------------------------------------------------------------------------
    def is_workday(self, day: date, *, forward: bool = True) -> tuple[bool, bool]:
        """(is it a working day, is that answer provisional)."""
        self._ensure(day, forward)
        override = self._overrides.get(day)
        if override is not None:
            return override, False
        if library_covers(day.year):
            return chinese_calendar.is_workday(day), False
        return day.weekday() < 5, day.year not in self.entered_years()

    def add_working_days(self, start: date, n: int) -> WorkdayResult:
        """The n-th working day after `start` (n >= 1); `start` itself never counts."""
        if n < 1:
            raise ValueError("n must be at least 1")
        self.preload(start + timedelta(days=1), start + timedelta(days=n * 7 // 5 + _MARGIN_DAYS))
        day, counted, missing = start, 0, set()
        while counted < n:
            day += timedelta(days=1)
            working, provisional = self.is_workday(day)
            if provisional:
                missing.add(day.year)
            if working:
                counted += 1
        return WorkdayResult(day, bool(missing), tuple(sorted(missing)))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b`; negative when `b` is before `a`."""
        if b < a:
            return -self.working_days_between(b, a)
        self.preload(a + timedelta(days=1), b)
        count, day = 0, a
        while day < b:
            day += timedelta(days=1)
            count += self.is_workday(day)[0]
        return count

    def nth_working_day_back(self, day: date, n: int) -> date:
        """Walking back from `day` (included), the n-th working day met."""
        self.preload(day - timedelta(days=n * 7 // 5 + _MARGIN_DAYS), day)
        counted = 0
        while True:
            if self.is_workday(day, forward=False)[0]:
                counted += 1
                if counted == n:
                    return day
            day -= timedelta(days=1)

    def tier_bounds(self, today: date, *, soon: int = 5, serious: int = 10) -> TierBounds:
        self.preload(
            today - timedelta(days=serious * 7 // 5 + _MARGIN_DAYS),
            today + timedelta(days=(soon + 1) * 7 // 5 + _MARGIN_DAYS),
        )
        return TierBounds(
            today=today,
            due_soon_before=self.add_working_days(today, soon + 1).date,
            seriously_before=self.nth_working_day_back(today, serious),
        )

    def missing_years(self, start: date, end: date) -> tuple[int, ...]:
        """Years from `start` to `end` whose dates would be provisional."""
        return tuple(y for y in range(start.year, end.year + 1) if not self.year_is_final(y))


def is_workday(day: date, *, calendar: WorkCalendar | None = None) -> tuple[bool, bool]:
    """(is `day` a working day, is that answer provisional)."""
    return (calendar or WorkCalendar()).is_workday(day)


def add_working_days(start: date, n: int, *, calendar: WorkCalendar | None = None) -> WorkdayResult:
    """The due date n working days after `start`, counted from the next day (RUBRIC "Deadlines")."""
    return (calendar or WorkCalendar()).add_working_days(start, n)


def working_days_between(a: date, b: date, *, calendar: WorkCalendar | None = None) -> int:
    """Working days in (a, b]; negative when b is before a."""
    return (calendar or WorkCalendar()).working_days_between(a, b)


def tier_bounds(today: date, *, calendar: WorkCalendar | None = None) -> TierBounds:
    return (calendar or WorkCalendar()).tier_bounds(today)
