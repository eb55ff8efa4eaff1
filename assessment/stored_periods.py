"""Quarter and year scores, built once from the month sheets and then read as a row per village.

A year's ranking rebuilt every village's PeriodScore from 12,000 month sheets on each page, API
call and 评分表 (1.7-1.9 s for 1,000 villages, issue 14). Here the result is stored as a
PeriodScoreSet, with a stamp of what it was built from:

- the span's stored sheets: their number, the largest and the sum of their ids, and the latest
  time one was written. A recompute that changes a sheet deletes it and inserts a new row
  (assessment.sheets.store_sheets), and one that changes nothing writes nothing; a sheet saved
  in place through the ORM gets a new `computed_at`. So any change to the span's sheets (a
  recompute, a deletion, a save) changes the stamp, and a recompute that found nothing changed
  keeps it;
- the rubric version assigned for the year (and whether it is locked);
- the villages assessed and the dates they take part between, from which
  villages.selectors.assessed_months derives their months.

A read whose stamp matches reads the stored rows (three small queries); one whose stamp does not
match computes as before, hands back what it computed, and stores it for the next read. The
stamp is read before the sheets, so a recompute committed in between leaves a stamp older than
the rows: the next read rebuilds them. Storing is best effort: if it fails (a lock, a read-only
database) the page still gets the scores it computed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import DatabaseError
from django.db import transaction
from django.db.models import Count
from django.db.models import Max
from django.db.models import Sum

from core import periods
from villages.models import Village

from . import rubrics
from .models import PeriodScoreRow
from .models import PeriodScoreSet
from .models import ScoreSheet
from .scoring.reasons import parts_of
from .scoring.reasons import with_parts
from .scoring.types import PeriodScore
from .scoring.types import RecordRef
from .scoring.types import Veto

log = logging.getLogger(__name__)

YEAR = 0  # PeriodScoreSet.quarter of the year's scores


def _months(quarter: int) -> list[int]:
    return list(range(1, 13)) if quarter == YEAR else list(periods.quarter_months(quarter))


def stamp_of(township_id: int, year: int, quarter: int) -> str:
    """What the span's scores are built from, as a short text (see the module docstring)."""
    return stamps_of([township_id], year, quarter)[township_id]


def stamps_of(township_ids, year: int, quarter: int) -> dict[int, str]:
    """stamp_of of each township, in the queries stamp_of takes for one (the district's
    dashboard reads many townships' span scores at once)."""
    township_ids = list(township_ids)
    sheets = {
        row["village__township_id"]: row
        for row in ScoreSheet.objects.filter(
            village__township_id__in=township_ids, year=year, month__in=_months(quarter)
        )
        .order_by()
        .values("village__township_id")
        .annotate(n=Count("id"), top=Max("id"), total=Sum("id"), last=Max("computed_at"))
    }
    versions = rubrics.versions_for_year(township_ids, year)
    # What assessed_months derives the months from, rather than the months themselves: the same
    # answer without 12 rule calls per village.
    rosters: dict[int, list] = {pk: [] for pk in township_ids}
    for township_id, *village in (
        Village.objects.filter(township_id__in=township_ids, is_active=True)
        .order_by("pk")
        .values_list("township_id", "pk", "active_from", "active_until")
    ):
        rosters[township_id].append(tuple(village))
    return {pk: _stamp(sheets.get(pk, NO_SHEETS), versions[pk], rosters[pk]) for pk in township_ids}


NO_SHEETS = {"n": 0, "top": None, "total": None, "last": None}


def _stamp(sheets: dict, version, roster: list) -> str:
    roster_hash = hashlib.blake2b(repr(roster).encode(), digest_size=8).hexdigest()
    locked = int(version.locked_at.timestamp()) if version.locked_at else 0
    return (
        f"s{sheets['n']}.{sheets['top'] or 0}.{sheets['total'] or 0}"
        f".{sheets['last'].timestamp() if sheets['last'] else 0}"
        f"-v{version.pk}.{locked}-r{roster_hash}"
    )


def period_scores(
    township_id: int, year: int, quarter: int, compute: Callable[[], dict[int, PeriodScore]]
) -> dict[int, PeriodScore]:
    """The span's PeriodScore of each village: the stored ones if they are still what `compute`
    would give, else `compute()`'s, stored for the next read."""
    return period_scores_of([township_id], year, quarter, lambda _pk: compute())[township_id]


