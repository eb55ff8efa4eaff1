"""Celery tasks of the scoring service; thin adapters over assessment.services.

Every task here is short (one township-month, or a bounded batch of them) and idempotent: the
broker redelivers a late-acknowledged task whose worker died only after its visibility timeout
(settings.CELERY_BROKER_TRANSPORT_OPTIONS), so no task may run anywhere near that long.
"""

import contextlib
import logging

from celery import shared_task
from django.core.cache import cache
from django.db import DatabaseError
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.services import job_done
from jobs.services import job_failed
from jobs.services import job_progress

from .services import recompute_stale_village_months
from .services import score_month

log = logging.getLogger(__name__)

# A burst of edits marks many village-months stale; one recompute, a few seconds later, rebuilds
# them all. The key lives while a recompute is queued.
PENDING_KEY = "kaohe:recompute-pending"
DEBOUNCE_SECONDS = 5
# One run of the sweep stops after this long and queues the rest: well under the visibility
# timeout, however many months an import marked stale.
BATCH_SECONDS = 60

RETRY = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    # A retry waits in a worker's memory, unacknowledged: shorter than the visibility timeout.
    "retry_backoff_max": 60,
    "max_retries": 5,
}


@shared_task(**RETRY)
def recompute_stale(self):
    try:
        cache.delete(PENDING_KEY)
    except Exception:  # the cache is Redis too; the database marks are what counts
        log.warning("debounce key not cleared", exc_info=True)
    rebuilt, more = recompute_stale_village_months(budget_seconds=BATCH_SECONDS)
    if more:
        recompute_stale.apply_async(ignore_result=True)
    return rebuilt


def enqueue_recompute() -> None:
    """Queue one debounced recompute. Raises when the broker is unreachable (the caller logs)."""
    try:
        first = cache.add(PENDING_KEY, 1, timeout=DEBOUNCE_SECONDS * 12)
    except Exception:
        # No cache, no debounce: queue anyway (a recompute too many is harmless, none is not).
        log.warning("debounce key not set; queuing without it", exc_info=True)
        first = True
    if not first:
        return
    try:
        # No result wanted: subscribing to one would retry a down Redis for seconds more.
        recompute_stale.apply_async(countdown=DEBOUNCE_SECONDS, ignore_result=True)
    except Exception:
        # Not queued: free the key so the next save tries again instead of waiting a minute.
        with contextlib.suppress(Exception):
            cache.delete(PENDING_KEY)
        raise


def sweep_now() -> None:
    """Queue a sweep at once (a worker that has just (re)connected to the broker)."""
    recompute_stale.apply_async(ignore_result=True)


@shared_task(**RETRY)
def recompute_month(self, township_id: int, year: int, month: int):
    """One township-month. The nightly recompute queued these before it fanned out per township
    (assessment/fanout.py); kept registered for the messages still in a broker's queue."""
    return score_month(township_id=township_id, year=year, month=month)


@shared_task(**RETRY)
def recompute_job_month(self, job_id: int, months: list[int], index: int, rebuilt: int = 0):
    """One month of a year-recompute job, then the next: each step is short, the job's progress
    is the share of months done, and a step delivered twice rebuilds the same sheets."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return "skipped"
    township_id, year, month = job.params["township_id"], job.params["year"], months[index]
    try:
        rebuilt += score_month(township_id=township_id, year=year, month=month)
    except DatabaseError as exc:
        if self.request.retries >= self.max_retries:
            job_failed(job, f"{type(exc).__name__}: {exc}")
        raise
    except Exception as exc:  # recorded for the admins to see, never silent
        log.exception("recompute job %s failed at month %s", job_id, month)
        job_failed(job, f"{type(exc).__name__}: {exc}")
        return "failed"
    job_progress(job, int((index + 1) * 100 / len(months)), _("已计算 %(m)d 月") % {"m": month})
    if index + 1 < len(months):
        recompute_job_month.apply_async(
            args=[job_id, months, index + 1, rebuilt], ignore_result=True
        )
        return "next"
    job_done(job, _("已重新计算 %(n)d 张月度评分表(已关闭月份保持不变)。") % {"n": rebuilt})
    return "done"
