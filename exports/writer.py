"""Write-only workbooks with XlsxWriter, in the house style of `styles` (the 评分表 export).

openpyxl keeps every cell as an object with its own style and serialises through an XML tree;
XlsxWriter writes the XML as text, several times faster for the thousands of sheets of a
township's year. The look is not restated here: each XlsxWriter format is derived, once per
workbook, from the same `styles` objects (font, alignment, fill) the openpyxl tables use, and
every value passes `safety.safe_cell` first, so a text never becomes a formula.

XlsxWriter packages the workbook (styles, shared strings, print titles, the zip), but the cells
of a sheet do not go through its table: a township's month is some 180,000 cells, and its
per-cell path (a bounds check, a named tuple per cell, then at close an escaped attribute list
and a column-letter lookup per cell) cost more than building the cells. `Sheet` renders each
cell's XML when it is written, in the form XlsxWriter gives it (the same `<c>` elements, the
same shared-string and format indices, assigned in the same order), and `_Worksheet` writes
those rows where XlsxWriter would write its own. The file is the one XlsxWriter made.

Rows and columns are 1-based, as in openpyxl, so that a layout reads the same in both writers.

Not constant_memory mode: it writes strings inline rather than shared (each of the 1,000 sheets
would repeat the rubric's texts), and it would hold one temporary file open per worksheet until
the workbook is closed. The rendered rows of a 1,000-sheet workbook are some tens of MB.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from io import BytesIO
from io import StringIO
from itertools import pairwise

import xlsxwriter
import xlsxwriter.worksheet
from openpyxl.styles import Alignment
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from xlsxwriter.utility import xl_col_to_name

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
# XlsxWriter's default (and original) row height, which it does not state in a row; the writer
# never calls set_default_row, which would make the two differ.
DEFAULT_ROW_PIXELS = 20
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
    """Writes the rows its `Sheet` rendered; states fitToWidth="1" in the page setup (XlsxWriter
    leaves it out as the schema's default, which openpyxl, and so our tests, reads as unset; WPS,
    which townships use, is not known to apply the default either)."""

    kaohe: Sheet

    def _assemble_xml_file(self) -> None:
        # The <dimension> element is written before the rows: the bounds must be known first.
        self.kaohe.finish()
        super()._assemble_xml_file()

    def _write_sheet_data(self) -> None:
        self.fh.write(self.kaohe.sheet_data())

    def _write_merge_cells(self) -> None:
        # As XlsxWriter writes them, without its escaping of each attribute (a range has none).
        if self.merge:
            refs = "".join(
                f'<mergeCell ref="{COLUMN[c1 + 1]}{r1 + 1}:{COLUMN[c2 + 1]}{r2 + 1}"/>'
                for r1, c1, r2, c2 in self.merge
            )
            self.fh.write(f'<mergeCells count="{len(self.merge)}">{refs}</mergeCells>')

    def _write_cols(self) -> None:
        # Every sheet of a workbook has the same columns: their XML is written once.
        if any(info.column_format is not None for info in self.col_info.values()):
            super()._write_cols()  # a format's index is not known before it is first written
            return
        key = tuple(
            (col, info.width, info.hidden, info.level, info.collapsed, info.autofit)
            for col, info in sorted(self.col_info.items())
        )
        cache = self.kaohe.book.cols_xml
        found = cache.get(key)
        if found is None:
            fh, self.fh = self.fh, StringIO()
            super()._write_cols()
            found = cache[key] = self.fh.getvalue()
            self.fh = fh
        self.fh.write(found)

    def _xml_empty_tag(self, tag, attributes=()):
        if tag == "pageSetup" and self.fit_page and self.fit_width == 1:
            attributes = [*attributes, ("fitToWidth", 1)]
        super()._xml_empty_tag(tag, attributes)


# Column letters of 1-based columns, as XlsxWriter spells them.
COLUMN = ["", *(xl_col_to_name(c) for c in range(64))]
MAX_UTF16 = 32767  # Excel's limit of a cell's text, in UTF-16 units (XlsxWriter truncates)


def _fit_utf16(text: str) -> str:
    """The text cut to Excel's limit as XlsxWriter cuts it; only a text of characters beyond
    U+FFFF can pass `safe_cell`'s limit in characters and exceed it."""
    if len(text) <= MAX_UTF16 // 2:
        return text
    if len(text.encode("utf-16-le", "surrogatepass")) <= 2 * MAX_UTF16:
        return text
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > MAX_UTF16:
            return text[:index]
    return text


class Sheet:
    """One worksheet; `cell` and `merge` take the arguments of `styles.cell` and `styles.merge`.

    Each cell is rendered as XlsxWriter's XML when written (`rows`: row -> column -> element), a
    later write to the same cell replacing it, as in XlsxWriter's table."""

    def __init__(self, book: Book, worksheet: _Worksheet, *, scratch: bool = False):
        self.book = book
        self.ws = worksheet
        self.rows: dict[int, dict[int, str]] = {}
        self.heights: dict[int, float] = {}  # pixels, by row
        # Rows stamped whole: rows[row][first] holds the cells of columns first..last joined,
        # with the stamp's cells kept to split them again (`_unjoin`).
        self.segments: dict[int, tuple[int, int, list]] = {}
        if scratch:  # a stamp being drawn (see `stamp`): its merges are its own
            self.merges: list[list[int]] = []
        else:
            worksheet.kaohe = self
            self.merges = worksheet.merge

    def _put(self, row: int, col: int, element: str) -> None:
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
        elif row in self.segments and col <= self.segments[row][1]:
            self._unjoin(row)
        cells[col] = element

    def _unjoin(self, row: int) -> None:
        """A stamped row's cells one by one again, for a cell written among them."""
        first, _last, cells = self.segments.pop(row)
        target = self.rows[row]
        del target[first]
        at = str(row)
        for col, head, tail in cells:
            target[col] = head + at + tail

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
        book = self.book
        if value.__class__ is str:
            text, quote = book.text(value)
            if text:
                xf = book.xf(font, align, border, fill, number_format, quote)
                index = book.string_index(text)
                self._put(row, col, f'<c r="{COLUMN[col]}{row}" s="{xf}" t="s"><v>{index}</v></c>')
                return
            value = None  # an empty text is an empty cell, as openpyxl writes it
        else:
            value = safe_cell(value)
        if value is None:
            xf = book.xf(font, align, border, fill, number_format)
            self._put(row, col, f'<c r="{COLUMN[col]}{row}" s="{xf}"/>')
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
            xf = book.xf(font, align, border, fill, number_format or shown)
            self._number(row, col, self.ws._convert_date_time(value), xf)
        else:
            xf = book.xf(font, align, border, fill, number_format)
            self._number(row, col, float(value) if isinstance(value, Decimal) else value, xf)

    def _number(self, row: int, col: int, number, xf: int) -> None:
        if not math.isfinite(number):
            raise TypeError(f"a cell cannot hold {number!r}")  # as XlsxWriter refuses NaN/inf
        self._put(row, col, f'<c r="{COLUMN[col]}{row}" s="{xf}"><v>{number:.16G}</v></c>')

    def merge(self, row: int, col: int, last_row: int, last_col: int, value, **style) -> None:
        """The range's cells boxed like the rest of the table (borders are drawn per cell).

        XlsxWriter's merge_range also checks that no two merges overlap: a layout's error the
        reference test shows, not worth a check per cell of every sheet."""
        if (row, col) == (last_row, last_col) or value.__class__ is not str:
            if (row, col) != (last_row, last_col):
                self.merge(row, col, last_row, last_col, "", **style)
            self.cell(row, col, value, **style)
            return
        book = self.book
        text, quote = book.text(value)
        xf = book.xf(
            style.get("font", styles.BODY),
            style.get("align", styles.WRAP),
            style.get("border", True),
            style.get("fill"),
            style.get("number_format"),
            quote,
        )
        self.merges.append([row - 1, col - 1, last_row - 1, last_col - 1])
        put = self._put
        for r in range(row, last_row + 1):
            for c in range(col, last_col + 1):
                put(r, c, f'<c r="{COLUMN[c]}{r}" s="{xf}"/>')
        if text:
            index = book.string_index(text)
            put(row, col, f'<c r="{COLUMN[col]}{row}" s="{xf}" t="s"><v>{index}</v></c>')

    def stamp(self, key, row: int, draw: Callable[[Sheet, int], int]) -> int:
        """Cells that are the same on many sheets of the workbook, at `row` onwards: `draw(sheet,
        first_row)` lays them out (cells, merges, heights) and returns the row after them; it is
        called once per workbook for each `key`, and its rows copied to each sheet that asks
        again, at whatever row. Returns the row after the stamped ones.

        The first sheet to ask draws the stamp where it would have written those cells, so the
        shared strings and formats are numbered in the same order as without the stamp."""
        book = self.book
        found = book.stamps.get(key)
        if found is None:
            scratch = Sheet(book, self.ws, scratch=True)
            strings = book.workbook.str_table
            counted = strings.count
            found = book.stamps[key] = Stamp(scratch, draw(scratch, 1), strings.count - counted)
            strings.count = counted
        rows, segments = self.rows, self.segments
        for offset, first, last, pieces, cells in found.rows:
            number = row + offset
            if number not in rows:  # the usual case: one join makes the row's cells
                rows[number] = {first: str(number).join(pieces)}
                segments[number] = (first, last, cells)
            else:
                at = str(number)
                for col, head, tail in cells:
                    self._put(number, col, head + at + tail)
        shift = row - 1  # merges are 0-based, as XlsxWriter keeps them
        for first_row, first_col, last_row, last_col in found.merges:
            self.merges.append([first_row + shift, first_col, last_row + shift, last_col])
        for offset, pixels in found.heights:
            self.heights[row + offset] = pixels
        book.workbook.str_table.count += found.strings  # each use counts, as XlsxWriter's would
        return row + found.size - 1

    def set_widths(self, widths: list[float]) -> None:
        for index, width in enumerate(widths):
            self.ws.set_column_pixels(index, index, width * PIXELS_PER_CHARACTER)

    def height(self, row: int, points: float) -> None:
        # set_row rounds a height to whole pixels; this keeps the points as openpyxl stores them.
        self.heights[row] = points / POINTS_PER_PIXEL

    def fit_row(self, row: int, texts_by_width: list[tuple[object, float]], minimum=1) -> None:
        """`styles.fit_row`, computed once per workbook for each distinct row of texts."""
        key = (minimum, *texts_by_width)
        pixels = self.book.row_pixels.get(key)
        if pixels is None:
            lines = max([minimum, *(styles.lines_needed(t, w) for t, w in texts_by_width)])
            pixels = self.book.row_pixels[key] = styles.row_height(lines) / POINTS_PER_PIXEL
        self.heights[row] = pixels

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

    def finish(self) -> None:
        """XlsxWriter's bounds of the sheet (its <dimension>), from the cells and row heights."""
        ws, rows = self.ws, self.rows
        numbers = [*rows, *self.heights]
        if not numbers:
            return
        columns = [c for cells in rows.values() for c in cells] or [1]
        columns += [last for _first, last, _cells in self.segments.values()]
        ws.dim_rowmin, ws.dim_rowmax = min(numbers) - 1, max(numbers) - 1
        ws.dim_colmin, ws.dim_colmax = min(columns) - 1, max(columns) - 1

    def sheet_data(self) -> str:
        """The <sheetData> element as XlsxWriter's _write_rows writes it: the rows in order, each
        with its cells by column, the span of its block of 16 rows, and its height if set."""
        rows, heights = self.rows, self.heights
        numbers = sorted(rows if heights.keys() <= rows.keys() else rows.keys() | heights.keys())
        if not numbers:
            return "<sheetData/>"
        ordered = []
        bounds: dict[int, list[int]] = {}  # the first and last column of each block of 16 rows
        segments = self.segments
        for number in numbers:
            cells = rows.get(number)
            if cells:
                columns = sorted(cells)
                last = columns[-1]
                if number in segments:
                    last = max(last, segments[number][1])
                block = (number - 1) >> 4
                found = bounds.get(block)
                if found is None:
                    bounds[block] = [columns[0], last]
                else:
                    found[0] = min(found[0], columns[0])
                    found[1] = max(found[1], last)
                ordered.append((number, [cells[c] for c in columns]))
            else:
                ordered.append((number, None))
        spans = {block: f' spans="{low}:{high}"' for block, (low, high) in bounds.items()}
        attribute = self.book.height_attribute
        parts = ["<sheetData>"]
        append = parts.append
        for number, cells in ordered:
            span = spans.get((number - 1) >> 4, "")
            tag = f'<row r="{number}"{span}{attribute(heights.get(number))}'
            if cells:
                append(tag + ">")
                append("".join(cells))
                append("</row>")
            else:
                append(tag + "/>")
        append("</sheetData>")
        return "".join(parts)


