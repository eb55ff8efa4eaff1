"""Scores through the API: sheets with their lines by item code, rankings, rubric versions,
periods, and the Excel exports."""

from datetime import date
from decimal import Decimal

import pytest

from assessment import services
from tests.petitions.factories import PetitionerFactory
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def april(township, village_a, village_b):
    """April 2026 scored: village A has a provincial petition (评分表 二: −4)."""
    petition = PetitionFactory(village=village_a, date=date(2026, 4, 16), level="province")
    PetitionerFactory(petition=petition)
    services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 10))
    return petition


def sheet_of(client, village, **params):
    response = client.get("/api/sheets/", {"village": village.pk, "year": 2026, **params})
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_a_sheet_shows_its_lines_by_item_code_and_the_records_behind_them(
    api, staff_user, village_a, april
):
    (sheet,) = sheet_of(api(staff_user), village_a, month=4)
    lines = [line for line in sheet["lines"] if line["item_code"] == "2"]
    assert [(Decimal(line["points"]), line["refs"]) for line in lines] == [
        (Decimal(-4), [{"kind": "petition", "id": april.pk}])
    ]
    assert {s["code"] for s in sheet["sections"]} == {"1", "2", "3", "4"}
    # Scoring a month takes its Period row's lock, so an open month has its row (state open).
    assert sheet["period_state"] == "open"
    assert api(staff_user).get(f"/api/sheets/{sheet['id']}/").json() == sheet


def test_a_secretary_sees_its_villages_sheet_once_the_month_is_published(
    api, admin_user, secretary_a, village_a, village_b, april
):
    client = api(secretary_a)
    assert sheet_of(client, village_a, month=4) == []
    response = api(admin_user).post(
        "/api/periods/publish/", {"year": 2026, "month": 4}, format="json"
    )
    assert response.json()["state"] == "published"
    (sheet,) = sheet_of(client, village_a, month=4)
    assert sheet["period_state"] == "published"
    assert sheet_of(client, village_b, month=4) == []
    other = api(admin_user).get("/api/sheets/", {"village": village_b.pk}).json()["results"][0]
    assert client.get(f"/api/sheets/{other['id']}/").status_code == 404


def test_rankings_by_month_quarter_and_year(api, leader_user, village_a, village_b, april):
    client = api(leader_user)
    month = client.get("/api/rankings/", {"kind": "month", "year": 2026, "month": 4}).json()
    assert [(row["village"], row["rank"]) for row in month["rows"]] == [
        (village_b.pk, 1),
        (village_a.pk, 2),
    ]
    assert month["quarter"] is None
    quarter = client.get("/api/rankings/", {"kind": "quarter", "year": 2026, "quarter": 2})
    assert quarter.status_code == 200
    assert quarter.json()["month"] is None
    year = client.get("/api/rankings/", {"kind": "year", "year": 2026})
    assert year.status_code == 200
    assert client.get("/api/rankings/", {"kind": "week"}).status_code == 400
    assert client.get("/api/rankings/", {"month": 13}).status_code == 400


def test_rubric_versions_are_read_with_their_entries(api, secretary_a):
    response = api(secretary_a).get("/api/rubric-versions/", {"code": "xx-2024-table"})
    (version,) = response.json()["results"]
    codes = [entry["code"] for entry in version["entries"]]
    assert {"1.1", "2", "4.6"} <= set(codes)
    assert sum(Decimal(s["points"]) for s in version["sections"]) == Decimal(100)


def test_periods_are_listed_for_the_township_and_closing_freezes_them(
    api, admin_user, secretary_a, other_staff, april
):
    from assessment import services
    from tests.assessment.period_steps import publish_month

    publish_month(services.period_for(admin_user.township_id, 2026, 4), admin_user)
    client = api(admin_user)
    closed = client.post("/api/periods/close/", {"year": 2026, "month": 4}, format="json")
    assert closed.status_code == 200, closed.content
    again = client.post("/api/periods/close/", {"year": 2026, "month": 4}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "period_transition"
    (period,) = api(secretary_a).get("/api/periods/").json()["results"]
    assert (period["year"], period["month"], period["state"]) == (2026, 4, "closed")
    assert api(other_staff).get("/api/periods/").json()["results"] == []
    recompute = client.post("/api/periods/recompute/", {"year": 2026, "month": 4}, format="json")
    assert recompute.json()["sheets"] == 0


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_excel_exports_are_files_or_jobs(api, staff_user, secretary_a, village_a, april):
    client = api(staff_user)
    response = client.get(
        f"/api/exports/villages/{village_a.pk}/sheet/", {"year": 2026, "month": 4}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert (
        api(secretary_a)
        .get(f"/api/exports/villages/{village_a.pk}/sheet/", {"year": 2026, "month": 4})
        .status_code
        == 403
    )
    ranking = client.get("/api/exports/ranking/", {"kind": "quarter", "year": 2026, "quarter": 2})
    assert ranking["Content-Type"] == XLSX
    assert api(secretary_a).get("/api/exports/ranking/").status_code == 403

    job = client.post("/api/exports/sheets/", {"year": 2026, "month": 4}, format="json")
    assert job.status_code == 202
    data = job.json()
    assert data["kind"] == "export_sheets"
    assert client.get(f"/api/jobs/{data['id']}/").json()["state"] == "queued"
    assert api(secretary_a).get(f"/api/jobs/{data['id']}/").status_code == 404


def test_a_finished_export_job_is_downloaded(
    api, staff_user, april, django_capture_on_commit_callbacks
):
    client = api(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post(
            "/api/exports/sheets/", {"kind": "month", "year": 2026, "month": 4}, format="json"
        ).json()
    done = client.get(f"/api/jobs/{job['id']}/").json()
    assert done["state"] == "done", done
    response = client.get(done["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_a_ranking_comes_in_pages(api, leader_user, village_a, village_b, april):
    """A county's ranking is paged (issue 14); the pages together are the whole ranking."""
    client = api(leader_user)
    query = {"kind": "month", "year": 2026, "month": 4}
    whole = client.get("/api/rankings/", query).json()
    assert whole["count"] == 2 and whole["next"] is None and whole["previous"] is None
    first = client.get("/api/rankings/", {**query, "page_size": 1}).json()
    assert first["count"] == 2 and len(first["rows"]) == 1 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["next"] is None and second["previous"] is not None
    assert first["rows"] + second["rows"] == whole["rows"]
    assert client.get("/api/rankings/", {**query, "page_size": 1001}).status_code == 400
    assert client.get("/api/rankings/", {**query, "page": 3}).status_code == 404
