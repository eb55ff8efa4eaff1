"""The XlsxWriter 评分表 holds what the openpyxl writer it replaced held, cell for cell.

`reference/score_sheets_openpyxl.json` was built from the openpyxl writer (exports/score_sheets.py
and exports/styles.py at commit 377ec10) with `workbook_snapshot.snapshot`, for village 甲村 of the
`scored` fixture: April 2026, the second quarter and the year. Every cell's value and look, the
merged ranges, the row heights, the column widths and the print settings must match.
"""

import json
from pathlib import Path

import pytest

from exports.periods import Span
from exports.score_sheets import village_workbook
from exports.styles import workbook_bytes
from exports.writer import Book

from .conftest import load
from .workbook_snapshot import snapshot

REFERENCE = json.loads(
    Path(__file__).with_name("reference").joinpath("score_sheets_openpyxl.json").read_text()
)
SPANS = {"month": Span(2026, month=4), "quarter": Span(2026, quarter=2), "year": Span(2026)}


@pytest.mark.parametrize("period", SPANS)
def test_the_new_writer_gives_the_old_workbook(scored, village_a, period):
    expected = REFERENCE[period]
    data = workbook_bytes(village_workbook(village_a, SPANS[period]))
    got = json.loads(json.dumps(snapshot(data)))  # as the reference was stored (tuples as lists)
    assert [s["title"] for s in got["sheets"]] == [s["title"] for s in expected["sheets"]]
    assert (got["creator"], got["title"]) == (expected["creator"], expected["title"])
    for new, old in zip(got["sheets"], expected["sheets"], strict=True):
        assert new["merged"] == old["merged"]
        assert {tuple(c[:3]) for c in new["cells"] if c[2] is not None} == {
            tuple(c[:3]) for c in old["cells"] if c[2] is not None
        }
        assert new["cells"] == old["cells"]
        assert new["heights"] == old["heights"]
        assert new["widths"] == old["widths"]
        assert new["print"] == old["print"]


def test_a_text_like_a_formula_stays_text_in_cells_and_merges():
    book = Book(title="t")
    sheet = book.add_sheet("甲村")
    sheet.cell(1, 1, "=SUM(1)")
    sheet.merge(2, 1, 2, 3, "+1")
    sheet.cell(3, 1, "")
    ws = load(workbook_bytes(book)).active
    assert (ws["A1"].value, ws["A1"].data_type, ws["A1"].quotePrefix) == (
        "=SUM(1)",
        "s",
        True,
    )
    assert (ws["A2"].value, ws["A2"].data_type, ws["A2"].quotePrefix) == ("+1", "s", True)
    assert "A2:C2" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A3"].value is None
