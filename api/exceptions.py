"""Every API error as JSON with the field at fault.

- a Django ValidationError (a model's full_clean, a service) becomes 400 with DRF's error shape:
  `{"field": ["message"], "non_field_errors": [...]}`;
- a write into a closed month (assessment.periods.PeriodClosedError) becomes 409, its message
  naming the month, `{"detail": "2026年4月 的考核已关闭...", "code": "period_closed"}`;
- deleting a record other records still point at (ProtectedError) becomes 409 too;
- everything else is DRF's default (401, 403, 404, 405 ... as `{"detail": ...}`).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from assessment.periods import PeriodClosedError

PERIOD_CLOSED = "period_closed"
PROTECTED = "protected"


def validation_error(exc: DjangoValidationError) -> ValidationError:
    """A Django ValidationError as DRF's, keyed by field; `__all__` as non_field_errors."""
    detail = as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return ValidationError(detail)


def exception_handler(exc, context):
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
