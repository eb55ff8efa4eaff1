"""The window a collector reads (a township's villages over whole months) and the two helpers
every collector shares to bucket its rows by month and merge them. Apart from facts.py, so that
facts.py can import the collectors at its top and the collectors can import this."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from datetime import date

from core.periods import month_end

Month = tuple[int, int]


@dataclasses.dataclass(frozen=True)
class Window:
    """What a collector reads: a township's villages over whole months, each known up to as_of."""

    township_id: int
    village_ids: tuple[int, ...]
    months: tuple[Month, ...]
    as_of: dict[Month, date | None]

    @property
    def start(self) -> date:
        year, month = self.months[0]
        return date(year, month, 1)

    @property
    def end(self) -> date:
        return month_end(*self.months[-1])

    def month_of(self, day: date) -> Month | None:
        key = (day.year, day.month)
        return key if key in self.months else None

    def month_ends(self) -> list[tuple[Month, date]]:
        return [(m, month_end(*m)) for m in self.months]


Collector = Callable[[Window], dict[Month, dict[int, dict]]]


def bucket(window: Window, rows: Iterable, when: Callable, field: str) -> dict:
    """Group dated facts by (month, village) into {month: {village: {field: tuple}}}."""
    found: dict[Month, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for village_id, fact in rows:
        month = window.month_of(when(fact))
        if month is not None:
            found[month][village_id].append(fact)
    return {
        month: {v: {field: tuple(items)} for v, items in by_village.items()}
        for month, by_village in found.items()
    }


def merge(*parts: dict) -> dict:
    merged: dict[Month, dict[int, dict]] = defaultdict(lambda: defaultdict(dict))
    for part in parts:
        for month, by_village in part.items():
            for village_id, fields in by_village.items():
                merged[month][village_id].update(fields)
    return merged
