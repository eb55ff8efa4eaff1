"""The bench hooks do the real work (small sizes here)."""

from exports.importing import read_table
from exports.resources import PetitionResource
from petitions.models import Petition
from petitions.models import Petitioner
from sampledata.excel_bench import bench_export_year
from sampledata.excel_bench import bench_import_petitions
from sampledata.excel_bench import petitions_file


def test_bench_import_petitions_imports_n_rows(township, village_a, village_b):
    seconds = bench_import_petitions(n=60, township=township)
    assert seconds > 0
    assert Petition.objects.count() == 60
    assert Petitioner.objects.count() == sum(1 + i % 3 for i in range(60))
    assert Petition.history.count() == 60
    assert set(Petition.objects.values_list("village__name", flat=True)) == {"甲村", "乙村"}


def test_the_bench_file_is_a_valid_petitions_list(township, village_a):
    table = read_table(petitions_file(10, township), PetitionResource, township)
    assert len(table.rows) == 10 and table.headers == PetitionResource.columns()


def test_bench_export_year(scored):
    assert bench_export_year(scored.pk, 2026) > 0
