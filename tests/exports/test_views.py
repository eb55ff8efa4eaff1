"""Downloads and the background export: who may fetch what, side by side."""

import pytest
from django.urls import reverse

from assessment import services
from exports.periods import Span
from jobs.models import Job
from jobs.tasks import run_job

from .conftest import load


def _sheet_url(village, **params):
    query = "&".join(
        f"{k}={v}" for k, v in ({"kind": "month", "year": 2026, "month": 4} | params).items()
    )
    return reverse("exports:village_sheet", args=[village.pk]) + "?" + query


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("staff", 200), ("leader", 200), ("secretary_b", 404), ("other_staff", 404)],
)
def test_a_village_sheet_is_for_who_may_see_the_village(
    scored, cast, client_for, village_a, who, status
):
    response = client_for(cast[who]).get(_sheet_url(village_a))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        workbook = load(b"".join(response.streaming_content))
        assert workbook.sheetnames == ["甲村"]


def test_a_secretary_gets_only_published_months_of_its_own_village(
    scored, admin_user, secretary_a, client_for, village_a
):
    client = client_for(secretary_a)
    refused = client.get(_sheet_url(village_a), follow=True)  # April still open
    assert refused.redirect_chain[0][0].startswith(
        reverse("assessment:village_scores", args=[village_a.pk])
    )
    assert "2026年4月的评分尚未全部公示" in refused.content.decode()
    period = services.period_for(scored.pk, 2026, 4)
    period.state = "published"
    period.save()
    assert client.get(_sheet_url(village_a)).status_code == 200
    # The quarter also holds May, which is open: refused until May is published too.
    assert client.get(_sheet_url(village_a, kind="quarter", quarter=2)).status_code == 302


def test_the_quarter_link_from_a_month_exports_its_quarter(
    scored, client_for, admin_user, village_a
):
    response = client_for(admin_user).get(_sheet_url(village_a, kind="quarter", month=6))
    ws = load(b"".join(response.streaming_content)).active
    assert "2026年第2季度" in ws["C2"].value


def test_bad_period_parameters_answer_404(scored, client_for, admin_user, village_a):
    assert client_for(admin_user).get(_sheet_url(village_a, month=13)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("staff", 200), ("leader", 200), ("secretary_a", 403)],
)
def test_the_ranking_export_needs_the_dashboard(scored, cast, client_for, who, status):
    url = reverse("exports:ranking") + "?kind=quarter&year=2026&quarter=2"
    response = client_for(cast[who]).get(url)
    assert response.status_code == status
    if status == 200:
        ws = load(b"".join(response.streaming_content)).active
        assert ws["A2"].value == "考核期间:2026年第2季度"


def test_all_village_sheets_run_as_a_job_with_a_download(scored, client_for, staff_user):
    client = client_for(staff_user)
    response = client.post(
        reverse("exports:sheets_job"), {"kind": "month", "year": 2026, "month": 4}
    )
    job = Job.objects.get(kind="export_sheets")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_status", args=[job.pk])
    assert job.params == {"township_id": scored.pk, "year": 2026, "month": 4}
    run_job.apply(args=[job.pk])  # the test's transaction never commits, so run it here
    job.refresh_from_db()
    assert (job.state, job.progress) == ("done", 100)
    assert "2 个村(居)" in job.message
    page = client.get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert reverse("jobs:job_download", args=[job.pk]) in page
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    workbook = load(b"".join(download.streaming_content))
    assert workbook.sheetnames == ["乙村", "甲村"]  # by area, then name, as the ranking lists them


def test_the_year_job_takes_period_year(scored, admin_user):
    from jobs.tasks import start_job

    job = start_job(
        kind="export_sheets",
        title="x",
        params={"township_id": scored.pk, "year": 2026, "period": "year"},
        by=admin_user,
    )
    run_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.state == "done"
    assert job.result_file.name.endswith(f"清河镇_{Span(2026).label}_考核评分表.xlsx")
    assert load(job.result_file.open("rb").read()).sheetnames == ["乙村", "甲村"]


@pytest.mark.parametrize("who", ["secretary_a"])
def test_a_secretary_cannot_start_the_all_village_export(scored, cast, client_for, who):
    response = client_for(cast[who]).post(reverse("exports:sheets_job"), {"year": 2026, "month": 4})
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_the_pages_offer_the_downloads(scored, client_for, admin_user, village_a):
    client = client_for(admin_user)
    page = client.get(
        reverse("assessment:ranking") + "?kind=month&year=2026&month=4"
    ).content.decode()
    assert reverse("exports:ranking") in page and reverse("exports:sheets_job") in page
    url = reverse("assessment:village_scores", args=[village_a.pk]) + "?year=2026&month=4"
    page = client.get(url).content.decode()
    assert reverse("exports:village_sheet", args=[village_a.pk]) in page
    index = client.get(reverse("exports:index"))
    assert index.status_code == 200
