"""Issue 13, item 3: a screening report with no signature or no seal is not final on one tap.
The portal says what it lacks and what it will cost under the rubric of its year, and saves
nothing until the village confirms."""

import dataclasses
from datetime import date
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.urls import reverse_lazy

from assessment import costs
from assessment import rubrics
from assessment.models import RubricVersion
from assessment.scoring.rubric_defaults import XX_2024_PLAN
from assessment.scoring.rubric_defaults import XX_2024_TABLE
from petitions import rules
from petitions.models import DisputeReport
from tests.petitions.factories import SHANGHAI
from tests.petitions.factories import png
from tests.petitions.test_portal import post_data

pytestmark = pytest.mark.django_db

PORTAL = reverse_lazy("petitions:portal")


@pytest.fixture
def april_20():
    with time_machine.travel(datetime(2026, 4, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


# --- the rules ----------------------------------------------------------------------------------


def test_what_a_report_lacks():
    assert rules.report_gaps("李书记", True) == ()
    assert rules.report_gaps("  ", True) == (rules.SIGNATURE,)
    assert rules.report_gaps("李书记", False) == (rules.SEAL,)
    assert rules.report_gaps("", False) == (rules.SIGNATURE, rules.SEAL)


def test_only_an_incomplete_report_on_time_is_asked_twice():
    due = date(2026, 4, 28)
    assert rules.needs_unsigned_confirmation((rules.SEAL,), due, date(2026, 4, 28))
    assert not rules.needs_unsigned_confirmation((), due, date(2026, 4, 20))
    assert not rules.needs_unsigned_confirmation((rules.SEAL,), due, date(2026, 4, 29))


def test_the_cost_is_the_rubrics_own_figure():
    table = costs.unsigned_report_cost(XX_2024_TABLE)
    assert (table.item_code, table.points, table.counts_as_missing) == ("1.4", Decimal(1), False)
    plan = costs.unsigned_report_cost(XX_2024_PLAN)
    assert (plan.item_code, plan.points, plan.counts_as_missing) == ("1.4", Decimal("0.5"), True)
    changed = dataclasses.replace(
        XX_2024_TABLE,
        items=tuple(
            dataclasses.replace(i, params={**i.params, "unsigned_report": "2"})
            if i.code == "1.4"
            else i
            for i in XX_2024_TABLE.items
        ),
    )
    assert costs.unsigned_report_cost(changed).points == Decimal(2)


# --- the portal ---------------------------------------------------------------------------------


def test_an_unsigned_unsealed_report_is_not_saved_without_confirmation(
    client_for, cast, village_a, april_20
):
    client = client_for(cast["secretary_a"])
    response = client.post(PORTAL, post_data(signed_by=""))
    assert response.status_code == 200
    assert not DisputeReport.objects.exists()
    body = response.content.decode()
    assert 'id="unsigned-warning"' in body and 'name="confirm_unsigned"' in body
    assert "负责人签字、加盖公章的扫描件" in body
    assert "第 1.4 项将扣 1 分" in body
    assert response.context["unsigned"]["cost"].points == Decimal(1)

    confirmed = client.post(PORTAL, post_data(signed_by="", confirm_unsigned="1"))
    assert confirmed.status_code == 302
    report = DisputeReport.objects.get()
    assert report.is_submitted and not report.signed_by


def test_a_signed_report_without_the_seal_is_warned_too(client_for, cast, village_a, april_20):
    response = client_for(cast["secretary_a"]).post(PORTAL, post_data())
    assert response.status_code == 200 and not DisputeReport.objects.exists()
    assert response.context["unsigned"]["gaps"] == (rules.SEAL,)


def test_the_warning_names_the_plans_figure_when_the_year_is_scored_by_the_plan(
    client_for, cast, township, village_a, april_20
):
    plan = RubricVersion.objects.get(code=XX_2024_PLAN.code)
    rubrics.assign_year(township=township, year=2026, version=plan, by=cast["admin"])
    response = client_for(cast["secretary_a"]).post(PORTAL, post_data(signed_by=""))
    assert "视为缺报,将扣 0.5 分" in response.content.decode()


def test_a_complete_report_and_a_draft_are_not_asked(client_for, cast, village_a, april_20):
    client = client_for(cast["secretary_a"])
    assert client.post(PORTAL, post_data(action="draft", signed_by="")).status_code == 302
    assert DisputeReport.objects.get().submitted_at is None
    response = client.post(PORTAL, post_data(seal_scan=png()))
    assert response.status_code == 302
    assert DisputeReport.objects.get().is_complete


def test_a_drafts_seal_counts(client_for, cast, village_a, april_20):
    client = client_for(cast["secretary_a"])
    client.post(PORTAL, post_data(action="draft", seal_scan=png()))
    assert client.post(PORTAL, post_data()).status_code == 302
    assert DisputeReport.objects.get().is_submitted


def test_a_late_report_is_not_asked_again(client_for, cast, village_a, april_20):
    address = reverse("petitions:portal_half", args=[2026, 4, 1])
    response = client_for(cast["secretary_a"]).post(address, post_data(signed_by=""))
    assert response.status_code == 302
    assert DisputeReport.objects.get().is_late
