"""`manage.py bench` prints one table with every row of issue 14 (a check that the table is
complete, not of its figures: those are the machine's)."""

import io

import pytest
from django.core.management import call_command

from sampledata.management.commands.bench import ROWS


@pytest.mark.django_db
def test_the_bench_prints_every_row_in_one_table(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    out = io.StringIO()
    call_command("bench", villages=10, petitions=20, repeats=2, stdout=out)
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
    assert len(ROWS) == 14  # issue 14's thirteen rows, the year recompute as service and command
