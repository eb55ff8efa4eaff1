"""docs/rubric.md's worked examples, through real records, the collect step and stored sheets."""

from datetime import date
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from assessment import selectors
from assessment import services
from governance.models import AdjustmentEvent
from petitions.models import DisputeReport
from petitions.models import Petition
from sampledata.synthetic import in_order_month
from tests.factories import VillageFactory

SH = ZoneInfo("Asia/Shanghai")
APRIL_LAST_DAY_KNOWN = date(2026, 5, 10)


@pytest.fixture
def april_village(township, area):
    village = VillageFactory(area=area, name="四月村")
    in_order_month(village, 2026, 4)
    return village


def _sheet(village, month=4, today=APRIL_LAST_DAY_KNOWN):
    services.score_month(township_id=village.township_id, year=2026, month=month, today=today)
    return selectors.sheet_for(village, 2026, month)


def test_a_village_with_everything_in_order_scores_100(april_village):
    sheet = _sheet(april_village)
    assert sheet.total == Decimal(100)
    assert not sheet.provisional_reasons
    assert [line.reason for line in sheet.lines.all()] == []


def test_the_april_example_scores_93(april_village):
    report = DisputeReport.objects.get(village=april_village, month=4, half=1)
    report.submitted_at = datetime(2026, 4, 14, 17, tzinfo=SH)
    report.signed_by = ""
    report.save()
    Petition.objects.create(
        village=april_village,
        date=date(2026, 4, 16),
        level="district",
        channel="visit",
        nature="abnormal",
        person_count=2,
        stabilised_in_time=False,
        matter="非正常上访",
    )
    week = april_village.patrols.filter(date__range=(date(2026, 4, 13), date(2026, 4, 19)))
    week.exclude(pk=week.order_by("date").first().pk).delete()
    AdjustmentEvent.objects.create(
        village=april_village, date=date(2026, 4, 22), kind="commendation", level="city"
    )
    sheet = _sheet(april_village)
    by_item = {}
    for line in sheet.lines.all():
        by_item[line.item_code] = by_item.get(line.item_code, Decimal(0)) + line.points
    assert by_item == {
        "1.4": Decimal(-1),
        "2": Decimal(-8),
        "4.4": Decimal(-1),
        "adj.commend": Decimal(3),
    }
    assert sheet.total == Decimal(93)


def test_eleven_city_person_times_cost_the_whole_section(township, area):
    village = VillageFactory(area=area, name="三月村")
    in_order_month(village, 2026, 3)
    for n in range(11):
        Petition.objects.create(
            village=village,
            date=date(2026, 3, 2 + n),
            level="city",
            channel="visit",
            matter=f"事项{n}",
        )
    sheet = _sheet(village, month=3, today=date(2026, 4, 10))
    section_two = next(s for s in sheet.sections if s[0] == "2")
    assert section_two[3] == "0"
    assert sheet.total == Decimal(70)
    lines = [line for line in sheet.lines.all() if line.item_code == "2"]
    assert sum(line.raw_points or line.points for line in lines) == Decimal(-33)
    assert all(line.refs[0][0] == "petition" for line in lines)


def test_every_lost_point_names_its_records(april_village):
    Petition.objects.create(
        village=april_village, date=date(2026, 4, 3), level="province", channel="visit", matter="x"
    )
    sheet = _sheet(april_village)
    (line,) = sheet.lines.all()
    petition = Petition.objects.get(village=april_village)
    assert line.refs == [["petition", petition.pk]]
    assert line.item_code == "2"


def _villages(area, n):
    made = []
    for i in range(n):
        village = VillageFactory(area=area, name=f"计数{n}-{i}")
        in_order_month(village, 2026, 4)
        made.append(village)
    return made


def test_scoring_a_month_costs_the_same_queries_at_10_and_100_villages(
    township, area, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _villages(area, 10)
    # Scored once already, so both measured runs replace stored sheets.
    services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 9))
    with CaptureQueriesContext(connection) as ten:
        services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 9))
    _villages(area, 90)
    with CaptureQueriesContext(connection) as hundred:
        services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 9))

    def shapes(ctx, inserts):
        return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT") == inserts]

    # Collectors: one query per record kind; storing: two DELETEs and the bulk INSERTs.
    assert len(shapes(hundred, False)) == len(shapes(ten, False))
    if connection.vendor == "postgresql":
        assert len(hundred) == len(ten)
    else:  # SQLite caps the parameters of one statement, so bulk inserts come in batches
        assert len(shapes(hundred, True)) <= len(shapes(ten, True)) + 2
    with django_assert_max_num_queries(len(hundred)):
        services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 9))
