"""Writes of the scoring service: score a month, recompute what is stale, move periods, contests.

Every function is keyword-only, runs in a transaction and is the single place its rule lives;
views, the API, commands and Celery tasks call these.
"""

import gc
import logging
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import InterfaceError
from django.db import OperationalError
from django.db import transaction
from django.db.models import F
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.models import User
from audit import services as audit
from jobs.services import job_create
from jobs.services import job_failed
from jobs.services import notify
from villages.models import Township
from workdays.calendar import add_working_days

from . import periods
from . import rubrics
from . import township_figures
from .models import Contest
from .models import ContestState
from .models import Period
from .models import PeriodEvent
from .models import PeriodState
from .models import RubricVersion
from .models import ScoreLine
from .models import StaleVillageMonth
from .scoring import engine
from .scoring.facts import collect_months
from .scoring.types import Sheet
from .sheets import lock_months
from .sheets import store_sheets
from .visibility import month_shown
from .visibility import score_months_shown

log = logging.getLogger(__name__)

CONTEST_WORKING_DAYS = 5


def period_for(township_id: int, year: int, month: int) -> Period:
    period, _created = Period.objects.get_or_create(township_id=township_id, year=year, month=month)
    return period


def _rule_reason(stored_reason: str) -> str:
    """The reason as the rule wrote it, before the cap's or a waiver's note was appended."""
    return stored_reason.split(",扣完为止")[0].split(engine.WAIVED_NOTE)[0]


def waivers_for(township_id: int, year: int, months, village_ids=None) -> dict:
    """{(month, village): waivers} of accepted contests: their lines count 0 on every recompute."""
    rows = Contest.objects.filter(
        village__township_id=township_id,
        year=year,
        month__in=list(months),
        state=ContestState.ACCEPTED,
    )
    if village_ids is not None:
        rows = rows.filter(village_id__in=list(village_ids))
    rows = rows.values_list("month", "village_id", "item_code", "refs", "line_reason")
    found: dict = defaultdict(set)
    for month, village_id, code, refs, reason in rows:
        refs = tuple((kind, int(pk)) for kind, pk in refs)
        waiver = (code, refs) if refs else (code, (), _rule_reason(reason))
        found[(month, village_id)].add(waiver)
    return {key: frozenset(value) for key, value in found.items()}


def compute_months(
    *,
    township_id: int,
    year: int,
    months,
    version: RubricVersion | None = None,
    today=None,
    village_ids=None,
) -> dict[int, list[Sheet]]:
    """Score every village of the township for the months (only `village_ids` when given),
    without storing anything (see scored_months)."""
    return dict(
        scored_months(
            township_id=township_id,
            year=year,
            months=months,
            version=version,
            today=today,
            village_ids=village_ids,
        )
    )


def scored_months(
    *,
    township_id: int,
    year: int,
    months,
    version: RubricVersion | None = None,
    today=None,
    village_ids=None,
):
    """(month, sheets) of each month in turn, each month's facts let go once it is scored, so
    a caller that stores a month and drops its sheets holds one month of sheets at a time.

    One read per record kind for all the months together (scoring/facts.py). An open month is
    scored as known today (deadlines not yet passed make it provisional); a closed one is final.
    A village's sheet depends on its own records only (ranks are read from the stored totals),
    so scoring some villages gives them the sheets scoring all of them would.
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
    facts = collect_months(
        township_id=township_id, year=year, months=months, as_of=as_of, village_ids=village_ids
    )
    waived = waivers_for(township_id, year, months, village_ids)
    for month in months:
        yield (
            month,
            [
                engine.score_village(
                    rubric, f, waived=waived.get((month, f.village_id), frozenset())
                )
                for f in facts.pop((year, month)).values()
            ],
        )


def compute_month(
    *, township_id: int, year: int, month: int, version: RubricVersion | None = None, today=None
) -> list[Sheet]:
    return compute_months(
        township_id=township_id, year=year, months=[month], version=version, today=today
    )[month]


@contextmanager
def gc_paused():
    """Batch scoring builds some 260,000 small frozen objects and no cycle: Python's cyclic
    garbage collector would walk them again and again (40-45% of the time). Objects alive
    before are frozen (never scanned), collection is off during the batch; both restored."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


