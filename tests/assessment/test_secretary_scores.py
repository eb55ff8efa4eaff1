"""Issue 13: the secretary on its phone. Its own scores are one tap away (menu and portal);
nothing of a month not yet published reaches it through any door (page, trend chart, API,
export, notification: assessment.visibility); a contest's outcome comes back to the line."""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment import visibility
from assessment.models import Contest
from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import ScoreLine
from jobs.models import Notification
from sampledata.synthetic import in_order_month

SH = ZoneInfo("Asia/Shanghai")


def shown_as(township, year: int, month: int, state=PeriodState.PUBLISHED, at=None):
    """Put a month in a state directly (the period state machine is tested on its own)."""
    period = services.period_for(township.pk, year, month)
    Period.objects.filter(pk=period.pk).update(
        state=state, published_at=at or datetime(2026, 5, 6, 9, tzinfo=SH)
    )


@pytest.fixture
def april_shown_may_open(township, village_a, village_b):
    """April and May 2026 scored; April published, May still open."""
    for month in (4, 5):
        services.score_month(
            township_id=township.pk, year=2026, month=month, today=date(2026, 6, 1)
        )
    shown_as(township, 2026, 4)
    return township


@pytest.fixture
def api():
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def client_for(user):
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def may_7():
    with time_machine.travel(datetime(2026, 5, 7, 10, tzinfo=SH), tick=False):
        yield


def lost_line(village, month=4):
    return (
        ScoreLine.objects.filter(sheet__village=village, sheet__month=month, points__lt=0)
        .order_by("position")
        .first()
    )


# --- the one rule ------------------------------------------------------------------------------


def test_the_rule_published_or_closed_for_a_village_all_for_the_township(
    cast, april_shown_may_open
):
    township = april_shown_may_open
    shown_as(township, 2026, 3, state=PeriodState.CLOSED)
    for role in ("admin", "staff", "leader"):
        assert visibility.score_months_shown(cast[role], township.pk, 2026) is visibility.ALL
    shown = visibility.score_months_shown(cast["secretary_a"], township.pk, 2026)
    assert shown == {(2026, 3), (2026, 4)}
    assert visibility.month_shown(shown, 2026, 4)
    assert not visibility.month_shown(shown, 2026, 5)  # open
    assert not visibility.month_shown(shown, 2026, 6)  # never acted on: no period at all


# --- item 1: a way to its own scores -----------------------------------------------------------


def test_the_secretarys_menu_links_its_own_score_page(client_for, cast, village_a):
    client = client_for(cast["secretary_a"])
    response = client.get(reverse("petitions:portal"))
    groups = dict(response.context["nav_groups"])
    urls = [entry["url"] for entries in groups.values() for entry in entries]
    assert reverse("assessment:own_scores") in urls
    landed = client.get(reverse("assessment:own_scores"), {"year": 2026, "month": 4})
    assert landed.status_code == 302
    assert landed["Location"] == (
        reverse("assessment:village_scores", args=[village_a.pk]) + "?year=2026&month=4"
    )


@pytest.mark.parametrize("role", ["admin", "staff", "leader"])
def test_township_roles_have_no_own_scores_entry(client_for, cast, role):
    client = client_for(cast[role])
    response = client.get(reverse("dashboard:index"))
    urls = [e["url"] for _g, entries in response.context["nav_groups"] for e in entries]
    assert reverse("assessment:own_scores") not in urls
    assert client.get(reverse("assessment:own_scores")).status_code == 403


def test_the_portal_links_the_villages_score_page_with_its_latest_published_total(
    client_for, cast, april_shown_may_open, village_a
):
    response = client_for(cast["secretary_a"]).get(reverse("petitions:portal"))
    body = response.content.decode()
    url = reverse("assessment:village_scores", args=[village_a.pk])
    assert f'href="{url}?year=2026&month=4"' in body
    assert response.context["latest_sheet"].month == 4  # May is scored but not published


# --- item 2: nothing of an unpublished month reaches the village -------------------------------


def test_the_score_pages_trend_holds_published_months_only(
    client_for, cast, april_shown_may_open, village_a
):
    url = reverse("assessment:village_scores", args=[village_a.pk])
    secretary = client_for(cast["secretary_a"]).get(url, {"year": 2026, "month": 5})
    assert secretary.context["hidden"] is True
    assert "本月评分尚未公示" in secretary.content.decode()
    assert secretary.context["trend_months"] == [4]
    assert 'data-months="4"' in secretary.content.decode()
    default = client_for(cast["secretary_a"]).get(url, {"year": 2026})
    assert default.context["month"] == 4  # lands on the latest month it may see
    staff = client_for(cast["staff"]).get(url, {"year": 2026, "month": 5})
    assert staff.context["trend_months"] == [4, 5] and staff.context["sheet"] is not None


def test_the_api_gives_a_secretary_no_sheet_of_an_open_month(
    api, cast, april_shown_may_open, village_a
):
    client = api(cast["secretary_a"])
    rows = client.get("/api/sheets/", {"village": village_a.pk, "year": 2026}).json()["results"]
    assert [r["month"] for r in rows] == [4]
    staff_rows = api(cast["staff"]).get("/api/sheets/", {"year": 2026, "village": village_a.pk})
    may = next(r for r in staff_rows.json()["results"] if r["month"] == 5)
    assert client.get(f"/api/sheets/{may['id']}/").status_code == 404


