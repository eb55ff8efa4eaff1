"""The district's dashboard (dashboard:district): who reaches it and which townships they see,
the drill-down into one township, the figures side by side against a fixture counted by hand,
a closed month read from its stored row, the queries for 2 and 6 townships, and the comparison
under one rubric version."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessment import rubrics
from assessment import services
from assessment import township_figures
from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import RubricAssignment
from assessment.models import RubricVersion
from assessment.models import ScoreSheet
from assessment.models import TownshipMonthFigures
from core.periods import Span
from dashboard import district
from tests.assessment.period_steps import close_month
from tests.assessment.test_township_month_figures import LATER
from tests.assessment.test_township_month_figures import MONTH
from tests.assessment.test_township_month_figures import YEAR
from tests.assessment.test_township_month_figures import populate
from tests.dashboard.factories import sheet_row
from tests.dashboard.factories import sheets
from tests.factories import AreaFactory
from tests.factories import DistrictFactory
from tests.factories import TownshipFactory
from tests.factories import UserFactory
from tests.factories import VillageFactory

PAGE = reverse("dashboard:district")
MARCH = {"kind": "month", "year": YEAR, "month": MONTH}


def choose(code: str) -> str:
    return reverse("dashboard:district_choose", args=[code])


@pytest.fixture
def districts(db):
    """District 东区 with 清河镇 (March 2025 as the assessment tests count it) and 柳林镇 (two
    villages scored 70 and 90); district 西区 with 西河镇 (the same records as 清河镇)."""
    east = DistrictFactory(name="东区", code="east")
    west = DistrictFactory(name="西区", code="west")
    qinghe = TownshipFactory(name="清河镇", code="qinghe", district=east)
    liulin = TownshipFactory(name="柳林镇", code="liulin", district=east)
    outer = TownshipFactory(name="西河镇", code="xihe", district=west)
    populate(AreaFactory(township=qinghe, name="清河片"), prefix="清")
    populate(AreaFactory(township=outer, name="外片"), prefix="外")
    area = AreaFactory(township=liulin, name="柳片")
    low, high = VillageFactory(area=area, name="柳一村"), VillageFactory(area=area, name="柳二村")
    sheets([sheet_row(low, YEAR, MONTH, 70), sheet_row(high, YEAR, MONTH, 90)])
    return {"east": east, "west": west, "qinghe": qinghe, "liulin": liulin, "xihe": outer}


@pytest.fixture
def east_staff(districts):
    return UserFactory(username="east", role=Role.DISTRICT_STAFF, district=districts["east"])


@pytest.fixture
def west_leader(districts):
    return UserFactory(username="west", role=Role.DISTRICT_LEADER, district=districts["west"])


# --- Access ------------------------------------------------------------------------------------


def test_a_district_user_sees_only_their_districts_townships(client_for, east_staff, west_leader):
    page = client_for(east_staff).get(PAGE, MARCH)
    assert page.status_code == 200
    names = [r.township.name for r in page.context["board"].rows]
    assert sorted(names) == ["柳林镇", "清河镇"]
    assert "西河镇" not in page.content.decode()
    page = client_for(west_leader).get(PAGE, MARCH)
    assert [r.township.name for r in page.context["board"].rows] == ["西河镇"]
    assert "清河镇" not in page.content.decode() and "柳林镇" not in page.content.decode()


def test_choosing_another_districts_township_is_not_found(client_for, east_staff, districts):
    client = client_for(east_staff)
    assert client.post(choose("xihe")).status_code == 404
    assert client.post(choose("no-such-township")).status_code == 404
    # Nothing was chosen: the township being read is still one of the user's district.
    assert client.get(reverse("dashboard:index")).context["township"] != districts["xihe"]


def test_drilling_down_reads_the_chosen_townships_dashboard(client_for, east_staff, districts):
    client = client_for(east_staff)
    for code in ("liulin", "qinghe"):
        response = client.post(choose(code))
        assert response.status_code == 302 and response["Location"] == reverse("dashboard:index")
        dashboard = client.get(reverse("dashboard:index"), MARCH)
        assert dashboard.context["township"] == districts[code]
    assert client.get(choose("qinghe")).status_code == 405  # a POST only


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "secretary_a", "other_staff"])
def test_township_roles_are_refused(districts, client_for, cast, role):
    """清河镇's own users (the cast's township) and another township's staff."""
    client = client_for(cast[role])
    assert client.get(PAGE).status_code == 403
    assert client.post(choose("qinghe")).status_code == 403


