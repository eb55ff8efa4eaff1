"""Jobs and notifications: the writes, one function each.

What hands a job to Celery (start_job, job_rerun) is in jobs/tasks.py, beside the task it queues:
the task calls these writes, so they cannot import it back.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError
from django.db import transaction
from django.db.models import Case
from django.db.models import F
from django.db.models import Value
from django.db.models import When
from django.utils import timezone

from .models import Job
from .models import JobState
from .models import Notification
from .rules import ACTIVE
from .rules import STALL_AFTER
from .rules import is_stalled

log = logging.getLogger(__name__)


def job_create(*, kind: str, title: str, params: dict, by=None, township=None) -> Job:
    return Job.objects.create(
        kind=kind,
        title=title,
        params=params,
        requested_by=by,
        township=township,
        heartbeat_at=timezone.now(),  # a queued job no worker takes up stalls too
    )


def job_start(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        attempts=F("attempts") + 1,
        error="",
    )


def job_progress(job: Job, percent: int, message: str = "") -> None:
    """Record how far the job is; also its heartbeat. A job marked stalled whose worker turns
    out to be alive (slow, or the task redelivered) is running again."""
    Job.objects.filter(pk=job.pk).update(
        progress=max(0, min(100, percent)),
        message=message[:500],
        heartbeat_at=timezone.now(),
        state=Case(When(state=JobState.STALLED, then=Value(JobState.RUNNING)), default=F("state")),
    )


def job_done(job: Job, message: str = "", result_file=None) -> None:
    job.refresh_from_db()
    job.state = JobState.DONE
    job.progress = 100
    job.message = message[:500]
    job.finished_at = timezone.now()
    if result_file is not None:
        name, content = result_file
        job.result_file.save(name, content, save=False)
    job.save()


def job_failed(job: Job, error: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error=error[:5000], finished_at=timezone.now()
    )


def jobs_mark_stalled(now=None) -> int:
    """The sweep: store 已停滞 on the active jobs whose worker is gone (jobs/rules.py), so that
    every query by state agrees with the pages. A heartbeat arriving meanwhile wins."""
    now = now or timezone.now()
    marked = 0
    for pk, state, heartbeat_at, created_at in Job.objects.filter(state__in=ACTIVE).values_list(
        "pk", "state", "heartbeat_at", "created_at"
    ):
        if is_stalled(state, heartbeat_at or created_at, now):
            marked += Job.objects.filter(pk=pk, state=state, heartbeat_at=heartbeat_at).update(
                state=JobState.STALLED
            )
    if marked:
        log.warning("%d job(s) stalled: no heartbeat for %s", marked, STALL_AFTER)
    return marked


def notify(
    *, users: Iterable, title: str, body: str = "", url: str = "", dedupe_key: str = ""
) -> int:
    """Send each user a notification once per dedupe key; e-mail too when they have an address."""
    sent = 0
    for user in users:
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user=user, title=title, body=body, url=url, dedupe_key=dedupe_key
                )
        except IntegrityError:
            continue  # already told: running a reminder twice changes nothing more
        sent += 1
        if user.email and getattr(settings, "EMAIL_HOST", ""):
            send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
    return sent


def mark_read(*, user, pks=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())