@transaction.atomic
def score_months(*, township_id: int, year: int, months, today=None, village_ids=None) -> int:
    """Recompute and store the months' sheets; a closed month's sheets stay as they were closed.
    With `village_ids`, only those villages' sheets (the stale ones); the others stay stored.
    Each month's sheets are let go once stored: memory holds the township's facts and one
    month of sheets, not a year of them.

    The months are locked first (sheets.lock_months) and their state read under the lock."""
    return sum(
        _score_and_store(
            township_id=township_id,
            year=year,
            months=months,
            today=today,
            village_ids=village_ids,
            keep=False,
        ).values()
    )


@transaction.atomic
def score_months_computed(
    *, township_id: int, year: int, months, today=None, village_ids=None
) -> dict[int, list[Sheet]]:
    """score_months, handing back the sheets it stored ({month: sheets}, open months only)."""
    return _score_and_store(
        township_id=township_id,
        year=year,
        months=months,
        today=today,
        village_ids=village_ids,
        keep=True,
    )


def _score_and_store(*, township_id, year, months, today, village_ids, keep: bool) -> dict:
    """{month: its sheets if `keep`, else their number} for the open months, stored."""
    lock_months(township_id, year, months)
    closed = set(
        Period.objects.filter(
            township_id=township_id, year=year, month__in=list(months), state=PeriodState.CLOSED
        ).values_list("month", flat=True)
    )
    open_months = [m for m in months if m not in closed]
    if not open_months:
        return {}
    version = rubrics.version_for_year(township_id, year)
    computed = {}
    with gc_paused():
        for month, sheets in scored_months(
            township_id=township_id,
            year=year,
            months=open_months,
            version=version,
            today=today,
            village_ids=village_ids,
        ):
            store_sheets(
                township_id=township_id,
                year=year,
                month=month,
                version=version,
                sheets=sheets,
                village_ids=village_ids,
            )
            computed[month] = sheets if keep else len(sheets)
    return computed


def score_month(*, township_id: int, year: int, month: int, today=None) -> int:
    return score_months(township_id=township_id, year=year, months=[month], today=today)


class RecomputeFailed(Exception):
    """A recompute asked for by hand that the rules could not finish: nothing was stored."""


def score_month_now(*, township_id: int, year: int, month: int) -> int:
    """An admin's 重新计算: the month's sheets rebuilt at once, or, when a record cannot be
    scored, none changed and RecomputeFailed with the reason (shown to the admin, not a 500).
    A database failure is raised as it is."""
    try:
        with transaction.atomic():
            return score_month(township_id=township_id, year=year, month=month)
    except (OperationalError, InterfaceError):
        raise
    except Exception as exc:
        log.exception("manual recompute of township %s %s-%s failed", township_id, year, month)
        raise RecomputeFailed(
            _("%(y)d年%(m)d月 的评分未能重新计算,原有评分未改变。原因:%(reason)s")
            % {"y": year, "m": month, "reason": f"{type(exc).__name__}: {exc}"[:500]}
        ) from exc


def recompute_stale_village_months(today=None, budget_seconds: float | None = None):
    """Rebuild the sheets of every stale village-month, and only those; idempotent.

    The stale villages of a township-month are scored together, in their own transaction: one
    that raises (a record the rules cannot score) keeps its marks with the reason, is reported
    once (record_recompute_failure) and blocks neither the save that marked it nor any other
    month. A mark touched again while its month was being rebuilt stays for the next run.
    Returns (sheets rebuilt, whether months are left because the time budget ran out)."""
    started = time.monotonic()
    now = timezone.now()
    marks = StaleVillageMonth.objects.values_list(
        "pk",
        "village_id",
        "village__township_id",
        "year",
        "month",
        "marked_at",
        "attempts",
        "failed_at",
    )
    groups: dict[tuple[int, int, int], list] = defaultdict(list)
    villages: dict[tuple[int, int, int], set[int]] = defaultdict(set)
    for pk, village_id, township_id, year, month, marked_at, attempts, failed_at in marks:
        groups[(township_id, year, month)].append((pk, marked_at, attempts, failed_at))
        villages[(township_id, year, month)].add(village_id)
    rebuilt = 0
    for (township_id, year, month), group in sorted(groups.items()):
        if _waiting_after_failure(group, now):
            continue
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            return rebuilt, True
        try:
            with transaction.atomic():
                rebuilt += score_months(
                    township_id=township_id,
                    year=year,
                    months=[month],
                    today=today,
                    village_ids=sorted(villages[(township_id, year, month)]),
                )
                # One statement for the group's marks, each only if not marked again since.
                done = Q()
                for pk, marked_at, _attempts, _failed in group:
                    done |= Q(pk=pk, marked_at=marked_at)
                StaleVillageMonth.objects.filter(done).delete()
        except (OperationalError, InterfaceError):
            raise  # the database itself (connection, deadlock): the task retries everything
        except Exception as exc:
            log.exception("recompute of township %s %s-%s failed", township_id, year, month)
            record_recompute_failure(
                township_id=township_id, year=year, month=month, group=group, error=exc
            )
    return rebuilt, False