class Stamp:
    """The rows a scratch sheet was drawn with from row 1, by offset from the first, each cell
    split around its row number (`<c r="B` + row + `" s="3" t="s">...`) so that it can be copied
    to any row; and each row's cells as the pieces that the row number joins."""

    __slots__ = ("heights", "merges", "rows", "size", "strings")

    def __init__(self, scratch: Sheet, size: int, strings: int):
        self.size = size  # the row after the drawn ones, from row 1
        self.strings = strings  # the shared-string references of one copy
        self.rows = []
        for number, cells in sorted(scratch.rows.items()):
            split = [_split(col, number, cells[col]) for col in sorted(cells)]
            pieces = [split[0][1]]
            for (_col, _head, tail), (_next, head, _tail) in pairwise(split):
                pieces.append(tail + head)
            pieces.append(split[-1][2])
            self.rows.append((number - 1, split[0][0], split[-1][0], pieces, split))
        self.merges = scratch.merges
        self.heights = [(number - 1, pixels) for number, pixels in scratch.heights.items()]


def _split(col: int, row: int, element: str) -> tuple[int, str, str]:
    head = f'<c r="{COLUMN[col]}'
    return col, head, element[len(head) + len(str(row)) :]


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
        self._formats: dict[tuple, int] = {}
        self._strings = self.workbook.str_table._get_shared_string_index
        self._texts: dict[str, tuple[str, bool]] = {}
        self.row_pixels: dict[tuple, float] = {}
        self.stamps: dict[object, Stamp] = {}
        self._heights: dict[float | None, str] = {}
        self.cols_xml: dict[tuple, str] = {}

    def add_sheet(self, name: str) -> Sheet:
        """A worksheet titled from `name` (`styles.sheet_title`: valid, unique)."""
        title = styles.sheet_title(name, self._taken)
        self.sheetnames.append(title)
        return Sheet(self, self.workbook.add_worksheet(title, worksheet_class=_Worksheet))

    def xf(self, font, align, border, fill, number_format, quote=False) -> int:
        """The format index of a style: its XlsxWriter format made once per workbook, numbered on
        first use as XlsxWriter numbers a format when it first writes a cell of it."""
        key = (id(font), id(align), border, id(fill), number_format, quote)
        found = self._formats.get(key)
        if found is None:
            props = _properties(font, align, border, fill, number_format, quote)
            found = self._formats[key] = self.workbook.add_format(props)._get_xf_index()
        return found

    def string_index(self, text: str) -> int:
        """The text's index in the shared strings (counted once more, as XlsxWriter counts)."""
        return self._strings(text)

    def height_attribute(self, pixels: float | None) -> str:
        """A row's ht and customHeight attributes as XlsxWriter's _write_row gives them (none
        for the default height), once per height."""
        found = self._heights.get(pixels)
        if found is None:
            height = DEFAULT_ROW_PIXELS if pixels is None else pixels
            found = ""
            if height != DEFAULT_ROW_PIXELS:
                found = f' ht="{height * POINTS_PER_PIXEL:.16g}" customHeight="1"'
            self._heights[pixels] = found
        return found

    def text(self, value: str) -> tuple[str, bool]:
        """`safety.safe_cell` of a text, and whether it looks like a formula: once per text."""
        found = self._texts.get(value)
        if found is None:
            safe = _fit_utf16(safe_cell(value))
            found = self._texts[value] = (safe, is_formula_like(safe))
        return found

    def save(self, target) -> None:
        """Write the .xlsx into a file object, as openpyxl's Workbook.save does (so
        `styles.workbook_bytes` serves both)."""
        if not self.workbook.fileclosed:
            with gc_paused():  # the same cells again, as XML
                self.workbook.close()
        target.write(self.buffer.getvalue())
