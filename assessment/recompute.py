"""Marking village-months stale when their records change, and rebuilding them after commit.

The stale mark, written in the record's own transaction, is the durable queue: queuing the
Celery task after commit is only a wake-up call. If it fails (Redis down) the save stands, the
failure is logged and the sweep, or a worker reconnecting to the broker, picks the month up.
"""

import contextvars
import logging
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from . import tasks
from .models import StaleVillageMonth

log = logging.getLogger(__name__)

# Whether the last transaction's wake-up call failed, for the page that saved it to say so.
_queue_failed: contextvars.ContextVar[bool] = contextvars.ContextVar("queue_failed", default=False)


def mark_stale(village_id: int, days: Iterable[date]) -> None:
    """Mark each month a record touches; the recompute runs once the transaction commits."""
    mark_stale_many({village_id: days})


def mark_stale_many(by_village: Mapping[int, Iterable[date]]) -> None:
    """Mark each (village, month) of the days, in one upsert however many there are (an import
    of 10,000 petitions over 1,000 villages: one statement, where a mark per village cost 7 s):
    a mark already there is kept, its time renewed. The recompute runs once the transaction
    commits."""
    marks = sorted(
        {(pk, d.year, d.month) for pk, days in by_village.items() for d in days if d is not None}
    )
    if not marks:
        return
    StaleVillageMonth.objects.bulk_create(
        [StaleVillageMonth(village_id=pk, year=y, month=m) for pk, y, m in marks],
        update_conflicts=True,
        unique_fields=["village", "year", "month"],
        update_fields=["marked_at"],
        batch_size=1000,
    )
    if not _already_queued():
        _queue_failed.set(False)
        transaction.on_commit(_enqueue_recompute)


def _already_queued() -> bool:
    """One recompute per transaction, however many records it saves (an import of thousands)."""
    connection = transaction.get_connection()
    return any(entry[1] is _enqueue_recompute for entry in connection.run_on_commit)


def _enqueue_recompute() -> None:
    """Runs after commit: nothing raised here may turn the committed save into an error."""
    try:
        tasks.enqueue_recompute()
    except Exception:
        log.warning("recompute not queued; the stale mark waits for the sweep", exc_info=True)
        _queue_failed.set(True)


def pending_notice() -> str:
    """The message for a page whose save could not queue its recompute (read once)."""
    if not _queue_failed.get():
        return ""
    _queue_failed.set(False)
    return _("记录已保存。评分将在稍后自动更新。")
