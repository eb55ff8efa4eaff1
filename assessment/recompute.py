"""Marking village-months stale when their records change, and rebuilding them after commit."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from .models import StaleVillageMonth


def mark_stale(village_id: int, days: Iterable[date]) -> None:
    """Mark each month a record touches; the recompute runs once the transaction commits."""
    months = {(d.year, d.month) for d in days if d is not None}
    for year, month in sorted(months):
        StaleVillageMonth.objects.update_or_create(village_id=village_id, year=year, month=month)
    if months and not _already_queued():
        transaction.on_commit(_enqueue_recompute)


def _already_queued() -> bool:
    """One recompute per transaction, however many records it saves (an import of thousands)."""
    connection = transaction.get_connection()
    return any(entry[1] is _enqueue_recompute for entry in connection.run_on_commit)


def _enqueue_recompute() -> None:
    from .tasks import enqueue_recompute

    enqueue_recompute()
