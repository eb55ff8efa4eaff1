"""District users (issue 16): they read every township of their district, one at a time, and
change nothing; never another district."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.test import RequestFactory

from accounts.access import visible_villages
from accounts.district import SESSION_KEY
from accounts.district import DistrictTownshipMiddleware
from accounts.district import townships_for
from accounts.models import Role
from accounts.models import User
from tests.factories import AreaFactory
from tests.factories import TownshipFactory
from tests.factories import UserFactory
from tests.factories import VillageFactory
from villages.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts(township, village_a):
    """District 东区 of `township` (village 甲村) and 外镇乙 (village 外乙村); district 西区 with
    外镇丙 (village 外丙村)."""
    east = District.objects.create(name="东区", code="east")
    west = District.objects.create(name="西区", code="west")
    township.district = east
    township.save()
    second = TownshipFactory(name="外镇乙", code="second", district=east)
    far = TownshipFactory(name="外镇丙", code="far", district=west)
    v2 = VillageFactory(area=AreaFactory(township=second, name="乙片"), name="外乙村")
    v3 = VillageFactory(area=AreaFactory(township=far, name="丙片"), name="外丙村")
    return {"east": east, "west": west, "second": second, "far": far, "v2": v2, "v3": v3}


def _district_user(district, role=Role.DISTRICT_STAFF, username="qu"):
    return UserFactory(username=username, role=role, district=district)


def _request(user, chosen=None):
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    request.session = {SESSION_KEY: chosen} if chosen else {}
    DistrictTownshipMiddleware(lambda r: None)(request)
    return request


def test_reads_the_first_township_of_its_district_until_it_chooses(districts, township):
    user = _district_user(districts["east"])
    assert _request(user).user.township_id == districts["second"].pk  # 外镇乙 < 清河镇 by name
    assert _request(user, chosen=township.pk).user.township_id == township.pk


def test_a_township_of_another_district_cannot_be_chosen(districts):
    user = _district_user(districts["east"])
    request = _request(user, chosen=districts["far"].pk)
    assert request.user.township_id != districts["far"].pk
    assert request.user.township.district_id == districts["east"].pk


def test_scope_follows_the_township_being_read(districts, township, village_a):
    user = _district_user(districts["east"])
    reading = _request(user, chosen=township.pk).user
    assert list(visible_villages(reading)) == [village_a]
    # With no township being read (an API token), the whole district and nothing beyond.
    bare = User.objects.get(pk=user.pk)
    assert set(visible_villages(bare)) == {village_a, districts["v2"]}
    assert districts["v3"] not in set(visible_villages(bare))
    assert set(townships_for(bare)) == {township, districts["second"]}


def test_reads_like_a_leader_and_changes_nothing(districts, township, village_a):
    for role in (Role.DISTRICT_STAFF, Role.DISTRICT_LEADER):
        user = _request(_district_user(districts["east"], role, f"u-{role}"), township.pk).user
        assert user.has_perm("kaohe.view_village", village_a)
        assert user.has_perm("kaohe.view_dashboard", township)
        assert not user.has_perm("kaohe.view_village", districts["v3"])
        assert not user.has_perm("kaohe.view_dashboard", districts["far"])
        for perm in (
            "kaohe.change_records",
            "kaohe.submit_report",
            "kaohe.manage_assessment",
            "kaohe.file_contest",
            "kaohe.view_special_persons",
            "kaohe.view_own_scores",
        ):
            assert not user.has_perm(perm, village_a), perm
        assert user.has_perm("kaohe.view_district", districts["east"])
        assert not user.has_perm("kaohe.view_district", districts["west"])
        assert not user.has_perm("kaohe.view_district", districts["far"])


def test_township_roles_have_no_district_pages(districts, cast):
    for user in cast.values():
        assert not user.has_perm("kaohe.view_district", districts["east"])


def test_the_township_being_read_is_never_stored(districts, township):
    user = _request(_district_user(districts["east"]), township.pk).user
    user.first_name = "改名"
    user.save()
    stored = User.objects.get(pk=user.pk)
    assert stored.township_id is None and stored.first_name == "改名"
    assert user.township_id == township.pk  # the request goes on reading it


def test_a_district_role_needs_a_district_and_no_township(districts, township):
    with pytest.raises(ValidationError) as exc:
        User(username="x", role=Role.DISTRICT_LEADER).full_clean(exclude=["password"])
    assert "district" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        User(
            username="y", role=Role.DISTRICT_LEADER, district=districts["east"], township=township
        ).full_clean(exclude=["password"])
    assert "township" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        User(
            username="z", role=Role.STAFF, township=township, district=districts["east"]
        ).full_clean(exclude=["password"])
    assert "district" in exc.value.message_dict


def test_the_database_refuses_a_district_user_with_a_township(districts, township):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create(
            [
                User(
                    username="w",
                    role=Role.DISTRICT_STAFF,
                    district=districts["east"],
                    township=township,
                )
            ]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(username="v", role=Role.DISTRICT_STAFF)])


def test_a_superuser_reads_the_township_it_chose_and_keeps_its_own(districts, township):
    root = User.objects.create_superuser("root", password="pw")
    assert _request(root).user.township_id is None  # nothing chosen: township_of's first
    reading = _request(root, chosen=districts["far"].pk).user
    assert reading.township_id == districts["far"].pk
    reading.save()
    assert User.objects.get(pk=root.pk).township_id is None
