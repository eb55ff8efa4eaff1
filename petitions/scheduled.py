"""The petitions app's scheduled work: reminding secretaries of a screening report not yet in.

Each village secretary is reminded three days and one day before a report's due day (the
rubric's, 14th and 28th in the shipped readings), while the village's report for that half is not
in. Reads with the ORM, writes through jobs.services.notify, idempotent: a notification carries a
dedupe key, so a rerun sends nothing more. The beat row (django-celery-beat, jobs/migrations)
names the task `petitions.scheduled.report_reminders`; Celery finds this module by
autodiscovery (config/celery.py).
"""

from collections.abc import Callable
from datetime import date
from datetime import timedelta

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.models import User
from core.periods import ReportDays
from core.periods import halves_due
from jobs.services import notify
from jobs.tasks import RETRY
from villages.models import Township

from . import deadlines
from .models import DisputeReport

REPORT_REMINDER_DAYS = (3, 1)


def report_halves_to_remind(
    today: date, days_for: Callable[[int], ReportDays]
) -> list[tuple[int, int, int, date, int]]:
    """(year, month, half, due date, days before) of the halves whose reminder falls today;
    `days_for(year)` gives the year's due days (the rubric's: petitions.deadlines.days_for)."""
    found = []
    for days in REPORT_REMINDER_DAYS:
        due = today + timedelta(days=days)
        found += [(y, m, h, d, days) for y, m, h, d in halves_due(due, due, days_for)]
    return found


@shared_task(**RETRY)
def report_reminders(self):
    return send_report_reminders(timezone.localdate())


def send_report_reminders(today: date) -> int:
    sent = 0
    for township in Township.objects.all():
        # Each township's year has its own rubric, hence its own due days.
        days_for = deadlines.days_for(township.id)
        for year, month, half, due, days in report_halves_to_remind(today, days_for):
            sent += _remind_half(township, (year, month, half), due, days)
    return sent


def _remind_half(township, half_key, due: date, days: int) -> int:

    year, month, half = half_key
    done = set(
        DisputeReport.objects.filter(
            village__township=township,
            year=year,
            month=month,
            half=half,
            submitted_at__isnull=False,
        ).values_list("village_id", flat=True)
    )
    secretaries = (
        User.objects.filter(
            role=Role.SECRETARY,
            is_active=True,
            village__is_active=True,
            village__township=township,
        )
        .exclude(village_id__in=done)
        .select_related("village")
    )
    sent = 0
    for user in secretaries:
        if not user.village.owes_report(year, month, half):
            continue  # not set up yet, or merged away (villages.rules.owes_report)
        sent += notify(
            users=[user],
            title=_("排查报告将于 %(due)s 到期") % {"due": due.isoformat()},
            body=_("%(y)d年%(m)d月%(h)s排查报告未报送,请于 %(due)s 前报送(还剩 %(d)d 天)。")
            % {
                "y": year,
                "m": month,
                "h": _("上半月") if half == 1 else _("下半月"),
                "due": due.isoformat(),
                "d": days,
            },
            url=reverse("petitions:portal"),
            dedupe_key=f"report:{user.village_id}:{year}-{month}-{half}:{days}",
        )
    return sent
