"""The cases app's scheduled work: alerting township staff to assigned cases that fall due.

Township staff and admins are told of an assigned case entering "due soon" (预警), "overdue"
(超时) and "seriously overdue" (严重超时), once per case and tier (the tiers: cases/tiers.py).
Idempotent: a notification carries a dedupe key, so a rerun sends nothing more. The beat row
(django-celery-beat, jobs/migrations) names the task `cases.scheduled.case_alerts`; Celery finds
this module by autodiscovery (config/celery.py).
"""

from datetime import date

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.models import User
from jobs.services import notify
from jobs.tasks import RETRY

from .choices import AlertTier
from .models import AssignedCase
from .tiers import bounds_for
from .tiers import tier_q


@shared_task(**RETRY)
def case_alerts(self):
    return send_case_alerts(timezone.localdate())


def send_case_alerts(today: date) -> int:
    bounds = bounds_for(today)
    labels = {
        AlertTier.DUE_SOON: _("交办件即将到期(预警)"),
        AlertTier.OVERDUE: _("交办件已超时"),
        AlertTier.SERIOUSLY_OVERDUE: _("交办件严重超时"),
    }
    sent = 0
    for tier, title in labels.items():
        cases = AssignedCase.objects.filter(tier_q(tier, bounds)).select_related("village")
        by_township: dict[int, list] = {}
        for case in cases:
            by_township.setdefault(case.village.township_id, []).append(case)
        for township_id, township_cases in by_township.items():
            staff = list(
                User.objects.filter(
                    township_id=township_id, role__in=[Role.ADMIN, Role.STAFF], is_active=True
                )
            )
            for case in township_cases:
                sent += notify(
                    users=staff,
                    title=f"{title}:{case.village} · {case.title}",
                    body=_("办结期限 %(due)s") % {"due": case.due_date.isoformat()},
                    url=reverse("cases:assigned_detail", args=[case.pk]),
                    dedupe_key=f"case:{case.pk}:{tier}",
                )
    return sent
