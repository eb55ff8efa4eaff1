"""Jobs and notifications: the writes, one function each."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Job, JobState, Notification


def job_create(*, kind: str, title: str, params: dict, by=None, township=None) -> Job:
    return Job.objects.create(
        kind=kind, title=title, params=params, requested_by=by, township=township
    )


def job_start(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1, error=""
    )


def job_progress(job: Job, percent: int, message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)), message=message[:500])


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
