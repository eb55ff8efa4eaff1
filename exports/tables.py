"""Plain tables as print-ready workbooks: the ranking, and any list another app hands over.

`write_table(title, headers, rows)` is the hook the rewards app calls for its settlements
(rows of dicts); the ranking export is built on it, so both print the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook

from assessment import selectors

from . import styles
from .periods import MONTH
from .periods import QUARTER
from .periods import Span

Header = str | tuple[str, str]  # a label (also the rows' key), or (key, label)


def _columns(headers: Sequence[Header]) -> list[tuple[str, str]]:
    return [(h, h) if isinstance(h, str) else (str(h[0]), str(h[1])) for h in headers]


def _width(label: str, values: list) -> float:
    widest = max([styles.display_width(label), *(styles.display_width(v) for v in values)])
    return float(min(max(widest + 2, 6), 50))


def write_table(
    title: str,
    headers: Sequence[Header],
    rows: Iterable[Mapping],
    *,
    subtitle: str = "",
    notes: Sequence[str] = (),
    signature: str = "制表:                    审核:                    日期:",
    workbook: Workbook | None = None,
    sheet_title: str | None = None,
) -> Workbook:
    """A titled, bordered table on A4, one page wide, its header repeated on every page.

    `headers` name the columns (a label that is also the key of each row dict, or a
    (key, label) pair); a key a row lacks leaves the cell empty. Every value goes through
    `safety.safe_cell`, so a text is never a formula. Returns the workbook (a new one unless
    `workbook` is given, to which a sheet is added).
    """
    columns = _columns(headers)
    rows = list(rows)
    if workbook is None:
        workbook = Workbook()
        ws = workbook.active
        ws.title = styles.sheet_title(sheet_title or title, set())
    else:
        taken = {s.title.lower() for s in workbook.worksheets}
        ws = workbook.create_sheet(styles.sheet_title(sheet_title or title, taken))
    last = max(len(columns), 1)
    widths = [_width(label, [row.get(key) for row in rows[:500]]) for key, label in columns]
    styles.set_widths(ws, widths)

    styles.merge(ws, 1, 1, 1, last, title, font=styles.TITLE, align=styles.CENTRE, border=False)
    ws.row_dimensions[1].height = 30
    header_row = 2
    if subtitle:
        styles.merge(ws, 2, 1, 2, last, subtitle, align=styles.LEFT, border=False)
        header_row = 3
    for col, (_key, label) in enumerate(columns, start=1):
        styles.cell(
            ws,
            header_row,
            col,
            label,
            font=styles.BOLD,
            align=styles.CENTRE,
            fill=styles.HEADER_FILL,
        )
    styles.fit_row(
        ws, header_row, [(label, w) for (_k, label), w in zip(columns, widths, strict=True)]
    )
    row = header_row + 1
    for data in rows:
        for col, (key, _label) in enumerate(columns, start=1):
            value = data.get(key)
            align = styles.RIGHT if isinstance(value, (int, float, Decimal)) else styles.WRAP
            styles.cell(ws, row, col, value, align=align)
        styles.fit_row(
            ws, row, [(data.get(k), w) for (k, _l), w in zip(columns, widths, strict=True)]
        )
        row += 1
    row += 1
    for text in notes:
        styles.merge(
            ws, row, 1, row, last, text, font=styles.SMALL, align=styles.LEFT, border=False
        )
        styles.fit_row(ws, row, [(text, sum(widths) or 20)])
        row += 1
    if signature:
        row += 1
        styles.merge(ws, row, 1, row, last, signature, align=styles.LEFT, border=False)
        ws.row_dimensions[row].height = 30
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    styles.print_setup(ws, title_rows=(1, header_row), landscape=sum(widths) > 110)
    workbook.properties.creator = "kaohe"
    return workbook


# --- The ranking -------------------------------------------------------------------------------

RANKING_HEADERS = [
    ("rank", "名次"),
    ("village", "村(居)"),
    ("area", "片"),
    ("score", "得分"),
    ("previous_rank", "上月名次"),
    ("vetoes", "一票否决"),
    ("state", "状态"),
    ("provisional", "暂定原因"),
]


def ranking_rows(township_id: int, span: Span) -> list:
    """The ranking the pages show (selectors), for the span."""
    if span.kind == MONTH:
        return selectors.month_ranking(township_id, span.year, span.month)
    if span.kind == QUARTER:
        return selectors.quarter_ranking(township_id, span.year, span.quarter)
    return selectors.year_ranking(township_id, span.year)


def ranking_workbook(township, span: Span) -> Workbook:
    """名次 shared by ties (1, 2, 2, 4), vetoes with their reasons, provisional marks."""
    ranked = ranking_rows(township.pk, span)
    headers = [h for h in RANKING_HEADERS if span.kind == MONTH or h[0] != "previous_rank"]
    rows = [
        {
            "rank": r.rank,
            "village": r.village.name,
            "area": r.village.area.name if r.village.area_id else "",
            "score": r.score,
            "previous_rank": r.previous_rank,
            "vetoes": ";".join(reason for _cause, reason in r.vetoes),
            "state": "暂定" if r.provisional_reasons else "确定",
            "provisional": ";".join(r.provisional_reasons),
        }
        for r in ranked
    ]
    notes = ["注:得分相同者名次并列(如1、2、2、4)。"]
    if span.kind != MONTH:
        notes.append(f"{span.label}得分为各月得分的平均数;一票否决只作用于年度得分(计0分)。")
    if not rows:
        notes.insert(0, "该期间尚无评分。")
    return write_table(
        f"{township.name}综治及信访工作考核排名",
        headers,
        rows,
        subtitle=f"考核期间:{span.label}",
        notes=notes,
        sheet_title="排名",
    )
