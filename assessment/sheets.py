"""Storing and reading back the pure engine's sheets (derived data: rebuilt, never edited)."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction

from .models import Period, RubricVersion, ScoreLine, ScoreSheet
from .scoring.reasons import parts_of
from .scoring.types import ItemScore, Line, RecordRef, SectionScore, Sheet, Veto


def _refs_json(refs: Iterable[RecordRef]) -> list:
    return [[ref.kind, ref.id] for ref in refs]


def _refs_of(data) -> tuple[RecordRef, ...]:
    return tuple(RecordRef(kind, int(pk)) for kind, pk in data)


def lock_months(township_id: int, year: int, months: Iterable[int]) -> None:
    """Hold the township-months' Period rows (FOR UPDATE) until the transaction ends.

    Whoever writes a month's sheets or changes its state holds this lock first, so two
    recomputes of the same month run one after the other (the second rebuilds the same sheets)
    instead of deleting the sheets the other's lines still point at, and a recompute never
    overwrites the final sheets of a month closed meanwhile. Months in ascending order: two
    holders of several months cannot deadlock. A no-op on SQLite, which locks the whole file.
    """
    months = sorted(set(months))
    if not months:
        return
    Period.objects.bulk_create(
        [Period(township_id=township_id, year=year, month=m) for m in months],
        ignore_conflicts=True,
    )
    list(
        Period.objects.select_for_update()
        .filter(township_id=township_id, year=year, month__in=months)
        .order_by("month")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def store_sheets(
    *, township_id: int, year: int, month: int, version: RubricVersion, sheets: list[Sheet]
) -> int:
    """Replace the township's stored sheets for the month, in a fixed number of queries."""
    lock_months(township_id, year, [month])
    _delete_month(township_id, year, month)
    rows = ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(
                village_id=s.village_id,
                year=year,
                month=month,
                version=version,
                total=s.total,
                sections=[[x.code, x.title, str(x.points), str(x.score)] for x in s.sections],
                items=[
                    [i.code, i.section, i.title, str(i.points), str(i.score), str(i.raw_deduction)]
                    for i in s.items
                ],
                vetoes=[[v.cause, v.reason, _refs_json(v.refs)] for v in s.vetoes],
                provisional_reasons=list(s.provisional_reasons),
                reason_parts={
                    "vetoes": [parts_of(v.reason) for v in s.vetoes],
                    "provisional": [parts_of(r) for r in s.provisional_reasons],
                },
            )
            for s in sheets
        ]
    )
    by_village = {row.village_id: row for row in rows}
    ScoreLine.objects.bulk_create(
        [
            ScoreLine(
                sheet=by_village[s.village_id],
                position=position,
                item_code=line.item_code,
                points=line.points,
                raw_points=line.raw_points,
                reason=line.reason[:500],
                reason_parts=parts_of(line.reason),
                refs=_refs_json(line.refs),
                waived=line.waived,
            )
            for s in sheets
            for position, line in enumerate(s.lines)
        ],
        batch_size=2000,
    )
    return len(rows)


def _delete_month(township_id: int, year: int, month: int) -> None:
    """Two DELETE statements whatever the number of villages: sheets are derived rows with no
    history and nothing else points at them, so Django's per-object cascade is not needed. A
    month is always rebuilt for the whole township, so a village no longer assessed loses its
    sheet too."""
    old = ScoreSheet.objects.filter(village__township_id=township_id, year=year, month=month)
    ScoreLine.objects.filter(sheet__in=old)._raw_delete(ScoreLine.objects.db)
    old._raw_delete(ScoreSheet.objects.db)


def sheet_from_row(row: ScoreSheet, lines: Iterable[ScoreLine]) -> Sheet:
    """The pure Sheet back from its stored row, for quarters, years and rankings."""
    start = date(row.year, row.month, 1)
    end = date(row.year + row.month // 12, row.month % 12 + 1, 1).toordinal() - 1
    return Sheet(
        village_id=row.village_id,
        rubric_code=row.version.code if row.version_id else "",
        period_start=start,
        period_end=date.fromordinal(end),
        total=row.total,
        sections=tuple(
            SectionScore(code, title, Decimal(points), Decimal(score))
            for code, title, points, score in row.sections
        ),
        items=tuple(
            ItemScore(code, section, title, Decimal(points), Decimal(score), Decimal(raw))
            for code, section, title, points, score, raw in row.items
        ),
        lines=tuple(
            Line(
                item_code=line.item_code,
                points=line.points,
                reason=line.reason,
                refs=_refs_of(line.refs),
                raw_points=line.raw_points,
                waived=line.waived,
            )
            for line in lines
        ),
        vetoes=tuple(
            Veto(cause, reason, _refs_of(refs)) for cause, reason, refs in row.vetoes_shown
        ),
        provisional_reasons=tuple(row.provisional_shown),
    )
