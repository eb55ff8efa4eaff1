"""Write-only workbooks with XlsxWriter, in the house style of `styles` (the 评分表 export).

openpyxl keeps every cell as an object with its own style and serialises through an XML tree;
XlsxWriter appends rows to a table and writes the XML as text, several times faster for the
thousands of sheets of a township's year. The look is not restated here: each XlsxWriter format
is derived, once per workbook, from the same `styles` objects (font, alignment, fill) the
openpyxl tables use, and every value passes `safety.safe_cell` first, so a text never becomes a
formula.

Rows and columns are 1-based, as in openpyxl, so that a layout reads the same in both writers.

Not constant_memory mode: it flushes each row as soon as a later row is written, and the
评分表's sections are merged down several rows (XlsxWriter pads a merge before the rows beside
it are written), and it would hold one temporary file open per worksheet until the workbook is
closed (a township has 1,000). The in-memory tables of a 1,000-sheet workbook are tens of MB.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from io import BytesIO

import xlsxwriter
import xlsxwriter.worksheet
from openpyxl.styles import Alignment
from openpyxl.styles import Font
from openpyxl.styles import PatternFill

from assessment.services import gc_paused

from . import styles
from .safety import is_formula_like
from .safety import safe_cell

# openpyxl's vertical alignment names, in XlsxWriter's words.
VERTICAL = {"center": "vcenter", "top": "top", "bottom": "bottom", "justify": "vjustify"}
# XlsxWriter reads a width in characters and adds Excel's 5-pixel cell padding, openpyxl stores
# the width as given: widths go in as pixels (7 per character of 11-point text) to be stored as
# the same numbers.
PIXELS_PER_CHARACTER = 7
POINTS_PER_PIXEL = 0.75  # XlsxWriter keeps row heights in pixels at 96 dpi
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _properties(
    font: Font | None,
    align: Alignment | None,
    border: bool,
    fill: PatternFill | None,
    number_format: str | None,
    quote: bool,
) -> dict:
    props: dict = {}
    if font is not None:
        props.update(font_name=font.name, font_size=float(font.sz), bold=bool(font.b))
    if align is not None:
        if align.horizontal:
            props["align"] = align.horizontal
        if align.vertical:
            props["valign"] = VERTICAL[align.vertical]
        if align.wrap_text:
            props["text_wrap"] = True
    if border:
        side = styles.BOX.left
        props.update(border=1, border_color="#" + side.color.rgb[-6:])
    if fill is not None:
        props.update(pattern=1, bg_color="#" + fill.fgColor.rgb[-6:])
    if number_format:
        props["num_format"] = number_format
    if quote:
        props["quote_prefix"] = True
    return props


class _Workbook(xlsxwriter.Workbook):
    def _check_sheetname(self, sheetname, is_chartsheet=False):
        # `styles.sheet_title` made the name valid and unique; XlsxWriter's own check compares
        # it with every sheet so far, quadratic in a township's 1,000 sheets.
        return sheetname


class _Worksheet(xlsxwriter.worksheet.Worksheet):
    """States fitToWidth="1" in the page setup. XlsxWriter leaves it out as the schema's
    default, which openpyxl (and so our tests) reads as unset; WPS, which townships use, is not
    known to apply the default either."""

    def _xml_empty_tag(self, tag, attributes=()):
        if tag == "pageSetup" and self.fit_page and self.fit_width == 1:
            attributes = [*attributes, ("fitToWidth", 1)]
        super()._xml_empty_tag(tag, attributes)


class Sheet:
    """One worksheet; `cell` and `merge` take the arguments of `styles.cell` and `styles.merge`."""

    def __init__(self, book: Book, worksheet):
        self.book = book
        self.ws = worksheet

    def cell(
        self,
        row: int,
        col: int,
        value,
        *,
        font=styles.BODY,
        align=styles.WRAP,
        border=True,
        fill=None,
        number_format=None,
    ) -> None:
        book, r, c = self.book, row - 1, col - 1
        if value.__class__ is str:
            text, quote = book.text(value)
            if text:
                fmt = book.format(font, align, border, fill, number_format, quote)
                self.ws.write_string(r, c, text, fmt)
                return
            value = None  # an empty text is an empty cell, as openpyxl writes it
        else:
            value = safe_cell(value)
        if value is None:
            self.ws.write_blank(r, c, None, book.format(font, align, border, fill, number_format))
        elif isinstance(value, str):  # safe_cell's text of another type
            self.cell(
                row,
                col,
                value,
                font=font,
                align=align,
                border=border,
                fill=fill,
                number_format=number_format,
            )
        elif isinstance(value, (datetime, date, time)):
            shown = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
            fmt = book.format(font, align, border, fill, number_format or shown)
            self.ws.write_datetime(r, c, value, fmt)
        else:
            fmt = book.format(font, align, border, fill, number_format)
            self.ws.write_number(r, c, float(value) if isinstance(value, Decimal) else value, fmt)

    def merge(self, row: int, col: int, last_row: int, last_col: int, value, **style) -> None:
        """The range's cells boxed like the rest of the table (borders are drawn per cell)."""
        if (row, col) == (last_row, last_col) or value.__class__ is not str:
            if (row, col) != (last_row, last_col):
                self.merge(row, col, last_row, last_col, "", **style)
            self.cell(row, col, value, **style)
            return
        text, quote = self.book.text(value)
        fmt = self.book.format(
            style.get("font", styles.BODY),
            style.get("align", styles.WRAP),
            style.get("border", True),
            style.get("fill"),
            style.get("number_format"),
            quote,
        )
        self.ws.merge_range(row - 1, col - 1, last_row - 1, last_col - 1, text or None, fmt)

    def set_widths(self, widths: list[float]) -> None:
        for index, width in enumerate(widths):
            self.ws.set_column_pixels(index, index, width * PIXELS_PER_CHARACTER)

    def height(self, row: int, points: float) -> None:
        # set_row rounds a height to whole pixels; this keeps the points as openpyxl stores them.
        self.ws.set_row_pixels(row - 1, points / POINTS_PER_PIXEL)

    def fit_row(self, row: int, texts_by_width: list[tuple[object, float]], minimum=1) -> None:
        """`styles.fit_row`, computed once per workbook for each distinct row of texts."""
        key = (minimum, *texts_by_width)
        pixels = self.book.row_pixels.get(key)
        if pixels is None:
            lines = max([minimum, *(styles.lines_needed(t, w) for t, w in texts_by_width)])
            pixels = self.book.row_pixels[key] = styles.row_height(lines) / POINTS_PER_PIXEL
        self.ws.set_row_pixels(row - 1, pixels)

    def print_setup(
        self, *, title_rows: tuple[int, int] | None, last_row: int, last_col: int
    ) -> None:
        """`styles.print_setup` (portrait), and the print area."""
        ws = self.ws
        ws.set_paper(styles.PAPER_A4)
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        margins = styles.MARGINS
        ws.set_margins(
            left=margins["left"],
            right=margins["right"],
            top=margins["top"],
            bottom=margins["bottom"],
        )
        ws.set_header("", {"margin": margins["header"]})
        ws.set_footer(f'&C&"{styles.FONT_NAME}"{styles.FOOTER}', {"margin": margins["footer"]})
        if title_rows:
            ws.repeat_rows(title_rows[0] - 1, title_rows[1] - 1)
        ws.print_area(0, 0, last_row - 1, last_col - 1)


