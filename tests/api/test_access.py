"""The browser's permissions, asked through the API, side by side for the fixed cast.

A secretary reaches only its village (lists narrowed, other villages' records 404, writes 403);
a leader reads; staff write; admins move periods; a closed month answers 409 naming the month.
"""

import pytest

from tests.petitions.factories import ID_A
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db

NEW_PETITION = {
    "date": "2026-04-20",
    "level": "city",
    "channel": "visit",
    "matter": "补偿标准",
    "petitioners": [{"name": "钱某"}],
}


@pytest.fixture
def petitions(village_a, village_b):
    a = PetitionFactory(village=village_a)
    PetitionerFactory(petition=a, id_number=ID_A)
    b = PetitionFactory(village=village_b)
    PetitionerFactory(petition=b, name="李四", id_number="")
    return {"a": a, "b": b}


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_anonymous_requests_are_asked_to_authenticate(api, petitions):
    response = api().get("/api/petitions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("admin", ["a", "b"]),
        ("staff", ["a", "b"]),
        ("leader", ["a", "b"]),
        ("secretary_a", ["a"]),
        ("secretary_b", ["b"]),
        ("other_staff", []),
    ],
)
def test_each_role_lists_only_the_records_in_its_reach(api, cast, petitions, role, sees):
    response = api(cast[role]).get("/api/petitions/")
    assert ids(response) == sorted(petitions[k].pk for k in sees)


@pytest.mark.parametrize(
    ("role", "read", "history"),
    [("secretary_a", 404, 404), ("secretary_b", 200, 200), ("other_staff", 404, 404)],
)
def test_another_villages_record_is_not_found(api, cast, petitions, role, read, history):
    client = api(cast[role])
    pk = petitions["b"].pk
    assert client.get(f"/api/petitions/{pk}/").status_code == read
    assert client.get(f"/api/petitions/{pk}/history/").status_code == history
    patch = client.patch(
        f"/api/petitions/{pk}/", {"matter": "改", "change_reason": "x"}, format="json"
    )
    assert patch.status_code == (404 if read == 404 else 403)
    assert client.delete(f"/api/petitions/{pk}/?reason=x").status_code == patch.status_code


@pytest.mark.parametrize(
    ("role", "create", "update", "delete"),
    [
        ("admin", 201, 200, 204),
        ("staff", 201, 200, 204),
        ("leader", 403, 403, 403),
        ("secretary_a", 403, 403, 403),
    ],
)
def test_only_township_staff_write_records(
    api, cast, petitions, village_a, role, create, update, delete
):
    client = api(cast[role])
    response = client.post(
        "/api/petitions/", {**NEW_PETITION, "village": village_a.pk}, format="json"
    )
    assert response.status_code == create, response.content
    pk = petitions["a"].pk
    response = client.patch(
        f"/api/petitions/{pk}/", {"matter": "补充", "change_reason": "核实后补充"}, format="json"
    )
    assert response.status_code == update, response.content
    assert client.delete(f"/api/petitions/{pk}/?reason=重复登记").status_code == delete


def test_staff_cannot_write_into_another_townships_village(api, other_staff, village_a):
    response = api(other_staff).post(
        "/api/petitions/", {**NEW_PETITION, "village": village_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert "village" in response.json()


@pytest.mark.parametrize(
    ("role", "full"),
    [("admin", True), ("staff", True), ("leader", False), ("secretary_a", False)],
)
def test_id_numbers_are_masked_for_users_who_may_not_change_records(
    api, cast, petitions, role, full
):
    data = api(cast[role]).get(f"/api/petitions/{petitions['a'].pk}/").json()
    (person,) = data["petitioners"]
    assert person["masked_id"] == "110101********1233"
    assert person["id_number"] == (ID_A if full else "110101********1233")


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("staff", 403), ("leader", 403), ("secretary_a", 403), ("other_staff", 403)],
)
def test_only_admins_move_periods(api, cast, role, status):
    response = api(cast[role]).post(
        "/api/periods/publish/", {"year": 2026, "month": 4}, format="json"
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("staff", 200), ("leader", 200), ("secretary_a", 403), ("other_staff", 200)],
)
def test_rankings_are_for_the_township_not_for_villages(api, cast, role, status):
    response = api(cast[role]).get("/api/rankings/", {"kind": "month", "year": 2026, "month": 4})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [("staff", 200, 201), ("leader", 200, 403), ("secretary_a", 403, 403)],
)
def test_township_records_are_the_townships(api, cast, township, role, read, write):
    client = api(cast[role])
    assert client.get("/api/township-meetings/").status_code == read
    response = client.post(
        "/api/township-meetings/", {"date": "2026-04-08", "topic": "综治例会"}, format="json"
    )
    assert response.status_code == write, response.content
    if write == 201:
        assert response.json()["township"] == township.pk


# --- closed months ---------------------------------------------------------------------------


@pytest.fixture
def april_closed(api, admin_user):
    from assessment import services
    from tests.assessment.period_steps import publish_month

    publish_month(services.period_for(admin_user.township_id, 2026, 4), admin_user)
    response = api(admin_user).post(
        "/api/periods/close/", {"year": 2026, "month": 4, "reason": "月末定稿"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed"


def assert_closed_month(response):
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "period_closed"
    assert "2026年4月" in body["detail"]


def test_writes_into_a_closed_month_answer_409_naming_it(
    api, staff_user, village_a, petitions, april_closed
):
    client = api(staff_user)
    assert_closed_month(
        client.post("/api/petitions/", {**NEW_PETITION, "village": village_a.pk}, format="json")
    )
    pk = petitions["a"].pk
    assert_closed_month(
        client.patch(f"/api/petitions/{pk}/", {"matter": "改", "change_reason": "x"}, format="json")
    )
    assert_closed_month(client.delete(f"/api/petitions/{pk}/?reason=x"))
    may = client.post(
        "/api/petitions/",
        {**NEW_PETITION, "village": village_a.pk, "date": "2026-05-06"},
        format="json",
    )
    assert may.status_code == 201
    moved = client.patch(
        f"/api/petitions/{may.json()['id']}/",
        {"date": "2026-04-30", "change_reason": "日期录错"},
        format="json",
    )
    assert_closed_month(moved)


def test_a_reopened_month_accepts_writes_again(
    api, admin_user, staff_user, village_a, april_closed
):
    response = api(admin_user).post(
        "/api/periods/reopen/", {"year": 2026, "month": 4, "reason": "补录漏报"}, format="json"
    )
    assert response.status_code == 200
    events = response.json()["events"]
    assert [e["action"] for e in events] == ["reopen", "close", "publish"]
    assert [e["action_label"] for e in events] == ["重新开启", "关闭", "公示"]
    assert response.json()["state"] == "published" and response.json()["published_at"]
    response = api(staff_user).post(
        "/api/petitions/", {**NEW_PETITION, "village": village_a.pk}, format="json"
    )
    assert response.status_code == 201


def test_reopening_needs_a_reason(api, admin_user, april_closed):
    response = api(admin_user).post(
        "/api/periods/reopen/", {"year": 2026, "month": 4}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
