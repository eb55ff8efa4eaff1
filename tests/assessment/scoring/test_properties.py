"""Properties of the engine over random village-months, for both shipped rubrics."""

from __future__ import annotations

import dataclasses
import functools
from datetime import date
from datetime import timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from assessment.scoring.engine import score_village
from assessment.scoring.rubric_defaults import XX_2024_PLAN
from assessment.scoring.rubric_defaults import XX_2024_TABLE
from assessment.scoring.rules import weeks_of_month
from assessment.scoring.types import ATTENDANCES
from assessment.scoring.types import COMMEND_LEVELS
from assessment.scoring.types import GROUPS
from assessment.scoring.types import LEVELS
from assessment.scoring.types import NATURES
from assessment.scoring.types import SPECIAL_CATEGORIES
from assessment.scoring.types import WORK_FILES
from assessment.scoring.types import AssignedCase
from assessment.scoring.types import Attendance
from assessment.scoring.types import Commendation
from assessment.scoring.types import DisputeReport
from assessment.scoring.types import Event
from assessment.scoring.types import Inspection
from assessment.scoring.types import Meeting
from assessment.scoring.types import PatrolWeek
from assessment.scoring.types import Petition
from assessment.scoring.types import RecordRef
from assessment.scoring.types import ResolvedDispute
from assessment.scoring.types import Survey
from assessment.scoring.types import VillageFacts
from core.periods import month_end

PLACEHOLDER = RecordRef("new", 0)
rubrics = st.sampled_from([XX_2024_TABLE, XX_2024_PLAN])


def petitions(days):
    return st.builds(
        Petition,
        ref=st.just(PLACEHOLDER),
        date=days,
        level=st.sampled_from(LEVELS),
        nature=st.sampled_from(NATURES),
        collective=st.booleans(),
        person_count=st.integers(1, 8),
        stabilised_in_time=st.booleans(),
        carried_village_opinion=st.sampled_from([None, True, False]),
        new_problem_unresolved=st.booleans(),
        large_impact=st.booleans(),
        petitioner_key=st.sampled_from(["", "zhang:land", "li:wages"]),
    )


def events(days):
    return st.lists(st.builds(Event, ref=st.just(PLACEHOLDER), date=days), max_size=3)


def records(record, *fields, max_size=3):
    return st.lists(st.builds(record, st.just(PLACEHOLDER), *fields), max_size=max_size)


def maybe(strategy):
    return st.none() | strategy


def build_facts(start: date, end: date, drawn: dict) -> VillageFacts:
    """Give every drawn record a unique ref, so that record order is all a shuffle changes."""
    numbered_fields = {
        name: tuple(
            dataclasses.replace(record, ref=RecordRef(name, n)) for n, record in enumerate(value)
        )
        for name, value in drawn.items()
        if isinstance(value, list)
    }
    return VillageFacts(1, start, end, **{**drawn, **numbered_fields})


@functools.cache
def facts_of_month(year: int, month: int) -> st.SearchStrategy[VillageFacts]:
    """Built once per month: strategies are costly to validate, drawing from them is not."""
    start, end = date(year, month, 1), month_end(year, month)
    # Records a little outside the month too: the rules must leave them out.
    days = st.dates(start - timedelta(days=6), end + timedelta(days=6))
    inspection = st.builds(
        Inspection,
        ref=st.just(PLACEHOLDER),
        date=st.dates(start - timedelta(days=60), end),
        duty_records=st.booleans(),
        clean=st.booleans(),
        rules_complete=st.booleans(),
        dedicated_person=st.booleans(),
        work_files=st.frozensets(st.sampled_from(WORK_FILES)),
    )
    weeks = weeks_of_month(year, month)
    fields = {
        "is_railway": st.booleans(),
        "as_of": maybe(st.dates(start, end + timedelta(days=7))),
        "petitions": st.lists(petitions(days), max_size=6),
        "meetings": records(Meeting, days, st.booleans(), max_size=2),
        "baobao_register": st.booleans(),
        "case_rejections": events(days),
        "assigned_cases": records(AssignedCase, days, maybe(days), st.booleans()),
        "dispute_reports": records(
            DisputeReport,
            st.just(year),
            st.just(month),
            st.sampled_from([1, 2]),
            maybe(days),
            st.booleans(),
            st.booleans(),
            max_size=4,
        ),
        "unreported_disputes": events(days),
        "resolved_disputes": records(ResolvedDispute, days, maybe(days)),
        "backlog_relapses": events(days),
        "backlog_resolutions": events(days),
        "inspection": maybe(inspection),
        "special_categories_covered": st.frozensets(st.sampled_from(SPECIAL_CATEGORIES)),
        "patrol_weeks": st.tuples(
            *(st.builds(PatrolWeek, st.just(y), st.just(w), st.integers(0, 5)) for y, w in weeks)
        ),
        "groups": st.frozensets(st.sampled_from(GROUPS)),
        "surveys": records(Survey, days, st.integers(0, 20), max_size=1),
        "dossiers_accepted": events(days),
        "dossiers_accepted_before_in_year": st.integers(0, 25),
        "checkpoint_equipped": maybe(st.just(RecordRef("checkpoint", 1))),
        "cctv_lighting": maybe(st.just(RecordRef("project", 1))),
        "commendations": records(Commendation, days, st.sampled_from(COMMEND_LEVELS), max_size=2),
        "township_meeting_attendance": records(
            Attendance, days, st.sampled_from(ATTENDANCES), max_size=2
        ),
        "sanctions": events(days),
    }
    return st.fixed_dictionaries(fields).map(lambda drawn: build_facts(start, end, drawn))


