"""The selectors the scoring engine reads: right rows, and the same queries at 2 and 20 villages."""

from datetime import date

import pytest

from governance import selectors
from tests.factories import AreaFactory
from tests.factories import TownshipFactory
from tests.factories import VillageFactory

from .factories import AdjustmentEventFactory
from .factories import CentreInspectionFactory
from .factories import LandlineHouseholdFactory
from .factories import LeadershipGroupFactory
from .factories import MeetingAttendanceFactory
from .factories import PatrolFactory
from .factories import SensitivePeriodFactory
from .factories import SpecialPersonFactory
from .factories import SurveyFactory
from .factories import TownshipMeetingFactory
from .factories import VillageMeetingFactory
from .factories import ZeroReportFactory

APR_1, APR_30 = date(2026, 4, 1), date(2026, 4, 30)


def test_latest_inspection_on_or_before_the_day(village_a, village_b, other_village):
    CentreInspectionFactory(village=village_a, date=date(2026, 3, 5), is_clean=False)
    april = CentreInspectionFactory(village=village_a, date=date(2026, 4, 28), file_pufa=False)
    CentreInspectionFactory(village=village_a, date=date(2026, 5, 2))
    CentreInspectionFactory(village=other_village, date=date(2026, 4, 2))
    found = selectors.latest_inspections(township=village_a.township, day=APR_30)
    assert set(found) == {village_a.pk, village_b.pk}
    assert found[village_b.pk] is None
    row = found[village_a.pk]
    assert (row.id, row.date, row.clean) == (april.pk, date(2026, 4, 28), True)
    assert "pufa" not in row.work_files and "zongzhi" in row.work_files
    march = selectors.latest_inspections(township=village_a.township, day=date(2026, 3, 31))
    assert march[village_a.pk].clean is False


def test_special_categories_covered(village_a, village_b):
    SpecialPersonFactory(village=village_a, category="mental", registered=date(2025, 6, 1))
    SpecialPersonFactory(
        village=village_a, category="drug", registered=date(2025, 6, 1), removed=date(2026, 4, 1)
    )
    ZeroReportFactory(village=village_a, category="cult", date=date(2026, 2, 1))
    ZeroReportFactory(village=village_a, category="petitioner", date=date(2025, 12, 1))
    found = selectors.special_categories_covered(township=village_a.township, day=APR_30)
    assert found == {village_a.pk: {"mental", "cult"}, village_b.pk: frozenset()}
    in_march = selectors.special_categories_covered(
        township=village_a.township, day=date(2026, 3, 31)
    )
    assert in_march[village_a.pk] == {"mental", "drug", "cult"}


def test_active_groups(village_a, village_b):
    # "drugs" was last in force on Apr 29 (its last day, included): gone at the month's end.
    LeadershipGroupFactory(village=village_a, kind="law", established=date(2026, 1, 1))
    LeadershipGroupFactory(
        village=village_a, kind="drugs", established=date(2025, 1, 1), dissolved=date(2026, 4, 29)
    )
    LeadershipGroupFactory(village=village_a, kind="winter", established=date(2026, 5, 1))
    found = selectors.active_groups(township=village_a.township, day=APR_30)
    assert found == {village_a.pk: {"law"}, village_b.pk: frozenset()}


