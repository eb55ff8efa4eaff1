"""Issue 12 item 5: eight admins recompute the same month at once, each request on its own
database connection: no error, and the sheets are the ones a single recompute stores."""

import threading
from datetime import date

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from assessment import services
from sampledata.synthetic import in_order_month

from .conftest import sheets_digest


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_recomputes_of_a_month(township, village_a, village_b, admin_user):
    for village in (village_a, village_b):
        in_order_month(village, 2026, 4)
    services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 9))
    single = sheets_digest(township.pk)

    url = reverse("assessment:period_action", args=[2026, 4])
    barrier, statuses, errors = threading.Barrier(8), [], []

    def recompute():
        client = Client()
        client.force_login(admin_user)
        try:
            barrier.wait()
            statuses.append(client.post(url, {"action": "recompute"}).status_code)
        except Exception as exc:  # named by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=recompute) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert statuses == [302] * 8
    assert sheets_digest(township.pk) == single
