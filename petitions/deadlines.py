"""The screening-report deadlines of a township's year, as the petitions app reads them.

They are rubric data (docs/rubric.md "Deadlines"; `assessment.rubrics.report_days`), and assessment
sits a layer above petitions and imports it. So petitions does not import assessment: assessment
fills the `core.hooks.report_days_of` slot from `AssessmentConfig.ready`, and the models, the
portal and the forms call `report_days`. The date arithmetic itself is `core.periods`.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable

from core import hooks
from core.periods import ReportDays

Key = tuple[int, int]  # (township id, year)


def report_days_of(keys: Iterable[Key]) -> dict[Key, ReportDays]:
    """The deadlines of many (township id, year) pairs, read at once."""
    return hooks.report_days_of(keys)


def report_days(township_id: int, year: int) -> ReportDays:
    return report_days_of([(township_id, year)])[(township_id, year)]


def days_for(township_id: int) -> Callable[[int], ReportDays]:
    """`year -> ReportDays` for one township, each year read once (core.periods.halves_due)."""
    read: dict[int, ReportDays] = {}

    def of(year: int) -> ReportDays:
        if year not in read:
            read[year] = report_days(township_id, year)
        return read[year]

    return of
