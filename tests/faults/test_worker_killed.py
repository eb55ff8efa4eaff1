"""Issue 12 item 10: a year recompute whose worker is SIGKILLed half-way is finished by a fresh
worker within minutes (the broker's visibility timeout), and its sheets are a clean run's."""

import time
from datetime import date
from pathlib import Path

import pytest

from assessment import services
from assessment.models import ScoreSheet
from jobs.models import Job
from jobs.tasks import start_job
from sampledata.synthetic import make_county

from .conftest import VISIBILITY_TIMEOUT
from .conftest import python_launcher
from .conftest import sheets_digest
from .conftest import wait_for

YEAR = 2025
SLOW = Path(__file__).with_name("slow_worker.py")


@pytest.mark.django_db(transaction=True)
def test_a_killed_year_recompute_is_finished_by_a_fresh_worker(make_worker, admin_user):
    township = make_county(villages=6, year=YEAR, seed=3, code="fault-kill")
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
    # Half-way: six months stored, the seventh in hand.
    assert wait_for(lambda: Job.objects.get(pk=job.pk).progress >= 50, 60, 0.05)
    doomed.kill()
    progress = Job.objects.get(pk=job.pk).progress
    assert 50 <= progress < 100, progress

    fresh = make_worker("fresh")
    killed = time.monotonic()
    fresh.start()  # start-up alone takes 5-15 s on a loaded 2-core machine
    ready = time.monotonic()
    finished = wait_for(lambda: Job.objects.get(pk=job.pk).finished, VISIBILITY_TIMEOUT + 40)
    done = time.monotonic()
    job.refresh_from_db()
    assert finished and job.state == "done", (job.state, job.error, fresh.log.read_text())
    print(
        f"\nkilled at {progress}%: done {done - killed:.1f} s after the kill, "
        f"{done - ready:.1f} s after the fresh worker was ready"
    )
    assert job.progress == 100
    assert sheets_digest(township.pk) == clean
