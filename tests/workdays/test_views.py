"""The calendar page: township admins only; adding a day, entering a year, saying what moved."""

from datetime import date

import pytest
from django.urls import reverse

from cases import services
from workdays.models import CalendarDay
from workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("staff", 403), ("leader", 403), ("secretary_a", 403)],
)
def test_only_township_admins_open_the_calendar(client_for, cast, role, status):
    assert client_for(cast[role]).get(reverse("workdays:calendar")).status_code == status


def test_the_page_names_the_missing_year(client_for, admin_user, time_machine):
    time_machine.move_to(date(2026, 11, 26))
    body = client_for(admin_user).get(reverse("workdays:calendar")).content.decode()
    assert "未录入 · 暂定(按周一至周五)" in body
    assert 'class="missing-year"' in body
    assert "<td>2027</td>" in body


def test_an_admin_adds_a_holiday_and_enters_the_year(
    client_for, admin_user, village_a, time_machine
):
    time_machine.move_to(date(2026, 12, 20))  # an assignment has happened: today is after it
    case = services.case_assign(
        village=village_a,
        title="年底交办",
        assigned_by="区长批示",
        assigned_date=date(2026, 12, 10),
        by=admin_user,
    )
    client = client_for(admin_user)
    response = client.post(
        reverse("workdays:override_add"),
        {"date": "2027-01-01", "is_workday": "0", "note": "元旦"},
        follow=True,
    )
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).is_workday is False
    assert "年底交办(→2027-01-08)" in response.content.decode()

    # Without the confirmation box the year is not entered.
    response = client.post(reverse("workdays:year_enter"), {"year": "2027"})
    assert "请先录入该年全部节假日和调休上班日" in response.content.decode()
    assert not CalendarYear.objects.exists()

    response = client.post(
        reverse("workdays:year_enter"), {"year": "2027", "confirm": "on"}, follow=True
    )
    body = response.content.decode()
    assert "2027年节假日已确认录入" in body
    assert "2027年节假日尚未录入" not in body
    case.refresh_from_db()
    assert (case.due_date, case.due_provisional) == (date(2027, 1, 8), False)


def test_deleting_an_override(client_for, admin_user):
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False)
    client_for(admin_user).post(reverse("workdays:override_delete"), {"date": "2027-01-01"})
    assert not CalendarDay.objects.exists()


def test_a_staff_member_cannot_post_to_the_calendar(client_for, staff_user):
    response = client_for(staff_user).post(
        reverse("workdays:override_add"), {"date": "2027-01-01", "is_workday": "0"}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


def test_changes_are_kept_in_history_with_who_made_them(client_for, admin_user):
    client_for(admin_user).post(
        reverse("workdays:override_add"), {"date": "2027-01-01", "is_workday": "0"}
    )
    row = CalendarDay.objects.get()
    assert row.history.first().history_user == admin_user