def test_a_superuser_sees_every_township_by_district_or_one_district(client_for, districts):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = client_for(root)
    board = client.get(PAGE, MARCH).context["board"]
    assert [(g.district.name, sorted(r.township.name for r in g.rows)) for g in board.groups] == [
        ("东区", ["柳林镇", "清河镇"]),
        ("西区", ["西河镇"]),
    ]
    page = client.get(PAGE, {**MARCH, "district": "west"})
    assert [r.township.name for r in page.context["board"].rows] == ["西河镇"]
    # A superuser drills down too: the township it chose is the one its township pages read.
    assert choose("xihe") in page.content.decode()
    assert client.post(choose("xihe")).status_code == 302
    assert client.get(reverse("dashboard:index")).context["township"].code == "xihe"


# --- The figures -------------------------------------------------------------------------------


def rows_of(board) -> dict:
    return {r.township.code: r for r in board.rows}


def test_the_figures_side_by_side(districts):
    """清河镇: the assessment tests' March counted by hand; 柳林镇: two villages, nothing else.
    The risk line is the scheme's 80 for both."""
    RubricAssignment.objects.create(
        township=districts["liulin"],
        year=YEAR,
        version=RubricVersion.objects.get(code="xx-2024-plan"),
    )
    townships = [districts["qinghe"], districts["liulin"]]
    board = district.district_board(townships, Span(YEAR, month=MONTH), LATER)
    rows = rows_of(board)
    qinghe, liulin = rows["qinghe"], rows["liulin"]
    assert qinghe.scores == district.Scores(
        count=3,
        low=Decimal("78.00"),
        median=Decimal("85.00"),
        high=Decimal("92.50"),
        mean=Decimal("85.17"),
        below=1,
        vetoed=1,
    )
    assert (liulin.scores.median, liulin.scores.below, liulin.scores.vetoed) == (
        Decimal("80.00"),
        1,
        0,
    )
    assert board.levels == ["京", "省", "市", "区", "镇"]
    assert qinghe.petitions == (1, 0, 2, 0, 1) and liulin.petitions == (0, 0, 0, 0, 0)
    assert qinghe.reports == district.Reports(owed=6, on_time=3, late=1, missing=2)
    assert qinghe.reports.rate == Decimal("50.0")
    assert liulin.reports == district.Reports(owed=4, on_time=0, late=0, missing=4)
    assert (qinghe.overdue, qinghe.seriously_overdue, qinghe.cases_on) == (2, 1, date(2025, 3, 31))
    assert "xx" not in qinghe.version and "清河镇" in qinghe.version
    assert liulin.version == rubrics.version_title(
        RubricVersion.objects.get(code="xx-2024-plan").name, "柳林镇"
    )
    assert qinghe.version == rubrics.version_title(
        RubricVersion.objects.get(code=rubrics.DEFAULT_CODE).name, "清河镇"
    )
    assert not qinghe.frozen
    # The trend, up to the last month scored: February (90 + 80.25) / 2 and March; no January
    # sheet, and 柳林镇 has no February sheet.
    trend = board.trend
    assert trend["months"] == ["1月", "2月", "3月"]
    series = {s["name"]: s["data"] for s in trend["series"]}
    assert series == {"清河镇": [None, 85.13, 85.17], "柳林镇": [None, None, 80.0]}
    assert trend["threshold"] == 80.0


def test_a_quarter_adds_up_its_months(districts):
    board = district.district_board([districts["qinghe"]], Span(YEAR, quarter=1), LATER)
    row = board.rows[0]
    assert board.months == [1, 2, 3]
    # No petition in January or February; the three villages owed both halves of each month
    # too, and submitted none of them.
    assert row.petitions == (1, 0, 2, 0, 1)
    assert row.reports == district.Reports(owed=18, on_time=3, late=1, missing=14)
    assert row.cases_on == date(2025, 3, 31)
    assert row.scores.count == 3  # the quarter's scores of the three assessed villages


def test_the_page_lays_out_the_figures(client_for, east_staff):
    page = client_for(east_staff).get(PAGE, MARCH)
    html = page.content.decode()
    assert 'id="district-table"' in html and 'id="district-data"' in html
    assert "85.00" in html and "50.0%" in html
    assert html.count('action="/dashboard/district/township/') == 2
    assert "js/district.js" in html and "echarts" in html


# --- Frozen months -----------------------------------------------------------------------------


def test_a_closed_month_is_read_from_its_row_and_equals_the_live_figures(districts):
    admin = UserFactory(username="qadmin", role=Role.ADMIN, township=districts["qinghe"])
    period = close_month(services.period_for(districts["qinghe"].pk, YEAR, MONTH), admin)
    townships = [districts["qinghe"], districts["liulin"]]
    span = Span(YEAR, month=MONTH)
    frozen = rows_of(district.district_board(townships, span, LATER))
    assert frozen["qinghe"].frozen and not frozen["liulin"].frozen
    TownshipMonthFigures.objects.filter(period=period).delete()
    live = rows_of(district.district_board(townships, span, LATER))
    assert not live["qinghe"].frozen
    assert dataclasses.replace(frozen["qinghe"], frozen=False) == live["qinghe"]
    assert frozen["liulin"] == live["liulin"]


