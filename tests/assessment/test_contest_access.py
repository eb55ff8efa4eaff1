"""Who may contest (申诉) a line (issue 12, item 8): the village's own secretary, or a township
admin on its behalf, recorded as such; never a leader or staff member, who may only read."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessment import services
from assessment.models import Contest
from tests.assessment.test_periods import _published_line


@pytest.fixture
def line(township, admin_user, village_a):
    found = _published_line(township, admin_user, village_a)
    assert found is not None
    return found


@pytest.mark.parametrize("who", ["leader_user", "staff_user"])
def test_readers_may_not_contest(request, line, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.contest_file(line=line, reason="不同意", by=user, today=date(2026, 5, 4))
    assert not Contest.objects.exists()


def test_leader_post_to_the_contest_url_is_refused(client, leader_user, line):
    client.force_login(leader_user)
    url = reverse("assessment:contest_file", args=[line.pk])
    response = client.post(url, {"reason": "不同意"})
    assert response.status_code == 403
    assert not Contest.objects.exists()


def test_leader_sees_no_contest_button(client, leader_user, line, village_a):
    client.force_login(leader_user)
    url = reverse("assessment:village_scores", args=[village_a.pk])
    response = client.get(url, {"year": 2026, "month": 4})
    assert response.status_code == 200
    assert response.context["can_contest"] is False


def test_own_secretary_files_in_own_name(line, secretary_a):
    contest = services.contest_file(
        line=line, reason="已开会", by=secretary_a, today=date(2026, 5, 4)
    )
    assert contest.filed_by == secretary_a and not contest.filed_on_behalf


def test_admin_files_on_the_villages_behalf(line, admin_user):
    contest = services.contest_file(
        line=line, reason="村里电话反映", by=admin_user, today=date(2026, 5, 4)
    )
    assert contest.filed_by == admin_user and contest.filed_on_behalf


def test_admin_of_another_township_may_not_contest(line, other_village):
    from accounts.models import Role
    from tests.factories import UserFactory

    outsider = UserFactory(role=Role.ADMIN, township=other_village.township)
    with pytest.raises(PermissionDenied):
        services.contest_file(line=line, reason="x", by=outsider, today=date(2026, 5, 4))
