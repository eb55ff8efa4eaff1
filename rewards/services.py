"""Writes of the rewards app: schemes, deposits, settlements and the approval of ledger lines.

Each service is keyword-only and atomic. Settling runs collect -> pure rules -> reconcile:
lines still computed follow the recompute, approved and paid lines never change (a difference
becomes a new computed line that adjusts them), and settling again with the same records and
scores writes nothing. Every write is attributed in the history (who, and why).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import EntryCategory
from assessment.rubrics import version_for_year
from assessment.scoring.rules import months_in
from core import periods
from villages.roster import roster as township_roster

from . import collect
from .choices import DEPOSIT_RULES
from .choices import QUARTER_RULES
from .choices import YEAR_RULES
from .choices import EntryStatus
from .models import Deposit
from .models import LedgerEntry
from .models import PriorYearStatus
from .models import RewardScheme
from .scheme import ledger
from .scheme import rules
from .scheme import types

MANAGE = "kaohe.manage_assessment"


@dataclass(frozen=True)
class Result:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    adjustments: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def _require_admin(by, township) -> None:
    if by is None or not by.has_perm(MANAGE, township):
        raise PermissionDenied(_("只有镇管理员可以结算、审批和兑现。"))


def _attribute(obj, by, reason: str) -> None:
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by
    obj._change_reason = reason


# --- Schemes --------------------------------------------------------------------------------


def scheme_for(*, township, year: int) -> RewardScheme:
    """The township's scheme for the year, else the shipped default of that year."""
    scheme = (
        RewardScheme.objects.filter(township=township, year=year).first()
        or RewardScheme.objects.filter(township__isnull=True, year=year).first()
    )
    if scheme is None:
        raise ValidationError(
            _("没有%(year)d年度的奖惩方案,请镇管理员在后台复制上一年度方案后修改。")
            % {"year": year}
        )
    return scheme


def risk_line(township_id: int, year: int) -> Decimal:
    """The score under which a village forfeits its deposit (the scheme's 返还本金分数线), as the
    dashboard's at-risk list and trend lines draw it: the township's scheme for the year, else the
    default of that year, else the latest scheme before it (a year with none yet keeps last year's
    line), else the field's default."""
    return risk_lines([township_id], year)[township_id]


