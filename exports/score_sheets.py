"""The township's 考核评分表 as a workbook, filled from the stored score sheets.

Layout of the original table (seed document, "xx镇综治及信访工作考核评分表"): a title, the unit and
period, then 考核内容 (the section, merged over its items) / 考核重点 / 分值 / 扣分因素 / 得分, the
五 加减分 rows, and the signature line. Added below it, because a printed sheet must explain
itself: the 一票否决 row, the 总分 row, and a 扣分明细 listing every line with its records.

Decisions:
- A month prints its stored sheet as it is (figures, lines and total are the sheet's own).
- A quarter or a year prints each item's and each 加减分's mean over the months that have a
  sheet (rounded half-up to 0.01), and every month's lines, labelled with their month. Its 总分
  is the official period score (engine: the mean of the monthly totals, rounded as the rubric
  says; a year's is 0 when vetoed); the rounded item means may differ from it by 0.01, which the
  sheet's note says. Vetoes are listed for every period; they zero only the annual score.
- A village with no sheet in the period gets no worksheet (nothing is invented).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from assessment import rubrics
from assessment import selectors
from assessment.models import ScoreLine
from assessment.models import ScoreSheet
from assessment.scoring import engine
from assessment.services import gc_paused
from assessment.sheets import sheet_from_row
from villages.models import Township
from villages.models import Village
from villages.selectors import assessed_months

from . import styles
from .criteria import VETO_TEXT
from .criteria import criteria_for
from .periods import MONTH
from .periods import QUARTER
from .periods import Span
from .writer import Book
from .writer import Sheet

ZERO = Decimal(0)
CENT = Decimal("0.01")

# RecordRef kinds (assessment/links.py) in the township's words.
REF_LABELS = {
    "petition": "信访事件",
    "reception": "来访接待登记",
    "baobao": "包保登记",
    "dispute": "矛盾纠纷",
    "report": "排查报告",
    "dossier": "化解卷宗",
    "case": "交办件",
    "backlog": "信访积案",
    "inspection": "综治中心检查",
    "special_person": "重点人员",
    "zero_report": "零报告",
    "group": "领导小组",
    "patrol": "巡逻记录",
    "meeting": "村会议",
    "attendance": "镇综治会议",
    "survey": "满意度调查",
    "adjustment": "加减分事件",
}
SECTION_NUMERALS = "一二三四五六七八九十"


# The rows of a sheet are named tuples, not frozen dataclasses: a township's month makes some
# 25,000 of them, and a frozen dataclass's __init__ sets each field through object.__setattr__.
class ItemRow(NamedTuple):
    code: str
    section: str
    title: str
    points: Decimal
    score: Decimal
    criteria: str


class AdjustmentRow(NamedTuple):
    code: str
    title: str
    criteria: str
    points: Decimal


class LineRow(NamedTuple):
    month: int
    item_code: str
    label: str  # as the printed table numbers it: "1.2", or "五.5" for a 加减分 line
    points: Decimal
    reason: str
    refs: str
    note: str


@dataclass
class PeriodSheet:
    """One village's 评分表 for a span, as plain data (the writer knows no database)."""

    township: str
    village: str
    area: str
    span: Span
    version_code: str
    version_name: str
    sections: list[tuple[str, str, Decimal, Decimal]]  # code, title, points, score
    items: list[ItemRow]
    adjustments: list[AdjustmentRow]
    lines: list[LineRow]
    total: Decimal
    computed: Decimal
    vetoes: list[str] = field(default_factory=list)
    provisional_reasons: list[str] = field(default_factory=list)
    month_totals: list[tuple[int, Decimal]] = field(default_factory=list)

    @property
    def base_points(self) -> Decimal:
        return sum((points for _c, _t, points, _s in self.sections), ZERO)

    @property
    def deductions(self) -> Decimal:
        return sum((i.points - i.score for i in self.items), ZERO)

    @property
    def adjustments_total(self) -> Decimal:
        return sum((a.points for a in self.adjustments), ZERO)


