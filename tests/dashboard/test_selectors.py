"""The dashboard's figures: ranking with change and per-capita view, charts, at-risk villages,
veto causes, the deadline board, pending contests, and a village's year and open items."""

from datetime import date
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from assessment import selectors as scores
from assessment.links import record_url
from assessment.models import Contest
from assessment.models import Period
from assessment.models import PeriodScoreSet
from assessment.models import PeriodState
from assessment.models import ScoreSheet
from cases.models import AssignedCase
from core.periods import Span
from dashboard import selectors
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Petition
from tests.dashboard.factories import line
from tests.dashboard.factories import sheet
from tests.dashboard.factories import sheet_row
from tests.dashboard.factories import sheets
from tests.factories import VillageFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def petition(village, day, **kw):
    kw.setdefault("level", "district")
    return Petition.objects.create(village=village, date=day, channel="visit", matter="m", **kw)


# --- Span ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "previous", "months"),
    [
        (Span.of("month", 2026, 4), Span.of("month", 2026, 3), (4,)),
        (Span.of("month", 2026, 1), Span.of("month", 2025, 12), (1,)),
        (Span.of("quarter", 2026, 2), Span.of("quarter", 2026, 1), (4, 5, 6)),
        (Span.of("quarter", 2026, 1), Span.of("quarter", 2025, 4), (1, 2, 3)),
        (Span.of("year", 2026), Span.of("year", 2025), tuple(range(1, 13))),
    ],
)
def test_span_months_and_previous(span, previous, months):
    assert span.previous() == previous
    assert span.months == months
    assert span.start == date(span.year, months[0], 1)


def test_span_titles():
    assert scores.span_title(Span.of("month", 2026, 4)) == "2026年4月"
    assert scores.span_title(Span.of("quarter", 2026, 2)) == "2026年第2季度"
    assert scores.span_title(Span.of("year", 2026)) == "2026年度"
    assert Span.of("quarter", 2026, 1).end == date(2026, 3, 31)


# --- Ranking -------------------------------------------------------------------------------------


@pytest.fixture
def april(township, area, village_a, village_b):
    """甲村 (2,000 people) falls from first to second in April; 乙村 (500) rises."""
    village_b.population = 500
    village_b.save()
    empty = VillageFactory(area=area, name="丙村", population=0)
    sheets(
        [
            sheet_row(village_a, 2026, 3, 95),
            sheet_row(village_b, 2026, 3, 90),
            sheet_row(empty, 2026, 3, 80),
            sheet_row(village_a, 2026, 4, 88, lost={"2": 12}),
            sheet_row(village_b, 2026, 4, 92, lost={"1": 3, "2": 5}),
            sheet_row(empty, 2026, 4, 70, vetoes=[("beijing_new_problem", "进京上访")]),
        ]
    )
    petition(village_a, date(2026, 4, 3))
    petition(village_a, date(2026, 4, 9))
    petition(village_a, date(2026, 3, 9))  # March: not counted in April
    petition(village_b, date(2026, 4, 5))
    Dispute.objects.create(village=village_a, found_date=date(2026, 4, 2), parties="x", matter="y")
    return empty


def test_month_ranking_change_vetoes_and_per_capita(township, village_a, village_b, april):
    rows = selectors.ranking(township.pk, Span.of("month", 2026, 4))
    by_name = {r.village.name: r for r in rows}
    assert [r.village.name for r in rows] == ["乙村", "甲村", "丙村"]
    assert by_name["乙村"].change == 1 and by_name["甲村"].change == -1
    assert by_name["甲村"].change_abs == 1
    assert by_name["丙村"].vetoes == (("beijing_new_problem", "进京上访"),)
    # 甲村: 2 person-times among 2,000 people; 乙村: 1 among 500.
    assert by_name["甲村"].person_times == 2
    assert by_name["甲村"].person_times_per_k == Decimal("1.00")
    assert by_name["乙村"].person_times_per_k == Decimal("2.00")
    assert by_name["甲村"].disputes_per_k == Decimal("0.50")
    assert by_name["乙村"].disputes_per_k == Decimal("0.00")
    # Fewest petitions per resident first: the larger village compares fairly.
    assert by_name["甲村"].per_capita_rank == 1 and by_name["乙村"].per_capita_rank == 2
    assert by_name["丙村"].person_times_per_k is None and by_name["丙村"].per_capita_rank is None


