"""Session rules of the 等保 2.0 identity requirements, for the HTML pages.

- IdleSessionMiddleware: a session ends after settings.SESSION_IDLE_TIMEOUT seconds without a
  request made by the user. Background requests (htmx polling and `load` triggers, which
  static/js/app.js marks with the X-Kaohe-Background header) do not count as activity, so a job
  page left open does not keep the session alive for ever.
- PasswordChangeRequiredMiddleware: a user whose password is an initial or reset one is sent to
  the password change page from every page until it is changed (settings.FORCE_PASSWORD_CHANGE).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from .api_auth import must_change_password

BACKGROUND_HEADER = "X-Kaohe-Background"
LAST_ACTIVITY = "last_activity"

# What a user who must change the password may still reach (besides static files, which
# whitenoise serves before any of this runs).
PASSWORD_CHANGE_OPEN = {"password_change", "logout", "set_language", "admin:logout"}


def is_background(request) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1"


def idle_expired(last_activity: float | None, now: float, timeout: int) -> bool:
    """Whether a session last used at `last_activity` (epoch seconds) has been idle too long."""
    return last_activity is not None and now - last_activity > timeout


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            if idle_expired(request.session.get(LAST_ACTIVITY), now, settings.SESSION_IDLE_TIMEOUT):
                logout(request)
                messages.info(request, _("长时间未操作,已自动退出,请重新登录。"))
                if request.headers.get("HX-Request"):
                    return _hx_redirect(settings.LOGIN_URL)
            elif not is_background(request):
                # Writing the session also renews its expiry (SESSION_COOKIE_AGE is the idle
                # timeout), so the database and the cookie forget an idle session by themselves.
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not must_change_password(request.user):
            return None
        if getattr(view_func, "cls", None) is not None and _is_api_view(view_func.cls):
            return None  # the API answers 403 itself (accounts.api_auth), for tokens too
        if request.resolver_match and request.resolver_match.view_name in PASSWORD_CHANGE_OPEN:
            return None
        if request.headers.get("HX-Request"):
            return _hx_redirect("password_change")
        return redirect("password_change")


def _hx_redirect(url_name: str) -> HttpResponse:
    """htmx follows HX-Redirect with a full page load instead of swapping a page into a panel."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = resolve_url(url_name)
    return response


def _is_api_view(cls) -> bool:
    return isinstance(cls, type) and issubclass(cls, APIView)
