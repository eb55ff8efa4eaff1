"""Issue 14: a recompute writes only the sheets whose content changed (ScoreSheet.digest), and
what it leaves stored equals, row for row, a store from scratch."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import services
from assessment.models import ScoreLine
from assessment.models import ScoreSheet
from governance.models import Patrol
from sampledata.synthetic import make_county

YEAR = 2025
TODAY = date(YEAR + 1, 1, 15)
SHEET_TABLES = ('"assessment_scoresheet"', '"assessment_scoreline"')


def _writes(ctx) -> list[str]:
    """The statements of `ctx` that wrote to the sheet tables. On PostgreSQL the store's two
    COPY statements always run (with no row when nothing changed): _rows_written counts rows."""
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].split(None, 1)[0] in {"INSERT", "UPDATE", "DELETE"}
        and any(table in q["sql"] for table in SHEET_TABLES)
    ]


def _rows_written() -> int:
    """Rows inserted, updated or deleted in the sheet tables by this transaction so far
    (PostgreSQL's per-transaction counters); 0 elsewhere."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_stat_get_xact_tuples_inserted(t::regclass)"
            " + pg_stat_get_xact_tuples_updated(t::regclass)"
            " + pg_stat_get_xact_tuples_deleted(t::regclass))"
            " FROM unnest(ARRAY['assessment_scoresheet', 'assessment_scoreline']) AS t"
        )
        return int(cursor.fetchone()[0])


def _stored(township_id: int) -> list:
    """Every field of every sheet and line, ids and timestamps aside (a line by its sheet's
    village-month)."""
    sheet_fields = [
        f.attname
        for f in ScoreSheet._meta.concrete_fields
        if f.attname not in {"id", "computed_at"}
    ]
    line_fields = [
        f.attname for f in ScoreLine._meta.concrete_fields if f.attname not in {"id", "sheet_id"}
    ]
    sheets = list(
        ScoreSheet.objects.filter(village__township_id=township_id)
        .order_by("village_id", "year", "month")
        .values_list(*sheet_fields)
    )
    lines = list(
        ScoreLine.objects.filter(sheet__village__township_id=township_id)
        .order_by("sheet__village_id", "sheet__year", "sheet__month", "position")
        .values_list("sheet__village_id", "sheet__year", "sheet__month", *line_fields)
    )
    return [sheets, lines]


@pytest.fixture
def county(db):
    return make_county(villages=5, year=YEAR, seed=2, code="store-changed", until=TODAY)


def test_recomputing_an_unchanged_month_writes_nothing(county):
    services.score_year(township_id=county.pk, year=YEAR, today=TODAY)
    assert _rows_written() > 0 or connection.vendor != "postgresql"  # the counters do count
    before = _stored(county.pk)
    pks = set(ScoreSheet.objects.filter(village__township=county).values_list("pk", flat=True))
    written = _rows_written()
    with CaptureQueriesContext(connection) as month:
        services.score_month(township_id=county.pk, year=YEAR, month=6, today=TODAY)
    with CaptureQueriesContext(connection) as year:
        services.score_year(township_id=county.pk, year=YEAR, today=TODAY)
    assert _writes(month) == [] and _writes(year) == []
    assert _rows_written() == written
    assert _stored(county.pk) == before
    assert set(ScoreSheet.objects.values_list("pk", flat=True)) == pks


def test_after_changes_the_stored_year_equals_a_store_from_scratch(county):
    services.score_year(township_id=county.pk, year=YEAR, today=TODAY)
    villages = list(county.villages.order_by("pk"))
    kept = ScoreSheet.objects.get(village=villages[4], year=YEAR, month=2)
    # A village's March and April lose their patrols; another is merged away in September.
    Patrol.objects.filter(village=villages[0], date__year=YEAR, date__month__in=[3, 4]).delete()
    villages[1].active_until = date(YEAR, 9, 10)
    villages[1].save()
    written = _rows_written()
    with CaptureQueriesContext(connection) as queries:
        services.score_year(township_id=county.pk, year=YEAR, today=TODAY)
    incremental = _stored(county.pk)
    assert _writes(queries) or _rows_written() > written  # something did change
    # Only what changed was rewritten: an untouched village's sheet is the same row.
    assert ScoreSheet.objects.get(village=villages[4], year=YEAR, month=2).pk == kept.pk
    assert not ScoreSheet.objects.filter(village=villages[1], year=YEAR, month__gte=9).exists()
    assert ScoreSheet.objects.filter(village=villages[1], year=YEAR, month=8).exists()

    ScoreLine.objects.all().delete()
    ScoreSheet.objects.all().delete()
    services.score_year(township_id=county.pk, year=YEAR, today=TODAY)
    scratch = _stored(county.pk)
    assert len(scratch[0]) == 5 * 12 - 4 and scratch[1]
    assert incremental == scratch
