"""A year the library lacks: provisional due dates, the banner, and entering the year."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from assessment.models import Period
from assessment.models import PeriodState
from cases import services
from cases.selectors import provisional_years
from workdays import services as calendar_services
from workdays.models import CalendarYear

pytestmark = pytest.mark.django_db

BANNER = "2027年节假日尚未录入,相关到期日为暂定(按周一至周五计算)"


@pytest.fixture
def december_case(village_a, staff_user, time_machine):
    time_machine.move_to(date(2026, 12, 20))  # an assignment has happened: today is after it
    return services.case_assign(
        village=village_a,
        title="年底交办",
        assigned_by="区长批示",
        assigned_date=date(2026, 12, 10),
        by=staff_user,
    )


def test_a_case_counted_into_2027_is_provisional_and_the_year_is_named(december_case):
    assert december_case.due_date == date(2027, 1, 7)
    assert december_case.due_provisional is True
    assert provisional_years() == [2027]


def test_the_banner_shows_on_case_pages_and_the_calendar_page(
    december_case, client_for, staff_user, admin_user
):
    client = client_for(staff_user)
    assert BANNER in client.get("/cases/assigned/").content.decode()
    detail = client.get(f"/cases/assigned/{december_case.pk}/").content.decode()
    assert BANNER in detail
    assert "暂定" in detail
    assert BANNER in client_for(admin_user).get("/workdays/").content.decode()


def test_entering_2027_recomputes_the_provisional_date(december_case, admin_user):
    calendar_services.set_override(
        day=date(2027, 1, 1), is_workday=False, note="元旦", by=admin_user
    )
    december_case.refresh_from_db()
    # The override alone moves the date but the year is not entered: still provisional.
    assert (december_case.due_date, december_case.due_provisional) == (date(2027, 1, 8), True)

    change = calendar_services.enter_year(year=2027, by=admin_user)
    december_case.refresh_from_db()
    assert december_case.due_date == date(2027, 1, 8)
    assert december_case.due_provisional is False
    assert [c.pk for c in change.recomputed.changed] == [december_case.pk]
    assert provisional_years() == []
    assert CalendarYear.objects.get(year=2027).entered_by == admin_user
    assert "节假日录入后重新计算暂定期限" in december_case.history.first().history_change_reason


def test_the_banner_goes_once_the_year_is_entered(december_case, admin_user, client_for):
    calendar_services.enter_year(year=2027, by=admin_user)
    assert BANNER not in client_for(admin_user).get("/cases/assigned/").content.decode()


def test_a_year_the_library_covers_cannot_be_entered(admin_user):
    with pytest.raises(ValidationError, match="内置法定节假日"):
        calendar_services.enter_year(year=2026, by=admin_user)


def test_only_a_township_admin_edits_the_calendar(staff_user):
    with pytest.raises(PermissionDenied):
        calendar_services.enter_year(year=2027, by=staff_user)
    with pytest.raises(PermissionDenied):
        calendar_services.set_override(day=date(2027, 1, 1), is_workday=False, by=staff_user)


def test_a_due_date_in_a_closed_month_is_left_and_reported(december_case, admin_user, township):
    Period.objects.create(township=township, year=2027, month=1, state=PeriodState.CLOSED)
    calendar_services.set_override(day=date(2027, 1, 1), is_workday=False, by=admin_user)
    change = calendar_services.enter_year(year=2027, by=admin_user)
    assert change.recomputed.changed == []
    [(case, message)] = change.recomputed.refused
    assert case.pk == december_case.pk
    assert "2027年1月" in message
    december_case.refresh_from_db()
    assert (december_case.due_date, december_case.due_provisional) == (date(2027, 1, 7), True)


def test_an_override_inside_a_running_count_moves_the_due_date(village_a, staff_user, admin_user):
    case = services.case_assign(
        village=village_a,
        title="x",
        assigned_by="区信访局",
        assigned_date=date(2026, 2, 5),
        by=staff_user,
    )
    calendar_services.set_override(day=date(2026, 3, 2), is_workday=False, by=admin_user)
    case.refresh_from_db()
    assert case.due_date == date(2026, 3, 12)
    calendar_services.delete_override(day=date(2026, 3, 2), by=admin_user)
    case.refresh_from_db()
    assert case.due_date == date(2026, 3, 11)


def test_withdrawing_an_entered_year_makes_its_dates_provisional_again(december_case, admin_user):
    calendar_services.enter_year(year=2027, by=admin_user)
    calendar_services.withdraw_year(year=2027, by=admin_user, reason="录入有误")
    december_case.refresh_from_db()
    assert december_case.due_provisional is True
