"""The money rules, one case per row, on plain data (no database).

The scheme is the shipped 2026 default (rewards/data/scheme_2026.json, the document's figures),
read through an unsaved RewardScheme so the figures under test are the ones that ship.
"""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.scoring.rubric_defaults import DEFAULT_RUBRIC
from rewards.models import RewardScheme
from rewards.scheme import ledger
from rewards.scheme import rules
from rewards.scheme import types

DATA = Path(__file__).resolve().parents[2] / "rewards" / "data" / "scheme_2026.json"


def shipped_scheme() -> types.Scheme:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    data.pop("year")
    return RewardScheme(year=2026, **data).figures()


SCHEME = shipped_scheme()
# The natures the shipped rubric aggravates (评分表 二), which double a Beijing fine.
AGGRAVATED = frozenset(
    next(i for i in DEFAULT_RUBRIC.items if i.kind == "petitions_by_level").params[
        "aggravated_natures"
    ]
)
A, B, C, E = 1, 2, 3, 4  # village ids
DAY = date(2026, 4, 10)


def village(score, vid=A, name="甲村", vetoes=(), provisional=()):
    return types.VillageYear(vid, name, None if score is None else D(score), vetoes, provisional)


def depositor(*villages, amount="1000", role="secretary", deposit_id=7, person_id=70):
    return types.Depositor(person_id, "张三", deposit_id, role, D(amount), tuple(villages))


def amounts(lines):
    return {line.key: line.amount for line in lines}


# --- The shipped scheme carries the document's figures ----------------------------------------


def test_shipped_scheme_has_the_documents_figures():
    assert SCHEME.deposits == {
        "area_leader": D(2000),
        "point_leader": D(1000),
        "centre_staff": D(1000),
        "secretary": D(1000),
        "security_director": D(1000),
    }
    assert "director" not in SCHEME.deposits  # 村主任 pays no deposit (奖惩 1)
    assert (SCHEME.double_return_from, SCHEME.return_from) == (D(85), D(80))
    assert [a.village for a in SCHEME.top_awards] == [D(10000), D(8000), D(6000)]
    assert [set(a.shares.values()) for a in SCHEME.top_awards] == [{D(3000)}, {D(2000)}, {D(1000)}]
    assert SCHEME.individual_share_cap == D("0.6")
    assert SCHEME.zero_quarter.village == D(20000)
    assert SCHEME.zero_year.village == D(10000)
    assert dict(SCHEME.zero_year.shares) == {
        "secretary": D(1000),
        "director": D(1000),
        "security_director": D(1000),
    }


@pytest.mark.parametrize(
    ("role", "amount"),
    [
        ("area_leader", "2000"),
        ("point_leader", "1000"),
        ("centre_staff", "1000"),
        ("secretary", "1000"),
        ("security_director", "1000"),
    ],
)
def test_deposit_by_role_is_owed_by_the_person(role, amount):
    line = rules.deposit_line(
        person_id=70, deposit_id=7, role=role, amount=SCHEME.deposits[role], village_id=A
    )
    assert (line.kind, line.amount, line.person_id) == (types.DEPOSIT, -D(amount), 70)
    assert f"缴纳责任金{amount}元" in line.cause


# --- Settlement by annual score (奖惩 1) ------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "kind", "amount"),
    [
        ("0", types.FORFEIT, "0"),
        ("79.99", types.FORFEIT, "0"),
        ("80", types.SETTLEMENT_RETURN, "1000"),
        ("84.99", types.SETTLEMENT_RETURN, "1000"),
        ("85", types.DOUBLE_RETURN, "2000"),
        ("97.99", types.DOUBLE_RETURN, "2000"),
        ("98", types.DOUBLE_RETURN, "2000"),
        ("104", types.DOUBLE_RETURN, "2000"),
    ],
)
def test_settlement_by_annual_score(score, kind, amount):
    (line,) = rules.settlement_lines(SCHEME, [depositor(village(score))])
    assert (line.kind, line.amount) == (kind, D(amount))
    assert line.person_id == 70 and line.village_id == A
    assert line.key == "settlement:deposit:7"


