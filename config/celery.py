import logging
import os

from celery import Celery
from celery import bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

log = logging.getLogger(__name__)

app = Celery("kaohe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Each app's scheduled work (the tasks beat runs: reminders, the nightly recompute) lives in
# the app that owns it, as `<app>/scheduled.py`; the beat rows name them by task name.
app.autodiscover_tasks(related_name="scheduled")


class SweepOnConnect(bootsteps.StartStopStep):
    """Each time the worker's consumer (re)connects to the broker (the worker starting, or Redis
    coming back after an outage), queue a sweep of the stale village-months at once: saves made
    while the broker was unreachable could not queue their recompute, and their months must not
    wait for the next scheduled sweep."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, c):
        try:
            # Not at the top: config.celery is imported with config (config/__init__.py), before
            # Django's app registry is ready, and assessment.tasks imports models.
            from assessment.tasks import sweep_now

            sweep_now()
        except Exception:  # never keep a worker from consuming
            log.warning("sweep on connect not queued", exc_info=True)


app.steps["consumer"].add(SweepOnConnect)