def risk_lines(township_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    """risk_line of each township, in one query (the district's dashboard, side by side)."""
    township_ids = list(township_ids)
    schemes = (
        RewardScheme.objects.filter(
            Q(township_id__in=township_ids) | Q(township__isnull=True), year__lte=year
        )
        .order_by("-year", F("township_id").asc(nulls_last=True))
        .values_list("township_id", "return_from")
    )
    found: dict[int, Decimal] = {}
    default = RewardScheme._meta.get_field("return_from").default
    # Newest year first and, within a year, the township's own scheme before the default: the
    # first row that applies to a township is its line.
    for township_id, line in schemes:
        for pk in [township_id] if township_id is not None else township_ids:
            found.setdefault(pk, Decimal(line))
        if len(found) == len(township_ids):
            break
    return {pk: found.get(pk, Decimal(default)) for pk in township_ids}


# The rubric item kind of 评分表 二 (assessment.scoring.rules.ITEM_RULES): its params name the
# natures a petition is aggravated for (非正常、重复上访).
PETITIONS_BY_LEVEL = "petitions_by_level"


def aggravated_natures(township_id: int, year: int) -> frozenset[str]:
    """二.1 非正常、重复上访加倍: the natures the year's rubric version aggravates (its 评分表 二
    item's ``aggravated_natures``, the very param the score reads), so that an admin who edits
    the rubric changes the fine with the score. A version without that item doubles nothing."""
    params = (
        version_for_year(township_id, year)
        .entries.filter(category=EntryCategory.ITEM, kind=PETITIONS_BY_LEVEL)
        .order_by("order", "pk")
        .values_list("params", flat=True)
        .first()
    )
    return frozenset((params or {}).get("aggravated_natures", ()))


SCHEME_FIELDS = [
    f.name
    for f in RewardScheme._meta.concrete_fields
    if f.name not in ("id", "township", "year", "name")
]


@transaction.atomic
def scheme_copy(*, source: RewardScheme, township, year: int, by, name: str = "") -> RewardScheme:
    """Start a township's scheme for a year from another one (every figure copied)."""
    _require_admin(by, township)
    scheme = RewardScheme(
        township=township,
        year=year,
        name=name or source.name,
        **{f: getattr(source, f) for f in SCHEME_FIELDS},
    )
    scheme.full_clean()
    _attribute(scheme, by, _("复制自 %(s)s") % {"s": source})
    scheme.save()
    return scheme


# --- Writing a plan ---------------------------------------------------------------------------


def _fields(line: types.Line, adjusts_id) -> dict:
    return {
        "key": line.key,
        "rule": line.rule,
        "kind": line.kind,
        "amount": line.amount,
        "cause": line.cause,
        "village_id": line.village_id,
        "person_id": line.person_id,
        "refs": [list(r) for r in line.refs],
        "provisional_reason": line.provisional_reason,
        "adjusts_id": adjusts_id,
    }


def _reconcile(*, township, year, quarter, rule_codes, desired, scheme, by, reason) -> Result:
    # quarter=None filters the year-end lines (Django reads `exact=None` as IS NULL).
    scope = LedgerEntry.objects.filter(
        township=township, year=year, quarter=quarter, rule__in=list(rule_codes)
    )
    existing = {e.pk: e for e in scope.select_for_update(of=("self",)).order_by("pk")}
    stored = [types.Stored(e.pk, e.as_line(), e.status, e.adjusts_id) for e in existing.values()]
    plan = ledger.reconcile(stored, desired)
    now = timezone.now()
    for line, adjusts_id in plan.create:
        entry = LedgerEntry(
            township=township,
            year=year,
            quarter=quarter,
            scheme=scheme,
            status=EntryStatus.COMPUTED,
            computed_by=by,
            computed_at=now,
            **_fields(line, adjusts_id),
        )
        _attribute(entry, by, _("差额待审批") if adjusts_id else reason)
        entry.save()
    for pk, line, adjusts_id in plan.update:
        entry = existing[pk]
        for name, value in _fields(line, adjusts_id).items():
            setattr(entry, name, value)
        entry.scheme, entry.computed_by, entry.computed_at = scheme, by, now
        _attribute(entry, by, reason)
        entry.save()
    for pk in plan.delete:
        entry = existing[pk]
        _attribute(entry, by, _("%(r)s:重算后不再适用") % {"r": reason})
        entry.delete()
    return Result(
        created=len(plan.create),
        updated=len(plan.update),
        deleted=len(plan.delete),
        adjustments=sum(1 for _l, a in plan.create if a) + sum(1 for _p, _l, a in plan.update if a),
    )


# --- Deposits -------------------------------------------------------------------------------


@transaction.atomic
def create_deposits(*, township, year: int, by, today: date | None = None) -> Result:
    """奖惩 1: a deposit for every person holding a deposit-bearing role in the year (so far),
    each with its ledger line; running it again adds only newcomers' deposits.

    A person with several such roles pays once, the largest amount (ties: the earliest role).
    An existing deposit is never changed here (an admin corrects it in the admin); the ledger
    follows the deposits as they stand.
    """
    _require_admin(by, township)
    today = today or timezone.localdate()
    scheme_row = scheme_for(township=township, year=year)
    scheme = scheme_row.figures()
    start, end = date(year, 1, 1), min(date(year, 12, 31), max(today, date(year, 1, 1)))
    # The roster's rows, earliest start first: (start, pk, role, village, area, person, end).
    best: dict[int, tuple] = {}
    for row in township_roster(township.pk, start, end, {}).rows:
        role, person_id = row[2], row[5]
        if role not in scheme.deposits:
            continue
        current = best.get(person_id)
        if current is None or scheme.deposits[role] > scheme.deposits[current[2]]:
            best[person_id] = row
    have = set(
        Deposit.objects.filter(year=year, person_id__in=best).values_list("person_id", flat=True)
    )
    for person_id, (_start, pk, role, village_id, area_id, _person, _end) in best.items():
        if person_id in have:
            continue
        deposit = Deposit(
            township=township,
            year=year,
            person_id=person_id,
            role=role,
            responsibility_id=pk,
            village_id=village_id,
            area_id=area_id,
            amount=scheme.deposits[role],
        )
        deposit.full_clean()
        _attribute(deposit, by, _("按%(year)d年度责任分工生成") % {"year": year})
        deposit.save()
    desired = [
        rules.deposit_line(
            person_id=d.person_id,
            deposit_id=d.pk,
            role=d.role,
            amount=d.amount,
            village_id=d.village_id,
        )
        for d in Deposit.objects.filter(township=township, year=year).order_by("pk")
    ]
    return _reconcile(
        township=township,
        year=year,
        quarter=None,
        rule_codes=DEPOSIT_RULES,
        desired=desired,
        scheme=scheme_row,
        by=by,
        reason=_("生成责任金"),
    )


# --- Settlements ----------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("季度须为1至4。"))
    return periods.quarter_bounds(year, quarter)


def _active_months(village, start: date, end: date) -> list[tuple[int, int]]:
    """The months of [start, end] the village is assessed in (Village.is_active_in)."""
    return [(y, m) for y, m in months_in(start, end) if village.is_active_in(y, m)]


def _assessed(months_by_year, village, start: date, end: date) -> bool:
    """Every month of the period the village is assessed in has its sheet (and there is one):
    a village set up mid-year is not provisional for the months before it existed."""
    months = _active_months(village, start, end)
    return bool(months) and all(m in months_by_year(y).get(village.pk, ()) for y, m in months)


def _sheet_months(township_id: int):
    cache: dict[int, dict] = {}

    def months_of(year: int) -> dict:
        if year not in cache:
            cache[year] = collect.sheet_months(township_id, year)
        return cache[year]

    return months_of


def quarter_lines(*, township, year: int, quarter: int, today: date) -> list[types.Line]:
    """Everything 季兑现 pays or charges for the quarter (nothing is written)."""
    scheme = scheme_for(township=township, year=year).figures()
    start, end = quarter_bounds(year, quarter)
    tid = township.pk
    village_map = collect.villages(tid)
    roster = collect.roster(tid, start, end, village_map)
    petitions = collect.petitions(
        tid, start, end, roster=roster, deposits=collect.deposits(tid, year)
    )
    lines = rules.beijing_forfeit_lines(petitions)
    lines += rules.petition_fine_lines(scheme, petitions, aggravated=aggravated_natures(tid, year))
    lines += rules.backlog_lines(scheme, *collect.backlog(tid, start, end))
    lines += rules.dossier_lines(scheme, collect.accepted_dossiers(tid, start, end))
    lines += rules.staff_commended_lines(
        scheme, collect.staff_commendations(tid, date(year, 1, 1), end), start, end
    )
    months_of = _sheet_months(tid)
    by_village = {pk: [p for p in petitions if p.village_id == pk] for pk in village_map}
    zero = rules.zero_quarter_lines(
        scheme,
        [
            types.VillagePeriod(
                village_id=pk,
                name=village.name,
                petitions=tuple(by_village[pk]),
                holders=roster.holders(pk, end),
                assessed=_assessed(months_of, village, start, end),
            )
            for pk, village in village_map.items()
            if _active_months(village, start, end)
        ],
        start,
        end,
        f"{year}年第{quarter}季度",
    )
    if today <= end:
        zero = rules.with_provisional(zero, _("本季度尚未结束"))
    lines += zero
    for period in collect.periods_ending(tid, start, end):
        during = collect.petitions(tid, period.start, period.end)
        awarded = rules.sensitive_period_lines(
            scheme,
            period,
            [
                types.VillagePeriod(
                    village_id=pk,
                    name=village.name,
                    petitions=tuple(p for p in during if p.village_id == pk),
                    holders=roster.holders(pk, period.end),
                    assessed=_assessed(months_of, village, period.start, period.end),
                )
                for pk, village in village_map.items()
                if _active_months(village, period.start, period.end)
            ],
        )
        if today <= period.end:
            awarded = rules.with_provisional(awarded, _("该时期尚未结束"))
        lines += awarded
    return lines


@transaction.atomic
def settle_quarter(*, township, year: int, quarter: int, by, today: date | None = None) -> Result:
    """季兑现: compute the quarter's fines and awards and bring the ledger in line with them."""
    _require_admin(by, township)
    today = today or timezone.localdate()
    lines = quarter_lines(township=township, year=year, quarter=quarter, today=today)
    return _reconcile(
        township=township,
        year=year,
        quarter=quarter,
        rule_codes=QUARTER_RULES,
        desired=lines,
        scheme=scheme_for(township=township, year=year),
        by=by,
        reason=_("%(y)d年第%(q)d季度兑现计算") % {"y": year, "q": quarter},
    )


def _breaks(scheme: types.Scheme, petitions: Iterable[types.Petition]) -> bool:
    return any(rules.breaks_zero_petition(scheme, p) for p in petitions)


def _previous_zero(scheme, before, *, kept: bool, stated: bool | None) -> bool | None:
    """Whether the year before was a zero-petition year (docs/rubric.md "Money"): from its records
    when kaohe kept it; else what an admin stated (PriorYearStatus), which a breaking petition
    recorded in kaohe for that year still overrides; else unknown (None)."""
    if kept:
        return not _breaks(scheme, before)
    if stated is None:
        return None
    return stated and not _breaks(scheme, before)


def year_lines(*, township, year: int, today: date) -> list[types.Line]:
    """年终综合考核: deposit settlements, the zero-petition year and the top three."""
    scheme = scheme_for(township=township, year=year).figures()
    start, end = date(year, 1, 1), date(year, 12, 31)
    tid = township.pk
    village_map = collect.villages(tid)
    roster = collect.roster(tid, start, end, village_map)
    annual = collect.annual(tid, year, village_map)
    lines = rules.settlement_lines(scheme, collect.depositors(tid, year, scheme, roster, annual))
    petitions = collect.petitions(tid, start, end)
    previous = collect.petitions(tid, date(year - 1, 1, 1), date(year - 1, 12, 31))
    months_of = _sheet_months(tid)
    holders = {pk: roster.holders(pk, end) for pk in village_map}
    stated = collect.prior_year_statuses(tid, year - 1)
    last_year = (date(year - 1, 1, 1), date(year - 1, 12, 31))
    zero = []
    for pk, village in village_map.items():
        if not _active_months(village, start, end):
            continue
        before = [p for p in previous if p.village_id == pk]
        zero.append(
            types.VillagePeriod(
                village_id=pk,
                name=village.name,
                petitions=tuple(p for p in petitions if p.village_id == pk),
                holders=holders[pk],
                assessed=_assessed(months_of, village, start, end),
                vetoes=annual[pk].vetoes,
                previous_zero=_previous_zero(
                    scheme,
                    before,
                    kept=_assessed(months_of, village, last_year[0], last_year[1]),
                    stated=stated.get(pk),
                ),
                previous_stated=pk in stated,
            )
        )
    lines += rules.zero_year_lines(scheme, zero, year)
    lines += rules.top_three_lines(scheme, list(annual.values()), holders)
    if today <= end:
        lines = rules.with_provisional(lines, _("本年度尚未结束"))
    return lines


@transaction.atomic
def settle_year(*, township, year: int, by, today: date | None = None) -> Result:
    """年终兑现: settle every deposit by the annual score, and the year's awards."""
    _require_admin(by, township)
    today = today or timezone.localdate()
    lines = year_lines(township=township, year=year, today=today)
    return _reconcile(
        township=township,
        year=year,
        quarter=None,
        rule_codes=YEAR_RULES,
        desired=lines,
        scheme=scheme_for(township=township, year=year),
        by=by,
        reason=_("%(y)d年度年终兑现计算") % {"y": year},
    )


# --- Approval and payment -------------------------------------------------------------------


def _entries(entries) -> list[LedgerEntry]:
    return sorted({e.pk: e for e in entries}.values(), key=lambda e: e.pk)


@transaction.atomic
def approve_entries(*, entries: Iterable[LedgerEntry], by, reason: str) -> int:
    """审批: computed lines become approved, all or none. Provisional lines are refused (their
    figures may still change), as are lines of another township; approved and paid lines are
    left as they are. Returns how many lines were approved."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写审批说明。"))
    chosen = _entries(
        LedgerEntry.objects.select_for_update(of=("self",)).filter(pk__in=[e.pk for e in entries])
    )
    for entry in chosen:
        _require_admin(by, entry.township)
    provisional = [e for e in chosen if e.status == EntryStatus.COMPUTED and e.provisional]
    if provisional:
        raise ValidationError(
            _("暂定的行不能审批(%(n)d行),例如:%(cause)s——%(why)s")
            % {
                "n": len(provisional),
                "cause": provisional[0].cause,
                "why": provisional[0].provisional_reason,
            }
        )
    now, count = timezone.now(), 0
    for entry in chosen:
        if entry.status != EntryStatus.COMPUTED:
            continue
        entry.status, entry.approved_by, entry.approved_at = EntryStatus.APPROVED, by, now
        entry.approval_reason = reason[:300]
        _attribute(entry, by, _("审批:%(r)s") % {"r": reason})
        entry.save()
        count += 1
    return count


@transaction.atomic
def pay_entries(*, entries: Iterable[LedgerEntry], by, reason: str) -> int:
    """兑现: approved lines are marked paid (money handed over or collected), all or none;
    a line not yet approved is refused. Returns how many lines were marked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写兑现说明。"))
    chosen = _entries(
        LedgerEntry.objects.select_for_update(of=("self",)).filter(pk__in=[e.pk for e in entries])
    )
    for entry in chosen:
        _require_admin(by, entry.township)
    unapproved = [e for e in chosen if e.status == EntryStatus.COMPUTED]
    if unapproved:
        raise ValidationError(_("未审批的行不能兑现(%(n)d行),请先审批。") % {"n": len(unapproved)})
    now, count = timezone.now(), 0
    for entry in chosen:
        if entry.status != EntryStatus.APPROVED:
            continue
        entry.status, entry.paid_by, entry.paid_at = EntryStatus.PAID, by, now
        entry.payment_reason = reason[:300]
        _attribute(entry, by, _("兑现:%(r)s") % {"r": reason})
        entry.save()
        count += 1
    return count


# --- What came before kaohe -----------------------------------------------------------------


def check_prior_year(*, village, year: int) -> None:
    """Refuse a statement about a year kaohe kept: its records decide."""
    if _assessed(_sheet_months(village.township_id), village, date(year, 1, 1), date(year, 12, 31)):
        raise ValidationError(
            {"year": _("%(y)d年度已在系统中考核,零上访按系统记录计算,无需声明。") % {"y": year}}
        )


@transaction.atomic
def state_prior_year(
    *, village, year: int, zero_petition: bool, reason: str, by, instance=None
) -> PriorYearStatus:
    """An admin states whether a year kaohe did not keep was a zero-petition year for the
    village (with the reason; who and when are recorded, every change in its history). A year
    kaohe kept counts from its records and is refused here."""
    _require_admin(by, village.township)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写依据。")})
    check_prior_year(village=village, year=year)
    status = instance or PriorYearStatus.objects.filter(village=village, year=year).first()
    status = status or PriorYearStatus(village=village, year=year)
    status.village, status.year = village, year
    status.zero_petition, status.reason, status.stated_by = zero_petition, reason, by
    status.full_clean()
    _attribute(status, by, reason)
    status.save()
    return status
