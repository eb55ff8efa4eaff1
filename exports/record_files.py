"""The files around an import: a blank template per kind, and the township's records of a kind
in the same layout (so an exported file can be corrected and imported again)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import styles
from .resources import RESOURCES
from .resources import example_row
from .widgets import Choice
from .widgets import YesNo

EXAMPLE_FONT = Font(name=styles.FONT_NAME, size=11, italic=True, color="808080")
REQUIRED_FONT = Font(name=styles.FONT_NAME, size=11, bold=True, color="C00000")


def _data_sheet(ws, resource_cls, rows: list[list], *, example: bool) -> None:
    columns = resource_cls.columns()
    required = set(resource_cls.required_columns())
    for col, name in enumerate(columns, start=1):
        styles.cell(
            ws,
            1,
            col,
            name,
            font=REQUIRED_FONT if name in required else styles.BOLD,
            align=styles.CENTRE,
            fill=styles.HEADER_FILL,
        )
    for r, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            target = styles.cell(ws, r, col, value, align=styles.WRAP_TOP)
            if example:
                target.font = EXAMPLE_FONT
    widths = []
    for col, name in enumerate(columns, start=1):
        sample = [styles.display_width(v) for row in rows[:200] for v in row[col - 1 : col]]
        widths.append(min(max([styles.display_width(name) + 4, *sample, 8]) + 2, 40))
    styles.set_widths(ws, widths)
    ws.freeze_panes = "A2"
    styles.print_setup(ws, title_rows=(1, 1), landscape=True)


def _validations(ws, resource_cls) -> None:
    """Drop-down lists for the columns with fixed values (Excel shows them; WPS too)."""
    for col, field in enumerate(resource_cls.ordered_fields(), start=1):
        widget = field.widget
        if isinstance(widget, Choice):
            values = widget.labels
        elif isinstance(widget, YesNo):
            values = ["是", "否"]
        else:
            continue
        formula = '"' + ",".join(values) + '"'
        if len(formula) > 255 or any("," in v for v in values):
            continue
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        check.error = "请从下拉列表中选择"
        check.showErrorMessage = False  # synonyms (进京, 来访 ...) are accepted too
        letter = get_column_letter(col)
        check.add(f"{letter}2:{letter}5000")
        ws.add_data_validation(check)


def template_workbook(kind: str, township) -> Workbook:
    """Headers (required ones in red), one example row in grey, and a sheet of notes."""
    resource_cls = RESOURCES[kind]
    workbook = Workbook()
    ws = workbook.active
    ws.title = "导入数据"
    example = example_row(kind, township)
    _data_sheet(ws, resource_cls, [[example.get(c) for c in resource_cls.columns()]], example=True)
    _validations(ws, resource_cls)

    notes = workbook.create_sheet("填写说明")
    required = set(resource_cls.required_columns())
    styles.set_widths(notes, [22, 10, 90])
    styles.merge(
        notes, 1, 1, 1, 3, f"{resource_cls.title}导入模板 填写说明",
        font=styles.TITLE, align=styles.CENTRE, border=False,
    )  # fmt: skip
    lines = [
        "第1行为列标题,请勿修改;从第2行起每行一条记录。灰色斜体的第2行是示例,可直接覆盖;原样保留时导入会跳过它。",
        "红色列标题为必填列;其余列可以整列删除,删除的列在更新已有记录时保持原值。",
        "同一文件重复导入不会重复创建记录:已有记录按识别列找到后更新,内容相同的行跳过。",
        "导入前先预览:每行显示新增、更新、跳过或错误;只要有一行错误,整个文件都不会导入。",
    ]
    for n, text in enumerate(lines, start=2):
        styles.merge(notes, n, 1, n, 3, text, align=styles.LEFT, border=False)
    header = len(lines) + 3
    for col, label in enumerate(["列名", "是否必填", "填写说明"], start=1):
        styles.cell(notes, header, col, label, font=styles.BOLD, fill=styles.HEADER_FILL)
    for n, name in enumerate(resource_cls.columns(), start=header + 1):
        styles.cell(notes, n, 1, name)
        styles.cell(notes, n, 2, "必填" if name in required else "可选", align=styles.CENTRE)
        text = str(resource_cls.notes.get(name, ""))
        styles.cell(notes, n, 3, text)
        styles.fit_row(notes, n, [(text, 90)])
    styles.print_setup(notes, title_rows=None)
    workbook.properties.creator = "kaohe"
    return workbook


def records_workbook(kind: str, township, year: int | None = None) -> Workbook:
    """The township's records of a kind, one per row, in the import layout."""
    resource = RESOURCES[kind](township=township)
    dataset = resource.export(resource.export_queryset(year))
    workbook = Workbook()
    ws = workbook.active
    ws.title = str(resource.title)[:31]
    _data_sheet(ws, type(resource), [list(row) for row in dataset], example=False)
    workbook.properties.creator = "kaohe"
    return workbook
