"""The queries of a petitions import do not grow with its rows nor with the villages they name
(issue 14: 10,000 petitions of a county's 1,000 villages in one file)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import StaleVillageMonth
from exports.importing import run_import
from petitions.models import Petition
from petitions.models import Petitioner
from tests.factories import VillageFactory
from tests.petitions.factories import ID_A
from tests.petitions.factories import ID_B

from .helpers import PETITION_HEADERS
from .helpers import petition_row
from .helpers import xlsx


def _file(prefix: str, villages: list[str]) -> bytes:
    rows = [
        petition_row(
            f"{prefix}-{i}",
            day=f"2026-04-{1 + i % 20:02d}",
            people="张三、李四",
            ids=f"{ID_A}、{ID_B}" if i % 2 else "",
            count=2,
            village=name,
        )
        for i, name in enumerate(villages)
    ]
    return xlsx(PETITION_HEADERS, *rows)


def _queries(data, township, user):
    """(the queries other than the bulk INSERTs, the INSERTs, the outcome). The INSERTs come in
    batches of the database's size (a few dozen rows on SQLite, whose statements take at most
    999 parameters): they grow by batches, not by rows."""
    with CaptureQueriesContext(connection) as queries:
        outcome = run_import(
            "petitions", data, township=township, user=user, filename="x.xlsx", dry_run=False
        )
    assert outcome.ok, outcome.error_rows[:3]
    sql = [q["sql"] for q in queries.captured_queries]
    inserts = sum(s.startswith("INSERT") for s in sql)
    return len(sql) - inserts, inserts, outcome


def test_new_rows_cost_the_same_queries_for_10_or_100_rows_and_villages(township, area, staff_user):
    """Every query counted, savepoints included: import-export opened one per row, and each
    village's months were marked stale by their own queries."""
    names = [VillageFactory(area=area, name=f"{i}村").name for i in range(100)]
    small, small_inserts, _outcome = _queries(_file("S", names[:10]), township, staff_user)
    large, large_inserts, outcome = _queries(_file("L", names), township, staff_user)
    assert outcome.counts["new"] == 100
    assert large == small
    # Four tables (petitions, petitioners and their history) and the stale marks; on
    # PostgreSQL the four are COPY statements, which Django does not see.
    assert small_inserts <= 5 and large_inserts <= 5 * 4
    assert Petition.objects.count() == 110 and Petitioner.objects.count() == 220
    assert Petition.history.filter(history_user=staff_user).count() == 110
    assert StaleVillageMonth.objects.filter(year=2026, month=4).count() == 100


def test_an_unchanged_file_again_costs_the_same_queries_for_10_or_100_rows(
    township, area, staff_user
):
    """A re-import reads the stored petitions and their petitioners together, not per row."""
    names = [VillageFactory(area=area, name=f"{i}村").name for i in range(100)]
    small_file, large_file = _file("S", names[:10]), _file("L", names)
    _queries(small_file, township, staff_user)
    _queries(large_file, township, staff_user)
    small, small_inserts, _outcome = _queries(small_file, township, staff_user)
    large, large_inserts, outcome = _queries(large_file, township, staff_user)
    assert outcome.counts["skip"] == 100
    assert large == small and small_inserts == large_inserts == 0
    assert Petition.history.count() == 110