def _adjustment_numeral(sections: int) -> str:
    """五 when the rubric has four sections: 加减分 is the next one."""
    return SECTION_NUMERALS[sections] if sections < len(SECTION_NUMERALS) else "加减分"


def _mean(values: list[Decimal], count: int) -> Decimal:
    if count == 1:
        return values[0] if values else ZERO
    return (sum(values, ZERO) / count).quantize(CENT, ROUND_HALF_UP)


def _refs_text(refs) -> str:
    return "、".join(f"{REF_LABELS.get(kind, kind)}#{pk}" for kind, pk in refs)


def _note(waived: bool, raw_points) -> str:
    if waived:
        return f"经申诉核减(原{styles_number(raw_points)}分)"
    if raw_points is not None:
        return f"扣完为止(原{styles_number(raw_points)}分)"
    return ""


def styles_number(value) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


@lru_cache(maxsize=1024)
def _criteria_text(version_code: str, spec_json: str) -> str:
    return criteria_for(version_code, json.loads(spec_json))


def _criteria(version_code: str, spec: dict) -> str:
    """`criteria_for`, once per rubric entry rather than once per village: the same entry
    prints the same words on each of a township's sheets."""
    return _criteria_text(version_code, json.dumps(spec, sort_keys=True, default=str))


@dataclass(frozen=True)
class _Rubric:
    """A rubric version as its sheets print it, worked out once per export, not per village."""

    items: dict[str, dict]  # spec by code
    adjustments: list[dict]
    item_words: dict[str, str]  # `criteria_for` of each item, by code
    adjustment_words: dict[str, str]  # and of each adjustment

    @classmethod
    def of(cls, version) -> _Rubric:
        rubric = rubrics.rubric_dict_of(version)
        return cls(
            items={i["code"]: i for i in rubric["items"]},
            adjustments=rubric["adjustments"],
            item_words={i["code"]: _criteria(version.code, i) for i in rubric["items"]},
            adjustment_words={a["code"]: _criteria(version.code, a) for a in rubric["adjustments"]},
        )

    def item_criteria(self, version_code: str, code: str, title: str) -> str:
        found = self.item_words.get(code)
        if found is None:  # an item the version no longer names: as `criteria_for` words it
            found = _criteria(version_code, {"code": code, "title": title})
        return found


# What _build reads of a ScoreLine (values_list, in this order): no model instance per line.
LINE_FIELDS = ("sheet_id", "item_code", "points", "reason", "refs", "waived", "raw_points")


def _build(
    village: Village,
    span: Span,
    rows: list[ScoreSheet],
    official,
    township_name: str,
    rubric: _Rubric,
    lines_of: dict[int, list[tuple]],
) -> PeriodSheet:
    """`rows`: the village's stored sheets of the span, by month; `official`: the engine's
    PeriodScore for a quarter or year (None for a month); `rubric`: the rows' version;
    `lines_of`: each sheet's lines (LINE_FIELDS), by sheet and position."""
    first = rows[0]
    version = first.version
    count = len(rows)
    adjustment_specs = rubric.adjustments
    numeral = _adjustment_numeral(len(first.sections))
    labels = {spec["code"]: f"{numeral}.{n}" for n, spec in enumerate(adjustment_specs, start=1)}

    item_scores: dict[str, list[Decimal]] = defaultdict(list)
    section_scores: dict[str, list[Decimal]] = defaultdict(list)
    line_sums: dict[str, list[Decimal]] = defaultdict(list)
    lines: list[LineRow] = []
    for row in rows:
        for code, _section, _title, _points, score, _raw in row.items:
            item_scores[code].append(Decimal(score))
        for code, _title, _points, score in row.sections:
            section_scores[code].append(Decimal(score))
        per_code: dict[str, Decimal] = defaultdict(Decimal)
        for _sheet, code, points, reason, refs, waived, raw_points in lines_of.get(row.pk, ()):
            per_code[code] += points
            lines.append(
                LineRow(
                    month=row.month,
                    item_code=code,
                    label=labels.get(code, code),
                    points=points,
                    reason=reason,
                    refs=_refs_text(refs),
                    note=_note(waived, raw_points),
                )
            )
        for code, points in per_code.items():
            line_sums[code].append(points)

    items = [
        ItemRow(
            code=code,
            section=section,
            title=title,
            points=Decimal(points),
            score=_mean(item_scores[code], count),
            criteria=rubric.item_criteria(version.code, code, title),
        )
        for code, section, title, points, _score, _raw in first.items
    ]
    item_codes = {i.code for i in items}
    adjustments = [
        AdjustmentRow(
            code=spec["code"],
            title=spec["title"],
            criteria=rubric.adjustment_words[spec["code"]],
            points=_mean(line_sums.get(spec["code"], []), count),
        )
        for spec in adjustment_specs
    ]
    # A line of a code the version no longer names still counted: show it rather than lose it.
    known = item_codes | {a.code for a in adjustments}
    for code in sorted(set(line_sums) - known):
        adjustments.append(AdjustmentRow(code, code, "", _mean(line_sums[code], count)))
    sections = [
        (code, title, Decimal(points), _mean(section_scores[code], count))
        for code, title, points, _score in first.sections
    ]
    if official is None:
        total = computed = first.total
        vetoes = [reason for _cause, reason, _refs in first.vetoes]
        provisional = list(first.provisional_reasons)
    else:
        total, computed = official.score, official.computed
        vetoes = list(dict.fromkeys(v.reason for v in official.vetoes))
        provisional = list(official.provisional_reasons)
    return PeriodSheet(
        township=township_name,
        village=village.name,
        area=village.area.name if village.area_id else "",
        span=span,
        version_code=version.code,
        version_name=rubrics.version_title(version.name, township_name),
        sections=sections,
        items=items,
        adjustments=adjustments,
        lines=lines,
        total=total,
        computed=computed,
        vetoes=vetoes,
        provisional_reasons=provisional,
        month_totals=[(row.month, row.total) for row in rows] if span.kind != MONTH else [],
    )


# A township's month is some 40,000 rows, tuples and decimals read and built, in no cycle: the
# cyclic collector would walk them again and again (some 15% of the reading).
@gc_paused()
def period_sheets(
    township_id: int, span: Span, village_ids: Iterable[int] | None = None
) -> list[PeriodSheet]:
    """The 评分表 data of the township's villages (or of `village_ids`) for the span, in the
    ranking pages' village order, in a fixed number of queries."""
    township = Township.objects.get(pk=township_id)
    villages = Village.objects.filter(township_id=township_id, is_active=True)
    if village_ids is not None:
        villages = Village.objects.filter(township_id=township_id, pk__in=list(village_ids))
    villages = {v.pk: v for v in villages.select_related("area").order_by("area__name", "name")}
    stored = (
        ScoreSheet.objects.filter(village_id__in=villages, year=span.year, month__in=span.months)
        .select_related("version")
        .order_by("month")
    )
    by_village: dict[int, list[ScoreSheet]] = defaultdict(list)
    for row in stored:
        by_village[row.village_id].append(row)
    # The lines as plain tuples: a township's month is some 3,600 of them, and a model instance
    # each (with the prefetch's bookkeeping) cost more than the rest of the reading.
    lines_of: dict[int, list[tuple]] = defaultdict(list)
    sheet_ids = [row.pk for rows in by_village.values() for row in rows]
    for line in (
        ScoreLine.objects.filter(sheet_id__in=sheet_ids)
        .order_by("sheet_id", "position")
        .values_list(*LINE_FIELDS)
    ):
        lines_of[line[0]].append(line)
    official: dict[int, object] = {}
    if span.kind == QUARTER and by_village:
        rubric = rubrics.rubric_of(rubrics.version_for_year(township_id, span.year))
        expected = assessed_months(township_id, span.year)  # a village set up mid-quarter
        official = {
            pk: engine.quarter_score(
                rubric,
                pk,
                span.year,
                span.quarter,
                [sheet_from_row(r, ()) for r in rows],
                expected.get(pk),
            )
            for pk, rows in by_village.items()
        }
    elif span.kind != MONTH and by_village:
        official = selectors.annual_scores(township_id, span.year)
    versions = {row.version_id: row.version for rows in by_village.values() for row in rows}
    rubric_of = {pk: _Rubric.of(version) for pk, version in versions.items()}
    return [
        _build(
            village,
            span,
            by_village[pk],
            official.get(pk),
            township.name,
            rubric_of[by_village[pk][0].version_id],
            lines_of,
        )
        for pk, village in villages.items()
        if by_village.get(pk) and (span.kind == MONTH or pk in official)
    ]