def test_quarter_ranking_compares_with_the_previous_quarter(township, village_a, village_b):
    rows = []
    for month in (1, 2, 3):
        rows += [sheet_row(village_a, 2026, month, 95), sheet_row(village_b, 2026, month, 90)]
    for month in (4, 5, 6):
        rows += [sheet_row(village_a, 2026, month, 85), sheet_row(village_b, 2026, month, 91)]
    sheets(rows)
    ranked = selectors.ranking(township.pk, Span.of("quarter", 2026, 2))
    assert [(r.village.name, r.rank, r.change) for r in ranked] == [("乙村", 1, 1), ("甲村", 2, -1)]
    first = selectors.ranking(township.pk, Span.of("quarter", 2026, 1))
    assert [r.change for r in first] == [None, None]  # no sheets in 2025's fourth quarter


def test_year_ranking_marks_the_last_place_veto(township, village_a, village_b):
    sheets(
        [
            sheet_row(village_a, 2025, 6, 90),
            sheet_row(village_b, 2025, 6, 95),
            sheet_row(village_a, 2026, 6, 96),
            sheet_row(village_b, 2026, 6, 93),
        ]
    )
    ranked = selectors.ranking(township.pk, Span.of("year", 2026))
    assert ranked[0].village == village_a and ranked[0].change == 1
    last = ranked[-1]
    assert last.village == village_b and last.score == 0
    assert [cause for cause, _reason in last.vetoes] == ["last_place"]
    # The card names it too, though no petition carries it (issue 13: it said 暂无).
    assert [(v.village, v.cause) for v in selectors.veto_causes(ranked)] == [
        (village_b, "last_place")
    ]


def test_latest_scored_month(township, village_a):
    assert scores.latest_scored_month(township.pk, 2026) is None
    sheet(village_a, 2026, 3, 90)
    sheet(village_a, 2026, 5, 90)
    assert scores.latest_scored_month(township.pk, 2026) == 5


# --- Charts --------------------------------------------------------------------------------------


def test_chart_data(township, village_a, village_b, april):
    span = Span.of("month", 2026, 4)
    rows = selectors.ranking(township.pk, span)
    petition(village_a, date(2026, 4, 20), level="beijing")
    data = selectors.chart_data(township.pk, span, rows)
    trend = data["trend"]
    assert trend["months"] == ["1月", "2月", "3月", "4月"]
    assert [s["name"] for s in trend["series"]] == ["乙村", "甲村", "丙村"]
    assert trend["series"][1]["data"] == [None, None, 95.0, 88.0]
    assert all(s["shown"] for s in trend["series"])  # few villages: all shown
    lost = data["lost"]
    assert lost["villages"] == ["乙村", "甲村", "丙村"]
    by_section = {s["code"]: s["data"] for s in lost["series"]}
    assert by_section["1"] == [3.0, 0.0, 0.0] and by_section["2"] == [5.0, 12.0, 0.0]
    assert lost["averaged"] is False
    levels = {s["name"]: s["data"] for s in data["levels"]["series"]}
    assert levels["区"][2] == 1 and levels["区"][3] == 3 and levels["京"][3] == 1
    assert list(levels) == ["京", "省", "市", "区", "镇"]


def test_trend_shows_the_top_and_bottom_three_at_first(township, area):
    villages = [VillageFactory(area=area, name=f"村{i}") for i in range(8)]
    sheets([sheet_row(v, 2026, 1, 100 - i) for i, v in enumerate(villages)])
    span = Span.of("month", 2026, 1)
    data = selectors.chart_data(township.pk, span, selectors.ranking(township.pk, span))
    shown = [s["name"] for s in data["trend"]["series"] if s["shown"]]
    assert shown == ["村0", "村1", "村2", "村5", "村6", "村7"]


def test_lost_points_are_averaged_over_a_quarter(township, village_a):
    sheets(
        [
            sheet_row(village_a, 2026, 1, 96, lost={"4": 4}),
            sheet_row(village_a, 2026, 2, 98, lost={"4": 2}),
        ]
    )
    span = Span.of("quarter", 2026, 1)
    data = selectors.chart_data(township.pk, span, selectors.ranking(township.pk, span))
    assert data["lost"]["averaged"] is True
    assert {s["code"]: s["data"] for s in data["lost"]["series"]}["4"] == [3.0]


