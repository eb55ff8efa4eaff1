"""Who is reminded of what, on which day: plain functions over dates (issue: background work).

- Each village secretary, three days and one day before a report's due day (the 14th and the
  28th), while the village's report for that half is not in.
- Township staff and admins, for assigned cases entering "due soon" (预警), "overdue" (超时) and
  "seriously overdue" (严重超时): once per case and tier.
- Township admins, from the 1st of a month, while last month is not closed: once per month.
"""

from datetime import date, timedelta

REPORT_REMINDER_DAYS = (3, 1)
REPORT_DUE_DAYS = {1: 14, 2: 28}


def report_halves_to_remind(today: date) -> list[tuple[int, int, int, date, int]]:
    """(year, month, half, due date, days before) of the halves whose reminder falls today."""
    found = []
    for days in REPORT_REMINDER_DAYS:
        due = today + timedelta(days=days)
        for half, day in REPORT_DUE_DAYS.items():
            if due.day == day:
                found.append((due.year, due.month, half, due, days))
    return found


def month_to_close(today: date) -> tuple[int, int]:
    """The month admins are asked to close: the one before today's."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.year, last.month
