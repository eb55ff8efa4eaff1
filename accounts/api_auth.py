"""API authentication that refuses a user who must first change an initial or reset password:
403 with the code `password_change_required`, for a token as for a session (the HTML pages are
redirected by accounts.middleware.PasswordChangeRequiredMiddleware instead)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular import authentication as spectacular_auth
from rest_framework import authentication
from rest_framework.exceptions import PermissionDenied

PASSWORD_CHANGE_REQUIRED = "password_change_required"


def must_change_password(user) -> bool:
    """Whether the user may do nothing but change the password (the one rule, for pages and API)."""
    return bool(
        settings.FORCE_PASSWORD_CHANGE
        and user is not None
        and user.is_authenticated
        and getattr(user, "must_change_password", False)
    )


class PasswordChangeRequired(PermissionDenied):
    default_code = PASSWORD_CHANGE_REQUIRED

    def __init__(self):
        super().__init__(
            detail={
                "detail": _("请先登录网页修改初始密码,然后再使用接口。"),
                "code": PASSWORD_CHANGE_REQUIRED,
            }
        )


class _RefuseUntilPasswordChanged:
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and must_change_password(result[0]):
            raise PasswordChangeRequired()
        return result


class SessionAuthentication(_RefuseUntilPasswordChanged, authentication.SessionAuthentication):
    pass


class TokenAuthentication(_RefuseUntilPasswordChanged, authentication.TokenAuthentication):
    pass


class SessionScheme(spectacular_auth.SessionScheme):
    """The OpenAPI schema's cookieAuth for the subclass (drf-spectacular matches this one only
    by its exact class; its token scheme matches subclasses already)."""

    target_class = SessionAuthentication
