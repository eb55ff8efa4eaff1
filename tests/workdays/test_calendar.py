"""The work calendar against docs/rubric.md "Deadlines", one case per row of the document."""

from datetime import date
from datetime import timedelta

import chinese_calendar
import pytest

from workdays.calendar import WorkCalendar
from workdays.calendar import add_working_days
from workdays.calendar import is_workday
from workdays.calendar import library_covers
from workdays.calendar import working_days_between
from workdays.models import CalendarDay
from workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


def test_spring_festival_2026_assigned_on_feb_5_is_due_on_march_11():
    result = add_working_days(date(2026, 2, 5), 20)
    assert result.date == date(2026, 3, 11)
    assert result.provisional is False
    assert result.missing_years == ()


def test_national_day_2026_counts_the_make_up_sunday_and_saturday():
    assert is_workday(date(2026, 9, 20)) == (True, False)  # make-up Sunday
    assert is_workday(date(2026, 10, 10)) == (True, False)  # make-up Saturday
    assert add_working_days(date(2026, 9, 15), 20).date == date(2026, 10, 19)


def test_a_start_on_a_holiday_counts_from_the_next_day():
    # 2026-10-01 is National Day; the holiday runs to 10-07, then 10-08, 10-09, 10-10 (make-up
    # Saturday) are the first three working days.
    assert add_working_days(date(2026, 10, 1), 1).date == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 1), 3).date == date(2026, 10, 10)
    assert add_working_days(date(2026, 10, 1), 20).date == date(2026, 11, 3)
    # The library's own helper is one day late here (docs/stack.md), which is why it is unused.
    assert chinese_calendar.find_workday(20, date(2026, 10, 1)) == date(2026, 11, 4)


def test_the_start_day_never_counts_even_when_it_is_a_working_day():
    assert add_working_days(date(2026, 3, 2), 1).date == date(2026, 3, 3)  # Monday -> Tuesday
    assert add_working_days(date(2026, 3, 6), 1).date == date(2026, 3, 9)  # Friday -> Monday


def test_a_year_the_library_lacks_is_counted_monday_to_friday_and_marked_provisional():
    assert not library_covers(2027)
    result = add_working_days(date(2026, 12, 10), 20)
    # Dec 11 .. Dec 31 give 15 working days, then Jan 1 (Fri) and Jan 4-7 2027 Mon-Fri.
    assert result.date == date(2027, 1, 7)
    assert result.provisional is True
    assert result.missing_years == (2027,)
    assert is_workday(date(2027, 1, 1)) == (True, True)


def test_entering_the_year_makes_the_date_final_and_counts_its_holidays():
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    still = add_working_days(date(2026, 12, 10), 20)
    assert (still.date, still.provisional) == (date(2027, 1, 8), True)

    CalendarYear.objects.create(year=2027, entered_at="2026-12-01T09:00+08:00")
    final = add_working_days(date(2026, 12, 10), 20)
    assert final.date == date(2027, 1, 8)
    assert final.provisional is False
    assert final.missing_years == ()


def test_an_override_comes_before_the_library():
    CalendarDay.objects.create(date=date(2026, 3, 3), is_workday=False, note="临时停工")
    CalendarDay.objects.create(date=date(2026, 3, 7), is_workday=True, note="周六加班")
    assert is_workday(date(2026, 3, 3)) == (False, False)
    assert is_workday(date(2026, 3, 7)) == (True, False)
    # Mon 3-2 start: 3-4 (1), 3-5 (2), 3-6 (3), Sat 3-7 (4)
    assert add_working_days(date(2026, 3, 2), 4).date == date(2026, 3, 7)


def test_an_override_in_a_missing_year_is_final_for_that_day_only():
    CalendarDay.objects.create(date=date(2027, 2, 6), is_workday=True, note="调休")
    assert is_workday(date(2027, 2, 6)) == (True, False)
    assert is_workday(date(2027, 2, 8)) == (True, True)


def test_a_year_before_the_library_is_provisional_too():
    result = add_working_days(date(2003, 12, 1), 5)
    assert result.provisional and result.missing_years == (2003,)


def test_working_days_between_counts_after_a_up_to_and_including_b():
    assert working_days_between(date(2026, 10, 19), date(2026, 10, 19)) == 0
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert working_days_between(date(2026, 2, 5), date(2026, 3, 11)) == 20
    assert working_days_between(date(2026, 3, 11), date(2026, 2, 5)) == -20


def test_a_count_costs_one_query_however_long(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(date(2026, 2, 5), 20)
    with django_assert_num_queries(1):
        working_days_between(date(2026, 1, 1), date(2026, 3, 31))


def test_a_count_into_a_missing_year_adds_one_query_for_the_entered_years(
    django_assert_num_queries,
):
    with django_assert_num_queries(2):
        add_working_days(date(2026, 12, 10), 20)


def test_one_calendar_serves_many_counts():
    calendar = WorkCalendar()
    for offset in range(60):
        calendar.add_working_days(date(2026, 1, 1) + timedelta(days=offset), 20)
    assert calendar.queries <= 3


def test_nth_working_day_back_includes_the_day_itself():
    calendar = WorkCalendar()
    assert calendar.nth_working_day_back(date(2026, 10, 19), 1) == date(2026, 10, 19)
    # Back from Mon 10-19: 10-16, 10-15, 10-14, 10-13, 10-12, Sat 10-10, 10-09, 10-08.
    assert calendar.nth_working_day_back(date(2026, 10, 19), 9) == date(2026, 10, 8)
    assert calendar.nth_working_day_back(date(2026, 10, 19), 10) == date(2026, 9, 30)
