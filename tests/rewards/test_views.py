"""Statements on screen: who reads what, who approves, the export, the admin pages."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from rewards import selectors
from rewards import services
from rewards.choices import EntryStatus
from rewards.choices import RuleCode
from rewards.models import Deposit
from rewards.models import LedgerEntry
from rewards.models import RewardScheme

from .conftest import AFTER_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(township, people, village_a, village_b, village_c, admin_user, score_year):
    """2026 settled: A 90, B 82, C 60; secretary A's and B's settlements approved."""
    score_year(village_a, 2026, "90")
    score_year(village_b, 2026, "82")
    score_year(village_c, 2026, "60")
    services.create_deposits(township=township, year=2026, by=admin_user, today=AFTER_2026)
    services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    approved = LedgerEntry.objects.filter(
        rule=RuleCode.SETTLEMENT, person__in=[people["secretary_a"], people["secretary_b"]]
    )
    services.approve_entries(entries=list(approved), by=admin_user, reason="审定")
    return people


def get(client, name, *args, **params):
    return client.get(reverse(f"rewards:{name}", args=args), {"year": 2026, **params})


@pytest.mark.parametrize("role", ["admin", "staff", "leader"])
def test_township_statement_for_readers(client_for, cast, ledger, role):
    body = get(client_for(cast[role]), "index").content.decode()
    assert "甲村" in body and "乙村" in body and "片长老王" in body
    assert ("年终兑现计算" in body) == (role == "admin")


def test_township_statement_refuses_the_other_township(client_for, cast, ledger):
    body = get(client_for(cast["other_staff"]), "index").content.decode()
    assert "甲村" not in body and "片长老王" not in body


def test_secretary_lands_on_their_own_village(client_for, cast, ledger, village_a):
    response = get(client_for(cast["secretary_a"]), "index")
    assert response.status_code == 302
    assert response.url.startswith(reverse("rewards:village", args=[village_a.pk]))


def test_secretary_a_cannot_see_village_b(client_for, cast, ledger, village_a, village_b):
    client = client_for(cast["secretary_a"])
    assert get(client, "village", village_b.pk).status_code == 404
    own = get(client, "village", village_a.pk)
    assert own.status_code == 200
    body = own.content.decode()
    assert "甲村secretary" in body and "2000.00" in body
    # only approved lines: the unapproved settlements of A's other people are not shown
    assert "甲村point_leader" not in body
    other_line = LedgerEntry.objects.get(person=ledger["secretary_b"], rule=RuleCode.SETTLEMENT)
    assert get(client, "entry", other_line.pk).status_code == 404
    assert get(client, "person", ledger["secretary_a"].pk).status_code == 403
    assert get(client, "lines").status_code == 403


def test_other_township_cannot_open_our_village_or_people(client_for, cast, ledger, village_a):
    client = client_for(cast["other_staff"])
    assert get(client, "village", village_a.pk).status_code == 404
    assert get(client, "person", ledger["secretary_a"].pk).status_code == 404


def test_person_statement_shows_deposits_and_lines(client_for, cast, ledger):
    body = get(client_for(cast["leader"]), "person", ledger["area_leader"].pk).content.decode()
    assert "2000.00" in body and "双倍返还4000元" in body


def test_filters_by_quarter_and_status(client_for, cast, ledger):
    client = client_for(cast["leader"])
    body = get(client, "lines", status="approved").content.decode()
    assert "甲村secretary" in body and "甲村point_leader" not in body
    assert "甲村secretary" not in get(client, "lines", quarter="2").content.decode()


def test_leaders_cannot_approve_or_settle(client_for, cast, ledger, township):
    client = client_for(cast["leader"])
    entry = LedgerEntry.objects.filter(status=EntryStatus.COMPUTED).first()
    action = client.post(
        reverse("rewards:lines_action"), {"entry": [entry.pk], "action": "approve", "reason": "x"}
    )
    assert action.status_code == 403
    settle = client.post(reverse("rewards:settle"), {"what": "year", "year": 2026})
    assert settle.status_code == 403
    entry.refresh_from_db()
    assert entry.status == EntryStatus.COMPUTED


def test_admin_approves_and_pays_in_bulk_with_a_reason(client_for, cast, ledger):
    client = client_for(cast["admin"])
    chosen = list(
        LedgerEntry.objects.filter(
            status=EntryStatus.COMPUTED, rule=RuleCode.SETTLEMENT, person__isnull=False
        ).values_list("pk", flat=True)[:3]
    )
    url = reverse("rewards:lines_action")
    refused = client.post(url, {"entry": chosen, "action": "approve", "reason": ""}, follow=True)
    assert "请填写审批说明" in refused.content.decode()
    client.post(url, {"entry": chosen, "action": "approve", "reason": "党委会审定"})
    client.post(url, {"entry": chosen, "action": "pay", "reason": "转账"})
    rows = LedgerEntry.objects.filter(pk__in=chosen)
    assert {(e.status, e.approval_reason, e.payment_reason) for e in rows} == {
        (EntryStatus.PAID, "党委会审定", "转账")
    }


def test_admin_settles_from_the_page(client_for, cast, township, people):
    client = client_for(cast["admin"])
    client.post(reverse("rewards:settle"), {"what": "deposits", "year": 2026})
    assert Deposit.objects.filter(township=township, year=2026).count() == 9


def test_entry_page_shows_the_trail(client_for, cast, ledger):
    entry = LedgerEntry.objects.get(person=ledger["secretary_a"], rule=RuleCode.SETTLEMENT)
    body = get(client_for(cast["leader"]), "entry", entry.pk).content.decode()
    assert "审批:审定" in body and "admin" in body
    assert reverse("assessment:village_scores", args=[entry.village_id]) in body  # 年度得分


def test_totals_by_kind_and_status(township, ledger, admin_user):
    qs = selectors.entries_for(admin_user, township=township, year=2026)
    totals = selectors.totals(qs)
    assert totals.by_status[EntryStatus.APPROVED] == D(3000)  # 2,000 + 1,000
    deposits = next(row for row in totals.by_kind if row[0] == "缴纳责任金")
    assert deposits[2] == D(-10000)  # 2,000 + 8 x 1,000
    assert totals.total == sum(e.amount for e in qs)


def test_settlement_rows_and_the_export(client_for, cast, township, ledger):
    rows = selectors.settlement_rows(township, 2026)
    assert {r["kind"] for r in rows} >= {"缴纳责任金", "双倍返还责任金", "返还责任金"}
    assert all(isinstance(r["amount"], D) for r in rows)
    response = get(client_for(cast["leader"]), "export")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert "奖惩兑现台账" in sheet["A1"].value
    assert get(client_for(cast["secretary_a"]), "export").status_code == 403


def test_navigation_offers_the_statement(client_for, cast, ledger):
    body = get(client_for(cast["leader"]), "index").content.decode()
    assert "奖惩兑现" in body and reverse("rewards:lines") in body


@pytest.mark.parametrize("model", [RewardScheme, Deposit, LedgerEntry])
def test_admin_changelist_with_search_and_filters(client, ledger, model):
    registered = admin.site._registry[model]
    assert registered.search_fields and registered.list_filter and registered.list_display
    client.force_login(User.objects.create_superuser("root", "root@example.cn", "pw"))
    name = f"admin:rewards_{model._meta.model_name}_changelist"
    assert client.get(reverse(name), {"q": "甲"}).status_code == 200
    one = model.objects.first()
    change = f"admin:rewards_{model._meta.model_name}_change"
    assert client.get(reverse(change, args=[one.pk])).status_code == 200


def test_admin_actions_approve_and_pay_through_the_services(client, ledger, township):
    root = User.objects.create_superuser("root", "root@example.cn", "pw")
    client.force_login(root)
    entry = LedgerEntry.objects.filter(status=EntryStatus.COMPUTED, provisional_reason="").first()
    url = reverse("admin:rewards_ledgerentry_changelist")
    client.post(url, {"action": "approve", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert (entry.status, entry.approved_by) == (EntryStatus.APPROVED, root)
    client.post(url, {"action": "pay", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PAID and entry.payment_reason == "后台批量兑现"
