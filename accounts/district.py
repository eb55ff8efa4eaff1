"""The district's users read one township at a time, as the township's leader does.

A district user (区综治办 staff, district leader) belongs to a district, not to a township. On
each request the middleware gives the user, in memory only, the township being read: the one
last chosen (kept in the session), else the district's first. Every township page, scope and
rule then works as for a reader of that township, and changes nothing: the district roles hold
no right to enter, submit, manage or contest (accounts.rules). User.save never stores it. The
one thing a district user writes is the district's own 阳光信访 list: 区综治办 staff import it
(kaohe.import_district, exports.district_import), fanned out to the townships by village.

A superuser may choose a township the same way (else township_of's first one); other users
always read their own.
"""

from django.db.models import QuerySet

from villages.models import Township

from .models import DISTRICT_ROLES

SESSION_KEY = "viewed_township"


def chooses_township(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or user.is_district_user)


def read_as(user, township: Township) -> None:
    """Give the user, in memory, the township being read; User.save stores the one it had."""
    if not hasattr(user, "stored_township_id"):
        user.stored_township_id = user.township_id
    user.township = township  # sets township_id too


def townships_for(user) -> QuerySet:
    """The townships the user may read side by side (the district pages) or choose between."""
    if not user.is_authenticated or not user.is_active:
        return Township.objects.none()
    if user.is_superuser:
        return Township.objects.all()
    if user.role in DISTRICT_ROLES:
        if not user.district_id:
            return Township.objects.none()
        return Township.objects.filter(district_id=user.district_id)
    return (
        Township.objects.filter(pk=user.township_id)
        if user.township_id
        else Township.objects.none()
    )


def choose_township(request, township: Township) -> None:
    """Read `township` from now on (the caller has checked it is in townships_for)."""
    request.session[SESSION_KEY] = township.pk
    read_as(request.user, township)


class DistrictTownshipMiddleware:
    """After AuthenticationMiddleware: give a district user the township being read (its
    district's first until it chooses), a superuser the one it chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and chooses_township(user):
            allowed = townships_for(user)
            chosen = request.session.get(SESSION_KEY)
            township = allowed.filter(pk=chosen).first() if chosen else None
            if township is None and not user.is_superuser:
                township = allowed.order_by("name").first()
            if township is not None:
                read_as(user, township)
        return self.get_response(request)
