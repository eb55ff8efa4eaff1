"""Facts from the governance app: the centre's inspection, registers, patrols, meetings, surveys,
adjustment events."""

from __future__ import annotations

from collections import defaultdict

from governance import selectors as g
from governance.choices import AdjustmentKind

from .. import rules
from .. import types as t


def standing(window) -> dict[int, dict]:
    """State at the period's end: latest inspection, categories, groups, checkpoint, CCTV."""
    kw = {"township": window.township_id, "day": window.end, "village_ids": window.village_ids}
    inspections = g.latest_inspections(**kw)
    categories = g.special_categories_covered(**kw)
    groups = g.active_groups(**kw)
    states = g.adjustment_states(**kw)
    found = {}
    for v in window.village_ids:
        row = inspections.get(v)
        state = states.get(v, {})
        checkpoint = state.get(AdjustmentKind.CHECKPOINT)
        cctv = state.get(AdjustmentKind.CCTV)
        found[v] = {
            "inspection": None
            if row is None
            else t.Inspection(
                ref=t.RecordRef("inspection", row.id),
                date=row.date,
                duty_records=row.duty_records,
                clean=row.clean,
                rules_complete=row.rules_complete,
                dedicated_person=row.dedicated_person,
                work_files=frozenset(row.work_files),
            ),
            "special_categories_covered": frozenset(categories.get(v, ())),
            "groups": frozenset(groups.get(v, ())),
            "checkpoint_equipped": t.RecordRef("adjustment", checkpoint.id) if checkpoint else None,
            "cctv_lighting": t.RecordRef("adjustment", cctv.id) if cctv else None,
        }
    return found


def patrols(window) -> dict[int, dict]:
    """Counts per ISO week for the weeks whose Thursday lies in the period."""
    first, last = rules.patrol_window(window.start, window.end)
    weeks = rules.weeks_of_period(window.start, window.end)
    rows = g.patrol_dates(
        township=window.township_id, start=first, end=last, village_ids=window.village_ids
    )
    found = {}
    for v, patrols_of_village in rows.items():
        by_week: dict[tuple[int, int], list] = defaultdict(list)
        for p in patrols_of_village:
            iso = p.date.isocalendar()
            by_week[(iso.year, iso.week)].append(t.RecordRef("patrol", p.id))
        found[v] = {
            "patrol_weeks": tuple(
                t.PatrolWeek(year, week, len(by_week[(year, week)]), tuple(by_week[(year, week)]))
                for year, week in weeks
                if by_week.get((year, week))
            )
        }
    return found


def meetings(window) -> dict[int, dict]:
    kw = {
        "township": window.township_id,
        "start": window.start,
        "end": window.end,
        "village_ids": window.village_ids,
    }
    village = g.village_meetings(**kw)
    township = g.meeting_attendances(**kw)
    found = {}
    for v in window.village_ids:
        found[v] = {
            "meetings": tuple(
                t.Meeting(t.RecordRef("meeting", m.id), m.date, m.studied_petition_work)
                for m in village.get(v, ())
            ),
            "township_meeting_attendance": tuple(
                t.Attendance(t.RecordRef("attendance", a.meeting_id), a.date, a.status)
                for a in township.get(v, ())
            ),
        }
    return found


def surveys_and_events(window) -> dict[int, dict]:
    kw = {
        "township": window.township_id,
        "start": window.start,
        "end": window.end,
        "village_ids": window.village_ids,
    }
    surveys = g.survey_results(**kw)
    events = g.adjustment_events(**kw, kinds=[AdjustmentKind.COMMENDATION, AdjustmentKind.SANCTION])
    found = {}
    for v in window.village_ids:
        evs = events.get(v, ())
        found[v] = {
            "surveys": tuple(
                t.Survey(t.RecordRef("survey", s.id), s.date, s.dissatisfied_organs)
                for s in surveys.get(v, ())
            ),
            "commendations": tuple(
                t.Commendation(t.RecordRef("adjustment", e.id), e.date, e.level)
                for e in evs
                if e.kind == AdjustmentKind.COMMENDATION
            ),
            "sanctions": tuple(
                t.Event(t.RecordRef("adjustment", e.id), e.date)
                for e in evs
                if e.kind == AdjustmentKind.SANCTION
            ),
        }
    return found


COLLECTORS = [standing, patrols, meetings, surveys_and_events]
