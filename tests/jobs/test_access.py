"""Jobs and their files belong to their township, like every other record.

Two townships, every role: a township admin reads the jobs of their own township (a failed
recompute with no requester included), anyone else only their own jobs, and nothing crosses a
township, through the page, the list, the download or the API.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from jobs.models import Job
from jobs.models import JobState
from jobs.services import job_create
from jobs.services import job_done
from jobs.services import job_failed
from tests.factories import UserFactory


def _job(title, *, by, township, file=True):
    job = job_create(kind="export_sheets", title=title, params={}, by=by, township=township)
    if file:
        job_done(job, "ok", (f"{title}.xlsx", ContentFile(b"PK-secret-" + title.encode())))
    return job


@pytest.fixture
def other_admin(other_village):
    return UserFactory(username="other_admin", role=Role.ADMIN, township=other_village.township)


@pytest.fixture
def jobs(township, other_village, cast, other_admin):
    other = other_village.township
    failed = job_create(kind="recompute", title="T-重算失败", params={}, township=township)
    job_failed(failed, "OverflowError: date value out of range")
    return {
        "t_staff": _job("T-staff", by=cast["staff"], township=township),
        "t_leader": _job("T-leader", by=cast["leader"], township=township),
        "t_admin": _job("T-admin", by=cast["admin"], township=township),
        "t_sec_b": _job("T-sec_b", by=cast["secretary_b"], township=township),
        "t_failed": failed,
        "o_admin": _job("O-admin", by=other_admin, township=other),
        "o_staff": _job("O-staff", by=cast["other_staff"], township=other),
    }


def _may_read(user, job) -> bool:
    """The expected answer, written out from the rule in words (not from the code)."""
    if job.requested_by_id == user.pk:
        return True
    return user.role == Role.ADMIN and job.township_id == user.township_id


def _reads(user, job):
    """What the user gets for the job: the page, the file, the API's job and its file."""
    from django.test import Client

    web = Client()
    web.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return {
        "page": web.get(reverse("jobs:job_status", args=[job.pk])).status_code,
        "download": web.get(reverse("jobs:job_download", args=[job.pk])).status_code,
        "api": api.get(f"/api/jobs/{job.pk}/").status_code,
        "api_download": api.get(f"/api/jobs/{job.pk}/download/").status_code,
    }


def test_no_job_or_file_is_read_across_townships_or_users(cast, other_admin, jobs):
    users = {**cast, "other_admin": other_admin}
    wrong = []
    visited = 0
    for name, user in users.items():
        for label, job in jobs.items():
            allowed = _may_read(user, job)
            for door, status in _reads(user, job).items():
                visited += 1
                has_file = bool(job.result_file)
                expected = 200 if allowed and (has_file or "download" not in door) else 404
                if status != expected:
                    wrong.append((name, label, door, status, expected))
    assert visited == len(users) * len(jobs) * 4 == 7 * 7 * 4
    assert wrong == []


def test_the_jobs_page_lists_only_the_township_or_own_jobs(client_for, cast, other_admin, jobs):
    def listed(user):
        body = client_for(user).get(reverse("jobs:job_list")).content.decode()
        return {label for label, job in jobs.items() if job.title in body}

    assert listed(cast["admin"]) == {"t_staff", "t_leader", "t_admin", "t_sec_b", "t_failed"}
    assert listed(other_admin) == {"o_admin", "o_staff"}
    assert listed(cast["staff"]) == {"t_staff"}
    assert listed(cast["leader"]) == {"t_leader"}
    assert listed(cast["other_staff"]) == {"o_staff"}
    assert listed(cast["secretary_a"]) == set()


def test_a_failed_job_without_requester_shows_its_reason_to_its_admins(
    client_for, admin_user, jobs
):
    body = client_for(admin_user).get(reverse("jobs:job_list")).content.decode()
    assert "T-重算失败" in body
    assert "OverflowError: date value out of range" in body
    page = client_for(admin_user).get(reverse("jobs:job_status", args=[jobs["t_failed"].pk]))
    assert "OverflowError: date value out of range" in page.content.decode()
    assert Job.objects.get(pk=jobs["t_failed"].pk).state == JobState.FAILED