def period_scores_of(
    township_ids, year: int, quarter: int, compute: Callable[[int], dict[int, PeriodScore]]
) -> dict[int, dict[int, PeriodScore]]:
    """period_scores of each township ({township: {village: PeriodScore}}), `compute(township)`
    for those whose stored scores are missing or out of date: the stored ones are read in the
    same queries for any number of townships."""
    township_ids = list(township_ids)
    stamps = stamps_of(township_ids, year, quarter)
    found = {
        township_id: (pk, stamp)
        for township_id, pk, stamp in PeriodScoreSet.objects.filter(
            township_id__in=township_ids, year=year, quarter=quarter
        ).values_list("township_id", "pk", "stamp")
    }
    fresh = {found[t][0]: t for t in township_ids if t in found and found[t][1] == stamps[t]}
    scores = _read(fresh, year, quarter)
    for township_id in township_ids:
        if township_id in scores:
            continue
        scores[township_id] = compute(township_id)
        try:
            _store(township_id, year, quarter, stamps[township_id], scores[township_id])
        except DatabaseError:  # derived data: the page has what it needs without it
            log.warning(
                "could not store the period scores of %s %s Q%s", township_id, year, quarter
            )
    return scores


def _store(
    township_id: int, year: int, quarter: int, stamp: str, scores: dict[int, PeriodScore]
) -> None:
    with transaction.atomic():
        PeriodScoreSet.objects.bulk_create(
            [PeriodScoreSet(township_id=township_id, year=year, quarter=quarter, stamp="")],
            ignore_conflicts=True,
        )
        # Two readers storing at once take turns on the set's row.
        score_set = PeriodScoreSet.objects.select_for_update().get(
            township_id=township_id, year=year, quarter=quarter
        )
        score_set.rows.all()._raw_delete(PeriodScoreRow.objects.db)
        PeriodScoreRow.objects.bulk_create(
            [
                PeriodScoreRow(set=score_set, village_id=pk, score=s.score, data=_data(s))
                for pk, s in scores.items()
            ],
            batch_size=1000,
        )
        score_set.stamp = stamp
        score_set.extras = {}
        score_set.save(update_fields=["stamp", "extras", "built_at"])


def derived(township_id: int, year: int, quarter: int, key: str, compute: Callable[[], object]):
    """A figure derived from the span's month sheets (JSON data, named `key`), stored beside the
    span's scores under the same stamp: the stored one while the stamp holds, else `compute()`'s,
    stored when the span's scores are stored for the same stamp. Best effort, as they are."""
    stamp = stamp_of(township_id, year, quarter)
    found = (
        PeriodScoreSet.objects.filter(township_id=township_id, year=year, quarter=quarter)
        .values_list("stamp", "extras")
        .first()
    )
    if found is not None and found[0] == stamp and key in found[1]:
        return found[1][key]
    value = compute()
    if found is not None and found[0] == stamp:
        try:
            with transaction.atomic():
                score_set = PeriodScoreSet.objects.select_for_update().get(
                    township_id=township_id, year=year, quarter=quarter
                )
                if score_set.stamp == stamp:
                    score_set.extras = {**score_set.extras, key: value}
                    score_set.save(update_fields=["extras"])
        except DatabaseError:
            log.warning("could not store %s of %s %s Q%s", key, township_id, year, quarter)
    return value


def _data(s: PeriodScore) -> dict:
    data: dict = {"computed": str(s.computed), "months": [d.month for d in s.months]}
    if s.score != s.computed:
        data["score"] = str(s.score)  # exact: the column keeps two places
    if s.vetoes:
        data["vetoes"] = [
            [v.cause, str(v.reason), parts_of(v.reason), [[r.kind, r.id] for r in v.refs]]
            for v in s.vetoes
        ]
    if s.provisional_reasons:
        data["provisional"] = [[str(r), parts_of(r)] for r in s.provisional_reasons]
    return data


def _read(sets: dict[int, int], year: int, quarter: int) -> dict[int, dict[int, PeriodScore]]:
    """{township: {village: PeriodScore}} of the stored sets ({set id: township}): one query."""
    months = _months(quarter)
    start, period_end = date(year, months[0], 1), periods.month_end(year, months[-1])
    found: dict[int, dict[int, PeriodScore]] = {pk: {} for pk in sets.values()}
    if not sets:
        return found
    rows = PeriodScoreRow.objects.filter(set_id__in=list(sets)).values_list(
        "set_id", "village_id", "data"
    )
    for set_id, pk, data in rows:
        found[sets[set_id]][pk] = PeriodScore(
            village_id=pk,
            period_start=start,
            period_end=period_end,
            score=Decimal(data.get("score", data["computed"])),
            computed=Decimal(data["computed"]),
            months=tuple(date(year, m, 1) for m in data["months"]),
            vetoes=tuple(
                Veto(cause, with_parts(text, parts), tuple(RecordRef(k, i) for k, i in refs))
                for cause, text, parts, refs in data.get("vetoes", ())
            ),
            provisional_reasons=tuple(
                with_parts(text, parts) for text, parts in data.get("provisional", ())
            ),
        )
    return found
