"""Facts from the governance app: the centre's inspection, registers, patrols, meetings, surveys,
adjustment events. Standing state is read at each month's end from one read of its rows."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date

from governance import rules as g_rules
from governance import selectors as g
from governance.choices import AdjustmentKind
from governance.models import WORK_FILE_FIELDS
from governance.models import AdjustmentEvent
from governance.models import CentreInspection
from governance.models import LeadershipGroup
from governance.models import Patrol
from governance.models import SpecialPerson
from governance.models import ZeroReport

from .. import rules
from .. import types as t
from ..window import Window
from ..window import bucket
from ..window import merge

STANDING = (AdjustmentKind.CHECKPOINT, AdjustmentKind.CCTV)


def _latest_by_village(rows, when):
    """{village: (sorted dates, rows)} so the latest row on or before a day is one bisect."""
    by_village = defaultdict(list)
    for row in rows:
        by_village[row[1]].append(row)
    index = {}
    for village_id, items in by_village.items():
        items.sort(key=lambda r: (when(r), r[0]))
        index[village_id] = ([when(r) for r in items], items)
    return index


def _latest(index, village_id, day: date):
    dates, items = index.get(village_id, ((), ()))
    position = bisect.bisect_right(dates, day)
    return items[position - 1] if position else None


def inspections(window: Window) -> dict:
    """评分表 四.1/四.3/五.7: the latest inspection on or before each month's end."""
    fields = ["pk", "village_id", "date", "duty_records", "is_clean", "rules_complete"]
    fields += ["dedicated_person", *WORK_FILE_FIELDS.values()]
    rows = CentreInspection.objects.filter(
        village_id__in=window.village_ids, date__lte=window.end
    ).values_list(*fields)
    index = _latest_by_village(rows, lambda r: r[2])
    codes = list(WORK_FILE_FIELDS)
    found = {}
    for month, last_day in window.month_ends():
        by_village = {}
        for v in window.village_ids:
            row = _latest(index, v, last_day)
            by_village[v] = {
                "inspection": None
                if row is None
                else t.Inspection(
                    ref=t.RecordRef("inspection", row[0]),
                    date=row[2],
                    duty_records=row[3],
                    clean=row[4],
                    rules_complete=row[5],
                    dedicated_person=row[6],
                    work_files=frozenset(c for c, ok in zip(codes, row[7:], strict=True) if ok),
                )
            }
        found[month] = by_village
    return found


def registers(window: Window) -> dict:
    """评分表 四.2 and 四.5: categories covered and groups active at each month's end."""
    people = defaultdict(list)
    for v, category, registered, removed in SpecialPerson.objects.filter(
        village_id__in=window.village_ids, registered__lte=window.end
    ).values_list("village_id", "category", "registered", "removed"):
        people[v].append((category, registered, removed))
    zero = defaultdict(list)
    for v, category, day in ZeroReport.objects.filter(
        village_id__in=window.village_ids,
        date__gte=date(window.start.year, 1, 1),
        date__lte=window.end,
    ).values_list("village_id", "category", "date"):
        zero[v].append((category, day))
    groups = defaultdict(list)
    for v, kind, established, dissolved in LeadershipGroup.objects.filter(
        village_id__in=window.village_ids, established__lte=window.end
    ).values_list("village_id", "kind", "established", "dissolved"):
        groups[v].append((kind, established, dissolved))
    found = {}
    for month, last_day in window.month_ends():
        year_start = date(last_day.year, 1, 1)
        by_village = {}
        for v in window.village_ids:
            mine = [p for p in people[v] if p[1] <= last_day]
            active = {c for c, reg, rem in mine if g_rules.is_active(reg, rem, last_day)}
            registrations = [
                (c, reg)
                for c, reg, rem in mine
                if g_rules.is_active(reg, rem, last_day) or reg >= year_start
            ]
            by_village[v] = {
                "special_categories_covered": g_rules.covered_categories(
                    last_day,
                    active=active,
                    registrations=registrations,
                    zero_reports=[(c, d) for c, d in zero[v] if year_start <= d <= last_day],
                ),
                "groups": frozenset(
                    k for k, est, dis in groups[v] if g_rules.is_active(est, dis, last_day)
                ),
            }
        found[month] = by_village
    return found


