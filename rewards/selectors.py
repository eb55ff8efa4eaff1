"""Reads of the ledger: statements per village, per person and for the township, and the rows
of the settlement workbook. Every number a rewards page shows comes from here.

Who sees what: township staff, leaders and admins read the whole township's ledger; a
secretary reads only their own village's lines, and only once approved (a computed line is a
draft that may still change, as an open month's score is hidden from the village).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from django.db.models import Count
from django.db.models import QuerySet
from django.db.models import Sum
from django.utils import timezone

from accounts.access import scope

from .choices import EntryKind
from .choices import EntryStatus
from .choices import RuleCode
from .models import Deposit
from .models import LedgerEntry

ZERO = Decimal("0.00")
YEAR_END = "year"  # the quarter filter's value for the year-end lines


def entries_for(
    user,
    *,
    township=None,
    year: int | None = None,
    quarter: str = "",
    village=None,
    person=None,
    status: str = "",
    kind: str = "",
) -> QuerySet:
    """The ledger lines this user may read, filtered; ``quarter`` is "1".."4", "year" or ""."""
    qs = LedgerEntry.objects.select_related("village", "person", "adjusts")
    if getattr(user, "is_secretary", False):
        qs = scope(qs, user).filter(status__in=[EntryStatus.APPROVED, EntryStatus.PAID])
    elif not user.is_superuser:
        qs = qs.filter(township_id=user.township_id)
    if township is not None:
        qs = qs.filter(township=township)
    if year:
        qs = qs.filter(year=year)
    if quarter == YEAR_END:
        qs = qs.filter(quarter__isnull=True)
    elif quarter in ("1", "2", "3", "4"):
        qs = qs.filter(quarter=int(quarter))
    if village is not None:
        qs = qs.filter(village=village)
    if person is not None:
        qs = qs.filter(person=person)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("year", "quarter", "village__name", "person__name", "pk")


@dataclass
class Totals:
    """Sums of a set of lines: by kind and status (columns in EntryStatus order), and in all."""

    by_kind: list = field(default_factory=list)  # [(label, [amount per status], total)]
    by_status: dict = field(default_factory=dict)  # status -> amount
    total: Decimal = ZERO
    count: int = 0

    @property
    def status_sums(self) -> list[Decimal]:
        return [self.by_status.get(s, ZERO) for s in EntryStatus.values]


def totals(qs: QuerySet) -> Totals:
    """One query: the lines' sums by kind and status."""
    cells: dict[str, dict[str, Decimal]] = defaultdict(dict)
    result = Totals(by_status={s: ZERO for s in EntryStatus.values})
    for kind, status, amount, n in (
        qs.order_by()
        .values("kind", "status")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .values_list("kind", "status", "total", "n")
    ):
        amount = (amount or ZERO).quantize(ZERO)
        cells[kind][status] = amount
        result.by_status[status] += amount
        result.total += amount
        result.count += n
    for kind, label in EntryKind.choices:
        if kind in cells:
            row = [cells[kind].get(s, ZERO) for s in EntryStatus.values]
            result.by_kind.append((label, row, sum(row, ZERO)))
    return result


@dataclass(frozen=True)
class PartyRow:
    """One village's or person's sums: what they get, what they owe, and the net."""

    id: int | None
    name: str
    received: Decimal
    owed: Decimal
    net: Decimal
    pending: int  # computed lines awaiting approval


def _party_rows(qs: QuerySet, field_name: str, name_field: str) -> list[PartyRow]:
    got: dict = defaultdict(lambda: [None, ZERO, ZERO, 0])
    for party_id, name, amount, status in qs.order_by().values_list(
        field_name, name_field, "amount", "status"
    ):
        row = got[party_id]
        row[0] = name
        if amount >= 0:
            row[1] += amount
        else:
            row[2] += amount
        row[3] += status == EntryStatus.COMPUTED
    rows = [
        PartyRow(pk, name or "—", received, owed, received + owed, pending)
        for pk, (name, received, owed, pending) in got.items()
    ]
    return sorted(rows, key=lambda r: (r.id is None, r.name))


def village_rows(qs: QuerySet) -> list[PartyRow]:
    """Per village (lines of people over several villages have none: shown as "—")."""
    return _party_rows(qs, "village_id", "village__name")


def person_rows(qs: QuerySet) -> list[PartyRow]:
    return _party_rows(qs.filter(person__isnull=False), "person_id", "person__name")


def deposits_of(person, year: int | None) -> QuerySet:
    qs = Deposit.objects.filter(person=person).select_related("village", "area")
    return qs.filter(year=year) if year else qs


def summons(township, year: int) -> list:
    """奖惩 4: villages whose year-end lines say 约谈 (below the return line), by name."""
    names = (
        LedgerEntry.objects.filter(
            township=township,
            year=year,
            rule=RuleCode.SETTLEMENT,
            kind=EntryKind.FORFEIT,
            cause__contains="约谈",
            village__isnull=False,
        )
        .values_list("village__name", flat=True)
        .distinct()
    )
    return sorted(set(names))


SETTLEMENT_HEADERS = [
    ("period", "期间"),
    ("village", "村(居)"),
    ("person", "人员"),
    ("kind", "类别"),
    ("rule", "依据条款"),
    ("amount", "金额(元)"),
    ("cause", "事由"),
    ("status", "状态"),
    ("adjustment", "差额调整"),
    ("provisional", "暂定原因"),
    ("approved", "审批"),
    ("paid", "兑现"),
]


def settlement_rows(township, year: int) -> list[dict]:
    """Every ledger line of the township's year as plain values, for the Excel export."""
    qs = (
        LedgerEntry.objects.filter(township=township, year=year)
        .select_related("village", "person", "approved_by", "paid_by")
        .order_by("quarter", "village__name", "person__name", "pk")
    )
    kinds, rules_, statuses = (
        dict(EntryKind.choices),
        dict(RuleCode.choices),
        dict(EntryStatus.choices),
    )
    rows = []
    for e in qs:
        rows.append(
            {
                "period": f"第{e.quarter}季度" if e.quarter else "年终",
                "village": e.village.name if e.village_id else "",
                "person": e.person.name if e.person_id else "",
                "kind": str(kinds.get(e.kind, e.kind)),
                "rule": str(rules_.get(e.rule, e.rule)),
                "amount": e.amount,
                "cause": e.cause,
                "status": str(statuses.get(e.status, e.status)),
                "adjustment": f"调整第{e.adjusts_id}号" if e.adjusts_id else "",
                "provisional": e.provisional_reason,
                "approved": _step(e.approved_by, e.approved_at, e.approval_reason),
                "paid": _step(e.paid_by, e.paid_at, e.payment_reason),
            }
        )
    return rows


def _step(user, at, reason: str) -> str:
    if at is None:
        return ""
    who = (user.get_full_name() or user.username) if user else ""
    return f"{who} {timezone.localtime(at):%Y-%m-%d %H:%M} {reason}".strip()
