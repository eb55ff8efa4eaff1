"""A real Celery worker, on Redis, against the test database (PostgreSQL: another process must
see the rows). Runs where both are configured, as in CI (.ci/run sets DATABASE_URL, REDIS_URL)."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from assessment.models import ScoreSheet
from assessment.models import StaleVillageMonth
from assessment.tasks import recompute_stale
from config.celery import app
from jobs.models import Job
from jobs.tasks import run_job
from sampledata.synthetic import in_order_month

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL), as in CI",
)


@pytest.fixture
def worker(transactional_db):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def test_worker_recomputes_stale_months(worker, township, village_a):
    in_order_month(village_a, 2026, 4)
    StaleVillageMonth.objects.create(village=village_a, year=2026, month=4)
    result = recompute_stale.apply_async(queue=worker)
    assert result.get(timeout=90) >= 1
    sheet = ScoreSheet.objects.get(village=village_a, year=2026, month=4)
    assert sheet.total > 0
    assert not StaleVillageMonth.objects.exists()
    # Run again: the same state (idempotent).
    assert recompute_stale.apply_async(queue=worker).get(timeout=90) == 0
    assert ScoreSheet.objects.get(village=village_a, year=2026, month=4).total == sheet.total


def test_worker_builds_an_export_and_a_rerun_changes_nothing(
    worker, township, admin_user, village_a
):
    from assessment import services

    in_order_month(village_a, 2026, 4)
    services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 9))
    job = Job.objects.create(
        kind="export_sheets",
        title="导出",
        params={"township_id": township.pk, "year": 2026, "month": 4},
        requested_by=admin_user,
        township=township,
    )
    run_job.apply_async(args=[job.pk], queue=worker)
    assert _wait_for(lambda: Job.objects.get(pk=job.pk).finished, 90)
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert job.result_file.name.endswith(".xlsx")
    name = job.result_file.name
    assert run_job.apply_async(args=[job.pk], queue=worker).get(timeout=90) == "skipped"
    job.refresh_from_db()
    assert job.result_file.name == name