# --- Writing -----------------------------------------------------------------------------------

WIDTHS = [20, 34, 7, 44, 11]  # 考核内容 / 考核重点 / 分值 / 扣分因素 / 得分
SIGNATURE = "考核组长:                    成员:                              日期:"
HEADERS = ["考核内容", "考核重点", "分值", "扣分因素", "得分"]
DETAIL_HEADERS = ["条目", "原因", "分数", "依据记录", "备注"]
SIGNED = "+0.##;-0.##;0"


def _section_label(code: str, title: str, points: Decimal) -> str:
    return f"{title}({styles_number(points)}分)"


def _draw_title(ws: Sheet, row: int, township: str) -> int:
    merge = ws.merge
    merge(
        row,
        1,
        row,
        5,
        f"{township}综治及信访工作考核评分表",
        font=styles.TITLE,
        align=styles.CENTRE,
        border=False,
    )
    ws.height(row, 30)
    return row + 1


def _draw_headers(ws: Sheet, row: int, headers: list[str]) -> int:
    for col, header in enumerate(headers, start=1):
        ws.cell(row, col, header, font=styles.BOLD, align=styles.CENTRE, fill=styles.HEADER_FILL)
    return row + 1


def _sections(data: PeriodSheet) -> list[tuple[str, list[ItemRow]]]:
    """The sections that have items, each with its items, in the table's order."""
    sections = []
    for code, title, points, _score in data.sections:
        members = [i for i in data.items if i.section == code]
        if members:
            sections.append((_section_label(code, title, points), members))
    return sections


def _layout(data: PeriodSheet) -> tuple:
    """What the rubric part of a sheet shows but its scores: the same for every village whose
    sheets share the rubric's words."""
    return (
        tuple((code, title, points) for code, title, points, _score in data.sections),
        tuple((i.code, i.section, i.title, i.points, i.criteria) for i in data.items),
        tuple((a.title, a.criteria) for a in data.adjustments),
    )


def _draw_rubric(ws: Sheet, row: int, data: PeriodSheet) -> int:
    """The sections, items and 加减分 rows without their scores (column 5)."""
    c, merge = ws.cell, ws.merge
    for label, members in _sections(data):
        merge(row, 1, row + len(members) - 1, 1, label, align=styles.CENTRE)
        for item in members:
            c(row, 2, item.title)
            c(row, 3, item.points, align=styles.CENTRE)
            c(row, 4, item.criteria)
            span_text = label if len(members) == 1 else ""
            ws.fit_row(
                row,
                [(item.title, WIDTHS[1]), (item.criteria, WIDTHS[3]), (span_text, WIDTHS[0])],
            )
            row += 1

    if data.adjustments:
        numeral = SECTION_NUMERALS[len(data.sections)] if len(data.sections) < 10 else ""
        merge(
            row,
            1,
            row + len(data.adjustments) - 1,
            1,
            f"{numeral}、加减分",
            align=styles.CENTRE,
        )
        for n, adj in enumerate(data.adjustments, start=1):
            c(row, 2, f"{n}、{adj.title}")
            c(row, 3, None)
            c(row, 4, adj.criteria)
            ws.fit_row(row, [(adj.title, WIDTHS[1] - 3), (adj.criteria, WIDTHS[3])])
            row += 1
    return row


