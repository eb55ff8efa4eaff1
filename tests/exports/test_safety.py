"""A text is never a formula: every cell we write goes through safety.put / safe_cell."""

from datetime import date
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from exports.safety import put
from exports.safety import safe_cell
from exports.styles import workbook_bytes
from exports.tables import write_table

from .conftest import load

DANGEROUS = [
    '=HYPERLINK("http://evil.example","点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_comes_back_as_the_same_text(text):
    workbook = openpyxl.Workbook()
    put(workbook.active["A1"], text)
    cell = load(workbook_bytes(workbook)).active["A1"]
    assert cell.value == text.replace("\r", "\n")  # xlsx keeps line ends as LF
    assert cell.data_type == "s"


def test_write_table_keeps_a_village_name_that_looks_like_a_formula():
    rows = [{"村(居)": '=HYPERLINK("http://evil","甲村")', "得分": Decimal("93.5")}]
    ws = load(workbook_bytes(write_table("测试", ["村(居)", "得分"], rows))).active
    assert ws["A3"].value == '=HYPERLINK("http://evil","甲村")'
    assert ws["A3"].data_type == "s"
    assert ws["A3"].quotePrefix
    assert ws["B3"].value == 93.5 and ws["B3"].data_type == "n"


def test_safe_cell_values():
    assert safe_cell(True) == "是" and safe_cell(False) == "否"
    assert safe_cell(None) is None
    assert safe_cell(Decimal("1.50")) == Decimal("1.50")
    assert safe_cell("a\x00b\x07c") == "abc"
    aware = datetime(2026, 4, 1, 1, 30, tzinfo=ZoneInfo("UTC"))
    assert safe_cell(aware) == datetime(2026, 4, 1, 9, 30)
    assert safe_cell(date(2026, 4, 1)) == date(2026, 4, 1)
    assert len(safe_cell("长" * 40000)) == 32767
