"""A record with no history row (bulk-created, or written before history was kept) still has a
page and an API history: it simply has no versions yet (issue 12, item 1)."""

import pytest
from django.urls import reverse

from tests.governance.factories import PatrolFactory


@pytest.fixture
def bare_patrol(village_a):
    patrol = PatrolFactory(village=village_a)
    patrol.history.all().delete()  # as bulk_create leaves it
    return patrol


def test_record_page_without_history_answers(client, staff_user, bare_patrol):
    client.force_login(staff_user)
    response = client.get(reverse("governance:patrol_detail", args=[bare_patrol.pk]))
    assert response.status_code == 200
    assert response.context["history"] == []


def test_api_history_without_history_is_empty(client, staff_user, bare_patrol):
    client.force_login(staff_user)
    response = client.get(f"/api/patrols/{bare_patrol.pk}/history/")
    assert response.status_code == 200
    assert response.json() == []


def test_versions_diff_each_against_the_one_before(client, staff_user, village_a):
    from core.history import versions
    from core.records import record_save

    patrol = PatrolFactory(village=village_a, route="东线")
    patrol.route = "西线"
    record_save(instance=patrol, user=staff_user, reason="补录")
    found = versions(patrol)
    assert len(found) == 2
    assert [(c.field, c.old, c.new) for c in found[0].changes] == [("route", "东线", "西线")]
    assert found[1].changes == []
