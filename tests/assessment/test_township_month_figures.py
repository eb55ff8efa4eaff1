"""A township's month as the district compares it (assessment.township_figures): each figure
against a fixture counted by hand, and the row stored when the month closes, read instead of
the township's records, dropped when it reopens."""

from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import services
from assessment import township_figures
from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import ScoreSheet
from assessment.models import TownshipMonthFigures
from cases.models import AssignedCase
from petitions.choices import Level
from petitions.models import DisputeReport
from petitions.models import Petition
from tests.assessment.period_steps import close_month
from tests.dashboard.factories import sheet_row
from tests.dashboard.factories import sheets
from tests.factories import VillageFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR, MONTH = 2025, 3
LATER = date(2025, 5, 1)  # every half of March and April is due by then


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def populate(area, prefix: str = "") -> dict:
    """Three assessed villages and one not assessed, with March 2025 counted by hand:

    scores 92.50, 78.00, 85.00 (vetoed); the village not assessed (50.00) never counts;
    petitions 京 1, 市 2, 镇 1 (and one in April);
    reports, due 14 and 28 March: 甲 on time signed and sealed, then on time unsigned (still on
    time); 乙 late, then only a draft (missing); 丙 none, then complete: 6 owed, 3 on time,
    1 late, 2 missing;
    cases open on 31 March: due 3 March (ten working days or more: seriously overdue), due 28
    March and due 20 March but concluded on 5 April (both overdue); concluded 15 March, due in
    April and assigned in April do not count in March.
    """
    a = VillageFactory(area=area, name=f"{prefix}甲村")
    b = VillageFactory(area=area, name=f"{prefix}乙村")
    c = VillageFactory(area=area, name=f"{prefix}丙村")
    gone = VillageFactory(area=area, name=f"{prefix}丁村", is_active=False)
    sheets(
        [
            sheet_row(a, YEAR, MONTH, "92.50"),
            sheet_row(b, YEAR, MONTH, "78"),
            sheet_row(c, YEAR, MONTH, "85", vetoes=[("beijing_new_problem", "进京上访")]),
            sheet_row(gone, YEAR, MONTH, "50"),
            sheet_row(a, YEAR, 2, "90"),
            sheet_row(b, YEAR, 2, "80.25"),
        ]
    )
    petitions = [
        (a, date(2025, 3, 3), Level.BEIJING),
        (a, date(2025, 3, 9), Level.TOWNSHIP),
        (b, date(2025, 3, 10), Level.CITY),
        (b, date(2025, 3, 31), Level.CITY),
        (b, date(2025, 4, 1), Level.CITY),
    ]
    Petition.objects.bulk_create(
        [
            Petition(village=v, date=d, level=level, channel="visit", matter="m")
            for v, d, level in petitions
        ]
    )
    seal = "petitions/seals/x.pdf"
    reports = [
        (a, 1, at(date(2025, 3, 14), 20), "甲", seal),
        (b, 1, at(date(2025, 3, 15)), "乙", seal),
        (a, 2, at(date(2025, 3, 27)), "", seal),
        (b, 2, None, "乙", seal),
        (c, 2, at(date(2025, 3, 28)), "丙", seal),
    ]
    DisputeReport.objects.bulk_create(
        [
            DisputeReport(
                village=v,
                year=YEAR,
                month=MONTH,
                half=half,
                submitted_at=submitted,
                signed_by=signed,
                seal_scan=sealed,
            )
            for v, half, submitted, signed, sealed in reports
        ]
    )
    cases = [
        (a, date(2025, 2, 1), date(2025, 3, 3), None),
        (b, date(2025, 3, 1), date(2025, 3, 28), None),
        (c, date(2025, 2, 20), date(2025, 3, 20), date(2025, 4, 5)),
        (c, date(2025, 2, 10), date(2025, 3, 20), date(2025, 3, 15)),
        (a, date(2025, 3, 20), date(2025, 4, 18), None),
        (b, date(2025, 4, 2), date(2025, 4, 20), None),
        (gone, date(2025, 2, 1), date(2025, 3, 3), None),
    ]
    AssignedCase.objects.bulk_create(
        [
            AssignedCase(
                village=v,
                title="交办件",
                assigned_by="区信访局",
                assigned_date=assigned,
                due_date=due,
                concluded_date=concluded,
                state="concluded" if concluded else "assigned",
            )
            for v, assigned, due, concluded in cases
        ]
    )
    return {"a": a, "b": b, "c": c, "gone": gone}


MARCH = {
    "v": township_figures.FORMAT,
    "scores": {"totals": ["78.00", "85.00", "92.50"], "vetoed": 1},
    "petitions": {
        Level.BEIJING: 1,
        Level.PROVINCE: 0,
        Level.CITY: 2,
        Level.DISTRICT: 0,
        Level.TOWNSHIP: 1,
    },
    "reports": {"owed": 6, "on_time": 3, "late": 1, "missing": 2},
    "cases": {"as_of": "2025-03-31", "overdue": 2, "seriously_overdue": 1},
}


def test_a_month_counted_by_hand(township, area):
    populate(area)
    found = township_figures.compute({township.pk: [MONTH]}, YEAR, LATER)
    assert found == {(township.pk, MONTH): MARCH}