def test_below_80_forfeits_and_summons_the_village_leaders():
    (line,) = rules.settlement_lines(SCHEME, [depositor(village("79.99"))])
    assert "扣除责任金1000元" in line.cause and "约谈" in line.cause


def test_town_leader_deposit_of_2000_comes_back_twice():
    (line,) = rules.settlement_lines(
        SCHEME, [depositor(village("85"), amount="2000", role="area_leader")]
    )
    assert line.amount == D(4000)
    assert "双倍返还4000元" in line.cause


@pytest.mark.parametrize(
    ("scores", "kind", "amount"),
    [
        (("86", "84"), types.DOUBLE_RETURN, "2000"),  # mean 85
        (("85", "84.99"), types.SETTLEMENT_RETURN, "1000"),  # mean 84.995, not rounded up
        (("90", "69.99"), types.FORFEIT, "0"),  # mean 79.995 is below 80
        (("90", "70"), types.SETTLEMENT_RETURN, "1000"),  # mean 80
    ],
)
def test_person_over_two_villages_takes_the_mean(scores, kind, amount):
    person = depositor(village(scores[0], A, "甲村"), village(scores[1], B, "乙村"))
    (line,) = rules.settlement_lines(SCHEME, [person])
    assert (line.kind, line.amount) == (kind, D(amount))
    assert line.village_id is None  # over several villages: the person's line, no village
    assert "甲村" in line.cause and "乙村" in line.cause and "平均" in line.cause


def test_a_veto_in_any_of_the_persons_villages_forfeits():
    vetoed = village("0", B, "乙村", vetoes=(("last_place", "年度综合排名最后一名"),))
    (line,) = rules.settlement_lines(SCHEME, [depositor(village("99", A), vetoed)])
    assert (line.kind, line.amount) == (types.FORFEIT, D(0))
    assert "一票否决" in line.cause and "乙村" in line.cause


def test_veto_forfeits_even_a_high_computed_score():
    vetoed = village("99", vetoes=(("beijing_new_problem", "进京上访"),))
    (line,) = rules.settlement_lines(SCHEME, [depositor(vetoed)])
    assert line.kind == types.FORFEIT


def test_no_annual_score_leaves_the_deposit_unsettled():
    assert rules.settlement_lines(SCHEME, [depositor(village(None))]) == []


def test_a_provisional_score_makes_the_settlement_provisional():
    (line,) = rules.settlement_lines(SCHEME, [depositor(village("90", provisional=("缺少12月",)))])
    assert line.provisional and "缺少12月" in line.provisional_reason


# --- Beijing new problem: forfeited and paid again (奖惩 2) -------------------------------------


def beijing(pid=1, nature="normal", new_problem=False, **kw):
    return types.Petition(pid, A, DAY, "beijing", "visit", nature, new_problem, **kw)


def test_beijing_new_problem_forfeits_the_deposit_which_must_be_paid_again():
    deposits = (types.DepositRef(70, 7, D(1000)), types.DepositRef(80, 8, D(2000)))
    lines = rules.beijing_forfeit_lines([beijing(new_problem=True, deposits=deposits)])
    assert [(x.person_id, x.kind, x.amount) for x in lines] == [
        (70, types.FORFEIT, D(0)),
        (70, types.DEPOSIT, D(-1000)),
        (80, types.FORFEIT, D(0)),
        (80, types.DEPOSIT, D(-2000)),
    ]
    assert "全部扣除" in lines[0].cause and "补交" in lines[1].cause


def test_beijing_petition_without_new_problem_forfeits_nothing():
    deposits = (types.DepositRef(70, 7, D(1000)),)
    assert rules.beijing_forfeit_lines([beijing(deposits=deposits)]) == []


# --- Fines (二.1, 二.2) -------------------------------------------------------------------------

HOLDERS = {"area_leader": (10,), "point_leader": (11,), "secretary": (12,), "director": (13,)}


