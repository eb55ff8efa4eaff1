"""One create per submission: a create form's hidden token and an API `Idempotency-Key` are
claimed in the transaction that saves the record, so a resubmission (Back then 保存, a retried
request, a double click) finds the first one's record instead of saving a second.

Claimed first, before the record is saved: a second, simultaneous submission then waits on the
unique key until the first commits, and finds it; a save that fails rolls its claim back with
it, so the same submission may be corrected and sent again.

A browser may also send a second create with a fresh token: Chromium answers Back by fetching
the form again (a new token) and putting the typed values back. So a create form also leaves the
fingerprint of what was entered; the same user entering the identical record of the same kind
again within DUPLICATE_WINDOW is shown the first one and asked to confirm (`find_duplicate`).
Tokens are kept KEEP_DAYS and then pruned (`prune`, daily).
"""

import hashlib
import json
import secrets
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError
from django.db import models
from django.db import transaction
from django.utils import timezone

from .models import SubmissionToken

FORM = "form:"
API = "api:"
DUPLICATE_WINDOW = timedelta(minutes=30)
KEEP_DAYS = 30
MAX_KEY_LENGTH = SubmissionToken._meta.get_field("key").max_length - max(len(FORM), len(API))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def digest(*parts) -> str:
    """A fingerprint of a request (method, path, body) to tell a replay from a different one."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def claim(user, key: str, *, request_digest: str = "") -> SubmissionToken | None:
    """Mark `key` used by `user`, inside the caller's transaction. Returns None when this is its
    first use, else the earlier use (with its record and, for the API, its response)."""
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(user=user, key=key, request_digest=request_digest)
    except IntegrityError:
        return SubmissionToken.objects.select_related("content_type").get(user=user, key=key)
    return None


def remember(user, key: str, record, *, status: int | None = None, body=None) -> None:
    """Attach the created record (and the response given) to the claimed key."""
    SubmissionToken.objects.filter(user=user, key=key).update(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        response_status=status,
        response_body=body,
    )


def _plain(value):
    """A cleaned form value as plain data for a fingerprint: rows by key, files by name."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet):
        return sorted(value.values_list("pk", flat=True))
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted((_plain(v) for v in value), key=str)
    if hasattr(value, "read") and hasattr(value, "name"):  # an uploaded file
        return ["file", value.name, getattr(value, "size", None)]
    return value


def entry_digest(model, values: dict) -> str:
    """The fingerprint of a create form's entry: the record's kind and every value entered."""
    return digest(model._meta.label, {k: _plain(v) for k, v in sorted(values.items())})


def find_duplicate(user, fingerprint: str, *, now=None):
    """The record this user created with the identical entry within DUPLICATE_WINDOW and that
    still exists, or None."""
    since = (now or timezone.now()) - DUPLICATE_WINDOW
    earlier = (
        SubmissionToken.objects.filter(
            user=user,
            key__startswith=FORM,
            request_digest=fingerprint,
            created__gte=since,
            object_id__isnull=False,
        )
        .select_related("content_type")
        .order_by("-created")
    )
    for token in earlier[:5]:
        if (record := token.record) is not None:
            return record
    return None


def prune(*, now=None) -> int:
    """Delete tokens older than KEEP_DAYS: a resubmission comes within minutes, an API retry
    within hours; a month later the key protects nothing."""
    before = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    deleted, _ = SubmissionToken.objects.filter(created__lt=before).delete()
    return deleted
