"""Reads and guards about periods that record services call before writing."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Period, PeriodState


class PeriodClosedError(ValidationError):
    """A write into a closed month; the API answers it with 409."""


def closed_months(township_id: int, days) -> list[Period]:
    months = {(d.year, d.month) for d in days if d is not None}
    if not months:
        return []
    closed = Period.objects.filter(township_id=township_id, state=PeriodState.CLOSED)
    return [
        p for p in closed.filter(year__in={y for y, _ in months}) if (p.year, p.month) in months
    ]


def ensure_open(township_id: int, *days: date) -> None:
    """Refuse a change that touches a closed month, naming the month (RUBRIC.md "Periods")."""
    closed = closed_months(township_id, days)
    if closed:
        names = "、".join(str(p) for p in closed)
        raise PeriodClosedError(
            _("%(period)s 的考核已关闭,该月记录不能修改;如需修改请先由管理员重新开启该月。")
            % {"period": names},
            code="period_closed",
        )