def test_patrols_meetings_attendance_surveys_and_events_in_range(
    township, village_a, village_b, staff_user
):
    from core.records import record_save
    from governance.models import SurveyAnswer
    from governance.services import survey_draw

    PatrolFactory(village=village_a, date=date(2026, 3, 30))
    PatrolFactory(village=village_a, date=date(2026, 5, 3))
    PatrolFactory(village=village_a, date=date(2026, 5, 4))
    patrols = selectors.patrol_dates(
        township=township, start=date(2026, 3, 30), end=date(2026, 5, 3)
    )
    assert [p.date for p in patrols[village_a.pk]] == [date(2026, 3, 30), date(2026, 5, 3)]
    assert patrols[village_b.pk] == ()

    VillageMeetingFactory(village=village_b, date=date(2026, 4, 3), studied_petition_work=False)
    meetings = selectors.village_meetings(township=township, start=APR_1, end=APR_30)
    assert [(m.village_id, m.studied_petition_work) for m in meetings[village_b.pk]] == [
        (village_b.pk, False)
    ]

    meeting = TownshipMeetingFactory(township=township, date=date(2026, 4, 9))
    MeetingAttendanceFactory(meeting=meeting, village=village_a, status="late")
    MeetingAttendanceFactory(meeting=meeting, village=village_b, status="present")
    missed = selectors.meeting_attendances(township=township, start=APR_1, end=APR_30)
    assert [(r.status, r.date, r.meeting_id) for r in missed[village_a.pk]] == [
        ("late", date(2026, 4, 9), meeting.pk)
    ]
    assert missed[village_b.pk] == ()
    every = selectors.meeting_attendances(
        township=township, start=APR_1, end=APR_30, missed_only=False
    )
    assert len(every[village_b.pk]) == 1

    LandlineHouseholdFactory.create_batch(12, village=village_a)
    survey = SurveyFactory(village=village_a, date=date(2026, 4, 20))
    samples = survey_draw(survey=survey, size=10, seed=3, by=staff_user)
    for i, sample in enumerate(samples):
        answer = ["dissatisfied_organs", "dissatisfied_other", "satisfied"][min(i, 2)]
        if i == 9:
            answer = "dissatisfied_organs"
        record_save(
            instance=SurveyAnswer(sample=sample, reached=True, answer=answer), user=staff_user
        )
    (row,) = selectors.survey_results(township=township, start=APR_1, end=APR_30)[village_a.pk]
    assert (row.sampled, row.answered, row.dissatisfied_organs) == (10, 10, 2)
    assert (row.year, row.quarter) == (2026, 2)
    assert (
        selectors.survey_results(township=township, start=date(2026, 5, 1), end=date(2026, 5, 31))[
            village_a.pk
        ]
        == ()
    )

    AdjustmentEventFactory(
        village=village_b, date=date(2026, 4, 2), kind="commendation", level="city"
    )
    AdjustmentEventFactory(village=village_b, date=date(2026, 3, 2), kind="sanction")
    events = selectors.adjustment_events(township=township, start=APR_1, end=APR_30)
    assert [(e.kind, e.level) for e in events[village_b.pk]] == [("commendation", "city")]


def test_standing_adjustments_read_the_latest_event_of_each_kind(township, village_a):
    AdjustmentEventFactory(village=village_a, date=date(2025, 6, 1), kind="checkpoint")
    latest = AdjustmentEventFactory(village=village_a, date=date(2026, 3, 1), kind="checkpoint")
    AdjustmentEventFactory(village=village_a, date=date(2026, 5, 1), kind="cctv")
    found = selectors.adjustment_states(township=township, day=APR_30)
    assert list(found[village_a.pk]) == ["checkpoint"]
    assert found[village_a.pk]["checkpoint"].id == latest.pk


def test_sensitive_periods_overlapping_the_range(township):
    SensitivePeriodFactory(township=township, start=date(2026, 3, 28), end=date(2026, 4, 6))
    SensitivePeriodFactory(
        township=township, name="五一", start=date(2026, 5, 1), end=date(2026, 5, 5)
    )
    rows = selectors.sensitive_periods(township=township, start=APR_1, end=APR_30)
    assert [r.name for r in rows] == ["春节"]


def test_registers_overview(village_a, village_b):
    village_b.along_railway = True
    village_b.save()
    SpecialPersonFactory(village=village_a, category="mental", registered=date(2026, 1, 1))
    LeadershipGroupFactory(village=village_a, kind="law", established=date(2026, 1, 1))
    LandlineHouseholdFactory.create_batch(3, village=village_a)
    LandlineHouseholdFactory(village=village_a, active=False)
    rows = {
        r.village_id: r
        for r in selectors.registers_overview(township=village_a.township, day=APR_30)
    }
    a, b = rows[village_a.pk], rows[village_b.pk]
    assert a.categories_covered == {"mental"} and a.persons_by_category == {"mental": 1}
    assert a.categories_missing == ("drug", "cult", "petitioner")
    assert len(a.groups_missing) == 8 and "railway" not in a.groups_missing
    assert len(b.groups_missing) == 10
    assert (a.landlines_active, b.landlines_active) == (3, 0)


