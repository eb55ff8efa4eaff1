"""The fixed cast every access test uses: one township with two villages, and an outsider.

admin, staff and leader of township T; secretary_a of village A, secretary_b of village B;
other_staff of another township.
"""

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


@pytest.fixture(autouse=True)
def _shipped_rubrics(request):
    """A transactional test flushes every table, the migrations' shipped rows too: put back the
    two rubric readings the product ships, as the migration does."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or "transactional_db" in request.fixturenames:
        from assessment.rubrics import install_shipped

        request.getfixturevalue("transactional_db")
        install_shipped()


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
