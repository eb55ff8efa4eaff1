"""The scheduled work: reads with selectors, writes through services, one function per task.

Each is idempotent: notifications carry a dedupe key, recomputes rebuild derived rows.
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.models import User
from assessment.models import Period
from assessment.models import PeriodState
from petitions import deadlines
from villages.models import Township

from . import reminders
from .services import notify


def send_report_reminders(today: date) -> int:
    sent = 0
    for township in Township.objects.all():
        # Each township's year has its own rubric, hence its own due days.
        days_for = deadlines.days_for(township.id)
        for year, month, half, due, days in reminders.report_halves_to_remind(today, days_for):
            sent += _remind_half(township, (year, month, half), due, days)
    return sent


def _remind_half(township, half_key, due: date, days: int) -> int:
    from petitions.models import DisputeReport

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


def send_case_alerts(today: date) -> int:
    from cases.choices import AlertTier
    from cases.models import AssignedCase
    from cases.tiers import bounds_for
    from cases.tiers import tier_q

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


def send_close_reminders(today: date) -> int:
    year, month = reminders.month_to_close(today)
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
            from assessment.services import contest_deadline

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
    """Nightly: every open month of the current year so far, for every township, queued as one
    short task per township-month (well under the broker's visibility timeout, however large
    the county). Returns the number of township-months queued."""
    from assessment.tasks import recompute_month

    queued = 0
    for township_id in Township.objects.values_list("pk", flat=True):
        open_months = set(range(1, today.month + 1)) - set(
            Period.objects.filter(
                township_id=township_id, year=today.year, state=PeriodState.CLOSED
            ).values_list("month", flat=True)
        )
        for month in sorted(open_months):
            recompute_month.apply_async(args=[township_id, today.year, month], ignore_result=True)
            queued += 1
    return queued
