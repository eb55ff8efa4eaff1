"""The Celery side of jobs: acknowledged late, retried with backoff on database errors.

Running a job twice changes nothing more: a finished job is not run again, and runners rebuild
derived data (sheets, files) rather than adding to it.
"""

import logging

from celery import shared_task
from django.db import DatabaseError
from django.db import transaction

from .models import Job
from .models import JobState
from .registry import DEFERRED
from .registry import RUNNERS
from .services import job_done
from .services import job_failed
from .services import job_progress
from .services import job_start

log = logging.getLogger(__name__)


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
    from .services import job_create

    if kind not in RUNNERS:
        raise KeyError(kind)
    job = job_create(kind=kind, title=title, params=params, by=by, township=township)
    enqueue(job.pk)
    return job


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


def _today():
    from django.utils import timezone

    return timezone.localdate()


RETRY = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def report_reminders(self):
    from .scheduled import send_report_reminders

    return send_report_reminders(_today())


@shared_task(**RETRY)
def case_alerts(self):
    from .scheduled import send_case_alerts

    return send_case_alerts(_today())


@shared_task(**RETRY)
def close_reminders(self):
    from .scheduled import send_close_reminders

    return send_close_reminders(_today())


@shared_task(**RETRY)
def nightly_recompute(self):
    from .scheduled import recompute_open_periods

    return recompute_open_periods(_today())


@shared_task(**RETRY)
def mark_stalled_jobs(self):
    """Every few minutes (beat): store 已停滞 on jobs whose worker is gone."""
    from .services import jobs_mark_stalled

    return jobs_mark_stalled()


@shared_task(**RETRY)
def prune_submission_tokens(self):
    """Daily (beat): forget create tokens and Idempotency-Keys past their keep."""
    from core.submissions import prune

    return prune()
