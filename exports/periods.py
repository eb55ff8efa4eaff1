"""The period an export covers: a month, a quarter or a year (RUBRIC.md "Periods")."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"


@dataclass(frozen=True)
class Span:
    year: int
    month: int | None = None
    quarter: int | None = None

    @property
    def kind(self) -> str:
        if self.month:
            return MONTH
        return QUARTER if self.quarter else YEAR

    @property
    def months(self) -> tuple[int, ...]:
        if self.month:
            return (self.month,)
        if self.quarter:
            first = 3 * (self.quarter - 1) + 1
            return (first, first + 1, first + 2)
        return tuple(range(1, 13))

    @property
    def label(self) -> str:
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
