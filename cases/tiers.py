"""The alert tier of an assigned case, computed from its due date and the work calendar.

预警: due within five working days; 超时: past its due date; 严重超时: ten or more working days
past its due date (counted on the work calendar, the due date itself not included). A concluded
case is "concluded", on time or not (AssignedCase.concluded_on_time). The tiers reduce to three
dates per day (workdays.calendar.TierBounds), so lists filter by tier in the database and a page
of cases costs the same few calendar queries as one case.
"""

from datetime import date

from django.db.models import Q

from workdays.calendar import TierBounds
from workdays.calendar import WorkCalendar

from .choices import DUE_SOON_WORKING_DAYS
from .choices import SERIOUSLY_OVERDUE_WORKING_DAYS
from .choices import AlertTier


def bounds_for(today: date, *, calendar: WorkCalendar | None = None) -> TierBounds:
    return (calendar or WorkCalendar()).tier_bounds(
        today, soon=DUE_SOON_WORKING_DAYS, serious=SERIOUSLY_OVERDUE_WORKING_DAYS
    )


def tier_for_dates(due_date: date, concluded_date: date | None, bounds: TierBounds) -> AlertTier:
    if concluded_date is not None:
        return AlertTier.CONCLUDED
    if due_date >= bounds.today:
        return AlertTier.DUE_SOON if due_date < bounds.due_soon_before else AlertTier.ON_TRACK
    if due_date < bounds.seriously_before:
        return AlertTier.SERIOUSLY_OVERDUE
    return AlertTier.OVERDUE


def alert_tier(
    case, today: date, *, bounds: TierBounds | None = None, calendar: WorkCalendar | None = None
) -> AlertTier:
    """on_track | due_soon | overdue | seriously_overdue | concluded, for `case` on `today`."""
    if bounds is None or bounds.today != today:
        bounds = bounds_for(today, calendar=calendar)
    return tier_for_dates(case.due_date, case.concluded_date, bounds)


def tier_q(tier: str, bounds: TierBounds) -> Q:
    """The cases of one tier on bounds.today, as a filter on AssignedCase."""
    open_ = Q(concluded_date__isnull=True)
    today = bounds.today
    if tier == AlertTier.CONCLUDED:
        return Q(concluded_date__isnull=False)
    if tier == AlertTier.ON_TRACK:
        return open_ & Q(due_date__gte=bounds.due_soon_before)
    if tier == AlertTier.DUE_SOON:
        return open_ & Q(due_date__gte=today, due_date__lt=bounds.due_soon_before)
    if tier == AlertTier.OVERDUE:
        return open_ & Q(due_date__lt=today, due_date__gte=bounds.seriously_before)
    if tier == AlertTier.SERIOUSLY_OVERDUE:
        return open_ & Q(due_date__lt=bounds.seriously_before)
    raise ValueError(f"unknown tier {tier!r}")


# The colour of each tier's badge (classes of static/css/app.css plus cases' own "severe").
TIER_BADGE = {
    AlertTier.ON_TRACK: "ok",
    AlertTier.DUE_SOON: "warn",
    AlertTier.OVERDUE: "bad",
    AlertTier.SERIOUSLY_OVERDUE: "bad severe",
    AlertTier.CONCLUDED: "muted",
}