@pytest.mark.parametrize(
    ("level", "nature", "expected"),
    [
        (
            "beijing",
            "normal",
            {"responsible": -2000, "area_leader": -1000, "point_leader": -1000, "secretary": -1000},
        ),
        (
            "beijing",
            "abnormal",
            {"responsible": -4000, "area_leader": -2000, "point_leader": -2000, "secretary": -2000},
        ),
        (
            "beijing",
            "repeat",
            {"responsible": -4000, "area_leader": -2000, "point_leader": -2000, "secretary": -2000},
        ),
        ("province", "normal", {"responsible": -500}),
        ("province", "abnormal", {"responsible": -500}),
        ("city", "abnormal", {}),
        ("district", "normal", {}),
        ("township", "normal", {}),
    ],
)
def test_petition_fines(level, nature, expected):
    p = types.Petition(1, A, DAY, level, "visit", nature, responsible_ids=(20,), holders=HOLDERS)
    lines = rules.petition_fine_lines(SCHEME, [p], aggravated=AGGRAVATED)
    got = {line.key.split(":")[3]: int(line.amount) for line in lines}
    assert got == expected
    assert all(line.kind == types.FINE for line in lines)
    people = {line.key.split(":")[3]: line.person_id for line in lines}
    assert people.get("responsible", 20) == 20 and people.get("secretary", 12) == 12


def test_fine_with_nobody_to_pay_it_stays_provisional():
    p = types.Petition(1, A, DAY, "beijing", "visit", holders={"secretary": (12,)})
    fines = rules.petition_fine_lines(SCHEME, [p], aggravated=AGGRAVATED)
    lines = {line.key.split(":")[3]: line for line in fines}
    assert (
        lines["responsible"].person_id is None and "包保" in lines["responsible"].provisional_reason
    )
    assert lines["point_leader"].person_id is None and lines["point_leader"].provisional
    assert not lines["secretary"].provisional


def test_beijing_fine_reaches_every_holder_of_a_role():
    p = types.Petition(1, A, DAY, "beijing", "visit", holders={"point_leader": (11, 14)})
    fines = rules.petition_fine_lines(SCHEME, [p], aggravated=AGGRAVATED)
    lines = [x for x in fines if "point_leader" in x.key]
    assert sorted(x.person_id for x in lines) == [11, 14]


# --- Backlog cases (三.3), dossiers (三.2), commended staff (奖惩 5) -----------------------------


def test_backlog_resolved_pays_each_resolver_and_a_relapse_fines_each():
    resolved = types.BacklogResolution(5, A, DAY, (31, 32))
    after = types.BacklogRelapse(9, 5, A, date(2026, 5, 1), DAY, (31, 32))
    before = types.BacklogRelapse(8, 5, A, date(2026, 3, 1), DAY, (31, 32))
    open_case = types.BacklogRelapse(7, 6, A, DAY, None, (31,))
    lines = rules.backlog_lines(SCHEME, [resolved], [after, before, open_case])
    assert [(x.rule, x.person_id, x.amount) for x in lines] == [
        (types.RULE_AWARD_BACKLOG_RESOLVED, 31, D(2000)),
        (types.RULE_AWARD_BACKLOG_RESOLVED, 32, D(2000)),
        (types.RULE_FINE_BACKLOG_RELAPSE, 31, D(-3000)),
        (types.RULE_FINE_BACKLOG_RELAPSE, 32, D(-3000)),
    ]


def test_accepted_dossier_pays_the_village_200():
    (line,) = rules.dossier_lines(SCHEME, [types.Dated(3, A, DAY)])
    assert (line.village_id, line.person_id, line.amount) == (A, None, D(200))


def test_staff_commended_pays_2000_once_a_year():
    events = [types.Dated(1, A, date(2026, 2, 1)), types.Dated(2, A, date(2026, 5, 1))]
    q1 = rules.staff_commended_lines(SCHEME, events, date(2026, 1, 1), date(2026, 3, 31))
    q2 = rules.staff_commended_lines(SCHEME, events, date(2026, 4, 1), date(2026, 6, 30))
    assert amounts(q1) == {"staff_commended:village:1": D(2000)} and q2 == []


# --- Zero petitions (奖惩 3, 5) ---------------------------------------------------------------

Q2 = (date(2026, 4, 1), date(2026, 6, 30))


def quarter_village(*petitions, holders=None, assessed=True):
    return types.VillagePeriod(A, "甲村", tuple(petitions), holders or {}, assessed)


@pytest.mark.parametrize(
    ("level", "channel", "zero"),
    [
        ("beijing", "visit", False),
        ("province", "letter", False),
        ("city", "online", False),
        ("district", "visit", False),
        ("province", "mailbox", False),
        ("city", "hotline", False),
        ("district", "hotline", False),
        ("township", "visit", True),  # a township visit does not break it
        ("township", "mailbox", True),  # nor a township-level mailbox message
        ("township", "opinion", False),  # an online public-opinion incident does, at any level
    ],
)
def test_zero_petition_quarter(level, channel, zero):
    p = types.Petition(1, A, date(2026, 5, 5), level, channel)
    lines = rules.zero_quarter_lines(SCHEME, [quarter_village(p)], *Q2, "2026年第2季度")
    assert amounts(lines) == ({"zero_quarter:village:1:village": D(20000)} if zero else {})


def test_zero_quarter_ignores_petitions_outside_the_quarter():
    p = types.Petition(1, A, date(2026, 3, 31), "beijing", "visit")
    lines = rules.zero_quarter_lines(SCHEME, [quarter_village(p)], *Q2, "Q2")
    assert sum(x.amount for x in lines) == D(20000)


def test_zero_quarter_not_assessed_is_provisional():
    (line,) = rules.zero_quarter_lines(SCHEME, [quarter_village(assessed=False)], *Q2, "Q2")
    assert line.provisional


def test_zero_quarter_shares_go_to_the_quarter_end_holders():
    scheme = replace(SCHEME, zero_quarter=types.Award(D(20000), {"secretary": D(1000)}))
    lines = rules.zero_quarter_lines(
        scheme, [quarter_village(holders={"secretary": (12,)})], *Q2, "Q2"
    )
    assert amounts(lines) == {
        "zero_quarter:village:1:village": D(20000),
        "zero_quarter:village:1:secretary:12": D(1000),
    }


def year_village(*petitions, previous_zero=False, vetoes=(), assessed=True):
    holders = {
        "secretary": (12,),
        "director": (13,),
        "security_director": (14,),
        "point_leader": (11,),
    }
    return types.VillagePeriod(
        A, "甲村", tuple(petitions), holders, assessed, vetoes, previous_zero
    )


@pytest.mark.parametrize(
    ("previous_zero", "village_amount", "each"),
    [(False, 10000, 1000), (None, 10000, 1000), (True, 20000, 2000)],
)
def test_zero_petition_year_and_the_second_consecutive_year_doubles(
    previous_zero, village_amount, each
):
    lines = rules.zero_year_lines(SCHEME, [year_village(previous_zero=previous_zero)], 2026)
    assert amounts(lines) == {
        "zero_year:village:1:village": D(village_amount),
        "zero_year:village:1:secretary:12": D(each),
        "zero_year:village:1:director:13": D(each),
        "zero_year:village:1:security_director:14": D(each),
    }
    if previous_zero is None:
        assert "不计连续" in lines[0].cause


def test_zero_petition_year_broken_by_one_district_petition_or_barred_by_a_veto():
    p = types.Petition(1, A, date(2026, 11, 5), "district", "visit")
    assert rules.zero_year_lines(SCHEME, [year_village(p)], 2026) == []
    vetoed = year_village(vetoes=(("last_place", "最后一名"),))
    assert rules.zero_year_lines(SCHEME, [vetoed], 2026) == []


# --- Sensitive periods (奖惩 3) -----------------------------------------------------------------


def test_sensitive_period_award_as_configured_for_the_period():
    period = types.SensitivePeriod(4, "国庆", date(2026, 9, 30), date(2026, 10, 8), D(3000))
    inside = types.Petition(1, B, date(2026, 10, 2), "city", "visit")
    outside = types.Petition(2, A, date(2026, 10, 9), "city", "visit")
    villages = [
        types.VillagePeriod(A, "甲村", (outside,)),
        types.VillagePeriod(B, "乙村", (inside,)),
    ]
    lines = rules.sensitive_period_lines(SCHEME, period, villages)
    assert amounts(lines) == {"sensitive:4:village:1:village": D(3000)}
    assert "国庆" in lines[0].cause


