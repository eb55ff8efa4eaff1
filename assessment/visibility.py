"""Which months' scores a user may see: the one rule every door asks (issue 13).

A village user (the secretary) sees a month's scores only once the township has published it
(公示) or closed it; an open month, or one never acted on (no Period row), shows nothing of its
scores: no sheet, no line, no point on a chart, no row of an export or of the API, and no
notification about it. Township roles (admin, staff, leader) see every month.

`score_months_shown` is the rule; the helpers below only apply its answer.
"""

from __future__ import annotations

from django.db.models import Q

from .models import Contest
from .models import Period
from .models import PeriodState
from .models import ScoreSheet

SHOWN_TO_VILLAGES = (PeriodState.PUBLISHED, PeriodState.CLOSED)

# The answer for a user who sees every month.
ALL = None


def score_months_shown(user, township_id: int, year: int | None = None):
    """The (year, month) pairs of the township whose scores `user` may see, as a frozenset, or
    ALL (None) for a user who sees every month. `year` narrows the pairs to one year."""
    if not getattr(user, "is_secretary", False):
        return ALL
    periods = Period.objects.filter(township_id=township_id, state__in=SHOWN_TO_VILLAGES)
    if year is not None:
        periods = periods.filter(year=year)
    return frozenset(periods.values_list("year", "month"))


def month_shown(shown, year: int, month: int) -> bool:
    return shown is ALL or (year, month) in shown


def months_q(shown, year_field: str = "year", month_field: str = "month") -> Q | None:
    """A filter keeping only the shown months (None: nothing to filter); an empty answer keeps
    nothing."""
    if shown is ALL:
        return None
    by_year: dict[int, list[int]] = {}
    for year, month in shown:
        by_year.setdefault(year, []).append(month)
    q = Q(pk__in=[])
    for year, months in by_year.items():
        q |= Q(**{year_field: year, f"{month_field}__in": sorted(months)})
    return q


def only_shown(queryset, user, township_id: int, **fields):
    """`queryset` (of rows with a year and a month) narrowed to the months `user` may see."""
    q = months_q(score_months_shown(user, township_id), **fields)
    return queryset if q is None else queryset.filter(q)


def latest_sheet_shown(user, village):
    """The newest score sheet of the village whose month `user` may see, or None."""
    sheets = only_shown(ScoreSheet.objects.filter(village=village), user, village.township_id)
    return sheets.order_by("-year", "-month").first()


def contests_shown(user, village, limit: int = 10) -> list:
    """The village's latest contests (with their decision) of months `user` may see."""
    rows = only_shown(
        Contest.objects.filter(village=village).select_related("decided_by"),
        user,
        village.township_id,
    )
    return list(rows.order_by("-filed_at", "-pk")[:limit])
