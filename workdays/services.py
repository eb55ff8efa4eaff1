"""Writes to the work calendar; each one recomputes the due dates it may move.

docs/rubric.md "Deadlines": until an admin enters a year the library does not cover, its dates are
provisional; entering the year recomputes every provisional date. Changing one day recomputes
the cases whose count runs over that day. Never a silent guess: the caller gets back which
cases moved and which could not (their month is closed) and shows it.

The due dates are the cases' (a layer above): this module never imports cases, it calls the
`core.hooks.due_dates_touching` and `provisional_due_dates` slots that cases fills.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require
from core import hooks
from core.records import attribute

from .calendar import library_covers
from .models import CalendarDay
from .models import CalendarYear

MANAGE = "kaohe.manage_assessment"


@dataclass
class CalendarChange:
    """What a calendar write did: the row, and the due dates recomputed because of it."""

    row: object
    recomputed: object  # cases.services.RecomputeResult


@transaction.atomic
def set_override(*, day: date, is_workday: bool, note: str = "", by) -> CalendarChange:
    """Make `day` a working day or a day off, whatever the library or the weekday say."""
    require(by, MANAGE)
    row = CalendarDay.objects.filter(date=day).first() or CalendarDay(date=day)
    row.is_workday = is_workday
    row.note = note.strip()
    row.full_clean()
    attribute(row, by, _("工作日历调整"))
    row.save()
    return CalendarChange(row, hooks.due_dates_touching(day, day, by=by))


@transaction.atomic
def delete_override(*, day: date, by, reason: str = "") -> CalendarChange:
    require(by, MANAGE)
    row = CalendarDay.objects.filter(date=day).first()
    if row is None:
        raise ValidationError(_("%(day)s 没有调整记录。") % {"day": f"{day:%Y-%m-%d}"})
    attribute(row, by, reason or _("删除工作日历调整"))
    row.delete()
    return CalendarChange(row, hooks.due_dates_touching(day, day, by=by))


@transaction.atomic
def enter_year(*, year: int, by, note: str = "") -> CalendarChange:
    """Declare `year`'s holidays and make-up days entered; provisional due dates are recomputed.

    Enter the year's overrides (holidays, make-up working days) first: from now on the year is
    counted Monday to Friday plus those overrides, and no longer marked provisional.
    """
    require(by, MANAGE)
    if library_covers(year):
        raise ValidationError(
            {"year": _("%(year)s年的节假日已由内置法定节假日数据提供,无需录入。") % {"year": year}}
        )
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s年已确认录入。") % {"year": year}})
    row = CalendarYear(year=year, entered_by=by, entered_at=timezone.now(), note=note.strip())
    row.full_clean()
    attribute(row, by, _("确认录入全年节假日"))
    row.save()
    return CalendarChange(row, hooks.provisional_due_dates(by=by))


@transaction.atomic
def withdraw_year(*, year: int, by, reason: str) -> CalendarChange:
    """Undo a declaration made too early: the year's dates become provisional again."""
    require(by, MANAGE)
    row = CalendarYear.objects.filter(year=year).first()
    if row is None:
        raise ValidationError(_("%(year)s年尚未确认录入。") % {"year": year})
    attribute(row, by, reason)
    row.delete()
    recomputed = hooks.due_dates_touching(date(year, 1, 1), date(year, 12, 31), by=by)
    return CalendarChange(row, recomputed)