class Book:
    """A workbook being written; `bytes()` closes it and returns the .xlsx."""

    def __init__(self, *, title: str):
        self.buffer = BytesIO()
        # in_memory: the sheets' XML is assembled in memory rather than in temporary files.
        # Values are written with their type's own method; nothing is guessed from a text.
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        self.workbook = _Workbook(self.buffer, options)
        self.workbook.set_properties({"title": title, "author": "kaohe"})
        self.sheetnames: list[str] = []
        self._taken: set[str] = set()
        self._formats: dict[tuple, object] = {}
        self._texts: dict[str, tuple[str, bool]] = {}
        self.row_pixels: dict[tuple, float] = {}

    def add_sheet(self, name: str) -> Sheet:
        """A worksheet titled from `name` (`styles.sheet_title`: valid, unique)."""
        title = styles.sheet_title(name, self._taken)
        self.sheetnames.append(title)
        return Sheet(self, self.workbook.add_worksheet(title, worksheet_class=_Worksheet))

    def format(self, font, align, border, fill, number_format, quote=False):
        """The XlsxWriter format of a style, made once per workbook."""
        key = (id(font), id(align), border, id(fill), number_format, quote)
        found = self._formats.get(key)
        if found is None:
            props = _properties(font, align, border, fill, number_format, quote)
            found = self._formats[key] = self.workbook.add_format(props)
        return found

    def text(self, value: str) -> tuple[str, bool]:
        """`safety.safe_cell` of a text, and whether it looks like a formula: once per text."""
        found = self._texts.get(value)
        if found is None:
            safe = safe_cell(value)
            found = self._texts[value] = (safe, is_formula_like(safe))
        return found

    def save(self, target) -> None:
        """Write the .xlsx into a file object, as openpyxl's Workbook.save does (so
        `styles.workbook_bytes` serves both)."""
        if not self.workbook.fileclosed:
            with gc_paused():  # the same cells again, as XML
                self.workbook.close()
        target.write(self.buffer.getvalue())
