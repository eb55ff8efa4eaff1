"""The 扣分因素 column of the 评分表: what costs points under each item, in the township's words.

For the two shipped readings the text is the document's own (评分表 for `xx-2024-table`, the
实施方案's prose for `xx-2024-plan`), used only while the item still holds the shipped figures.
Any other version (an admin's copy with other numbers) gets a text written from the item's kind
and params, so the printed criteria always match the figures that scored the sheet; an unknown
kind falls back to the item's title.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

from assessment.scoring.types import GROUP_LABELS
from assessment.scoring.types import LEVEL_LABELS
from assessment.scoring.types import SPECIAL_CATEGORY_LABELS
from assessment.scoring.types import WORK_FILE_LABELS
from core.vocabulary import UNIT_LABELS
from core.vocabulary import UNIT_PETITION

SHIPPED_TEXTS: dict[str, dict[str, str]] = {
    "xx-2024-table": {
        "1.1": "没开会研究相关工作事项的扣1分",
        "1.2": "上访群众没有村级处理意见的每件扣1分,对信访人包保情况(查会议记录或包保表)没有扣5分",
        "1.3": "上级交办的信访件能妥善办理并及时上报处理结果;处理结果经审核不妥当被退回的每件扣1分",
        "1.4": "每月排查两次并上报,缺一次扣1分,没有负责人签字并加盖公章的缺1次扣一分",
        "2": (
            "到京正常上访,每人次扣5分\n非正常上访、重复上访的每人次扣10分\n"
            "到省正常上访,每人次扣4分\n非正常上访、重复上访的每人次扣8分\n"
            "到市正常上访,每人次扣3分\n非正常上访、重复上访的每人次扣6分\n"
            "到区正常上访,不能及时稳控调处的每人次扣2分\n非正常上访、重复上访的每人次扣4分\n"
            "到镇正常上访,不能及时稳控调处的每人次扣1分\n非正常上访、重复上访的每人次扣2分"
        ),
        "3.1": "到期不能按时结案的,每件扣5分",
        "3.2": "当月化解的矛盾纠纷未及时上报化解卷宗的,每件扣1分",
        "3.3": "出现重复反复访的扣5分",
        "4.1": "无值班记录扣2分;卫生不干净扣1分;制度不完善扣2分",
        "4.2": "每缺一类特殊人员扣1分,扣完为止。",
        "4.3": "每缺一项资料扣1分,扣完为止。",
        "4.4": "每少一次扣0.5分,扣完为止。",
        "4.5": "每缺一样,扣0.5分,扣完为止。",
        "4.6": "如回答对政法机关不满意的,每例扣一分",
        "adj.dossier": "一份加1分",
        "adj.checkpoint": "加1分",
        "adj.cctv": "加1分",
        "adj.backlog": "加5分",
        "adj.commend": "分别加5分、3分、2分",
        "adj.meeting": "缺一次扣1分",
        "adj.no_staff": "扣3分",
        "adj.sanction": "扣5分",
    },
    "xx-2024-plan": {
        "1.1": "没开会研究相关工作事项的扣1分",
        "1.2": "到镇上访的群众没有村级处理意见书的每件扣1分,对信访人包保情况没有扣5分",
        "1.3": (
            "上级交办的信访事件能妥善处理并及时上报处理结果;处理结果经审核不妥当被退回的每件扣1分"
        ),
        "1.4": (
            "每月排查二次,经村(居)负责人签字并加盖公章后分别于每月14日和28日前上报,"
            "每缺一次扣0.5分;到镇级以上单位反映存在未上报的矛盾纠纷,每缺一例扣0.5分,扣完为止"
        ),
        "2": (
            "因调处不及时发生到京上访的,一票否决\n"
            "到省上访,每人次扣4分(非正常、重复或集体上访同)\n"
            "到市上访,每人次扣3分;非正常、重复或集体上访,每次扣6分\n"
            "到区上访,未能在规定时间内调处到位的扣1分;非正常、重复或集体上访,每人次扣4分\n"
            "到镇非正常、重复或集体上访,每批次扣1分;同人同事当月来访三次的扣3分"
        ),
        "3.1": "20个工作日内未上报处理结果,影响到期结案率的,每件扣5分",
        "3.2": "当月化解的矛盾纠纷未及时上报化解卷宗的,每件扣1分",
        "3.3": "化解后出现反流(重复反复访)的扣5分",
        "4.1": "无值班记录扣2分;卫生不干净扣1分;制度不完善扣2分",
        "4.2": "每缺一类特殊人员扣1分,扣完为止。",
        "4.3": "每缺一项资料扣1分,扣完为止。",
        "4.4": "每少一次扣0.5分,扣完为止。",
        "4.5": "每缺一样,扣0.5分,扣完为止。",
        "4.6": "如回答对政法机关不满意的,每例扣0.5分",
        "adj.dossier": "经综治中心及司法所审理合格后,每卷加0.5分,最多加10分",
        "adj.checkpoint": "加1分",
        "adj.cctv": "加1分",
        "adj.backlog": "每成功化解一例加5分",
        "adj.commend": "分别加5分、3分、2分",
        "adj.meeting": "缺一次扣1分",
        "adj.no_staff": "扣3分",
        "adj.sanction": "扣5分",
    },
}

VETO_TEXT = (
    "因新问题未及时化解导致进京上访的,或因稳控调处不当造成集体上访并产生较大影响的,当年工作一票否决"
)


@cache
def _shipped_specs(code: str) -> dict[str, dict]:
    """The shipped fixture's entries by code, to tell whether a stored entry still holds them."""
    path = Path(settings.BASE_DIR) / "fixtures" / "rubrics" / f"{code}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entries = [*data.get("items", ()), *data.get("adjustments", ())]
    return {e["code"]: _comparable(e) for e in entries}


