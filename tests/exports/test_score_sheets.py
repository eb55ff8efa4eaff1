"""The 评分表 workbook read back with openpyxl matches the stored sheet exactly."""

from decimal import Decimal

import pytest

from assessment import selectors
from assessment.models import ScoreLine
from assessment.models import ScoreSheet
from exports.periods import Span
from exports.score_sheets import period_sheets
from exports.score_sheets import township_workbook
from exports.score_sheets import village_workbook
from exports.styles import workbook_bytes

from .conftest import adjustment_scores
from .conftest import detail_lines
from .conftest import find_row
from .conftest import item_scores
from .conftest import load
from .conftest import total


def _month(village, month=4):
    return ScoreSheet.objects.get(village=village, year=2026, month=month)


def test_a_month_sheet_matches_the_stored_sheet(scored, village_a):
    ws = load(workbook_bytes(village_workbook(village_a, Span(2026, month=4)))).active
    sheet = _month(village_a)
    assert ws.title == "甲村"
    assert item_scores(ws) == {
        title: Decimal(score) for _c, _s, title, _p, score, _r in sheet.items
    }
    lines = list(sheet.lines.order_by("position"))
    printed = {"adj.commend": "五.5", "adj.no_staff": "五.7"}  # 加减分 as the table numbers them
    assert detail_lines(ws) == [
        (printed.get(line.item_code, line.item_code), line.points, line.reason) for line in lines
    ]
    assert total(ws) == sheet.total
    adjustments = adjustment_scores(ws)
    assert adjustments["在省、市、区检查中受到表彰"] == Decimal(3)
    assert sum(adjustments.values()) == sum(
        (line.points for line in lines if line.item_code.startswith("adj.")), Decimal(0)
    )


def test_the_layout_is_the_townships_table(scored, village_a):
    ws = load(workbook_bytes(village_workbook(village_a, Span(2026, month=4)))).active
    assert ws["A1"].value == "清河镇综治及信访工作考核评分表"
    assert "甲村" in ws["A2"].value and "2026年4月" in ws["C2"].value
    assert [ws.cell(row=3, column=c).value for c in range(1, 6)] == [
        "考核内容",
        "考核重点",
        "分值",
        "扣分因素",
        "得分",
    ]
    assert ws["A4"].value == "一、落实信访工作责任制,建立一把手负总责(20分)"
    assert "A4:A7" in {str(r) for r in ws.merged_cells.ranges}  # the section spans its 4 items
    assert ws["D4"].value == "没开会研究相关工作事项的扣1分"
    assert ws["A4"].font.name == "宋体"
    assert ws["B4"].border.left.style == "thin"
    row = find_row(ws, 1, "一票否决")
    assert ws.cell(row=row, column=2).value.startswith("因新问题未及时化解导致进京上访(4月15日)")
    assert ws.cell(row=row, column=5).value == "否决"
    signature = ws.cell(row=ws.max_row, column=1).value
    assert signature.startswith("考核组长:") and "成员:" in signature and "日期:" in signature


def test_print_settings(scored, village_a):
    ws = load(workbook_bytes(village_workbook(village_a, Span(2026, month=4)))).active
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"


def test_a_petition_text_that_looks_like_a_formula_stays_text(scored, village_a):
    ws = load(workbook_bytes(village_workbook(village_a, Span(2026, month=4)))).active
    texts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)


def test_a_quarter_averages_the_months_and_totals_as_the_ranking(scored, village_a):
    ws = load(workbook_bytes(village_workbook(village_a, Span(2026, quarter=2)))).active
    april, may = _month(village_a, 4), _month(village_a, 5)
    expected = {
        title: ((Decimal(a) + Decimal(m)) / 2).quantize(Decimal("0.01"))
        for (_c, _s, title, _p, a, _r), (*_x, m, _r2) in zip(april.items, may.items, strict=True)
    }
    assert item_scores(ws) == expected
    ranking = {r.village.pk: r.score for r in selectors.quarter_ranking(scored.pk, 2026, 2)}
    assert total(ws) == ranking[village_a.pk]
    codes = [code for code, _p, _r in detail_lines(ws)]
    assert len(codes) == ScoreLine.objects.filter(sheet__in=[april, may]).count()
    assert codes[0].startswith("4月 ") and codes[-1].startswith("5月 ")
    assert "4月" in ws.cell(row=find_row(ws, 1, "各月得分"), column=2).value


def test_a_year_total_is_the_annual_score(scored, village_a):
    data = period_sheets(scored.pk, Span(2026), [village_a.pk])[0]
    annual = selectors.annual_scores(scored.pk, 2026)[village_a.pk]
    assert data.total == annual.score and data.computed == annual.computed
    assert data.provisional_reasons  # ten months of the year have no sheet


def test_every_village_gets_a_sheet_with_a_unique_title(scored, village_a, village_b):
    village_b.name = "甲村" + "很" * 40  # longer than a sheet title may be
    village_b.save()
    workbook = load(workbook_bytes(township_workbook(scored.pk, Span(2026, month=4))))
    titles = workbook.sheetnames
    assert titles[0] == "甲村"
    assert len(titles) == 2 and all(len(t) <= 31 for t in titles)
    second = workbook[titles[1]]
    assert total(second) == _month(village_b).total
    assert second.cell(row=find_row(second, 1, "一票否决"), column=2).value == "无"


@pytest.mark.parametrize("span", [Span(2026, month=1), Span(2025)])
def test_a_period_without_sheets_says_so(scored, village_a, span):
    workbook = load(workbook_bytes(village_workbook(village_a, span)))
    assert workbook.sheetnames == ["无评分"]
