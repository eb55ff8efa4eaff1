"""`writer.Sheet` renders its cells itself: the file must be the one XlsxWriter's own API makes.

The same calls go through `Sheet` and through a plain XlsxWriter worksheet (write_string,
write_number, write_blank, write_datetime, merge_range, set_row_pixels, set_column_pixels: what
the writer called before it rendered the rows itself, and XlsxWriter's own writing of the rows,
merges and columns), and every part of the two packages must be byte for byte
the same, but the creation time.
"""

import zipfile
from datetime import date
from datetime import datetime
from decimal import Decimal
from io import BytesIO

import pytest

from exports import styles
from exports.writer import PIXELS_PER_CHARACTER
from exports.writer import POINTS_PER_PIXEL
from exports.writer import Book
from exports.writer import _properties
from exports.writer import _Worksheet

from .conftest import load


class PlainSheet:
    """The calls of `Sheet` made through XlsxWriter's table (its public API)."""

    def __init__(self, book: Book, name: str):
        self.book = book
        worksheet = book.workbook.add_worksheet(name, worksheet_class=_PlainWorksheet)
        self.ws = worksheet
        book.sheetnames.append(name)

    def _format(self, style, quote=False):
        return self.book.plain_format(
            style.get("font", styles.BODY),
            style.get("align", styles.WRAP),
            style.get("border", True),
            style.get("fill"),
            style.get("number_format"),
            quote,
        )

    def cell(self, row, col, value, **style):
        r, c = row - 1, col - 1
        if isinstance(value, str) and value:
            text, quote = self.book.text(value)
            self.ws.write_string(r, c, text, self._format(style, quote))
        elif value is None or value == "":
            self.ws.write_blank(r, c, None, self._format(style))
        elif isinstance(value, (date, datetime)):
            shown = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
            self.ws.write_datetime(r, c, value, self._format({**style, "number_format": shown}))
        else:
            number = float(value) if isinstance(value, Decimal) else value
            self.ws.write_number(r, c, number, self._format(style))

    def merge(self, row, col, last_row, last_col, value, **style):
        if not isinstance(value, str):
            self.merge(row, col, last_row, last_col, "", **style)
            self.cell(row, col, value, **style)
            return
        text, quote = self.book.text(value)
        fmt = self._format(style, quote)
        self.ws.merge_range(row - 1, col - 1, last_row - 1, last_col - 1, text or None, fmt)

    def height(self, row, points):
        self.ws.set_row_pixels(row - 1, points / POINTS_PER_PIXEL)

    def set_widths(self, widths):
        for index, width in enumerate(widths):
            self.ws.set_column_pixels(index, index, width * PIXELS_PER_CHARACTER)


class _PlainWorksheet(_Worksheet):
    """XlsxWriter's own row writing (only fitToWidth added, as in `_Worksheet`)."""

    def _assemble_xml_file(self):
        super(_Worksheet, self)._assemble_xml_file()

    def _write_sheet_data(self):
        super(_Worksheet, self)._write_sheet_data()

    def _write_merge_cells(self):
        super(_Worksheet, self)._write_merge_cells()

    def _write_cols(self):
        super(_Worksheet, self)._write_cols()


class PlainBook(Book):
    def plain_format(self, font, align, border, fill, number_format, quote):
        key = (id(font), id(align), border, id(fill), number_format, quote)
        if key not in self._plain:
            props = _properties(font, align, border, fill, number_format, quote)
            self._plain[key] = self.workbook.add_format(props)
        return self._plain[key]

    def add_sheet(self, name):
        self._plain = getattr(self, "_plain", {})
        return PlainSheet(self, name)


def _fill(sheet):
    """Cells of every kind, in an order that is not the rows' (as the 评分表 writes merges)."""
    sheet.set_widths([20, 34, 7, 7, 11])
    sheet.merge(1, 1, 1, 5, "标题", font=styles.TITLE, align=styles.CENTRE, border=False)
    sheet.height(1, 30)
    sheet.merge(4, 1, 7, 1, "一、分节(20分)", align=styles.CENTRE)
    for row in range(4, 8):
        sheet.cell(row, 2, f"第{row}项")
        sheet.cell(row, 3, Decimal("2.5") * row, align=styles.CENTRE)
        sheet.cell(row, 5, 17.25 if row % 2 else 3, font=styles.BOLD, number_format="+0.##;-0.##;0")
        sheet.height(row, styles.row_height(row - 2))
    sheet.cell(8, 2, "=SUM(A1)")  # a formula-like text: quote-prefixed
    sheet.cell(8, 3, "")
    sheet.cell(8, 4, None, fill=styles.HEADER_FILL)
    sheet.cell(9, 1, date(2026, 4, 1))
    sheet.cell(9, 2, datetime(2026, 4, 1, 8, 30))
    sheet.merge(10, 2, 10, 4, Decimal("-1.5"))  # a number merged: the first cell rewritten
    sheet.cell(12, 1, "第一个")
    sheet.cell(12, 1, "第二个")  # written twice: the later one is kept, both are counted
    sheet.cell(20, 7, "下一块的行")  # another block of 16 rows, wider: its own spans
    sheet.height(22, 15)  # the default height, on a row without cells
    sheet.height(23, 40)


