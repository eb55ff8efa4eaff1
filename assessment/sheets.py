"""Storing and reading back the pure engine's sheets (derived data: rebuilt, never edited)."""

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db import transaction
from django.utils import timezone

from .models import Period
from .models import RubricVersion
from .models import ScoreLine
from .models import ScoreSheet
from .scoring.reasons import parts_of
from .scoring.types import ItemScore
from .scoring.types import Line
from .scoring.types import RecordRef
from .scoring.types import SectionScore
from .scoring.types import Sheet
from .scoring.types import Veto


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


def _sheet_fields(s: Sheet) -> dict:
    """The stored columns of a sheet row, as the engine's sheet gives them."""
    return {
        "village_id": s.village_id,
        "total": s.total,
        "sections": [[x.code, x.title, str(x.points), str(x.score)] for x in s.sections],
        "items": [
            [i.code, i.section, i.title, str(i.points), str(i.score), str(i.raw_deduction)]
            for i in s.items
        ],
        "vetoes": [[v.cause, v.reason, _refs_json(v.refs)] for v in s.vetoes],
        "provisional_reasons": list(s.provisional_reasons),
        "reason_parts": {
            "vetoes": [parts_of(v.reason) for v in s.vetoes],
            "provisional": [parts_of(r) for r in s.provisional_reasons],
        },
    }


def _line_fields(line: Line, position: int) -> dict:
    return {
        "position": position,
        "item_code": line.item_code,
        "points": line.points,
        "raw_points": line.raw_points,
        "reason": line.reason[:500],
        "reason_parts": parts_of(line.reason),
        "refs": _refs_json(line.refs),
        "waived": line.waived,
    }


def _two(value) -> str | None:
    """A score as the two-place column stores it (1 and 1.00 are the same score)."""
    return None if value is None else f"{value:.2f}"


# One encoder for every column: json.dumps with a non-default argument builds a new encoder on
# each call (some 40,000 calls in a year's store). Same settings, same text.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


_NO_REASON_PARTS = {"vetoes": [], "provisional": []}
_NO_REASON_PARTS_TEXT = _ENCODER.encode(_NO_REASON_PARTS)


def _json(value) -> str:
    # Most sheets have no veto and no provisional reason: three of their five columns are the
    # same empty text, written without the encoder.
    if value == []:
        return "[]"
    if value == _NO_REASON_PARTS:
        return _NO_REASON_PARTS_TEXT
    return _ENCODER.encode(value)


def _prepared(s: Sheet, version_id: int) -> tuple:
    """(fields, lines, their JSON columns as text, digest) of a sheet: each JSON column is
    dumped once, for the digest and for COPY. The digest covers every stored column: equal
    digests, equal rows (JSON text escapes control characters, so the separators are safe)."""
    fields = _sheet_fields(s)
    lines = [_line_fields(line, position) for position, line in enumerate(s.lines)]
    sheet_json = {name: _json(fields[name]) for name in SHEET_JSON}
    lines_json = [{name: _json(line[name]) for name in LINE_JSON} for line in lines]
    h = hashlib.blake2b(repr((version_id, s.village_id, _two(s.total))).encode(), digest_size=16)
    for name in SHEET_JSON:
        h.update(b"\x1e" + sheet_json[name].encode())
    for line, texts in zip(lines, lines_json, strict=True):
        scalars = (line["position"], line["item_code"], _two(line["points"]))
        scalars += (_two(line["raw_points"]), line["reason"], line["waived"])
        h.update(b"\x1d" + repr(scalars).encode())
        for name in LINE_JSON:
            h.update(b"\x1e" + texts[name].encode())
    return fields, lines, sheet_json, lines_json, h.hexdigest()