def test_cases_are_counted_on_each_months_last_day(township, area):
    """April's count (on 30 April): the cases due 18 and 20 April are overdue (the 18th is the
    tenth working day back, Sunday 27 April a working day: not yet seriously); the cases due 3
    and 28 March are ten working days or more past due; the one concluded on 5 April no longer
    counts."""
    populate(area)
    found = township_figures.compute(
        {township.pk: [3, 4]}, YEAR, LATER, parts=(township_figures.CASES,)
    )
    assert found[(township.pk, 3)]["cases"] == MARCH["cases"]
    assert found[(township.pk, 4)]["cases"] == {
        "as_of": "2025-04-30",
        "overdue": 2,
        "seriously_overdue": 2,
    }


def test_a_half_not_yet_due_is_not_counted(township, area):
    """On 20 March only the first half (due the 14th) is owed: 3 owed, 1 on time, 1 late."""
    populate(area)
    found = township_figures.compute(
        {township.pk: [MONTH]}, YEAR, date(2025, 3, 20), parts=(township_figures.REPORTS,)
    )
    assert found[(township.pk, MONTH)]["reports"] == {
        "owed": 3,
        "on_time": 1,
        "late": 1,
        "missing": 1,
    }


def test_townships_are_counted_apart(township, area, other_village):
    """Another township's records never add to this one's, and its own are counted."""
    populate(area)
    populate(other_village.area, prefix="外")
    other = other_village.township_id
    found = township_figures.compute({township.pk: [MONTH], other: [MONTH]}, YEAR, LATER)
    assert found[(township.pk, MONTH)] == MARCH
    # other_village itself has no sheet nor report, but owes both halves: 2 more missing.
    assert found[(other, MONTH)]["reports"] == {"owed": 8, "on_time": 3, "late": 1, "missing": 4}
    assert found[(other, MONTH)]["scores"] == MARCH["scores"]


def test_the_means_of_the_trend(township, area):
    populate(area)
    means = township_figures.means([township.pk], YEAR, [1, 2, 3])
    # February: (90 + 80.25) / 2; March: (92.5 + 78 + 85) / 3 = 85.1666…; no January sheet.
    assert means == {(township.pk, 2): Decimal("85.13"), (township.pk, 3): Decimal("85.17")}


@pytest.fixture
def closed(township, area, admin_user):
    populate(area)
    period = services.period_for(township.pk, YEAR, MONTH)
    return close_month(period, admin_user)


def test_closing_stores_the_row_the_live_figures_equal(township, closed):
    row = TownshipMonthFigures.objects.get(period=closed)
    assert row.closed_at == closed.closed_at
    # The close rescored the month from the records; the row holds what they give now.
    live = township_figures.compute({township.pk: [MONTH]}, YEAR, LATER)[(township.pk, MONTH)]
    assert row.data == live
    assert live["scores"]["totals"] == sorted(
        str(t)
        for t in ScoreSheet.objects.filter(
            village__township=township, village__is_active=True, year=YEAR, month=MONTH
        ).values_list("total", flat=True)
    )
    found, frozen = township_figures.figures([township.pk], YEAR, [MONTH], LATER)
    assert frozen == {(township.pk, MONTH)}
    assert found[(township.pk, MONTH)] == live


def test_a_closed_month_is_read_from_its_row_not_the_records(township, closed):
    stored = TownshipMonthFigures.objects.get(period=closed).data
    # Change what the live figures read behind the close's back: the row still answers.
    ScoreSheet.objects.filter(village__township=township, year=YEAR, month=MONTH).update(total=0)
    DisputeReport.objects.filter(village__township=township).delete()
    with CaptureQueriesContext(connection) as queries:
        found, frozen = township_figures.figures([township.pk], YEAR, [MONTH], LATER)
    assert found[(township.pk, MONTH)] == stored and frozen == {(township.pk, MONTH)}
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("assessment_scoresheet", "petitions_disputereport", "cases_assignedcase"):
        assert table not in read
    assert len(queries.captured_queries) == 1


def test_reopening_drops_the_row(township, closed, admin_user):
    services.period_reopen(period=closed, by=admin_user, reason="补录", today=LATER)
    assert not TownshipMonthFigures.objects.filter(period=closed).exists()
    _found, frozen = township_figures.figures([township.pk], YEAR, [MONTH], LATER)
    assert frozen == set()


def test_a_row_of_an_earlier_close_is_not_read(township, closed):
    """A row whose close is not the month's current one (stored, reopened without dropping it,
    closed again) is computed again rather than trusted."""
    TownshipMonthFigures.objects.filter(period=closed).update(closed_at=at(date(2025, 4, 2)))
    assert township_figures.stored([township.pk], YEAR, [MONTH]) == {}
    Period.objects.filter(pk=closed.pk).update(state=PeriodState.PUBLISHED)
    TownshipMonthFigures.objects.filter(period=closed).update(closed_at=closed.closed_at)
    assert township_figures.stored([township.pk], YEAR, [MONTH]) == {}


def test_a_failure_to_store_never_fails_the_close(township, area, admin_user, monkeypatch):
    populate(area)

    def broken(*args, **kwargs):
        # A statement the database refuses: on PostgreSQL it aborts the transaction unless
        # storing runs in its own savepoint.
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(township_figures, "compute", broken)
    period = close_month(services.period_for(township.pk, YEAR, MONTH), admin_user)
    period.refresh_from_db()
    assert period.state == PeriodState.CLOSED
    assert not TownshipMonthFigures.objects.exists()
    monkeypatch.undo()
    # Not stored: the month is computed as an open one is.
    found, frozen = township_figures.figures([township.pk], YEAR, [MONTH], LATER)
    assert frozen == set() and found[(township.pk, MONTH)]["reports"] == MARCH["reports"]