def _retry_delay(attempts: int) -> timedelta:
    """A month that keeps failing is retried 1, 2, 4 ... minutes apart, at most hourly."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _waiting_after_failure(group, now) -> bool:
    """Failed before and not marked again since: wait out the retry delay."""
    return all(
        failed_at is not None and marked_at <= failed_at and now < failed_at + _retry_delay(n)
        for _pk, marked_at, n, failed_at in group
    )


def record_recompute_failure(*, township_id: int, year: int, month: int, group, error) -> None:
    """Keep the marks with the reason; the first failure of a streak becomes a failed job on
    /jobs/ and a notification to the township's admins (once: the job's key)."""

    reason = f"{type(error).__name__}: {error}"[:2000]
    with transaction.atomic():
        pks = [pk for pk, *_rest in group]
        first = not any(attempts for _pk, _marked, attempts, _failed in group)
        StaleVillageMonth.objects.filter(pk__in=pks).update(
            attempts=F("attempts") + 1, last_error=reason, failed_at=timezone.now()
        )
        if not first:
            return
        township = Township.objects.get(pk=township_id)
        title = _("重新计算 %(y)d年%(m)d月 失败") % {"y": year, "m": month}
        job = job_create(
            kind="recompute",
            title=title,
            params={"township_id": township_id, "year": year, "month": month},
            township=township,
        )
        job_failed(job, reason)
        admins = User.objects.filter(township_id=township_id, role=Role.ADMIN, is_active=True)
        notify(
            users=admins,
            title=title,
            body=_("该月评分未更新,原因:%(reason)s。修正记录后将自动重算。") % {"reason": reason},
            url=reverse("jobs:job_status", args=[job.pk]),
            dedupe_key=f"recompute-failed:{job.pk}",
        )


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


def _lock(period: Period) -> None:
    """Take the month's lock (the one recomputes take) and read its state as committed: two
    admins closing at once, or a recompute running meanwhile, wait for each other."""
    lock_months(period.township_id, period.year, [period.month])
    period.refresh_from_db()


def _move(period: Period, *, action: str, to: str, by, reason: str = "", at=None) -> Period:
    event = PeriodEvent.objects.create(
        period=period, action=action, from_state=period.state, to_state=to, reason=reason, by=by
    )
    if at is not None:  # a move dated in the past (the demo's months): its history says so
        PeriodEvent.objects.filter(pk=event.pk).update(at=at)
    audit.record(f"period_{action}", user=by, obj=period, detail=reason)
    period.state = to
    return period


def period_facts(period: Period) -> periods.PeriodFacts:
    """The month as the state machine reads it (assessment/periods.py)."""
    pending = 0
    if period.state == PeriodState.PUBLISHED:
        pending = Contest.objects.filter(
            village__township_id=period.township_id,
            year=period.year,
            month=period.month,
            state=ContestState.PENDING,
        ).count()
    return periods.PeriodFacts(
        year=period.year,
        month=period.month,
        state=period.state,
        published_at=period.published_at,
        contest_deadline=contest_deadline(period),
        pending_contests=pending,
    )


@transaction.atomic
def period_publish(*, period: Period, by, today=None, at=None) -> Period:
    """公示: the sheets become visible to the villages, who may contest a line for five working
    days. Only once the month has ended. `today`: the day the rule and the scoring are read
    as of; `at`: the publish time recorded (both default to now)."""
    _require_admin(by, period.township_id)
    _lock(period)
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    to = periods.check(periods.PUBLISH, period_facts(period), today)
    score_month(township_id=period.township_id, year=period.year, month=period.month, today=today)
    _move(period, action=periods.PUBLISH, to=to, by=by, at=at)
    period.published_at = at
    period.save()
    return period


@transaction.atomic
def period_close(*, period: Period, by, reason: str = "", today=None) -> Period:
    """关闭: once published, its contest window over and its contests decided; final sheets
    (nothing provisional is left open), then the month is frozen."""
    _require_admin(by, period.township_id)
    _lock(period)
    today = today or timezone.localdate()
    to = periods.check(periods.CLOSE, period_facts(period), today)
    version = rubrics.version_for_year(period.township_id, period.year)
    _move(period, action=periods.CLOSE, to=to, by=by, reason=reason)
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
    # What the district's pages read of the month from now on, stored once (best effort).
    township_figures.store(period, today)
    return period


@transaction.atomic
def period_reopen(*, period: Period, by, reason: str, today=None) -> Period:
    """重新开启: only with a reason, which is kept; the month's records can change again. It
    returns to 已公示 with its publish time kept, or to 进行中 if it was never published."""
    _require_admin(by, period.township_id)
    _lock(period)
    to = periods.check(periods.REOPEN, period_facts(period), today or timezone.localdate())
    if not reason.strip():
        raise ValidationError({"reason": _("重新开启须填写原因。")})
    _move(period, action=periods.REOPEN, to=to, by=by, reason=reason)
    period.closed_at = None
    period.save()
    township_figures.drop(period)  # its records may change again: computed live until closed
    return period


# --- Contests --------------------------------------------------------------------------------


def contest_deadline(period: Period) -> date | None:
    if period.published_at is None:
        return None

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
    contest = Contest.objects.create(
        village=village,
        year=sheet.year,
        month=sheet.month,
        item_code=line.item_code,
        line_reason=line.reason,
        line_reason_parts=line.reason_parts,
        refs=line.refs,
        reason=reason,
        filed_by=by,
    )
    _notify_contest_filed(contest)
    return contest


def _notify_contest_filed(contest: Contest) -> None:
    """The township's admins (but the one who filed it) learn of a new contest to decide."""

    admins = User.objects.filter(
        township_id=contest.village.township_id, role=Role.ADMIN, is_active=True
    ).exclude(pk=contest.filed_by_id)
    notify(
        users=admins,
        title=_("新的评分申诉:%(v)s %(y)d年%(m)d月 %(code)s")
        % {"v": contest.village, "y": contest.year, "m": contest.month, "code": contest.item_code},
        body=_("被申诉的扣分:%(line)s。申诉理由:%(reason)s")
        % {"line": contest.line_reason, "reason": contest.reason},
        url=reverse("assessment:contests") + f"?state={ContestState.PENDING}",
        dedupe_key=f"contest-filed:{contest.pk}",
    )