def village_months() -> st.SearchStrategy[VillageFacts]:
    months = st.tuples(st.integers(2025, 2027), st.integers(1, 12))
    return months.flatmap(lambda ym: facts_of_month(*ym))


@st.composite
def month_and_new_petition(draw):
    facts = draw(village_months())
    days = st.dates(facts.period_start, facts.period_end)
    new = dataclasses.replace(draw(petitions(days)), ref=RecordRef("petition", 10_000))
    return facts, new


@given(rubrics, month_and_new_petition())
def test_adding_a_petition_never_raises_the_score(rubric, drawn):
    facts, new = drawn
    before = score_village(rubric, facts)
    after = score_village(rubric, dataclasses.replace(facts, petitions=(*facts.petitions, new)))
    assert after.total <= before.total
    for old_item, new_item in zip(before.items, after.items, strict=True):
        assert new_item.score <= old_item.score


@given(rubrics, village_months())
def test_every_item_and_section_stays_within_zero_and_its_points(rubric, facts):
    sheet = score_village(rubric, facts)
    for part in (*sheet.items, *sheet.sections):
        assert 0 <= part.score <= part.points


@given(rubrics, village_months())
def test_lines_add_up_to_every_item_and_to_the_total(rubric, facts):
    sheet = score_village(rubric, facts)
    for item in sheet.items:
        lines = sheet.lines_for(item.code)
        assert item.score == item.points + sum((line.points for line in lines), Decimal(0))
        assert item.raw_deduction == -sum((line.uncapped for line in lines), Decimal(0))
        assert all(line.points <= 0 for line in lines)
    worth = sum((item.points for item in sheet.items), Decimal(0))
    assert sheet.total == worth + sum((line.points for line in sheet.lines), Decimal(0))
    assert sheet.total == sum((s.score for s in sheet.sections), Decimal(0)) + (
        sheet.adjustments_total
    )


@given(rubrics, village_months())
def test_scoring_is_deterministic_and_ignores_record_order(rubric, facts):
    reordered = dataclasses.replace(
        facts,
        petitions=facts.petitions[::-1],
        dispute_reports=facts.dispute_reports[::-1],
        assigned_cases=facts.assigned_cases[::-1],
        patrol_weeks=facts.patrol_weeks[::-1],
        sanctions=facts.sanctions[::-1],
    )
    first = score_village(rubric, facts)
    assert score_village(rubric, facts) == first
    assert score_village(rubric, reordered) == first


@given(rubrics, village_months())
def test_a_closed_month_is_provisional_only_for_a_provisional_due_date(rubric, facts):
    closed = dataclasses.replace(facts, as_of=None)
    sheet = score_village(rubric, closed)
    provisional_dates = any(
        case.due_provisional and closed.period_start <= case.due_date <= closed.period_end
        for case in closed.assigned_cases
    )
    assert sheet.provisional == provisional_dates


@given(rubrics, village_months())
def test_lines_only_name_records_of_the_facts(rubric, facts):
    known = {
        record.ref
        for field in dataclasses.fields(facts)
        if isinstance(value := getattr(facts, field.name), tuple)
        for record in value
        if hasattr(record, "ref")
    }
    known |= {facts.inspection.ref} if facts.inspection else set()
    known |= {ref for ref in (facts.checkpoint_equipped, facts.cctv_lighting) if ref}
    sheet = score_village(rubric, facts)
    assert {ref for line in sheet.lines for ref in line.refs} <= known