def build(district_, first: int, count: int, *, closed: bool) -> None:
    """`count` townships like 清河镇 in the district; their March closed with its row stored."""
    for i in range(first, first + count):
        township = TownshipFactory(name=f"计数{i}镇", code=f"count{i}", district=district_)
        populate(AreaFactory(township=township, name=f"计数{i}片"), prefix=f"计{i}")
        if closed:
            period = Period.objects.create(
                township=township,
                year=YEAR,
                month=MONTH,
                state=PeriodState.CLOSED,
                closed_at=timezone.now(),
            )
            township_figures.store(period, LATER)


SPANS = {
    "month": MARCH,
    "quarter": {"kind": "quarter", "year": YEAR, "quarter": 1},
    "year": {"kind": "year", "year": YEAR},
}


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("kind", SPANS)
def test_the_page_costs_the_same_queries_for_2_and_6_townships(client_for, db, closed, kind):
    """March closed (its rows stored) or not; a quarter's and a year's scores read from the
    townships' stored span scores, stored by the first read."""
    place = DistrictFactory(name="计数区", code="count")
    client = client_for(UserFactory(username="c", role=Role.DISTRICT_STAFF, district=place))
    params = SPANS[kind]

    def measure() -> int:
        client.get(PAGE, params)  # the session, and the span scores stored once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PAGE, params)
        assert response.status_code == 200
        return len(response.context["board"].rows), len(queries.captured_queries)

    build(place, 0, 2, closed=closed)
    two = measure()
    build(place, 2, 4, closed=closed)
    six = measure()
    assert (two[0], six[0]) == (2, 6)
    assert six[1] == two[1]
    rows = client.get(PAGE, params).context["board"].rows
    # Frozen: every month counted was read from its row (only March is closed).
    assert all(r.frozen == (closed and kind == "month") for r in rows)


# --- One version for every township ------------------------------------------------------------


def test_the_fair_comparison_scores_every_township_under_one_version(
    client_for, east_staff, districts
):
    """柳林镇 keeps the plan's reading, 清河镇 the table's. Scored under the plan, 柳林镇's month is
    its own stored one again, and 清河镇's missing reports cost half a point each instead of
    one: a higher median. Nothing is stored."""
    plan = RubricVersion.objects.get(code="xx-2024-plan")
    RubricAssignment.objects.create(township=districts["liulin"], year=YEAR, version=plan)
    for code in ("qinghe", "liulin"):
        services.score_month(township_id=districts[code].pk, year=YEAR, month=MONTH, today=LATER)
    before = sorted(ScoreSheet.objects.values_list("pk", "total"))
    page = client_for(east_staff).get(
        PAGE, {**MARCH, "fair-version": plan.pk, "fair-year": YEAR, "fair-month": MONTH}
    )
    assert page.status_code == 200
    rows = {r.township.code: r for r in page.context["fair_rows"]}
    assert sorted(rows) == ["liulin", "qinghe"]
    assert rows["liulin"].under == rows["liulin"].own
    assert rows["qinghe"].under.median > rows["qinghe"].own.median
    assert rows["qinghe"].under.count == rows["qinghe"].own.count == 3
    under = services.compute_month(
        township_id=districts["qinghe"].pk, year=YEAR, month=MONTH, version=plan
    )
    active = {v.pk for v in districts["qinghe"].villages.filter(is_active=True)}
    assert rows["qinghe"].under == district.scores_of(
        [s.total for s in under if s.village_id in active],
        sum(1 for s in under if s.village_id in active and s.vetoes),
        Decimal(80),
    )
    assert sorted(ScoreSheet.objects.values_list("pk", "total")) == before
    assert 'id="fair-table"' in page.content.decode()


def test_the_fair_comparison_refuses_an_unknown_version(client_for, east_staff):
    page = client_for(east_staff).get(
        PAGE, {**MARCH, "fair-version": 999999, "fair-year": YEAR, "fair-month": 13}
    )
    assert page.status_code == 200 and page.context["fair_rows"] is None
    errors = page.context["fair"].errors
    assert errors["version"] == ["请选择一个考核细则版本。"] and "month" in errors
    assert "请选择一个考核细则版本。" in page.content.decode()


def test_a_district_without_townships_shows_an_empty_table(client_for, db):
    empty = DistrictFactory(name="空区", code="empty")
    client = client_for(UserFactory(username="e", role=Role.DISTRICT_LEADER, district=empty))
    page = client.get(
        PAGE,
        {
            **MARCH,
            "fair-version": RubricVersion.objects.first().pk,
            "fair-year": YEAR,
            "fair-month": MONTH,
        },
    )
    assert page.status_code == 200
    assert page.context["board"].rows == [] and page.context["fair_rows"] == []
    assert "没有可查看的镇。" in page.content.decode()
