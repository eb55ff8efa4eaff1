"""Reads of the 综治中心 work for the scoring engine and the pages: plain rows, all villages.

Every selector takes a township (a Township or its id) and answers for ALL its villages in a
fixed number of queries, whatever their number: a dict keyed by village id, holding every
village of the township (an empty tuple, an empty set or None where it has no record).
`village_ids` narrows the answer (a secretary's page) without changing the query count.
Rows are frozen dataclasses of plain values; nothing here writes.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Subquery

from villages.models import Village

from . import rules
from .choices import RAILWAY_ONLY_GROUPS
from .choices import AdjustmentKind
from .choices import GroupKind
from .choices import SpecialCategory
from .choices import SurveyAnswerChoice as Answer
from .models import AdjustmentEvent
from .models import CentreInspection
from .models import LandlineHousehold
from .models import LeadershipGroup
from .models import MeetingAttendance
from .models import Patrol
from .models import SensitivePeriod
from .models import SpecialPerson
from .models import Survey
from .models import SurveyAnswer
from .models import SurveySample
from .models import VillageMeeting
from .models import ZeroReport

# --- rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionRow:
    """The latest 综治中心检查 on or before a day (评分表 四.1, 四.3, 五.7)."""

    id: int
    village_id: int
    date: date
    duty_records: bool
    clean: bool
    rules_complete: bool
    dedicated_person: bool
    cctv_room_manned: bool | None
    work_files: frozenset[str]  # codes of WorkFile found with plan and summary


@dataclass(frozen=True)
class PatrolRow:
    id: int
    village_id: int
    date: date


@dataclass(frozen=True)
class MeetingRow:
    id: int
    village_id: int
    date: date
    studied_petition_work: bool


@dataclass(frozen=True)
class AttendanceRow:
    id: int
    meeting_id: int
    village_id: int
    date: date  # the meeting's date
    status: str  # AttendanceStatus value


@dataclass(frozen=True)
class SurveyRow:
    id: int
    village_id: int
    date: date
    year: int
    quarter: int
    sampled: int
    answered: int  # answers recorded (reached or not)
    dissatisfied_organs: int  # households dissatisfied with the political-legal organs


@dataclass(frozen=True)
class AdjustmentRow:
    id: int
    village_id: int
    date: date
    kind: str  # AdjustmentKind value
    level: str  # Level value for a commendation, else ""


@dataclass(frozen=True)
class SensitivePeriodRow:
    id: int
    name: str
    start: date
    end: date
    bonus_points: Decimal
    award_amount: Decimal


@dataclass(frozen=True)
class RegisterRow:
    """A village's registers as they stand on a day (the registers overview)."""

    village_id: int
    village_name: str
    along_railway: bool
    categories_covered: frozenset[str]
    categories_missing: tuple[str, ...]
    persons_by_category: dict  # category -> number of persons on the register
    groups_active: frozenset[str]
    groups_missing: tuple[str, ...]
    landlines_active: int


@dataclass(frozen=True)
class PatrolWeekRow:
    """One week of 评分表 四.4 (the week whose Thursday lies in the month)."""

    monday: date
    sunday: date
    count: int
    missing: int
    patrols: tuple[PatrolRow, ...]


# --- helpers ----------------------------------------------------------------------------------


def _township_id(township) -> int:
    return township if isinstance(township, int) else township.pk


def _villages(township, village_ids: Iterable[int] | None = None):
    qs = Village.objects.filter(township_id=_township_id(township))
    if village_ids is not None:
        qs = qs.filter(pk__in=list(village_ids))
    return qs


def _village_ids(township, village_ids=None) -> list[int]:
    return list(_villages(township, village_ids).order_by("pk").values_list("pk", flat=True))


def _in(township, village_ids, path: str = "village") -> Q:
    q = Q(**{f"{path}__township_id": _township_id(township)})
    if village_ids is not None:
        q &= Q(**{f"{path}_id__in": list(village_ids)})
    return q


def _group(ids: list[int], rows) -> dict[int, tuple]:
    found = defaultdict(list)
    for row in rows:
        found[row.village_id].append(row)
    return {pk: tuple(found.get(pk, ())) for pk in ids}


# --- standing state at a day ------------------------------------------------------------------


