"""Alert tiers at their boundaries, on the work calendar (holidays and make-up days count)."""

from datetime import date
from datetime import timedelta

import pytest
import time_machine

from cases.choices import AlertTier
from cases.models import AssignedCase
from cases.tiers import alert_tier
from cases.tiers import bounds_for
from cases.tiers import tier_for_dates
from cases.tiers import tier_q
from tests.cases.factories import AssignedCaseFactory
from workdays.calendar import WorkCalendar
from workdays.calendar import working_days_between

pytestmark = pytest.mark.django_db

# A case assigned 2026-09-15 is due Monday 2026-10-19 (after National Day).
DUE = date(2026, 10, 19)


def _case(**kw):
    return AssignedCase(assigned_date=date(2026, 9, 15), due_date=DUE, **kw)


@pytest.mark.parametrize(
    ("today", "tier"),
    [
        (date(2026, 9, 30), AlertTier.ON_TRACK),  # 10-08, 09, 10 (make-up Sat), 12..16, 19: nine
        (date(2026, 10, 1), AlertTier.ON_TRACK),  # a holiday: still nine
        (date(2026, 10, 10), AlertTier.ON_TRACK),  # 12..16 and 19: six working days left
        (date(2026, 10, 12), AlertTier.DUE_SOON),  # 13..16 and 19: five left
        (date(2026, 10, 19), AlertTier.DUE_SOON),  # the due date itself
        (date(2026, 10, 20), AlertTier.OVERDUE),  # one working day past
        (date(2026, 10, 24), AlertTier.OVERDUE),  # a Saturday, four working days past
        (date(2026, 10, 30), AlertTier.OVERDUE),  # nine working days past
        (date(2026, 10, 31), AlertTier.OVERDUE),  # Saturday: still nine
        (date(2026, 11, 2), AlertTier.SERIOUSLY_OVERDUE),  # ten working days past
    ],
)
def test_tier_boundaries(today, tier):
    assert alert_tier(_case(), today) == tier


def test_a_concluded_case_is_concluded_with_whether_it_was_on_time():
    on_time = _case(concluded_date=DUE)
    late = _case(concluded_date=DUE + timedelta(days=1))
    assert alert_tier(on_time, date(2026, 12, 1)) == AlertTier.CONCLUDED
    assert on_time.concluded_on_time is True
    assert alert_tier(late, date(2026, 12, 1)) == AlertTier.CONCLUDED
    assert late.concluded_on_time is False


def test_tiers_follow_their_definition_in_working_days_every_day_of_a_quarter():
    """Bounds are a shortcut; they must agree with counting working days directly."""
    calendar = WorkCalendar()
    for offset in range(0, 90):
        today = date(2026, 9, 1) + timedelta(days=offset)
        bounds = bounds_for(today, calendar=calendar)
        for due in (date(2026, 9, 1) + timedelta(days=d) for d in range(0, 90, 3)):
            if due >= today:
                left = working_days_between(today, due, calendar=calendar)
                expected = AlertTier.DUE_SOON if left <= 5 else AlertTier.ON_TRACK
            else:
                past = working_days_between(due, today, calendar=calendar)
                expected = AlertTier.SERIOUSLY_OVERDUE if past >= 10 else AlertTier.OVERDUE
            assert tier_for_dates(due, None, bounds) == expected, (today, due)


def test_the_database_filter_agrees_with_the_tier_of_each_case(village_a):
    today = date(2026, 10, 20)
    for d in range(-30, 30, 2):
        AssignedCaseFactory(
            village=village_a,
            assigned_date=date(2026, 8, 1),
            due_date=today + timedelta(days=d),
        )
    AssignedCaseFactory(village=village_a, concluded_date=date(2026, 4, 1))
    bounds = bounds_for(today)
    for tier in AlertTier.values:
        matched = set(
            AssignedCase.objects.filter(tier_q(tier, bounds)).values_list("pk", flat=True)
        )
        expected = {c.pk for c in AssignedCase.objects.all() if alert_tier(c, today) == tier}
        assert matched == expected, tier


def test_the_list_shows_the_tier_of_today(client_for, staff_user, village_a):
    AssignedCaseFactory(village=village_a, assigned_date=date(2026, 9, 15), title="国庆前交办")
    with time_machine.travel(date(2026, 10, 12), tick=False):
        body = client_for(staff_user).get("/cases/assigned/").content.decode()
        assert 'data-tier="due_soon"' in body
    with time_machine.travel(date(2026, 11, 2), tick=False):
        body = client_for(staff_user).get("/cases/assigned/").content.decode()
        assert 'data-tier="seriously_overdue"' in body
        assert "严重超时" in body
        filtered = client_for(staff_user).get("/cases/assigned/?tier=on_track").content.decode()
        assert "国庆前交办" not in filtered
        filtered = (
            client_for(staff_user).get("/cases/assigned/?tier=seriously_overdue").content.decode()
        )
        assert "国庆前交办" in filtered
