"""The fixed cast every access test uses: one township with two villages, and an outsider.

admin, staff and leader of township T; secretary_a of village A, secretary_b of village B;
other_staff of another township.
"""

import json
import warnings

import pytest
from hypothesis import HealthCheck
from hypothesis import settings

from accounts.models import Role
from tests.factories import AreaFactory
from tests.factories import TownshipFactory
from tests.factories import UserFactory
from tests.factories import VillageFactory

# Property tests draw whole village-months; on a loaded 2-core CI machine generation is slow,
# which says nothing about the code. Fixed example counts keep the suite's time predictable.
settings.register_profile(
    "kaohe",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("kaohe")


@pytest.fixture(autouse=True)
def _default_language():
    """A request with the English cookie leaves English active in the thread (LocaleMiddleware
    activates it and nothing deactivates it): each test starts in the default language."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


# alias -> the rows the migrations ship (rubric versions, reward schemes, beat schedules),
# serialized. Content types and permissions are left out: the flush's post_migrate recreates
# them, tolerant of a live-server request that created one first (a restore from a copy is not).
# Kept here, not on the connection as Django keeps its copy: connections are per context
# (asgiref), and code under Playwright's sync API runs in a context of its own.
_MIGRATED: dict[str, str] = {}
_RECREATED = {"contenttypes.contenttype", "auth.permission"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep a copy of the rows each test database holds once migrated, for
    `_restore_after_flush` to put back."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            rows = json.loads(connection.creation.serialize_db_to_string())
            _MIGRATED[connection.alias] = json.dumps(
                [row for row in rows if row["model"] not in _RECREATED]
            )
    yield


def _put_back(alias: str) -> None:
    from django.db import connections

    if _MIGRATED.get(alias):
        connections[alias].creation.deserialize_db_from_string(_MIGRATED[alias])


def _restore_after_flush():
    """A transactional test ends by flushing every table, the migrations' rows too. This puts
    them back right after the flush, so that whatever test a worker runs next, in any order
    (xdist's worksteal), finds the database as migrated."""
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        flush(self)
        for alias in self._databases_names(include_mirrors=False):
            _put_back(alias)

    TransactionTestCase._fixture_teardown = _fixture_teardown


_restore_after_flush()


@pytest.fixture(autouse=True)
def _migrated_rows(request):
    """Before a transactional test: the shipped rubrics must be there (the flush of the test
    before put them back). Should they not be, say which test found them missing, and put the
    migrated rows back, so one cause does not fail every test after it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not (transactional or "transactional_db" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS

    from assessment.models import RubricVersion

    if not RubricVersion.objects.exists():
        warnings.warn(
            f"the migrations' rows were missing before {request.node.nodeid}", stacklevel=1
        )
        call_command("flush", verbosity=0, interactive=False)
        _put_back(DEFAULT_DB_ALIAS)


@pytest.fixture
def township(db):
    return TownshipFactory(name="清河镇", code="qinghe")


@pytest.fixture
def area(township):
    return AreaFactory(township=township, name="东片")


@pytest.fixture
def village_a(area):
    return VillageFactory(area=area, name="甲村")


@pytest.fixture
def village_b(area):
    return VillageFactory(area=area, name="乙村")


@pytest.fixture
def other_village(db):
    other = TownshipFactory(name="外镇", code="other")
    return VillageFactory(area=AreaFactory(township=other, name="外片"), name="外村")


@pytest.fixture
def admin_user(township):
    return UserFactory(username="admin", role=Role.ADMIN, township=township)


@pytest.fixture
def staff_user(township):
    return UserFactory(username="staff", role=Role.STAFF, township=township)


@pytest.fixture
def leader_user(township):
    return UserFactory(username="leader", role=Role.LEADER, township=township)


@pytest.fixture
def secretary_a(village_a):
    return UserFactory(
        username="sec_a", role=Role.SECRETARY, township=village_a.township, village=village_a
    )


@pytest.fixture
def secretary_b(village_b):
    return UserFactory(
        username="sec_b", role=Role.SECRETARY, township=village_b.township, village=village_b
    )


@pytest.fixture
def other_staff(other_village):
    return UserFactory(username="other", role=Role.STAFF, township=other_village.township)


@pytest.fixture
def cast(admin_user, staff_user, leader_user, secretary_a, secretary_b, other_staff):
    return {
        "admin": admin_user,
        "staff": staff_user,
        "leader": leader_user,
        "secretary_a": secretary_a,
        "secretary_b": secretary_b,
        "other_staff": other_staff,
    }


@pytest.fixture
def client_for(client):
    """Log the test client in as a member of the cast."""

    def login(user):
        client.force_login(user)
        return client

    return login


def _db_phase(item) -> int:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    if (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in names or "live_server" in names
    ):
        return 1
    if marker is not None or "db" in names:
        return 0
    return 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests last, as pytest-django orders them: their flush empties every table,
    the migrations' shipped rows too (rubrics, reward schemes, beat schedules). pytest's own
    grouping by session-scoped parametrized fixtures (playwright's `browser_name`) ran after
    pytest-django's sort and put the browser tests in the middle of the others."""
    items[:] = sorted(items, key=_db_phase)
