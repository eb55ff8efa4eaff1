"""The look of every workbook we produce: 宋体, thin borders, A4 set up for printing.

The township prints its tables; a sheet is A4 (portrait unless it is wide), fitted to one page
wide and as many pages long as it needs, with its header rows repeated on every page.
"""

from __future__ import annotations

import math
from copy import copy
from io import BytesIO

from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment
from openpyxl.styles import Border
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.styles import Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from .safety import put

FONT_NAME = "宋体"  # SimSun: the font of the township's own documents
BODY = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
SMALL = Font(name=FONT_NAME, size=10)
TITLE = Font(name=FONT_NAME, size=16, bold=True)
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E7ECF2")
WRAP = Alignment(wrap_text=True, vertical="center")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")

LINE_HEIGHT = 14.5  # points per line of 11-point 宋体
PAPER_A4 = 9  # the paper size code of xlsx (ECMA-376)
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6, "header": 0.3, "footer": 0.3}
FOOTER = "第 &P 页,共 &N 页"


def _styled(target, font, align, border: bool, fill, number_format) -> None:
    """Give `target` the style. openpyxl hashes every style object on each assignment, which
    dominates a large export, so each combination is built once per workbook and its style
    array copied to the other cells."""
    cache = target.parent.parent.__dict__.setdefault("_kaohe_styles", {})
    key = (id(font), id(align), border, id(fill), number_format)
    found = cache.get(key)
    if found is not None:
        target._style = copy(found[0])
        return
    if font is not None:
        target.font = font
    if align is not None:
        target.alignment = align
    if border:
        target.border = BOX
    if fill is not None:
        target.fill = fill
    if number_format:
        target.number_format = number_format
    # The objects are kept with the style so that their ids stay theirs while the cache lives.
    cache[key] = (copy(target._style), (font, align, fill))


def cell(
    ws: Worksheet,
    row: int,
    col: int,
    value,
    *,
    font=BODY,
    align=WRAP,
    border=True,
    fill=None,
    number_format=None,
):
    """Write one cell safely with the house style."""
    target = ws.cell(row=row, column=col)
    _styled(target, font, align, border, fill, number_format)
    return put(target, value)


def merge(ws: Worksheet, row: int, col: int, last_row: int, last_col: int, value, **style):
    """Write the top-left cell, box every cell of the range (borders of merged cells are drawn
    per cell), then merge."""
    first = cell(ws, row, col, value, **style)
    if (row, col) == (last_row, last_col):
        return first
    # ws.merge_cells() re-derives the range's borders with new style objects for every edge
    # cell, the slowest step of a large export; the placeholders are made here instead, boxed
    # like the rest of the table (openpyxl 3.1: what _clean_merge_range does, minus format()).
    ref = f"{get_column_letter(col)}{row}:{get_column_letter(last_col)}{last_row}"
    ws.merged_cells.add(MergedCellRange(ws, ref))
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            if (r, c) != (row, col):
                placeholder = MergedCell(ws, row=r, column=c)
                if style.get("border", True):
                    _styled(placeholder, None, None, True, None, None)
                ws._cells[(r, c)] = placeholder
    return first


def display_width(text) -> int:
    """Columns a text takes: a CJK character is two, anything else one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text or ""))


def lines_needed(text, width: float) -> int:
    """Printed lines of a wrapped text in a column `width` characters wide."""
    if text is None or text == "":
        return 1
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n"))


def fit_row(ws: Worksheet, row: int, texts_by_width: list[tuple[object, float]], minimum=1):
    """Set a row's height from its longest wrapped text. xlsx stores no automatic height that
    every reader honours, so the height is estimated from the column widths."""
    lines = max([minimum, *(lines_needed(t, w) for t, w in texts_by_width)])
    ws.row_dimensions[row].height = row_height(lines)


def row_height(lines: int) -> float:
    """Points of a row of `lines` wrapped lines, with a little air."""
    return round(lines * LINE_HEIGHT + 4, 1)


def set_widths(ws: Worksheet, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def print_setup(
    ws: Worksheet, *, title_rows: tuple[int, int] | None, landscape: bool = False
) -> None:
    """A4, one page wide, as many pages long as needed, header rows on every page."""
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = FONT_NAME
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"


def workbook_bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


INVALID_TITLE_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet title from `name`: no []:*?/\\ characters, at most 31 characters, unique
    among `taken` (case-insensitively, as Excel compares them), which it is added to."""
    base = (str(name).translate(INVALID_TITLE_CHARS).strip("' ") or "Sheet")[:31]
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title
