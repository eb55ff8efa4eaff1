"""Every value we write into a workbook goes through here, so a text can never become a formula;
and every workbook we are sent passes `check_archive` before anything inflates it.

A village name or a petition's matter typed as "=HYPERLINK(...)" must come back as that text
(docs/stack.md: django-import-export writes "=..." as a live formula, and its own escape setting
mangles the text). Text is stored as a string cell (data type "s"); a formula-like one also gets
Excel's quotePrefix style, so editing the cell in Excel keeps it text. Nothing is prefixed: the
cell shows exactly the original characters.
"""

from __future__ import annotations

import zipfile
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
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


# --- Uploaded workbooks: refuse a zip bomb before anything decompresses it ----------------------

# An .xlsx is a zip. Its central directory declares each member's uncompressed size, and Python's
# zipfile never yields more than that (a member that lies fails its CRC check), so checking the
# declared sizes bounds what openpyxl can be made to inflate. Measured on a legitimate import at
# the row limit (20,000 petitions): 18 MB of sheet XML, ratio 11, 9 members.
MAX_MEMBERS = 1000
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # a small member may compress well without being a bomb

ERROR_ARCHIVE_MEMBERS = gettext_lazy(
    "该工作簿包含 %(n)s 个内部文件,超过上限 %(max)s 个,不像正常的 Excel 文件,已拒绝。"
)
ERROR_ARCHIVE_SIZE = gettext_lazy(
    "该工作簿解压后有 %(size)s,超过上限 %(limit)s,已拒绝;请删除多余的工作表或分成多个文件。"
)
ERROR_ARCHIVE_RATIO = gettext_lazy(
    "该工作簿的压缩比异常(%(ratio)s 倍,上限 %(max)s 倍),可能是恶意文件,已拒绝。"
)


def check_archive(data: bytes) -> None:
    """Refuse an .xlsx whose zip declares too many members, too many bytes once inflated, or a
    member compressed too well to be a worksheet; reads only the central directory.

    A file that is not a readable zip is left to the caller's own type check.
    """
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(members) > MAX_MEMBERS:
        raise ValidationError(
            ERROR_ARCHIVE_MEMBERS % {"n": len(members), "max": MAX_MEMBERS},
            code="archive_members",
        )
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise ValidationError(
            ERROR_ARCHIVE_SIZE
            % {"size": filesizeformat(total), "limit": filesizeformat(MAX_UNCOMPRESSED)},
            code="archive_size",
        )
    for member in members:
        if member.file_size <= RATIO_FLOOR:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_RATIO:
            raise ValidationError(
                ERROR_ARCHIVE_RATIO % {"ratio": int(ratio), "max": MAX_RATIO},
                code="archive_ratio",
            )
