"""Reads for the calendar page: which years are covered, entered or missing, and the overrides."""

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

import chinese_calendar
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from core.periods import month_end

from .calendar import WorkCalendar
from .calendar import library_covers
from .models import CalendarDay
from .models import CalendarYear


@dataclass(frozen=True)
class YearStatus:
    year: int
    source: str  # "library" | "entered" | "missing"
    overrides: int
    entered_by: str = ""
    entered_at: datetime | None = None

    @property
    def is_missing(self) -> bool:
        return self.source == "missing"


def year_statuses(years) -> list[YearStatus]:
    """The status of each year asked about, and of every year holding overrides (two queries)."""
    counts = dict(
        CalendarDay.objects.annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(n=Count("pk"))
        .values_list("y", "n")
    )
    entered = {row.year: row for row in CalendarYear.objects.select_related("entered_by")}
    out = []
    for year in sorted(set(years) | set(counts) | set(entered)):
        row = entered.get(year)
        if library_covers(year):
            source = "library"
        elif row is not None:
            source = "entered"
        else:
            source = "missing"
        out.append(
            YearStatus(
                year=year,
                source=source,
                overrides=counts.get(year, 0),
                entered_by=str(row.entered_by or "") if row else "",
                entered_at=row.entered_at if row else None,
            )
        )
    return out


def overrides_in_year(year: int):
    return CalendarDay.objects.filter(date__year=year).order_by("date")


# --- The month grid ---------------------------------------------------------------------------

HOLIDAY_NAMES = {
    "New Year's Day": _("元旦"),
    "Spring Festival": _("春节"),
    "Tomb-sweeping Day": _("清明节"),
    "Labour Day": _("劳动节"),
    "Dragon Boat Festival": _("端午节"),
    "National Day": _("国庆节"),
    "Mid-autumn Festival": _("中秋节"),
    "Anti-Fascist 70th Day": _("抗战胜利纪念日"),
}

# What a day of the grid is (its CSS class and legend entry).
WORKDAY, WEEKEND, HOLIDAY, MAKEUP = "workday", "weekend", "holiday", "makeup"
KIND_LABELS = {
    WORKDAY: _("工作日"),
    WEEKEND: _("周末"),
    HOLIDAY: _("法定节假日"),
    MAKEUP: _("调休上班"),
}


def day_kind(day: date, is_workday: bool) -> str:
    """A working Saturday or Sunday is a make-up working day (调休上班); a weekday off, or a
    weekend day the library lists inside a holiday, is a holiday; else workday or weekend."""
    weekend = day.weekday() >= 5
    if is_workday:
        return MAKEUP if weekend else WORKDAY
    if not weekend or holiday_name(day):
        return HOLIDAY
    return WEEKEND


def holiday_name(day: date) -> str:
    """The statutory holiday `day` belongs to, from chinese-calendar ("" outside it or a year
    it does not cover)."""
    if not library_covers(day.year):
        return ""
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    if not on_holiday or not name:
        return ""
    return str(HOLIDAY_NAMES.get(name, name))


@dataclass(frozen=True)
class GridDay:
    date: date
    in_month: bool
    kind: str
    holiday: str = ""  # the holiday's name (a make-up day names the holiday it makes up for)
    override: CalendarDay | None = None  # an admin's override of this day
    provisional: bool = False  # counted Monday to Friday in a year not entered yet

    @property
    def label(self) -> str:
        if self.kind == HOLIDAY and not self.holiday:
            return str(_("休息日"))  # a weekday off by an override, not a statutory holiday
        return str(KIND_LABELS[self.kind])


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: list[list[GridDay]]

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=31)).replace(day=1)

    def days(self) -> list[GridDay]:
        return [d for week in self.weeks for d in week if d.in_month]


def month_grid(year: int, month: int) -> MonthGrid:
    """The month as weeks of Monday to Sunday (the days of the neighbouring months that fill
    the first and last week included, marked), each day with its kind on the work calendar,
    its holiday and any override. Two queries (overrides, and the entered years when needed)."""
    first = date(year, month, 1)
    last = month_end(year, month)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    work = WorkCalendar().preload(start, end)
    overrides = {d.date: d for d in CalendarDay.objects.filter(date__range=(start, end))}
    weeks, day = [], start
    while day <= end:
        week = []
        for _weekday in range(7):
            is_workday, provisional = work.is_workday(day)
            _on, name = (
                chinese_calendar.get_holiday_detail(day) if library_covers(day.year) else (0, "")
            )
            week.append(
                GridDay(
                    date=day,
                    in_month=day.month == month,
                    kind=day_kind(day, is_workday),
                    holiday=str(HOLIDAY_NAMES.get(name, name)) if name else "",
                    override=overrides.get(day),
                    provisional=provisional,
                )
            )
            day += timedelta(days=1)
        weeks.append(week)
    return MonthGrid(year, month, weeks)
