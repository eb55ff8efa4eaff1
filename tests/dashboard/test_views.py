"""The dashboard and a village's page: who reaches what, what they show, the recompute button."""

import json
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import ScoreSheet
from core.periods import Span
from jobs.models import Job
from petitions.models import Petition
from tests.dashboard.factories import line
from tests.dashboard.factories import sheet
from tests.dashboard.factories import sheet_row
from tests.dashboard.factories import sheets


@pytest.fixture
def scored(township, village_a, village_b):
    sheets(
        [
            sheet_row(village_a, 2026, 3, 95),
            sheet_row(village_b, 2026, 3, 90),
            sheet_row(village_a, 2026, 4, 88, lost={"2": 12}),
            sheet_row(village_b, 2026, 4, 79, vetoes=[("beijing_new_problem", "进京上访")]),
        ]
    )
    return township


DASHBOARD = reverse("dashboard:index")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("staff", 200), ("leader", 200), ("secretary_a", 403), ("other_staff", 200)],
)
def test_dashboard_reach(client_for, cast, scored, role, status):
    response = client_for(cast[role]).get(DASHBOARD, {"year": 2026, "month": 4})
    assert response.status_code == status
    if role == "other_staff":
        assert "甲村" not in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("leader", "/dashboard/"),
        ("admin", "/dashboard/"),
        ("staff", "/dashboard/"),
        ("secretary_a", "/petitions/portal/"),
    ],
)
def test_home_sends_each_role_to_its_work(client_for, cast, role, target):
    response = client_for(cast[role]).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == target


def test_dashboard_shows_ranking_change_veto_and_chart_data(client_for, cast, scored):
    response = client_for(cast["leader"]).get(DASHBOARD, {"year": 2026, "month": 4})
    body = response.content.decode()
    assert "2026年4月" in body
    table = body[body.index('id="ranking"') :]
    assert table.index("甲村") < table.index("乙村")
    assert "否决:进京上访" in body
    assert "↑1" not in body and "↓1" not in body  # 甲村 kept first place
    start = body.index('<script id="dashboard-data" type="application/json">')
    data = json.loads(body[body.index(">", start) + 1 : body.index("</script>", start)])
    assert [s["name"] for s in data["trend"]["series"]] == ["甲村", "乙村"]
    assert data["trend"]["series"][0]["data"] == [None, None, 95.0, 88.0]
    # 乙村 is under 80 year to date: (90 + 79) / 2 = 84.5 is not, so nobody is at risk yet.
    assert response.context["board"].at_risk == []
    assert 'id="chart-trend"' in body and 'id="chart-lost"' in body and 'id="chart-levels"' in body
    assert "重新计算本年" not in body  # leaders do not manage assessment


def test_dashboard_defaults_to_the_last_scored_month(client_for, cast, scored):
    response = client_for(cast["leader"]).get(DASHBOARD, {"year": 2026})
    assert response.context["span"].number == 4


@pytest.mark.parametrize(
    ("params", "title", "change_head"),
    [
        ({"kind": "quarter", "year": 2026, "quarter": 2}, "2026年第2季度", "较上季度"),
        ({"kind": "year", "year": 2026}, "2026年度", "较上年"),
        ({"kind": "nonsense", "year": 2026, "month": 3}, "2026年3月", "较上月"),
    ],
)
def test_dashboard_periods(client_for, cast, scored, params, title, change_head):
    body = client_for(cast["staff"]).get(DASHBOARD, params).content.decode()
    assert title in body and change_head in body


def test_year_ranking_marks_the_last_place_veto(client_for, cast, scored):
    body = client_for(cast["leader"]).get(DASHBOARD, {"kind": "year", "year": 2026}).content
    assert "年度综合排名最后一名" in body.decode()


def test_admin_sees_the_recompute_button(client_for, cast, scored):
    body = client_for(cast["admin"]).get(DASHBOARD, {"year": 2026}).content.decode()
    assert "重新计算本年" in body and 'hx-post="/dashboard/recompute/"' in body


