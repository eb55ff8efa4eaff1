"""The rules of a job's life, as plain functions over plain values (no ORM, no clock).

A worker proves it is alive by its heartbeat: job_start and every job_progress stamp
`heartbeat_at`. A queued or running job whose heartbeat is older than STALL_AFTER has no worker
any more (killed, out of memory, machine restarted): it is 已停滞, its page stops polling and
offers 重新运行.

Why three minutes: the longest gap between two heartbeats is one chunk of work, and chunks are
short by design (a recompute is one task per township-month, about 2 s for 1,000 villages; an
export beats every 5 villages). Celery redelivers a late-acknowledged task after the broker's
visibility timeout, which is minutes too, so a township waits minutes at most either way: the
redelivered task revives the job on its first heartbeat, or someone presses 重新运行 (runners
are idempotent, so both happening at once only repeats work).
"""

from datetime import datetime
from datetime import timedelta

from .choices import JobState

STALL_AFTER = timedelta(minutes=3)

ACTIVE = (JobState.QUEUED, JobState.RUNNING)


def is_stalled(
    state: str, heartbeat_at: datetime | None, now: datetime, timeout: timedelta = STALL_AFTER
) -> bool:
    """Queued or running, and no sign of life for longer than `timeout`."""
    if state == JobState.STALLED:
        return True
    if state not in ACTIVE or heartbeat_at is None:
        return False
    return now - heartbeat_at > timeout


def current_state(state: str, heartbeat_at: datetime | None, now: datetime) -> str:
    """The state to show: the stored one, unless its worker is gone."""
    return JobState.STALLED if is_stalled(state, heartbeat_at, now) else state


def may_rerun(state: str, has_runner: bool = True) -> bool:
    """Only work that has ended badly is run again; a done job is final, an active one is
    still someone's. A job with no runner (a failure recorded for admins to see) cannot be."""
    return has_runner and state in (JobState.STALLED, JobState.FAILED)


def poll_seconds(state: str, started: datetime | None, now: datetime) -> int | None:
    """How long the page waits before asking again; None once there is nothing to wait for.

    A short job is followed closely; a long one need not cost a request a second for an hour.
    """
    if state not in ACTIVE:
        return None
    running_for = (now - started).total_seconds() if started else 0
    if running_for < 10:
        return 1
    if running_for < 60:
        return 2
    if running_for < 300:
        return 5
    return 15
