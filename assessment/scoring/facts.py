"""Collect: the facts of every village of a township for a period, in a fixed number of queries.

Each record kind has one collector (assessment/scoring/collect/<app>.py) that reads all villages
at once and returns, per village, the VillageFacts fields it fills. The number of queries is
the number of collectors, whatever the number of villages.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections.abc import Callable
from datetime import date

from villages.models import Village

from .collect import COLLECTORS
from .types import VillageFacts


@dataclasses.dataclass(frozen=True)
class Window:
    """What a collector reads: a township's villages over [start, end], known up to as_of."""

    township_id: int
    start: date
    end: date
    as_of: date | None
    village_ids: tuple[int, ...]


Collector = Callable[[Window], dict[int, dict]]


def month_window(township_id: int, year: int, month: int, as_of: date | None) -> Window:
    last = calendar.monthrange(year, month)[1]
    ids = tuple(
        Village.objects.filter(township_id=township_id, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Window(township_id, date(year, month, 1), date(year, month, last), as_of, ids)


def collect(window: Window) -> dict[int, VillageFacts]:
    villages = Village.objects.filter(pk__in=window.village_ids).values_list(
        "pk", "along_railway", "has_cctv_room"
    )
    fields: dict[int, dict] = {
        pk: {"is_railway": railway, "has_cctv_room": cctv} for pk, railway, cctv in villages
    }
    for collector in COLLECTORS:
        for village_id, found in collector(window).items():
            if village_id in fields:
                fields[village_id].update(found)
    return {
        pk: VillageFacts(
            village_id=pk,
            period_start=window.start,
            period_end=window.end,
            as_of=window.as_of,
            **fields[pk],
        )
        for pk in sorted(fields)
    }


def collect_month(
    *, township_id: int, year: int, month: int, as_of: date | None
) -> dict[int, VillageFacts]:
    return collect(month_window(township_id, year, month, as_of))