# --- Year-end top three (奖惩 4) ----------------------------------------------------------------

TOP_HOLDERS = {
    "area_leader": (10,),
    "point_leader": (11,),
    "centre_staff": (15,),
    "secretary": (12,),
    "director": (13,),
    "security_director": (14,),
}


def top(scores, vetoed=()):
    villages = [
        village(s, vid, f"村{vid}", vetoes=(("x", "否决"),) if vid in vetoed else ())
        for vid, s in scores.items()
    ]
    lines = rules.top_three_lines(SCHEME, villages, {vid: TOP_HOLDERS for vid in scores})
    return {
        vid: sum(x.amount for x in lines if x.village_id == vid and x.person_id is None)
        for vid in scores
        if any(x.village_id == vid for x in lines)
    }, lines


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({1: "99", 2: "98.5", 3: "98.2", 4: "97"}, {1: 10000, 2: 8000, 3: 6000}),
        # two villages tied 2nd both get 8,000; the next is 4th: nothing
        ({1: "99", 2: "98.5", 3: "98.5", 4: "98.2"}, {1: 10000, 2: 8000, 3: 8000}),
        ({1: "99", 2: "99", 3: "98.1"}, {1: 10000, 2: 10000, 3: 6000}),
        # 98 is the floor: 97.99 at 3rd gets nothing, 98 gets 6,000
        ({1: "99", 2: "98.5", 3: "97.99"}, {1: 10000, 2: 8000}),
        ({1: "99", 2: "98.5", 3: "98"}, {1: 10000, 2: 8000, 3: 6000}),
        ({1: "97.99", 2: "90"}, {}),
    ],
)
def test_top_three_with_98_and_above(scores, expected):
    got, _lines = top({k: D(v) for k, v in scores.items()})
    assert got == {k: D(v) for k, v in expected.items()}


def test_top_three_individuals_3000_2000_1000_to_the_five_roles():
    _got, lines = top({1: D(99), 2: D("98.5"), 3: D("98.2")})
    people = {(x.village_id, x.person_id): x.amount for x in lines if x.person_id}
    assert {p for (_v, p) in people} == {10, 11, 15, 12, 14}  # not the director (13)
    assert {people[(1, p)] for p in (10, 11, 15, 12, 14)} == {D(3000)}
    assert {people[(2, p)] for p in (10, 11, 15, 12, 14)} == {D(2000)}
    assert {people[(3, p)] for p in (10, 11, 15, 12, 14)} == {D(1000)}


def test_a_vetoed_village_gets_no_award_and_ranks_by_its_zeroed_score():
    got, _lines = top({1: D(0), 2: D("98.5"), 3: D("98.2"), 4: D("98.1")}, vetoed=(1,))
    assert got == {2: D(10000), 3: D(8000), 4: D(6000)}


# --- The 60% ceiling (奖惩 5) -------------------------------------------------------------------


def test_first_place_individuals_sit_exactly_at_60_percent():
    _got, lines = top({1: D(99)})
    village_line = next(x for x in lines if x.person_id is None)
    assert village_line.amount == D(10000)
    assert sum(x.amount for x in lines if x.person_id) == D(15000)  # 60% of 25,000


def test_ceiling_scales_individuals_down_and_gives_the_rest_to_the_village():
    holders = {**TOP_HOLDERS, "point_leader": (11, 16)}  # two point leaders: 6 x 3,000
    lines = rules.top_three_lines(SCHEME, [village("99", 1)], {1: holders})
    village_line = next(x for x in lines if x.person_id is None)
    shares = [x for x in lines if x.person_id]
    # total 10,000 + 18,000 = 28,000; 60% = 16,800; each 3,000 x 16,800/18,000 = 2,800
    assert {x.amount for x in shares} == {D(2800)} and len(shares) == 6
    assert village_line.amount == D(11200)
    assert "16800" in village_line.cause and "原定3000元" in shares[0].cause


