"""奖惩兑现 through the API, read only: the township's ledger for its readers, a secretary only
its own village's approved lines; deposits likewise."""

from decimal import Decimal

import pytest

from rewards.models import Deposit
from rewards.models import LedgerEntry
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def line(township, **kw):
    defaults = {
        "year": 2026,
        "kind": "award",
        "rule": "award_zero_quarter",
        "key": f"k{LedgerEntry.objects.count()}",
        "amount": Decimal("20000.00"),
        "cause": "季度零上访",
        "status": "approved",
    }
    return LedgerEntry.objects.create(township=township, **{**defaults, **kw})


@pytest.fixture
def ledger(township, village_a, village_b):
    person = PersonFactory(township=township, name="张片长")
    return {
        "a_approved": line(township, village=village_a, quarter=1, refs=[["petition", 3]]),
        "a_draft": line(township, village=village_a, quarter=2, status="computed"),
        "b_paid": line(township, village=village_b, quarter=1, status="paid"),
        "person_year": line(
            township,
            person=person,
            kind="settlement_return",
            rule="settlement",
            amount=Decimal("2000.00"),
            cause="年终返还",
        ),
    }


def ids(response):
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("staff", ["a_approved", "a_draft", "b_paid", "person_year"]),
        ("leader", ["a_approved", "a_draft", "b_paid", "person_year"]),
        ("secretary_a", ["a_approved"]),
        ("secretary_b", ["b_paid"]),
        ("other_staff", []),
    ],
)
def test_each_role_reads_the_ledger_in_its_reach(api, cast, ledger, role, sees):
    assert ids(api(cast[role]).get("/api/settlements/")) == sorted(ledger[k].pk for k in sees)


def test_a_ledger_line_shows_its_cause_records_and_trail(api, staff_user, secretary_a, ledger):
    client = api(staff_user)
    data = client.get(f"/api/settlements/{ledger['a_approved'].pk}/").json()
    assert data["amount"] == "20000.00"
    assert data["refs"] == [{"kind": "petition", "id": 3}]
    assert data["period_label"] == "2026年第1季度"
    person = client.get(f"/api/settlements/{ledger['person_year'].pk}/").json()
    assert person["village_name"] is None and person["person_name"] == "张片长"
    assert client.get(f"/api/settlements/{ledger['a_draft'].pk}/history/").status_code == 200
    hidden = api(secretary_a).get(f"/api/settlements/{ledger['a_draft'].pk}/")
    assert hidden.status_code == 404


def test_the_ledger_filters_by_period_and_party(api, staff_user, village_a, ledger):
    client = api(staff_user)
    assert ids(client.get("/api/settlements/", {"quarter": "year"})) == [ledger["person_year"].pk]
    assert ids(client.get("/api/settlements/", {"quarter": "1", "village": village_a.pk})) == [
        ledger["a_approved"].pk
    ]
    assert client.get("/api/settlements/", {"quarter": "5"}).status_code == 400


def test_the_ledger_is_read_only(api, admin_user, ledger):
    response = api(admin_user).patch(
        f"/api/settlements/{ledger['a_draft'].pk}/", {"status": "paid"}, format="json"
    )
    assert response.status_code == 405


def test_deposits_are_read_by_the_township_and_by_their_own_village(
    api, township, village_a, village_b, staff_user, secretary_a, secretary_b
):
    mine = Deposit.objects.create(
        township=township,
        year=2026,
        person=PersonFactory(township=township),
        role="secretary",
        village=village_a,
        amount=Decimal("1000.00"),
    )
    Deposit.objects.create(
        township=township,
        year=2026,
        person=PersonFactory(township=township),
        role="area_leader",
        amount=Decimal("2000.00"),
    )
    assert len(ids(api(staff_user).get("/api/deposits/"))) == 2
    assert ids(api(secretary_a).get("/api/deposits/")) == [mine.pk]
    assert ids(api(secretary_b).get("/api/deposits/")) == []
