"""What an action will cost under the rubric that applies, said before it is done (issue 13).

Read from the rubric's own figures (the version assigned to the year), never written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import rubrics
from .rubrics import DISPUTE_REPORTS
from .scoring.types import Rubric


@dataclass(frozen=True)
class Cost:
    item_code: str
    points: Decimal
    counts_as_missing: bool  # the reading where an incomplete report counts as not reported


def unsigned_report_cost(rubric: Rubric) -> Cost | None:
    """The deduction a report on time without its signature or seal costs (评分表 一.4: the
    table's "unsigned_report"; the plan counts it as missing, "missing_report"). None when the
    rubric has no such rule."""
    item = next((i for i in rubric.items if i.kind == DISPUTE_REPORTS), None)
    if item is None:
        return None
    as_missing = bool(item.params.get("unsigned_counts_as_missing"))
    amount = item.params.get("missing_report" if as_missing else "unsigned_report")
    if amount is None:
        return None
    return Cost(item.code, Decimal(str(amount)), as_missing)


def unsigned_report_cost_for(township_id: int, year: int) -> Cost | None:
    return unsigned_report_cost(rubrics.rubric_of(rubrics.version_for_year(township_id, year)))
