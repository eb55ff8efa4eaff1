"""Reconciling a recompute with the stored ledger: plain data in, a plan of writes out.

Nothing here knows Django; rewards/services.py reads the stored lines of one scope, asks
``reconcile`` what to write and writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from .rules import yuan
from .types import FIXED_STATUSES
from .types import ZERO
from .types import Line
from .types import Plan
from .types import Stored


def _difference(fixed_sum: Decimal, target: Line | None, original: Line) -> Line:
    basis = target or original
    now = yuan(target.amount) if target else "0"
    why = target.cause if target else "重算后不再适用"
    return replace(
        basis,
        amount=(target.amount if target else ZERO) - fixed_sum,
        cause=f"差额待审批:已审批{yuan(fixed_sum)}元,重算为{now}元({why})",
    )


def reconcile(stored: Iterable[Stored], desired: Iterable[Line]) -> Plan:
    """Bring the stored lines of one scope in line with a recompute.

    A computed line follows the recompute (changed in place, or deleted when no longer due).
    An approved or paid line never changes: when the recompute disagrees with the sum of a
    key's approved and paid lines, one computed line holds the difference, marked as adjusting
    the original approved line, and awaits approval in turn. Settling twice with the same
    facts plans nothing.
    """
    by_key: dict[str, list[Stored]] = {}
    for s in stored:
        by_key.setdefault(s.line.key, []).append(s)
    wanted: dict[str, Line] = {}
    for line in desired:
        if line.key in wanted:
            raise ValueError(f"two lines for key {line.key}")
        wanted[line.key] = line
    create, update, delete = [], [], []
    for key in list(wanted) + [k for k in by_key if k not in wanted]:
        target = wanted.get(key)
        rows = sorted(by_key.get(key, []), key=lambda s: s.id)
        fixed = [s for s in rows if s.status in FIXED_STATUSES]
        pending = [s for s in rows if s.status not in FIXED_STATUSES]
        if fixed:
            original = next((s for s in fixed if s.adjusts_id is None), fixed[0])
            fixed_sum = sum((s.line.amount for s in fixed), ZERO)
            goal = target.amount if target else ZERO
            if goal == fixed_sum:
                delete += [s.id for s in pending]
                continue
            line, adjusts = _difference(fixed_sum, target, original.line), original.id
        elif target is None:
            delete += [s.id for s in pending]
            continue
        else:
            line, adjusts = target, None
        if pending:
            keep, *extra = pending
            delete += [s.id for s in extra]
            if keep.line != line or keep.adjusts_id != adjusts:
                update.append((keep.id, line, adjusts))
        else:
            create.append((line, adjusts))
    return Plan(create=tuple(create), update=tuple(update), delete=tuple(delete))