def standing_adjustments(window: Window) -> dict:
    """评分表 五.2/五.3: the checkpoint and CCTV/lighting state at each month's end."""
    rows = AdjustmentEvent.objects.filter(
        village_id__in=window.village_ids, kind__in=STANDING, date__lte=window.end
    ).values_list("pk", "village_id", "date", "kind")
    index = {
        kind: _latest_by_village([r for r in rows if r[3] == kind], lambda r: r[2])
        for kind in STANDING
    }
    found = {}
    for month, last_day in window.month_ends():
        by_village = {}
        for v in window.village_ids:
            checkpoint = _latest(index[AdjustmentKind.CHECKPOINT], v, last_day)
            cctv = _latest(index[AdjustmentKind.CCTV], v, last_day)
            by_village[v] = {
                "checkpoint_equipped": t.RecordRef("adjustment", checkpoint[0])
                if checkpoint
                else None,
                "cctv_lighting": t.RecordRef("adjustment", cctv[0]) if cctv else None,
            }
        found[month] = by_village
    return found


def patrols(window: Window) -> dict:
    """评分表 四.4: patrol counts per ISO week, for the weeks whose Thursday lies in each month."""
    first, last = rules.patrol_window(window.start, window.end)
    by_week = defaultdict(list)
    # In id order, so each week's refs are already sorted; a year holds some 140,000 patrols on
    # a few hundred days, so each day's ISO week is found once.
    rows = (
        Patrol.objects.filter(village_id__in=window.village_ids, date__gte=first, date__lte=last)
        .order_by("pk")
        .values_list("pk", "village_id", "date")
    )
    week_of = {}
    for pk, v, day in rows:
        week = week_of.get(day)
        if week is None:
            iso = day.isocalendar()
            week = week_of[day] = (iso.year, iso.week)
        by_week[(v, *week)].append(t.RecordRef("patrol", pk))
    found = {}
    for month in window.months:
        weeks = rules.weeks_of_month(*month)
        found[month] = {
            v: {
                "patrol_weeks": tuple(
                    t.PatrolWeek(year, week, len(refs), tuple(refs))
                    for year, week in weeks
                    if (refs := by_week.get((v, year, week)))
                )
            }
            for v in window.village_ids
        }
    return found


def meetings(window: Window) -> dict:
    kw = {
        "township": window.township_id,
        "start": window.start,
        "end": window.end,
        "village_ids": window.village_ids,
    }
    village = g.village_meetings(**kw)
    township = g.meeting_attendances(**kw)
    return merge(
        bucket(
            window,
            [
                (v, t.Meeting(t.RecordRef("meeting", m.id), m.date, m.studied_petition_work))
                for v, rows in village.items()
                for m in rows
            ],
            lambda m: m.date,
            "meetings",
        ),
        bucket(
            window,
            [
                (v, t.Attendance(t.RecordRef("attendance", a.id), a.date, a.status))
                for v, rows in township.items()
                for a in rows
            ],
            lambda a: a.date,
            "township_meeting_attendance",
        ),
    )


def surveys_and_events(window: Window) -> dict:
    kw = {
        "township": window.township_id,
        "start": window.start,
        "end": window.end,
        "village_ids": window.village_ids,
    }
    surveys = g.survey_results(**kw)
    events = g.adjustment_events(**kw, kinds=[AdjustmentKind.COMMENDATION, AdjustmentKind.SANCTION])
    flat = [(v, e) for v, rows in events.items() for e in rows]
    return merge(
        bucket(
            window,
            [
                (v, t.Survey(t.RecordRef("survey", s.id), s.date, s.dissatisfied_organs))
                for v, rows in surveys.items()
                for s in rows
            ],
            lambda s: s.date,
            "surveys",
        ),
        bucket(
            window,
            [
                (v, t.Commendation(t.RecordRef("adjustment", e.id), e.date, e.level))
                for v, e in flat
                if e.kind == AdjustmentKind.COMMENDATION
            ],
            lambda c: c.date,
            "commendations",
        ),
        bucket(
            window,
            [
                (v, t.Event(t.RecordRef("adjustment", e.id), e.date))
                for v, e in flat
                if e.kind == AdjustmentKind.SANCTION
            ],
            lambda e: e.date,
            "sanctions",
        ),
    )


COLLECTORS = [inspections, registers, standing_adjustments, patrols, meetings, surveys_and_events]
