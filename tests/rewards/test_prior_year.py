"""Issue 13: a township that starts mid-year states last year's zero-petition status."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.urls import reverse

from rewards import services
from rewards.choices import RuleCode
from rewards.models import LedgerEntry
from rewards.models import PriorYearStatus

from .conftest import AFTER_2026


def village_award(village) -> D | None:
    entry = LedgerEntry.objects.filter(
        rule=RuleCode.AWARD_ZERO_YEAR, village=village, person__isnull=True
    ).first()
    return entry and entry.amount


@pytest.fixture
def year_2026_only(township, people, village_a, village_b, village_c, score_year):
    """kaohe keeps 2026 only: 2025 was on paper."""
    for village in (village_a, village_b):
        score_year(village, 2026, "95")
    score_year(village_c, 2026, "60")


def test_a_stated_zero_petition_year_doubles_the_award(
    township, village_a, village_b, admin_user, year_2026_only
):
    services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    assert village_award(village_a) == D(10000)  # 2025 unknown: not consecutive
    services.state_prior_year(
        village=village_a,
        year=2025,
        zero_petition=True,
        reason="2025年度考核结果通报(X镇发〔2026〕1号)",
        by=admin_user,
    )
    services.state_prior_year(
        village=village_b, year=2025, zero_petition=False, reason="2025年有赴市上访", by=admin_user
    )
    services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    assert village_award(village_a) == D(20000)
    assert village_award(village_b) == D(10000)
    entry = LedgerEntry.objects.filter(
        rule=RuleCode.AWARD_ZERO_YEAR, village=village_a, person__isnull=True, amount=D(20000)
    ).first()
    assert "管理员声明" in entry.cause


def test_a_petition_recorded_for_that_year_still_counts(
    township, village_a, admin_user, year_2026_only
):
    from petitions.models import Petition

    Petition.objects.create(village=village_a, date=date(2025, 11, 3), level="city")
    services.state_prior_year(
        village=village_a, year=2025, zero_petition=True, reason="纸质台账", by=admin_user
    )
    services.settle_year(township=township, year=2026, by=admin_user, today=AFTER_2026)
    assert village_award(village_a) == D(10000)


def test_a_statement_is_attributed_and_its_changes_kept(village_a, admin_user, year_2026_only):
    status = services.state_prior_year(
        village=village_a, year=2025, zero_petition=True, reason="依据一", by=admin_user
    )
    services.state_prior_year(
        village=village_a, year=2025, zero_petition=False, reason="更正:依据二", by=admin_user
    )
    status.refresh_from_db()
    assert PriorYearStatus.objects.count() == 1
    assert not status.zero_petition and status.stated_by == admin_user
    history = list(status.history.order_by("history_date"))
    assert [h.history_change_reason for h in history] == ["依据一", "更正:依据二"]
    assert {h.history_user for h in history} == {admin_user}


def test_only_admins_state_with_a_reason_and_never_for_a_kept_year(
    village_a, admin_user, staff_user, year_2026_only
):
    with pytest.raises(PermissionDenied):
        services.state_prior_year(
            village=village_a, year=2025, zero_petition=True, reason="x", by=staff_user
        )
    with pytest.raises(ValidationError) as exc:
        services.state_prior_year(
            village=village_a, year=2025, zero_petition=True, reason=" ", by=admin_user
        )
    assert "reason" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.state_prior_year(
            village=village_a, year=2026, zero_petition=True, reason="x", by=admin_user
        )
    assert "year" in exc.value.error_dict


def test_the_admin_page_states_and_refuses_a_kept_year(
    client, village_a, admin_user, year_2026_only
):
    from django.contrib.auth.models import Permission

    admin_user.is_staff = True  # as manage.py createuser and the demo make a township admin
    admin_user.save()
    admin_user.user_permissions.set(Permission.objects.all())
    client.force_login(admin_user)
    url = reverse("admin:rewards_prioryearstatus_add")
    data = {"village": village_a.pk, "year": 2026, "zero_petition": "on", "reason": "x"}
    page = client.post(url, data)
    assert page.status_code == 200 and "已在系统中考核" in page.content.decode()
    page = client.post(url, {**data, "year": 2025})
    assert page.status_code == 302
    assert PriorYearStatus.objects.get().stated_by == admin_user


# --- the rewards screens' own page (no Django admin needed) ---------------------------------------


def test_the_prior_years_page_lists_and_states_for_an_admin(
    client_for, cast, village_a, year_2026_only
):
    client = client_for(cast["admin"])
    url = reverse("rewards:prior_years")
    body = client.get(url).content.decode()
    assert "往年零上访情况" in body and 'id="prior-year-form"' in body
    data = {"village": village_a.pk, "year": 2025, "zero_petition": "True", "reason": "纸质台账"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    status = PriorYearStatus.objects.get()
    assert status.zero_petition and status.stated_by == cast["admin"]
    assert status.history.get().history_change_reason == "纸质台账"
    body = client.get(url).content.decode()
    assert "纸质台账" in body and "甲村" in body


def test_the_prior_years_page_refuses_a_kept_year_and_a_missing_reason_on_their_fields(
    client_for, cast, village_a, year_2026_only
):
    client = client_for(cast["admin"])
    url = reverse("rewards:prior_years")
    response = client.post(
        url, {"village": village_a.pk, "year": 2026, "zero_petition": "True", "reason": "x"}
    )
    assert response.status_code == 200
    assert "已在系统中考核" in " ".join(response.context["form"].errors["year"])
    response = client.post(url, {"village": village_a.pk, "year": 2025, "reason": " "})
    errors = response.context["form"].errors
    assert "reason" in errors and "zero_petition" in errors  # 是/否 has no default
    assert not PriorYearStatus.objects.exists()


@pytest.mark.parametrize("role", ["staff", "leader", "secretary_a"])
def test_only_township_admins_reach_the_prior_years_page(client_for, cast, role):
    assert client_for(cast[role]).get(reverse("rewards:prior_years")).status_code == 403


def test_the_rewards_menu_links_the_prior_years_page_for_admins_only(client_for, cast):
    url = reverse("rewards:prior_years")
    assert (
        f'href="{url}"' in client_for(cast["admin"]).get(reverse("rewards:index")).content.decode()
    )
    assert (
        f'href="{url}"'
        not in client_for(cast["staff"]).get(reverse("rewards:index")).content.decode()
    )
