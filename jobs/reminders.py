"""Who is reminded of what, on which day: plain functions over dates (issue: background work).

- Each village secretary, three days and one day before a report's due day (the rubric's, 14th
  and 28th in the shipped readings), while the village's report for that half is not in.
- Township staff and admins, for assigned cases entering "due soon" (预警), "overdue" (超时) and
  "seriously overdue" (严重超时): once per case and tier.
- Township admins, from the 1st of a month, while last month is not closed: once per month.
"""

from collections.abc import Callable
from datetime import date
from datetime import timedelta

from core.periods import ReportDays
from core.periods import halves_due

REPORT_REMINDER_DAYS = (3, 1)


def report_halves_to_remind(
    today: date, days_for: Callable[[int], ReportDays]
) -> list[tuple[int, int, int, date, int]]:
    """(year, month, half, due date, days before) of the halves whose reminder falls today;
    `days_for(year)` gives the year's due days (the rubric's: assessment.rubrics.report_days)."""
    found = []
    for days in REPORT_REMINDER_DAYS:
        due = today + timedelta(days=days)
        found += [(y, m, h, d, days) for y, m, h, d in halves_due(due, due, days_for)]
    return found


def month_to_close(today: date) -> tuple[int, int]:
    """The month admins are asked to close: the one before today's."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.year, last.month
