"""Reads of cases: the facts scoring needs, as plain rows for all villages of a township.

Each selector costs a fixed number of queries whatever the number of villages (one, or two
where resolvers are attached). Ranges are inclusive on both ends. docs/rubric.md "Evidence":
  rejected_reviews            评分表 一.3, on the day of the rejection;
  cases_not_concluded_by_due  评分表 三.1, once, in the month of the due date;
  backlog_relapses            评分表 三.3 (and the 3,000 fine per resolver after resolution);
  backlog_resolutions         五 加减分 +5 (and the 2,000 award per resolver), on the day.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import F
from django.db.models import Q
from django.utils import timezone

from workdays.calendar import WorkCalendar

from .choices import ReviewDecision
from .models import AssignedCase
from .models import BacklogCase
from .models import BacklogRelapse
from .models import CaseReview
from .rules import relapsed_after_resolution


def _township_id(township) -> int:
    return getattr(township, "pk", township)


@dataclass(frozen=True)
class RejectedReviewRow:
    village_id: int
    case_id: int
    review_id: int
    review_date: date


@dataclass(frozen=True)
class OverdueCaseRow:
    village_id: int
    case_id: int
    due_date: date
    concluded_date: date | None
    due_provisional: bool


@dataclass(frozen=True)
class RelapseRow:
    village_id: int
    case_id: int
    relapse_id: int
    date: date
    resolved_date: date | None
    resolver_ids: tuple[int, ...]

    after_resolution = property(relapsed_after_resolution)


@dataclass(frozen=True)
class ResolutionRow:
    village_id: int
    case_id: int
    resolved_date: date
    resolver_ids: tuple[int, ...]


def rejected_reviews(township, start: date, end: date) -> list[RejectedReviewRow]:
    """Results rejected as improperly handled, on their review day (one query)."""
    rows = (
        CaseReview.objects.filter(
            case__village__township_id=_township_id(township),
            decision=ReviewDecision.REJECTED_IMPROPER,
            review_date__range=(start, end),
        )
        .order_by("case__village_id", "review_date", "pk")
        .values_list("case__village_id", "case_id", "pk", "review_date")
    )
    return [RejectedReviewRow(*row) for row in rows]


def cases_not_concluded_by_due(
    township, start: date, end: date, *, as_of: date | None = None
) -> list[OverdueCaseRow]:
    """Cases due in the range and not concluded by their due date (one query).

    A case still open counts only once its due date has passed on `as_of` (default today); one
    concluded after its due date counts too. It counts in the month of the due date only.
    """
    as_of = as_of or timezone.localdate()
    rows = (
        AssignedCase.objects.filter(
            village__township_id=_township_id(township), due_date__range=(start, end)
        )
        .filter(
            Q(concluded_date__isnull=True, due_date__lt=as_of) | Q(concluded_date__gt=F("due_date"))
        )
        .order_by("village_id", "due_date", "pk")
        .values_list("village_id", "pk", "due_date", "concluded_date", "due_provisional")
    )
    return [OverdueCaseRow(*row) for row in rows]


def _resolvers(case_ids) -> dict[int, tuple[int, ...]]:
    through = BacklogCase.resolvers.through
    found = defaultdict(list)
    rows = (
        through.objects.filter(backlogcase_id__in=case_ids)
        .order_by("backlogcase_id", "person_id")
        .values_list("backlogcase_id", "person_id")
    )
    for case_id, person_id in rows:
        found[case_id].append(person_id)
    return {k: tuple(v) for k, v in found.items()}


def backlog_relapses(township, start: date, end: date) -> list[RelapseRow]:
    """Relapses dated in the range, with the case's resolution and resolvers (two queries)."""
    rows = list(
        BacklogRelapse.objects.filter(
            case__village__township_id=_township_id(township), date__range=(start, end)
        )
        .order_by("case__village_id", "date", "pk")
        .values_list("case__village_id", "case_id", "pk", "date", "case__resolved_date")
    )
    resolvers = _resolvers({row[1] for row in rows}) if rows else {}
    return [RelapseRow(*row, resolver_ids=resolvers.get(row[1], ())) for row in rows]


def backlog_resolutions(township, start: date, end: date) -> list[ResolutionRow]:
    """Backlog cases resolved in the range, with their resolvers (two queries)."""
    rows = list(
        BacklogCase.objects.filter(
            village__township_id=_township_id(township), resolved_date__range=(start, end)
        )
        .order_by("village_id", "resolved_date", "pk")
        .values_list("village_id", "pk", "resolved_date")
    )
    resolvers = _resolvers({row[1] for row in rows}) if rows else {}
    return [ResolutionRow(*row, resolver_ids=resolvers.get(row[1], ())) for row in rows]


# pages ------------------------------------------------------------------------------------
def provisional_years(cases=None) -> list[int]:
    """Years not yet entered that provisional due dates were counted in (for the banner)."""
    qs = AssignedCase.objects.all() if cases is None else cases
    spans = qs.filter(due_provisional=True).values_list("assigned_date", "due_date")
    calendar = WorkCalendar()
    years: set[int] = set()
    for assigned, due in spans:
        years.update(calendar.missing_years(assigned, due))
    return sorted(years)
