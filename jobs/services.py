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
from django.db.models import Count
from django.db.models import F
from django.db.models import Value
from django.db.models import When
from django.utils import timezone
from django.utils.translation import gettext as _

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


def job_group_create(
    *, kind: str, title: str, params: dict, children: list[dict], by=None, township=None
) -> tuple[Job, list[int]]:
    """A parent job and its children (each a dict of kind, title, params, township), in a
    constant number of statements however many children: (parent, the children's pks)."""
    if not children:
        raise ValueError("a job group needs at least one child")
    now = timezone.now()
    parent = job_create(kind=kind, title=title, params=params, by=by, township=township)
    created = Job.objects.bulk_create(
        [
            Job(
                kind=child["kind"],
                title=child["title"],
                params=child["params"],
                township=child.get("township"),
                requested_by=by,
                parent=parent,
                heartbeat_at=now,
            )
            for child in children
        ]
    )
    return parent, [job.pk for job in created]


def job_start(job: Job) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        error="",
    )
    if job.parent_id:  # the run as a whole is under way once one of its jobs is
        Job.objects.filter(pk=job.parent_id, state__in=[JobState.QUEUED, JobState.STALLED]).update(
            state=JobState.RUNNING, started_at=now, heartbeat_at=now
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
    if job.parent_id:
        job_roll_up(job.parent_id)


def job_failed(job: Job, error: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error=error[:5000], finished_at=timezone.now()
    )
    if job.parent_id:
        job_roll_up(job.parent_id)


# A parent's failure names at most this many of its failed children (each has its own page).
FAILED_NAMED = 20


@transaction.atomic
def job_roll_up(parent_id: int) -> None:
    """The parent's state and progress, recounted from its children: running while any is
    unfinished, then done, or failed when any failed (each failure stays on its own job; the
    parent names them). Called after a child's own state is committed; the parent's row lock
    orders the children finishing at once on several workers, so the last recount sees them
    all. Children still queued behind their siblings share the run's heartbeat: they wait for a
    busy worker, not a dead one (jobs/rules.py)."""
    parent = Job.objects.select_for_update().filter(pk=parent_id).first()
    if parent is None:
        return
    children = Job.objects.filter(parent_id=parent_id)
    counts = dict(children.order_by().values_list("state").annotate(n=Count("pk")))
    total = sum(counts.values())
    done, failed = counts.get(JobState.DONE, 0), counts.get(JobState.FAILED, 0)
    now = timezone.now()
    values = {
        "progress": (done + failed) * 100 // total if total else 100,
        "heartbeat_at": now,
        "message": _("已完成 %(done)d 项,失败 %(failed)d 项,共 %(total)d 项")
        % {"done": done, "failed": failed, "total": total},
    }
    if done + failed < total:
        values.update(state=JobState.RUNNING, finished_at=None, error="")
        children.filter(state=JobState.QUEUED).update(heartbeat_at=now)
    elif failed:
        failures = children.filter(state=JobState.FAILED).order_by("pk")
        names = failures.values_list("title", flat=True)
        values.update(
            state=JobState.FAILED,
            finished_at=now,
            error=_("%(n)d 项失败:%(names)s")
            % {"n": failed, "names": "、".join(names[:FAILED_NAMED])},
        )
    else:
        values.update(state=JobState.DONE, finished_at=now, error="")
    Job.objects.filter(pk=parent_id).update(**values)


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
