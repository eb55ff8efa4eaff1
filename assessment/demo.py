"""The demo township's year so far: records, scores, and the periods in the state a township
would have them in late in the year (earlier months closed, last month published)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from villages.demo import DEMO_REASON

from . import services
from .models import Period, PeriodState
from .synthetic import fill_demo_township


@transaction.atomic
def load_demo_records(township, admin, today: date | None = None) -> str:
    today = today or timezone.localdate()
    until = today - timedelta(days=1)
    if not fill_demo_township(township, year=until.year, until=until, by=admin, reason=DEMO_REASON):
        return "演示记录已存在,未重复生成"
    months = list(range(1, until.month + 1))
    services.score_months(township_id=township.pk, year=until.year, months=months, today=today)
    for month in months[:-2]:
        period = services.period_for(township.pk, until.year, month)
        if period.state != PeriodState.CLOSED:
            services.period_close(period=period, by=admin, reason="演示数据:月末关闭")
    if len(months) >= 2:
        last = services.period_for(township.pk, until.year, months[-2])
        if last.state == PeriodState.OPEN:
            services.period_publish(period=last, by=admin, today=today)
    closed = Period.objects.filter(township=township, state=PeriodState.CLOSED).count()
    return f"演示记录:{until.year}年1-{until.month}月,已关闭 {closed} 个月"