@transaction.atomic
def store_sheets(
    *,
    township_id: int,
    year: int,
    month: int,
    version: RubricVersion,
    sheets: list[Sheet],
    village_ids: Iterable[int] | None = None,
) -> int:
    """Make the township's stored sheets for the month these, writing only what changed.

    Each stored sheet keeps a digest of its content and lines (`digest`): a sheet whose digest
    is unchanged is not touched; a changed one is deleted with its lines and inserted anew; the
    sheet of a village no longer scored for the month (villages/rules.py) is deleted. With
    `village_ids` (the stale villages), `sheets` are theirs and only their stored sheets are
    read, replaced or deleted; the others' stay as they are. A fixed number of queries whatever
    the number of villages, and no row written when nothing changed. Returns the number of
    sheets given."""
    lock_months(township_id, year, [month])
    rows = ScoreSheet.objects.filter(village__township_id=township_id, year=year, month=month)
    if village_ids is not None:
        village_ids = set(village_ids)
        if any(s.village_id not in village_ids for s in sheets):
            raise ValueError("a sheet of a village not named in village_ids")
        rows = rows.filter(village_id__in=sorted(village_ids))
    stored = {
        village_id: (pk, old)
        for village_id, pk, old in rows.values_list("village_id", "pk", "digest")
    }
    fresh = []
    for s in sheets:
        prepared = _prepared(s, version.pk)
        pk, old = stored.pop(s.village_id, (None, None))
        if old == prepared[-1]:
            continue
        if pk is not None:
            stored[s.village_id] = (pk, old)  # to delete: its content changed
        fresh.append(prepared)
    _delete_sheets([pk for pk, _old in stored.values()])
    if connection.vendor == "postgresql":
        _copy_sheets(year=year, month=month, version=version, fresh=fresh)
    else:
        _insert_sheets(year=year, month=month, version=version, fresh=fresh)
    return len(sheets)


def _insert_sheets(*, year: int, month: int, version: RubricVersion, fresh: list) -> None:
    rows = ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(year=year, month=month, version=version, digest=new, **fields)
            for fields, _lines, _sheet_json, _lines_json, new in fresh
        ]
    )
    ScoreLine.objects.bulk_create(
        [
            ScoreLine(sheet=row, **line)
            for row, (_fields, lines, *_rest) in zip(rows, fresh, strict=True)
            for line in lines
        ],
        batch_size=2000,
    )


SHEET_COLUMNS = [
    "id",
    "village_id",
    "year",
    "month",
    "version_id",
    "total",
    "sections",
    "items",
    "vetoes",
    "provisional_reasons",
    "reason_parts",
    "digest",
    "computed_at",
]
SHEET_JSON = ("sections", "items", "vetoes", "provisional_reasons", "reason_parts")
LINE_COLUMNS = [
    "sheet_id",
    "position",
    "item_code",
    "points",
    "raw_points",
    "reason",
    "reason_parts",
    "refs",
    "waived",
]
LINE_JSON = ("reason_parts", "refs")


def _copy_sheets(*, year: int, month: int, version: RubricVersion, fresh: list) -> None:
    """PostgreSQL: the new sheets and lines through COPY (psycopg's cursor.copy), about 9x
    faster than Django's bulk insert, which psycopg escapes element by element. The sheets' ids
    come from their sequence first, so the lines can name them. The three statements run even
    when nothing changed (writing no row), so a month costs the same statements whether or not
    anything changed and however many villages it has."""
    now = timezone.now()
    sheet_table, line_table = ScoreSheet._meta.db_table, ScoreLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [sheet_table, len(fresh)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        with cursor.copy(f"COPY {sheet_table} ({', '.join(SHEET_COLUMNS)}) FROM STDIN") as copy:
            for pk, (fields, _lines, sheet_json, _lines_json, new) in zip(ids, fresh, strict=True):
                row = {**fields, **sheet_json, "id": pk, "year": year, "month": month}
                row |= {"version_id": version.pk, "digest": new, "computed_at": now}
                copy.write_row([row[name] for name in SHEET_COLUMNS])
        with cursor.copy(f"COPY {line_table} ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
            for pk, (_fields, lines, _sheet_json, lines_json, _new) in zip(ids, fresh, strict=True):
                for line, texts in zip(lines, lines_json, strict=True):
                    row = {**line, **texts, "sheet_id": pk}
                    copy.write_row([row[name] for name in LINE_COLUMNS])


def _delete_sheets(pks: list[int]) -> None:
    """Two DELETE statements whatever their number (none for none): sheets are derived rows
    with no history and nothing else points at them, so Django's per-object cascade is not
    needed."""
    if not pks:
        return
    ScoreLine.objects.filter(sheet_id__in=pks)._raw_delete(ScoreLine.objects.db)
    ScoreSheet.objects.filter(pk__in=pks)._raw_delete(ScoreSheet.objects.db)


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