def _notify_contest_decided(contest: Contest) -> None:
    """The village's secretaries (and an admin who filed on its behalf) learn the decision and
    its reason; only users who may see that month's scores are told (assessment.visibility)."""

    users = list(User.objects.filter(village=contest.village, role=Role.SECRETARY, is_active=True))
    if contest.filed_by_id != contest.decided_by_id and contest.filed_by not in users:
        users.append(contest.filed_by)
    told = [
        user
        for user in users
        if month_shown(
            score_months_shown(user, contest.village.township_id, contest.year),
            contest.year,
            contest.month,
        )
    ]
    outcome = _("已采纳") if contest.state == ContestState.ACCEPTED else _("已驳回")
    url = reverse("assessment:village_scores", args=[contest.village_id])
    notify(
        users=told,
        title=_("评分申诉%(outcome)s:%(y)d年%(m)d月 %(code)s")
        % {"outcome": outcome, "y": contest.year, "m": contest.month, "code": contest.item_code},
        body=_("被申诉的扣分:%(line)s。处理意见:%(reason)s")
        % {"line": contest.line_reason, "reason": contest.decision_reason},
        url=f"{url}?year={contest.year}&month={contest.month}",
        dedupe_key=f"contest-decided:{contest.pk}",
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
    _notify_contest_decided(contest)
    return contest