def _draw_detail_headers(ws: Sheet, row: int) -> int:
    ws.merge(
        row,
        1,
        row,
        5,
        "扣分明细",
        font=styles.BOLD,
        align=styles.CENTRE,
        fill=styles.HEADER_FILL,
    )
    return _draw_headers(ws, row + 1, DETAIL_HEADERS)


def _draw_notes(ws: Sheet, row: int, notes: list[str]) -> int:
    """The notes, a blank row, and the signature line; returns the signature's row."""
    for text in notes:
        ws.merge(row, 1, row, 5, text, font=styles.SMALL, align=styles.LEFT, border=False)
        ws.fit_row(row, [(text, sum(WIDTHS) * 1.1)])
        row += 1
    row += 1
    ws.merge(row, 1, row, 5, SIGNATURE, align=styles.LEFT, border=False)
    ws.height(row, 32)
    return row + 1


def write_score_sheet(ws: Sheet, data: PeriodSheet) -> None:
    """Lay the 评分表 out on worksheet `ws` (see the module docstring).

    What is the same on every village's sheet (the title, the rubric's rows but their scores,
    the headers, the notes) is drawn once per workbook and stamped (`Sheet.stamp`); a township's
    month is 1,000 sheets of some 180 cells, most of them the rubric's."""
    c, merge = ws.cell, ws.merge
    ws.set_widths(WIDTHS)
    ws.stamp(("title", data.township), 1, lambda s, r: _draw_title(s, r, data.township))
    state = "(暂定)" if data.provisional_reasons else ""
    unit = f"单位:{data.village}" + (f"({data.area})" if data.area else "")
    merge(2, 1, 2, 2, unit, align=styles.LEFT, border=False)
    merge(2, 3, 2, 5, f"考核期间:{data.span.label}{state}", align=styles.LEFT, border=False)
    ws.height(2, 20)
    ws.stamp("headers", 3, lambda s, r: _draw_headers(s, r, HEADERS))
    ws.height(3, 20)

    row = 4
    end = ws.stamp(("rubric", _layout(data)), row, lambda s, r: _draw_rubric(s, r, data))
    for _label, members in _sections(data):
        for item in members:
            c(row, 5, item.score, font=styles.BOLD, align=styles.CENTRE)
            row += 1
    for adj in data.adjustments:
        c(row, 5, adj.points, font=styles.BOLD, align=styles.CENTRE, number_format=SIGNED)
        row += 1
    row = end

    veto_text = ";".join(data.vetoes) if data.vetoes else "无"
    c(row, 1, "一票否决", font=styles.BOLD, align=styles.CENTRE)
    merge(
        row,
        2,
        row,
        4,
        veto_text + ("(否决作用于年度得分)" if data.vetoes and data.span.kind != "year" else ""),
    )
    c(row, 5, "否决" if data.vetoes else "—", font=styles.BOLD, align=styles.CENTRE)
    ws.fit_row(row, [(veto_text, sum(WIDTHS[1:4]))])
    row += 1

    summary = (
        f"基础分{styles_number(data.base_points)},扣分{styles_number(data.deductions)},"
        f"加减分{'+' if data.adjustments_total >= 0 else ''}{styles_number(data.adjustments_total)}"
    )
    if data.span.kind != MONTH:
        summary = f"{data.span.label}得分为各月得分的平均数;" + summary
    if data.total != data.computed:
        summary += f";计算得分{styles_number(data.computed)},因一票否决计0分"
    c(row, 1, "总分", font=styles.BOLD, align=styles.CENTRE)
    merge(row, 2, row, 4, summary)
    c(row, 5, data.total, font=styles.BOLD, align=styles.CENTRE)
    ws.fit_row(row, [(summary, sum(WIDTHS[1:4]))])
    row += 1

    if data.month_totals:
        months = "、".join(f"{m}月 {styles_number(t)}" for m, t in data.month_totals)
        c(row, 1, "各月得分", font=styles.BOLD, align=styles.CENTRE)
        merge(row, 2, row, 5, months)
        ws.fit_row(row, [(months, sum(WIDTHS[1:]))])
        row += 1
    if data.provisional_reasons:
        text = "暂定:" + ";".join(data.provisional_reasons)
        c(row, 1, "说明", font=styles.BOLD, align=styles.CENTRE)
        merge(row, 2, row, 5, text)
        ws.fit_row(row, [(text, sum(WIDTHS[1:]))])
        row += 1

    row = ws.stamp("detail headers", row + 1, _draw_detail_headers)
    multi = data.span.kind != MONTH
    for line in data.lines:
        code = f"{line.month}月 {line.label}" if multi else line.label
        c(row, 1, code, align=styles.CENTRE)
        c(row, 2, line.reason)
        c(row, 3, line.points, align=styles.CENTRE, number_format=SIGNED)
        c(row, 4, line.refs, font=styles.SMALL)
        c(row, 5, line.note, font=styles.SMALL)
        ws.fit_row(
            row,
            [(line.reason, WIDTHS[1]), (line.refs, WIDTHS[3] * 1.1), (line.note, WIDTHS[4] * 1.1)],
        )
        row += 1
    if not data.lines:
        merge(row, 1, row, 5, "本期无扣分与加分", align=styles.CENTRE)
        row += 1

    row += 1
    notes = [
        f"注:1、考核总分值设为{styles_number(data.base_points)}分,各项扣完为止,加减分在总分外计算。",
        f"2、{VETO_TEXT}。",
    ]
    if multi:
        notes.append("3、各项得分为各月该项得分的平均数(保留两位小数),与总分可能因舍入相差0.01。")
    notes.append(f"考核细则:{data.version_name}")
    last = ws.stamp(("notes", *notes), row, lambda s, r: _draw_notes(s, r, notes)) - 1

    # The title and the unit line head every page; the column header is not repeated because
    # the 扣分明细 on the following pages has columns of its own.
    ws.print_setup(title_rows=(1, 2), last_row=last, last_col=len(WIDTHS))


