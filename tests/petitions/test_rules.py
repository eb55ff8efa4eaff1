"""The pure rules of petitions and disputes: no database."""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core import periods
from petitions import rules
from tests.petitions.factories import ID_A
from tests.petitions.factories import ID_B

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
# The shipped readings' due days (评分表 一.4); a rubric version may set others.
TABLE_DAYS = periods.ReportDays((14, 28))


class TestReportDeadlines:
    def test_first_half_is_due_on_the_14th_and_second_on_the_28th(self):
        assert TABLE_DAYS.due_day(1) == 14
        assert TABLE_DAYS.due_day(2) == 28
        assert periods.report_due_date(2026, 2, 2, TABLE_DAYS) == date(2026, 2, 28)

    def test_an_unknown_half_is_refused(self):
        with pytest.raises(ValueError):
            TABLE_DAYS.due_day(3)

    def test_grace_days_move_the_due_date(self):
        days = periods.ReportDays((14, 28), grace_days=2)
        assert periods.report_due_date(2026, 4, 1, days) == date(2026, 4, 16)

    def test_submitted_on_the_due_day_late_evening_is_on_time(self):
        due = date(2026, 4, 14)
        assert not rules.is_late(datetime(2026, 4, 14, 23, 59, tzinfo=SHANGHAI), due)

    def test_submitted_the_next_day_is_late(self):
        assert rules.is_late(datetime(2026, 4, 15, 0, 1, tzinfo=SHANGHAI), date(2026, 4, 14))

    def test_lateness_is_judged_on_the_township_calendar_not_utc(self):
        # 2026-04-14 17:00 UTC is already 01:00 on the 15th in Shanghai.
        assert rules.is_late(datetime(2026, 4, 14, 17, 0, tzinfo=UTC), date(2026, 4, 14))

    def test_an_unsubmitted_report_is_missing_not_late(self):
        assert not rules.is_late(None, date(2026, 4, 14))

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (date(2026, 4, 1), (2026, 4, 1)),
            (date(2026, 4, 14), (2026, 4, 1)),
            (date(2026, 4, 15), (2026, 4, 2)),
            (date(2026, 4, 28), (2026, 4, 2)),
            (date(2026, 4, 29), (2026, 5, 1)),
            (date(2026, 12, 31), (2027, 1, 1)),
        ],
    )
    def test_the_half_being_worked_on(self, day, expected):
        assert periods.half_of(day, TABLE_DAYS) == expected

    def test_halves_due_in_a_range(self):
        assert periods.halves_due(date(2026, 1, 1), date(2026, 2, 20), lambda _y: TABLE_DAYS) == [
            (2026, 1, 1, date(2026, 1, 14)),
            (2026, 1, 2, date(2026, 1, 28)),
            (2026, 2, 1, date(2026, 2, 14)),
        ]

    def test_month_ends_between(self):
        assert periods.month_ends_between(date(2026, 1, 31), date(2026, 3, 30)) == [
            date(2026, 1, 31),
            date(2026, 2, 28),
        ]


class TestIdNumbers:
    def test_valid_18_character_numbers(self):
        assert rules.id_number_error(ID_A) is None
        assert rules.id_number_error(ID_B) is None

    def test_check_character_x_in_lower_case_is_accepted(self):
        first17 = "11010519491231002"
        number = first17 + rules.id_check_char(first17)
        assert number.endswith("X")
        assert rules.id_number_error(number.lower()) is None

    def test_wrong_checksum(self):
        wrong = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")
        assert rules.id_number_error(wrong) == "checksum"

    def test_impossible_birth_date(self):
        first17 = "11010119901332123"
        assert rules.id_number_error(first17 + rules.id_check_char(first17)) == "birth"

    def test_old_15_digit_numbers(self):
        assert rules.id_number_error("110101900307123") is None
        assert rules.id_number_error("110101901307123") == "birth"
        assert rules.id_number_error("11010190030712A") == "format"

    @pytest.mark.parametrize("value", ["12345", "1101011990030712345", "abc"])
    def test_other_lengths(self, value):
        assert rules.id_number_error(value) == "length"

    def test_masking_keeps_region_and_last_four(self):
        assert rules.mask_id_number(ID_A) == "110101********1233"
        assert rules.mask_id_number("110101900307123") == "110101*****7123"
        assert rules.mask_id_number("") == ""


class TestReceptionDuty:
    def test_only_a_visit_to_the_township_must_carry_the_opinion(self):
        assert rules.opinion_duty_applies("township", "visit")
        assert not rules.opinion_duty_applies("township", "letter")
        assert not rules.opinion_duty_applies("district", "visit")


class TestMatterMatching:
    def test_shared_specific_words_match(self):
        assert rules.matter_matches("反映土地承包经营权纠纷", "张三与李四土地承包纠纷")

    def test_filler_words_alone_do_not_match(self):
        assert not rules.matter_matches("要求解决拖欠工资问题", "要求解决宅基地问题")

    def test_unrelated_matters(self):
        assert not rules.matter_matches("噪音扰民", "拖欠工程款")

    def test_a_petitioner_among_the_parties(self):
        assert rules.petition_matches_dispute(["王五"], "其他事项", "赵六、王五", "通行")
        assert not rules.petition_matches_dispute(["王五"], "噪音", "赵六、钱七", "通行")


class TestPetitionerKey:
    def test_same_people_same_matter_give_the_same_key(self):
        a = rules.petitioner_key([ID_B, ID_A], "土地 承包,纠纷")
        b = rules.petitioner_key([ID_A, ID_B], "土地承包纠纷")
        assert a and a == b

    def test_unknown_people_give_no_key(self):
        assert rules.petitioner_key([], "土地承包") == ""


class TestDossierAcceptance:
    def test_accepted_on_the_later_of_the_two_days(self):
        assert rules.accepted_date(
            "accepted", date(2026, 5, 3), "accepted", date(2026, 5, 8)
        ) == date(2026, 5, 8)

    def test_not_accepted_until_both_accept(self):
        assert rules.accepted_date("accepted", date(2026, 5, 3), "pending", None) is None
        assert (
            rules.accepted_date("accepted", date(2026, 5, 3), "rejected", date(2026, 5, 4)) is None
        )
