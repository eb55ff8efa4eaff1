"""Issue 16, fan-out: two real workers share a district's townships. Each township's share is
made to take FAULT_TOWNSHIP_SECONDS longer (tests/faults/slow_worker.py) so that the sharing
shows whatever the machine's load: one worker alone would need the sum of them."""

import time
from pathlib import Path

import pytest

from assessment import fanout
from assessment.models import ScoreSheet
from jobs.models import Job
from sampledata.synthetic import make_district

from .conftest import python_launcher
from .conftest import wait_for

YEAR = 2025
TOWNSHIPS = 4
DELAY = 2.0
SLOW = Path(__file__).with_name("slow_worker.py")


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_a_districts_townships(make_worker):
    district = make_district(
        townships=TOWNSHIPS, villages_per_township=2, year=YEAR, seed=4, code="fanout"
    )
    workers = [make_worker(f"w{i}", FAULT_TOWNSHIP_SECONDS=str(DELAY)) for i in (1, 2)]
    for worker in workers:
        worker.launch(launcher=python_launcher(SLOW))
    for worker in workers:
        worker.wait_ready(40)

    started = time.monotonic()
    run = fanout.recompute_district(district=district, year=YEAR)
    assert wait_for(lambda: Job.objects.get(pk=run.pk).finished, TOWNSHIPS * DELAY + 30, 0.05)
    took = time.monotonic() - started
    run.refresh_from_db()
    states = list(run.children.values_list("state", flat=True))
    assert (run.state, states) == ("done", ["done"] * TOWNSHIPS), run.error
    assert ScoreSheet.objects.filter(village__township__district=district).count() == (
        TOWNSHIPS * 2 * 12
    )
    # Each worker ran townships, and together in less time than one would have slept alone.
    done = [w.log.read_text().count("jobs.tasks.run_job[") for w in workers]
    assert all(done), done
    assert took < TOWNSHIPS * DELAY, took
    print(f"\n{TOWNSHIPS} townships of {DELAY} s each on 2 workers: {took:.1f} s")
