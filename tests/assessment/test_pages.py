"""The scoring pages: who reaches what, and that numbers shown come from the stored sheets."""

import json
from datetime import date
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from assessment import services
from petitions.models import Petition
from sampledata.synthetic import in_order_month
from tests.assessment.period_steps import publish_month

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def scored(township, village_a, village_b):
    in_order_month(village_a, 2026, 4)
    in_order_month(village_b, 2026, 4)
    Petition.objects.create(
        village=village_b, date=date(2026, 4, 9), level="city", channel="visit", matter="x"
    )
    services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 9))
    return township


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("staff", 200), ("leader", 200), ("secretary_a", 403), ("other_staff", 200)],
)
def test_ranking_reach(client_for, cast, scored, role, status):
    response = client_for(cast[role]).get(reverse("assessment:ranking"), {"year": 2026, "month": 4})
    assert response.status_code == status
    if role == "other_staff":
        assert "甲村" not in response.content.decode()


def test_ranking_shows_shared_scores_in_order(client_for, cast, scored):
    body = (
        client_for(cast["leader"])
        .get(reverse("assessment:ranking"), {"year": 2026, "month": 4})
        .content.decode()
    )
    assert body.index("甲村") < body.index("乙村")
    assert "97.00" in body  # 乙村: one city petition, 3 points


def test_ranking_defaults_to_the_latest_month_that_has_ended(client_for, cast, scored):
    """Issue 13: on 1 May the page showed May, which has no sheets yet: 打印 printed an empty
    table. It now shows April, as the dashboard does (dashboard.selectors.default_month)."""
    with time_machine.travel(datetime(2026, 5, 1, 9, tzinfo=SHANGHAI), tick=False):
        response = client_for(cast["leader"]).get(reverse("assessment:ranking"))
    body = response.content.decode()
    assert (response.context["year"], response.context["month"]) == (2026, 4)
    assert "2026年4月" in body and "该期间尚无评分" not in body
    assert body.count('<td class="num">97.00</td>') == 1  # two places, as on the dashboard
    assert "名次较上月" in body and "确定:该期间各月均已关闭" in body  # the legend
    assert "css/print.css" in body


def test_ranking_year_shows_the_last_place_at_two_places(client_for, cast, scored):
    body = (
        client_for(cast["leader"])
        .get(reverse("assessment:ranking"), {"kind": "year", "year": 2026})
        .content.decode()
    )
    assert '<td class="num">0.00</td>' in body and "最后一名" in body


def test_secretary_sees_own_scores_only_once_published(
    client_for, cast, scored, village_a, village_b
):
    client = client_for(cast["secretary_a"])
    url = reverse("assessment:village_scores", args=[village_a.pk])
    assert "尚未公示" in client.get(url, {"year": 2026, "month": 4}).content.decode()
    period = services.period_for(scored.pk, 2026, 4)
    services.period_publish(period=period, by=cast["admin"], today=date(2026, 5, 9))
    assert "100.00" in client.get(url, {"year": 2026, "month": 4}).content.decode()
    other = reverse("assessment:village_scores", args=[village_b.pk])
    assert client.get(other, {"year": 2026, "month": 4}).status_code == 404


def test_village_page_links_each_lost_point_to_its_record(client_for, cast, scored, village_b):
    body = (
        client_for(cast["staff"])
        .get(reverse("assessment:village_scores", args=[village_b.pk]), {"year": 2026, "month": 4})
        .content.decode()
    )
    petition = Petition.objects.get(village=village_b)
    assert reverse("petitions:petition_detail", args=[petition.pk]) in body
    assert "-3.00" in body


@pytest.mark.parametrize("role", ["staff", "leader", "secretary_a"])
def test_only_admins_manage_periods(client_for, cast, scored, role):
    client = client_for(cast[role])
    assert client.get(reverse("assessment:periods")).status_code == 403
    response = client.post(reverse("assessment:period_action", args=[2026, 4]), {"action": "close"})
    assert response.status_code == 403


def test_admin_closes_a_month_from_the_page(client_for, cast, scored):
    publish_month(services.period_for(scored.pk, 2026, 4), cast["admin"])
    client = client_for(cast["admin"])
    url = reverse("assessment:period_action", args=[2026, 4])
    client.post(url, {"action": "close", "confirm": "1"})
    period = services.period_for(scored.pk, 2026, 4)
    assert period.is_closed
    body = client.get(reverse("assessment:periods"), {"year": 2026}).content.decode()
    assert "已关闭" in body


def test_compare_shows_what_the_plan_changes(client_for, cast, scored, village_b):
    body = (
        client_for(cast["leader"])
        .get(reverse("assessment:compare"), {"year": 2026, "month": 4})
        .content.decode()
    )
    assert "2024年清河镇综治及信访工作考核评分表" in body
    assert "2024年清河镇综治及信访工作考核实施方案" in body
    assert "97.00" in body  # table: city petition -3; the plan differs elsewhere


def test_score_command_prints_json_with_lines_by_item(scored, village_b):
    out = StringIO()
    call_command("score", township=scored.code, year=2026, month=4, format="json", stdout=out)
    data = json.loads(out.getvalue())
    sheets = {s["village"]: s for s in data["months"][0]["sheets"]}
    assert data["rubric"] == "xx-2024-table"
    lost = [line for line in sheets[village_b.name]["lines"] if line["item"] == "2"]
    assert lost and lost[0]["points"] == "-3"


def test_score_command_with_another_rubric_does_not_store(scored, village_b):
    from assessment.models import ScoreSheet

    before = list(ScoreSheet.objects.values_list("pk", "total"))
    out = StringIO()
    call_command(
        "score", township=scored.code, year=2026, month=4, rubric="xx-2024-plan", stdout=out
    )
    assert "xx-2024-plan" in out.getvalue()
    assert list(ScoreSheet.objects.values_list("pk", "total")) == before


def test_every_record_kind_a_line_can_cite_has_a_page():
    from assessment.links import RECORD_PAGES
    from assessment.links import record_url

    assert all(record_url(kind, 1) for kind in RECORD_PAGES), [
        kind for kind in RECORD_PAGES if not record_url(kind, 1)
    ]
