"""Writes of the scoring service: score a month, recompute what is stale, move periods, contests.

Every function is keyword-only, runs in a transaction and is the single place its rule lives;
views, the API, commands and Celery tasks call these.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villages.models import Township

from . import rubrics
from .models import (
    Contest,
    ContestState,
    Period,
    PeriodEvent,
    PeriodState,
    RubricVersion,
    ScoreLine,
    StaleVillageMonth,
)
from .scoring import engine
from .scoring.facts import collect_months
from .scoring.types import Sheet
from .sheets import store_sheets

CONTEST_WORKING_DAYS = 5


def period_for(township_id: int, year: int, month: int) -> Period:
    period, _created = Period.objects.get_or_create(township_id=township_id, year=year, month=month)
    return period


def _rule_reason(stored_reason: str) -> str:
    """The reason as the rule wrote it, before the cap's or a waiver's note was appended."""
    return stored_reason.split(",扣完为止")[0].split(engine.WAIVED_NOTE)[0]


def waivers_for(township_id: int, year: int, months) -> dict:
    """{(month, village): waivers} of accepted contests: their lines count 0 on every recompute."""
    rows = Contest.objects.filter(
        village__township_id=township_id,
        year=year,
        month__in=list(months),
        state=ContestState.ACCEPTED,
    ).values_list("month", "village_id", "item_code", "refs", "line_reason")
    found: dict = defaultdict(set)
    for month, village_id, code, refs, reason in rows:
        refs = tuple((kind, int(pk)) for kind, pk in refs)
        waiver = (code, refs) if refs else (code, (), _rule_reason(reason))
        found[(month, village_id)].add(waiver)
    return {key: frozenset(value) for key, value in found.items()}


def compute_months(
    *, township_id: int, year: int, months, version: RubricVersion | None = None, today=None
) -> dict[int, list[Sheet]]:
    """Score every village of the township for the months, without storing anything.

    One read per record kind for all the months together (scoring/facts.py). An open month is
    scored as known today (deadlines not yet passed make it provisional); a closed one is final.
    """
    months = sorted(months)
    version = version or rubrics.version_for_year(township_id, year)
    rubric = rubrics.rubric_of(version)
    closed = set(
        Period.objects.filter(
            township_id=township_id, year=year, month__in=months, state=PeriodState.CLOSED
        ).values_list("month", flat=True)
    )
    known = today or timezone.localdate()
    as_of = {m: None if m in closed else known for m in months}
    facts = collect_months(township_id=township_id, year=year, months=months, as_of=as_of)
    waived = waivers_for(township_id, year, months)
    return {
        month: [
            engine.score_village(rubric, f, waived=waived.get((month, f.village_id), frozenset()))
            for f in facts[(year, month)].values()
        ]
        for month in months
    }


def compute_month(
    *, township_id: int, year: int, month: int, version: RubricVersion | None = None, today=None
) -> list[Sheet]:
    return compute_months(
        township_id=township_id, year=year, months=[month], version=version, today=today
    )[month]


@transaction.atomic
def score_months(*, township_id: int, year: int, months, today=None) -> int:
    """Recompute and store the months' sheets; a closed month's sheets stay as they were closed."""
    closed = set(
        Period.objects.filter(
            township_id=township_id, year=year, month__in=list(months), state=PeriodState.CLOSED
        ).values_list("month", flat=True)
    )
    open_months = [m for m in months if m not in closed]
    if not open_months:
        return 0
    version = rubrics.version_for_year(township_id, year)
    computed = compute_months(
        township_id=township_id, year=year, months=open_months, version=version, today=today
    )
    stored = 0
    for month, sheets in computed.items():
        stored += store_sheets(
            township_id=township_id, year=year, month=month, version=version, sheets=sheets
        )
    return stored


def score_month(*, township_id: int, year: int, month: int, today=None) -> int:
    return score_months(township_id=township_id, year=year, months=[month], today=today)


def recompute_stale_village_months(today=None) -> int:
    """Rebuild every township-month holding a stale village-month; idempotent."""
    marks = list(
        StaleVillageMonth.objects.values_list("pk", "village__township_id", "year", "month")
    )
    groups: dict[tuple[int, int], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, township_id, year, month in marks:
        groups[(township_id, year)][month].append(pk)
    rebuilt = 0
    for (township_id, year), by_month in sorted(groups.items()):
        with transaction.atomic():
            rebuilt += score_months(
                township_id=township_id, year=year, months=sorted(by_month), today=today
            )
            pks = [pk for month_pks in by_month.values() for pk in month_pks]
            StaleVillageMonth.objects.filter(pk__in=pks).delete()
    return rebuilt


def months_to_score(year: int, today: date) -> list[int]:
    """The months of `year` that have begun by `today`: a month still to come has no records,
    and a sheet for it would lose every point and pull the year's mean down."""
    if year < today.year:
        return list(range(1, 13))
    if year > today.year:
        return []
    return list(range(1, today.month + 1))


def score_year(*, township_id: int, year: int, months=None, today=None) -> int:
    today = today or timezone.localdate()
    months = list(months) if months is not None else months_to_score(year, today)
    if not months:
        return 0
    return score_months(township_id=township_id, year=year, months=months, today=today)


