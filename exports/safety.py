"""Every value we write into a workbook goes through here, so a text can never become a formula.

A village name or a petition's matter typed as "=HYPERLINK(...)" must come back as that text
(STACK-NOTES: django-import-export writes "=..." as a live formula, and its own escape setting
mangles the text). Text is stored as a string cell (data type "s"); a formula-like one also gets
Excel's quotePrefix style, so editing the cell in Excel keeps it text. Nothing is prefixed: the
cell shows exactly the original characters.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What Excel, LibreOffice and CSV importers may read as the start of a formula or a DDE call.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767


def is_formula_like(text: str) -> bool:
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def safe_cell(value):
    """The value a cell may hold: numbers and dates as such, everything else as plain text.

    Booleans read 是/否; aware datetimes are written in the township's time (xlsx has no zone);
    control characters xlsx cannot hold are dropped, and a CR is written as the LF xlsx keeps.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (date, time)):
        return value
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        value = str(value)
    # XML stores a line end as LF whatever it was; say so rather than let the reader change it.
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]


def put(cell, value):
    """Write `value` into `cell` safely (see the module docstring); returns the cell."""
    value = safe_cell(value)
    cell.value = value
    if isinstance(value, str):
        # openpyxl turns "=..." into a formula and "#N/A" into an error: a text stays a text.
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell
