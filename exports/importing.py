"""Bringing an Excel file in: check it, read it, dry-run it, import it all or nothing.

- The upload is an .xlsx by its content (a zip that openpyxl opens, and whose directory declares
  no zip bomb: safety.check_archive, checked before openpyxl reads a byte), within
  settings.UPLOAD_MAX_BYTES and IMPORT_MAX_ROWS data rows; row 1 holds the column titles.
- A missing required column stops the whole file before any row is read.
- Each row is reported as new / updated (with the columns it changes) / unchanged (skipped) /
  the template's example (skipped) / error, with the Excel row number, the column and the reason.
- A confirmed import runs in one transaction and keeps nothing unless every row is valid
  (`rollback_on_validation_errors`, and our own rollback on any row error).
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from dataclasses import dataclass
from dataclasses import field
from io import BytesIO

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .resources import RESOURCES
from .resources import VILLAGE
from .resources import RecordResource
from .resources import example_row
from .safety import check_archive
from .widgets import _key
from .widgets import text_of

log = logging.getLogger(__name__)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
MAX_COLUMNS = 60

ERROR_TYPE = gettext_lazy(
    "只能导入 Excel 工作簿(.xlsx,按文件内容识别);请在 Excel 或 WPS 中另存为 .xlsx 后再上传。"
)
ERROR_OLD_XLS = gettext_lazy("这是旧版 Excel(.xls)文件,请另存为 .xlsx 后再上传。")
ERROR_SIZE = gettext_lazy("文件过大:%(size)s,上限为 %(limit)s。")
ERROR_EMPTY = gettext_lazy("文件中没有数据行(第1行应为列标题,从第2行起为数据)。")
ERROR_ROWS = gettext_lazy("数据超过 %(max)s 行,超过单次导入上限,请分成多个文件导入。")
ERROR_MISSING = gettext_lazy("缺少必需的列:%(cols)s。第1行应为列标题,可下载空白模板对照。")
ERROR_DUPLICATE = gettext_lazy("列标题重复:%(cols)s。")

# Titles other lists use for our columns (阳光信访 exports, hand-made sheets).
ALIASES = {
    "村(居)": VILLAGE, "村居": VILLAGE, "村": VILLAGE, "所属村": VILLAGE, "村名": VILLAGE,
    "问题属地": VILLAGE,
    "信访件编号": "信访编号", "件号": "信访编号", "信访件号": "信访编号",
    "登记时间": "登记日期", "信访日期": "登记日期", "来访日期": "登记日期",
    "信访人姓名": "信访人", "证件号码": "身份证号", "身份证号码": "身份证号",
    "信访方式": "信访形式", "诉求层级": "信访层级", "信访事项": "反映事项", "概况": "反映事项",
    "主要诉求": "反映事项", "问题概述": "反映事项", "集体访": "是否集体访", "信访人数": "人数",
    "人次": "人数", "及时稳控": "是否及时稳控",
    # The district's list (exports.district_import): the township of the row's village.
    "乡镇": "镇", "所属镇": "镇", "所属乡镇": "镇", "镇街": "镇", "乡镇(街道)": "镇",
    "镇(街道)": "镇",
}  # fmt: skip

STATUS_LABELS = {
    "new": gettext_lazy("新增"),
    "update": gettext_lazy("更新"),
    "skip": gettext_lazy("无变化,跳过"),
    "example": gettext_lazy("模板示例行,跳过"),
    "error": gettext_lazy("错误"),
}

SUMMARY_COLUMNS = {
    "petitions": ("信访编号", VILLAGE, "登记日期", "信访人"),
    "disputes": (VILLAGE, "发现日期", "当事人"),
    "patrols": (VILLAGE, "巡逻日期", "巡逻人员"),
    "meetings": (VILLAGE, "会议日期", "会议主题"),
    "survey_answers": (VILLAGE, "年度", "季度", "固定电话"),
    "people": ("姓名", "角色", "片", VILLAGE),
}


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 20000)


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple]
    excel_rows: list[int]
    ignored: list[str] = field(default_factory=list)
    examples: list[int] = field(default_factory=list)  # Excel rows equal to the example


@dataclass
class RowReport:
    excel_row: int
    status: str
    summary: str
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    changed: list[str] = field(default_factory=list)
    township: str = ""  # where the district's import sends the row ("" for a township's)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Outcome:
    kind: str
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    imported: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.status == "error" for row in self.rows)

    @property
    def error_rows(self) -> list[RowReport]:
        return [row for row in self.rows if row.status == "error"]


# --- The file --------------------------------------------------------------------------------


def check_upload(upload) -> bytes:
    """The uploaded file's bytes once it is an .xlsx within the size limit, else ValidationError."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            ERROR_SIZE % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            ERROR_SIZE % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)},
            code="too_large",
        )
    check_xlsx(data)
    return data


def check_xlsx(data: bytes) -> None:
    _open_xlsx(data).close()


def _open_xlsx(data: bytes):
    """The workbook (read-only, values) once the bytes are an .xlsx, else ValidationError."""
    if data.startswith(OLE_MAGIC):
        raise ValidationError(ERROR_OLD_XLS, code="xls")
    if not data.startswith(ZIP_MAGIC):
        raise ValidationError(ERROR_TYPE, code="type")
    check_archive(data)  # a zip bomb is refused from its directory, before openpyxl inflates it
    try:
        return openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ValidationError(ERROR_TYPE, code="type") from exc


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _header_map(resource_cls: type[RecordResource]) -> dict[str, str]:
    known = {_key(c): c for c in resource_cls.columns()}
    for alias, target in ALIASES.items():
        if target in resource_cls.columns():
            known.setdefault(_key(alias), target)
    return known


