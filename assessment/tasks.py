"""Celery tasks of the scoring service; thin adapters over assessment.services."""

from celery import shared_task


@shared_task(
    bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def recompute_stale(self):
    from .services import recompute_stale_village_months

    return recompute_stale_village_months()
