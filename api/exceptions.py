"""Every API error as JSON with the field at fault.

- a Django ValidationError (a model's full_clean, a service) becomes 400 with DRF's error shape:
  `{"field": ["message"], "non_field_errors": [...]}`;
- a write into a closed month (assessment.periods.PeriodClosedError) becomes 409, its message
  naming the month, `{"detail": "2026年4月 的考核已关闭...", "code": "period_closed"}`;
- deleting a record other records still point at (ProtectedError) becomes 409 too;
- a write from a stale read (core.records.RecordConflict) becomes 412 when the version came in
  `If-Match`, 409 when it came as `version` in the body: `{"detail", "code": "edit_conflict",
  "expected_version", "current_version", "changes": [{"field", "label", "value", "text"}],
  "changed_by": [username]}`, with the record's current `ETag`;
- everything else is DRF's default (401, 403, 404, 405 ... as `{"detail": ...}`).
"""

import json

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from assessment.periods import PeriodClosedError
from core.records import RecordConflict

PERIOD_CLOSED = "period_closed"
PROTECTED = "protected"


def etag_for(instance, version: int | None = None) -> str:
    """A strong tag naming the record and its version: it changes with every save."""
    version = instance.version if version is None else version
    return f'"{instance._meta.label_lower}.{instance.pk}.v{version}"'


def _plain(value):
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return value.pk  # a related record, as the API writes it
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def conflict_response(conflict: RecordConflict, *, status_code=status.HTTP_412_PRECONDITION_FAILED):
    body = {
        "detail": " ".join(conflict.messages),
        "code": conflict.code,
        "expected_version": conflict.expected,
        "current_version": conflict.current,
        "changes": [
            {"field": c.field, "label": c.label, "value": _plain(c.value), "text": c.text}
            for c in conflict.changes
        ],
        "changed_by": [user.username for user in conflict.users],
    }
    response = Response(body, status=status_code)
    if conflict.current is not None:
        response["ETag"] = etag_for(conflict.instance, conflict.current)
    return response


class StaleWrite(Exception):
    """A RecordConflict met by a write whose version came in the body (409), not If-Match."""

    def __init__(self, conflict: RecordConflict, status_code: int):
        super().__init__(str(conflict))
        self.conflict, self.status_code = conflict, status_code


def validation_error(exc: DjangoValidationError) -> ValidationError:
    """A Django ValidationError as DRF's, keyed by field; `__all__` as non_field_errors."""
    detail = as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return ValidationError(detail)


def exception_handler(exc, context):
    if isinstance(exc, StaleWrite):
        return conflict_response(exc.conflict, status_code=exc.status_code)
    if isinstance(exc, RecordConflict):
        return conflict_response(exc)
    if isinstance(exc, PeriodClosedError):
        return Response(
            {"detail": " ".join(exc.messages), "code": PERIOD_CLOSED},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ProtectedError):
        return Response(
            {"detail": _("该记录被其他记录引用,不能删除。"), "code": PROTECTED},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = validation_error(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response
