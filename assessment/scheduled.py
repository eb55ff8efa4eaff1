"""The assessment app's scheduled work: the month-end reminder and the nightly recompute.

- Township admins, from the 1st of a month while last month is not closed, are asked to publish
  it, then (once published) to close it after the contest period: once per month and state.
- Every night, each open month of the year so far is recomputed: one job per township (all
  its open months in one short task), one group of them per district.

Idempotent: notifications carry a dedupe key, recomputes rebuild derived rows. The beat rows
(django-celery-beat, jobs/migrations) name the tasks `assessment.scheduled.close_reminders` and
`assessment.scheduled.nightly_recompute`; Celery finds this module by autodiscovery
(config/celery.py).
"""

from datetime import date
from datetime import timedelta

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.models import User
from jobs.services import notify
from jobs.tasks import RETRY
from villages.models import Township

from .fanout import recompute_nightly
from .models import Period
from .models import PeriodState
from .services import contest_deadline


def month_to_close(today: date) -> tuple[int, int]:
    """The month admins are asked to close: the one before today's."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.year, last.month


@shared_task(**RETRY)
def close_reminders(self):
    return send_close_reminders(timezone.localdate())


@shared_task(**RETRY)
def nightly_recompute(self):
    return recompute_open_periods(timezone.localdate())


def send_close_reminders(today: date) -> int:
    year, month = month_to_close(today)
    sent = 0
    for township in Township.objects.all():
        period = Period.objects.filter(township=township, year=year, month=month).first()
        state = period.state if period is not None else PeriodState.OPEN
        if state == PeriodState.CLOSED:
            continue
        if state == PeriodState.OPEN:
            # A month is published before it is closed (assessment/periods.py): ask for that.
            title = _("请公示 %(y)d年%(m)d月 的考核") % {"y": year, "m": month}
            body = _("确认记录已录入完毕后公示该月;村(居)5个工作日申诉期过后、申诉处理完毕再关闭。")
        else:
            deadline = contest_deadline(period)
            title = _("%(y)d年%(m)d月 已公示,申诉期过后请关闭") % {"y": year, "m": month}
            body = _("申诉截止 %(d)s;申诉处理完毕后关闭该月以冻结评分。") % {
                "d": deadline.isoformat() if deadline else "—"
            }
        admins = User.objects.filter(township=township, role=Role.ADMIN, is_active=True)
        sent += notify(
            users=admins,
            title=title,
            body=body,
            url=reverse("assessment:periods") + f"?year={year}",
            dedupe_key=f"close:{township.pk}:{year}-{month}:{state}",
        )
    return sent


def recompute_open_periods(today: date) -> int:
    """Nightly: every open month of the current year so far, for every township, fanned out as
    a district recompute is (assessment/fanout.py): one job per township, on /jobs/, queued as
    one group per district. Returns the number of townships queued."""
    return sum(run.children.count() for run in recompute_nightly(today))