def score_sheet_workbook(
    sheets: list[PeriodSheet], progress: Callable[[int, str], None] | None = None
) -> Book:
    """One worksheet per village (titled with its name, unique, at most 31 characters)."""
    book = Book(title="综治及信访工作考核评分表")
    # A township's month is some 180,000 cells, each a few small objects in no cycle: the
    # cyclic collector would walk them over and over (a third of the time).
    with gc_paused():
        for n, data in enumerate(sheets, start=1):
            write_score_sheet(book.add_sheet(data.village), data)
            if progress and (n % 5 == 0 or n == len(sheets)):
                progress(30 + int(60 * n / len(sheets)), f"已生成 {n}/{len(sheets)} 个村(居)")
    if not book.sheetnames:
        book.add_sheet("无评分").cell(1, 1, "该期间尚无评分表。", border=False)
    return book


def village_workbook(village: Village, span: Span) -> Book:
    return score_sheet_workbook(period_sheets(village.township_id, span, [village.pk]))


def township_workbook(
    township_id: int, span: Span, progress: Callable[[int, str], None] | None = None
) -> Book:
    """Every village of the township for the span, one worksheet each."""
    sheets = period_sheets(township_id, span)
    if progress:
        progress(30, f"已读取 {len(sheets)} 个村(居)的评分表")
    return score_sheet_workbook(sheets, progress)
