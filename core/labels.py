"""Months and half-months as a reader of the active language says them.

2026年12月 / December 2026 (YEAR_MONTH_FORMAT), 2026年12月上半月 / First half of December 2026:
one translatable pattern instead of Chinese glued from numbers.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def year_month(year: int, month: int) -> str:
    """2026年12月, December 2026."""
    return date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def half_name(half: int) -> str:
    return _("上半月") if half == 1 else _("下半月")


def half_month(year: int, month: int, half: int) -> str:
    """2026年12月上半月, First half of December 2026."""
    # Translators: a half-month: month is "2026年12月" / "December 2026", half 上半月 / 下半月.
    return _("%(month)s%(half)s") % {"month": year_month(year, month), "half": half_name(half)}
