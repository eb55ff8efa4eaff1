"""Reminders go to the right people on the right days, once (time-machine moves the clock)."""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from assessment.scheduled import close_reminders
from cases.scheduled import case_alerts
from config.celery import app as celery_app
from core.periods import ReportDays
from jobs.models import Notification
from petitions import scheduled as reminders
from petitions.models import DisputeReport
from petitions.scheduled import report_reminders

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 4, 11), [(2026, 4, 1, date(2026, 4, 14), 3)]),
        (date(2026, 4, 13), [(2026, 4, 1, date(2026, 4, 14), 1)]),
        (date(2026, 4, 25), [(2026, 4, 2, date(2026, 4, 28), 3)]),
        (date(2026, 4, 27), [(2026, 4, 2, date(2026, 4, 28), 1)]),
        (date(2026, 4, 12), []),
        (date(2026, 4, 14), []),
    ],
)
def test_report_reminders_fall_three_days_and_one_day_before(today, expected):
    table_days = ReportDays((14, 28))  # the shipped readings' (评分表 一.4)
    assert reminders.report_halves_to_remind(today, lambda _year: table_days) == expected


def _run_on(day: date, task):
    with time_machine.travel(datetime(day.year, day.month, day.day, 8, tzinfo=SH), tick=False):
        return task.apply().get()


def test_only_secretaries_whose_report_is_missing_are_reminded(
    secretary_a, secretary_b, village_a, staff_user
):
    DisputeReport.objects.create(
        village=village_a,
        year=2026,
        month=4,
        half=1,
        submitted_at=datetime(2026, 4, 10, 9, tzinfo=SH),
        signed_by="书记",
    )
    assert _run_on(date(2026, 4, 11), report_reminders) == 1
    (note,) = Notification.objects.all()
    assert note.user == secretary_b
    assert "2026-04-14" in note.title
    assert _run_on(date(2026, 4, 11), report_reminders) == 0  # twice: nothing more
    assert _run_on(date(2026, 4, 13), report_reminders) == 1  # the one-day reminder
    assert _run_on(date(2026, 4, 12), report_reminders) == 0
    assert not Notification.objects.filter(user=staff_user).exists()


def test_case_alerts_reach_township_staff_once_per_tier(village_a, staff_user, admin_user):
    from cases.models import AssignedCase

    AssignedCase.objects.create(
        village=village_a,
        title="交办件",
        assigned_by="区信访局",
        assigned_date=date(2026, 3, 2),
        due_date=date(2026, 3, 30),
    )
    assert _run_on(date(2026, 3, 25), case_alerts) == 2  # 预警 to staff and admin
    assert _run_on(date(2026, 3, 26), case_alerts) == 0
    assert _run_on(date(2026, 4, 2), case_alerts) == 2  # 超时
    titles = set(Notification.objects.values_list("title", flat=True))
    assert any("预警" in t for t in titles) and any("超时" in t for t in titles)


def test_admins_are_asked_to_close_last_month_until_it_is(township, admin_user, staff_user):
    from assessment import services
    from tests.assessment.period_steps import close_month

    assert _run_on(date(2026, 5, 1), close_reminders) == 1
    assert _run_on(date(2026, 5, 2), close_reminders) == 0
    close_month(services.period_for(township.pk, 2026, 5), admin_user)
    assert _run_on(date(2026, 6, 1), close_reminders) == 0
    assert Notification.objects.filter(user=admin_user).count() == 1
    assert not Notification.objects.filter(user=staff_user).exists()


def test_the_month_end_reminder_asks_first_to_publish_then_to_close(township, admin_user):
    from assessment import services
    from tests.assessment.period_steps import close_month
    from tests.assessment.period_steps import publish_month

    assert _run_on(date(2026, 5, 1), close_reminders) == 1
    (first,) = Notification.objects.filter(user=admin_user)
    assert first.title == "请公示 2026年4月 的考核"  # closing it now would be refused
    april = services.period_for(township.pk, 2026, 4)
    publish_month(april, admin_user, day=date(2026, 5, 6))
    assert _run_on(date(2026, 5, 7), close_reminders) == 1
    second = Notification.objects.filter(user=admin_user).exclude(pk=first.pk).get()
    deadline = services.contest_deadline(april).isoformat()
    assert second.title == "2026年4月 已公示,申诉期过后请关闭" and deadline in second.body
    assert _run_on(date(2026, 5, 8), close_reminders) == 0
    close_month(april, admin_user)
    assert _run_on(date(2026, 5, 8), close_reminders) == 0


def test_default_schedules_are_installed_and_editable(db):
    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "petitions.scheduled.report_reminders",
        "cases.scheduled.case_alerts",
        "assessment.scheduled.close_reminders",
        "assessment.scheduled.nightly_recompute",
        "assessment.tasks.recompute_stale",
    } <= tasks


def test_every_beat_row_names_a_task_the_worker_knows(db):
    """Beat sends a row's task by name: each default row's name must be one that Celery's
    autodiscovery (config/celery.py) registers, wherever the task has moved."""
    celery_app.loader.import_default_modules()  # what a worker and beat do when they start
    unknown = set(PeriodicTask.objects.values_list("task", flat=True)) - set(celery_app.tasks)
    assert unknown == set()
