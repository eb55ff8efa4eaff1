"""The engine: docs/rubric.md's worked examples, quarters and years, vetoes, last place, ranks."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from assessment.scoring.engine import annual_score
from assessment.scoring.engine import apply_last_place_veto
from assessment.scoring.engine import quarter_score
from assessment.scoring.engine import rank
from assessment.scoring.engine import score_village
from assessment.scoring.engine import score_year
from assessment.scoring.rubric_defaults import XX_2024_PLAN
from assessment.scoring.rubric_defaults import XX_2024_TABLE
from assessment.scoring.rules import weeks_of_period
from assessment.scoring.types import AGGREGATION_WHOLE_YEAR
from assessment.scoring.types import LEVEL_BEIJING
from assessment.scoring.types import LEVEL_CITY
from assessment.scoring.types import LEVEL_DISTRICT
from assessment.scoring.types import NATURE_ABNORMAL
from assessment.scoring.types import VETO_BEIJING_NEW_PROBLEM
from assessment.scoring.types import VETO_LAST_PLACE
from assessment.scoring.types import Commendation
from assessment.scoring.types import PeriodScore
from assessment.scoring.types import RubricSettings
from assessment.scoring.types import Sheet
from assessment.scoring.types import Veto
from core.periods import month_end
from tests.assessment.scoring.builders import in_order
from tests.assessment.scoring.builders import month_in_order
from tests.assessment.scoring.builders import petition
from tests.assessment.scoring.builders import ref

TABLE = XX_2024_TABLE
D = Decimal


# --- docs/rubric.md "Worked examples" -----------------------------------------------------------


def april_with_four_events():
    first, second = month_in_order().dispute_reports
    return month_in_order(
        dispute_reports=(
            dataclasses.replace(first, submitted_on=date(2026, 4, 14), signed=False),
            second,
        ),
        petitions=(petition(LEVEL_DISTRICT, NATURE_ABNORMAL, persons=2, stabilised_in_time=False),),
        patrol_weeks=tuple(
            dataclasses.replace(week, count=1) if week.iso_week == 16 else week
            for week in month_in_order().patrol_weeks
        ),
        commendations=(Commendation(ref("commend"), date(2026, 4, 22), LEVEL_CITY),),
    )


def test_april_2026_village_with_everything_in_order_scores_100():
    facts = month_in_order()
    assert len(facts.patrol_weeks) == 5
    sheet = score_village(TABLE, facts)
    assert sheet.total == 100
    assert sheet.lines == ()
    assert not sheet.provisional


def test_april_2026_with_the_four_events_scores_93():
    sheet = score_village(TABLE, april_with_four_events())
    assert [(line.item_code, line.points) for line in sheet.lines] == [
        ("1.4", D(-1)),
        ("2", D(-8)),
        ("4.4", D(-1)),
        ("adj.commend", D(3)),
    ]
    assert sheet.total == 93
    assert sheet.section("2").score == 22
    assert sheet.adjustments_total == 3


def test_march_with_eleven_person_times_of_city_petitions_scores_70():
    facts = month_in_order(
        2026, 3, petitions=(petition(LEVEL_CITY, on=date(2026, 3, 5), persons=11),)
    )
    sheet = score_village(TABLE, facts)
    (line,) = sheet.lines
    assert (line.points, line.raw_points) == (D(-30), D(-33))
    assert sheet.item("2").raw_deduction == 33
    assert sheet.total == 70


def test_lines_of_eleven_petitions_stop_once_thirty_is_reached():
    petitions = tuple(petition(LEVEL_CITY, on=date(2026, 3, d)) for d in range(1, 12))
    sheet = score_village(TABLE, month_in_order(2026, 3, petitions=petitions))
    assert [line.points for line in sheet.lines] == [D(-3)] * 10 + [D(0)]
    assert sheet.lines[-1].reason.endswith("扣完为止,不再扣分")
    assert sheet.total == 70


def test_plan_section_two_is_worth_fifty_so_a_clean_month_scores_120():
    assert score_village(XX_2024_PLAN, month_in_order()).total == 120


# --- Contests (申诉): waived lines ----------------------------------------------------------


def test_waived_line_counts_zero_and_stays_on_the_sheet_with_its_figure():
    found = petition(LEVEL_DISTRICT, NATURE_ABNORMAL, persons=2, stabilised_in_time=False)
    facts = month_in_order(petitions=(found,))
    sheet = score_village(TABLE, facts, waived=frozenset({("2", (("petition", found.ref.id),))}))
    (line,) = sheet.lines
    assert (line.points, line.raw_points, line.waived) == (D(0), D(-8), True)
    assert line.reason == "区级非正常上访2人次,未及时稳控,扣8分,经申诉核减"
    assert (sheet.total, sheet.item("2").raw_deduction) == (D(100), D(0))


def test_waiving_a_line_of_a_capped_item_lets_the_next_line_count():
    petitions = tuple(petition(LEVEL_CITY, on=date(2026, 3, d)) for d in range(1, 12))
    waived = frozenset({("2", (("petition", petitions[0].ref.id),))})
    sheet = score_village(TABLE, month_in_order(2026, 3, petitions=petitions), waived=waived)
    assert [line.points for line in sheet.lines] == [D(0)] + [D(-3)] * 10
    assert sheet.total == 70


def test_waiving_a_line_without_records_waives_only_that_line():
    unwaived = score_village(TABLE, month_in_order(inspection=None))
    first = unwaived.lines_for("4.1")[0]
    waiver = ("4.1", (), first.reason)
    sheet = score_village(TABLE, month_in_order(inspection=None), waived=frozenset({waiver}))
    assert [line.waived for line in sheet.lines_for("4.1")] == [True, False, False]
    assert sheet.item("4.1").score == unwaived.item("4.1").score - first.points
    assert [line.waived for line in sheet.lines_for("4.3")] == [False] * 7


# --- Quarters and years ----------------------------------------------------------------------


def sheet_with_total(month: int, total: str, *, village_id: int = 1, year: int = 2026, **fields):
    """A monthly sheet reduced to what aggregation reads."""
    return Sheet(
        village_id=village_id,
        rubric_code=TABLE.code,
        period_start=date(year, month, 1),
        period_end=month_end(year, month),
        total=D(total),
        sections=(),
        items=(),
        lines=(),
        **fields,
    )


def test_quarter_is_the_mean_of_its_three_months_rounded_half_up():
    sheets = [sheet_with_total(4, "100"), sheet_with_total(5, "93"), sheet_with_total(6, "70")]
    result = quarter_score(TABLE, 1, 2026, 2, sheets)
    assert result.score == D("87.67")
    assert result.months == (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1))
    assert not result.provisional


def test_quarter_with_a_missing_month_is_the_mean_of_the_others_and_provisional():
    result = quarter_score(
        TABLE, 1, 2026, 2, [sheet_with_total(4, "90"), sheet_with_total(6, "95")]
    )
    assert result.score == D("92.50")
    assert result.provisional_reasons == ("缺少2026年5月评分表,按已有2个月平均",)


def test_quarter_carries_the_provisional_reasons_of_its_months():
    sheets = [sheet_with_total(1, "90", provisional_reasons=("本期尚无综治中心检查记录",))]
    sheets += [sheet_with_total(2, "90"), sheet_with_total(3, "90")]
    result = quarter_score(TABLE, 1, 2026, 1, sheets)
    assert result.provisional_reasons == ("2026年1月:本期尚无综治中心检查记录",)


def test_quarter_shows_a_veto_but_keeps_its_mean():
    veto = Veto(VETO_BEIJING_NEW_PROBLEM, "进京上访", (ref("petition"),))
    sheets = [sheet_with_total(m, "90", vetoes=(veto,) if m == 8 else ()) for m in (7, 8, 9)]
    result = quarter_score(TABLE, 1, 2026, 3, sheets)
    assert (result.score, result.vetoes) == (D(90), (veto,))


def test_quarter_refuses_a_sheet_of_another_quarter():
    with pytest.raises(ValueError):
        quarter_score(TABLE, 1, 2026, 1, [sheet_with_total(4, "90")])


def test_year_is_the_mean_of_its_twelve_months():
    totals = ["100"] * 10 + ["93", "70"]
    sheets = [sheet_with_total(m, t) for m, t in zip(range(1, 13), totals, strict=True)]
    result = annual_score(TABLE, 1, 2026, sheets)
    assert result.score == D("96.92")  # 1163 / 12 = 96.9166...
    assert result.computed == result.score


def test_cause_veto_sets_the_annual_score_to_zero_and_keeps_the_computed_one():
    veto = Veto(VETO_BEIJING_NEW_PROBLEM, "进京上访", (ref("petition"),))
    sheets = [sheet_with_total(m, "98", vetoes=(veto,) if m == 6 else ()) for m in range(1, 13)]
    result = annual_score(TABLE, 1, 2026, sheets)
    assert (result.score, result.computed, result.vetoes) == (D(0), D(98), (veto,))


def test_beijing_petition_from_new_problem_vetoes_the_year_from_its_month_sheet():
    petitions = (petition(LEVEL_BEIJING, on=date(2026, 4, 3), new_problem_unresolved=True),)
    april = score_village(TABLE, month_in_order(petitions=petitions))
    result = annual_score(TABLE, 1, 2026, [april])
    assert april.total == 95
    assert [veto.cause for veto in result.vetoes] == [VETO_BEIJING_NEW_PROBLEM]
    assert result.score == 0


WHOLE_YEAR = dataclasses.replace(TABLE, settings=RubricSettings(aggregation=AGGREGATION_WHOLE_YEAR))
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def test_whole_year_village_in_order_scores_100():
    sheet = score_village(WHOLE_YEAR, in_order(*YEAR))
    assert sheet.total == 100
    assert annual_score(WHOLE_YEAR, 1, 2026, [sheet]).score == 100


def test_whole_year_applies_each_item_once_to_the_years_records():
    facts = in_order(*YEAR)
    facts = dataclasses.replace(
        facts,
        meetings=tuple(m for m in facts.meetings if m.date.month not in (2, 7)),
        dispute_reports=tuple(r for r in facts.dispute_reports if r.month != 5),
        patrol_weeks=tuple(w for w in facts.patrol_weeks if w.iso_week != 20),
    )
    sheet = score_village(WHOLE_YEAR, facts)
    assert sheet.item("1.1").score == 3  # two months without a meeting
    assert sheet.item("1.4").score == 3  # May's two reports
    assert sheet.item("4.4").score == D("2.5")  # one week with three patrols missing
    assert annual_score(WHOLE_YEAR, 1, 2026, [sheet]).score == sheet.total == D("94.5")


def test_whole_year_needs_the_sheet_of_the_whole_year():
    april = score_village(WHOLE_YEAR, month_in_order())
    with pytest.raises(ValueError):
        annual_score(WHOLE_YEAR, 1, 2026, [april])


def test_whole_year_2026_holds_53_patrol_weeks_from_its_first_thursday():
    weeks = weeks_of_period(*YEAR)
    assert (len(weeks), weeks[0], weeks[-1]) == (53, (2026, 1), (2026, 53))


# --- Last place and ranks ------------------------------------------------------------------


def annual(score: str, *vetoes: Veto) -> PeriodScore:
    value = D(0) if vetoes else D(score)
    return PeriodScore(1, *YEAR, score=value, computed=D(score), months=(), vetoes=vetoes)


CAUSE = Veto(VETO_BEIJING_NEW_PROBLEM, "进京上访")


def last_place_hits(scores):
    after = apply_last_place_veto(TABLE, scores)
    return sorted(k for k, v in after.items() if VETO_LAST_PLACE in [x.cause for x in v.vetoes])


def test_last_place_village_is_vetoed():
    scores = {"a": annual("90"), "b": annual("85"), "c": annual("80")}
    after = apply_last_place_veto(TABLE, scores)
    assert last_place_hits(scores) == ["c"]
    assert (after["c"].score, after["c"].computed) == (D(0), D(80))
    assert after["b"].score == 85


def test_villages_tied_at_last_place_are_all_vetoed():
    scores = {"a": annual("90"), "b": annual("80"), "c": annual("80")}
    assert last_place_hits(scores) == ["b", "c"]


def test_village_vetoed_for_a_cause_is_the_last_place_and_no_second_village_is_hit():
    scores = {"a": annual("95", CAUSE), "b": annual("70"), "c": annual("90")}
    after = apply_last_place_veto(TABLE, scores)
    assert last_place_hits(scores) == ["a"]
    assert after["b"].score == 70
    assert [veto.cause for veto in after["a"].vetoes] == [VETO_BEIJING_NEW_PROBLEM, VETO_LAST_PLACE]


def test_village_at_zero_ties_with_a_vetoed_village_for_last_place():
    scores = {"a": annual("95", CAUSE), "b": annual("0"), "c": annual("90")}
    assert last_place_hits(scores) == ["a", "b"]


def test_last_place_veto_is_a_rubric_setting():
    rubric = dataclasses.replace(TABLE, settings=RubricSettings(last_place_veto=False))
    scores = {"a": annual("90"), "b": annual("80")}
    assert apply_last_place_veto(rubric, scores) == scores


def test_no_last_place_when_every_village_has_the_same_score():
    assert last_place_hits({"a": annual("90"), "b": annual("90")}) == []
    assert last_place_hits({"a": annual("90")}) == []


def test_score_year_applies_cause_vetoes_then_last_place():
    beijing = petition(LEVEL_BEIJING, on=date(2026, 4, 3), new_problem_unresolved=True)
    sheets = {
        1: [score_village(TABLE, month_in_order(village_id=1))],
        2: [score_village(TABLE, month_in_order(village_id=2, petitions=(beijing,)))],
        3: [score_village(TABLE, dataclasses.replace(april_with_four_events(), village_id=3))],
    }
    result = score_year(TABLE, 2026, sheets)
    assert {k: v.score for k, v in result.items()} == {1: 100, 2: 0, 3: 93}
    assert [veto.cause for veto in result[2].vetoes] == [VETO_BEIJING_NEW_PROBLEM, VETO_LAST_PLACE]
    assert rank({k: v.score for k, v in result.items()}) == {1: 1, 3: 2, 2: 3}


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        pytest.param(
            {"a": D(95), "b": D(90), "c": D(90), "d": D(85)},
            {"a": 1, "b": 2, "c": 2, "d": 4},
            id="ties_share_a_rank_and_the_next_rank_is_skipped",
        ),
        pytest.param(
            {"a": D(80), "b": D(80), "c": D(80)},
            {"a": 1, "b": 1, "c": 1},
            id="all_tied_share_first",
        ),
        pytest.param(
            {"a": D("90.5"), "b": D(0), "c": D("90.50")},
            {"a": 1, "c": 1, "b": 3},
            id="equal_decimals_tie_whatever_their_exponent",
        ),
        pytest.param({}, {}, id="no_villages"),
    ],
)
def test_rank_uses_standard_competition_ranking(scores, expected):
    assert rank(scores) == expected
