"""Issue 13, item 5: the API does what the pages do for contests (file, decide, read the outcome)
and for restoring a record to an earlier version, under the same rules."""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from assessment import services
from assessment.models import Contest
from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import ScoreLine
from governance.models import Patrol
from jobs.models import Notification

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def april_published(township, village_a, village_b):
    """April 2026 scored and published on 6 May; today is 7 May (within the contest window)."""
    services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 6))
    period = services.period_for(township.pk, 2026, 4)
    Period.objects.filter(pk=period.pk).update(
        state=PeriodState.PUBLISHED, published_at=datetime(2026, 5, 6, 9, tzinfo=SH)
    )
    with time_machine.travel(datetime(2026, 5, 7, 10, tzinfo=SH), tick=False):
        yield township


def lost_line(village, month=4):
    return (
        ScoreLine.objects.filter(sheet__village=village, sheet__month=month, points__lt=0)
        .order_by("position")
        .first()
    )


def file(client, line, reason="已开会研究"):
    return client.post("/api/contests/", {"line": line.pk, "reason": reason}, format="json")


# --- contests ----------------------------------------------------------------------------------


def test_the_own_secretary_files_and_reads_the_outcome(
    api, secretary_a, admin_user, village_a, april_published
):
    response = file(api(secretary_a), lost_line(village_a))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "pending" and data["filed_on_behalf"] is False
    assert data["village"] == village_a.pk and data["decision_reason"] == ""
    assert Notification.objects.filter(user=admin_user).count() == 1

    decided = api(admin_user).post(
        f"/api/contests/{data['id']}/decide/",
        {"accept": False, "reason": "会议记录不全"},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    outcome = api(secretary_a).get(f"/api/contests/{data['id']}/").json()
    assert outcome["state"] == "rejected"
    assert outcome["decision_reason"] == "会议记录不全"
    assert outcome["decided_by_username"] == admin_user.username
    listed = api(secretary_a).get("/api/contests/", {"state": "rejected"}).json()["results"]
    assert [c["id"] for c in listed] == [data["id"]]


def test_an_admin_files_on_the_villages_behalf(api, admin_user, village_a, april_published):
    response = file(api(admin_user), lost_line(village_a), "村里电话反映")
    assert response.status_code == 201
    assert response.json()["filed_on_behalf"] is True
    assert Contest.objects.get().filed_by == admin_user


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_readers_may_not_file(api, cast, village_a, april_published, role):
    assert file(api(cast[role]), lost_line(village_a)).status_code == 403
    assert not Contest.objects.exists()


def test_another_villages_line_is_not_found(api, secretary_b, village_a, april_published):
    assert file(api(secretary_b), lost_line(village_a)).status_code == 404


def test_a_line_of_an_open_month_is_not_found_by_the_village_and_refused_to_the_admin(
    api, secretary_a, admin_user, township, village_a, april_published
):
    services.score_month(township_id=township.pk, year=2026, month=5, today=date(2026, 5, 7))
    may = lost_line(village_a, month=5)
    assert file(api(secretary_a), may).status_code == 404
    response = file(api(admin_user), may)
    assert response.status_code == 400
    assert "已公示" in str(response.json())


def test_a_contest_needs_a_reason(api, secretary_a, village_a, april_published):
    response = file(api(secretary_a), lost_line(village_a), "  ")
    assert response.status_code == 400 and "reason" in response.json()


@pytest.mark.parametrize("role", ["secretary_a", "staff", "leader"])
def test_only_an_admin_decides(api, cast, village_a, april_published, role):
    pk = file(api(cast["secretary_a"]), lost_line(village_a)).json()["id"]
    response = api(cast[role]).post(
        f"/api/contests/{pk}/decide/", {"accept": True, "reason": "可以"}, format="json"
    )
    assert response.status_code == 403
    assert Contest.objects.get().state == "pending"


def test_a_decision_needs_a_reason_and_is_taken_once(
    api, secretary_a, admin_user, village_a, april_published
):
    pk = file(api(secretary_a), lost_line(village_a)).json()["id"]
    admin = api(admin_user)
    path = f"/api/contests/{pk}/decide/"
    assert admin.post(path, {"accept": True, "reason": ""}, format="json").status_code == 400
    ok = admin.post(path, {"accept": True, "reason": "核实属实"}, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    again = admin.post(path, {"accept": False, "reason": "改判"}, format="json")
    assert again.status_code == 400


def test_contests_of_another_township_are_not_found(
    api, secretary_a, other_staff, village_a, april_published
):
    pk = file(api(secretary_a), lost_line(village_a)).json()["id"]
    assert api(other_staff).get(f"/api/contests/{pk}/").status_code == 404
    assert api(other_staff).get("/api/contests/").json()["results"] == []


# --- restoring an earlier version --------------------------------------------------------------


@pytest.fixture
def patrol(api, staff_user, village_a):
    """A patrol entered, then its route changed: two versions."""
    client = api(staff_user)
    pk = client.post(
        "/api/patrols/",
        {"village": village_a.pk, "date": "2026-04-07", "participants": "巡逻队", "route": "西线"},
        format="json",
    ).json()["id"]
    changed = client.patch(
        f"/api/patrols/{pk}/", {"route": "东线", "change_reason": "改路线"}, format="json"
    )
    assert changed.status_code == 200
    return Patrol.objects.get(pk=pk)


def first_version(client, patrol):
    rows = client.get(f"/api/patrols/{patrol.pk}/history/").json()
    return rows[-1]["history_id"]


def revert(client, patrol, **body):
    return client.post(f"/api/patrols/{patrol.pk}/revert/", body, format="json")


def test_a_record_is_restored_with_a_reason_and_the_version_read(api, staff_user, patrol):
    client = api(staff_user)
    history_id = first_version(client, patrol)
    response = revert(client, patrol, history_id=history_id, reason="改错了", version=2)
    assert response.status_code == 200, response.json()
    assert response.json()["route"] == "西线"
    assert response.json()["version"] == 3
    assert response["ETag"] == f'"governance.patrol.{patrol.pk}.v3"'
    newest = client.get(f"/api/patrols/{patrol.pk}/history/").json()[0]
    assert newest["change_reason"] == "改错了"
    assert newest["user"]["username"] == staff_user.username


def test_a_revert_needs_a_reason_and_a_version(api, staff_user, patrol):
    client = api(staff_user)
    history_id = first_version(client, patrol)
    no_reason = revert(client, patrol, history_id=history_id, reason=" ", version=2)
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    no_version = revert(client, patrol, history_id=history_id, reason="改错了")
    assert no_version.status_code == 400 and "version" in no_version.json()
    unknown = revert(client, patrol, history_id=999999, reason="改错了", version=2)
    assert unknown.status_code == 400 and "history_id" in unknown.json()
    assert Patrol.objects.get(pk=patrol.pk).route == "东线"


def test_a_stale_version_restores_nothing(api, staff_user, patrol):
    client = api(staff_user)
    history_id = first_version(client, patrol)
    body = revert(client, patrol, history_id=history_id, reason="改错了", version=1)
    assert body.status_code == 409 and body.json()["code"] == "edit_conflict"
    header = client.post(
        f"/api/patrols/{patrol.pk}/revert/",
        {"history_id": history_id, "reason": "改错了"},
        format="json",
        HTTP_IF_MATCH=f'"governance.patrol.{patrol.pk}.v1"',
    )
    assert header.status_code == 412
    assert Patrol.objects.get(pk=patrol.pk).route == "东线"


def test_a_closed_month_refuses_the_revert(api, staff_user, admin_user, township, patrol):
    Period.objects.update_or_create(
        township=township, year=2026, month=4, defaults={"state": PeriodState.CLOSED}
    )
    client = api(staff_user)
    history_id = first_version(client, patrol)
    response = revert(client, patrol, history_id=history_id, reason="改错了", version=2)
    assert response.status_code == 409 and response.json()["code"] == "period_closed"
    assert "2026年4月" in response.json()["detail"]


@pytest.mark.parametrize("role", ["secretary_a", "leader"])
def test_readers_may_not_revert(api, cast, staff_user, patrol, role):
    history_id = first_version(api(staff_user), patrol)
    response = revert(api(cast[role]), patrol, history_id=history_id, reason="x", version=2)
    assert response.status_code == 403
    assert Patrol.objects.get(pk=patrol.pk).route == "东线"


def test_another_townships_record_is_not_found(api, other_staff, staff_user, patrol):
    history_id = first_version(api(staff_user), patrol)
    response = revert(api(other_staff), patrol, history_id=history_id, reason="x", version=2)
    assert response.status_code == 404


# --- an incomplete report through the API, as on the portal -------------------------------------


def test_an_unsigned_report_is_submitted_only_once_confirmed(api, secretary_a, village_a, may_2026):
    from petitions.models import DisputeReport

    client = api(secretary_a)
    body = {"village": village_a.pk, "year": 2026, "month": 5, "half": 1, "submit": True}
    asked = client.post("/api/dispute-reports/", body, format="json")
    assert asked.status_code == 400
    assert "第 1.4 项将扣 1 分" in asked.json()["confirm_unsigned"][0]
    assert not DisputeReport.objects.exists()
    done = client.post("/api/dispute-reports/", {**body, "confirm_unsigned": True}, format="json")
    assert done.status_code == 201, done.json()
    assert done.json()["is_submitted"] and not done.json()["is_complete"]
    draft = {**body, "month": 4, "submit": False}
    assert client.post("/api/dispute-reports/", draft, format="json").status_code == 201