def _normalised(value) -> str:
    return text_of(value)


def read_table(data: bytes, resource_cls: type[RecordResource], township=None) -> Table:
    """The first worksheet as (our column titles, data rows). Unknown columns are ignored (and
    listed); empty rows are dropped; Excel row numbers are kept for the report."""
    # Opened once: opening reads every shared string, most of a large file's text.
    workbook = _open_xlsx(data)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header = next(rows, None)
        if header is None:
            raise ValidationError(ERROR_EMPTY, code="empty")
        known = _header_map(resource_cls)
        positions: list[tuple[int, str]] = []
        ignored, seen, duplicates = [], set(), []
        for index, title in enumerate(header):
            text = text_of(title)
            if not text:
                continue
            column = known.get(_key(text))
            if column is None:
                ignored.append(text)
            elif column in seen:
                duplicates.append(column)
            else:
                seen.add(column)
                positions.append((index, column))
        if duplicates:
            raise ValidationError(ERROR_DUPLICATE % {"cols": "、".join(duplicates)}, code="dup")
        missing = [c for c in resource_cls.required_columns() if c not in seen]
        if missing:
            raise ValidationError(ERROR_MISSING % {"cols": "、".join(missing)}, code="missing")
        example = (
            {k: _normalised(v) for k, v in example_row(resource_cls.kind, township).items()}
            if township is not None
            else None
        )
        table = Table(headers=[c for _i, c in positions], rows=[], excel_rows=[], ignored=ignored)
        limit = max_rows()
        for number, values in enumerate(rows, start=2):
            picked = tuple(values[i] if i < len(values) else None for i, _c in positions)
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in picked):
                continue
            if example and all(
                _normalised(v) == example.get(c, "")
                for v, (_i, c) in zip(picked, positions, strict=True)
            ):
                table.examples.append(number)
                continue
            if len(table.rows) >= limit:
                raise ValidationError(ERROR_ROWS % {"max": limit}, code="rows")
            table.rows.append(picked)
            table.excel_rows.append(number)
        if not table.rows and not table.examples:
            raise ValidationError(ERROR_EMPTY, code="empty")
        return table
    finally:
        workbook.close()


# --- The import ----------------------------------------------------------------------------------


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(error)]


def _row_errors(resource: RecordResource, row_result) -> list[tuple[str, str]]:
    found = []
    error = row_result.validation_error
    if error is not None:
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                for message in errors:
                    found.extend((resource.column_of(key), m) for m in _messages(message))
        else:
            found.extend(("", m) for m in _messages(error))
    for problem in row_result.errors:
        log.warning("import row failed: %r", problem.error)
        found.append(("", f"{type(problem.error).__name__}: {problem.error}"[:300]))
    return found


def _changed(resource: RecordResource, row_result) -> list[str]:
    original, instance = row_result.original, row_result.instance
    if original is None or instance is None:
        return []
    return [
        f.column_name
        for f in resource.get_import_fields()
        if f.attribute and f.get_value(original) != f.get_value(instance)
    ]


def _summary(kind: str, headers: list[str], values: tuple) -> str:
    row = dict(zip(headers, values, strict=True))
    parts = [text_of(row.get(c)) for c in SUMMARY_COLUMNS.get(kind, headers[:3]) if c in row]
    return " · ".join(p for p in parts if p)


STATUS_OF = {"new": "new", "update": "update", "skip": "skip", "invalid": "error", "error": "error"}


def import_reason(filename: str) -> str:
    """The reason every history row of an import gives."""
    return _("导入 %(f)s") % {"f": filename}


def run_import(kind: str, data: bytes, *, township, user, filename: str, dry_run: bool) -> Outcome:
    """Dry-run (`dry_run=True`: everything is done, checked and rolled back) or import the
    file, all rows or none."""
    resource_cls = RESOURCES[kind]
    return run_resource(
        resource_cls,
        lambda: resource_cls(township=township, user=user, reason=import_reason(filename)),
        data,
        example_township=township,
        dry_run=dry_run,
    )


def run_resource(
    resource_cls: type[RecordResource],
    make_resource,
    data: bytes,
    *,
    example_township,
    dry_run: bool,
) -> Outcome:
    """run_import with the resource made by `make_resource()` once the file has been read (a
    township's, or the district's: exports.district_import); `example_township`'s template
    example row is skipped (None: no template, nothing skipped)."""
    kind = resource_cls.kind
    outcome = Outcome(kind=kind)
    try:
        table = read_table(data, resource_cls, example_township)
    except ValidationError as exc:
        outcome.file_errors = _messages(exc)
        return outcome
    outcome.ignored = table.ignored
    resource = make_resource()
    dataset = tablib.Dataset(*table.rows, headers=table.headers)
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        outcome.file_errors = [str(e.error) for e in result.base_errors]
        if outcome.file_errors:
            transaction.set_rollback(True)
            return outcome
        for number, values, row_result in zip(
            table.excel_rows, table.rows, result.rows, strict=True
        ):
            status = STATUS_OF.get(row_result.import_type, "error")
            report = RowReport(
                number,
                status,
                _summary(kind, table.headers, values),
                township=resource.township_of_row(table.headers, values),
            )
            if status == "error":
                report.errors = _row_errors(resource, row_result) or [("", _("无法导入该行。"))]
            elif status == "update":
                report.changed = _changed(resource, row_result)
            outcome.rows.append(report)
        outcome.rows += [
            RowReport(number, "example", _("模板中的示例行")) for number in table.examples
        ]
        outcome.rows.sort(key=lambda r: r.excel_row)
        if dry_run or not outcome.ok:
            transaction.set_rollback(True)
        else:
            outcome.imported = True
    return outcome
