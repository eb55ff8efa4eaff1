"""Issue 12 item 6: with Redis stopped, a save through the HTML form is saved once and says its
scores will follow; once Redis is back, the running worker reconnects, sweeps, and the month is
fresh within RECOVERY_SECONDS (measured: see the printed figure)."""

import re
import time
from datetime import date

import pytest
from django.urls import reverse

from assessment.models import ScoreSheet
from assessment.models import StaleVillageMonth
from governance.models import Patrol

from .conftest import wait_for

RECOVERY_SECONDS = 30


def _post_patrol(client, village, day):
    url = reverse("governance:patrol_create")
    html = client.get(url).content.decode()
    data = {
        name: value
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }
    data.update(
        {"village": village.pk, "date": day.isoformat(), "participants": "张三", "route": "村道"}
    )
    return client.post(url, data, follow=True)


@pytest.mark.django_db(transaction=True)
def test_a_save_during_a_redis_outage_is_kept_and_recomputed_when_redis_returns(
    make_worker, broker, village_a, staff_user, client_for
):
    worker = make_worker()
    worker.start()
    client = client_for(staff_user)
    broker.stop()

    started = time.monotonic()
    response = _post_patrol(client, village_a, date(2026, 5, 6))
    answered = time.monotonic() - started
    assert response.status_code == 200
    body = response.content.decode()
    assert "已保存" in body and "评分将在稍后自动更新" in body
    assert Patrol.objects.count() == 1
    assert StaleVillageMonth.objects.filter(village=village_a, year=2026, month=5).exists()

    broker.start()
    back = time.monotonic()

    def fresh():
        return (
            not StaleVillageMonth.objects.exists()
            and ScoreSheet.objects.filter(village=village_a, year=2026, month=5).exists()
        )

    assert wait_for(fresh, RECOVERY_SECONDS, 0.2), worker.log.read_text()[-3000:]
    print(
        f"\nsave answered in {answered:.1f} s with Redis down; month fresh "
        f"{time.monotonic() - back:.1f} s after Redis returned"
    )
