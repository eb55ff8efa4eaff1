"""Facts from the cases app: rejected results, due dates, backlog relapses and resolutions."""

from __future__ import annotations

from collections import defaultdict

from cases.models import AssignedCase
from cases.selectors import backlog_relapses, backlog_resolutions, rejected_reviews

from .. import types as t


def _grouped(rows, key: str) -> dict[int, dict]:
    found: dict[int, list] = defaultdict(list)
    for village_id, fact in rows:
        found[village_id].append(fact)
    return {v: {key: tuple(items)} for v, items in found.items()}


def rejections(window) -> dict[int, dict]:
    rows = rejected_reviews(window.township_id, window.start, window.end)
    return _grouped(
        ((r.village_id, t.Event(t.RecordRef("case", r.case_id), r.review_date)) for r in rows),
        "case_rejections",
    )


def due_cases(window) -> dict[int, dict]:
    """Every case due in the period: the rule decides overdue, pending or in time."""
    rows = (
        AssignedCase.objects.filter(
            village_id__in=window.village_ids, due_date__range=(window.start, window.end)
        )
        .order_by("due_date", "pk")
        .values_list("pk", "village_id", "due_date", "concluded_date", "due_provisional")
    )
    return _grouped(
        (
            (village_id, t.AssignedCase(t.RecordRef("case", pk), due, concluded, provisional))
            for pk, village_id, due, concluded, provisional in rows
        ),
        "assigned_cases",
    )


def backlog(window) -> dict[int, dict]:
    relapses = backlog_relapses(window.township_id, window.start, window.end)
    resolutions = backlog_resolutions(window.township_id, window.start, window.end)
    found: dict[int, dict] = defaultdict(
        lambda: {"backlog_relapses": [], "backlog_resolutions": []}
    )
    for r in relapses:
        found[r.village_id]["backlog_relapses"].append(
            t.Event(t.RecordRef("backlog", r.case_id), r.date)
        )
    for r in resolutions:
        found[r.village_id]["backlog_resolutions"].append(
            t.Event(t.RecordRef("backlog", r.case_id), r.resolved_date)
        )
    return {v: {k: tuple(items) for k, items in f.items()} for v, f in found.items()}


COLLECTORS = [rejections, due_cases, backlog]