def test_split_rounds_each_share_down_to_the_fen():
    split = rules.split_award(D(1), [("secretary", 1, D(1000))] * 3, D("0.6"))
    assert split.total == D(3001) and split.limit == D("1800.60")
    assert [s[3] for s in split.shares] == [D("600.20")] * 3
    assert split.village + split.individuals == split.total


money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False)


@given(
    village_amount=money,
    shares=st.lists(money, max_size=8),
    cap=st.decimals(min_value=0, max_value=1, places=2),
)
def test_split_never_exceeds_the_ceiling_and_loses_nothing(village_amount, shares, cap):
    split = rules.split_award(village_amount, [("r", i, a) for i, a in enumerate(shares)], cap)
    assert split.village + split.individuals == split.total == village_amount + sum(shares, D(0))
    assert split.individuals <= max(split.limit, D(0)) or split.individuals == sum(shares, D(0))
    assert split.individuals <= split.total * cap
    assert all(0 <= paid <= planned for _r, _p, planned, paid in split.shares)


# --- Reconcile: approved lines never change ---------------------------------------------------


def line(key="k", amount="1000", **kw):
    return types.Line(key, types.RULE_SETTLEMENT, types.SETTLEMENT_RETURN, D(amount), "原因", **kw)


def stored(pk, status, amount="1000", adjusts=None, key="k"):
    return types.Stored(pk, line(key, amount), status, adjusts)


def test_reconcile_creates_what_is_new_and_nothing_twice():
    plan = ledger.reconcile([], [line()])
    assert plan.create == ((line(), None),)
    assert ledger.reconcile([stored(1, types.COMPUTED)], [line()]).empty
    assert ledger.reconcile([stored(1, types.APPROVED)], [line()]).empty


def test_reconcile_changes_a_computed_line_in_place_and_drops_one_no_longer_due():
    plan = ledger.reconcile([stored(1, types.COMPUTED)], [line(amount="2000")])
    assert plan.update == ((1, line(amount="2000"), None),) and not plan.create
    assert ledger.reconcile([stored(1, types.COMPUTED)], []).delete == (1,)


@pytest.mark.parametrize("status", [types.APPROVED, types.PAID])
def test_reconcile_puts_a_difference_beside_an_approved_or_paid_line(status):
    plan = ledger.reconcile([stored(1, status)], [line(amount="2000")])
    ((diff, adjusts),) = plan.create
    assert adjusts == 1 and diff.amount == D(1000)
    assert diff.cause.startswith("差额待审批:已审批1000元,重算为2000元")
    assert not plan.update and not plan.delete


def test_reconcile_follows_with_the_pending_difference_until_it_is_approved():
    rows = [stored(1, types.APPROVED), stored(2, types.COMPUTED, "1000", adjusts=1)]
    plan = ledger.reconcile(rows, [line(amount="1500")])
    assert [(pk, x.amount, a) for pk, x, a in plan.update] == [(2, D(500), 1)]
    back = ledger.reconcile(rows, [line(amount="1000")])
    assert back.delete == (2,) and not back.create
    approved = [stored(1, types.APPROVED), stored(2, types.APPROVED, "1000", adjusts=1)]
    assert ledger.reconcile(approved, [line(amount="2000")]).empty
    ((diff, adjusts),) = ledger.reconcile(approved, [line(amount="0")]).create
    assert (diff.amount, adjusts) == (D(-2000), 1)


def test_reconcile_reverses_an_approved_line_no_longer_due():
    ((diff, adjusts),) = ledger.reconcile([stored(1, types.APPROVED)], []).create
    assert (diff.amount, adjusts) == (D(-1000), 1)
    assert "不再适用" in diff.cause


def test_reconcile_refuses_two_lines_for_one_key():
    with pytest.raises(ValueError, match="two lines"):
        ledger.reconcile([], [line(), line()])


def test_period_not_over_marks_lines_provisional():
    (x,) = rules.with_provisional([line(provisional_reason="a")], "b")
    assert x.provisional_reason == "a;b"
