"""Scoring rules: one small pure function per rule kind, ``(spec, facts) -> list[Line]``.

Kinds are code, figures are data: every amount a rule uses comes from its spec's params, so a
rubric version (rubric_defaults.py) changes the numbers without touching this file. Item rules
return their lines uncapped; the engine applies "扣完为止". A rule keeps only the records whose
triggering date lies in the period (docs/rubric.md "Evidence") and never deducts for a deadline that
``facts.as_of`` has not yet passed: the ``PENDING_RULES`` report those instead, and any pending
reason makes the sheet provisional.

Every reason is a ``Reason`` (reasons.py): the Chinese text the 评分表 prints, carrying the
message templates (marked with gettext_noop) and parameters that show it in another language.

The calendar helpers at the top (months, ISO weeks by their Thursday) are shared with the
Django collect step.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from typing import Any

from assessment.scoring.reasons import FullDate
from assessment.scoring.reasons import MonthDay
from assessment.scoring.reasons import Reason
from assessment.scoring.reasons import YearMonth
from assessment.scoring.reasons import gettext_noop
from assessment.scoring.types import ATTENDANCE_LABELS
from assessment.scoring.types import GROUP_LABELS
from assessment.scoring.types import INSPECTION_CHECKS
from assessment.scoring.types import LEVEL_BEIJING
from assessment.scoring.types import LEVEL_LABELS
from assessment.scoring.types import NATURE_LABELS
from assessment.scoring.types import NATURE_NORMAL
from assessment.scoring.types import SPECIAL_CATEGORY_LABELS
from assessment.scoring.types import VETO_BEIJING_NEW_PROBLEM
from assessment.scoring.types import VETO_COLLECTIVE_LARGE_IMPACT
from assessment.scoring.types import WORK_FILE_LABELS
from assessment.scoring.types import AdjustmentSpec
from assessment.scoring.types import DisputeReport
from assessment.scoring.types import Event
from assessment.scoring.types import Inspection
from assessment.scoring.types import ItemSpec
from assessment.scoring.types import Line
from assessment.scoring.types import Petition
from assessment.scoring.types import Veto
from assessment.scoring.types import VetoSpec
from assessment.scoring.types import VillageFacts
from core import periods
from core.periods import month_end
from core.vocabulary import UNIT_LABELS
from core.vocabulary import UNIT_PERSON_TIME
from villages import rules as village_rules

# --- Calendar helpers -------------------------------------------------------------------------
# Pure functions of their dates, returning immutable values, called for every village of every
# month: memoized (a year's recompute asks the same few dozen questions tens of thousands of
# times).


@functools.lru_cache(maxsize=4096)
def months_in(start: date, end: date) -> tuple[tuple[int, int], ...]:
    """(year, month) of every month that overlaps [start, end]."""
    months = []
    year, month = start.year, start.month
    while date(year, month, 1) <= end:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


@functools.lru_cache(maxsize=4096)
def weeks_of_period(start: date, end: date) -> tuple[tuple[int, int], ...]:
    """ISO (year, week) of every week whose Thursday lies in [start, end] (评分表 四.4)."""
    thursday = start + timedelta(days=(3 - start.weekday()) % 7)
    weeks = []
    while thursday <= end:
        iso = thursday.isocalendar()
        weeks.append((iso.year, iso.week))
        thursday += timedelta(days=7)
    return tuple(weeks)


def weeks_of_month(year: int, month: int) -> tuple[tuple[int, int], ...]:
    """The ISO weeks that belong to a month: those whose Thursday falls in it (ISO 8601)."""
    return weeks_of_period(date(year, month, 1), month_end(year, month))


@functools.lru_cache(maxsize=4096)
def week_bounds(iso_year: int, iso_week: int) -> tuple[date, date]:
    """Monday and Sunday of an ISO week."""
    monday = date.fromisocalendar(iso_year, iso_week, 1)
    return monday, monday + timedelta(days=6)


def patrol_window(start: date, end: date) -> tuple[date, date]:
    """The days whose patrols count for [start, end]: its weeks may reach into the next month."""
    weeks = weeks_of_period(start, end)
    return week_bounds(*weeks[0])[0], week_bounds(*weeks[-1])[1]


def report_due_date(year: int, month: int, half: int, params: Mapping[str, Any]) -> date:
    """Last day a screening report counts as on time under a `dispute_reports` item's params
    (its due day plus the grace days): the same date the portal and the reminders use."""
    return periods.report_due_date(year, month, half, periods.ReportDays.from_params(params))


# --- Small shared helpers ---------------------------------------------------------------------


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def fmt(points: Decimal) -> str:
    """A point figure as the sheet prints it: 8, 0.5, never 8.0 or 1E+1."""
    return format(points.normalize(), "f")


def _md(day: date) -> MonthDay:
    return MonthDay(day)


def _in_period(facts: VillageFacts, day: date) -> bool:
    return facts.period_start <= day <= facts.period_end


def _settled(facts: VillageFacts, deadline: date) -> bool:
    """Whether the deadline's day is over by the records known (always, once closed)."""
    return facts.as_of is None or facts.as_of > deadline


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _sorted_events(facts: VillageFacts, events: Iterable[Any], when: str = "date") -> list[Any]:
    if not events:  # most villages' months: no record of the kind
        return []
    kept = [event for event in events if _in_period(facts, getattr(event, when))]
    return sorted(kept, key=lambda event: (getattr(event, when), event.ref.kind, event.ref.id))


