"""One create per submission: a create form's hidden token and an API `Idempotency-Key` are
claimed in the transaction that saves the record, so a resubmission (Back then 保存, a retried
request, a double click) finds the first one's record instead of saving a second.

Claimed first, before the record is saved: a second, simultaneous submission then waits on the
unique key until the first commits, and finds it; a save that fails rolls its claim back with
it, so the same submission may be corrected and sent again.
"""

import hashlib
import json
import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .models import SubmissionToken

FORM = "form:"
API = "api:"
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
