"""Issue 12 item 10, the jobs side: a year recompute whose worker is SIGKILLed shows as stalled
(no polling, a 重新运行 button) once its heartbeat is older than jobs.rules.STALL_AFTER, and the
rerun pressed by the township's admin is finished by a fresh worker with a clean run's sheets,
although the lost task is redelivered too (runners are idempotent)."""

import time
from datetime import date
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from assessment import services
from assessment.models import ScoreSheet
from jobs import rules
from jobs.models import Job
from jobs.services import jobs_mark_stalled
from jobs.tasks import start_job
from sampledata.synthetic import make_county

from .conftest import VISIBILITY_TIMEOUT
from .conftest import python_launcher
from .conftest import sheets_digest
from .conftest import wait_for
from .test_worker_killed import SLOW

YEAR = 2025


@pytest.mark.django_db(transaction=True)
def test_a_killed_job_is_stalled_and_its_rerun_finishes(make_worker, admin_user, settings):
    settings.FORCE_PASSWORD_CHANGE = False
    township = make_county(villages=6, year=YEAR, seed=5, code="fault-stall")
    admin_user.township = township
    admin_user.save()
    services.score_year(township_id=township.pk, year=YEAR, today=date.today())
    clean = sheets_digest(township.pk)
    ScoreSheet.objects.all().delete()

    doomed = make_worker("doomed", FAULT_MONTH_SECONDS="0.5")
    doomed.start(launcher=python_launcher(SLOW))
    job = start_job(
        kind="recompute_year",
        title="重新计算",
        params={"township_id": township.pk, "year": YEAR, "months": list(range(1, 13))},
        by=admin_user,
        township=township,
    )
    assert wait_for(lambda: Job.objects.get(pk=job.pk).progress >= 30, 60, 0.05)
    doomed.kill()
    job.refresh_from_db()
    assert job.state == "running" and job.heartbeat_at is not None

    web = Client()
    web.force_login(admin_user)
    page = reverse("jobs:job_status", args=[job.pk])
    live = web.get(page, secure=True).content.decode()
    assert "hx-get" in live and "重新运行" not in live  # a fresh heartbeat: still followed

    # No worker beats any more: once STALL_AFTER has passed, the page and the sweep say so.
    later = job.heartbeat_at + rules.STALL_AFTER + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        stalled = web.get(page, secure=True).content.decode()
        assert jobs_mark_stalled() == 1
    assert "已停滞" in stalled and "hx-get" not in stalled and "重新运行" in stalled
    assert Job.objects.get(pk=job.pk).state == "stalled"

    assert web.post(reverse("jobs:job_rerun", args=[job.pk]), secure=True).status_code == 302
    fresh = make_worker("fresh")
    started = time.monotonic()
    fresh.start()
    finished = wait_for(lambda: Job.objects.get(pk=job.pk).finished, VISIBILITY_TIMEOUT + 60)
    took = time.monotonic() - started
    job.refresh_from_db()
    assert finished and job.state == "done", (job.state, job.error, fresh.log.read_text())
    print(f"\nrerun of a stalled job: done {took:.1f} s after the fresh worker started")
    assert job.attempts >= 2
    time.sleep(VISIBILITY_TIMEOUT + 2)  # let the redelivered original step run as well
    assert sheets_digest(township.pk) == clean