def latest_inspections(*, township, day: date, village_ids=None) -> dict[int, InspectionRow | None]:
    """评分表 四.1/四.3/五.7: each village's latest inspection on or before `day` (None if never).

    Two queries: the villages, and the inspections chosen by a correlated subquery.
    """
    ids = _village_ids(township, village_ids)
    latest = (
        CentreInspection.objects.filter(village_id=OuterRef("village_id"), date__lte=day)
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    found = {pk: None for pk in ids}
    rows = CentreInspection.objects.filter(_in(township, village_ids), pk=Subquery(latest))
    for row in rows:
        found[row.village_id] = InspectionRow(
            id=row.pk,
            village_id=row.village_id,
            date=row.date,
            duty_records=row.duty_records,
            clean=row.is_clean,
            rules_complete=row.rules_complete,
            dedicated_person=row.dedicated_person,
            cctv_room_manned=row.cctv_room_manned,
            work_files=row.work_files,
        )
    return found


def _coverage(township, day: date, village_ids) -> tuple[dict, dict]:
    """Covered categories and active persons per category, per village (two queries)."""
    year_start = date(day.year, 1, 1)
    people = SpecialPerson.objects.filter(_in(township, village_ids), registered__lte=day).filter(
        Q(removed__isnull=True) | Q(removed__gte=day) | Q(registered__gte=year_start)
    )
    active = defaultdict(lambda: defaultdict(int))
    registrations = defaultdict(list)
    for village_id, category, registered, removed in people.values_list(
        "village_id", "category", "registered", "removed"
    ):
        registrations[village_id].append((category, registered))
        if rules.is_active(registered, removed, day):
            active[village_id][category] += 1
    zero = defaultdict(list)
    reports = ZeroReport.objects.filter(
        _in(township, village_ids), date__gte=year_start, date__lte=day
    ).values_list("village_id", "category", "date")
    for village_id, category, reported_on in reports:
        zero[village_id].append((category, reported_on))
    covered = {}
    for village_id in set(registrations) | set(zero) | set(active):
        covered[village_id] = rules.covered_categories(
            day,
            active=active[village_id].keys(),
            registrations=registrations[village_id],
            zero_reports=zero[village_id],
        )
    return covered, active


def special_categories_covered(*, township, day: date, village_ids=None) -> dict[int, frozenset]:
    """评分表 四.2: the categories each village has registered or declared empty at `day`.

    See rules.covered_categories for the zero-report decision. Three queries.
    """
    ids = _village_ids(township, village_ids)
    covered, _active = _coverage(township, day, village_ids)
    return {pk: covered.get(pk, frozenset()) for pk in ids}


def _groups_at(township, day: date, village_ids) -> dict[int, frozenset]:
    found = defaultdict(set)
    rows = (
        LeadershipGroup.objects.active_on(day)
        .filter(_in(township, village_ids))
        .values_list("village_id", "kind")
    )
    for village_id, kind in rows:
        found[village_id].add(kind)
    return found


def active_groups(*, township, day: date, village_ids=None) -> dict[int, frozenset[str]]:
    """评分表 四.5: the leadership groups (GroupKind values) active in each village at `day`."""
    ids = _village_ids(township, village_ids)
    found = _groups_at(township, day, village_ids)
    return {pk: frozenset(found.get(pk, ())) for pk in ids}


def adjustment_states(
    *,
    township,
    day: date,
    kinds: Iterable[str] = (AdjustmentKind.CHECKPOINT, AdjustmentKind.CCTV),
    village_ids=None,
) -> dict[int, dict[str, AdjustmentRow]]:
    """The latest event of each standing kind (治安卡点, 监控亮化) on or before `day`, per village.

    For a rubric that reads these as a state at the period's end rather than as events.
    """
    ids = _village_ids(township, village_ids)
    latest = (
        AdjustmentEvent.objects.filter(
            village_id=OuterRef("village_id"), kind=OuterRef("kind"), date__lte=day
        )
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    rows = AdjustmentEvent.objects.filter(
        _in(township, village_ids), kind__in=list(kinds), pk=Subquery(latest)
    ).values_list("pk", "village_id", "date", "kind", "level")
    found = {pk: {} for pk in ids}
    for pk, village_id, when, kind, level in rows:
        found[village_id][kind] = AdjustmentRow(pk, village_id, when, kind, level)
    return found


# --- records dated in a range -----------------------------------------------------------------


def patrol_dates(*, township, start: date, end: date, village_ids=None) -> dict[int, tuple]:
    """评分表 四.4: every patrol dated in [start, end], per village, oldest first.

    Pass the whole weeks of the period (a month's weeks reach into its neighbours).
    """
    ids = _village_ids(township, village_ids)
    rows = (
        Patrol.objects.filter(_in(township, village_ids), date__gte=start, date__lte=end)
        .order_by("date", "pk")
        .values_list("pk", "village_id", "date")
    )
    return _group(ids, (PatrolRow(*row) for row in rows))


def village_meetings(*, township, start: date, end: date, village_ids=None) -> dict[int, tuple]:
    """评分表 一.1: every village meeting in [start, end] with its 研究信访工作 flag."""
    ids = _village_ids(township, village_ids)
    rows = (
        VillageMeeting.objects.filter(_in(township, village_ids), date__gte=start, date__lte=end)
        .order_by("date", "pk")
        .values_list("pk", "village_id", "date", "studied_petition_work")
    )
    return _group(ids, (MeetingRow(*row) for row in rows))


def meeting_attendances(
    *, township, start: date, end: date, missed_only: bool = True, village_ids=None
) -> dict[int, tuple]:
    """评分表 五.6: each village's attendance at township meetings dated in [start, end];
    by default only the late and absent ones (what costs a point)."""
    ids = _village_ids(township, village_ids)
    qs = MeetingAttendance.objects.filter(
        _in(township, village_ids), meeting__date__gte=start, meeting__date__lte=end
    )
    if missed_only:
        qs = qs.exclude(status="present")
    rows = qs.order_by("meeting__date", "pk").values_list(
        "pk", "meeting_id", "village_id", "meeting__date", "status"
    )
    return _group(ids, (AttendanceRow(*row) for row in rows))


def survey_results(*, township, start: date, end: date, village_ids=None) -> dict[int, tuple]:
    """评分表 四.6: each survey dated in [start, end] (it counts in the month of its date), with
    the number of households dissatisfied with the political-legal organs."""
    ids = _village_ids(township, village_ids)
    rows = (
        Survey.objects.filter(_in(township, village_ids), date__gte=start, date__lte=end)
        .annotate(
            n_sampled=Count("samples", distinct=True),
            n_answered=Count("samples__answer", distinct=True),
            n_organs=Count(
                "samples__answer",
                filter=Q(samples__answer__answer=Answer.DISSATISFIED_ORGANS),
                distinct=True,
            ),
        )
        .order_by("date", "pk")
        .values_list(
            "pk", "village_id", "date", "year", "quarter", "n_sampled", "n_answered", "n_organs"
        )
    )
    return _group(ids, (SurveyRow(*row) for row in rows))


def adjustment_events(
    *, township, start: date, end: date, kinds: Iterable[str] | None = None, village_ids=None
) -> dict[int, tuple]:
    """评分表 五: every 加减分 event dated in [start, end] (optionally of some kinds only)."""
    ids = _village_ids(township, village_ids)
    qs = AdjustmentEvent.objects.filter(_in(township, village_ids), date__gte=start, date__lte=end)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    rows = qs.order_by("date", "pk").values_list("pk", "village_id", "date", "kind", "level")
    return _group(ids, (AdjustmentRow(*row) for row in rows))


def sensitive_periods(*, township, start: date, end: date) -> list[SensitivePeriodRow]:
    """The township's sensitive periods overlapping [start, end], earliest first (one query)."""
    rows = (
        SensitivePeriod.objects.filter(
            township_id=_township_id(township), start__lte=end, end__gte=start
        )
        .order_by("start", "pk")
        .values_list("pk", "name", "start", "end", "bonus_points", "award_amount")
    )
    return [SensitivePeriodRow(*row) for row in rows]


# --- pages ------------------------------------------------------------------------------------


def registers_overview(*, township, day: date, village_ids=None) -> list[RegisterRow]:
    """The registers of every village at `day`: special-person categories, groups, landlines.

    Five queries whatever the number of villages.
    """
    villages = list(
        _villages(township, village_ids)
        .order_by("area__name", "name")
        .values_list("pk", "name", "along_railway")
    )
    covered, active = _coverage(township, day, village_ids)
    groups = _groups_at(township, day, village_ids)
    landlines = dict(
        LandlineHousehold.objects.filter(_in(township, village_ids), active=True)
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n")
    )
    result = []
    for pk, name, along_railway in villages:
        have = covered.get(pk, frozenset())
        running = frozenset(groups.get(pk, ()))
        required = rules.required_groups(along_railway, GroupKind.values, RAILWAY_ONLY_GROUPS)
        result.append(
            RegisterRow(
                village_id=pk,
                village_name=name,
                along_railway=along_railway,
                categories_covered=have,
                categories_missing=tuple(c for c in SpecialCategory.values if c not in have),
                persons_by_category=dict(active.get(pk, {})),
                groups_active=running,
                groups_missing=tuple(k for k in required if k not in running),
                landlines_active=landlines.get(pk, 0),
            )
        )
    return result


def patrol_weeks(*, village, year: int, month: int) -> list[PatrolWeekRow]:
    """评分表 四.4 for one village-month: each week whose Thursday is in the month (one query)."""
    weeks = rules.weeks_of_month(year, month)
    rows = [
        PatrolRow(*row)
        for row in Patrol.objects.filter(
            village=village, date__gte=weeks[0][0], date__lte=weeks[-1][1]
        )
        .order_by("date", "pk")
        .values_list("pk", "village_id", "date")
    ]
    result = []
    for monday, sunday in weeks:
        inside = tuple(row for row in rows if monday <= row.date <= sunday)
        result.append(
            PatrolWeekRow(monday, sunday, len(inside), rules.missing_patrols(len(inside)), inside)
        )
    return result


@dataclass(frozen=True)
class AttendanceSheetRow:
    village: Village
    attendance: MeetingAttendance | None


def meeting_attendance_sheet(*, meeting) -> list[AttendanceSheetRow]:
    """Every village of the meeting's township (active ones, and any with a row), with its row."""
    rows = {
        row.village_id: row
        for row in MeetingAttendance.objects.filter(meeting=meeting).select_related("village")
    }
    villages = (
        Village.objects.filter(township_id=meeting.township_id)
        .filter(Q(is_active=True) | Q(pk__in=list(rows)))
        .select_related("area")
        .order_by("area__name", "name")
    )
    return [AttendanceSheetRow(village, rows.get(village.pk)) for village in villages]


@dataclass(frozen=True)
class SampleRow:
    sample: SurveySample
    answer: SurveyAnswer | None


@dataclass(frozen=True)
class SurveySheet:
    """A survey's sample with its answers and the figures the page shows."""

    rows: tuple[SampleRow, ...]
    sampled: int
    answered: int
    reached: int
    dissatisfied_organs: int
    # Whether the stored seed and candidates give this very sample again (None: not drawn yet).
    draw_reproduced: bool | None


def survey_sheet(*, survey) -> SurveySheet:
    samples = list(
        SurveySample.objects.filter(survey=survey)
        .select_related("household", "answer")
        .order_by("order")
    )
    rows = tuple(SampleRow(s, getattr(s, "answer", None)) for s in samples)
    answers = [row.answer for row in rows if row.answer is not None]
    reproduced = None
    if survey.seed is not None and survey.sample_size:
        redrawn = rules.draw_sample(survey.population, survey.sample_size, survey.seed)
        reproduced = redrawn == [s.household_id for s in samples]
    return SurveySheet(
        rows=rows,
        sampled=len(rows),
        answered=len(answers),
        reached=sum(1 for a in answers if a.reached),
        dissatisfied_organs=sum(1 for a in answers if a.answer == Answer.DISSATISFIED_ORGANS),
        draw_reproduced=reproduced,
    )


@dataclass(frozen=True)
class SpecialCountRow:
    """One village's special persons on the register at a day, by category: numbers, no names
    (what a leader reads of the register, PIPL)."""

    village_id: int
    village_name: str
    by_category: dict  # category -> number on the register (every category, 0 included)
    total: int


def special_person_counts(*, township, day: date, village_ids=None) -> list[SpecialCountRow]:
    """Per village and category, the persons on the register at `day` (rules.is_active: registered
    on or before it, its last day not before it). Two queries whatever the number of villages."""
    villages = list(
        _villages(township, village_ids).order_by("area__name", "name").values_list("pk", "name")
    )
    found = defaultdict(dict)
    rows = (
        SpecialPerson.objects.active_on(day)
        .filter(_in(township, village_ids))
        .values("village_id", "category")
        .annotate(n=Count("pk"))
        .values_list("village_id", "category", "n")
    )
    for village_id, category, n in rows:
        found[village_id][category] = n
    result = []
    for pk, name in villages:
        counts = {code: found[pk].get(code, 0) for code in SpecialCategory.values}
        result.append(SpecialCountRow(pk, name, counts, sum(counts.values())))
    return result


def special_person_counts_of(*, villages, day: date) -> list[SpecialCountRow]:
    """special_person_counts over a set of villages (those a user may see), township by township."""
    by_township: dict[int, list[int]] = {}
    for pk, township_id in villages.order_by().values_list("pk", "township_id"):
        by_township.setdefault(township_id, []).append(pk)
    rows = []
    for township_id, ids in by_township.items():
        rows += special_person_counts(township=township_id, day=day, village_ids=ids)
    return rows
