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

from .models import Role


def visible_villages(user) -> QuerySet:
    if not user.is_authenticated or not user.is_active:
        return Village.objects.none()
    if user.is_superuser:
        return Village.objects.all()
    if user.role == Role.SECRETARY:
        return Village.objects.filter(pk=user.village_id)
    return Village.objects.filter(township_id=user.township_id)


def scope(queryset: QuerySet, user, village_path: str = "village") -> QuerySet:
    """The part of `queryset` this user may see."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role == Role.SECRETARY:
        return queryset.filter(**{f"{village_path}_id": user.village_id})
    return queryset.filter(**{f"{village_path}__township_id": user.township_id})


def get_for_user(queryset: QuerySet, user, village_path: str = "village", **lookup):
    """Fetch one object the user may see, or answer 404 (never reveal another village's data)."""
    try:
        return scope(queryset, user, village_path).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def township_of(user) -> Township:
    """The township whose pages the user reads: their own; a superuser, who has none, reads the
    first one (404 while there is none)."""
    if user.township_id:
        return user.township
    township = Township.objects.order_by("pk").first()
    if township is None:
        raise Http404
    return township


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied
