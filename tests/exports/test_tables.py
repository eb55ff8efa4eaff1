"""The generic table writer (the settlements hook) and the ranking workbook."""

from datetime import date
from decimal import Decimal

import pytest

from assessment import selectors
from exports.periods import Span
from exports.styles import workbook_bytes
from exports.tables import ranking_workbook
from exports.tables import write_table
from tests.factories import VillageFactory

from .conftest import april_a
from .conftest import load
from .conftest import store_month


def test_write_table_writes_rows_of_dicts_under_their_headers():
    rows = [
        {
            "name": "张三",
            "role": "村(居)书记",
            "amount": Decimal("2000.00"),
            "day": date(2026, 12, 31),
        },
        {"name": "李四", "amount": Decimal("-1000")},  # a missing key leaves the cell empty
    ]
    headers = [("name", "姓名"), ("role", "角色"), ("amount", "金额(元)"), ("day", "日期")]
    ws = load(workbook_bytes(write_table("责任金结算", headers, rows, subtitle="2026年度"))).active
    assert ws["A1"].value == "责任金结算"
    assert ws["A2"].value == "2026年度"
    assert [c.value for c in ws[3]] == ["姓名", "角色", "金额(元)", "日期"]
    assert [c.value for c in ws[4]][:3] == ["张三", "村(居)书记", 2000]
    assert ws["D4"].value.date() == date(2026, 12, 31)
    assert ws["D4"].number_format == "yyyy-mm-dd"
    assert [c.value for c in ws[5]] == ["李四", None, -1000, None]
    assert ws["A4"].border.top.style == "thin" and ws["A4"].font.name == "宋体"
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0


def test_write_table_takes_labels_as_keys_and_adds_to_a_workbook():
    workbook = write_table("甲", ["村(居)", "得分"], [{"村(居)": "甲村", "得分": 90}])
    write_table("甲", ["村(居)"], [{"村(居)": "乙村"}], workbook=workbook)
    workbook = load(workbook_bytes(workbook))
    assert workbook.sheetnames == ["甲", "甲(2)"]
    assert workbook["甲(2)"]["A3"].value == "乙村"


@pytest.fixture
def tied(scored, area, village_a, village_b):
    """Village C has exactly village B's records, so they share a rank."""
    village_c = VillageFactory(area=area, name="丙村")
    store_month(scored, 2026, 4, {village_a.pk: april_a(), village_b.pk: {}, village_c.pk: {}})
    return village_c


def _rows(ws):
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "名次")
    headers = [c.value for c in ws[header]]
    rows = []
    for r in range(header + 1, ws.max_row + 1):
        if not isinstance(ws.cell(row=r, column=1).value, int):
            break
        rows.append(dict(zip(headers, [c.value for c in ws[r]], strict=True)))
    return rows


@pytest.mark.parametrize(
    "span",
    [Span(2026, month=4), Span(2026, quarter=2), Span(2026)],
    ids=["month", "quarter", "year"],
)
def test_the_ranking_workbook_matches_the_selectors(scored, tied, span):
    ws = load(workbook_bytes(ranking_workbook(scored, span))).active
    if span.kind == "month":
        expected = selectors.month_ranking(scored.pk, 2026, 4)
    elif span.kind == "quarter":
        expected = selectors.quarter_ranking(scored.pk, 2026, 2)
    else:
        expected = selectors.year_ranking(scored.pk, 2026)
    rows = _rows(ws)
    assert [(r["名次"], r["村(居)"], Decimal(str(r["得分"]))) for r in rows] == [
        (e.rank, e.village.name, e.score) for e in expected
    ]
    assert [r["状态"] for r in rows] == [
        "暂定" if e.provisional_reasons else "确定" for e in expected
    ]
    assert [r["一票否决"] or "" for r in rows] == [
        ";".join(v[1] for v in e.vetoes) for e in expected
    ]
    assert ws.page_setup.fitToWidth == 1


def test_ties_share_a_rank(scored, tied):
    rows = _rows(load(workbook_bytes(ranking_workbook(scored, Span(2026, month=4)))).active)
    assert [r["名次"] for r in rows] == [1, 1, 3]
    assert {rows[0]["村(居)"], rows[1]["村(居)"]} == {"乙村", "丙村"}
    assert rows[2]["村(居)"] == "甲村"


def test_the_year_ranking_shows_the_vetoes(scored, tied):
    rows = _rows(load(workbook_bytes(ranking_workbook(scored, Span(2026)))).active)
    village_a = next(r for r in rows if r["村(居)"] == "甲村")
    assert village_a["得分"] == 0
    assert "进京上访" in village_a["一票否决"]
    assert village_a["状态"] == "暂定" and "缺少" in village_a["暂定原因"]
