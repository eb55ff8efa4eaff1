"""core/periods.py: the month and quarter arithmetic written once (issue 15)."""

from datetime import date

import pytest

from core import periods


@pytest.mark.parametrize(
    ("year", "month", "last"),
    [(2026, 1, 31), (2026, 2, 28), (2024, 2, 29), (2026, 4, 30), (2026, 12, 31)],
)
def test_month_end(year, month, last):
    assert periods.month_end(year, month) == date(year, month, last)


def test_month_ends_between_includes_both_ends():
    assert periods.month_ends_between(date(2026, 1, 31), date(2026, 3, 31)) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
    ]
    assert periods.month_ends_between(date(2026, 12, 1), date(2027, 1, 31)) == [
        date(2026, 12, 31),
        date(2027, 1, 31),
    ]
    assert periods.month_ends_between(date(2026, 1, 1), date(2026, 1, 30)) == []


@pytest.mark.parametrize(("month", "quarter"), [(1, 1), (3, 1), (4, 2), (9, 3), (10, 4), (12, 4)])
def test_quarter_of(month, quarter):
    assert periods.quarter_of(month) == quarter
    assert month in periods.quarter_months(quarter)


def test_quarter_bounds():
    assert periods.quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert periods.quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert periods.quarter_months(2) == (4, 5, 6)
