"""Issue 12, item 11: the special-person register (精神障碍, 吸毒 ...: sensitive personal
information under the PIPL). Every door that shows its rows writes an audit row naming the
user and the ids read; a leader reads counts by village and category, never a name."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditAction
from audit.models import AuditEvent
from tests.api.conftest import api  # noqa: F401  (the token client fixture)
from tests.factories import UserFactory

from .factories import SpecialPersonFactory

NAME_A, NAME_B = "张秘密", "李隐私"


@pytest.fixture
def register(village_a, village_b):
    return {
        "a": SpecialPersonFactory(village=village_a, name=NAME_A, category="mental"),
        "a2": SpecialPersonFactory(village=village_a, name="王三", category="drug"),
        "b": SpecialPersonFactory(village=village_b, name=NAME_B, category="mental"),
    }


def reads(after: int = 0):
    rows = AuditEvent.objects.filter(action=AuditAction.SPECIAL_READ, pk__gt=after)
    return list(rows.order_by("pk"))


def only_read(user, ids, door):
    (row,) = reads()
    assert row.user == user and row.username == user.username
    assert sorted(row.object_ids) == sorted(ids)
    assert row.object_type == "governance.specialperson"
    assert row.detail.startswith(door)
    assert row.at is not None and row.address == "127.0.0.1"


# --- each door writes its row ------------------------------------------------------------------


def test_the_list_page_logs_the_ids_it_shows(register, staff_user, client_for):
    response = client_for(staff_user).get(reverse("governance:specialperson_list"))
    assert response.status_code == 200 and NAME_A in response.content.decode()
    only_read(staff_user, [p.pk for p in register.values()], "page")


@pytest.mark.parametrize("page", ["detail", "update", "delete"])
def test_each_record_page_logs_its_record(register, staff_user, client_for, page):
    person = register["a"]
    url = reverse(f"governance:specialperson_{page}", args=[person.pk])
    response = client_for(staff_user).get(url)
    assert response.status_code == 200 and NAME_A in response.content.decode()
    only_read(staff_user, [person.pk], "page")


def test_the_create_form_reads_nothing(register, staff_user, client_for):
    response = client_for(staff_user).get(reverse("governance:specialperson_create"))
    assert response.status_code == 200
    assert reads() == []


def test_a_secretary_reads_her_village_only_and_is_logged(register, secretary_a, client_for):
    response = client_for(secretary_a).get(reverse("governance:specialperson_list"))
    page = response.content.decode()
    assert NAME_A in page and NAME_B not in page
    only_read(secretary_a, [register["a"].pk, register["a2"].pk], "page")


def test_the_api_list_detail_and_history_each_log(register, staff_user, api):  # noqa: F811
    client = api(staff_user)
    person = register["b"]
    listing = client.get("/api/special-persons/")
    assert listing.status_code == 200
    only_read(staff_user, [p.pk for p in register.values()], "api")
    # Audit rows cannot be deleted (on PostgreSQL a trigger refuses it): read only the new ones.
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for url in (f"/api/special-persons/{person.pk}/", f"/api/special-persons/{person.pk}/history/"):
        assert client.get(url).status_code == 200
    rows = reads(after=mark)
    assert [(r.user, r.object_ids, r.detail.split()[0]) for r in rows] == [
        (staff_user, [person.pk], "api"),
        (staff_user, [person.pk], "api"),
    ]
    assert rows[1].detail.endswith("/history/")


@pytest.fixture
def superuser(township):
    return UserFactory(
        username="root", role=Role.ADMIN, township=township, is_superuser=True, is_staff=True
    )


@pytest.mark.parametrize("view", ["changelist", "change", "history", "delete"])
def test_the_admin_pages_log_the_rows_they_show(register, superuser, client_for, view):
    person = register["a"]
    args = [] if view == "changelist" else [person.pk]
    response = client_for(superuser).get(
        reverse(f"admin:governance_specialperson_{view}", args=args)
    )
    assert response.status_code == 200 and NAME_A in response.content.decode()
    ids = [p.pk for p in register.values()] if view == "changelist" else [person.pk]
    only_read(superuser, ids, "admin")


# --- leaders read counts, never names ---------------------------------------------------------


@pytest.mark.parametrize("page", ["list", "detail"])
def test_a_leader_is_refused_the_rows_pages(register, leader_user, client_for, page):
    args = [] if page == "list" else [register["a"].pk]
    response = client_for(leader_user).get(reverse(f"governance:specialperson_{page}", args=args))
    assert response.status_code == 403
    assert NAME_A not in response.content.decode()


def test_a_leader_is_refused_the_rows_in_the_api(register, leader_user, api):  # noqa: F811
    client = api(leader_user)
    pk = register["a"].pk
    for url in (
        "/api/special-persons/",
        f"/api/special-persons/{pk}/",
        f"/api/special-persons/{pk}/history/",
        f"/api/special-persons/?search={NAME_A}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert NAME_A not in response.content.decode()


def test_a_leader_reads_counts_by_village_and_category(register, leader_user, client_for):
    client = client_for(leader_user)
    page = client.get(reverse("governance:specialperson_counts"), {"day": "2026-06-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert NAME_A not in html and NAME_B not in html and "王三" not in html
    counts = {row.village_name: cells for row, cells in page.context["rows"]}
    # categories in SpecialCategory order: mental, drug, cult, petitioner
    assert counts == {"甲村": [1, 1, 0, 0], "乙村": [1, 0, 0, 0]}
    assert page.context["totals"] == [2, 1, 0, 0] and page.context["total"] == 3
    assert reads() == []
    nav = client.get(reverse("governance:registers")).content.decode()
    assert reverse("governance:specialperson_counts") in nav
    assert f'href="{reverse("governance:specialperson_list")}"' not in nav


def test_a_person_removed_or_not_yet_registered_is_not_counted(village_a, leader_user, client_for):
    from datetime import date

    SpecialPersonFactory(village=village_a, registered=date(2026, 3, 1), removed=date(2026, 5, 1))
    SpecialPersonFactory(village=village_a, registered=date(2026, 7, 1))
    page = client_for(leader_user).get(
        reverse("governance:specialperson_counts"), {"day": "2026-06-30"}
    )
    assert page.context["total"] == 0


def test_the_api_gives_a_leader_counts_without_names(register, leader_user, api):  # noqa: F811
    response = api(leader_user).get("/api/special-persons/counts/", {"day": "2026-06-30"})
    assert response.status_code == 200
    assert NAME_A not in response.content.decode()
    rows = {row["village_name"]: row for row in response.json()}
    assert rows["甲村"]["by_category"] == {"mental": 1, "drug": 1, "cult": 0, "petitioner": 0}
    assert rows["甲村"]["total"] == 2 and rows["乙村"]["total"] == 1
    bad = api(leader_user).get("/api/special-persons/counts/", {"day": "2026-02-30"})
    assert bad.status_code == 400 and "day" in bad.json()
    assert reads() == []


def test_counts_stay_inside_the_users_reach(register, other_staff, secretary_b, client_for, api):  # noqa: F811
    assert api(other_staff).get("/api/special-persons/counts/").json() == [
        {
            "village": other_staff.township.areas.first().villages.first().pk,
            "village_name": "外村",
            "by_category": {"mental": 0, "drug": 0, "cult": 0, "petitioner": 0},
            "total": 0,
        }
    ]
    page = client_for(secretary_b).get(reverse("governance:specialperson_counts"))
    assert [row.village_name for row, _cells in page.context["rows"]] == ["乙村"]
