from django.urls import reverse

from jobs.models import Job
from jobs.models import Notification
from jobs.registry import runner
from jobs.services import mark_read
from jobs.services import notify
from jobs.tasks import run_job
from jobs.tasks import start_job


@runner("test_boom")
def _boom(job, progress):
    progress(40, "halfway")
    raise RuntimeError("磁盘已满")


def test_a_failed_job_is_recorded_with_its_reason(db, admin_user):
    job = start_job(kind="test_boom", title="x", params={}, by=admin_user)
    assert run_job.apply(args=[job.pk]).get() == "failed"
    job.refresh_from_db()
    assert job.state == "failed"
    assert "磁盘已满" in job.error
    assert job.progress == 40


def test_recompute_year_job_runs_and_is_idempotent(township, admin_user, village_a, client_for):
    response = client_for(admin_user).post(reverse("assessment:recompute_year", args=[2026]))
    job = Job.objects.get()
    assert response.status_code == 302
    run_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.progress) == ("done", 100)
    from django.utils import timezone

    from assessment.models import ScoreSheet
    from assessment.services import months_to_score

    count = ScoreSheet.objects.count()
    assert count == len(months_to_score(2026, timezone.localdate())) > 0
    assert run_job.apply(args=[job.pk]).get() == "skipped"
    assert ScoreSheet.objects.count() == count
    page = client_for(admin_user).get(reverse("jobs:job_status", args=[job.pk]))
    assert "已完成" in page.content.decode()


def test_job_page_is_private(admin_user, staff_user, secretary_a, client_for):
    job = start_job(kind="test_boom", title="x", params={}, by=staff_user)
    assert client_for(secretary_a).get(reverse("jobs:job_status", args=[job.pk])).status_code == 404


def test_notifications_are_sent_once_and_marked_read(staff_user, client_for):
    assert notify(users=[staff_user], title="提醒", dedupe_key="k1") == 1
    assert notify(users=[staff_user], title="提醒", dedupe_key="k1") == 0
    body = client_for(staff_user).get(reverse("jobs:notifications")).content.decode()
    assert 'id="unread-count">1<' in body
    assert mark_read(user=staff_user) == 1
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
