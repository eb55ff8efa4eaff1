"""The named slots through which a lower layer calls a higher one (docs/layers.md).

A bottom or record app may not import the apps above it, yet some of its work needs them: a
saved record must be refused in a closed month and mark its month for recompute (assessment),
a calendar change must move the cases' due dates (cases). Each such call is a `Hook` declared
here, with the signature the caller relies on; the higher app fills it in its
`AppConfig.ready`. Calling a slot nobody filled raises `ImproperlyConfigured` naming it, and
`tests/core/test_hooks.py` checks that every slot is filled once Django is set up.

Plain Python: no Django model is imported here, so any app may import this module.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from typing import Any
from typing import Generic
from typing import ParamSpec
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

from core.periods import ReportDays

P = ParamSpec("P")
R = TypeVar("R")

SLOTS: list[Hook[..., Any]] = []


class Hook(Generic[P, R]):
    """One named slot: the owner (`filled_by`, the app expected to fill it) fills it once."""

    def __init__(self, name: str, filled_by: str) -> None:
        self.name = name
        self.filled_by = filled_by
        self._target: Callable[P, R] | None = None
        SLOTS.append(self)

    def __repr__(self) -> str:
        return f"<Hook {self.name} filled by {self.filled_by}>"

    @property
    def filled(self) -> bool:
        return self._target is not None

    def fill(self, target: Callable[P, R]) -> None:
        """Set the function the slot calls. Filling it again with the same function is a no-op
        (an AppConfig.ready run twice); with another one it is refused, so two apps never
        silently fight over one slot."""
        if self._target is not None and self._target is not target:
            raise ImproperlyConfigured(f"Hook {self.name} is already filled by {self._target!r}.")
        self._target = target

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._target is None:
            raise ImproperlyConfigured(
                f"Hook {self.name} is not filled: is {self.filled_by} in INSTALLED_APPS?"
            )
        return self._target(*args, **kwargs)


# --- assessment: periods, recompute, rubric, visibility ----------------------------------------

# assessment.periods.closed_months: the closed Periods among the months of `days`.
closed_months: Hook[[int, Iterable[date]], list[Any]] = Hook("closed_months", "assessment")

# assessment.periods.ensure_open: PeriodClosedError when a day lies in a closed month.
ensure_open: Hook[..., None] = Hook("ensure_open", "assessment")

# assessment.recompute.mark_stale: mark the village's months of `days` for recompute.
mark_stale: Hook[[int, Iterable[date]], None] = Hook("mark_stale", "assessment")

# assessment.recompute.mark_stale_many: the same for {village: days}, in one statement.
mark_stale_many: Hook[[Mapping[int, Iterable[date]]], None] = Hook("mark_stale_many", "assessment")

# assessment.recompute.pending_notice: the message when a save could not queue its recompute.
pending_notice: Hook[[], str] = Hook("pending_notice", "assessment")

# assessment.rubrics.first_assigned_year: the earliest year the township assigned a rubric to.
first_rubric_year: Hook[[int], int | None] = Hook("first_rubric_year", "assessment")

# assessment.rubrics.report_days_of: the report due days of (township id, year) pairs.
report_days_of: Hook[[Iterable[tuple[int, int]]], dict[tuple[int, int], ReportDays]] = Hook(
    "report_days_of", "assessment"
)

# assessment.costs.unsigned_report_cost_for: what an unsigned report costs (a Cost, or None).
unsigned_report_cost: Hook[[int, int], Any] = Hook("unsigned_report_cost", "assessment")

# assessment.visibility: the secretary portal's own scores, only of months it may see.
latest_sheet_shown: Hook[[Any, Any], Any] = Hook("latest_sheet_shown", "assessment")
contests_shown: Hook[[Any, Any], list[Any]] = Hook("contests_shown", "assessment")

# --- cases: due dates counted on the work calendar ---------------------------------------------

# cases.services.recompute_due_dates_touching(start, end, by=): after a calendar day changed.
due_dates_touching: Hook[..., Any] = Hook("due_dates_touching", "cases")

# cases.services.recompute_provisional_due_dates(by=): after a year's holidays were entered.
provisional_due_dates: Hook[..., Any] = Hook("provisional_due_dates", "cases")

# cases.services.provisional_years_for(user): years not entered that due dates were counted in.
provisional_years: Hook[[Any], list[int]] = Hook("provisional_years", "cases")
