"""The period an export covers: a month, a quarter or a year (docs/rubric.md "Periods")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.periods import MONTH
from core.periods import QUARTER
from core.periods import YEAR
from core.periods import Span

__all__ = ["MONTH", "QUARTER", "YEAR", "Span", "span_from"]


def span_from(year, month=None, quarter=None, period=None) -> Span:
    """A span from request or job parameters: `month`, else `quarter`, else the whole year
    (`period="year"`). Refuses out-of-range figures with a message."""

    def number(value, low, high, label):
        if value in (None, ""):
            return None
        try:
            figure = int(value)
        except (TypeError, ValueError):
            figure = None
        if figure is None or not low <= figure <= high:
            raise ValidationError(_("%(label)s不正确:%(value)s") % {"label": label, "value": value})
        return figure

    y = number(year, 2000, 2100, _("年度"))
    if y is None:
        raise ValidationError(_("请指定年度。"))
    if period == YEAR:
        return Span(y)
    m = number(month, 1, 12, _("月份"))
    if m:
        return Span(y, month=m)
    q = number(quarter, 1, 4, _("季度"))
    if q:
        return Span(y, quarter=q)
    return Span(y)
