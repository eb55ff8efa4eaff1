"""The plain rules, on plain values (no database)."""

from datetime import date

import pytest

from governance import rules
from governance.choices import RAILWAY_ONLY_GROUPS
from governance.choices import GroupKind


def test_april_2026_has_the_five_weeks_whose_thursday_is_in_april():
    weeks = rules.weeks_of_month(2026, 4)
    assert weeks[0] == (date(2026, 3, 30), date(2026, 4, 5))
    assert weeks[-1] == (date(2026, 4, 27), date(2026, 5, 3))
    assert len(weeks) == 5


def test_a_week_is_never_in_two_months():
    for month in range(1, 12):
        this, following = rules.weeks_of_month(2026, month), rules.weeks_of_month(2026, month + 1)
        assert this[-1][1] < following[0][0]
        assert (following[0][0] - this[-1][1]).days == 1


def test_january_2027_starts_in_2026_when_the_thursday_allows():
    # 2026-12-31 is a Thursday: the week Dec 28 - Jan 3 belongs to December.
    assert rules.weeks_of_month(2026, 12)[-1] == (date(2026, 12, 28), date(2027, 1, 3))
    assert rules.weeks_of_month(2027, 1)[0] == (date(2027, 1, 4), date(2027, 1, 10))


@pytest.mark.parametrize(("count", "missing"), [(0, 3), (1, 2), (3, 0), (5, 0)])
def test_missing_patrols_against_three_a_week(count, missing):
    assert rules.missing_patrols(count) == missing


def test_active_includes_its_first_and_its_last_day():
    # core/spans.py: a register's end date is its last day, as every register counts it.
    assert rules.is_active(date(2026, 1, 1), None, date(2026, 1, 1))
    assert not rules.is_active(date(2026, 1, 2), None, date(2026, 1, 1))
    assert rules.is_active(date(2026, 1, 1), date(2026, 2, 28), date(2026, 2, 28))
    assert not rules.is_active(date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 1))


@pytest.mark.parametrize(
    ("raw", "ok", "stored"),
    [
        ("0571-88886666", True, "057188886666"),
        ("8888 6666", True, "88886666"),
        ("(0571)8888666", True, "05718888666"),
        ("12345", False, "12345"),
        ("0571-8888abcd", False, "05718888abcd"),
        ("0571888866661234", False, "0571888866661234"),
    ],
)
def test_phone_numbers(raw, ok, stored):
    assert rules.is_valid_phone(raw) is ok
    assert rules.normalise_phone(raw) == stored


def test_railway_group_is_required_only_along_a_railway():
    kinds = GroupKind.values
    assert "railway" not in rules.required_groups(False, kinds, RAILWAY_ONLY_GROUPS)
    assert len(rules.required_groups(False, kinds, RAILWAY_ONLY_GROUPS)) == 9
    assert len(rules.required_groups(True, kinds, RAILWAY_ONLY_GROUPS)) == 10


APR_30 = date(2026, 4, 30)


def covered(day=APR_30, active=(), registrations=(), zero_reports=()):
    return rules.covered_categories(
        day, active=active, registrations=registrations, zero_reports=zero_reports
    )


def test_a_registered_person_covers_the_category():
    assert covered(active=["mental"]) == {"mental"}


def test_a_zero_report_covers_its_month_and_later_months_of_the_year():
    reports = [("cult", date(2026, 2, 3))]
    assert covered(day=date(2026, 2, 28), zero_reports=reports) == {"cult"}
    assert covered(day=APR_30, zero_reports=reports) == {"cult"}
    assert covered(day=date(2026, 1, 31), zero_reports=reports) == frozenset()


def test_a_zero_report_does_not_reach_into_the_next_year():
    assert covered(day=date(2027, 1, 31), zero_reports=[("cult", date(2026, 12, 1))]) == set()


def test_a_zero_report_dated_after_the_day_does_not_count():
    assert covered(zero_reports=[("drug", date(2026, 5, 2))]) == frozenset()


def test_a_registration_after_a_zero_report_ends_it_even_once_removed_again():
    # Zero report in February; a drug user registered in March and removed in April: by the
    # end of April nobody is on the register and the February report no longer speaks.
    reports = [("drug", date(2026, 2, 1))]
    registrations = [("drug", date(2026, 3, 10))]
    assert covered(zero_reports=reports, registrations=registrations) == frozenset()
    # A new zero report after the removal covers it again.
    reports.append(("drug", date(2026, 4, 20)))
    assert covered(zero_reports=reports, registrations=registrations) == {"drug"}


def test_a_registration_of_another_category_leaves_the_zero_report_alone():
    assert covered(
        zero_reports=[("drug", date(2026, 2, 1))], registrations=[("mental", date(2026, 3, 1))]
    ) == {"drug"}


def test_the_draw_is_reproducible_and_independent_of_reading_order():
    population = list(range(100, 140))
    first = rules.draw_sample(population, 15, seed=2026)
    assert first == rules.draw_sample(list(reversed(population)), 15, seed=2026)
    assert len(set(first)) == 15 and set(first) <= set(population)
    assert first != rules.draw_sample(population, 15, seed=2027)


def test_standing_dates_are_the_month_ends_up_to_the_current_month():
    today = date(2026, 4, 15)
    assert rules.standing_dates(date(2026, 1, 10), None, today) == [
        date(2026, 1, 10),
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    # Last on the register on Mar 30: not at the end of March any more.
    assert rules.standing_dates(date(2026, 1, 10), date(2026, 3, 30), today)[-1] == date(
        2026, 2, 28
    )
    # Last on the register on Mar 31: still read at the end of March.
    assert rules.standing_dates(date(2026, 1, 10), date(2026, 3, 31), today)[-1] == date(
        2026, 3, 31
    )
    assert rules.standing_dates(date(2026, 6, 1), None, today) == [date(2026, 6, 1)]


def test_an_edit_that_moves_no_date_changes_no_month():
    days = [date(2024, 1, 5), date(2024, 1, 31)]
    assert rules.changed_dates(days, list(days)) == []


def test_ending_an_entry_changes_only_the_month_ends_it_leaves():
    today = date(2026, 4, 15)
    before = rules.standing_dates(date(2024, 1, 5), None, today)
    after = rules.standing_dates(date(2024, 1, 5), date(2026, 3, 10), today)
    assert rules.changed_dates(before, after) == [date(2026, 3, 31), date(2026, 4, 30)]
