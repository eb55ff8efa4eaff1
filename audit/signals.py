"""The account doors of the audit log: login, logout, failed login (Django's auth signals), and
what is done to a user (created, password changed, role or permissions changed, deactivated),
whatever path does it (the admin, the password page, a command), by comparing the stored row
with the one being saved. The actor of an account change is the user of the current request,
when there is one (simple-history's HistoryRequestMiddleware keeps it for the thread).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.signals import user_logged_out
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import m2m_changed
from django.db.models.signals import post_save
from django.db.models.signals import pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from .models import AuditAction
from .services import record

# The fields of a user that say what it may do: a change to one is a permission change.
ACCESS_FIELDS = ("role", "township_id", "village_id", "is_staff", "is_superuser")


def _current_request():
    return getattr(HistoricalRecords.context, "request", None)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(AuditAction.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    record(AuditAction.LOGIN_FAILED, request=request, username=username)


def _actor(user):
    """(request, actor): the request's user when logged in, else the user changed itself."""
    request = _current_request()
    actor = getattr(request, "user", None) if request is not None else None
    if actor is None or not actor.is_authenticated:
        actor = None
    return request, actor


def _user_saved_changes(instance) -> list[tuple[str, str]]:
    """What this save changes, as (action, detail), read before the row is written."""
    if instance._state.adding or instance.pk is None:
        return []
    stored = type(instance)._base_manager.filter(pk=instance.pk).values(*ACCESS_FIELDS, "is_active")
    stored = stored.first()
    if stored is None:
        return []
    found = []
    # set_password() keeps the raw password until the save; a hash upgraded at login does not.
    if getattr(instance, "_password", None) is not None:
        found.append((AuditAction.PASSWORD_CHANGE, ""))
    changed = [
        f"{name}: {stored[name]} → {getattr(instance, name)}"
        for name in ACCESS_FIELDS
        if stored[name] != getattr(instance, name)
    ]
    if changed:
        found.append((AuditAction.PERMISSION_CHANGE, "; ".join(changed)))
    if stored["is_active"] and not instance.is_active:
        found.append((AuditAction.USER_DEACTIVATED, ""))
    return found


def _pre_save_user(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._audit_changes = _user_saved_changes(instance)


def _post_save_user(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    request, actor = _actor(instance)
    if created:
        detail = f"role: {getattr(instance, 'role', '')}"
        record(AuditAction.USER_CREATED, request=request, user=actor, obj=instance, detail=detail)
    for action, detail in getattr(instance, "_audit_changes", []):
        record(action, request=request, user=actor or instance, obj=instance, detail=detail)
    instance._audit_changes = []


def _groups_or_permissions_changed(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not isinstance(instance, get_user_model()):
        return
    request, actor = _actor(instance)
    what = "groups" if sender is get_user_model().groups.through else "user_permissions"
    detail = f"{what} {action.removeprefix('post_')}: {sorted(pk_set or [])}"
    record(AuditAction.PERMISSION_CHANGE, request=request, user=actor, obj=instance, detail=detail)


def connect():
    User = get_user_model()
    pre_save.connect(_pre_save_user, sender=User, dispatch_uid="audit_pre_save_user")
    post_save.connect(_post_save_user, sender=User, dispatch_uid="audit_post_save_user")
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(
            _groups_or_permissions_changed, sender=through, dispatch_uid=f"audit_{through}"
        )


connect()
