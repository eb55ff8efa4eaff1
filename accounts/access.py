"""The one access gate: who may see and change what, used by views, admin, API and exports.

Object permissions are `rules` predicates (registered in accounts/rules.py); list views narrow
their querysets with `scope()`. A record belongs to a village through a field path
(`village`, or e.g. `report__village`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from villages.models import Township
from villages.models import Village

from .models import DISTRICT_ROLES
from .models import Role


def visible_villages(user) -> QuerySet:
    if not user.is_authenticated or not user.is_active:
        return Village.objects.none()
    if user.is_superuser:
        return Village.objects.all()
    if user.role == Role.SECRETARY:
        return Village.objects.filter(pk=user.village_id)
    if user.role in DISTRICT_ROLES and not user.township_id:
        return _district_part(Village.objects.all(), user, "")
    return Village.objects.filter(township_id=user.township_id)


def _district_part(queryset: QuerySet, user, prefix: str) -> QuerySet:
    """A district user's reach when no township is being read (an API token's request): every
    township of the district, or nothing for a user without one."""
    if not user.district_id:
        return queryset.none()
    return queryset.filter(**{f"{prefix}township__district_id": user.district_id})


def scope(queryset: QuerySet, user, village_path: str = "village") -> QuerySet:
    """The part of `queryset` this user may see."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role == Role.SECRETARY:
        return queryset.filter(**{f"{village_path}_id": user.village_id})
    if user.role in DISTRICT_ROLES and not user.township_id:
        return _district_part(queryset, user, f"{village_path}__")
    return queryset.filter(**{f"{village_path}__township_id": user.township_id})


def get_for_user(queryset: QuerySet, user, village_path: str = "village", **lookup):
    """Fetch one object the user may see, or answer 404 (never reveal another village's data)."""
    try:
        return scope(queryset, user, village_path).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def township_of(user) -> Township:
    """The township whose pages the user reads: their own, or for a district user the one being
    read (accounts.district); a superuser, who has none, reads the first one (404 while there is
    none, and for a district user whose district has none)."""
    if user.township_id:
        return user.township
    if user.role in DISTRICT_ROLES and not user.is_superuser:
        raise Http404
    township = Township.objects.order_by("pk").first()
    if township is None:
        raise Http404
    return township


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied
