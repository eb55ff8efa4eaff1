"""One case per line of docs/rubric.md, on a village-month that is otherwise in order (April 2026).

Each case reads: with these facts, this item (or adjustment) of this rubric moves by this much.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal

import pytest

from assessment.scoring.engine import score_village
from assessment.scoring.rubric_defaults import XX_2024_PLAN
from assessment.scoring.rubric_defaults import XX_2024_TABLE
from assessment.scoring.rules import patrol_window
from assessment.scoring.rules import report_due_date
from assessment.scoring.rules import week_bounds
from assessment.scoring.rules import weeks_of_month
from assessment.scoring.types import ATTENDANCE_ABSENT
from assessment.scoring.types import ATTENDANCE_LATE
from assessment.scoring.types import ATTENDANCE_PRESENT
from assessment.scoring.types import FILE_CHUANXIAO
from assessment.scoring.types import FILE_JINDU_MONTH
from assessment.scoring.types import GROUP_MLM
from assessment.scoring.types import GROUP_RAILWAY
from assessment.scoring.types import GROUPS
from assessment.scoring.types import LEVEL_BEIJING
from assessment.scoring.types import LEVEL_CITY
from assessment.scoring.types import LEVEL_DISTRICT
from assessment.scoring.types import LEVEL_PROVINCE
from assessment.scoring.types import LEVEL_TOWNSHIP
from assessment.scoring.types import NATURE_ABNORMAL
from assessment.scoring.types import NATURE_REPEAT
from assessment.scoring.types import SPECIAL_CATEGORIES
from assessment.scoring.types import SPECIAL_DRUG
from assessment.scoring.types import VETO_BEIJING_NEW_PROBLEM
from assessment.scoring.types import VETO_COLLECTIVE_LARGE_IMPACT
from assessment.scoring.types import WORK_FILES
from assessment.scoring.types import AssignedCase
from assessment.scoring.types import Attendance
from assessment.scoring.types import Commendation
from assessment.scoring.types import DisputeReport
from assessment.scoring.types import Inspection
from assessment.scoring.types import Meeting
from assessment.scoring.types import PatrolWeek
from assessment.scoring.types import ResolvedDispute
from assessment.scoring.types import Survey
from tests.assessment.scoring.builders import event
from tests.assessment.scoring.builders import month_in_order
from tests.assessment.scoring.builders import petition
from tests.assessment.scoring.builders import ref
from tests.assessment.scoring.builders import with_params

TABLE, PLAN = XX_2024_TABLE, XX_2024_PLAN
D = Decimal
APR = date(2026, 4, 8)
NINE_GROUPS = frozenset(code for code in GROUPS if code != GROUP_RAILWAY)


def change(sheet, code: str) -> Decimal:
    """How far an item fell from its points, or what an adjustment added up to."""
    if code in {item.code for item in sheet.items}:
        item = sheet.item(code)
        return item.score - item.points
    return sum((line.points for line in sheet.lines_for(code)), D(0))


def case(case_id: str, code: str, expected: str, rubric=TABLE, **facts):
    return pytest.param(rubric, code, facts, D(expected), id=case_id)


def reports(*specs) -> tuple[DisputeReport, ...]:
    """April reports from (half, submitted_on, signed, sealed)."""
    return tuple(
        DisputeReport(ref("report"), 2026, 4, half, on, signed=signed, sealed=sealed)
        for half, on, signed, sealed in specs
    )


ON_TIME_1 = (1, date(2026, 4, 13), True, True)
ON_TIME_2 = (2, date(2026, 4, 27), True, True)


def inspection(**fields) -> Inspection:
    return Inspection(ref("inspection"), date(2026, 4, 20), **fields)


def weeks(**counts) -> tuple[PatrolWeek, ...]:
    """April 2026's five weeks (W14..W18) at three patrols, with some counts changed."""
    return tuple(PatrolWeek(2026, w, counts.get(f"w{w}", 3)) for w in range(14, 19))


RULE_CASES = [
    # 一.1 meetings
    case("no_meeting_on_petition_work_costs_one", "1.1", "-1", meetings=()),
    case(
        "meeting_that_did_not_study_petition_work_costs_one",
        "1.1",
        "-1",
        meetings=(Meeting(ref("meeting"), APR, studied_petition_work=False),),
    ),
    case(
        "meeting_of_previous_month_does_not_count",
        "1.1",
        "-1",
        meetings=(Meeting(ref("meeting"), date(2026, 3, 31)),),
    ),
    # 一.2 reception and 包保
    case(
        "township_visit_without_village_opinion_costs_one_per_petition",
        "1.2",
        "-2",
        petitions=(
            petition(carried_village_opinion=False),
            petition(carried_village_opinion=False),
        ),
    ),
    case(
        "township_visit_with_village_opinion_costs_nothing",
        "1.2",
        "0",
        petitions=(petition(carried_village_opinion=True),),
    ),
    case("no_baobao_register_costs_five", "1.2", "-5", baobao_register=False),
    case(
        "reception_deductions_stop_at_five",
        "1.2",
        "-5",
        baobao_register=False,
        petitions=(petition(carried_village_opinion=False),),
    ),
    # 一.3 assigned cases
    case(
        "assigned_case_result_rejected_costs_one_each",
        "1.3",
        "-2",
        case_rejections=(event("rejection"), event("rejection")),
    ),
    case(
        "rejection_counts_in_the_month_of_the_rejection",
        "1.3",
        "0",
        case_rejections=(event("rejection", date(2026, 3, 28)),),
    ),
    # 一.4 dispute screening reports
    case("missing_report_costs_one", "1.4", "-1", dispute_reports=reports(ON_TIME_1)),
    case("no_report_at_all_costs_two", "1.4", "-2", dispute_reports=()),
    case(
        "report_on_the_fourteenth_is_on_time",
        "1.4",
        "0",
        dispute_reports=reports((1, date(2026, 4, 14), True, True), ON_TIME_2),
    ),
    case(
        "report_submitted_late_counts_as_missing",
        "1.4",
        "-1",
        dispute_reports=reports(ON_TIME_1, (2, date(2026, 4, 29), True, True)),
    ),
    case(
        "report_datetime_at_end_of_due_day_is_on_time",
        "1.4",
        "0",
        dispute_reports=reports((1, datetime(2026, 4, 14, 23, 59), True, True), ON_TIME_2),
    ),
    case(
        "unsigned_report_costs_one",
        "1.4",
        "-1",
        dispute_reports=reports((1, date(2026, 4, 13), False, True), ON_TIME_2),
    ),
    case(
        "unsealed_report_costs_one",
        "1.4",
        "-1",
        dispute_reports=reports((1, date(2026, 4, 13), True, False), ON_TIME_2),
    ),
    case(
        "late_and_unsigned_report_costs_one_only",
        "1.4",
        "-1",
        dispute_reports=reports(ON_TIME_1, (2, date(2026, 4, 30), False, False)),
    ),
    case(
        "corrected_report_before_due_date_replaces_unsigned_one",
        "1.4",
        "0",
        dispute_reports=reports(
            (1, date(2026, 4, 10), False, False), (1, date(2026, 4, 12), True, True), ON_TIME_2
        ),
    ),
    case(
        "grace_days_setting_extends_the_due_date",
        "1.4",
        "0",
        rubric=with_params(TABLE, "1.4", grace_days=2),
        dispute_reports=reports((1, date(2026, 4, 16), True, True), ON_TIME_2),
    ),
    case(
        "table_does_not_score_unreported_disputes",
        "1.4",
        "0",
        unreported_disputes=(event("dispute"),),
    ),
    case(
        "plan_missing_report_costs_half_a_point",
        "1.4",
        "-0.5",
        rubric=PLAN,
        dispute_reports=reports(ON_TIME_1),
    ),
    case(
        "plan_unsigned_report_counts_as_missing",
        "1.4",
        "-0.5",
        rubric=PLAN,
        dispute_reports=reports((1, date(2026, 4, 13), False, True), ON_TIME_2),
    ),
    case(
        "plan_unreported_dispute_found_above_costs_half_a_point_each",
        "1.4",
        "-1",
        rubric=PLAN,
        unreported_disputes=(event("dispute"), event("dispute")),
    ),
    # 二 petitions, table
    case(
        "beijing_normal_costs_five_per_person_time",
        "2",
        "-10",
        petitions=(petition(LEVEL_BEIJING, persons=2),),
    ),
    case(
        "beijing_abnormal_costs_ten_per_person_time",
        "2",
        "-10",
        petitions=(petition(LEVEL_BEIJING, NATURE_ABNORMAL),),
    ),
    case(
        "beijing_repeat_costs_ten_per_person_time",
        "2",
        "-20",
        petitions=(petition(LEVEL_BEIJING, NATURE_REPEAT, persons=2),),
    ),
    case(
        "province_normal_costs_four_per_person_time",
        "2",
        "-4",
        petitions=(petition(LEVEL_PROVINCE),),
    ),
    case(
        "province_abnormal_costs_eight_per_person_time",
        "2",
        "-8",
        petitions=(petition(LEVEL_PROVINCE, NATURE_ABNORMAL),),
    ),
    case(
        "city_normal_costs_three_per_person_time",
        "2",
        "-6",
        petitions=(petition(LEVEL_CITY, persons=2),),
    ),
    case(
        "city_repeat_costs_six_per_person_time",
        "2",
        "-6",
        petitions=(petition(LEVEL_CITY, NATURE_REPEAT),),
    ),
    case(
        "city_petition_costs_points_even_when_stabilised",
        "2",
        "-3",
        petitions=(petition(LEVEL_CITY, stabilised_in_time=True),),
    ),
    case(
        "district_normal_not_stabilised_costs_two_per_person_time",
        "2",
        "-6",
        petitions=(petition(LEVEL_DISTRICT, persons=3, stabilised_in_time=False),),
    ),
    case(
        "district_normal_stabilised_in_time_costs_nothing",
        "2",
        "0",
        petitions=(petition(LEVEL_DISTRICT, persons=3, stabilised_in_time=True),),
    ),
    case(
        "district_abnormal_not_stabilised_costs_four_per_person_time",
        "2",
        "-8",
        petitions=(petition(LEVEL_DISTRICT, NATURE_ABNORMAL, persons=2, stabilised_in_time=False),),
    ),
    case(
        "district_abnormal_stabilised_in_time_costs_nothing",
        "2",
        "0",
        petitions=(petition(LEVEL_DISTRICT, NATURE_ABNORMAL, stabilised_in_time=True),),
    ),
    case(
        "township_normal_not_stabilised_costs_one_per_person_time",
        "2",
        "-2",
        petitions=(petition(LEVEL_TOWNSHIP, persons=2, stabilised_in_time=False),),
    ),
    case(
        "township_repeat_not_stabilised_costs_two_per_person_time",
        "2",
        "-2",
        petitions=(petition(LEVEL_TOWNSHIP, NATURE_REPEAT, stabilised_in_time=False),),
    ),
    case(
        "township_stabilised_in_time_costs_nothing",
        "2",
        "0",
        petitions=(petition(LEVEL_TOWNSHIP, NATURE_ABNORMAL, stabilised_in_time=True),),
    ),
    case(
        "table_prices_a_normal_collective_petition_as_normal",
        "2",
        "-15",
        petitions=(petition(LEVEL_CITY, persons=5, collective=True),),
    ),
    case(
        "section_two_stops_at_thirty",
        "2",
        "-30",
        petitions=(petition(LEVEL_CITY, persons=11),),
    ),
    case(
        "petition_of_another_month_does_not_count",
        "2",
        "0",
        petitions=(petition(LEVEL_CITY, on=date(2026, 3, 31)),),
    ),
    # 二 petitions, plan
    case(
        "plan_beijing_petition_costs_no_points",
        "2",
        "0",
        rubric=PLAN,
        petitions=(petition(LEVEL_BEIJING, NATURE_ABNORMAL, persons=3),),
    ),
    case(
        "plan_province_costs_four_per_person_time_whatever_the_nature",
        "2",
        "-8",
        rubric=PLAN,
        petitions=(petition(LEVEL_PROVINCE, NATURE_ABNORMAL, persons=2),),
    ),
    case(
        "plan_city_normal_costs_three_per_person_time",
        "2",
        "-6",
        rubric=PLAN,
        petitions=(petition(LEVEL_CITY, persons=2),),
    ),
    case(
        "plan_city_abnormal_costs_six_per_petition",
        "2",
        "-6",
        rubric=PLAN,
        petitions=(petition(LEVEL_CITY, NATURE_ABNORMAL, persons=4),),
    ),
    case(
        "plan_city_collective_costs_six_per_petition",
        "2",
        "-6",
        rubric=PLAN,
        petitions=(petition(LEVEL_CITY, persons=6, collective=True),),
    ),
    case(
        "plan_district_not_settled_in_time_costs_one_per_petition",
        "2",
        "-1",
        rubric=PLAN,
        petitions=(petition(LEVEL_DISTRICT, persons=3, stabilised_in_time=False),),
    ),
    case(
        "plan_district_settled_in_time_costs_nothing",
        "2",
        "0",
        rubric=PLAN,
        petitions=(petition(LEVEL_DISTRICT, persons=3, stabilised_in_time=True),),
    ),
    case(
        "plan_district_abnormal_costs_four_per_person_time",
        "2",
        "-8",
        rubric=PLAN,
        petitions=(petition(LEVEL_DISTRICT, NATURE_ABNORMAL, persons=2),),
    ),
    case(
        "plan_township_normal_costs_nothing",
        "2",
        "0",
        rubric=PLAN,
        petitions=(petition(LEVEL_TOWNSHIP, persons=2, stabilised_in_time=False),),
    ),
    case(
        "plan_township_repeat_costs_one_per_batch",
        "2",
        "-1",
        rubric=PLAN,
        petitions=(petition(LEVEL_TOWNSHIP, NATURE_REPEAT, persons=4),),
    ),
    case(
        "plan_same_person_same_matter_three_times_at_township_costs_three",
        "2",
        "-3",
        rubric=PLAN,
        petitions=tuple(
            petition(LEVEL_TOWNSHIP, on=date(2026, 4, day), petitioner_key="wang:land")
            for day in (3, 9, 21)
        ),
    ),
    case(
        "plan_same_person_twice_costs_nothing",
        "2",
        "0",
        rubric=PLAN,
        petitions=tuple(
            petition(LEVEL_TOWNSHIP, on=date(2026, 4, day), petitioner_key="wang:land")
            for day in (3, 9)
        ),
    ),
    case(
        "plan_section_two_stops_at_fifty",
        "2",
        "-50",
        rubric=PLAN,
        petitions=tuple(petition(LEVEL_PROVINCE, persons=2) for _ in range(7)),
    ),
    # 三.1 assigned cases closed on time
    case(
        "case_open_after_its_due_date_costs_five",
        "3.1",
        "-5",
        assigned_cases=(AssignedCase(ref("case"), date(2026, 4, 10)),),
    ),
    case(
        "case_concluded_after_its_due_date_costs_five",
        "3.1",
        "-5",
        assigned_cases=(AssignedCase(ref("case"), date(2026, 4, 10), date(2026, 4, 12)),),
    ),
    case(
        "case_concluded_on_its_due_date_costs_nothing",
        "3.1",
        "0",
        assigned_cases=(AssignedCase(ref("case"), date(2026, 4, 10), date(2026, 4, 10)),),
    ),
    case(
        "overdue_case_counts_once_in_the_month_of_its_due_date",
        "3.1",
        "0",
        assigned_cases=(AssignedCase(ref("case"), date(2026, 3, 20)),),
    ),
    case(
        "overdue_cases_stop_at_ten",
        "3.1",
        "-10",
        assigned_cases=tuple(AssignedCase(ref("case"), date(2026, 4, d)) for d in (7, 8, 9)),
    ),
    # 三.2 dossiers of resolved disputes
    case(
        "resolved_dispute_without_dossier_by_month_close_costs_one",
        "3.2",
        "-1",
        resolved_disputes=(ResolvedDispute(ref("dispute"), date(2026, 4, 5)),),
    ),
    case(
        "dossier_submitted_next_month_costs_one",
        "3.2",
        "-1",
        resolved_disputes=(ResolvedDispute(ref("dispute"), date(2026, 4, 5), date(2026, 5, 2)),),
    ),
    case(
        "dossier_submitted_on_the_last_day_costs_nothing",
        "3.2",
        "0",
        resolved_disputes=(ResolvedDispute(ref("dispute"), date(2026, 4, 5), date(2026, 4, 30)),),
    ),
    # 三.3 backlog relapses
    case(
        "backlog_case_relapse_costs_five",
        "3.3",
        "-5",
        backlog_relapses=(event("backlog"),),
    ),
    case(
        "backlog_relapses_stop_at_five",
        "3.3",
        "-5",
        backlog_relapses=(event("backlog"), event("backlog")),
    ),
    # 四.1 centre
    case("no_duty_records_costs_two", "4.1", "-2", inspection=inspection(duty_records=False)),
    case("centre_not_clean_costs_one", "4.1", "-1", inspection=inspection(clean=False)),
    case("rules_incomplete_costs_two", "4.1", "-2", inspection=inspection(rules_complete=False)),
    case("no_inspection_loses_every_centre_check", "4.1", "-5", inspection=None),
    case(
        "inspection_after_the_month_is_not_read",
        "4.1",
        "-5",
        inspection=Inspection(ref("inspection"), date(2026, 5, 3)),
    ),
    case(
        "older_inspection_stands_for_the_month",
        "4.1",
        "0",
        inspection=Inspection(ref("inspection"), date(2026, 2, 10)),
    ),
    # 四.2 special persons
    case(
        "special_category_neither_registered_nor_zero_reported_costs_one",
        "4.2",
        "-1",
        special_categories_covered=frozenset(SPECIAL_CATEGORIES) - {SPECIAL_DRUG},
    ),
    case("no_special_category_covered_costs_four", "4.2", "-4", special_categories_covered=()),
    # 四.3 work files
    case(
        "missing_work_file_costs_one_each",
        "4.3",
        "-2",
        inspection=inspection(
            work_files=frozenset(WORK_FILES) - {FILE_JINDU_MONTH, FILE_CHUANXIAO}
        ),
    ),
    case(
        "missing_work_files_stop_at_five",
        "4.3",
        "-5",
        inspection=inspection(work_files=frozenset()),
    ),
    case("no_inspection_means_every_work_file_missing", "4.3", "-5", inspection=None),
    # 四.4 patrols
    case(
        "one_patrol_in_a_week_costs_two_missing_at_half_a_point",
        "4.4",
        "-1",
        patrol_weeks=weeks(w16=1),
    ),
    case(
        "week_of_march_30_belongs_to_april_by_its_thursday",
        "4.4",
        "-1.5",
        patrol_weeks=weeks(w14=0),
    ),
    case(
        "week_of_april_27_to_may_3_belongs_to_april",
        "4.4",
        "-0.5",
        patrol_weeks=weeks(w18=2),
    ),
    case(
        "more_than_three_patrols_do_not_make_up_another_week",
        "4.4",
        "-0.5",
        patrol_weeks=weeks(w15=6, w16=2),
    ),
    case("missing_patrols_stop_at_four", "4.4", "-4", patrol_weeks=()),
    # 四.5 leadership groups
    case(
        "missing_leadership_group_costs_half_a_point",
        "4.5",
        "-0.5",
        groups=NINE_GROUPS - {GROUP_MLM},
    ),
    case(
        "railway_village_without_railway_group_costs_half_a_point",
        "4.5",
        "-0.5",
        is_railway=True,
    ),
    case(
        "railway_village_with_all_ten_groups_costs_nothing",
        "4.5",
        "0",
        is_railway=True,
        groups=NINE_GROUPS | {GROUP_RAILWAY},
    ),
    case("village_without_any_group_loses_four_and_a_half", "4.5", "-4.5", groups=frozenset()),
    case(
        "railway_village_without_any_group_loses_five",
        "4.5",
        "-5",
        is_railway=True,
        groups=frozenset(),
    ),
    # 四.6 survey
    case(
        "dissatisfied_household_costs_one_each",
        "4.6",
        "-2",
        surveys=(Survey(ref("survey"), APR, dissatisfied=2),),
    ),
    case(
        "plan_dissatisfied_household_costs_half_a_point_each",
        "4.6",
        "-1",
        rubric=PLAN,
        surveys=(Survey(ref("survey"), APR, dissatisfied=2),),
    ),
    case(
        "survey_counts_in_the_month_of_its_date",
        "4.6",
        "0",
        surveys=(Survey(ref("survey"), date(2026, 3, 20), dissatisfied=2),),
    ),
    case(
        "dissatisfied_households_stop_at_five",
        "4.6",
        "-5",
        surveys=(Survey(ref("survey"), APR, dissatisfied=7),),
    ),
    # 五 adjustments
    case(
        "accepted_dossier_adds_one_each",
        "adj.dossier",
        "2",
        dossiers_accepted=(event("dossier"), event("dossier")),
    ),
    case(
        "plan_accepted_dossier_adds_half_a_point_each",
        "adj.dossier",
        "1",
        rubric=PLAN,
        dossiers_accepted=(event("dossier"), event("dossier")),
    ),
    case(
        "plan_dossier_bonus_stops_at_ten_a_year",
        "adj.dossier",
        "0.5",
        rubric=PLAN,
        dossiers_accepted_before_in_year=19,
        dossiers_accepted=(event("dossier"), event("dossier")),
    ),
    case(
        "table_dossier_bonus_has_no_yearly_cap",
        "adj.dossier",
        "2",
        dossiers_accepted_before_in_year=30,
        dossiers_accepted=(event("dossier"), event("dossier")),
    ),
    case(
        "dossier_accepted_in_another_month_adds_nothing",
        "adj.dossier",
        "0",
        dossiers_accepted=(event("dossier", date(2026, 5, 1)),),
    ),
    case(
        "fully_equipped_checkpoint_adds_one",
        "adj.checkpoint",
        "1",
        checkpoint_equipped=ref("checkpoint"),
    ),
    case("cctv_and_lighting_project_adds_one", "adj.cctv", "1", cctv_lighting=ref("project")),
    case(
        "resolved_backlog_case_adds_five_each_beyond_any_cap",
        "adj.backlog",
        "10",
        backlog_resolutions=(event("backlog"), event("backlog")),
    ),
    case(
        "provincial_commendation_adds_five",
        "adj.commend",
        "5",
        commendations=(Commendation(ref("commend"), APR, LEVEL_PROVINCE),),
    ),
    case(
        "city_commendation_adds_three",
        "adj.commend",
        "3",
        commendations=(Commendation(ref("commend"), APR, LEVEL_CITY),),
    ),
    case(
        "district_commendation_adds_two",
        "adj.commend",
        "2",
        commendations=(Commendation(ref("commend"), APR, LEVEL_DISTRICT),),
    ),
    case(
        "late_for_and_absent_from_township_meeting_cost_one_each",
        "adj.meeting",
        "-2",
        township_meeting_attendance=(
            Attendance(ref("attendance"), APR, ATTENDANCE_LATE),
            Attendance(ref("attendance"), APR, ATTENDANCE_ABSENT),
            Attendance(ref("attendance"), APR, ATTENDANCE_PRESENT),
        ),
    ),
    case(
        "no_dedicated_person_for_the_centre_costs_three",
        "adj.no_staff",
        "-3",
        inspection=inspection(dedicated_person=False),
    ),
    case("no_inspection_means_no_dedicated_person", "adj.no_staff", "-3", inspection=None),
    case(
        "sanction_in_superior_inspection_costs_five_each",
        "adj.sanction",
        "-10",
        sanctions=(event("sanction"), event("sanction")),
    ),
]


@pytest.mark.parametrize(("rubric", "code", "facts", "expected"), RULE_CASES)
def test_rule(rubric, code, facts, expected):
    sheet = score_village(rubric, month_in_order(**facts))
    assert change(sheet, code) == expected


@pytest.mark.parametrize("rubric", [TABLE, PLAN], ids=["table", "plan"])
def test_village_in_order_loses_nothing_and_gains_nothing(rubric):
    sheet = score_village(rubric, month_in_order())
    assert [line.reason for line in sheet.lines] == []
    assert sheet.total == rubric.total_points


def lines_of(code: str, rubric=TABLE, **facts):
    return score_village(rubric, month_in_order(**facts)).lines_for(code)


def test_petition_line_names_level_nature_person_times_and_record():
    found = petition(LEVEL_DISTRICT, NATURE_ABNORMAL, persons=2, stabilised_in_time=False)
    (line,) = lines_of("2", petitions=(found,))
    assert line.reason == "区级非正常上访2人次,未及时稳控,扣8分"
    assert line.refs == (found.ref,)


def test_capped_line_keeps_its_raw_figure_and_says_so():
    lines = lines_of("2", petitions=tuple(petition(LEVEL_PROVINCE, persons=2) for _ in range(4)))
    assert [line.points for line in lines] == [D(-8), D(-8), D(-8), D(-6)]
    assert lines[-1].raw_points == D(-8)
    assert lines[-1].reason.endswith("扣8分,扣完为止,实扣6分")
    assert [line.capped for line in lines] == [False, False, False, True]


def test_no_inspection_lines_say_so_instead_of_inventing_a_pass():
    lines = lines_of("4.1", inspection=None)
    assert [line.reason for line in lines] == [
        "无检查记录:无值班记录,扣2分",
        "无检查记录:卫生不干净,扣1分",
        "无检查记录:制度不完善,扣2分",
    ]


def test_same_matter_line_names_every_visit():
    visits = tuple(petition(on=date(2026, 4, d), petitioner_key="li:wages") for d in (1, 2, 3))
    (line,) = lines_of("2", rubric=PLAN, petitions=visits)
    assert line.refs == tuple(visit.ref for visit in visits)
    assert "3次" in line.reason


def test_dossier_bonus_past_the_yearly_cap_shows_at_zero():
    lines = lines_of(
        "adj.dossier",
        rubric=PLAN,
        dossiers_accepted_before_in_year=20,
        dossiers_accepted=(event("dossier"),),
    )
    assert [(line.points, line.raw_points) for line in lines] == [(D(0), D("0.5"))]
    assert "已达全年上限10分" in lines[0].reason


# --- Evidence and timing ------------------------------------------------------------------


def test_april_2026_has_five_weeks_from_march_30_to_may_3():
    assert weeks_of_month(2026, 4) == ((2026, 14), (2026, 15), (2026, 16), (2026, 17), (2026, 18))
    assert patrol_window(date(2026, 4, 1), date(2026, 4, 30)) == (
        date(2026, 3, 30),
        date(2026, 5, 3),
    )


@pytest.mark.parametrize(
    ("year", "month", "first", "last"),
    [
        pytest.param(2026, 1, (2026, 1), (2026, 5), id="week_of_dec_29_belongs_to_january_2026"),
        pytest.param(2025, 12, (2025, 49), (2025, 52), id="december_2025_gives_its_last_week_away"),
        pytest.param(2020, 12, (2020, 49), (2020, 53), id="week_53_belongs_to_december_2020"),
        pytest.param(2026, 2, (2026, 6), (2026, 9), id="february_2026_has_four_weeks"),
    ],
)
def test_weeks_belong_to_the_month_of_their_thursday(year, month, first, last):
    found = weeks_of_month(year, month)
    assert (found[0], found[-1]) == (first, last)
    for iso_year, iso_week in found:
        thursday = week_bounds(iso_year, iso_week)[0] + timedelta(days=3)
        assert (thursday.year, thursday.month) == (year, month)


def test_second_report_of_february_is_due_on_the_28th():
    params = TABLE.item("1.4").params
    assert report_due_date(2026, 2, 2, params) == date(2026, 2, 28)
    assert report_due_date(2026, 4, 1, params) == date(2026, 4, 14)


def open_april(as_of: date, **facts):
    return score_village(TABLE, month_in_order(as_of=as_of, **facts))


def test_report_not_yet_due_is_not_missing_but_makes_the_sheet_provisional():
    sheet = open_april(date(2026, 4, 10), dispute_reports=())
    assert change(sheet, "1.4") == 0
    assert "2026年4月14日前的排查报告尚未到期" in sheet.provisional_reasons


def test_report_past_its_due_date_is_missing_while_the_month_is_open():
    sheet = open_april(date(2026, 4, 20), dispute_reports=())
    assert change(sheet, "1.4") == -1
    assert sheet.provisional_reasons == ("2026年4月28日前的排查报告尚未到期",)


def test_case_not_yet_due_is_pending():
    cases = (AssignedCase(ref("case"), date(2026, 4, 25)),)
    sheet = open_april(date(2026, 4, 20), assigned_cases=cases)
    assert change(sheet, "3.1") == 0
    assert sheet.provisional


def test_case_with_provisional_due_date_keeps_the_sheet_provisional_after_closing():
    cases = (AssignedCase(ref("case"), date(2026, 4, 10), date(2026, 4, 9), due_provisional=True),)
    sheet = score_village(TABLE, month_in_order(assigned_cases=cases))
    assert sheet.provisional_reasons == ("交办案件办结期限2026-04-10为暂定日期(工作日历缺年份)",)


def test_open_month_without_its_own_inspection_is_provisional():
    older = Inspection(ref("inspection"), date(2026, 3, 15))
    sheet = open_april(date(2026, 4, 29), inspection=older, patrol_weeks=weeks(w18=3))
    assert sheet.provisional_reasons == ("本期尚无综治中心检查记录",)
    assert change(sheet, "4.1") == 0


def test_closed_month_is_never_provisional_for_lack_of_records():
    sheet = score_village(TABLE, month_in_order(inspection=None, dispute_reports=()))
    assert not sheet.provisional


def test_week_not_yet_over_is_not_short_of_patrols():
    sheet = open_april(date(2026, 5, 1), patrol_weeks=weeks(w18=1))
    assert change(sheet, "4.4") == 0
    assert sheet.provisional_reasons == ("4月27日至5月3日当周巡逻尚未结束",)


def test_meeting_may_still_be_held_in_an_open_month():
    sheet = open_april(date(2026, 4, 29), meetings=())
    assert change(sheet, "1.1") == 0
    assert "2026年4月尚无研究信访工作的会议记录" in sheet.provisional_reasons


def test_dossier_may_still_come_in_an_open_month():
    disputes = (ResolvedDispute(ref("dispute"), date(2026, 4, 5)),)
    sheet = open_april(date(2026, 4, 29), resolved_disputes=disputes)
    assert change(sheet, "3.2") == 0
    assert sheet.provisional


# --- Veto causes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("found", "causes"),
    [
        pytest.param(
            petition(LEVEL_BEIJING, new_problem_unresolved=True),
            [VETO_BEIJING_NEW_PROBLEM],
            id="beijing_petition_from_unresolved_new_problem_is_vetoed",
        ),
        pytest.param(
            petition(LEVEL_BEIJING), [], id="beijing_petition_from_an_old_problem_is_not_vetoed"
        ),
        pytest.param(
            petition(LEVEL_CITY, persons=6, collective=True, large_impact=True),
            [VETO_COLLECTIVE_LARGE_IMPACT],
            id="collective_petition_with_large_impact_is_vetoed",
        ),
        pytest.param(
            petition(LEVEL_CITY, persons=6, collective=True),
            [],
            id="collective_petition_without_large_impact_is_not_vetoed",
        ),
        pytest.param(
            petition(LEVEL_BEIJING, new_problem_unresolved=True, on=date(2026, 3, 3)),
            [],
            id="veto_cause_counts_in_the_month_of_the_petition",
        ),
    ],
)
@pytest.mark.parametrize("rubric", [TABLE, PLAN], ids=["table", "plan"])
def test_veto_cause(rubric, found, causes):
    sheet = score_village(rubric, month_in_order(petitions=(found,)))
    assert [veto.cause for veto in sheet.vetoes] == causes
    assert all(veto.refs == (found.ref,) for veto in sheet.vetoes)
