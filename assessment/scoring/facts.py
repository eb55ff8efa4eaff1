"""Collect: the facts of every village of a township for one or more months, in a fixed number
of queries.

Each record kind has one collector (assessment/scoring/collect/<app>.py). A collector reads its
rows for ALL villages over the whole window at once and returns them bucketed by month:
{(year, month): {village_id: {VillageFacts field: value}}}. Standing facts (registers, the
latest inspection) are evaluated at each month's end from the same rows. A year's recompute is
therefore one query per record kind, not one per month or per village.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from core.periods import month_end
from villages import rules as village_rules
from villages.models import Village

from .collect import COLLECTORS
from .types import VillageFacts
from .window import Month
from .window import Window
from .window import merge


def window_for(
    township_id: int,
    year: int,
    months: Iterable[int],
    as_of: dict[int, date | None],
    village_ids: Iterable[int] | None = None,
) -> Window:
    """The township's villages assessed in the months; only `village_ids` of them when given
    (the stale ones: a village's sheet depends on its own records only)."""
    keys = tuple((year, m) for m in sorted(months))
    villages = Village.objects.filter(township_id=township_id)
    if village_ids is not None:
        villages = villages.filter(pk__in=list(village_ids))
    ids = tuple(
        villages.assessed_between(month_end(*keys[0]), month_end(*keys[-1]))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Window(township_id, ids, keys, {(year, m): as_of.get(m) for m in sorted(months)})


def collect(window: Window) -> dict[Month, dict[int, VillageFacts]]:
    villages = Village.objects.filter(pk__in=window.village_ids).values_list(
        "pk", "along_railway", "has_cctv_room", "active_from", "active_until"
    )
    base, spans = {}, {}
    for pk, railway, cctv, active_from, active_until in villages:
        base[pk] = {"is_railway": railway, "has_cctv_room": cctv, "active_from": active_from}
        spans[pk] = (active_from, active_until)
    found = merge(*(collector(window) for collector in COLLECTORS))
    result = {}
    for month in window.months:
        start, end = date(*month, 1), month_end(*month)
        by_village = found.get(month, {})
        # Only the villages assessed in the month (villages.rules.assessed_in): one set up later
        # or merged away earlier has no sheet for it, so it is neither scored nor ranked.
        result[month] = {
            pk: VillageFacts(
                village_id=pk,
                period_start=start,
                period_end=end,
                as_of=window.as_of[month],
                **base[pk],
                **by_village.get(pk, {}),
            )
            for pk in sorted(base)
            if village_rules.assessed_in(*spans[pk], *month)
        }
    return result


def collect_month(
    *, township_id: int, year: int, month: int, as_of: date | None
) -> dict[int, VillageFacts]:
    window = window_for(township_id, year, [month], {month: as_of})
    return collect(window)[(year, month)]


def collect_months(
    *,
    township_id: int,
    year: int,
    months: Iterable[int],
    as_of: dict[int, date | None],
    village_ids: Iterable[int] | None = None,
) -> dict[Month, dict[int, VillageFacts]]:
    return collect(window_for(township_id, year, months, as_of, village_ids))
