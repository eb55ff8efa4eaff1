"""Builders of facts for the scoring tests: a village-month in order, and records to add to it."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date

from assessment.scoring.rules import months_in
from assessment.scoring.rules import weeks_of_period
from assessment.scoring.types import GROUP_RAILWAY
from assessment.scoring.types import GROUPS
from assessment.scoring.types import LEVEL_TOWNSHIP
from assessment.scoring.types import NATURE_NORMAL
from assessment.scoring.types import SPECIAL_CATEGORIES
from assessment.scoring.types import DisputeReport
from assessment.scoring.types import Event
from assessment.scoring.types import Inspection
from assessment.scoring.types import ItemSpec
from assessment.scoring.types import Meeting
from assessment.scoring.types import PatrolWeek
from assessment.scoring.types import Petition
from assessment.scoring.types import RecordRef
from assessment.scoring.types import Rubric
from assessment.scoring.types import VillageFacts
from core.periods import month_end

_ids = itertools.count(1000)


def ref(kind: str) -> RecordRef:
    return RecordRef(kind, next(_ids))


def reports_for(year: int, month: int) -> tuple[DisputeReport, ...]:
    """Both reports of a month, on time, signed and sealed."""
    return (
        DisputeReport(ref("report"), year, month, 1, date(year, month, 13)),
        DisputeReport(ref("report"), year, month, 2, date(year, month, 27)),
    )


def in_order(start: date, end: date, *, village_id: int = 1, **overrides) -> VillageFacts:
    """A village with everything in order over [start, end] (docs/rubric.md's worked example)."""
    months = months_in(start, end)
    facts = VillageFacts(
        village_id=village_id,
        period_start=start,
        period_end=end,
        meetings=tuple(Meeting(ref("meeting"), date(y, m, 10)) for y, m in months),
        baobao_register=True,
        dispute_reports=tuple(r for y, m in months for r in reports_for(y, m)),
        inspection=Inspection(ref("inspection"), date(end.year, end.month, 20)),
        special_categories_covered=frozenset(SPECIAL_CATEGORIES),
        patrol_weeks=tuple(PatrolWeek(y, w, 3) for y, w in weeks_of_period(start, end)),
        groups=frozenset(code for code in GROUPS if code != GROUP_RAILWAY),
    )
    return dataclasses.replace(facts, **overrides)


def month_in_order(year: int = 2026, month: int = 4, **overrides) -> VillageFacts:
    return in_order(date(year, month, 1), month_end(year, month), **overrides)


def petition(
    level: str = LEVEL_TOWNSHIP,
    nature: str = NATURE_NORMAL,
    *,
    on: date = date(2026, 4, 8),
    persons: int = 1,
    **fields,
) -> Petition:
    return Petition(ref("petition"), on, level, nature, person_count=persons, **fields)


def event(kind: str, on: date = date(2026, 4, 8)) -> Event:
    return Event(ref(kind), on)


def with_params(rubric: Rubric, code: str, **params) -> Rubric:
    """A copy of the rubric with some params of one item changed, as an admin would."""

    def change(item: ItemSpec) -> ItemSpec:
        if item.code != code:
            return item
        return dataclasses.replace(item, params={**item.params, **params})

    return dataclasses.replace(rubric, items=tuple(change(item) for item in rubric.items))