def test_a_year_s_lost_points_are_stored_and_follow_a_changed_sheet(township, village_a):
    """The year's lost points (every sheet of the year) are stored with the year's scores
    (assessment.stored_periods.derived) and rebuilt when a sheet of the year changes."""
    sheets(
        [
            sheet_row(village_a, 2026, 1, 96, lost={"4": 4}),
            sheet_row(village_a, 2026, 2, 98, lost={"4": 2}),
        ]
    )
    span = Span.of("year", 2026)

    def lost_4():
        data = selectors.chart_data(township.pk, span, selectors.ranking(township.pk, span))
        return {s["code"]: s["data"] for s in data["lost"]["series"]}["4"]

    assert lost_4() == [3.0]
    assert lost_4() == [3.0]
    assert "lost" in PeriodScoreSet.objects.get(township=township, year=2026, quarter=0).extras
    ScoreSheet.objects.filter(village=village_a, year=2026, month=2).delete()
    sheet(village_a, 2026, 2, 90, lost={"4": 10})
    assert lost_4() == [7.0]


# --- At risk and veto causes ---------------------------------------------------------------------


def test_at_risk_under_80_or_under_82_and_falling(township, area):
    def village(name, first_half, second_half):
        v = VillageFactory(area=area, name=name)
        return [sheet_row(v, 2026, m, first_half if m <= 3 else second_half) for m in range(1, 7)]

    sheets(
        village("低分村", 78, 78)
        + village("下滑村", 85, 77)  # mean 81, 85 three months earlier
        + village("平稳村", 81, 81)  # under 82 but not falling
        + village("回升村", 75, 87)  # mean 81, rising
        + village("良好村", 95, 95)
    )
    found = selectors.at_risk(township.pk, 2026, 6)
    assert [(r.village.name, r.mean, r.below_line) for r in found] == [
        ("低分村", Decimal("78.00"), True),
        ("下滑村", Decimal("81.00"), False),
    ]
    falling = found[1]
    assert falling.mean_before == Decimal("85.00") and falling.drop == Decimal("4.00")
    assert falling.latest == Decimal("77")
    # Through March nothing lies three months back yet: only the means under 80 count.
    early = selectors.at_risk(township.pk, 2026, 3)
    assert [(r.village.name, r.mean_before) for r in early] == [("回升村", None), ("低分村", None)]
    assert selectors.at_risk(township.pk, 2026, None) == []


def test_veto_causes_come_from_the_ranking_rows_the_last_place_included(
    township, village_a, village_b, area
):
    """Issue 13: the card said 暂无 while the table showed 桃源村 vetoed at 0 (the last place,
    which no petition carries). The card now reads the ranking's own rows."""
    third = VillageFactory(area=area, name="丙村")
    beijing = petition(village_a, date(2026, 3, 1), level="beijing", new_problem_unresolved=True)
    sheets(
        [
            sheet_row(
                village_a,
                2026,
                3,
                99,
                vetoes=[("beijing_new_problem", "进京上访(3月1日)", [["petition", beijing.pk]])],
            ),
            sheet_row(village_b, 2026, 3, 90),
            sheet_row(third, 2026, 3, 95),
        ]
    )
    rows = selectors.ranking(township.pk, Span.of("year", 2026))
    found = selectors.veto_causes(rows)
    vetoed = [(r.village.name, cause) for r in rows for cause, _reason in r.vetoes]
    assert [(v.village.name, v.cause) for v in found] == vetoed
    # A cause zeroes the year, so 甲村 is also the last place (docs/rubric.md "Vetoes").
    assert vetoed == [("甲村", "beijing_new_problem"), ("甲村", "last_place")]
    assert found[0].records == ((f"信访事件#{beijing.pk}", record_url("petition", beijing.pk)),)
    assert found[1].records == () and "最后一名" in found[1].reason
    # The month shows the month's causes only: the last place is a year's.
    month = selectors.veto_causes(selectors.ranking(township.pk, Span.of("month", 2026, 3)))
    assert [(v.village.name, v.cause) for v in month] == [("甲村", "beijing_new_problem")]


