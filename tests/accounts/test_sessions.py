"""Sessions and tokens (等保 2.0): initial passwords are changed at the first login, an idle
session ends after SESSION_IDLE_TIMEOUT, a password change or a deactivation revokes the API
tokens and every other session."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.admin import ResetPasswordForm
from accounts.middleware import BACKGROUND_HEADER
from sampledata.township import DEMO_PASSWORD
from sampledata.township import load_demo_township

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "Qinghe-2026x"
CHANGE = "/account/password/"


def change_password(client, old):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )


def token_client(user):
    token = Token.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def demo_admin(db):
    from accounts.models import User

    load_demo_township()
    return User.objects.get(username="admin")


# -- initial passwords -------------------------------------------------------------------------


@pytest.mark.parametrize(("debug", "expected"), [("false", "True"), ("true", "False")])
def test_forced_change_is_on_in_production_settings_and_off_in_debug(debug, expected):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "FORCE_PASSWORD_CHANGE")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG=debug, SECRET_KEY="x" * 50)
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.FORCE_PASSWORD_CHANGE)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == expected, result.stderr


def test_the_demo_loader_marks_its_users(demo_admin):
    from accounts.models import User

    assert User.objects.filter(must_change_password=False).count() == 0
    assert demo_admin.check_password(DEMO_PASSWORD)


def test_a_demo_user_must_change_the_password_at_first_login(client, demo_admin, settings):
    settings.FORCE_PASSWORD_CHANGE = True
    response = client.post("/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    for url in ("/", "/dashboard/", "/villages/", "/jobs/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == CHANGE, url
    htmx = client.get("/jobs/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == CHANGE
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert "初始密码" in page.content.decode()
    api = client.get("/api/villages/")
    assert api.status_code == 403
    assert api.json()["code"] == "password_change_required"

    response = change_password(client, DEMO_PASSWORD)
    assert response.status_code == 302
    demo_admin.refresh_from_db()
    assert demo_admin.must_change_password is False
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/api/villages/").status_code == 200


def test_a_token_of_a_user_who_must_change_the_password_is_refused(demo_admin, settings):
    settings.FORCE_PASSWORD_CHANGE = True
    response = token_client(demo_admin).get("/api/villages/")
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"


def test_in_debug_the_demo_user_works_with_the_demo_password(client, demo_admin, settings):
    settings.FORCE_PASSWORD_CHANGE = False
    client.post("/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert client.get("/dashboard/").status_code == 200


def test_a_password_an_admin_resets_must_be_changed(staff_user):
    token = Token.objects.create(user=staff_user)
    form = ResetPasswordForm(
        staff_user,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert form.is_valid(), form.errors
    form.save()
    staff_user.refresh_from_db()
    assert staff_user.must_change_password is True
    assert not Token.objects.filter(key=token.key).exists()


def test_a_user_an_admin_creates_must_change_the_password(client_for, admin_user, township):
    from accounts.models import User

    admin_user.is_superuser = admin_user.is_staff = True
    admin_user.save()
    response = client_for(admin_user).post(
        "/admin/accounts/user/add/",
        {
            "username": "newclerk",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "role": "staff",
            "township": township.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="newclerk").must_change_password is True


# -- idle timeout ------------------------------------------------------------------------------


def test_a_session_expires_after_thirty_idle_minutes(client_for, staff_user, settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(staff_user)
        assert client.get("/dashboard/").status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get("/dashboard/").status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get("/dashboard/").status_code == 200  # 29 minutes since the last request
        clock.shift(timedelta(minutes=31))
        response = client.get("/dashboard/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_background_polling_does_not_keep_a_session_alive(client_for, staff_user):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(staff_user)
        assert client.get("/dashboard/").status_code == 200
        for _ in range(3):  # a jobs page polling every ten minutes
            clock.shift(timedelta(minutes=10))
            client.get("/jobs/", headers={BACKGROUND_HEADER: "1"})
        clock.shift(timedelta(minutes=5))
        response = client.get("/dashboard/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


# -- tokens and other sessions -----------------------------------------------------------------


def test_a_password_change_revokes_the_tokens_and_the_other_sessions(client_for, staff_user):
    api = token_client(staff_user)
    assert api.get("/api/villages/").status_code == 200
    other = Client()
    other.force_login(staff_user)
    assert other.get("/dashboard/").status_code == 200

    client = client_for(staff_user)
    assert change_password(client, "pw").status_code == 302

    assert api.get("/api/villages/").status_code == 401
    assert not Token.objects.filter(user=staff_user).exists()
    assert other.get("/dashboard/").status_code == 302  # the other session is logged out
    assert client.get("/dashboard/").status_code == 200  # this one is kept


def test_deactivation_revokes_the_tokens(staff_user):
    Token.objects.create(user=staff_user)
    staff_user.is_active = False
    staff_user.save()
    assert not Token.objects.filter(user=staff_user).exists()