def _parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(BytesIO(data))
    return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def _workbook(book_class) -> bytes:
    book = book_class(title="t")
    for name in ("甲村", "乙村"):
        _fill(book.add_sheet(name))
    return styles.workbook_bytes(book)


def test_the_rendered_rows_are_xlsxwriters_own():
    ours, theirs = _parts(_workbook(Book)), _parts(_workbook(PlainBook))
    assert ours.keys() == theirs.keys()
    assert "xl/worksheets/sheet2.xml" in ours
    for name in ours:
        assert ours[name] == theirs[name], name


def test_the_cells_read_back():
    ws = load(_workbook(Book)).worksheets[0]
    assert ws["A1"].value == "标题" and "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["C5"].value == 12.5 and ws["E5"].value == 17.25 and ws["E4"].value == 3
    assert ws["E4"].number_format == "+0.##;-0.##;0"
    assert (ws["B8"].value, ws["B8"].quotePrefix) == ("=SUM(A1)", True)
    assert ws["C8"].value is None and ws["D8"].fill.fgColor.rgb[-6:] == "E7ECF2"
    assert ws["A9"].value == datetime(2026, 4, 1) and ws["A9"].number_format == "yyyy-mm-dd"
    assert ws["B9"].value == datetime(2026, 4, 1, 8, 30)
    assert ws["B10"].value == -1.5 and "B10:D10" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A12"].value == "第二个"
    assert ws.row_dimensions[1].height == 30 and ws.row_dimensions[23].height == 40


def test_a_cell_cannot_hold_nan():
    sheet = Book(title="t").add_sheet("甲村")
    with pytest.raises(TypeError):
        sheet.cell(1, 1, float("nan"))


def _draw(sheet, row):
    sheet.merge(row, 1, row + 1, 1, "分节", align=styles.CENTRE)
    sheet.cell(row, 2, "第一项")
    sheet.cell(row, 3, 5, align=styles.CENTRE)
    sheet.fit_row(row, [("很长的考核重点" * 6, 34)])
    sheet.cell(row + 1, 2, "第二项")
    sheet.merge(row + 3, 1, row + 3, 5, "注:说明", border=False)
    sheet.height(row + 3, 32)
    return row + 4


def _stamped(stamp: bool) -> bytes:
    book = Book(title="t")
    for name, first in (("甲村", 3), ("乙村", 14), ("丙村", 3)):
        sheet = book.add_sheet(name)
        sheet.cell(first - 1, 1, f"{name}的单位")
        if name == "丙村":  # a stamp onto a row that has cells already
            sheet.cell(first, 4, "先写")
        after = sheet.stamp("rubric", first, _draw) if stamp else _draw(sheet, first)
        sheet.cell(first, 5, 4.5, font=styles.BOLD)  # a row of the stamp gets a cell of its own
        if name == "乙村":  # a cell written among a stamped row's cells replaces its own
            sheet.cell(first + 1, 2, "改写")
        sheet.cell(after, 1, f"{name}之后")
    return styles.workbook_bytes(book)


def test_a_stamp_gives_the_cells_drawn_on_each_sheet():
    stamped, drawn = _parts(_stamped(True)), _parts(_stamped(False))
    assert stamped.keys() == drawn.keys()
    for name in stamped:
        assert stamped[name] == drawn[name], name
    ws = load(_stamped(True))["乙村"]
    assert (ws["A14"].value, ws["B14"].value, ws["E14"].value) == ("分节", "第一项", 4.5)
    assert ws["A18"].value == "乙村之后" and ws["B15"].value == "改写"
    assert load(_stamped(True))["丙村"]["D3"].value == "先写"
    assert {"A14:A15", "A17:E17"} <= {str(r) for r in ws.merged_cells.ranges}
