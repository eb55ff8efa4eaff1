"""When a village is assessed: plain functions over its active-from and active-until dates.

A village is set up (新设, 合村并居 into a new one) or merged away (撤并) during a year. Its
`active_from` is the first day it is assessed (None: since the township began using kaohe), its
`active_until` the last day (None: still assessed). Both ends are inclusive.

Decisions for a month the village is active only in part:

- It is scored, ranked, flagged and settled for a month when it is active on the month's LAST
  day. A village set up on 20 November is scored for November; one merged away on 10 June (its
  last day) is scored for May, not for June: the village it was merged into answers for June.
- A half-month's screening report (the 14th, the 28th) is due only in a month the village is
  scored for, and only when the village was already active on the half's first day (the 1st,
  the 15th). The village set up on 20 November owes neither of November's reports; one set up
  on 10 November owes the second only.
"""

from __future__ import annotations

from datetime import date

from core.periods import month_end

HALF_FIRST_DAY = {1: 1, 2: 15}


def active_on(active_from: date | None, active_until: date | None, day: date) -> bool:
    """The village is assessed on `day` (both ends inclusive, None open)."""
    return (active_from is None or active_from <= day) and (
        active_until is None or day <= active_until
    )


def assessed_in(active_from: date | None, active_until: date | None, year: int, month: int) -> bool:
    """The village is scored for the month: active on its last day."""
    return active_on(active_from, active_until, month_end(year, month))


def owes_report(
    active_from: date | None, active_until: date | None, year: int, month: int, half: int
) -> bool:
    """The half-month's screening report is due: the month is assessed and the village was
    active on the half's first day (the 1st or the 15th)."""
    if not assessed_in(active_from, active_until, year, month):
        return False
    return active_from is None or active_from <= date(year, month, HALF_FIRST_DAY[half])


def months_changed(
    old: tuple[date | None, date | None],
    new: tuple[date | None, date | None],
    start: date,
    end: date,
) -> list[tuple[int, int]]:
    """The months of [start, end] whose being assessed differs between two (from, until) spans:
    the months to rebuild when an admin changes a village's dates."""
    found = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        if assessed_in(*old, year, month) != assessed_in(*new, year, month):
            found.append((year, month))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return found
