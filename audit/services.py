"""Writing the audit log: `record(...)` is the one way a row is added; `prune` the one way rows
older than the retention period go. Callers pass what they know (a request gives the user and
the address); nothing here decides *whether* to audit: the callers are the doors."""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.utils import timezone

from .models import RETENTION_DAYS
from .models import AuditAction
from .models import AuditEvent


def client_address(request) -> str | None:
    """The address the login lockout (django-axes) attributes the request to: one rule for both."""
    if request is None:
        return None
    return get_client_ip_address(request) or None


def _label(model) -> str:
    return model._meta.label_lower if model is not None else ""


def record(
    action: str,
    *,
    request=None,
    user=None,
    username: str = "",
    obj=None,
    model=None,
    ids=None,
    object_repr: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one audit row. `user` defaults to the request's (when logged in); `obj` names one
    object, or `model` and `ids` the records read (a list page's rows), `object_repr` what
    cannot be named by a model (a file sent)."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if obj is not None:
        model = type(obj)
        ids = [obj.pk]
    return AuditEvent.objects.create(
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        township_id=getattr(user, "township_id", None),
        address=client_address(request),
        action=action,
        object_type=_label(model),
        object_ids=list(ids or []),
        object_repr=(str(obj) if obj is not None else object_repr)[:200],
        detail=str(detail)[:500],
    )


class RetentionError(ValueError):
    pass


def prune(*, older_than_days: int, now=None) -> int:
    """Delete the rows older than `older_than_days`, never fewer than RETENTION_DAYS."""
    if older_than_days < RETENTION_DAYS:
        raise RetentionError(
            f"audit rows are kept at least {RETENTION_DAYS} days; refusing {older_than_days}"
        )
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _by_model = AuditEvent.objects.filter(at__lt=cutoff)._prune()
    return deleted


def record_read(request, *, model, ids, door: str) -> AuditEvent:
    """A read of sensitive records (the special-person register): who, when, from where, which
    rows, through which door (page, api, admin) and at which address."""
    return record(
        AuditAction.SPECIAL_READ,
        request=request,
        model=model,
        ids=ids,
        detail=f"{door} {request.method} {request.get_full_path()}",
    )
