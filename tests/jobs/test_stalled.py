"""A job whose worker is gone is shown as stalled, stops polling and can be run again.

The worker killed with SIGKILL leaves its job RUNNING with the last heartbeat it wrote; these
tests put a job in exactly that state (an old heartbeat) rather than killing a process, which
the fault suite does with a real worker.
"""

from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from jobs import rules
from jobs.models import Job
from jobs.models import JobState
from jobs.registry import runner
from jobs.services import job_create
from jobs.services import job_done
from jobs.services import job_failed
from jobs.services import job_progress
from jobs.services import job_start
from jobs.services import jobs_mark_stalled
from tests.factories import UserFactory

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ran: list[int] = []  # the job ids the test runner was called for


@runner("test_counted")
def _counted(job, progress):
    ran.append(job.pk)
    progress(50, "half")
    return "ok"


def _job(by, township, state=JobState.RUNNING, beat_ago=timedelta(minutes=10)):
    job = job_create(
        kind="test_counted", title="重新计算 2026 年", params={}, by=by, township=township
    )
    job_start(job)
    Job.objects.filter(pk=job.pk).update(
        state=state, progress=50, heartbeat_at=timezone.now() - beat_ago
    )
    job.refresh_from_db()
    return job


# --- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "ago", "stalled"),
    [
        ("running", timedelta(minutes=3, seconds=1), True),
        ("running", timedelta(minutes=3), False),  # exactly the threshold: not yet
        ("running", timedelta(seconds=5), False),
        ("queued", timedelta(hours=1), True),  # queued and never taken up by a worker
        ("done", timedelta(days=3), False),
        ("failed", timedelta(days=3), False),
        ("stalled", timedelta(0), True),  # stored by the sweep
    ],
)
def test_is_stalled_after_the_stated_threshold(state, ago, stalled):
    assert timedelta(minutes=3) == rules.STALL_AFTER
    assert rules.is_stalled(state, T0 - ago, T0) is stalled
    assert rules.current_state(state, T0 - ago, T0) == ("stalled" if stalled else state)


def test_polling_slows_as_a_job_runs_long_and_stops_when_nothing_will_change():
    seconds = [
        rules.poll_seconds("running", T0 - timedelta(seconds=s), T0) for s in (0, 30, 120, 3600)
    ]
    assert seconds == [1, 2, 5, 15]
    assert [rules.poll_seconds(s, T0, T0) for s in ("stalled", "failed", "done")] == [None] * 3
    assert rules.poll_seconds("queued", T0, T0) == 1


def test_only_stalled_and_failed_jobs_with_a_runner_are_rerun():
    assert [rules.may_rerun(s) for s in ("queued", "running", "done", "failed", "stalled")] == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert rules.may_rerun("failed", has_runner=False) is False


# --- the heartbeat ----------------------------------------------------------------------------


def test_start_and_every_progress_beat(db, staff_user, township):
    with time_machine.travel(T0, tick=False):
        job = job_create(kind="test_counted", title="x", params={}, by=staff_user)
        assert job.heartbeat_at == T0
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        job_start(job)
    job.refresh_from_db()
    assert (job.heartbeat_at, job.attempts) == (T0 + timedelta(minutes=1), 1)
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        job_progress(job, 40, "x")
    job.refresh_from_db()
    assert job.heartbeat_at == T0 + timedelta(minutes=2)
    with time_machine.travel(T0 + timedelta(minutes=4, seconds=59), tick=False):
        assert job.current_state == "running"
    with time_machine.travel(T0 + timedelta(minutes=5, seconds=1), tick=False):
        assert job.current_state == "stalled"


# --- the page ---------------------------------------------------------------------------------


def test_a_stalled_job_page_stops_polling_and_offers_a_rerun(client_for, staff_user, township):
    job = _job(staff_user, township)
    body = client_for(staff_user).get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert "已停滞" in body
    assert "进行中" not in body
    assert "hx-get" not in body  # no more polling
    assert reverse("jobs:job_rerun", args=[job.pk]) in body
    assert "重新运行" in body


def test_a_live_job_polls_less_often_as_it_runs_long(client_for, staff_user, township):
    job = _job(staff_user, township, beat_ago=timedelta(seconds=5))
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=20))
    body = client_for(staff_user).get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="load delay:15s"' in body
    assert "重新运行" not in body
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now())
    body = client_for(staff_user).get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="load delay:1s"' in body


