"""Not collected by default (no test_ prefix): the issue-14 import figure, run by path with -s.

    .venv/bin/pytest --ds=config.settings_test -q -p no:xdist -s \
        tests/exports/measure_import_petitions.py
"""

import os

from petitions.models import Petition
from sampledata.excel_bench import bench_import_petitions

N = int(os.environ.get("BENCH_IMPORT_N", "10000"))


def test_import_petitions_seconds(township, village_a, village_b):
    seconds = bench_import_petitions(n=N, township=township)
    assert Petition.objects.count() == N
    print(f"\nimport {N} petitions: {seconds:.2f} s")
