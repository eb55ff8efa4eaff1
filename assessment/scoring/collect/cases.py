"""Facts from the cases app: rejected results, due dates, backlog relapses and resolutions."""

from __future__ import annotations

from cases.models import AssignedCase
from cases.selectors import backlog_relapses
from cases.selectors import backlog_resolutions
from cases.selectors import rejected_reviews

from .. import types as t
from ..window import Window
from ..window import bucket
from ..window import merge


def rejections(window: Window) -> dict:
    rows = rejected_reviews(window.township_id, window.start, window.end)
    return bucket(
        window,
        [(r.village_id, t.Event(t.RecordRef("case", r.case_id), r.review_date)) for r in rows],
        lambda e: e.date,
        "case_rejections",
    )


def due_cases(window: Window) -> dict:
    """Every case due in the window: the rule decides overdue, pending or in time."""
    rows = (
        AssignedCase.objects.filter(
            village_id__in=window.village_ids, due_date__range=(window.start, window.end)
        )
        .order_by("due_date", "pk")
        .values_list("pk", "village_id", "due_date", "concluded_date", "due_provisional")
    )
    facts = [
        (village_id, t.AssignedCase(t.RecordRef("case", pk), due, concluded, provisional))
        for pk, village_id, due, concluded, provisional in rows
    ]
    return bucket(window, facts, lambda c: c.due_date, "assigned_cases")


def backlog(window: Window) -> dict:
    relapses = backlog_relapses(window.township_id, window.start, window.end)
    resolutions = backlog_resolutions(window.township_id, window.start, window.end)
    return merge(
        bucket(
            window,
            [(r.village_id, t.Event(t.RecordRef("backlog", r.case_id), r.date)) for r in relapses],
            lambda e: e.date,
            "backlog_relapses",
        ),
        bucket(
            window,
            [
                (r.village_id, t.Event(t.RecordRef("backlog", r.case_id), r.resolved_date))
                for r in resolutions
            ],
            lambda e: e.date,
            "backlog_resolutions",
        ),
    )


COLLECTORS = [rejections, due_cases, backlog]
