"""Issue 13: the work calendar as a month grid (weeks x Monday-Sunday), with its legend."""

import re
from datetime import date

import pytest
from django.urls import reverse

from workdays.models import CalendarDay
from workdays.models import CalendarYear
from workdays.selectors import HOLIDAY
from workdays.selectors import MAKEUP
from workdays.selectors import WEEKEND
from workdays.selectors import WORKDAY
from workdays.selectors import day_kind
from workdays.selectors import month_grid

pytestmark = pytest.mark.django_db


def test_october_2026_national_day_and_its_make_up_saturday():
    grid = month_grid(2026, 10)
    assert len(grid.weeks) == 5 and all(len(week) == 7 for week in grid.weeks)
    first = grid.weeks[0]
    assert first[0].date == date(2026, 9, 28) and not first[0].in_month  # a Monday
    assert first[3].date == date(2026, 10, 1)
    by_day = {d.date.day: d for d in grid.days()}
    assert len(by_day) == 31
    assert [by_day[n].kind for n in range(1, 8)] == [HOLIDAY] * 7  # 1-7 October off
    assert by_day[1].holiday == "国庆节" and by_day[3].holiday == "国庆节"  # Saturday inside it
    assert by_day[10].kind == MAKEUP and by_day[10].holiday == "国庆节"  # Saturday worked
    assert by_day[11].kind == WEEKEND and by_day[12].kind == WORKDAY
    assert not any(d.provisional or d.override for d in grid.days())


def test_an_override_is_marked_and_a_year_outside_the_library_is_provisional():
    CalendarDay.objects.create(date=date(2026, 10, 12), is_workday=False, note="防汛停工")
    by_day = {d.date.day: d for d in month_grid(2026, 10).days()}
    assert by_day[12].kind == HOLIDAY and by_day[12].override.note == "防汛停工"
    assert by_day[12].label == "休息日" and by_day[1].label == "法定节假日"
    january = month_grid(2027, 1)
    assert all(d.provisional for d in january.days())
    assert {d.kind for d in january.days()} == {WORKDAY, WEEKEND}
    CalendarYear.objects.create(year=2027, entered_at="2026-12-01T00:00:00Z")
    assert not any(d.provisional for d in month_grid(2027, 1).days())


def test_day_kind():
    assert day_kind(date(2026, 10, 10), True) == MAKEUP
    assert day_kind(date(2026, 10, 5), False) == HOLIDAY
    assert day_kind(date(2026, 10, 11), False) == WEEKEND
    assert day_kind(date(2026, 10, 12), True) == WORKDAY


def test_the_page_shows_the_grid_legend_and_navigation(client_for, admin_user):
    page = client_for(admin_user).get(reverse("workdays:calendar"), {"year": 2026, "month": 10})
    body = page.content.decode()
    assert "2026年10月" in body
    for label in ("工作日", "周末", "法定节假日", "调休上班", "人工调整"):
        assert label in body
    assert "周一" in body and "周日" in body
    assert "?year=2026&amp;month=9#month-grid" in body
    assert "?year=2026&amp;month=11#month-grid" in body
    cell = re.search(r'<td class="makeup[^"]*" data-date="2026-10-10">(.*?)</td>', body, re.S)
    assert cell and "调休上班" in cell.group(1) and "国庆节" in cell.group(1)
    assert re.search(r'<td class="holiday[^"]*" data-date="2026-10-01">', body)
    assert "2026年的人工调整" in body  # the list stays below the grid


def test_december_links_to_january_of_next_year_and_bad_input_falls_back(client_for, admin_user):
    client = client_for(admin_user)
    body = client.get(reverse("workdays:calendar"), {"year": 2026, "month": 12}).content.decode()
    assert "?year=2027&amp;month=1#month-grid" in body
    assert client.get(reverse("workdays:calendar"), {"year": "x", "month": "13"}).status_code == 200
    assert client.get(reverse("workdays:calendar"), {"year": 99999}).status_code == 200
