"""Every page that exists: a secretary sees its own village and gets 404 for another's."""

import pytest
from django.urls import reverse


def test_login_page_is_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_anonymous_is_sent_to_login(client, village_a):
    response = client.get(reverse("villages:village_detail", args=[village_a.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("role", "own", "status"),
    [
        ("secretary_a", "village_a", 200),
        ("secretary_a", "village_b", 404),
        ("secretary_b", "village_a", 404),
        ("staff", "village_b", 200),
        ("leader", "village_a", 200),
        ("other_staff", "village_a", 404),
    ],
)
def test_village_page_reach(client_for, cast, village_a, village_b, role, own, status):
    village = {"village_a": village_a, "village_b": village_b}[own]
    response = client_for(cast[role]).get(reverse("villages:village_detail", args=[village.pk]))
    assert response.status_code == status
    body = response.content.decode()
    if status == 404:
        assert village.name not in body


def test_village_list_shows_only_reachable(client_for, cast, village_a, village_b):
    body = client_for(cast["secretary_a"]).get(reverse("villages:village_list")).content.decode()
    assert village_a.name in body
    assert village_b.name not in body