def _comparable(entry: dict) -> dict:
    points = entry.get("points")
    return {
        "kind": entry.get("kind"),
        "params": json.loads(json.dumps(entry.get("params", {}), default=str)),
        "points": None if points in (None, "") else str(Decimal(str(points)).normalize()),
    }


def _n(value) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _labels(codes, labels) -> str:
    return "、".join(labels.get(c, c) for c in codes)


def _petition_levels(params) -> str:
    parts = []
    for level, clauses in params.get("levels", {}).items():
        where = f"到{LEVEL_LABELS.get(level, level)}"
        for key, words in (("normal", "正常上访"), ("aggravated", "非正常、重复上访")):
            clause = (clauses or {}).get(key)
            if not clause:
                continue
            condition = ",不能及时稳控调处的" if clause.get("only_when_not_stabilised") else ","
            unit = "每" + UNIT_LABELS.get(clause.get("unit"), UNIT_LABELS[UNIT_PETITION])
            parts.append(f"{where}{words}{condition}{unit}扣{_n(clause['points'])}分")
        if (clauses or {}).get("collective_aggravates"):
            parts.append(f"{where}集体上访按非正常上访计")
    rule = params.get("same_matter")
    if rule:
        parts.append(
            f"同人同事当月到{LEVEL_LABELS.get(rule['level'], rule['level'])}来访"
            f"{rule['visits']}次的扣{_n(rule['points'])}分"
        )
    return "\n".join(parts)


