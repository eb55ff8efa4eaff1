"""The read-replica router (core/routers.py) with a second alias.

config/settings_test.py configures `replica` as a test mirror of default: the same test
database behind a second connection, so whatever reaches that connection is what would reach
a real replica. The tests are transactional: inside a test's transaction every read is on
default by the router's own rule (reads inside a transaction see the primary), and a second
connection would not see the uncommitted rows anyway.
"""

import json
import os
import re
import subprocess
import sys
from contextlib import ExitStack
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db import router
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from accounts.models import User
from core.routers import ReplicaRouter
from core.routers import reads_replica
from tests.dashboard.test_queries import YEAR
from tests.dashboard.test_queries import populate
from villages.models import Area
from villages.models import Village

ROUTED = ["core.routers.ReplicaRouter"]
both = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


@contextmanager
def query_log():
    """Every query of either connection, in the order run: [(alias, sql)]."""
    log = []

    def on(alias):
        def wrapper(execute, sql, params, many, context):
            log.append((alias, sql))
            return execute(sql, params, many, context)

        return wrapper

    with ExitStack() as stack:
        for alias in ("default", "replica"):
            stack.enter_context(connections[alias].execute_wrapper(on(alias)))
        yield log


def tables(log, alias) -> set[str]:
    return {t for a, sql in log if a == alias for t in re.findall(r'FROM "(\w+)"', sql)}


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ROUTED


@pytest.fixture
def leader(client_for, cast, area):
    populate(area, 0, 3, cast["staff"])
    return client_for(cast["leader"])


def get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response


@both
def test_a_dashboard_reads_from_the_replica(routed, leader):
    with query_log() as log:
        get(leader, reverse("dashboard:index"), {"year": YEAR, "month": 1})
    replica = [sql for alias, sql in log if alias == "replica"]
    assert replica, "the dashboard read nothing from the replica"
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in replica)
    assert {"assessment_scoresheet", "villages_village", "petitions_petition"} <= tables(
        log, "replica"
    )
    # On default: the session and the user, read before the view switched, and the session's
    # renewed expiry written after it (accounts.middleware.IdleSessionMiddleware).
    assert tables(log, "default") <= {"django_session", "accounts_user"}
    assert "django_session" not in tables(log, "replica")


@both
def test_reads_after_a_write_go_to_default(routed, leader):
    """A year's first read stores its scores (assessment.stored_periods): from that write on,
    the page reads from default, where what it stored is."""
    with query_log() as log:
        get(leader, reverse("dashboard:index"), {"year": YEAR, "kind": "year"})
    first_write = next(i for i, (alias, sql) in enumerate(log) if WRITE.match(sql))
    assert "assessment_periodscore" in log[first_write][1]
    assert log[first_write][0] == "default"
    before, after = log[:first_write], log[first_write:]
    assert any(alias == "replica" for alias, _ in before)
    assert [sql for alias, sql in after if alias == "replica"] == []
    assert any("assessment_scoresheet" in sql for alias, sql in after if alias == "default")


def _view_log(view):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with query_log() as log:
        view(request)
    return log


@both
def test_a_write_and_a_transaction_send_reads_to_default(routed, area):
    seen = {}

    def step(name, run):
        with query_log() as log:
            run()
        seen[name] = {alias for alias, _ in log}

    def read_in_a_transaction():
        with transaction.atomic():
            list(Village.objects.all())

    @reads_replica
    def view(request):
        step("read", lambda: list(Village.objects.all()))
        step("read in a transaction", read_in_a_transaction)
        step("read again", lambda: list(Area.objects.all()))
        step("write", lambda: Area.objects.create(township=area.township, name="新片"))
        step("read after the write", lambda: list(Village.objects.all()))
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    view(request)
    assert seen == {
        "read": {"replica"},
        "read in a transaction": {"default"},
        "read again": {"replica"},
        "write": {"default"},
        "read after the write": {"default"},
    }


@both
def test_only_a_marked_view_reads_from_the_replica(routed, area):
    def plain(request):
        list(Village.objects.all())
        return HttpResponse()

    assert {alias for alias, _ in _view_log(plain)} == {"default"}
    assert {alias for alias, _ in _view_log(reads_replica(plain))} == {"replica"}
    # The request is over: the next read is on default again.
    with query_log() as log:
        list(Village.objects.all())
    assert {alias for alias, _ in log} == {"default"}


@both
def test_the_user_is_loaded_from_default_before_the_switch(routed, cast):
    """A login just written may not be on the replica yet: the lazy request.user is loaded
    before the view's reads move, even when nothing before the view touched it."""

    @reads_replica
    def view(request):
        assert request.user.username == "leader"
        list(Village.objects.all())
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(lambda: User.objects.get(pk=cast["leader"].pk))
    with query_log() as log:
        view(request)
    assert "accounts_user" in tables(log, "default")
    assert "accounts_user" not in tables(log, "replica")
    assert "villages_village" in tables(log, "replica")


@both
def test_without_a_router_nothing_reaches_the_replica(leader):
    assert router.routers == []
    with query_log() as log:
        get(leader, reverse("dashboard:index"), {"year": YEAR, "month": 1})
    assert log
    assert {alias for alias, _ in log} == {"default"}


PAGES = [
    ("dashboard:index", {"year": YEAR, "month": 1}),
    ("dashboard:index", {"year": YEAR, "kind": "quarter", "quarter": 1}),
    ("dashboard:index", {"year": YEAR, "kind": "year"}),
]


@both
def test_a_page_on_the_replica_answers_as_without_it(settings, leader, village_a):
    pages = [(reverse(name), params) for name, params in PAGES]
    pages.append((reverse("dashboard:village", args=[village_a.pk]), {"year": YEAR}))
    settings.DATABASE_ROUTERS = ROUTED
    with query_log() as log:
        routed = [get(leader, url, params).content.decode() for url, params in pages]
    assert {alias for alias, _ in log} == {"default", "replica"}
    settings.DATABASE_ROUTERS = []
    plain = [get(leader, url, params).content.decode() for url, params in pages]
    for url_params, one, other in zip(pages, routed, plain, strict=True):
        assert "甲村" in one, url_params
        assert CSRF.sub("", one) == CSRF.sub("", other), url_params


def test_migrations_run_on_default_only():
    replica = ReplicaRouter()
    assert replica.allow_migrate("default", "assessment", "scoresheet") is True
    assert replica.allow_migrate("replica", "assessment", "scoresheet") is False


def _settings_with(env: dict) -> dict:
    """config/settings.py's databases and routers under the given environment (a fresh
    interpreter: the settings module reads the environment once)."""
    code = (
        "import json, config.settings as s;"
        "print(json.dumps({'aliases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS,"
        " 'replica': s.DATABASES.get('replica', {}).get('NAME')}))"
    )
    base = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    return json.loads(done.stdout)


def test_the_replica_is_configured_from_the_environment():
    assert _settings_with({}) == {"aliases": ["default"], "routers": [], "replica": None}
    assert _settings_with({"DATABASE_REPLICA_URL": "postgres://kaohe@standby:5432/kaohe"}) == {
        "aliases": ["default", "replica"],
        "routers": ROUTED,
        "replica": "kaohe",
    }
