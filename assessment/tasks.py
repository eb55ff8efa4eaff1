"""Celery tasks of the scoring service; thin adapters over assessment.services."""

from celery import shared_task
from django.core.cache import cache
from django.db import DatabaseError

# A burst of edits marks many village-months stale; one recompute, a few seconds later, rebuilds
# them all. The key lives while a recompute is queued.
PENDING_KEY = "kaohe:recompute-pending"
DEBOUNCE_SECONDS = 5


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def recompute_stale(self):
    from .services import recompute_stale_village_months

    cache.delete(PENDING_KEY)
    return recompute_stale_village_months()


def enqueue_recompute() -> None:
    if cache.add(PENDING_KEY, 1, timeout=DEBOUNCE_SECONDS * 12):
        recompute_stale.apply_async(countdown=DEBOUNCE_SECONDS)
