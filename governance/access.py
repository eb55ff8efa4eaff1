"""Access to township-level records (township meetings, sensitive periods), which have no village.

They are read by the township's admins, staff and leaders (kaohe.view_dashboard) and changed by
its admins and staff (kaohe.change_records, whose `in_users_township` reads `township_id`); a
secretary sees only its own village's attendance rows, never the township records themselves.
"""

from django.db.models import QuerySet
from django.http import Http404

TOWNSHIP_READ_PERM = "kaohe.view_dashboard"
# The names on the special-person register (PIPL sensitive information); leaders read counts.
SPECIAL_READ_PERM = "kaohe.view_special_persons"


def scope_township(queryset: QuerySet, user, path: str = "township") -> QuerySet:
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if not user.has_perm(TOWNSHIP_READ_PERM):
        return queryset.none()
    return queryset.filter(**{f"{path}_id": user.township_id})


def get_township_record(queryset: QuerySet, user, **lookup):
    """One township record the user may read, or 404."""
    found = scope_township(queryset, user).filter(**lookup).first()
    if found is None:
        raise Http404
    return found
