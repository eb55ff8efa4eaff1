"""The Celery side of jobs: acknowledged late, retried with backoff on database errors.

Running a job twice changes nothing more: a finished job is not run again, and runners rebuild
derived data (sheets, files) rather than adding to it.

jobs sits in the bottom layer and knows no domain app: run_job finds a job's runner in
jobs.registry, which each app fills with `@runner` in its `<app>/jobs.py` (imported when Django
starts, jobs/apps.py). The scheduled work of an app (reminders, the nightly recompute) lives in
that app's `scheduled.py`, found by Celery's autodiscovery (config/celery.py), and uses RETRY.
"""

import logging

from celery import group
from celery import shared_task
from django.db import DatabaseError
from django.db import transaction
from django.utils import timezone

from core.submissions import prune

from .models import Job
from .models import JobState
from .registry import DEFERRED
from .registry import RUNNERS
from .services import job_create
from .services import job_done
from .services import job_failed
from .services import job_group_create
from .services import job_progress
from .services import job_roll_up
from .services import job_start
from .services import jobs_mark_stalled

log = logging.getLogger(__name__)

# The retry policy of every scheduled task (beat), here and in the apps' scheduled.py.
RETRY = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def run_job(self, job_id: int):
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.state == JobState.DONE:
        return "skipped"
    job_start(job)
    job.refresh_from_db()
    try:
        outcome = RUNNERS[job.kind](job, lambda p, m="": job_progress(job, p, m))
    except DatabaseError as exc:
        if self.request.retries >= self.max_retries:
            job_failed(job, f"{type(exc).__name__}: {exc}")
        raise
    except Exception as exc:  # any failure is recorded for the admins to see, never silent
        log.exception("job %s failed", job_id)
        job_failed(job, f"{type(exc).__name__}: {exc}")
        return "failed"
    if outcome is DEFERRED:
        return "deferred"
    message, result = outcome if isinstance(outcome, tuple) else (outcome, None)
    job_done(job, message or "", result)
    return "done"


def start_job(*, kind: str, title: str, params: dict, by=None, township=None) -> Job:
    """Create the job and hand it to Celery once the transaction commits."""
    if kind not in RUNNERS:
        raise KeyError(kind)
    job = job_create(kind=kind, title=title, params=params, by=by, township=township)
    enqueue(job.pk)
    return job


@transaction.atomic
def job_rerun(*, job: Job, by) -> bool:
    """Queue a stalled or failed job again, as the same job: its runner rebuilds what it makes,
    so running it twice changes nothing more; job_start counts the attempt. False when the job
    is no longer one to rerun (someone else did, or its worker came back)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not job.may_rerun:
        return False
    Job.objects.filter(pk=job.pk).update(
        state=JobState.QUEUED,
        progress=0,
        message="",
        error="",
        finished_at=None,
        heartbeat_at=timezone.now(),
    )
    log.info("job %s rerun by %s (after %s attempts)", job.pk, by, job.attempts)
    if job.parent_id:  # its run is under way again
        job_roll_up(job.parent_id)
    enqueue(job.pk)
    return True


def enqueue(job_id: int) -> None:
    """Hand the job to Celery once the transaction commits. A broker that is down never fails
    the request that asked: the job stays queued, shows as stalled once its heartbeat is old
    (jobs/rules.py) and can be run again from its page."""

    def send():
        try:
            run_job.delay(job_id)
        except Exception:
            log.exception("job %s could not be queued; it will show as stalled", job_id)

    transaction.on_commit(send)


def start_job_group(
    *, kind: str, title: str, params: dict, children: list[dict], by=None, township=None
) -> Job:
    """A parent job and one job per child, the children queued as one Celery group once the
    transaction commits: each child is a job of its own (its progress, its failure, its rerun),
    run by any free worker; the parent follows them (services.job_roll_up). With eager tasks
    the group runs its jobs one after the other, before this returns."""
    unknown = {child["kind"] for child in children} - set(RUNNERS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    with transaction.atomic():
        parent, pks = job_group_create(
            kind=kind, title=title, params=params, children=children, by=by, township=township
        )

        def send():
            try:
                group(run_job.si(pk) for pk in pks).apply_async()
            except Exception:
                log.exception("job group %s not queued; its jobs will show as stalled", parent.pk)

        transaction.on_commit(send)
    return parent


@shared_task(**RETRY)
def mark_stalled_jobs(self):
    """Every few minutes (beat): store 已停滞 on jobs whose worker is gone."""
    return jobs_mark_stalled()


@shared_task(**RETRY)
def prune_submission_tokens(self):
    """Daily (beat): forget create tokens and Idempotency-Keys past their keep."""
    return prune()
