"""Issue 12 items 4 and 7 through the API: ETag / If-Match (412 for a stale write, naming what
changed), a stale `version` in the body (409), and Idempotency-Key on creates."""

import pytest

from governance.models import Patrol

pytestmark = pytest.mark.django_db

PATROL = {"participants": "巡逻队", "date": "2026-04-07"}


@pytest.fixture
def created(api, staff_user, village_a):
    response = api(staff_user).post(
        "/api/patrols/", {**PATROL, "village": village_a.pk}, format="json"
    )
    assert response.status_code == 201
    return response


def test_detail_create_and_update_carry_the_version_and_its_etag(api, staff_user, created):
    pk = created.json()["id"]
    assert created.json()["version"] == 1
    assert created["ETag"] == f'"governance.patrol.{pk}.v1"'
    client = api(staff_user)
    read = client.get(f"/api/patrols/{pk}/")
    assert read["ETag"] == created["ETag"]
    # A write without If-Match works as before; the version moves on.
    changed = client.patch(
        f"/api/patrols/{pk}/", {"route": "东线", "change_reason": "补录"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert changed["ETag"] == f'"governance.patrol.{pk}.v2"'


def test_a_stale_put_with_if_match_is_412_naming_the_change(
    api, staff_user, admin_user, created, village_a
):
    pk = created.json()["id"]
    url = f"/api/patrols/{pk}/"
    mine, theirs = api(staff_user), api(admin_user)
    read = mine.get(url)
    tag = read["ETag"]

    first = theirs.put(
        url,
        {**PATROL, "village": village_a.pk, "route": "东线", "change_reason": "补录路线"},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert first.status_code == 200

    stale = mine.put(
        url,
        {**PATROL, "village": village_a.pk, "participants": "张三", "change_reason": "改"},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert stale.status_code == 412
    body = stale.json()
    assert body["code"] == "edit_conflict"
    assert (body["expected_version"], body["current_version"]) == (1, 2)
    assert body["changes"] == [
        {"field": "route", "label": "巡逻路线", "value": "东线", "text": "东线"}
    ]
    assert body["changed_by"] == ["admin"]
    assert stale["ETag"] == f'"governance.patrol.{pk}.v2"'
    stored = Patrol.objects.get(pk=pk)
    assert (stored.participants, stored.route) == ("巡逻队", "东线")

    # Read again, redo the change: both persist.
    again = mine.get(url)
    retry = mine.put(
        url,
        {**again.json(), "participants": "张三", "change_reason": "改"},
        format="json",
        HTTP_IF_MATCH=again["ETag"],
    )
    assert retry.status_code == 200
    stored = Patrol.objects.get(pk=pk)
    assert (stored.participants, stored.route, stored.version) == ("张三", "东线", 3)


def test_a_stale_version_in_the_body_is_409(api, staff_user, admin_user, created):
    pk = created.json()["id"]
    url = f"/api/patrols/{pk}/"
    read = api(staff_user).get(url).json()
    api(admin_user).patch(url, {"note": "夜巡", "change_reason": "补"}, format="json")

    stale = api(staff_user).put(
        url, {**read, "route": "西线", "change_reason": "改"}, format="json"
    )
    assert stale.status_code == 409
    assert [c["field"] for c in stale.json()["changes"]] == ["note"]
    stored = Patrol.objects.get(pk=pk)
    assert (stored.note, stored.route) == ("夜巡", "")


def test_a_stale_delete_is_412_and_deletes_nothing(api, staff_user, admin_user, created):
    pk = created.json()["id"]
    url = f"/api/patrols/{pk}/"
    tag = api(staff_user).get(url)["ETag"]
    api(admin_user).patch(url, {"note": "夜巡", "change_reason": "补"}, format="json")
    response = api(staff_user).delete(f"{url}?reason=重复", HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    assert Patrol.objects.filter(pk=pk).exists()
    fresh = api(staff_user).get(url)["ETag"]
    assert api(staff_user).delete(f"{url}?reason=重复", HTTP_IF_MATCH=fresh).status_code == 204


def test_an_if_match_of_another_record_fails_the_precondition(api, staff_user, created):
    pk = created.json()["id"]
    response = api(staff_user).patch(
        f"/api/patrols/{pk}/",
        {"route": "东线", "change_reason": "改"},
        format="json",
        HTTP_IF_MATCH='"governance.patrol.999999.v1"',
    )
    assert response.status_code == 412
    assert Patrol.objects.get(pk=pk).route == ""


def test_an_idempotency_key_replays_the_first_create(api, staff_user, village_a):
    client = api(staff_user)
    payload = {**PATROL, "village": village_a.pk}
    first = client.post("/api/patrols/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/patrols/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Patrol.objects.count() == 1

    other = client.post(
        "/api/patrols/",
        {**payload, "route": "东线"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Patrol.objects.count() == 1

    # Another key is another create; a key belongs to its user.
    assert (
        client.post("/api/patrols/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-2").status_code
        == 201
    )
    assert Patrol.objects.count() == 2


def test_a_failed_create_leaves_its_key_unused(api, staff_user, village_a):
    client = api(staff_user)
    bad = {"village": village_a.pk, "date": "2026-04-07"}
    assert (
        client.post("/api/patrols/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code
        == 400
    )
    good = {**bad, "participants": "巡逻队"}
    response = client.post("/api/patrols/", good, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 201
    assert Patrol.objects.count() == 1
