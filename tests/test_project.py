"""Project-level guarantees: migrations complete, settings fail loudly, the demo loads twice."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_every_model_change_has_its_migration(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    base.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-production-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="kaohe.example.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_township_loads_twice_without_duplicates(db):
    from accounts.models import User
    from assessment.models import ScoreSheet
    from governance.models import Patrol
    from villages.models import Person
    from villages.models import Responsibility
    from villages.models import Village

    call_command("load_demo", stdout=StringIO())
    counts = (Village.objects.count(), Person.objects.count(), Responsibility.objects.count())
    records = (Patrol.objects.count(), ScoreSheet.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "已存在" in out.getvalue()
    assert records == (Patrol.objects.count(), ScoreSheet.objects.count())
    assert records[0] > 0 and records[1] > 0
    assert counts == (
        Village.objects.count(),
        Person.objects.count(),
        Responsibility.objects.count(),
    )
    # The demo district: 清河镇 (12 villages, one along the railway) and 石桥镇 (6, one).
    from villages.models import District

    assert counts[0] == 18
    assert Village.objects.filter(township__code="qinghe").count() == 12
    assert Village.objects.filter(along_railway=True).count() == 2
    assert set(User.objects.values_list("role", flat=True)) == {
        "admin",
        "staff",
        "leader",
        "secretary",
        "district_staff",
    }
    district = District.objects.get(code="qingjiang")
    assert set(district.townships.values_list("code", flat=True)) == {"qinghe", "shiqiao"}
    assert User.objects.get(username="district").district == district


@pytest.mark.django_db
def test_axes_locks_out_after_repeated_failures(client, settings):
    from accounts.models import User

    settings.AXES_ENABLED = True
    User.objects.create_user("victim", password="right-password-123", role="staff")
    for _ in range(5):
        client.post("/login/", {"username": "victim", "password": "wrong"})
    response = client.post("/login/", {"username": "victim", "password": "right-password-123"})
    assert response.status_code == 429
