"""Reads for the calendar page: which years are covered, entered or missing, and the overrides."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .calendar import library_covers
from .models import CalendarDay, CalendarYear


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
