"""Plain data of the scoring core: rubric versions, a village's facts, and score sheets.

Nothing here knows Django. The collect step turns database rows into ``VillageFacts``; the rules
(rules.py) turn a rubric and facts into ``Line``s; the engine (engine.py) sums lines into a
``Sheet`` and sheets into quarters and years.

The code constants below are the vocabulary the Django side mirrors as ``TextChoices`` with the
same values; the ``*_LABELS`` dicts are their Chinese labels, used in the reasons of lines. The
petition words (levels, natures, channels, units) are core/vocabulary.py's, shared with the
choices and the rewards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

# Petition levels and natures: the one vocabulary, re-exported for the rules and rubric_defaults.
from core.vocabulary import LEVEL_BEIJING  # noqa: F401
from core.vocabulary import LEVEL_CITY
from core.vocabulary import LEVEL_DISTRICT
from core.vocabulary import LEVEL_LABELS  # noqa: F401
from core.vocabulary import LEVEL_PROVINCE
from core.vocabulary import LEVEL_TOWNSHIP  # noqa: F401
from core.vocabulary import LEVELS  # noqa: F401
from core.vocabulary import NATURE_ABNORMAL  # noqa: F401
from core.vocabulary import NATURE_LABELS  # noqa: F401
from core.vocabulary import NATURE_NORMAL
from core.vocabulary import NATURE_REPEAT  # noqa: F401
from core.vocabulary import NATURES  # noqa: F401

# Leadership groups (领导小组), 评分表 四.5; the railway group is required only along a railway.
GROUP_MEDIATION = "mediation"
GROUP_PATROL = "patrol"
GROUP_WINTER = "winter"
GROUP_SAFETY = "safety"
GROUP_LAW = "law"
GROUP_DRUGS = "drugs"
GROUP_MIGRANTS = "migrants"
GROUP_CULT = "cult"
GROUP_MLM = "mlm"
GROUP_RAILWAY = "railway"
GROUPS = (
    GROUP_MEDIATION,
    GROUP_PATROL,
    GROUP_WINTER,
    GROUP_SAFETY,
    GROUP_LAW,
    GROUP_DRUGS,
    GROUP_MIGRANTS,
    GROUP_CULT,
    GROUP_MLM,
    GROUP_RAILWAY,
)
GROUP_LABELS = {
    GROUP_MEDIATION: "治保调解",
    GROUP_PATROL: "治安巡逻",
    GROUP_WINTER: "冬防",
    GROUP_SAFETY: "平安创建",
    GROUP_LAW: "普法",
    GROUP_DRUGS: "禁毒",
    GROUP_MIGRANTS: "流动人口",
    GROUP_CULT: "反邪教",
    GROUP_MLM: "打击传销",
    GROUP_RAILWAY: "铁路护路",
}

# Work files with plan and summary (工作资料), 评分表 四.3.
FILE_ZONGZHI = "zongzhi"
FILE_FANGXIE = "fangxie"
FILE_XINFANG = "xinfang"
FILE_PUFA = "pufa"
FILE_JINDU = "jindu"
FILE_JINDU_MONTH = "jindu_month"
FILE_CHUANXIAO = "chuanxiao"
WORK_FILES = (
    FILE_ZONGZHI,
    FILE_FANGXIE,
    FILE_XINFANG,
    FILE_PUFA,
    FILE_JINDU,
    FILE_JINDU_MONTH,
    FILE_CHUANXIAO,
)
WORK_FILE_LABELS = {
    FILE_ZONGZHI: "综治",
    FILE_FANGXIE: "防邪",
    FILE_XINFANG: "信访",
    FILE_PUFA: "普法",
    FILE_JINDU: "禁毒",
    FILE_JINDU_MONTH: "禁毒宣传月",
    FILE_CHUANXIAO: "打击传销",
}

# Special-person categories (特殊人员), 评分表 四.2.
SPECIAL_MENTAL = "mental"
SPECIAL_DRUG = "drug"
SPECIAL_CULT = "cult"
SPECIAL_PETITIONER = "petitioner"
SPECIAL_CATEGORIES = (SPECIAL_MENTAL, SPECIAL_DRUG, SPECIAL_CULT, SPECIAL_PETITIONER)
SPECIAL_CATEGORY_LABELS = {
    SPECIAL_MENTAL: "精神障碍患者",
    SPECIAL_DRUG: "吸毒人员",
    SPECIAL_CULT: "邪教人员",
    SPECIAL_PETITIONER: "信访人员",
}

# Centre inspection checks (评分表 四.1), the attribute names of ``Inspection``.
CHECK_DUTY_RECORDS = "duty_records"
CHECK_CLEAN = "clean"
CHECK_RULES_COMPLETE = "rules_complete"
INSPECTION_CHECKS = (CHECK_DUTY_RECORDS, CHECK_CLEAN, CHECK_RULES_COMPLETE)

# Attendance at a township governance meeting (评分表 五.6).
ATTENDANCE_PRESENT = "present"
ATTENDANCE_LATE = "late"
ATTENDANCE_ABSENT = "absent"
ATTENDANCES = (ATTENDANCE_PRESENT, ATTENDANCE_LATE, ATTENDANCE_ABSENT)
ATTENDANCE_LABELS = {ATTENDANCE_PRESENT: "出席", ATTENDANCE_LATE: "迟到", ATTENDANCE_ABSENT: "缺席"}

# Levels of an inspection that commends a village (评分表 五.5).
COMMEND_LEVELS = (LEVEL_PROVINCE, LEVEL_CITY, LEVEL_DISTRICT)

# How a year's score is formed (docs/rubric.md "Periods").
AGGREGATION_MONTHLY_MEAN = "monthly_mean"
AGGREGATION_WHOLE_YEAR = "whole_year"
AGGREGATIONS = (AGGREGATION_MONTHLY_MEAN, AGGREGATION_WHOLE_YEAR)

# Veto causes (一票否决).
VETO_BEIJING_NEW_PROBLEM = "beijing_new_problem"
VETO_COLLECTIVE_LARGE_IMPACT = "collective_large_impact"
VETO_LAST_PLACE = "last_place"
VETO_CAUSES = (VETO_BEIJING_NEW_PROBLEM, VETO_COLLECTIVE_LARGE_IMPACT, VETO_LAST_PLACE)


def freeze(value: Any) -> Any:
    """Read-only copy of JSON-like data: dicts become mapping proxies, lists become tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: freeze(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    return value


# --- Rubric: a version of the rules as data -------------------------------------------------


@dataclass(frozen=True)
class SectionSpec:
    code: str  # "1" .. "4"
    title: str
    points: Decimal


@dataclass(frozen=True)
class ItemSpec:
    """One scored item. ``kind`` names the rule in rules.ITEM_RULES; ``params`` holds its figures.

    Item params state deductions as positive amounts ("扣1分" is ``"1"``).
    """

    code: str  # "1.1" .. "4.6", or "2" for the whole of section 二
    section: str
    title: str
    points: Decimal
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", freeze(self.params))


@dataclass(frozen=True)
class RuleSpec:
    """What an adjustment and a veto are made of: ``kind`` names the rule in rules.py, ``params``
    its figures."""

    code: str  # "adj.dossier", "veto.beijing", ...
    title: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", freeze(self.params))


@dataclass(frozen=True)
class AdjustmentSpec(RuleSpec):
    """One 加减分 line outside the 100; params state signed amounts ("-5" for a sanction)."""


@dataclass(frozen=True)
class VetoSpec(RuleSpec):
    """A cause of 一票否决 found in a period's records (the last-place veto is a setting)."""


@dataclass(frozen=True)
class RubricSettings:
    aggregation: str = AGGREGATION_MONTHLY_MEAN
    last_place_veto: bool = True
    # Quarterly and annual means are rounded half-up to this many places; ranks use the rounded
    # figure because that is the one people see.
    mean_places: int = 2
    # Read by the Django side's work calendar (实施方案 三.1: 20个工作日); no pure rule uses it.
    case_due_working_days: int = 20


@dataclass(frozen=True)
class Rubric:
    code: str
    name: str
    sections: tuple[SectionSpec, ...]
    items: tuple[ItemSpec, ...]
    adjustments: tuple[AdjustmentSpec, ...] = ()
    vetoes: tuple[VetoSpec, ...] = ()
    settings: RubricSettings = RubricSettings()

    @property
    def total_points(self) -> Decimal:
        return sum((section.points for section in self.sections), Decimal(0))

    def item(self, code: str) -> ItemSpec:
        return next(item for item in self.items if item.code == code)

    def adjustment(self, code: str) -> AdjustmentSpec:
        return next(adj for adj in self.adjustments if adj.code == code)


# --- Facts: what happened in one village during one period ----------------------------------


@dataclass(frozen=True)
class RecordRef:
    """Names the database record behind a fact, e.g. RecordRef("petition", 42)."""

    kind: str
    id: int


@dataclass(frozen=True)
class Event:
    """A record that counts on one date: a rejected case result, a relapse, a sanction ..."""

    ref: RecordRef
    date: date


@dataclass(frozen=True)
class Petition:
    ref: RecordRef
    date: date
    level: str
    nature: str = NATURE_NORMAL
    collective: bool = False
    person_count: int = 1  # 人次
    channel: str = ""
    stabilised_in_time: bool = True
    # Whether a visitor to the township carried the village's 处理意见书; None when not a visit
    # to the township, where the duty does not apply.
    carried_village_opinion: bool | None = None
    new_problem_unresolved: bool = False
    large_impact: bool = False
    # Same person on the same matter (同人同事); empty when unknown.
    petitioner_key: str = ""
    # The 包保责任人 of its petitioners on its date (相关责任人: the register's entries for their
    # names), as person ids: whom the rewards fine (rewards/scheme/rules.py); no score reads it.
    responsible_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Meeting:
    ref: RecordRef
    date: date
    studied_petition_work: bool = True


@dataclass(frozen=True)
class Attendance:
    """The village's attendance at a township governance meeting."""

    ref: RecordRef
    date: date
    status: str = ATTENDANCE_PRESENT


@dataclass(frozen=True)
class AssignedCase:
    """A superior-assigned or leader-approved case with its due date from the work calendar."""

    ref: RecordRef
    due_date: date
    concluded_on: date | None = None
    # True while the due date was counted Monday to Friday for a year the calendar lacks (暂定).
    due_provisional: bool = False


@dataclass(frozen=True)
class DisputeReport:
    """One twice-monthly dispute screening report (矛盾纠纷排查报告) for (year, month, half)."""

    ref: RecordRef
    year: int
    month: int
    half: int  # 1 (due the 14th) or 2 (due the 28th)
    submitted_on: date | datetime | None = None  # local (Asia/Shanghai) date or datetime
    signed: bool = True
    sealed: bool = True


@dataclass(frozen=True)
class ResolvedDispute:
    ref: RecordRef
    resolved_on: date
    dossier_submitted_on: date | None = None


@dataclass(frozen=True)
class Inspection:
    """The latest centre inspection (综治中心检查) on or before the period's end."""

    ref: RecordRef
    date: date
    duty_records: bool = True
    clean: bool = True
    rules_complete: bool = True
    dedicated_person: bool = True
    work_files: frozenset[str] = frozenset(WORK_FILES)


@dataclass(frozen=True)
class PatrolWeek:
    """Patrols logged in one ISO week; a week absent from the facts had none."""

    iso_year: int
    iso_week: int
    count: int
    refs: tuple[RecordRef, ...] = ()


@dataclass(frozen=True)
class Survey:
    """A satisfaction survey of the village's sampled landline households (评分表 四.6)."""

    ref: RecordRef
    date: date
    dissatisfied: int = 0  # households dissatisfied with the political-legal organs


@dataclass(frozen=True)
class Commendation:
    ref: RecordRef
    date: date
    level: str  # one of COMMEND_LEVELS


@dataclass(frozen=True)
class VillageFacts:
    """Everything the rules read about one village for one period (a month, or a whole year).

    Dated records may be handed over generously: each rule keeps only those whose triggering
    date lies in the period (docs/rubric.md "Evidence"). Standing facts (register, groups,
    categories, inspection, checkpoint) are the state at the period's end.

    ``as_of`` is the last day whose records are known while the period is still open; None once
    it is closed. Rules do not deduct for a deadline that has not passed by ``as_of``; they
    report it as pending instead, which makes the sheet provisional.
    """

    village_id: int
    period_start: date
    period_end: date
    is_railway: bool = False
    has_cctv_room: bool = False
    as_of: date | None = None
    # The village's first assessed day (None: since the township began); a half-month report
    # whose half began before it is not due (villages.rules.owes_report).
    active_from: date | None = None
    petitions: tuple[Petition, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    baobao_register: bool = False
    case_rejections: tuple[Event, ...] = ()
    assigned_cases: tuple[AssignedCase, ...] = ()
    dispute_reports: tuple[DisputeReport, ...] = ()
    unreported_disputes: tuple[Event, ...] = ()
    resolved_disputes: tuple[ResolvedDispute, ...] = ()
    backlog_relapses: tuple[Event, ...] = ()
    backlog_resolutions: tuple[Event, ...] = ()
    inspection: Inspection | None = None
    special_categories_covered: frozenset[str] = frozenset()
    patrol_weeks: tuple[PatrolWeek, ...] = ()
    groups: frozenset[str] = frozenset()
    surveys: tuple[Survey, ...] = ()
    dossiers_accepted: tuple[Event, ...] = ()
    # Accepted dossiers earlier in the same year, for the plan's yearly cap on their bonus.
    dossiers_accepted_before_in_year: int = 0
    # The record showing the state at the period's end, or None when it does not hold.
    checkpoint_equipped: RecordRef | None = None
    cctv_lighting: RecordRef | None = None
    commendations: tuple[Commendation, ...] = ()
    township_meeting_attendance: tuple[Attendance, ...] = ()
    sanctions: tuple[Event, ...] = ()


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One reason a score moved: negative points deduct, positive points add.

    ``points`` is what counts after the item's cap (or the dossier bonus's yearly cap);
    ``raw_points`` keeps the rule's own figure when a cap cut it, else None. A line waived by an
    accepted contest stays on the sheet at 0 with ``waived`` set and its figure in raw_points.
    """

    item_code: str
    points: Decimal
    reason: str
    refs: tuple[RecordRef, ...] = ()
    raw_points: Decimal | None = None
    waived: bool = False

    @property
    def capped(self) -> bool:
        return self.raw_points is not None

    @property
    def uncapped(self) -> Decimal:
        return self.points if self.raw_points is None else self.raw_points


@dataclass(frozen=True)
class Veto:
    cause: str
    reason: str
    refs: tuple[RecordRef, ...] = ()


@dataclass(frozen=True)
class ItemScore:
    code: str
    section: str
    title: str
    points: Decimal  # the item's worth
    score: Decimal  # between 0 and points
    # The rule's own figures before the cap, waived lines left out, as a positive amount.
    raw_deduction: Decimal


@dataclass(frozen=True)
class SectionScore:
    code: str
    title: str
    points: Decimal
    score: Decimal


class Provisional:
    """A score that may still change: 暂定 while any of its ``provisional_reasons`` stands."""

    provisional_reasons: tuple[str, ...]

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_reasons)


@dataclass(frozen=True)
class Sheet(Provisional):
    """One village's score sheet for one period."""

    village_id: int
    rubric_code: str
    period_start: date
    period_end: date
    total: Decimal
    sections: tuple[SectionScore, ...]
    items: tuple[ItemScore, ...]
    lines: tuple[Line, ...]
    vetoes: tuple[Veto, ...] = ()
    provisional_reasons: tuple[str, ...] = ()

    @property
    def adjustments_total(self) -> Decimal:
        item_codes = {item.code for item in self.items}
        return sum(
            (line.points for line in self.lines if line.item_code not in item_codes), Decimal(0)
        )

    def item(self, code: str) -> ItemScore:
        return next(item for item in self.items if item.code == code)

    def section(self, code: str) -> SectionScore:
        return next(section for section in self.sections if section.code == code)

    def lines_for(self, code: str) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.item_code == code)


@dataclass(frozen=True)
class PeriodScore(Provisional):
    """A quarter's or a year's score for one village, built from sheets."""

    village_id: int
    period_start: date
    period_end: date
    score: Decimal  # after vetoes: 0 when the year is vetoed
    computed: Decimal  # before vetoes: the mean of the months, or the whole-year total
    months: tuple[date, ...]  # first day of each month whose sheet was used
    vetoes: tuple[Veto, ...] = ()
    provisional_reasons: tuple[str, ...] = ()

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)
