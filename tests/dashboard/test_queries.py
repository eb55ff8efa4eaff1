"""A page costs the same number of queries at 10 villages as at 100 (ARCHITECTURE.md example 4).

Each village gets a year of sheets with lines (January's with a veto), petitions, an open
dispute, reports, an assigned case in each alert tier and a pending contest, so any per-village
query on a page would show up as growth.
"""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Contest
from assessment.models import ScoreLine
from assessment.models import ScoreSheet
from cases.models import AssignedCase
from core import periods
from petitions import deadlines
from petitions.models import Dispute
from petitions.models import DisputeReport
from petitions.models import Petition
from tests.dashboard.factories import sheet_row
from tests.factories import VillageFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = timezone.localdate()
YEAR = TODAY.year
MONTHS = range(1, TODAY.month + 1)


def populate(area, first: int, count: int, filed_by) -> list:
    villages = [
        VillageFactory(area=area, name=f"计数村{i:03d}", population=500 + 37 * i)
        for i in range(first, first + count)
    ]
    rows = ScoreSheet.objects.bulk_create(
        [
            sheet_row(
                v,
                YEAR,
                m,
                70 + (v.pk * 7 + m) % 30,
                lost={"2": 3, "4": 1},
                vetoes=[("beijing_new_problem", "进京上访")] if m == 1 else (),
            )
            for v in villages
            for m in MONTHS
        ]
    )
    ScoreLine.objects.bulk_create(
        [
            ScoreLine(
                sheet=s, position=p, item_code=c, points=pts, reason="r", refs=[["patrol", 1]]
            )
            for s in rows
            for p, (c, pts) in enumerate((("2", -3), ("4.4", -1)))
        ]
    )
    day = date(YEAR, 1, 10)
    Petition.objects.bulk_create(
        [
            Petition(
                village=v,
                date=day,
                level=level,
                channel="visit",
                matter="m",
                new_problem_unresolved=level == "beijing",
            )
            for v in villages
            for level in ("beijing", "city", "township")
        ]
    )
    Dispute.objects.bulk_create(
        [Dispute(village=v, found_date=day, parties="甲、乙", matter="m") for v in villages]
    )
    days = deadlines.report_days(area.township_id, TODAY.year)
    year, month, half = periods.half_of(TODAY, days)
    submitted = datetime.combine(TODAY - timedelta(days=1), time(10), tzinfo=SHANGHAI)
    DisputeReport.objects.bulk_create(
        [
            DisputeReport(
                village=v, year=year, month=month, half=half, submitted_at=submitted, signed_by="x"
            )
            for v in villages[::2]
        ]
    )
    AssignedCase.objects.bulk_create(
        [
            AssignedCase(
                village=v,
                title="交办件",
                assigned_by="区信访局",
                assigned_date=TODAY - timedelta(days=90),
                due_date=TODAY + timedelta(days=offset),
            )
            for v in villages
            for offset in (2, -3, -40)
        ]
    )
    Contest.objects.bulk_create(
        [
            Contest(
                village=v,
                year=YEAR,
                month=1,
                item_code="2",
                line_reason="r",
                reason="申诉",
                filed_by=filed_by,
            )
            for v in villages
        ]
    )
    return villages


def page_urls(village):
    dashboard = reverse("dashboard:index")
    ranking = reverse("assessment:ranking")
    return [
        (dashboard, {"year": YEAR, "month": 1}),
        (dashboard, {"year": YEAR, "kind": "quarter", "quarter": 1}),
        (dashboard, {"year": YEAR, "kind": "year"}),
        (ranking, {"year": YEAR, "month": 1}),
        (ranking, {"year": YEAR, "kind": "quarter", "quarter": 1}),
        (ranking, {"year": YEAR, "kind": "year"}),
        (reverse("villages:village_list"), {}),
        (reverse("villages:village_detail", args=[village.pk]), {}),
        (reverse("dashboard:village", args=[village.pk]), {"year": YEAR}),
        # Issue 14: the rankings endpoint and one village's 评分表 for the year rank from lean
        # totals, at the same cost whatever the township's size.
        (reverse("api:rankings"), {"year": YEAR, "month": 1}),
        (reverse("api:rankings"), {"year": YEAR, "kind": "quarter", "quarter": 1}),
        (reverse("api:rankings"), {"year": YEAR, "kind": "year"}),
        (reverse("exports:village_sheet", args=[village.pk]), {"year": YEAR, "kind": "year"}),
    ]


def counts(client, village) -> list[int]:
    found = []
    for url, params in page_urls(village):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200, url
        found.append(len(queries))
    return found


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_pages_cost_the_same_at_10_and_100_villages(
    client_for, cast, area, role, django_assert_max_num_queries
):
    client = client_for(cast[role])
    villages = populate(area, 0, 10, cast["staff"])
    first = villages[0]
    client.get(reverse("dashboard:index"))  # warm caches (session, content types, rubric)
    ten = counts(client, first)
    populate(area, 10, 90, cast["staff"])
    for (url, params), limit in zip(page_urls(first), ten, strict=True):
        with django_assert_max_num_queries(limit):
            response = client.get(url, params)
        assert response.status_code == 200, url
    # The dashboard reads everything in a bounded number of queries. The first read of a
    # quarter or a year also stores its scores and those of the span before
    # (assessment.stored_periods), and the lost points beside them: about fifteen queries a
    # span; later reads find them stored.
    assert max(ten[:3]) <= 72
    assert max(counts(client, first)[:3]) <= 44


def test_the_hundred_villages_are_all_on_the_dashboard(client_for, cast, area):
    populate(area, 0, 100, cast["staff"])
    response = client_for(cast["leader"]).get(
        reverse("dashboard:index"), {"year": YEAR, "month": 1}
    )
    board = response.context["board"]
    assert len(board.rows) == 100
    assert len(board.charts["trend"]["series"]) == 100
    assert len(board.vetoes) == 100
    assert len(board.contests) == 100
    assert {t["value"]: len(rows) for t, rows in board.deadlines.case_tiers} == {
        "seriously_overdue": 100,
        "overdue": 100,
        "due_soon": 100,
    }
    assert len(board.deadlines.current.missing) == 52  # half of ours, and the cast's 甲村, 乙村
