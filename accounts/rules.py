"""Object permissions (the `rules` package), auto-discovered at start-up.

Permission names:
  kaohe.view_village      read a village and everything recorded for it
  kaohe.change_records    create or change assessment records of a village
  kaohe.submit_report     submit the village's twice-monthly dispute report
  kaohe.manage_assessment rubric versions, periods, contests, settlements (admins)
  kaohe.view_dashboard    township-wide rankings and dashboards
  kaohe.file_contest      contest (申诉) a line of a village's sheet: its own secretary, or a
                          township admin on the village's behalf (never a leader or staff)
  kaohe.view_district     the district's pages: its townships side by side (district users of
                          that district, and superusers)
  kaohe.import_district   import the district's own 阳光信访 list, fanned out to its townships
                          by village (区综治办 staff of that district, and superusers; not the
                          district leader); the object is the district, a township or a village
  kaohe.view_special_persons  read the names on the special-person register (重点人员: PIPL
                          sensitive information): who keeps it (township records staff and
                          admins, the village's own secretary); leaders see counts only
"""

import rules

from villages.models import District
from villages.models import Township
from villages.models import Village

from .models import DISTRICT_ROLES
from .models import Role


def village_of(obj):
    """The village an object belongs to: itself, or its `village` attribute."""
    if obj is None:
        return None
    if isinstance(obj, Village):
        return obj
    return getattr(obj, "village", None)


@rules.predicate
def is_township_admin(user):
    return user.is_superuser or getattr(user, "role", None) == Role.ADMIN


@rules.predicate
def is_records_staff(user):
    return user.is_superuser or getattr(user, "role", None) in (Role.ADMIN, Role.STAFF)


@rules.predicate
def is_leader(user):
    return getattr(user, "role", None) == Role.LEADER


@rules.predicate
def is_district_reader(user):
    """区综治办 staff and district leaders: they read like a township's leader, in the township
    being read (accounts.district), and change no township record (区综治办 staff only import
    the district's own 阳光信访 list: kaohe.import_district)."""
    return getattr(user, "role", None) in DISTRICT_ROLES and not user.is_superuser


@rules.predicate
def in_users_district(user, obj):
    if obj is None:
        return True
    if user.is_superuser:
        return True
    district_id = getattr(user, "district_id", None)
    if district_id is None:
        return False
    if isinstance(obj, District):
        return obj.pk == district_id
    if isinstance(obj, Township):
        return obj.district_id == district_id
    return False


@rules.predicate
def is_district_staff(user):
    return getattr(user, "role", None) == Role.DISTRICT_STAFF and not user.is_superuser


@rules.predicate
def in_users_district_through_village(user, obj):
    """in_users_district, a village (or a record of one) judged by its township."""
    village = village_of(obj) if not isinstance(obj, (District, Township)) else None
    return in_users_district(user, village.township if village is not None else obj)


@rules.predicate
def is_secretary(user):
    return getattr(user, "role", None) == Role.SECRETARY and not user.is_superuser


@rules.predicate
def in_users_township(user, obj):
    """With no object, the question is about the kind; an object must lie in the township."""
    if obj is None:
        return True
    if user.is_superuser:
        return True
    village = village_of(obj)
    if isinstance(obj, Township):
        township_id = obj.pk
    elif village is not None:
        township_id = village.township_id
    else:
        township_id = getattr(obj, "township_id", None)
    return township_id is not None and township_id == getattr(user, "township_id", None)


@rules.predicate
def is_own_village(user, obj):
    village = village_of(obj)
    if obj is None:
        return True
    return village is not None and village.pk == getattr(user, "village_id", None)


readers = is_township_admin | is_records_staff | is_leader | is_district_reader
township_reader = readers & in_users_township

rules.add_perm("kaohe.view_village", township_reader | (is_secretary & is_own_village))
rules.add_perm("kaohe.change_records", is_records_staff & in_users_township)
rules.add_perm(
    "kaohe.submit_report",
    (is_records_staff & in_users_township) | (is_secretary & is_own_village),
)
rules.add_perm("kaohe.manage_assessment", is_township_admin & in_users_township)
# A contest is the village's own objection: a leader or staff member reading the sheet may not
# raise one; an admin may, on the village's behalf (the contest records who filed it).
rules.add_perm(
    "kaohe.file_contest",
    (is_secretary & is_own_village) | (is_township_admin & in_users_township),
)
# The village's own score page, in the secretary's menu (assessment:own_scores).
rules.add_perm("kaohe.view_own_scores", is_secretary)
# Leaders read the register as counts by village and category (governance:specialperson_counts).
rules.add_perm(
    "kaohe.view_special_persons",
    (is_records_staff & in_users_township) | (is_secretary & is_own_village),
)
rules.add_perm("kaohe.view_dashboard", readers & in_users_township)
rules.add_perm(
    "kaohe.view_district",
    rules.is_superuser | (is_district_reader & in_users_district),
)
# The 阳光信访 list is the district's own: its staff import it into the district's townships
# (exports.district_import); this is the district roles' one write, and the leader has none.
rules.add_perm(
    "kaohe.import_district",
    rules.is_superuser | (is_district_staff & in_users_district_through_village),
)
# A district's recompute (assessment.fanout) reaches every township of it: a superuser's.
rules.add_perm("kaohe.recompute_district", rules.is_superuser)
