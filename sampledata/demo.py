"""The demo township's year so far: records, scores, and the periods in the state a township
would have them in late in the year (earlier months closed, last month published)."""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessment import services
from assessment.models import Period
from assessment.models import PeriodState
from sampledata.township import DEMO_REASON

from .synthetic import fill_demo_township


def _publish_after_month_end(period, admin) -> None:
    """Published on the first day after the month, as the township would have done: its contest
    window is long over, so the month may be closed (assessment/periods.py)."""
    day = date(period.year, period.month, 1) + timedelta(days=32)
    day = day.replace(day=1)
    at = timezone.make_aware(datetime.combine(day, time(9)))
    services.period_publish(period=period, by=admin, today=day, at=at)


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
        if period.state == PeriodState.OPEN:
            _publish_after_month_end(period, admin)
        if period.state == PeriodState.PUBLISHED:
            services.period_close(period=period, by=admin, reason="演示数据:月末关闭", today=today)
    if len(months) >= 2:
        last = services.period_for(township.pk, until.year, months[-2])
        if last.state == PeriodState.OPEN:
            services.period_publish(period=last, by=admin, today=today)
    closed = Period.objects.filter(township=township, state=PeriodState.CLOSED).count()
    return f"演示记录:{until.year}年1-{until.month}月,已关闭 {closed} 个月"