def _derived(kind: str, p) -> str | None:
    """A criteria text from an entry's kind and figures; None for a kind this does not know."""
    texts = {
        "meeting_monthly": lambda: f"当月没开会研究信访工作的扣{_n(p['per_month'])}分",
        "reception": lambda: (
            f"上访群众没有村级处理意见的每件扣{_n(p['per_petition_without_opinion'])}分,"
            f"没有信访人包保表的扣{_n(p['no_baobao_register'])}分"
        ),
        "case_rejected": lambda: f"交办信访件处理结果经审核被退回的每件扣{_n(p['per_case'])}分",
        "dispute_reports": lambda: "".join(
            [
                f"每月{len(p['due_days'])}次排查报告(每月"
                + "日、".join(str(d) for d in p["due_days"])
                + f"日前上报),缺一次扣{_n(p['missing_report'])}分",
                ";未签字盖章的视为缺报"
                if p.get("unsigned_counts_as_missing")
                else f";没有负责人签字并加盖公章的每次扣{_n(p.get('unsigned_report', 0))}分",
                f";镇级以上发现未上报的矛盾纠纷每例扣{_n(p['unreported_dispute'])}分"
                if p.get("unreported_dispute")
                else "",
            ]
        ),
        "petitions_by_level": lambda: _petition_levels(p),
        "case_overdue": lambda: f"到期不能按时结案的,每件扣{_n(p['per_case'])}分",
        "dossier_late": lambda: (
            f"当月化解的矛盾纠纷未及时上报化解卷宗的,每件扣{_n(p['per_dispute'])}分"
        ),
        "backlog_relapse": lambda: f"信访积案出现重复反复访的,每次扣{_n(p['per_relapse'])}分",
        "centre_checks": lambda: ";".join(
            f"{c['label']}扣{_n(c['points'])}分" for c in p["checks"]
        ),
        "special_persons": lambda: (
            f"{_labels(p['categories'], SPECIAL_CATEGORY_LABELS)}每缺一类扣"
            f"{_n(p['per_category'])}分,扣完为止"
        ),
        "work_files": lambda: (
            f"{_labels(p['files'], WORK_FILE_LABELS)}资料每缺一项扣{_n(p['per_file'])}分,扣完为止"
        ),
        "patrols": lambda: (
            f"每周巡逻{p['per_week']}次以上,每少一次扣{_n(p['per_missing'])}分,扣完为止"
        ),
        "leadership_groups": lambda: (
            f"{_labels(p['groups'], GROUP_LABELS)}"
            + (
                f"(铁路沿线村另设{GROUP_LABELS.get(p['railway_group'], p['railway_group'])})"
                if p.get("railway_group")
                else ""
            )
            + f"领导小组每缺一个扣{_n(p['per_group'])}分,扣完为止"
        ),
        "survey": lambda: f"回答对政法机关不满意的,每例扣{_n(p['per_household'])}分",
        "dossier_accepted": lambda: (
            f"每卷加{_n(p['points'])}分"
            + (f",全年最多加{_n(p['yearly_cap'])}分" if p.get("yearly_cap") else "")
        ),
        "checkpoint": lambda: _signed_text(p["points"]),
        "cctv_lighting": lambda: _signed_text(p["points"]),
        "backlog_resolved": lambda: "每化解一例" + _signed_text(p["points"]),
        "commendation": lambda: "、".join(
            f"{LEVEL_LABELS.get(level, level)}级{_signed_text(points)}"
            for level, points in p["points"].items()
        ),
        "meeting_attendance": lambda: "、".join(
            f"{word}一次{_signed_text(p[key])}"
            for key, word in (("late", "迟到"), ("absent", "缺席"))
            if p.get(key) is not None
        ),
        "no_dedicated_staff": lambda: _signed_text(p["points"]),
        "sanction": lambda: _signed_text(p["points"]),
    }
    make = texts.get(kind)
    if make is None:
        return None
    try:
        return make()
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None


def _signed_text(points) -> str:
    value = Decimal(str(points))
    return f"{'加' if value >= 0 else '扣'}{_n(abs(value))}分"


def criteria_for(version_code: str, entry: dict) -> str:
    """The 扣分因素 text of one rubric entry (an item or an adjustment, as `rubric_dict_of`
    gives it): the document's words while the entry holds the shipped figures, else a text from
    its figures, else its title."""
    shipped = SHIPPED_TEXTS.get(version_code, {}).get(entry["code"])
    if shipped and _shipped_specs(version_code).get(entry["code"]) == _comparable(entry):
        return shipped
    return _derived(entry.get("kind", ""), entry.get("params", {})) or entry.get("title", "")