@functools.lru_cache(maxsize=1024)
def _points_note(verb: str, points: str) -> Reason:
    """ ",扣1分": one reason per figure, shared by every line that ends with it (reasons are
    immutable; some 40,000 lines a year end with a handful of figures)."""
    return Reason(verb, points=points)


def _deduction(code: str, amount: Decimal, reason: str, refs=()) -> Line:
    return Line(
        code,
        -amount,
        reason + _points_note(gettext_noop(",扣%(points)s分"), fmt(amount)),
        tuple(refs),
    )


def _signed(code: str, amount: Decimal, reason: str, refs=()) -> Line:
    verb = gettext_noop(",加%(points)s分") if amount >= 0 else gettext_noop(",扣%(points)s分")
    return Line(code, amount, reason + _points_note(verb, fmt(abs(amount))), tuple(refs))


def _per_event(spec, amount_key: str, events: Sequence[Event], describe) -> list[Line]:
    amount = _dec(spec.params[amount_key])
    return [_deduction(spec.code, amount, describe(event), [event.ref]) for event in events]


def _inspection(facts: VillageFacts) -> Inspection | None:
    found = facts.inspection
    return found if found is not None and found.date <= facts.period_end else None


# --- 一 责任制 --------------------------------------------------------------------------------


def meeting_monthly(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 一.1: 没开会研究相关工作事项的扣1分.

    Decision: counted per month (a whole-year sheet checks each month), a meeting counting only
    when its minutes show it studied petition work.
    """
    held = {
        (meeting.date.year, meeting.date.month)
        for meeting in facts.meetings
        if meeting.studied_petition_work and _in_period(facts, meeting.date)
    }
    amount = _dec(item.params["per_month"])
    return [
        _deduction(
            item.code,
            amount,
            Reason(gettext_noop("%(month)s没有开会研究信访工作"), month=YearMonth(year, month)),
        )
        for year, month in months_in(facts.period_start, facts.period_end)
        if (year, month) not in held and _settled(facts, month_end(year, month))
    ]


def meeting_monthly_pending(item: ItemSpec, facts: VillageFacts) -> list[str]:
    held = {(m.date.year, m.date.month) for m in facts.meetings if m.studied_petition_work}
    return [
        Reason(gettext_noop("%(month)s尚无研究信访工作的会议记录"), month=YearMonth(year, month))
        for year, month in months_in(facts.period_start, facts.period_end)
        if (year, month) not in held and not _settled(facts, month_end(year, month))
    ]


def reception(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 一.2: 上访群众没有村级处理意见的每件扣1分,对信访人包保情况没有扣5分.

    实施方案 一.3 narrows the first duty to visits to the township (到镇上访), so only
    petitions with ``carried_village_opinion`` False count; the 包保 register is read at the
    period's end.
    """
    lines = _per_event(
        item,
        "per_petition_without_opinion",
        [p for p in _sorted_events(facts, facts.petitions) if p.carried_village_opinion is False],
        lambda p: Reason(
            gettext_noop("到镇上访群众未持村级处理意见书(%(date)s)"), date=_md(p.date)
        ),
    )
    if not facts.baobao_register:
        lines.append(
            _deduction(
                item.code,
                _dec(item.params["no_baobao_register"]),
                Reason(gettext_noop("无信访人包保表")),
            )
        )
    return lines


def case_rejected(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 一.3: 上级交办的信访件能妥善办理并及时上报处理结果.

    Decision (the table gives no figure): -1 per handling result rejected on review as improper,
    counted on the day of the rejection.
    """
    return _per_event(
        item,
        "per_case",
        _sorted_events(facts, facts.case_rejections),
        lambda event: Reason(
            gettext_noop("上级交办信访件办理结果审核不合格被退回(%(date)s)"), date=_md(event.date)
        ),
    )


def _report_halves(item: ItemSpec, facts: VillageFacts) -> list[tuple[int, int, int, date]]:
    """The halves whose report is due; none whose half began before the village was set up
    (villages.rules.owes_report: the 1st or the 15th before facts.active_from)."""
    days = periods.ReportDays.from_params(item.params)
    return _halves_owed(days, facts.period_start, facts.period_end, facts.active_from)


# The same halves for every village of a month set up before it (ReportDays is frozen, so it
# keys the cache): asked twice per sheet, by the rule and by its pending rule.
@functools.lru_cache(maxsize=4096)
def _halves_owed(
    days: periods.ReportDays, start: date, end: date, active_from: date | None
) -> tuple[tuple[int, int, int, date], ...]:
    return tuple(
        (year, month, half, periods.report_due_date(year, month, half, days))
        for year, month in months_in(start, end)
        for half in days.halves
        if village_rules.owes_report(active_from, None, year, month, half)
    )


def _is_complete(report: DisputeReport) -> bool:
    return report.signed and report.sealed


@functools.lru_cache(maxsize=4096)
def _report_label(year: int, month: int, due: date) -> Reason:
    """ "2026年4月14日前的排查报告": the report due by that day."""
    return Reason(gettext_noop("%(due)s前的排查报告"), due=FullDate(date(year, month, due.day)))


def _report_line(item: ItemSpec, year: int, month: int, due: date, reports) -> Line | None:
    """The one deduction a half can cost: missing (absent or late) or, when on time, unsigned."""
    params = item.params
    label = _report_label(year, month, due)
    on_time = [r for r in reports if r.submitted_on and _as_date(r.submitted_on) <= due]
    if any(_is_complete(report) for report in on_time):
        return None
    if on_time:
        refs = [report.ref for report in on_time]
        if params.get("unsigned_counts_as_missing"):
            reason = label + Reason(gettext_noop("无负责人签字或未加盖公章,视为缺报"))
            return _deduction(item.code, _dec(params["missing_report"]), reason, refs)
        reason = label + Reason(gettext_noop("无负责人签字或未加盖公章"))
        return _deduction(item.code, _dec(params["unsigned_report"]), reason, refs)
    late = sorted(_as_date(r.submitted_on) for r in reports if r.submitted_on)
    reason = label + (
        Reason(gettext_noop("逾期(%(date)s)上报,按缺报计"), date=_md(late[0]))
        if late
        else Reason(gettext_noop("未上报"))
    )
    return _deduction(item.code, _dec(params["missing_report"]), reason, [r.ref for r in reports])


def dispute_reports(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 一.4: 每月排查两次并上报,缺一次扣1分,没有负责人签字并加盖公章的缺1次扣一分.

    实施方案 一.4 (plan): 每缺一次扣0.5分, an unsigned or unsealed report counting as missing,
    and 到镇级以上单位反映,存在未上报的矛盾纠纷,每缺一例扣0.5分.
    Due by the end of the 14th and the 28th (plus grace days); a late report is kept but counts
    as missing. Decisions: a half costs at most one deduction; a late report is not also
    judged for its signature; when several reports exist for a half, the best one counts.
    """
    by_half = defaultdict(list)
    for report in sorted(facts.dispute_reports, key=lambda r: (r.ref.kind, r.ref.id)):
        by_half[(report.year, report.month, report.half)].append(report)
    lines = []
    for year, month, half, due in _report_halves(item, facts):
        if _settled(facts, due):
            line = _report_line(item, year, month, due, by_half[(year, month, half)])
            lines += [line] if line else []
    if "unreported_dispute" in item.params:
        lines += _per_event(
            item,
            "unreported_dispute",
            _sorted_events(facts, facts.unreported_disputes),
            lambda event: Reason(
                gettext_noop("镇级以上单位发现未上报的矛盾纠纷(%(date)s)"), date=_md(event.date)
            ),
        )
    return lines


def dispute_reports_pending(item: ItemSpec, facts: VillageFacts) -> list[str]:
    done = {(r.year, r.month, r.half) for r in facts.dispute_reports if _is_complete(r)}
    return [
        _report_label(year, month, due) + Reason(gettext_noop("尚未到期"))
        for year, month, half, due in _report_halves(item, facts)
        if not _settled(facts, due) and (year, month, half) not in done
    ]


# --- 二 包保网络与责任追究 --------------------------------------------------------------------

# 京 reads 进京, the other levels 省级 ...: the words of a reason, each its own catalogue entry.
LEVEL_WORDS = {
    "province": gettext_noop("省级"),
    "city": gettext_noop("市级"),
    "district": gettext_noop("区级"),
    "township": gettext_noop("镇级"),
}


def _petition_clause(params: Mapping[str, Any], petition: Petition) -> Mapping[str, Any] | None:
    """The clause of the level table that prices this petition, or None when it costs nothing."""
    level = params["levels"].get(petition.level)
    if not level:
        return None
    aggravated = petition.nature in params["aggravated_natures"] or (
        petition.collective and level.get("collective_aggravates", False)
    )
    clause = level.get("aggravated" if aggravated else "normal")
    if not clause or (clause.get("only_when_not_stabilised") and petition.stabilised_in_time):
        return None
    return clause


def _petition_words(petition: Petition) -> Reason:
    beijing = petition.level == LEVEL_BEIJING
    where = None if beijing else Reason(LEVEL_WORDS[petition.level])
    if not petition.collective:
        nature = Reason(NATURE_LABELS[petition.nature])
        if beijing:
            return Reason(gettext_noop("进京%(nature)s上访"), nature=nature)
        return Reason(gettext_noop("%(level)s%(nature)s上访"), level=where, nature=nature)
    if petition.nature != NATURE_NORMAL:
        nature = Reason(NATURE_LABELS[petition.nature])
        if beijing:
            return Reason(gettext_noop("进京%(nature)s集体上访"), nature=nature)
        return Reason(gettext_noop("%(level)s%(nature)s集体上访"), level=where, nature=nature)
    if beijing:
        return Reason(gettext_noop("进京集体上访"))
    return Reason(gettext_noop("%(level)s集体上访"), level=where)


def _petition_line(item: ItemSpec, petition: Petition, clause: Mapping[str, Any]) -> Line:
    per_person = clause["unit"] == UNIT_PERSON_TIME
    count = petition.person_count if per_person else 1
    amount = _dec(clause["points"]) * count
    reason = _petition_words(petition) + Reason(
        gettext_noop("%(count)s%(unit)s"), count=count, unit=Reason(UNIT_LABELS[clause["unit"]])
    )
    if clause.get("only_when_not_stabilised"):
        reason += Reason(gettext_noop(",未及时稳控"))
    return _deduction(item.code, amount, reason, [petition.ref])


def _same_matter_lines(item: ItemSpec, petitions: Sequence[Petition]) -> list[Line]:
    """实施方案 二.5: 同人同事当月来访三次的扣3分, once per person and matter in a month."""
    rule = item.params.get("same_matter")
    if not rule:
        return []
    visits = defaultdict(list)
    for petition in petitions:
        if petition.level == rule["level"] and petition.petitioner_key:
            key = (petition.petitioner_key, petition.date.year, petition.date.month)
            visits[key].append(petition)
    return [
        _deduction(
            item.code,
            _dec(rule["points"]),
            Reason(
                gettext_noop("同一信访人同一事项%(month)s月到%(level)s上访%(count)s次"),
                month=month,
                level=Reason(LEVEL_LABELS[rule["level"]]),
                count=len(found),
            ),
            [petition.ref for petition in found],
        )
        for (_, _, month), found in visits.items()
        if len(found) >= rule["visits"]
    ]


def petitions_by_level(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 二: per person-time (人次), 到京正常上访扣5分,非正常上访、重复上访扣10分; 省 4/8;
    市 3/6; 到区正常上访,不能及时稳控调处的每人次扣2分,非正常、重复扣4分; 镇 1/2, likewise only
    when not stabilised in time.

    实施方案 二 (plan): 京 no deduction (the veto instead); 省 -4 per person-time; 市 -3, and
    非正常、重复或集体上访每次扣6分; 区 -1 per petition not settled in time, 非正常、重复或集体
    -4 per person-time; 镇 非正常、重复或集体 -1 per batch, 同人同事当月来访三次 -3.
    Decisions: one petition record is one 件/次/批次; the plan's 区 clause names 集体 as the
    prose does (docs/rubric.md's row omits it); a condition "not stabilised in time" applies only
    where the params say so.
    """
    petitions = _sorted_events(facts, facts.petitions)
    lines = []
    for petition in petitions:
        clause = _petition_clause(item.params, petition)
        if clause:
            lines.append(_petition_line(item, petition, clause))
    return lines + _same_matter_lines(item, petitions)


# --- 三 解决信访问题 --------------------------------------------------------------------------


def case_overdue(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 三.1: 到期不能按时结案的,每件扣5分 (due 20 working days after assignment).

    Counted once, in the month of the due date, however long the case stays open.
    """
    amount = _dec(item.params["per_case"])
    lines = []
    for case in _sorted_events(facts, facts.assigned_cases, when="due_date"):
        concluded_late = case.concluded_on is not None and case.concluded_on > case.due_date
        still_open = case.concluded_on is None and _settled(facts, case.due_date)
        if concluded_late or still_open:
            reason = Reason(
                gettext_noop("交办案件到期(%(date)s)未能按时结案"), date=_md(case.due_date)
            )
            lines.append(_deduction(item.code, amount, reason, [case.ref]))
    return lines


def case_overdue_pending(item: ItemSpec, facts: VillageFacts) -> list[str]:
    reasons = []
    for case in _sorted_events(facts, facts.assigned_cases, when="due_date"):
        if case.due_provisional:
            reasons.append(
                Reason(
                    gettext_noop("交办案件办结期限%(date)s为暂定日期(工作日历缺年份)"),
                    date=case.due_date.isoformat(),
                )
            )
        if case.concluded_on is None and not _settled(facts, case.due_date):
            reasons.append(
                Reason(
                    gettext_noop("交办案件%(date)s到期,尚未结案"), date=case.due_date.isoformat()
                )
            )
    return reasons


def _dossier_late(facts: VillageFacts, dispute) -> bool | None:
    """True when late, False when in time, None while the month of resolution is still open."""
    close = month_end(dispute.resolved_on.year, dispute.resolved_on.month)
    submitted = dispute.dossier_submitted_on
    if submitted is not None and submitted <= close:
        return False
    return True if submitted is not None or _settled(facts, close) else None


def dossier_late(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 三.2: 及时上报矛盾纠纷化解材料.

    Decision (the table gives no figure): -1 per dispute resolved in the month whose dossier
    (调解协议、身份证复印件、村级证明) was not submitted by the close of that month.
    """
    disputes = _sorted_events(facts, facts.resolved_disputes, when="resolved_on")
    return _per_event(
        item,
        "per_dispute",
        [dispute for dispute in disputes if _dossier_late(facts, dispute)],
        lambda d: Reason(
            gettext_noop("%(date)s化解的矛盾纠纷未在当月上报化解卷宗"), date=_md(d.resolved_on)
        ),
    )


def dossier_late_pending(item: ItemSpec, facts: VillageFacts) -> list[str]:
    disputes = _sorted_events(facts, facts.resolved_disputes, when="resolved_on")
    return [
        Reason(gettext_noop("%(date)s化解的矛盾纠纷尚未上报化解卷宗"), date=_md(d.resolved_on))
        for d in disputes
        if _dossier_late(facts, d) is None
    ]


def backlog_relapse(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 三.3: 上级排查梳理的信访积案实行领导包案,出现重复反复访的扣5分 (per relapse)."""
    return _per_event(
        item,
        "per_relapse",
        _sorted_events(facts, facts.backlog_relapses),
        lambda event: Reason(
            gettext_noop("信访积案出现重复反复访(%(date)s)"), date=_md(event.date)
        ),
    )


# --- 四 综治中心 ------------------------------------------------------------------------------

NO_INSPECTION = "无检查记录"


def _no_inspection(what: str) -> Reason:
    """ "无检查记录:..." for a check, file or duty no inspection has seen."""
    return Reason(gettext_noop("无检查记录:%(what)s"), what=what)


def centre_checks(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 四.1: 无值班记录扣2分;卫生不干净扣1分;制度不完善扣2分.

    Read from the latest inspection on or before the period's end; with none, every check is
    lost and the line says "无检查记录" (docs/rubric.md "Evidence").
    """
    inspection = _inspection(facts)
    lines = []
    for check in item.params["checks"]:
        if check["check"] not in INSPECTION_CHECKS:
            raise ValueError(f"unknown inspection check {check['check']!r}")
        amount = _dec(check["points"])
        if inspection is None:
            lines.append(_deduction(item.code, amount, _no_inspection(Reason(check["label"]))))
        elif not getattr(inspection, check["check"]):
            lines.append(_deduction(item.code, amount, Reason(check["label"]), [inspection.ref]))
    return lines


def inspection_pending(spec, facts: VillageFacts) -> list[str]:
    """An open month expects its own inspection; an older one stands in until it comes."""
    inspection = _inspection(facts)
    if facts.as_of is None or (inspection and inspection.date >= facts.period_start):
        return []
    return [Reason(gettext_noop("本期尚无综治中心检查记录"))]


def special_persons(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 四.2: 每缺一类特殊人员扣1分,扣完为止.

    A category counts as covered when its people are registered or it is declared empty
    (零报告), as the registers stood at the period's end.
    """
    amount = _dec(item.params["per_category"])
    return [
        _deduction(
            item.code,
            amount,
            Reason(
                gettext_noop("%(category)s既未登记也未零报告"),
                category=Reason(SPECIAL_CATEGORY_LABELS[code]),
            ),
        )
        for code in item.params["categories"]
        if code not in facts.special_categories_covered
    ]


def work_files(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 四.3: 综治、防邪、信访、普法、禁毒及禁毒宣传月、打击传销 each with plan and summary;
    每缺一项资料扣1分,扣完为止. Seen at the latest inspection; none means every file missing.
    """
    inspection = _inspection(facts)
    amount = _dec(item.params["per_file"])
    lines = []
    for code in item.params["files"]:
        # The label only for a file missing: most inspections find every file.
        if inspection is None:
            lines.append(_deduction(item.code, amount, _no_inspection(_work_file_label(code))))
        elif code not in inspection.work_files:
            lines.append(_deduction(item.code, amount, _work_file_label(code), [inspection.ref]))
    return lines


def _work_file_label(code: str) -> Reason:
    return Reason(
        gettext_noop("缺%(file)s工作资料(计划和总结)"), file=Reason(WORK_FILE_LABELS[code])
    )


def patrols(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 四.4: 治安巡逻每周要进行三次以上并且要有记录;每少一次扣0.5分,扣完为止.

    A week belongs to the month holding its Thursday (ISO 8601), so April 2026 holds the weeks
    Mar 30-Apr 5 ... Apr 27-May 3; a week is judged once its Sunday is over.
    """
    counts = defaultdict(int)
    refs = defaultdict(list)
    for week in facts.patrol_weeks:
        counts[(week.iso_year, week.iso_week)] += week.count
        refs[(week.iso_year, week.iso_week)] += week.refs
    required = item.params["per_week"]
    unit = _dec(item.params["per_missing"])
    lines = []
    for key in weeks_of_period(facts.period_start, facts.period_end):
        monday, sunday = week_bounds(*key)
        missing = required - counts[key]
        if missing > 0 and _settled(facts, sunday):
            reason = Reason(
                gettext_noop(
                    "%(monday)s至%(sunday)s当周巡逻%(count)s次,少%(missing)s次(每周至少%(required)s次)"
                ),
                monday=_md(monday),
                sunday=_md(sunday),
                count=counts[key],
                missing=missing,
                required=required,
            )
            lines.append(_deduction(item.code, unit * missing, reason, refs[key]))
    return lines


def patrols_pending(item: ItemSpec, facts: VillageFacts) -> list[str]:
    counts = defaultdict(int)
    for week in facts.patrol_weeks:
        counts[(week.iso_year, week.iso_week)] += week.count
    reasons = []
    for key in weeks_of_period(facts.period_start, facts.period_end):
        monday, sunday = week_bounds(*key)
        if counts[key] < item.params["per_week"] and not _settled(facts, sunday):
            reasons.append(
                Reason(
                    gettext_noop("%(monday)s至%(sunday)s当周巡逻尚未结束"),
                    monday=_md(monday),
                    sunday=_md(sunday),
                )
            )
    return reasons


def leadership_groups(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 四.5: 治保调解、治安巡逻、冬防、平安创建、普法、禁毒、流动人口、反邪教、打击传销,
    在铁路范围内的村要有铁路护路领导小组;每缺一样,扣0.5分,扣完为止.
    """
    required = list(item.params["groups"])
    if facts.is_railway and item.params.get("railway_group"):
        required.append(item.params["railway_group"])
    amount = _dec(item.params["per_group"])
    return [
        _deduction(
            item.code,
            amount,
            Reason(gettext_noop("未建立%(group)s领导小组"), group=Reason(GROUP_LABELS[code])),
        )
        for code in required
        if code not in facts.groups
    ]


def survey(item: ItemSpec, facts: VillageFacts) -> list[Line]:
    """评分表 四.6: 如回答对政法机关不满意的,每例扣一分 (plan 实施方案 四.6: 每例扣0.5分).

    Decision: the quarterly survey counts in the month of its date, so a quarter's mean
    carries a third of it and the other two months are untouched.
    """
    amount = _dec(item.params["per_household"])
    return [
        _deduction(
            item.code,
            amount * found.dissatisfied,
            Reason(
                gettext_noop("满意度问卷调查(%(date)s)对政法机关不满意%(count)s户"),
                date=_md(found.date),
                count=found.dissatisfied,
            ),
            [found.ref],
        )
        for found in _sorted_events(facts, facts.surveys)
        if found.dissatisfied > 0
    ]


# --- 五 加减分 (outside the 100, signed amounts) ---------------------------------------------


def dossier_accepted(adj: AdjustmentSpec, facts: VillageFacts) -> list[Line]:
    """评分表 五.1: 上报矛盾纠纷排查化解卷宗,一份加1分; plan 实施方案 三.2: 经综治中心及司法所
    审理合格后,每卷加0.5分,最多加10分. The yearly cap counts the dossiers accepted earlier in
    the year; a dossier past it still shows, at 0.
    """
    each = _dec(adj.params["points"])
    cap = adj.params.get("yearly_cap")
    room = None if cap is None else _dec(cap) - each * facts.dossiers_accepted_before_in_year
    lines = []
    for event in _sorted_events(facts, facts.dossiers_accepted):
        reason = Reason(gettext_noop("化解卷宗经审核合格(%(date)s)"), date=_md(event.date))
        if room is None or room >= each:
            lines.append(_signed(adj.code, each, reason, [event.ref]))
        else:
            granted = max(room, Decimal(0))
            reason += Reason(
                gettext_noop(",已达全年上限%(cap)s分,实加%(points)s分"),
                cap=fmt(_dec(cap)),
                points=fmt(granted),
            )
            lines.append(Line(adj.code, granted, reason, (event.ref,), raw_points=each))
        room = None if room is None else room - each
    return lines


def checkpoint(adj: AdjustmentSpec, facts: VillageFacts) -> list[Line]:
    """评分表 五.2: 治安卡点设备齐全,加1分. Decision: a standing state, read at the period's end."""
    if facts.checkpoint_equipped is None:
        return []
    points = _dec(adj.params["points"])
    reason = Reason(gettext_noop("治安卡点设备齐全"))
    return [_signed(adj.code, points, reason, [facts.checkpoint_equipped])]


def cctv_lighting(adj: AdjustmentSpec, facts: VillageFacts) -> list[Line]:
    """评分表 五.3: 监控、灯光工程,加1分. Decision: a standing state, read at the period's end."""
    if facts.cctv_lighting is None:
        return []
    return [
        _signed(
            adj.code,
            _dec(adj.params["points"]),
            Reason(gettext_noop("建有监控、灯光工程")),
            [facts.cctv_lighting],
        )
    ]


def backlog_resolved(adj: AdjustmentSpec, facts: VillageFacts) -> list[Line]:
    """评分表 五.4 / 实施方案 三.3: 每成功化解一例信访积案加5分, on the day of resolution."""
    points = _dec(adj.params["points"])
    return [
        _signed(
            adj.code,
            points,
            Reason(gettext_noop("成功化解信访积案(%(date)s)"), date=_md(event.date)),
            [event.ref],
        )
        for event in _sorted_events(facts, facts.backlog_resolutions)
    ]


def commendation(adj: AdjustmentSpec, facts: VillageFacts) -> list[Line]:
    """评分表 五.5: 在省、市、区检查中受到表彰,分别加5分、3分、2分."""
    lines = []
    for found in _sorted_events(facts, facts.commendations):
        points = adj.params["points"].get(found.level)
        if points is not None:
            reason = Reason(
                gettext_noop("在%(level)s检查中受到表彰(%(date)s)"),
                level=Reason(LEVEL_WORDS[found.level]),
                date=_md(found.date),
            )
            lines.append(_signed(adj.code, _dec(points), reason, [found.ref]))
    return lines


def meeting_attendance(adj: AdjustmentSpec, facts: VillageFacts) -> list[Line]:
    """评分表 五.6: 不按时或缺席综治工作会议,缺一次扣1分 (late or absent, each)."""
    lines = []
    for found in _sorted_events(facts, facts.township_meeting_attendance):
        points = adj.params.get(found.status)
        if points is not None:
            reason = Reason(
                gettext_noop("综治工作会议%(status)s(%(date)s)"),
                status=Reason(ATTENDANCE_LABELS[found.status]),
                date=_md(found.date),
            )
            lines.append(_signed(adj.code, _dec(points), reason, [found.ref]))
    return lines


def no_dedicated_staff(adj: AdjustmentSpec, facts: VillageFacts) -> list[Line]:
    """评分表 五.7: 村(居)无专人负责综治中心工作,扣3分; read from the latest inspection, where
    no inspection means no evidence of a dedicated person.
    """
    inspection = _inspection(facts)
    points = _dec(adj.params["points"])
    duty = Reason(gettext_noop("无专人负责综治中心工作"))
    if inspection is None:
        return [_signed(adj.code, points, _no_inspection(duty))]
    if inspection.dedicated_person:
        return []
    return [_signed(adj.code, points, duty, [inspection.ref])]


def sanction(adj: AdjustmentSpec, facts: VillageFacts) -> list[Line]:
    """评分表 五.8: 在上级检查、督查、暗访中受到处理,扣5分 (each)."""
    points = _dec(adj.params["points"])
    return [
        _signed(
            adj.code,
            points,
            Reason(
                gettext_noop("在上级检查、督查、暗访中受到处理(%(date)s)"), date=_md(event.date)
            ),
            [event.ref],
        )
        for event in _sorted_events(facts, facts.sanctions)
    ]


# --- 一票否决 causes ---------------------------------------------------------------------------


def beijing_new_problem(spec: VetoSpec, facts: VillageFacts) -> list[Veto]:
    """实施方案 奖惩 2 / 二.1: 因新问题未及时化解导致进京上访的,一票否决."""
    return [
        Veto(
            VETO_BEIJING_NEW_PROBLEM,
            Reason(gettext_noop("因新问题未及时化解导致进京上访(%(date)s)"), date=_md(p.date)),
            (p.ref,),
        )
        for p in _sorted_events(facts, facts.petitions)
        if p.level == LEVEL_BEIJING and p.new_problem_unresolved
    ]


def collective_large_impact(spec: VetoSpec, facts: VillageFacts) -> list[Veto]:
    """评分表 注2: 因稳控调处不当,信息不畅造成群众集体上访,产生较大影响的,对当年工作一票否决."""
    return [
        Veto(
            VETO_COLLECTIVE_LARGE_IMPACT,
            Reason(
                gettext_noop("稳控调处不当造成集体上访,产生较大社会影响(%(date)s)"),
                date=_md(p.date),
            ),
            (p.ref,),
        )
        for p in _sorted_events(facts, facts.petitions)
        if p.collective and p.large_impact
    ]


# --- Registries ---------------------------------------------------------------------------------

ItemRule = Callable[[ItemSpec, VillageFacts], list[Line]]
AdjustmentRule = Callable[[AdjustmentSpec, VillageFacts], list[Line]]
VetoRule = Callable[[VetoSpec, VillageFacts], list[Veto]]
PendingRule = Callable[[Any, VillageFacts], list[str]]

ITEM_RULES: dict[str, ItemRule] = {
    "meeting_monthly": meeting_monthly,
    "reception": reception,
    "case_rejected": case_rejected,
    "dispute_reports": dispute_reports,
    "petitions_by_level": petitions_by_level,
    "case_overdue": case_overdue,
    "dossier_late": dossier_late,
    "backlog_relapse": backlog_relapse,
    "centre_checks": centre_checks,
    "special_persons": special_persons,
    "work_files": work_files,
    "patrols": patrols,
    "leadership_groups": leadership_groups,
    "survey": survey,
}

ADJUSTMENT_RULES: dict[str, AdjustmentRule] = {
    "dossier_accepted": dossier_accepted,
    "checkpoint": checkpoint,
    "cctv_lighting": cctv_lighting,
    "backlog_resolved": backlog_resolved,
    "commendation": commendation,
    "meeting_attendance": meeting_attendance,
    "no_dedicated_staff": no_dedicated_staff,
    "sanction": sanction,
}

VETO_RULES: dict[str, VetoRule] = {
    "beijing_new_problem": beijing_new_problem,
    "collective_large_impact": collective_large_impact,
}

# Kinds whose deadlines can still be open; keyed like the registries above.
PENDING_RULES: dict[str, PendingRule] = {
    "meeting_monthly": meeting_monthly_pending,
    "dispute_reports": dispute_reports_pending,
    "case_overdue": case_overdue_pending,
    "dossier_late": dossier_late_pending,
    "centre_checks": inspection_pending,
    "work_files": inspection_pending,
    "patrols": patrols_pending,
    "no_dedicated_staff": inspection_pending,
}
