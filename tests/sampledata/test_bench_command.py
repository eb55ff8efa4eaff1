"""`manage.py bench` prints one table with every row of issue 14 (a check that the table is
complete, not of its figures: those are the machine's)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from sampledata.management.commands.bench import DISTRICT_ROWS
from sampledata.management.commands.bench import ROWS


@pytest.mark.django_db
def test_the_bench_prints_every_row_in_one_table(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    out = io.StringIO()
    call_command(
        "bench",
        villages=10,
        petitions=20,
        repeats=2,
        townships=2,
        villages_per_township=2,
        district_runs=1,
        stdout=out,
    )
    printed = out.getvalue().splitlines()
    table = [line for line in printed if line.startswith("|")]
    assert table[0].split("|")[1:5] == [
        f" {'row':<52} ",
        f" {'measured':>10} ",
        f" {'target':>8} ",
        " ratio or status ",
    ]
    names = [line.split("|")[1].strip() for line in table[2:]]
    assert names == [name for name, _target, _unit in ROWS]
    # Issue 14's thirteen rows (the year recompute as service and command), issue 16's four.
    assert len(ROWS) == 18
    assert names[-4:] == DISTRICT_ROWS
    why = "needs PostgreSQL"
    if connection.vendor == "postgresql":  # in the test's transaction: no workers
        why = "inside a transaction, which the workers cannot see"
    for line in table[-4:-1]:
        assert line.rstrip().endswith(f"| not measured: {why} |"), line


@pytest.mark.django_db
def test_the_district_rows_run_alone(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    out = io.StringIO()
    call_command(
        "bench",
        district_only=True,
        townships=2,
        villages_per_township=2,
        district_runs=1,
        stdout=out,
    )
    table = [line for line in out.getvalue().splitlines() if line.startswith("|")][2:]
    assert len(table) == len(ROWS)
    skipped = [line.split("|")[1].strip() for line in table if "skipped (--district-only)" in line]
    assert skipped == [name for name, _target, _unit in ROWS if name not in DISTRICT_ROWS]