def test_exports_refuse_a_secretary_an_open_month_page_and_api(
    client_for, api, cast, april_shown_may_open, village_a
):
    page = client_for(cast["secretary_a"])
    url = reverse("exports:village_sheet", args=[village_a.pk])
    assert page.get(url, {"kind": "month", "year": 2026, "month": 4}).status_code == 200
    assert page.get(url, {"kind": "month", "year": 2026, "month": 5}).status_code == 302
    # A quarter holding the open May is refused as a whole.
    assert page.get(url, {"kind": "quarter", "year": 2026, "quarter": 2}).status_code == 302
    rest = api(cast["secretary_a"])
    path = f"/api/exports/villages/{village_a.pk}/sheet/"
    assert rest.get(path, {"kind": "month", "year": 2026, "month": 4}).status_code == 200
    assert rest.get(path, {"kind": "month", "year": 2026, "month": 5}).status_code == 403
    staff = client_for(cast["staff"])
    assert staff.get(url, {"kind": "month", "year": 2026, "month": 5}).status_code == 200


def test_no_notification_of_an_unpublished_month_reaches_a_secretary(
    cast, april_shown_may_open, village_a, may_7
):
    """A contest decided while its month is not shown to the village (as by a month moved back
    to open) tells nobody of the village."""
    contest = services.contest_file(
        line=lost_line(village_a), reason="已开会", by=cast["secretary_a"], today=date(2026, 5, 7)
    )
    Period.objects.filter(year=2026, month=4).update(state=PeriodState.OPEN)
    services.contest_decide(contest=contest, accept=False, reason="无依据", by=cast["admin"])
    assert not Notification.objects.filter(user=cast["secretary_a"]).exists()


# --- item 4: the contest's outcome comes back ---------------------------------------------------


def test_a_new_contest_tells_the_township_admins(cast, april_shown_may_open, village_a, may_7):
    services.contest_file(
        line=lost_line(village_a), reason="已开会", by=cast["secretary_a"], today=date(2026, 5, 7)
    )
    (note,) = Notification.objects.filter(user=cast["admin"])
    assert "甲村" in note.title and "已开会" in note.body
    assert note.url.startswith(reverse("assessment:contests"))
    assert not Notification.objects.filter(user__in=[cast["staff"], cast["leader"]]).exists()


@pytest.mark.parametrize("accept", [False, True])
def test_the_decision_and_its_reason_reach_the_line_and_the_secretary(
    client_for, cast, april_shown_may_open, village_a, may_7, accept
):
    line = lost_line(village_a)
    client = client_for(cast["secretary_a"])
    response = client.post(reverse("assessment:contest_file", args=[line.pk]), {"reason": "已开会"})
    assert response.status_code == 302
    contest = Contest.objects.get()
    client_for(cast["admin"]).post(
        reverse("assessment:contest_decide", args=[contest.pk]),
        {"decision": "accept" if accept else "reject", "reason": "会议记录不全"},
    )
    contest.refresh_from_db()
    assert contest.state == ("accepted" if accept else "rejected")
    client = client_for(cast["secretary_a"])
    url = reverse("assessment:village_scores", args=[village_a.pk])
    body = client.get(url, {"year": 2026, "month": 4}).content.decode()
    assert ("申诉已采纳" if accept else "申诉已驳回") in body
    assert "会议记录不全" in body
    assert "已申诉,待处理" not in body
    portal = client.get(reverse("petitions:portal")).content.decode()
    assert "会议记录不全" in portal
    (note,) = Notification.objects.filter(user=cast["secretary_a"])
    assert "会议记录不全" in note.body
    assert note.url == f"{url}?year=2026&month=4"


def test_the_outcome_stays_on_the_line_once_the_month_is_closed(
    client_for, cast, april_shown_may_open, village_a, may_7
):
    contest = services.contest_file(
        line=lost_line(village_a), reason="已开会", by=cast["secretary_a"], today=date(2026, 5, 7)
    )
    services.contest_decide(contest=contest, accept=False, reason="无会议记录", by=cast["admin"])
    Period.objects.filter(year=2026, month=4).update(
        state=PeriodState.CLOSED, closed_at=timezone.now()
    )
    url = reverse("assessment:village_scores", args=[village_a.pk])
    response = client_for(cast["secretary_a"]).get(url, {"year": 2026, "month": 4})
    assert response.context["can_contest"] is False
    assert "申诉已驳回" in response.content.decode() and "无会议记录" in response.content.decode()


def test_the_trend_axis_speaks_the_readers_language(client, cast, township, village_a):
    """The chart's month labels come from the catalogue (it read "10月" in English)."""
    in_order_month(village_a, 2026, 4)
    services.score_month(township_id=township.pk, year=2026, month=4)
    client.force_login(cast["staff"])
    url = reverse("assessment:village_scores", args=[village_a.pk]) + "?year=2026&month=4"
    assert 'data-labels="4月"' in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert 'data-labels="Month 4"' in client.get(url).content.decode()
