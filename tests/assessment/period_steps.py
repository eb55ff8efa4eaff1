"""Moving a test's month along the one table (assessment/periods.py) without waiting for it:
published the day after its end, closed once the contest window is long over."""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.utils import timezone

from assessment import services
from assessment.models import PeriodState


def day_after(year: int, month: int) -> date:
    return (date(year, month, 1) + timedelta(days=32)).replace(day=1)


def after_window(year: int, month: int) -> date:
    """A day well after the contest window of a month published the day after its end."""
    return day_after(year, month) + timedelta(days=30)


def publish_month(period, by, day: date | None = None):
    day = day or day_after(period.year, period.month)
    at = timezone.make_aware(datetime.combine(day, time(9)))
    return services.period_publish(period=period, by=by, today=day, at=at)


def close_month(period, by, reason: str = ""):
    if period.state == PeriodState.OPEN:
        publish_month(period, by)
    today = after_window(period.year, period.month)
    return services.period_close(period=period, by=by, reason=reason, today=today)