def test_patrol_weeks_count_each_week_by_its_thursday(village_a):
    for day in (30, 31):
        PatrolFactory(village=village_a, date=date(2026, 3, day))
    PatrolFactory(village=village_a, date=date(2026, 4, 2))
    PatrolFactory(village=village_a, date=date(2026, 4, 14))
    PatrolFactory(village=village_a, date=date(2026, 5, 3))
    weeks = selectors.patrol_weeks(village=village_a, year=2026, month=4)
    assert [(w.monday, w.count, w.missing) for w in weeks] == [
        (date(2026, 3, 30), 3, 0),
        (date(2026, 4, 6), 0, 3),
        (date(2026, 4, 13), 1, 2),
        (date(2026, 4, 20), 0, 3),
        (date(2026, 4, 27), 1, 2),
    ]


# --- query counts ------------------------------------------------------------------------------


def _township_with(n: int):
    township = TownshipFactory()
    area = AreaFactory(township=township)
    meeting = TownshipMeetingFactory(township=township, date=date(2026, 4, 9))
    for i in range(n):
        village = VillageFactory(area=area, along_railway=i % 2 == 0)
        CentreInspectionFactory(village=village, date=date(2026, 3, 3))
        CentreInspectionFactory(village=village, date=date(2026, 4, 3))
        SpecialPersonFactory(village=village, category="mental")
        SpecialPersonFactory(village=village, category="drug", removed=date(2026, 3, 1))
        ZeroReportFactory(village=village, category="cult")
        LeadershipGroupFactory(village=village, kind="law")
        LeadershipGroupFactory(village=village, kind="drugs")
        LandlineHouseholdFactory(village=village)
        PatrolFactory(village=village, date=date(2026, 4, 7))
        PatrolFactory(village=village, date=date(2026, 4, 8))
        VillageMeetingFactory(village=village)
        MeetingAttendanceFactory(meeting=meeting, village=village, status="late")
        SurveyFactory(village=village)
        AdjustmentEventFactory(village=village, kind="checkpoint")
        AdjustmentEventFactory(village=village, kind="commendation", level="district")
    SensitivePeriodFactory(township=township, start=date(2026, 4, 3), end=date(2026, 4, 6))
    return township


SELECTORS = {
    "latest_inspections": lambda t: selectors.latest_inspections(township=t, day=APR_30),
    "special_categories_covered": lambda t: selectors.special_categories_covered(
        township=t, day=APR_30
    ),
    "active_groups": lambda t: selectors.active_groups(township=t, day=APR_30),
    "adjustment_states": lambda t: selectors.adjustment_states(township=t, day=APR_30),
    "patrol_dates": lambda t: selectors.patrol_dates(township=t, start=APR_1, end=APR_30),
    "village_meetings": lambda t: selectors.village_meetings(township=t, start=APR_1, end=APR_30),
    "meeting_attendances": lambda t: selectors.meeting_attendances(
        township=t, start=APR_1, end=APR_30
    ),
    "survey_results": lambda t: selectors.survey_results(township=t, start=APR_1, end=APR_30),
    "adjustment_events": lambda t: selectors.adjustment_events(township=t, start=APR_1, end=APR_30),
    "sensitive_periods": lambda t: selectors.sensitive_periods(township=t, start=APR_1, end=APR_30),
    "registers_overview": lambda t: selectors.registers_overview(township=t, day=APR_30),
}


@pytest.mark.parametrize("name", list(SELECTORS))
def test_query_count_does_not_grow_with_the_villages(
    db, django_assert_num_queries, django_assert_max_num_queries, name
):
    call = SELECTORS[name]
    small, large = _township_with(2), _township_with(20)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        found_small = call(small)
    assert 1 <= len(two.captured_queries) <= 5
    with django_assert_max_num_queries(len(two.captured_queries)):
        found_large = call(large)
    with django_assert_num_queries(len(two.captured_queries)):
        call(large)
    if isinstance(found_large, dict):
        assert len(found_small) == 2 and len(found_large) == 20
    elif name == "registers_overview":
        assert len(found_large) == 20