def test_the_api_reports_a_stalled_job_as_stalled(staff_user, township):
    job = _job(staff_user, township)
    api = APIClient()
    api.force_authenticate(staff_user)
    assert api.get(f"/api/jobs/{job.pk}/").json()["state"] == "stalled"


def test_a_failed_job_shows_its_reason_and_a_rerun(client_for, admin_user, township):
    job = job_create(kind="test_counted", title="x", params={}, township=township)
    job_failed(job, "OperationalError: server closed the connection")
    body = client_for(admin_user).get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert "OperationalError: server closed the connection" in body
    assert "重新运行" in body


# --- the rerun --------------------------------------------------------------------------------


def test_rerun_requeues_the_same_job_and_counts_the_attempt(
    client_for, staff_user, township, django_capture_on_commit_callbacks
):
    job = _job(staff_user, township)
    ran.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_user).post(reverse("jobs:job_rerun", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert ran == [job.pk]
    assert (job.state, job.progress, job.attempts) == ("done", 100, 2)
    assert Job.objects.count() == 1


def test_the_townships_admins_may_rerun_others_may_not(
    client,
    staff_user,
    admin_user,
    leader_user,
    secretary_a,
    other_village,
    township,
    django_capture_on_commit_callbacks,
):
    other_admin = UserFactory(role=Role.ADMIN, township=other_village.township)
    job = _job(staff_user, township)
    url = reverse("jobs:job_rerun", args=[job.pk])
    for outsider in (other_admin, leader_user, secretary_a):
        client.force_login(outsider)
        assert client.post(url).status_code == 404
    assert Job.objects.get(pk=job.pk).attempts == 1
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_a_running_or_done_job_is_not_rerun(
    client_for, staff_user, township, django_capture_on_commit_callbacks
):
    live = _job(staff_user, township, beat_ago=timedelta(seconds=1))
    done = job_create(kind="test_counted", title="x", params={}, by=staff_user)
    job_done(done, "ok")
    client = client_for(staff_user)
    ran.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for job in (live, done):
            response = client.post(reverse("jobs:job_rerun", args=[job.pk]), follow=True)
            assert "无需重新运行" in response.content.decode()
    assert callbacks == [] and ran == []
    assert Job.objects.get(pk=live.pk).state == "running"
    assert Job.objects.get(pk=done.pk).state == "done"


def test_rerun_from_the_panel_swaps_the_panel(
    client_for, admin_user, township, django_capture_on_commit_callbacks
):
    job = _job(admin_user, township)
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(admin_user).post(
            reverse("jobs:job_rerun", args=[job.pk]), HTTP_HX_REQUEST="true"
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="job-{job.pk}"' in body and "排队中" in body and "hx-get" in body


# --- the sweep --------------------------------------------------------------------------------


def test_the_sweep_stores_stalled_and_a_late_heartbeat_revives_the_job(staff_user, township):
    old = _job(staff_user, township)
    never_taken = _job(staff_user, township, state=JobState.QUEUED)
    fresh = _job(staff_user, township, beat_ago=timedelta(seconds=10))
    failed = _job(staff_user, township, state=JobState.FAILED)
    assert jobs_mark_stalled() == 2
    states = dict(Job.objects.values_list("pk", "state"))
    assert states == {
        old.pk: "stalled",
        never_taken.pk: "stalled",
        fresh.pk: "running",
        failed.pk: "failed",
    }
    assert jobs_mark_stalled() == 0
    job_progress(old, 60, "a redelivered task carries on")
    assert Job.objects.get(pk=old.pk).state == "running"


def test_the_sweep_is_scheduled_every_few_minutes(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="jobs.tasks.mark_stalled_jobs")
    assert task.enabled and task.crontab.minute == "*/2"


def test_the_jobs_pages_render_in_both_languages(client_for, admin_user, township):
    job = _job(admin_user, township)
    client = client_for(admin_user)
    for language in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in (reverse("jobs:job_list"), reverse("jobs:job_status", args=[job.pk])):
            response = client.get(url)
            assert response.status_code == 200
            assert f'lang="{language}"' in response.content.decode()