def test_ranking_scores_have_two_places(township, village_a, village_b):
    sheets([sheet_row(village_a, 2026, 3, 95), sheet_row(village_b, 2026, 3, "90.5")])
    month = selectors.ranking(township.pk, Span.of("month", 2026, 3))
    assert [str(r.score) for r in month] == ["95.00", "90.50"]
    year = selectors.ranking(township.pk, Span.of("year", 2026))
    assert [str(r.score) for r in year] == ["95.00", "0.00"]  # the last place's veto


def test_status_is_provisional_until_the_month_is_closed(township, village_a):
    sheets(
        [sheet_row(village_a, 2026, 3, 95), sheet_row(village_a, 2026, 4, 95, provisional=["x"])]
    )
    (march,) = selectors.ranking(township.pk, Span.of("month", 2026, 3))
    assert march.provisional and march.status_reasons == ("尚未关闭:3月",)
    Period.objects.create(township=township, year=2026, month=3, state=PeriodState.CLOSED)
    (march,) = selectors.ranking(township.pk, Span.of("month", 2026, 3))
    assert not march.provisional and march.status_reasons == ()
    (april,) = selectors.ranking(township.pk, Span.of("month", 2026, 4))
    assert april.provisional and april.status_reasons == ("尚未关闭:4月", "x")


@pytest.mark.parametrize(
    ("today", "year", "latest", "expected"),
    [
        (date(2026, 11, 2), None, 11, (2026, 10)),  # November is a day old: October
        (date(2026, 12, 1), None, 12, (2026, 11)),
        (date(2026, 11, 30), None, None, (2026, 10)),  # its last day is not before today
        (date(2027, 1, 5), None, 12, (2026, 12)),  # the year before
        (date(2027, 1, 5), 2027, 1, (2027, 1)),  # a year asked for with no month ended yet
        (date(2026, 11, 2), 2025, 12, (2025, 12)),
        (date(2026, 11, 2), 2026, 7, (2026, 7)),  # scoring lags: its last scores
    ],
)
def test_default_month_is_the_latest_that_has_ended(today, year, latest, expected):
    assert scores.default_month(today, year, latest) == expected


# --- Deadlines and contests ----------------------------------------------------------------------


def report(village, month, half, submitted=None, signed="书记", seal="x/seal.png"):
    return DisputeReport.objects.create(
        village=village,
        year=2026,
        month=month,
        half=half,
        submitted_at=datetime(2026, month, submitted, 10, tzinfo=SHANGHAI) if submitted else None,
        signed_by=signed,
        seal_scan=seal,
    )


def case(village, due, concluded=None, title="交办件"):
    return AssignedCase.objects.create(
        village=village,
        title=title,
        assigned_by="区信访局",
        assigned_date=date(2026, 1, 5),
        due_date=due,
        concluded_date=concluded,
    )


def test_deadline_board(township, area, village_a, village_b):
    c = VillageFactory(area=area, name="丙村")
    d = VillageFactory(area=area, name="丁村")
    today = date(2026, 4, 20)  # working on April's second half (due the 28th)
    report(village_a, 4, 2, submitted=18)
    report(village_b, 4, 2)  # a draft is not submitted
    report(village_a, 4, 1, submitted=13)
    report(village_b, 4, 1, submitted=15)  # late
    report(d, 4, 1, submitted=14, signed="")  # unsigned
    soon = case(village_a, date(2026, 4, 22), title="将到期")
    late = case(village_b, date(2026, 4, 16), title="超时")
    serious = case(c, date(2026, 3, 20), title="严重超时")
    case(d, date(2026, 6, 1), title="正常")
    case(d, date(2026, 3, 20), concluded=date(2026, 3, 25), title="已办结")

    board = selectors.deadline_board(township.pk, today)
    current = board.current
    assert (current.month, current.half, current.due) == (4, 2, date(2026, 4, 28))
    assert current.days_left == 8 and not current.passed
    assert {v.name for v in current.missing} == {"丙村", "丁村", "乙村"}
    assert current.submitted == 1 and current.total == 4
    previous = board.previous
    assert (previous.month, previous.half) == (4, 1) and previous.passed
    assert [v.name for v in previous.missing] == ["丙村"]
    assert [v.name for v in previous.late] == ["乙村"]
    assert [v.name for v in previous.incomplete] == ["丁村"]
    assert [r.case for r in board.cases["due_soon"]] == [soon]
    assert [r.case for r in board.cases["overdue"]] == [late]
    assert [r.case for r in board.cases["seriously_overdue"]] == [serious]
    assert board.has_cases
    assert [t["value"] for t, _rows in board.case_tiers] == [
        "seriously_overdue",
        "overdue",
        "due_soon",
    ]


