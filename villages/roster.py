"""Who answered for which village on which day, for a whole township at once.

``holders_on`` and ``villages_answered_by`` (villages/selectors.py) answer one village or person
with a query each; a settlement asks the same of every petition's day and every period's end,
so ``roster`` reads the township's responsibilities over a span once and answers in memory,
with the same answers (a 片长 through the village's area, earliest start first; both ends of a
responsibility inclusive). tests/rewards/test_collect.py checks it against holders_on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Q

from .models import Responsibility


@dataclass(frozen=True)
class Roster:
    """Every responsibility of a township overlapping a span."""

    rows: tuple[tuple, ...]  # (start, pk, role, village_id, area_id, person_id, end), by start
    area_of: dict[int, int]  # village -> area, for the villages asked about

    @cached_property
    def _rows_by_place(self) -> dict[tuple[str, int], list[tuple]]:
        found = defaultdict(list)
        for row in self.rows:
            place = ("village", row[3]) if row[3] else ("area", row[4])
            found[place].append(row)
        return found

    @cached_property
    def _villages_of_area(self) -> dict[int, list[int]]:
        found = defaultdict(list)
        for village_id, area_id in sorted(self.area_of.items()):
            found[area_id].append(village_id)
        return found

    def holders(self, village_id: int, day: date) -> dict[str, tuple[int, ...]]:
        """As villages.selectors.holders_on, for every role at once: role -> person ids."""
        places = self._rows_by_place
        rows = sorted(
            places.get(("village", village_id), [])
            + places.get(("area", self.area_of.get(village_id)), [])
        )
        found: dict[str, list[int]] = defaultdict(list)
        for start, _pk, role, _v, _a, person_id, end in rows:
            if start <= day and (end is None or end >= day) and person_id not in found[role]:
                found[role].append(person_id)
        return {role: tuple(people) for role, people in found.items()}

    def villages_of(self, person_id: int, roles, start: date, end: date) -> list[int]:
        """The villages (of ``area_of``) a person answered for with one of `roles` at any time
        in [start, end]."""
        found: list[int] = []
        for r_start, _pk, role, v_id, a_id, p_id, r_end in self.rows:
            if p_id != person_id or role not in roles:
                continue
            if r_start > end or (r_end is not None and r_end < start):
                continue
            for village_id in [v_id] if v_id else self._villages_of_area.get(a_id, ()):
                if village_id in self.area_of and village_id not in found:
                    found.append(village_id)
        return found


def roster(township_id: int, start: date, end: date, area_of: dict[int, int]) -> Roster:
    """The township's responsibilities overlapping [start, end] (one query); ``area_of`` names
    the villages asked about and their areas."""
    rows = (
        Responsibility.objects.filter(
            Q(village__township_id=township_id) | Q(area__township_id=township_id),
            start__lte=end,
        )
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("start", "pk")
        .values_list("start", "pk", "role", "village_id", "area_id", "person_id", "end")
    )
    return Roster(tuple(rows), dict(area_of))