@time_machine.travel(datetime(2026, 5, 9, 10, tzinfo=SHANGHAI), tick=False)
def test_recompute_starts_the_job_and_answers_with_its_panel(
    client_for, cast, scored, village_a, django_capture_on_commit_callbacks
):
    Petition.objects.create(
        village=village_a, date=date(2026, 4, 3), level="city", channel="visit", matter="x"
    )
    client = client_for(cast["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:recompute"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = Job.objects.get()
    # This year up to the current month: May's sheets, not December's, are rebuilt.
    assert job.kind == "recompute_year" and job.title == "重新计算 2026 年 1-5 月"
    assert job.params == {"township_id": scored.pk, "year": 2026, "months": [1, 2, 3, 4, 5]}
    body = response.content.decode()
    # The panel only (htmx swaps it in), polling its own status until the job has finished.
    assert "<html" not in body and f'id="job-{job.pk}"' in body
    assert f'hx-get="{reverse("jobs:job_status", args=[job.pk])}"' in body
    polled = client.get(reverse("jobs:job_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "已完成" in polled.content.decode() and "hx-get" not in polled.content.decode()
    april = ScoreSheet.objects.get(village=village_a, year=2026, month=4)
    assert april.lines.filter(item_code="2").exists()  # rebuilt from the records
    assert not ScoreSheet.objects.filter(year=2026, month=6).exists()


def test_a_running_recompute_shows_its_panel_again(client_for, cast, scored):
    job = Job.objects.create(
        kind="recompute_year", title="重新计算", township=scored, state="running", progress=40
    )
    body = client_for(cast["admin"]).get(DASHBOARD).content.decode()
    assert f'id="job-{job.pk}"' in body and "40%" in body


@time_machine.travel(datetime(2026, 3, 9, 10, tzinfo=SHANGHAI), tick=False)
def test_the_default_month_is_the_latest_that_has_ended(client_for, cast, scored):
    # Issue 13: on 9 March the dashboard showed March, nine days old and near 100. March and
    # April have sheets (a recompute may store months ahead); February has ended, none: it is
    # shown, empty, rather than a month still running.
    response = client_for(cast["leader"]).get(DASHBOARD)
    assert (response.context["span"].year, response.context["span"].number) == (2026, 2)


def test_on_the_first_of_a_month_the_month_before_is_shown(client_for, cast, scored):
    with time_machine.travel(datetime(2026, 5, 1, 9, tzinfo=SHANGHAI), tick=False):
        response = client_for(cast["leader"]).get(DASHBOARD)
    assert response.context["span"] == Span.of("month", 2026, 4)
    assert response.context["quarter"] == 2


def test_recompute_without_htmx_goes_to_the_job_page(client_for, cast, scored):
    response = client_for(cast["admin"]).post(reverse("dashboard:recompute"))
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_status", args=[Job.objects.get().pk])


@pytest.mark.parametrize("role", ["staff", "leader", "secretary_a"])
def test_only_admins_recompute(client_for, cast, scored, role):
    response = client_for(cast[role]).post(reverse("dashboard:recompute"))
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_recompute_failure_is_shown_in_the_panel(
    client_for, cast, scored, monkeypatch, django_capture_on_commit_callbacks
):
    from jobs import registry

    def broken(job, progress):
        raise RuntimeError("数据库连接中断")

    monkeypatch.setitem(registry.RUNNERS, "recompute_year", broken)
    client = client_for(cast["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dashboard:recompute"), HTTP_HX_REQUEST="true")
    job = Job.objects.get()
    response = client.get(reverse("jobs:job_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "失败" in body and "数据库连接中断" in body and 'role="alert"' in body


# --- A village's page ----------------------------------------------------------------------------


def village_url(village):
    return reverse("dashboard:village", args=[village.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("staff", 200),
        ("leader", 200),
        ("secretary_a", 200),
        ("secretary_b", 404),
        ("other_staff", 404),
    ],
)
def test_village_page_reach(client_for, cast, scored, village_a, role, status):
    assert client_for(cast[role]).get(village_url(village_a)).status_code == status


def test_village_page_shows_months_lines_and_open_items(client_for, cast, township, village_a):
    petition = Petition.objects.create(
        village=village_a, date=date(2026, 4, 3), level="city", channel="visit", matter="x"
    )
    april = sheet(village_a, 2026, 4, 97, lost={"2": 3})
    line(april, 0, "2", -3, "到市上访1人次", refs=[("petition", petition.pk)])
    body = client_for(cast["leader"]).get(village_url(village_a), {"year": 2026}).content.decode()
    assert "2026年逐月得分" in body and "97.00" in body
    assert reverse("petitions:petition_detail", args=[petition.pk]) in body
    assert f"/assessment/villages/{village_a.pk}/?year=2026&amp;month=4" in body
    assert "未结事项" in body and "责任人" in body
    assert 'id="village-trend-data"' in body


def test_secretary_sees_only_published_months(client_for, cast, township, village_a):
    sheet(village_a, 2026, 3, 91)
    sheet(village_a, 2026, 4, 97)
    Period.objects.create(township=township, year=2026, month=3, state=PeriodState.PUBLISHED)
    body = client_for(cast["secretary_a"]).get(village_url(village_a), {"year": 2026})
    text = body.content.decode()
    assert "91.00" in text and "97.00" not in text and "尚未公示" in text


def test_year_view_card_and_table_name_the_same_vetoes(client_for, cast, scored):
    # Issue 13: the card said 暂无 while the table showed the last place vetoed at "0".
    body = client_for(cast["leader"]).get(DASHBOARD, {"kind": "year", "year": 2026}).content
    body = body.decode()
    card = body[body.index('id="veto-causes"') : body.index('id="ranking"')]
    table = body[body.index('id="ranking"') :]
    assert "暂无" not in card
    assert "最后一名" in card and "最后一名" in table
    assert card.count('class="badge bad veto"') == table.count('class="badge bad veto"') == 2
    assert ">0.00</a>" in table and ">0</a>" not in table


def test_labels_say_places_and_explain_provisional(client_for, cast, scored, village_a, village_b):
    sheets([sheet_row(village_a, 2026, 2, 80), sheet_row(village_b, 2026, 2, 90)])
    body = client_for(cast["leader"]).get(DASHBOARD, {"year": 2026, "month": 3}).content.decode()
    assert "名次较上月" in body and "不是得分" in body
    assert "↑1 位" in body and "↓1 位" in body  # places gained and lost, not points
    assert "名次下降 1 位" in body  # the badge's title
    body = client_for(cast["leader"]).get(DASHBOARD, {"year": 2026, "month": 4}).content.decode()
    assert "暂定:该期间尚未关闭" in body  # the badge's title
    assert "确定:该期间各月均已关闭" in body  # the legend
    assert ">88.00</a>" in body and ">79.00</a>" in body


def test_village_page_explains_provisional_with_two_places(client_for, cast, township, village_a):
    sheet(village_a, 2026, 4, "96.5", provisional=["4月下半月报告尚未到期"])
    body = client_for(cast["leader"]).get(village_url(village_a), {"year": 2026}).content.decode()
    assert "<strong>96.50</strong>" in body and "96.50分" in body
    assert "暂定:仍缺少记录" in body and "4月下半月报告尚未到期" in body  # the badge's title
    assert "已关闭的月份得分已冻结" in body  # the legend
