"""Periods: open -> published -> closed -> reopened, every step attributed; contests."""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from assessment import services
from assessment.models import Contest
from assessment.models import Period
from assessment.models import PeriodEvent
from assessment.models import ScoreLine
from assessment.models import ScoreSheet
from assessment.periods import PeriodClosedError
from assessment.periods import ensure_open
from tests.assessment.period_steps import close_month


def test_a_closed_month_refuses_changes_and_names_the_month(township, admin_user, village_a):
    period = services.period_for(township.pk, 2026, 3)
    close_month(period, admin_user)
    with pytest.raises(PeriodClosedError) as exc:
        ensure_open(township.pk, date(2026, 3, 10))
    assert "2026年3月" in exc.value.messages[0]
    ensure_open(township.pk, date(2026, 4, 1))  # the next month stays open


def test_close_stores_final_sheets_and_locks_the_version(township, admin_user, village_a):
    period = services.period_for(township.pk, 2026, 3)
    close_month(period, admin_user, reason="月末关闭")
    sheet = ScoreSheet.objects.get(village=village_a, year=2026, month=3)
    assert sheet.version.is_locked
    event = PeriodEvent.objects.get(period=period, action="close")
    assert (event.by, event.reason) == (admin_user, "月末关闭")


def test_a_closed_month_is_not_recomputed(township, admin_user, village_a):
    period = services.period_for(township.pk, 2026, 3)
    close_month(period, admin_user)
    before = ScoreSheet.objects.get(village=village_a, year=2026, month=3).computed_at
    assert services.score_month(township_id=township.pk, year=2026, month=3) == 0
    assert ScoreSheet.objects.get(village=village_a, year=2026, month=3).computed_at == before


def test_reopen_needs_a_reason_that_is_kept(township, admin_user, village_a):
    period = services.period_for(township.pk, 2026, 3)
    close_month(period, admin_user)
    with pytest.raises(ValidationError):
        services.period_reopen(period=period, by=admin_user, reason="  ")
    services.period_reopen(period=period, by=admin_user, reason="补录漏报的巡逻记录")
    period.refresh_from_db()
    assert not period.is_closed
    assert period.events.filter(action="reopen", reason="补录漏报的巡逻记录").exists()
    ensure_open(township.pk, date(2026, 3, 10))


@pytest.mark.parametrize("role", ["staff", "leader", "secretary_a"])
def test_only_admins_move_periods(cast, township, role):
    period = services.period_for(township.pk, 2026, 3)
    with pytest.raises(PermissionDenied):
        services.period_close(period=period, by=cast[role])
    assert Period.objects.get(pk=period.pk).state == "open"


def _published_line(township, admin_user, village):
    period = services.period_for(township.pk, 2026, 4)
    with time_machine.travel(datetime(2026, 5, 3, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        services.period_publish(period=period, by=admin_user, today=date(2026, 5, 3))
    return (
        ScoreLine.objects.filter(sheet__village=village, sheet__month=4, points__lt=0)
        .order_by("position")
        .first()
    )


def test_contest_accepted_waives_its_line_on_recompute(
    township, admin_user, secretary_a, village_a
):
    line = _published_line(township, admin_user, village_a)
    assert line is not None, "a village with no records loses points (no evidence = not done)"
    before = ScoreSheet.objects.get(village=village_a, year=2026, month=4).total
    contest = services.contest_file(
        line=line, reason="已开会研究,会议记录在村委", by=secretary_a, today=date(2026, 5, 4)
    )
    with pytest.raises(ValidationError):
        services.period_close(period=Period.objects.get(year=2026, month=4), by=admin_user)
    services.contest_decide(contest=contest, accept=True, reason="核实属实", by=admin_user)
    after = ScoreSheet.objects.get(village=village_a, year=2026, month=4).total
    assert after == before - line.points
    waived = ScoreLine.objects.get(sheet__village=village_a, sheet__month=4, position=line.position)
    assert waived.waived and waived.points == 0 and "经申诉核减" in waived.reason
    assert Contest.objects.get(pk=contest.pk).decided_by == admin_user


def test_contest_rejected_keeps_the_score(township, admin_user, secretary_a, village_a):
    line = _published_line(township, admin_user, village_a)
    before = ScoreSheet.objects.get(village=village_a, year=2026, month=4).total
    contest = services.contest_file(
        line=line, reason="不同意", by=secretary_a, today=date(2026, 5, 4)
    )
    services.contest_decide(contest=contest, accept=False, reason="无证据", by=admin_user)
    assert ScoreSheet.objects.get(village=village_a, year=2026, month=4).total == before


def test_contest_after_five_working_days_is_refused(township, admin_user, secretary_a, village_a):
    line = _published_line(township, admin_user, village_a)
    period = Period.objects.get(year=2026, month=4)
    deadline = services.contest_deadline(period)
    with pytest.raises(ValidationError) as exc:
        services.contest_file(
            line=line, reason="迟到的申诉", by=secretary_a, today=date(2026, 12, 1)
        )
    assert deadline.isoformat() in exc.value.messages[0]


def test_secretary_cannot_contest_another_village(township, admin_user, secretary_b, village_a):
    line = _published_line(township, admin_user, village_a)
    with pytest.raises(PermissionDenied):
        services.contest_file(line=line, reason="x", by=secretary_b, today=date(2026, 5, 4))


def test_a_transaction_saving_many_records_queues_one_recompute(
    village_a, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from assessment.recompute import mark_stale

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for day in range(1, 29):
            mark_stale(village_a.pk, [date(2026, 4, day)])
        mark_stale(village_a.pk, [date(2026, 5, 1)])
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("year", "today", "months"),
    [
        (2025, date(2026, 11, 26), list(range(1, 13))),
        (2026, date(2026, 11, 26), list(range(1, 12))),
        (2026, date(2026, 1, 1), [1]),
        (2027, date(2026, 11, 26), []),
    ],
)
def test_a_year_is_scored_only_up_to_the_month_that_has_begun(year, today, months):
    assert services.months_to_score(year, today) == months


def test_recompute_year_stores_no_sheet_for_months_to_come(township, village_a):
    services.score_year(township_id=township.pk, year=2026, today=date(2026, 3, 15))
    assert sorted(ScoreSheet.objects.values_list("month", flat=True)) == [1, 2, 3]
