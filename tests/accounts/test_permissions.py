"""Each role's reach, checked side by side: what one may, the other may not."""

import pytest

from accounts.access import scope
from accounts.access import visible_villages

PERMS = [
    # (perm, role, object key, allowed)
    ("kaohe.view_village", "admin", "village_a", True),
    ("kaohe.view_village", "staff", "village_b", True),
    ("kaohe.view_village", "leader", "village_a", True),
    ("kaohe.view_village", "secretary_a", "village_a", True),
    ("kaohe.view_village", "secretary_a", "village_b", False),
    ("kaohe.view_village", "secretary_b", "village_a", False),
    ("kaohe.view_village", "other_staff", "village_a", False),
    ("kaohe.change_records", "staff", "village_a", True),
    ("kaohe.change_records", "admin", "village_a", True),
    ("kaohe.change_records", "leader", "village_a", False),
    ("kaohe.change_records", "secretary_a", "village_a", False),
    ("kaohe.change_records", "other_staff", "village_a", False),
    ("kaohe.submit_report", "secretary_a", "village_a", True),
    ("kaohe.submit_report", "secretary_a", "village_b", False),
    ("kaohe.submit_report", "staff", "village_b", True),
    ("kaohe.submit_report", "leader", "village_b", False),
    ("kaohe.manage_assessment", "admin", "village_a", True),
    ("kaohe.manage_assessment", "staff", "village_a", False),
    ("kaohe.manage_assessment", "leader", "village_a", False),
    ("kaohe.view_dashboard", "leader", None, True),
    ("kaohe.view_dashboard", "secretary_a", None, False),
]


@pytest.mark.parametrize(("perm", "role", "obj", "allowed"), PERMS)
def test_role_reach(cast, village_a, village_b, perm, role, obj, allowed):
    target = {"village_a": village_a, "village_b": village_b, None: None}[obj]
    assert cast[role].has_perm(perm, target) is allowed


def test_visible_villages_by_role(cast, village_a, village_b, other_village):
    assert set(visible_villages(cast["staff"])) == {village_a, village_b}
    assert set(visible_villages(cast["leader"])) == {village_a, village_b}
    assert list(visible_villages(cast["secretary_a"])) == [village_a]
    assert list(visible_villages(cast["other_staff"])) == [other_village]


def test_scope_narrows_records_through_a_path(cast, village_a, village_b):
    from tests.factories import ResponsibilityFactory
    from villages.models import Responsibility

    ResponsibilityFactory(village=village_a)
    ResponsibilityFactory(village=village_b)
    mine = scope(Responsibility.objects.all(), cast["secretary_a"])
    assert [r.village for r in mine] == [village_a]


def test_anonymous_sees_nothing(village_a):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert not visible_villages(anon).exists()
    assert anon.has_perm("kaohe.view_village", village_a) is False
