"""Reads about who answers for what, on a given day."""

from datetime import date

from django.db.models import Count

from . import rules
from .models import Responsibility
from .models import Township
from .models import Village


def responsibilities_on(village: Village, day: date):
    """Who answers for `village` on `day` (its own and its area's), by role, the earliest first:
    the village pages show these."""
    return (
        Responsibility.objects.active_on(day)
        .for_village(village)
        .select_related("person")
        .order_by("role", "start")
    )


def holders_on(village: Village, role: str, day: date) -> list:
    """The people holding `role` for `village` on `day` (a 片长 through the village's area)."""
    rows = (
        Responsibility.objects.active_on(day)
        .for_village(village)
        .filter(role=role)
        .select_related("person")
        .order_by("start", "pk")
    )
    return [row.person for row in rows]


def villages_answered_by(person, day: date) -> list[Village]:
    """Every village the person answers for on `day`, directly or through an area."""
    found: dict[int, Village] = {}
    for row in Responsibility.objects.active_on(day).filter(person=person).select_related("area"):
        for village in row.villages():
            found[village.pk] = village
    return sorted(found.values(), key=lambda v: v.pk)


def townships_with_counts():
    """Every township with its number of villages (`village_count`) and of users
    (`user_count`): what `manage.py list_townships` and the admin's township list show."""
    return Township.objects.annotate(
        village_count=Count("villages", distinct=True),
        user_count=Count("users", distinct=True),
    ).order_by("code")


def assessed_months(township_id: int, year: int) -> dict[int, frozenset[tuple[int, int]]]:
    """The months of the year each village of the township taking part in the assessment is
    scored for (villages.rules.assessed_in), one query: what quarterly and annual means expect,
    so that a village set up or merged away mid-year is not provisional for the other months."""
    rows = Village.objects.filter(township_id=township_id, is_active=True).values_list(
        "pk", "active_from", "active_until"
    )
    return {
        pk: frozenset((year, m) for m in range(1, 13) if rules.assessed_in(start, end, year, m))
        for pk, start, end in rows
    }
