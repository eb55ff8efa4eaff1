"""The two rubric versions the township's document holds, as plain data, and their JSON form.

``XX_2024_TABLE`` is the scoring table (考核评分表, 100 points, "考核总分值设为100分"), the
default. ``XX_2024_PLAN`` is the plan's prose (实施方案, 20 + 50 + 20 + 30 = 120 points), which
differs in 1.4, section 二, 4.6 and the dossier bonus (docs/rubric.md "The plan's reading").
``rubric_to_dict`` / ``rubric_from_dict`` let the Django side store a version as JSON so an
admin can copy one and change any figure for next year.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from assessment.scoring.engine import validate_rubric
from assessment.scoring.reasons import gettext_noop
from assessment.scoring.types import ATTENDANCE_ABSENT
from assessment.scoring.types import ATTENDANCE_LATE
from assessment.scoring.types import CHECK_CLEAN
from assessment.scoring.types import CHECK_DUTY_RECORDS
from assessment.scoring.types import CHECK_RULES_COMPLETE
from assessment.scoring.types import GROUP_RAILWAY
from assessment.scoring.types import GROUPS
from assessment.scoring.types import LEVEL_BEIJING
from assessment.scoring.types import LEVEL_CITY
from assessment.scoring.types import LEVEL_DISTRICT
from assessment.scoring.types import LEVEL_PROVINCE
from assessment.scoring.types import LEVEL_TOWNSHIP
from assessment.scoring.types import NATURE_ABNORMAL
from assessment.scoring.types import NATURE_REPEAT
from assessment.scoring.types import SPECIAL_CATEGORIES
from assessment.scoring.types import WORK_FILES
from assessment.scoring.types import AdjustmentSpec
from assessment.scoring.types import ItemSpec
from assessment.scoring.types import Rubric
from assessment.scoring.types import RubricSettings
from assessment.scoring.types import SectionSpec
from assessment.scoring.types import VetoSpec

D = Decimal


def _clause(points: str, *, unit: str = "person_time", not_stabilised: bool = False) -> dict:
    return {"points": D(points), "unit": unit, "only_when_not_stabilised": not_stabilised}


def _level(normal: dict | None, aggravated: dict | None, *, collective: bool = False) -> dict:
    return {"normal": normal, "aggravated": aggravated, "collective_aggravates": collective}


TABLE_SECTIONS = (
    SectionSpec("1", gettext_noop("一、落实信访工作责任制,建立一把手负总责"), D(20)),
    SectionSpec("2", gettext_noop("二、包保网络建设和责任追究"), D(30)),
    SectionSpec("3", gettext_noop("三、解决信访问题"), D(20)),
    SectionSpec(
        "4", gettext_noop("四、综治维稳基层基础工作,综治维稳信访工作站运行工作开展情况"), D(30)
    ),
)

TABLE_PETITION_LEVELS = {
    LEVEL_BEIJING: _level(_clause("5"), _clause("10")),
    LEVEL_PROVINCE: _level(_clause("4"), _clause("8")),
    LEVEL_CITY: _level(_clause("3"), _clause("6")),
    LEVEL_DISTRICT: _level(_clause("2", not_stabilised=True), _clause("4", not_stabilised=True)),
    LEVEL_TOWNSHIP: _level(_clause("1", not_stabilised=True), _clause("2", not_stabilised=True)),
}

TABLE_ITEMS = (
    ItemSpec(
        "1.1",
        "1",
        gettext_noop("查看会议记录,了解信访工作落实情况"),
        D(5),
        "meeting_monthly",
        {"per_month": D(1)},
    ),
    ItemSpec(
        "1.2",
        "1",
        gettext_noop("落实领导包案制度情况,村主要领导接访情况"),
        D(5),
        "reception",
        {"per_petition_without_opinion": D(1), "no_baobao_register": D(5)},
    ),
    ItemSpec("1.3", "1", gettext_noop("信访件办理"), D(5), "case_rejected", {"per_case": D(1)}),
    ItemSpec(
        "1.4",
        "1",
        gettext_noop("开展矛盾纠纷排查情况"),
        D(5),
        "dispute_reports",
        {"due_days": (14, 28), "grace_days": 0, "missing_report": D(1), "unsigned_report": D(1)},
    ),
    ItemSpec(
        "2",
        "2",
        gettext_noop("确保无人到京、省、市、区、镇上访落实情况"),
        D(30),
        "petitions_by_level",
        {
            "aggravated_natures": (NATURE_ABNORMAL, NATURE_REPEAT),
            "levels": TABLE_PETITION_LEVELS,
        },
    ),
    ItemSpec(
        "3.1",
        "3",
        gettext_noop("领导批办的信访件及时办结情况"),
        D(10),
        "case_overdue",
        {"per_case": D(5)},
    ),
    ItemSpec(
        "3.2",
        "3",
        gettext_noop("及时上报矛盾纠纷化解材料"),
        D(5),
        "dossier_late",
        {"per_dispute": D(1)},
    ),
    ItemSpec(
        "3.3",
        "3",
        gettext_noop("上级排查梳理的信访积案实行领导包案"),
        D(5),
        "backlog_relapse",
        {"per_relapse": D(5)},
    ),
    ItemSpec(
        "4.1",
        "4",
        gettext_noop("村级综治中心办公场所、组织、制度、值班"),
        D(5),
        "centre_checks",
        {
            "checks": (
                {"check": CHECK_DUTY_RECORDS, "points": D(2), "label": gettext_noop("无值班记录")},
                {"check": CHECK_CLEAN, "points": D(1), "label": gettext_noop("卫生不干净")},
                {
                    "check": CHECK_RULES_COMPLETE,
                    "points": D(2),
                    "label": gettext_noop("制度不完善"),
                },
            )
        },
    ),
    ItemSpec(
        "4.2",
        "4",
        gettext_noop("特殊人员(精神病患者、吸毒人员、邪教人员、信访人员)管理情况"),
        D(5),
        "special_persons",
        {"categories": SPECIAL_CATEGORIES, "per_category": D(1)},
    ),
    ItemSpec(
        "4.3",
        "4",
        gettext_noop("综治工作资料规范、齐全,相关工作有计划和总结"),
        D(5),
        "work_files",
        {"files": WORK_FILES, "per_file": D(1)},
    ),
    ItemSpec(
        "4.4",
        "4",
        gettext_noop("治安巡逻每周三次以上并有记录"),
        D(4),
        "patrols",
        {"per_week": 3, "per_missing": D("0.5")},
    ),
    ItemSpec(
        "4.5",
        "4",
        gettext_noop("建立健全相关领导小组制度"),
        D(6),
        "leadership_groups",
        {
            "groups": tuple(code for code in GROUPS if code != GROUP_RAILWAY),
            "railway_group": GROUP_RAILWAY,
            "per_group": D("0.5"),
        },
    ),
    ItemSpec(
        "4.6",
        "4",
        gettext_noop("平安建设暨群众安全感满意度问卷调查"),
        D(5),
        "survey",
        {"per_household": D(1)},
    ),
)

TABLE_ADJUSTMENTS = (
    AdjustmentSpec(
        "adj.dossier",
        gettext_noop("上报矛盾纠纷排查化解卷宗"),
        "dossier_accepted",
        {"points": D(1)},
    ),
    AdjustmentSpec(
        "adj.checkpoint", gettext_noop("治安卡点设备齐全"), "checkpoint", {"points": D(1)}
    ),
    AdjustmentSpec("adj.cctv", gettext_noop("监控、灯光工程"), "cctv_lighting", {"points": D(1)}),
    AdjustmentSpec(
        "adj.backlog", gettext_noop("化解信访积案"), "backlog_resolved", {"points": D(5)}
    ),
    AdjustmentSpec(
        "adj.commend",
        gettext_noop("在省、市、区检查中受到表彰"),
        "commendation",
        {"points": {LEVEL_PROVINCE: D(5), LEVEL_CITY: D(3), LEVEL_DISTRICT: D(2)}},
    ),
    AdjustmentSpec(
        "adj.meeting",
        gettext_noop("不按时或缺席综治工作会议"),
        "meeting_attendance",
        {ATTENDANCE_LATE: D(-1), ATTENDANCE_ABSENT: D(-1)},
    ),
    AdjustmentSpec(
        "adj.no_staff",
        gettext_noop("村(居)无专人负责综治中心工作"),
        "no_dedicated_staff",
        {"points": D(-3)},
    ),
    AdjustmentSpec(
        "adj.sanction",
        gettext_noop("在上级检查、督查、暗访中受到处理"),
        "sanction",
        {"points": D(-5)},
    ),
)

# An adjustment's code (adj.checkpoint) -> its title, for pages that must never show a code.
ADJUSTMENT_TITLES = {adj.code: adj.title for adj in TABLE_ADJUSTMENTS}

VETOES = (
    VetoSpec("veto.beijing", gettext_noop("因新问题未及时化解导致进京上访"), "beijing_new_problem"),
    VetoSpec(
        "veto.collective", gettext_noop("集体上访产生较大社会影响和舆情"), "collective_large_impact"
    ),
)

XX_2024_TABLE = Rubric(
    code="xx-2024-table",
    name=gettext_noop("2024年xx镇综治及信访工作考核评分表"),
    sections=TABLE_SECTIONS,
    items=TABLE_ITEMS,
    adjustments=TABLE_ADJUSTMENTS,
    vetoes=VETOES,
    settings=RubricSettings(),
)

# The plan prose: 京 is left to the veto; 市 aggravated and 镇 are priced per petition/batch.
PLAN_PETITION_LEVELS = {
    LEVEL_BEIJING: _level(None, None),
    LEVEL_PROVINCE: _level(_clause("4"), _clause("4"), collective=True),
    LEVEL_CITY: _level(_clause("3"), _clause("6", unit="petition"), collective=True),
    LEVEL_DISTRICT: _level(
        _clause("1", unit="petition", not_stabilised=True), _clause("4"), collective=True
    ),
    LEVEL_TOWNSHIP: _level(None, _clause("1", unit="batch"), collective=True),
}

PLAN_CHANGES = {
    "1.4": {
        "params": {
            "due_days": (14, 28),
            "grace_days": 0,
            "missing_report": D("0.5"),
            "unsigned_counts_as_missing": True,
            "unreported_dispute": D("0.5"),
        }
    },
    "2": {
        "points": D(50),
        "params": {
            "aggravated_natures": (NATURE_ABNORMAL, NATURE_REPEAT),
            "levels": PLAN_PETITION_LEVELS,
            "same_matter": {"level": LEVEL_TOWNSHIP, "visits": 3, "points": D(3)},
        },
    },
    "4.6": {"params": {"per_household": D("0.5")}},
}


def _plan_sections() -> tuple[SectionSpec, ...]:
    return tuple(
        dataclasses.replace(section, points=D(50)) if section.code == "2" else section
        for section in TABLE_SECTIONS
    )


def _plan_adjustments() -> tuple[AdjustmentSpec, ...]:
    dossier = {"points": D("0.5"), "yearly_cap": D(10)}
    return tuple(
        dataclasses.replace(adj, params=dossier) if adj.code == "adj.dossier" else adj
        for adj in TABLE_ADJUSTMENTS
    )


XX_2024_PLAN = Rubric(
    code="xx-2024-plan",
    name=gettext_noop("2024年xx镇综治及信访工作考核实施方案"),
    sections=_plan_sections(),
    items=tuple(
        dataclasses.replace(item, **PLAN_CHANGES.get(item.code, {})) for item in TABLE_ITEMS
    ),
    adjustments=_plan_adjustments(),
    vetoes=VETOES,
    settings=RubricSettings(),
)

DEFAULT_RUBRIC = XX_2024_TABLE
SHIPPED_RUBRICS = {rubric.code: rubric for rubric in (XX_2024_TABLE, XX_2024_PLAN)}


# --- JSON form -------------------------------------------------------------------------------

_DECIMAL_TEXT = re.compile(r"^-?\d+(\.\d+)?$")


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, frozenset)):
        return [_to_json(item) for item in value]
    return value


def _params_from_json(value: Any) -> Any:
    """Inside params a numeric string is a point figure; JSON integers stay counts and days."""
    if isinstance(value, str) and _DECIMAL_TEXT.match(value):
        return Decimal(value)
    if isinstance(value, Mapping):
        return {key: _params_from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_params_from_json(item) for item in value)
    return value


def rubric_to_dict(rubric: Rubric) -> dict[str, Any]:
    """A JSON-serialisable dict; Decimals become strings such as "0.5"."""
    return _to_json(rubric)


def _item_from_json(data: Mapping[str, Any]) -> ItemSpec:
    return ItemSpec(
        code=data["code"],
        section=data["section"],
        title=data["title"],
        points=Decimal(data["points"]),
        kind=data["kind"],
        params=_params_from_json(data.get("params", {})),
    )


def _spec_from_json(cls, data: Mapping[str, Any]):
    return cls(data["code"], data["title"], data["kind"], _params_from_json(data.get("params", {})))


def rubric_from_dict(data: Mapping[str, Any]) -> Rubric:
    """Rebuild a rubric from ``rubric_to_dict``'s output, refusing one the engine cannot score."""
    settings = dict(data.get("settings", {}))
    rubric = Rubric(
        code=data["code"],
        name=data["name"],
        sections=tuple(
            SectionSpec(s["code"], s["title"], Decimal(s["points"])) for s in data["sections"]
        ),
        items=tuple(_item_from_json(item) for item in data["items"]),
        adjustments=tuple(_spec_from_json(AdjustmentSpec, a) for a in data.get("adjustments", ())),
        vetoes=tuple(_spec_from_json(VetoSpec, v) for v in data.get("vetoes", ())),
        settings=RubricSettings(**settings),
    )
    errors = validate_rubric(rubric)
    if errors:
        raise ValueError("; ".join(errors))
    return rubric