def test_pending_contests(township, village_a, staff_user, other_village):
    pending = Contest.objects.create(
        village=village_a, year=2026, month=4, item_code="2", line_reason="x", reason="y",
        filed_by=staff_user,
    )  # fmt: skip
    Contest.objects.create(
        village=village_a, year=2026, month=4, item_code="1", line_reason="x", reason="y",
        filed_by=staff_user, state="rejected",
    )  # fmt: skip
    assert selectors.pending_contests(township.pk) == [pending]


# --- A village's page ----------------------------------------------------------------------------


def test_village_year_lines_down_to_records_and_hidden_months(
    township, village_a, staff_user, secretary_a
):
    p = petition(village_a, date(2026, 3, 5), level="city")
    march = sheet(village_a, 2026, 3, 97, lost={"2": 3})
    line(march, 0, "2", -3, "到市上访1人次", refs=[("petition", p.pk)])
    line(march, 1, "adj.commend", 2, "区级表彰")
    sheet(village_a, 2026, 4, 100)
    Period.objects.create(township=township, year=2026, month=3, state=PeriodState.CLOSED)

    year = selectors.village_year(village_a, 2026, user=staff_user)
    assert [m.month for m in year.months] == [4, 3]
    m3 = year.months[1]
    assert m3.state == "closed" and m3.lost == Decimal("-3") and m3.gained == Decimal("2")
    assert m3.lines[0].links == [("petition", "信访事件", p.pk, f"/petitions/petition/{p.pk}/")]
    assert m3.url == f"/assessment/villages/{village_a.pk}/?year=2026&month=3"
    assert [(short, points) for short, _title, points in year.sections] == [
        ("一、落实信访工作责任制", 20),
        ("二、包保网络建设和责任追究", 30),
        ("三、解决信访问题", 20),
        ("四、综治维稳基层基础工作", 30),
    ]
    assert year.trend["totals"] == [97.0, 100.0]

    for_secretary = selectors.village_year(village_a, 2026, user=secretary_a)
    hidden = {m.month: m.hidden for m in for_secretary.months}
    assert hidden == {4: True, 3: False}
    assert for_secretary.months[0].sheet is None and for_secretary.months[0].lines == []
    assert for_secretary.trend["totals"] == [97.0]


def test_open_items(township, village_a):
    open_dispute = Dispute.objects.create(
        village=village_a, found_date=date(2026, 4, 2), parties="甲", matter="x"
    )
    Dispute.objects.create(
        village=village_a,
        found_date=date(2026, 4, 2),
        parties="乙",
        matter="y",
        status="resolved",
        resolved_date=date(2026, 4, 5),
    )
    late = case(village_a, date(2026, 4, 16))
    case(village_a, date(2026, 3, 20), concluded=date(2026, 3, 19))
    report(village_a, 4, 1, submitted=13)
    items = selectors.open_items(village_a, date(2026, 4, 20))
    assert items.disputes == [open_dispute]
    assert [(r.case, r.tier["value"]) for r in items.cases] == [(late, "overdue")]
    # Every half of January to March is missing; April's first was on time.
    assert len(items.reports.overdue) == 6


def test_every_line_reaches_its_record(township, village_a, staff_user):
    april = sheet(village_a, 2026, 4, 90)
    kinds = ("petition", "report", "case", "backlog", "reception", "baobao", "patrol")
    line(april, 0, "x", -1, "r", refs=[(kind, 7) for kind in kinds])
    (month,) = selectors.village_year(village_a, 2026, user=staff_user).months
    urls = {kind: url for kind, _label, _pk, url in month.lines[0].links}
    assert urls == {
        "petition": "/petitions/petition/7/",
        "report": "/petitions/report/7/",
        "case": "/cases/assigned/7/",
        "backlog": "/cases/backlog/7/",
        "reception": "/petitions/reception/7/",
        "baobao": "/petitions/baobao/7/",
        "patrol": "/governance/patrol/7/",
    }