# --- Periods ---------------------------------------------------------------------------------


def _require_admin(by, township_id):
    if not by.has_perm("kaohe.manage_assessment", Township.objects.get(pk=township_id)):
        raise PermissionDenied


def _move(period: Period, *, action: str, to: str, by, reason: str = "") -> Period:
    PeriodEvent.objects.create(
        period=period, action=action, from_state=period.state, to_state=to, reason=reason, by=by
    )
    period.state = to
    return period


@transaction.atomic
def period_publish(*, period: Period, by, today=None) -> Period:
    """公示: the sheets become visible to the villages, who may contest a line for five days."""
    _require_admin(by, period.township_id)
    if period.state != PeriodState.OPEN:
        raise ValidationError(_("只有进行中的月份可以公示。"))
    score_month(township_id=period.township_id, year=period.year, month=period.month, today=today)
    _move(period, action="publish", to=PeriodState.PUBLISHED, by=by)
    period.published_at = timezone.now()
    period.save()
    return period


@transaction.atomic
def period_close(*, period: Period, by, reason: str = "") -> Period:
    """关闭: final sheets (nothing provisional is left open), then the month is frozen."""
    _require_admin(by, period.township_id)
    if period.is_closed:
        raise ValidationError(_("%(period)s 已关闭。") % {"period": period})
    pending = Contest.objects.filter(
        village__township_id=period.township_id,
        year=period.year,
        month=period.month,
        state=ContestState.PENDING,
    ).count()
    if pending:
        raise ValidationError(
            _("%(period)s 还有 %(n)d 条申诉未处理,请先处理再关闭。")
            % {"period": period, "n": pending}
        )
    version = rubrics.version_for_year(period.township_id, period.year)
    _move(period, action="close", to=PeriodState.CLOSED, by=by, reason=reason)
    period.closed_at = timezone.now()
    period.save()
    # Scored as closed: no "as of" date, so no line is pending and the sheet is final.
    sheets = compute_month(
        township_id=period.township_id, year=period.year, month=period.month, version=version
    )
    store_sheets(
        township_id=period.township_id,
        year=period.year,
        month=period.month,
        version=version,
        sheets=sheets,
    )
    rubrics.lock(version)
    StaleVillageMonth.objects.filter(
        village__township_id=period.township_id, year=period.year, month=period.month
    ).delete()
    return period


@transaction.atomic
def period_reopen(*, period: Period, by, reason: str) -> Period:
    """重新开启: only with a reason, which is kept; the month's records can change again."""
    _require_admin(by, period.township_id)
    if not period.is_closed:
        raise ValidationError(_("只有已关闭的月份可以重新开启。"))
    if not reason.strip():
        raise ValidationError({"reason": _("重新开启须填写原因。")})
    _move(period, action="reopen", to=PeriodState.PUBLISHED, by=by, reason=reason)
    period.closed_at = None
    period.save()
    return period


# --- Contests --------------------------------------------------------------------------------


def contest_deadline(period: Period) -> date | None:
    if period.published_at is None:
        return None
    from workdays.calendar import add_working_days

    published = timezone.localtime(period.published_at).date()
    return add_working_days(published, CONTEST_WORKING_DAYS).date


@transaction.atomic
def contest_file(*, line: ScoreLine, reason: str, by, today=None) -> Contest:
    sheet = line.sheet
    village = sheet.village
    if not by.has_perm("kaohe.file_contest", village):
        raise PermissionDenied
    period = period_for(village.township_id, sheet.year, sheet.month)
    if period.state != PeriodState.PUBLISHED:
        raise ValidationError(_("只能对已公示、未关闭月份的评分提出申诉。"))
    deadline = contest_deadline(period)
    if deadline is not None and (today or timezone.localdate()) > deadline:
        raise ValidationError(
            _("申诉期已过(截止 %(d)s,公示后5个工作日)。") % {"d": deadline.isoformat()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("请填写申诉理由。")})
    return Contest.objects.create(
        village=village,
        year=sheet.year,
        month=sheet.month,
        item_code=line.item_code,
        line_reason=line.reason,
        refs=line.refs,
        reason=reason,
        filed_by=by,
    )


@transaction.atomic
def contest_decide(*, contest: Contest, accept: bool, reason: str, by) -> Contest:
    """An accepted contest waives its line on every recompute; both outcomes keep the reason."""
    _require_admin(by, contest.village.township_id)
    if contest.state != ContestState.PENDING:
        raise ValidationError(_("该申诉已处理。"))
    if not reason.strip():
        raise ValidationError({"decision_reason": _("请填写处理意见。")})
    period = period_for(contest.village.township_id, contest.year, contest.month)
    if period.is_closed:
        raise ValidationError(_("%(period)s 已关闭,不能处理申诉。") % {"period": period})
    contest.state = ContestState.ACCEPTED if accept else ContestState.REJECTED
    contest.decided_by = by
    contest.decided_at = timezone.now()
    contest.decision_reason = reason
    contest.save()
    if accept:
        score_month(township_id=contest.village.township_id, year=contest.year, month=contest.month)
    return contest
