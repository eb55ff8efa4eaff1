"""Writes through the API validate as the forms do and take the same path (record_save and the
services): errors name the field at fault, every change keeps who and why in its history."""

from datetime import date

import pytest

from cases.models import AssignedCase
from petitions.models import DisputeReport
from petitions.models import Petition
from tests.api.conftest import PDF
from tests.api.conftest import PNG
from tests.api.conftest import pdf
from tests.api.conftest import png
from tests.cases.factories import AssignedCaseFactory
from tests.factories import PersonFactory
from tests.governance.factories import LandlineHouseholdFactory
from tests.governance.factories import SurveyFactory
from tests.governance.factories import TownshipMeetingFactory
from tests.governance.factories import ZeroReportFactory
from tests.petitions.factories import ID_A
from tests.petitions.factories import ID_B
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DossierFactory
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory
from tests.petitions.factories import ResolvedDisputeFactory

pytestmark = pytest.mark.django_db


# --- validation ------------------------------------------------------------------------------


def test_model_rules_come_back_on_the_field_at_fault(api, staff_user, village_a):
    response = api(staff_user).post(
        "/api/reception-logs/",
        {
            "village": village_a.pk,
            "date": "2026-04-02",
            "visitor_name": "张三",
            "matter": "宅基地",
            "reply": "调解",
            "opinion_issued": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"mediator_name": ["出具处理意见书时须有调解员签名。"]}


def test_a_future_date_is_refused_like_on_the_form(api, staff_user, village_a):
    response = api(staff_user).post(
        "/api/patrols/",
        {"village": village_a.pk, "date": "2100-01-05", "participants": "巡逻队"},
        format="json",
    )
    # A patrol has happened: a future date is refused like a dispute's (core.dates).
    assert response.status_code == 400
    assert list(response.json()) == ["date"]
    response = api(staff_user).post(
        "/api/disputes/",
        {"village": village_a.pk, "found_date": "2100-01-05", "parties": "甲乙", "matter": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["found_date"]


def test_a_constraint_names_its_fields_in_the_townships_words(api, staff_user, village_a):
    payload = {"village": village_a.pk, "category": "cult", "date": "2026-04-02"}
    client = api(staff_user)
    assert client.post("/api/zero-reports/", payload, format="json").status_code == 201
    response = client.post("/api/zero-reports/", payload, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_type_error_is_caught_before_the_model(api, staff_user, village_a):
    response = api(staff_user).post(
        "/api/patrols/",
        {"village": village_a.pk, "date": "昨天", "participants": "巡逻队"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["date"]


def test_every_change_asks_why_and_history_keeps_who_and_why(api, staff_user, village_a):
    client = api(staff_user)
    pk = client.post(
        "/api/patrols/",
        {"village": village_a.pk, "date": "2026-04-07", "participants": "巡逻队"},
        format="json",
    ).json()["id"]
    response = client.patch(f"/api/patrols/{pk}/", {"route": "东线"}, format="json")
    assert response.status_code == 400
    assert "change_reason" in response.json()
    response = client.patch(
        f"/api/patrols/{pk}/", {"route": "东线", "change_reason": "补录路线"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["route"] == "东线"

    rows = client.get(f"/api/patrols/{pk}/history/").json()
    assert [r["history_type"] for r in rows] == ["~", "+"]
    newest = rows[0]
    assert newest["user"] == {"id": staff_user.pk, "username": "staff"}
    assert newest["change_reason"] == "补录路线"
    assert newest["changes"] == [{"field": "route", "label": "巡逻路线", "old": "", "new": "东线"}]

    assert client.delete(f"/api/patrols/{pk}/").status_code == 400
    assert client.delete(f"/api/patrols/{pk}/?reason=重复").status_code == 204


def test_a_record_other_records_point_at_cannot_be_deleted(api, staff_user, village_a):
    dossier = DossierFactory(dispute__village=village_a)
    response = api(staff_user).delete(f"/api/disputes/{dossier.dispute_id}/?reason=x")
    assert response.status_code == 409
    assert response.json()["code"] == "protected"


# --- petitions and petitioners ---------------------------------------------------------------


def test_a_petition_needs_a_petitioner_and_enough_person_times(api, staff_user, village_a):
    client = api(staff_user)
    base = {
        "village": village_a.pk,
        "date": "2026-04-20",
        "level": "district",
        "channel": "visit",
        "matter": "补偿",
    }
    response = client.post("/api/petitions/", base, format="json")
    assert list(response.json()) == ["petitioners"]
    response = client.post(
        "/api/petitions/",
        {**base, "person_count": 1, "petitioners": [{"name": "甲"}, {"name": "乙"}]},
        format="json",
    )
    assert list(response.json()) == ["person_count"]


def test_a_bad_petitioner_row_is_named_by_its_position_and_nothing_is_saved(
    api, staff_user, village_a
):
    response = api(staff_user).post(
        "/api/petitions/",
        {
            "village": village_a.pk,
            "date": "2026-04-20",
            "level": "township",
            "channel": "letter",
            "matter": "补偿",
            "person_count": 2,
            "petitioners": [{"name": "甲", "id_number": ID_A}, {"name": "乙", "id_number": "123"}],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["petitioners"]
    assert errors[0] == {}
    assert list(errors[1]) == ["id_number"]
    assert not Petition.objects.exists()


def test_petitioners_are_replaced_as_listed_and_a_masked_number_keeps_the_stored_one(
    api, staff_user, village_a
):
    petition = PetitionFactory(village=village_a, person_count=3)
    kept = PetitionerFactory(petition=petition, name="甲", id_number=ID_A)
    dropped = PetitionerFactory(petition=petition, name="乙", id_number="")
    response = api(staff_user).patch(
        f"/api/petitions/{petition.pk}/",
        {
            "change_reason": "核实信访人",
            "petitioners": [
                {"id": kept.pk, "name": "甲某", "id_number": "110101********1233"},
                {"name": "丙", "id_number": ID_B.lower()},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    rows = {p.name: p.id_number for p in petition.petitioners.all()}
    assert rows == {"甲某": ID_A, "丙": ID_B}
    assert not petition.petitioners.filter(pk=dropped.pk).exists()


# --- reports, dossiers and their files ------------------------------------------------------


def test_a_secretary_submits_its_own_report_once_at_the_servers_time(
    api, secretary_a, village_a, village_b, may_2026
):
    client = api(secretary_a)
    dispute = DisputeFactory(village=village_a)
    response = client.post(
        "/api/dispute-reports/",
        {
            "village": village_a.pk,
            "year": 2026,
            "month": 5,
            "half": 1,
            "signed_by": "王书记",
            "seal_scan": png(),
            "disputes": [dispute.pk],
            "submit": "true",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["submitted_at"].startswith("2026-05-10T10:00:00")
    assert data["is_sealed"] and data["is_signed"] and not data["is_late"]
    assert data["disputes"] == [dispute.pk]
    assert data["seal_scan"].endswith(f"/api/dispute-reports/{data['id']}/files/seal_scan/")

    download = client.get(data["seal_scan"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG

    again = client.patch(
        f"/api/dispute-reports/{data['id']}/",
        {"signed_by": "另一人", "change_reason": "改签名"},
        format="json",
    )
    assert again.status_code == 400
    assert "已于" in again.json()["non_field_errors"][0]
    assert client.delete(f"/api/dispute-reports/{data['id']}/?reason=x").status_code == 403

    typed_time = client.post(
        "/api/dispute-reports/",
        {
            "village": village_a.pk,
            "year": 2026,
            "month": 4,
            "half": 2,
            "submitted_at": "2026-04-01T10:00:00+08:00",
        },
        format="json",
    )
    assert list(typed_time.json()) == ["submitted_at"]
    future = client.post(
        "/api/dispute-reports/",
        {"village": village_a.pk, "year": 2026, "month": 6, "half": 1},
        format="json",
    )
    assert list(future.json()) == ["half"]
    other = client.post(
        "/api/dispute-reports/",
        {"village": village_b.pk, "year": 2026, "month": 4, "half": 2},
        format="json",
    )
    assert list(other.json()) == ["village"]


def test_staff_enter_a_report_as_it_arrived(api, staff_user, village_a, village_b):
    stranger = DisputeFactory(village=village_b)
    client = api(staff_user)
    payload = {
        "village": village_a.pk,
        "year": 2026,
        "month": 4,
        "half": 2,
        "submitted_at": "2026-04-29T09:00:00+08:00",
        "signed_by": "王书记",
    }
    response = client.post(
        "/api/dispute-reports/", {**payload, "disputes": [stranger.pk]}, format="json"
    )
    assert list(response.json()) == ["disputes"]
    response = client.post("/api/dispute-reports/", payload, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["is_late"] and not data["is_complete"] and data["seal_scan"] is None
    report = DisputeReport.objects.get(pk=data["id"])
    assert report.history.first().history_user == staff_user


def test_dossier_files_are_uploaded_and_downloaded_through_the_api(
    api, staff_user, secretary_a, secretary_b, village_a
):
    dispute = ResolvedDisputeFactory(village=village_a)
    response = api(staff_user).post(
        "/api/dossiers/",
        {
            "dispute": dispute.pk,
            "mediation_agreement": pdf("a.pdf"),
            "id_copy": pdf("b.pdf"),
            "village_certificate": png("c.png"),
            "submitted_date": "2026-04-25",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["village"] == village_a.pk
    url = data["mediation_agreement"]
    assert url.endswith(f"/api/dossiers/{data['id']}/files/mediation_agreement/")
    download = api(secretary_a).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert api(secretary_b).get(url).status_code == 404

    review = api(staff_user).post(
        f"/api/dossiers/{data['id']}/review/",
        {"office": "centre", "result": "rejected", "day": "2026-04-26"},
        format="json",
    )
    assert review.status_code == 400
    assert list(review.json()) == ["reason"]
    review = api(staff_user).post(
        f"/api/dossiers/{data['id']}/review/",
        {"office": "centre", "result": "accepted", "day": "2026-04-26"},
        format="json",
    )
    assert review.status_code == 200
    assert review.json()["centre_result"] == "accepted"


def test_a_dossier_refuses_a_file_that_is_not_a_pdf_or_an_image(api, staff_user, village_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dispute = ResolvedDisputeFactory(village=village_a)
    response = api(staff_user).post(
        "/api/dossiers/",
        {
            "dispute": dispute.pk,
            "mediation_agreement": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"),
            "id_copy": pdf(),
            "village_certificate": pdf(),
            "submitted_date": "2026-04-25",
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["mediation_agreement"]


# --- assigned cases: the state machine -------------------------------------------------------


def test_an_assigned_case_moves_through_its_steps_by_the_right_hands(
    api, staff_user, secretary_a, village_a
):
    staff, village = api(staff_user), api(secretary_a)
    response = staff.post(
        "/api/assigned-cases/",
        {
            "village": village_a.pk,
            "title": "区长批示件",
            "assigned_by": "区信访局",
            "assigned_date": "2026-02-05",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["due_date"] == "2026-03-11"  # docs/rubric.md "Deadlines": Spring Festival
    assert case["state"] == "assigned"
    pk = case["id"]

    step = f"/api/assigned-cases/{pk}/"
    assert village.post(step + "review/", {}, format="json").status_code == 403
    out_of_order = staff.post(
        step + "report-result/", {"result": "已答复", "reported_date": "2026-02-10"}, format="json"
    )
    assert out_of_order.status_code == 400
    response = village.post(
        step + "report-handlers/", {"names": "张三", "reported_date": "2026-02-06"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "handling"
    assert "report_result" in response.json()["allowed_actions"]
    village.post(
        step + "report-result/", {"result": "已答复", "reported_date": "2026-02-20"}, format="json"
    )
    rejected = staff.post(
        step + "review/",
        {"decision": "rejected_improper", "review_date": "2026-02-21"},
        format="json",
    )
    assert list(rejected.json()) == ["reason"]
    response = staff.post(
        step + "review/",
        {"decision": "accepted", "review_date": "2026-02-21"},
        format="json",
    )
    assert response.json()["state"] == "accepted"
    response = staff.post(step + "conclude/", {"concluded_date": "2026-02-22"}, format="json")
    assert response.json()["state"] == "concluded"
    assert AssignedCase.objects.get(pk=pk).concluded_on_time is True
    reasons = [row["change_reason"] for row in staff.get(step + "history/").json()]
    assert reasons[:2] == ["办结", "审核通过"]


def test_an_extension_is_decided_by_an_admin(api, staff_user, admin_user, village_a):
    case = AssignedCaseFactory(village=village_a, assigned_date=date(2026, 3, 2))
    step = f"/api/assigned-cases/{case.pk}/"
    response = api(staff_user).post(
        step + "request-extension/", {"requested_days": 5, "reason": "需调查"}, format="json"
    )
    assert response.status_code == 200
    assert (
        api(staff_user)
        .post(step + "decide-extension/", {"approve": True}, format="json")
        .status_code
        == 403
    )
    refused = api(admin_user).post(step + "decide-extension/", {"approve": False}, format="json")
    assert list(refused.json()) == ["decision_reason"]
    response = api(admin_user).post(step + "decide-extension/", {"approve": True}, format="json")
    assert response.status_code == 200
    assert response.json()["due_date"] > case.due_date.isoformat()


# --- backlog cases ---------------------------------------------------------------------------


def test_a_backlog_case_keeps_its_relapses_and_resolvers_together(api, staff_user, village_a):
    leader = PersonFactory(township=village_a.township, name="镇长")
    client = api(staff_user)
    payload = {
        "village": village_a.pk,
        "title": "土地积案",
        "listed_date": "2026-01-05",
        "leader": leader.pk,
        "working_group": "专班",
        "resolution_plan": "方案",
        "stabilisation_measures": "稳控",
        "time_limit": "2026-06-30",
        "resolved_date": "2026-03-01",
    }
    response = client.post("/api/backlog-cases/", payload, format="json")
    assert list(response.json()) == ["resolvers"]
    payload["resolvers"] = [leader.pk]
    payload["relapses"] = [{"date": "2025-12-01"}]
    response = client.post("/api/backlog-cases/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["relapses"][0]) == ["date"]
    payload["relapses"] = [{"date": "2026-04-03", "note": "重复访"}]
    response = client.post("/api/backlog-cases/", payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["resolvers"] == [leader.pk]
    assert [r["date"] for r in data["relapses"]] == ["2026-04-03"]


# --- surveys and township meetings -----------------------------------------------------------


def test_a_survey_is_drawn_then_answered_all_or_nothing(api, staff_user, village_a):
    for _n in range(12):
        LandlineHouseholdFactory(village=village_a)
    survey = SurveyFactory(village=village_a)
    client = api(staff_user)
    too_many = client.post(f"/api/surveys/{survey.pk}/draw/", {"size": 15}, format="json")
    assert list(too_many.json()) == ["size"]
    samples = client.post(f"/api/surveys/{survey.pk}/draw/", {"size": 10, "seed": 7}, format="json")
    assert samples.status_code == 200
    rows = samples.json()
    assert [r["order"] for r in rows] == list(range(1, 11))
    assert all(r["answer"] is None for r in rows)
    answers = [{"sample": r["sample"], "reached": True, "answer": "satisfied"} for r in rows]
    answers[0]["reached"] = False
    response = client.post(
        f"/api/surveys/{survey.pk}/answers/", {"answers": answers}, format="json"
    )
    assert response.status_code == 400
    assert not client.get(f"/api/surveys/{survey.pk}/answers/").json()[0]["answer"]
    answers[0]["answer"] = "no_answer"
    response = client.post(
        f"/api/surveys/{survey.pk}/answers/", {"answers": answers}, format="json"
    )
    assert response.status_code == 200
    assert response.json()[1]["answer"] == {"reached": True, "answer": "satisfied", "note": ""}
    again = client.post(f"/api/surveys/{survey.pk}/answers/", {"answers": answers}, format="json")
    assert list(again.json()) == ["change_reason"]


def test_a_township_meetings_attendance_is_entered_for_every_village(
    api, staff_user, township, village_a, village_b
):
    meeting = TownshipMeetingFactory(township=township)
    response = api(staff_user).post(
        f"/api/township-meetings/{meeting.pk}/attendance/",
        {
            "rows": [
                {"village": village_a.pk, "status": "present"},
                {"village": village_b.pk, "status": "late", "note": "迟到10分钟"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    rows = {r["village"]: r["status"] for r in response.json()["attendances"]}
    assert rows == {village_a.pk: "present", village_b.pk: "late"}


def test_filters_narrow_by_village_month_and_date_range(api, staff_user, village_a, village_b):
    ZeroReportFactory(village=village_a, date=date(2026, 3, 5))
    ZeroReportFactory(village=village_a, date=date(2026, 4, 5), category="drug")
    ZeroReportFactory(village=village_b, date=date(2026, 4, 6))
    client = api(staff_user)

    def count(**params):
        response = client.get("/api/zero-reports/", params)
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    assert count() == 3
    assert count(village=village_a.pk) == 2
    assert count(month="2026-04") == 2
    assert count(date_from="2026-04-06", date_to="2026-04-30") == 1
    assert count(category="drug") == 1
    assert client.get("/api/zero-reports/", {"month": "2026-13"}).status_code == 400
