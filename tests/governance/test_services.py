"""Services: the survey draw, all-or-none saves, township records, closed months."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assessment.models import StaleVillageMonth
from assessment.periods import PeriodClosedError
from core.records import record_save
from governance import services
from governance.models import MeetingAttendance
from governance.models import Patrol
from governance.models import SensitivePeriod
from governance.models import Survey
from governance.models import SurveyAnswer
from governance.models import SurveySample
from governance.models import TownshipMeeting

from .factories import CentreInspectionFactory
from .factories import LandlineHouseholdFactory
from .factories import MeetingAttendanceFactory
from .factories import SensitivePeriodFactory
from .factories import SpecialPersonFactory
from .factories import SurveyFactory
from .factories import TownshipMeetingFactory
from .factories import ZeroReportFactory


@pytest.fixture
def households(village_a):
    return LandlineHouseholdFactory.create_batch(25, village=village_a)


def test_draw_takes_the_size_from_active_households_and_stores_the_seed(
    village_a, households, staff_user
):
    LandlineHouseholdFactory(village=village_a, active=False)
    survey = SurveyFactory(village=village_a)
    samples = services.survey_draw(survey=survey, size=12, seed=4242, by=staff_user)
    survey.refresh_from_db()
    assert len(samples) == 12
    assert [s.order for s in samples] == list(range(1, 13))
    assert {s.household.active for s in samples} == {True}
    assert survey.seed == 4242 and survey.sample_size == 12
    assert survey.population == sorted(h.pk for h in households)
    assert survey.drawn_by == staff_user
    assert services.survey_redraw_ids(survey) == [s.household_id for s in samples]


def test_the_same_seed_draws_the_same_households(village_a, households, staff_user):
    first = SurveyFactory(village=village_a, quarter=2, date=date(2026, 4, 20))
    second = SurveyFactory(village=village_a, quarter=3, date=date(2026, 7, 20))
    a = services.survey_draw(survey=first, size=15, seed=7, by=staff_user)
    b = services.survey_draw(survey=second, size=15, seed=7, by=staff_user)
    assert [s.household_id for s in a] == [s.household_id for s in b]


def test_without_a_seed_the_app_chooses_and_keeps_one(village_a, households, staff_user):
    survey = SurveyFactory(village=village_a)
    services.survey_draw(survey=survey, size=10, by=staff_user)
    survey.refresh_from_db()
    assert survey.seed is not None


@pytest.mark.parametrize("size", [9, 21, 0])
def test_a_size_outside_ten_to_twenty_is_refused(village_a, households, staff_user, size):
    survey = SurveyFactory(village=village_a)
    with pytest.raises(ValidationError) as info:
        services.survey_draw(survey=survey, size=size, seed=1, by=staff_user)
    assert info.value.message_dict["size"] == ["抽样户数须在 10 到 20 户之间。"]
    assert not SurveySample.objects.exists()


def test_fewer_households_than_the_size_is_refused_with_the_numbers(village_a, staff_user):
    LandlineHouseholdFactory.create_batch(8, village=village_a)
    survey = SurveyFactory(village=village_a)
    with pytest.raises(ValidationError) as info:
        services.survey_draw(survey=survey, size=10, seed=1, by=staff_user)
    assert "只有 8 户在册固定电话户,少于抽样户数 10 户" in info.value.message_dict["size"][0]
    survey.refresh_from_db()
    assert survey.seed is None


def test_a_redraw_replaces_the_sample_until_answers_exist(village_a, households, staff_user):
    survey = SurveyFactory(village=village_a)
    services.survey_draw(survey=survey, size=10, seed=1, by=staff_user)
    services.survey_draw(survey=survey, size=20, seed=2, by=staff_user)
    assert survey.samples.count() == 20
    sample = survey.samples.first()
    record_save(
        instance=SurveyAnswer(sample=sample, reached=True, answer="satisfied"),
        user=staff_user,
    )
    with pytest.raises(ValidationError, match="已录入回访结果"):
        services.survey_draw(survey=survey, size=10, seed=3, by=staff_user)
    assert survey.samples.count() == 20


def test_a_draw_into_a_closed_month_is_refused_naming_it(
    village_a, households, staff_user, close_month
):
    survey = SurveyFactory(village=village_a, date=date(2026, 4, 20))
    close_month(2026, 4)
    with pytest.raises(PeriodClosedError, match="2026年4月"):
        services.survey_draw(survey=survey, size=10, seed=1, by=staff_user)
    assert not SurveySample.objects.exists()


def test_answers_are_saved_all_or_none(village_a, households, staff_user):
    survey = SurveyFactory(village=village_a)
    samples = services.survey_draw(survey=survey, size=10, seed=5, by=staff_user)
    answers = [SurveyAnswer(sample=s, reached=True, answer="satisfied") for s in samples]
    answers[-1].reached = False
    answers[-1].answer = "dissatisfied_organs"  # invalid: unreached yet answered
    with pytest.raises(ValidationError):
        services.survey_answers_save(survey=survey, answers=answers, user=staff_user)
    assert not SurveyAnswer.objects.exists()
    answers[-1].answer = "no_answer"
    services.survey_answers_save(survey=survey, answers=answers, user=staff_user)
    assert SurveyAnswer.objects.count() == 10


def test_attendance_saves_all_or_none(township, village_a, village_b, staff_user, other_village):
    meeting = TownshipMeetingFactory(township=township)
    rows = [
        MeetingAttendance(meeting=meeting, village=village_a, status="late"),
        MeetingAttendance(meeting=meeting, village=other_village, status="absent"),
    ]
    with pytest.raises(ValidationError):
        services.meeting_attendance_save(meeting=meeting, rows=rows, user=staff_user)
    assert not MeetingAttendance.objects.exists()
    rows[1].village = village_b
    services.meeting_attendance_save(meeting=meeting, rows=rows, user=staff_user)
    assert MeetingAttendance.objects.count() == 2


def test_unchanged_attendance_rows_write_no_history(township, village_a, staff_user):
    row = MeetingAttendanceFactory(meeting__township=township, village=village_a)
    before = row.history.count()
    services.meeting_attendance_save(meeting=row.meeting, rows=[row], user=staff_user)
    assert row.history.count() == before


def test_township_meeting_save_is_attributed_and_refused_in_a_closed_month(
    township, village_a, staff_user, close_month
):
    meeting = TownshipMeeting(township=township, date=date(2026, 4, 9), topic="例会")
    services.township_record_save(instance=meeting, user=staff_user, reason="新建")
    latest = meeting.history.latest()
    assert latest.history_user == staff_user
    close_month(2026, 5)
    meeting.date = date(2026, 5, 9)
    with pytest.raises(PeriodClosedError, match="2026年5月"):
        services.township_record_save(instance=meeting, user=staff_user, reason="改期")
    meeting.refresh_from_db()
    assert meeting.date == date(2026, 4, 9)


def test_moving_a_meeting_marks_both_months_of_its_villages_stale(township, village_a, staff_user):
    row = MeetingAttendanceFactory(meeting__township=township, village=village_a, status="late")
    StaleVillageMonth.objects.all().delete()
    meeting = row.meeting
    meeting.date = date(2026, 5, 9)
    services.township_record_save(instance=meeting, user=staff_user, reason="改期")
    months = set(StaleVillageMonth.objects.filter(village=village_a).values_list("year", "month"))
    assert months == {(2026, 4), (2026, 5)}


def test_deleting_a_meeting_deletes_its_attendance_with_history(township, village_a, staff_user):
    row = MeetingAttendanceFactory(meeting__township=township, village=village_a)
    services.township_record_delete(instance=row.meeting, user=staff_user, reason="重复录入")
    assert not TownshipMeeting.objects.exists() and not MeetingAttendance.objects.exists()
    deleted = MeetingAttendance.history.filter(history_type="-").get()
    assert deleted.history_user == staff_user
    assert deleted.history_change_reason == "重复录入"


def test_sensitive_period_revert(township, staff_user):
    period = SensitivePeriodFactory(township=township, name="春节")
    period.name = "春节假期"
    services.township_record_save(instance=period, user=staff_user, reason="改名")
    original = period.history.earliest()
    services.township_record_revert(historical=original, user=staff_user)
    assert SensitivePeriod.objects.get().name == "春节"


def test_village_records_save_through_core_records_and_refuse_closed_months(
    village_a, staff_user, close_month
):
    close_month(2026, 4)
    with pytest.raises(PeriodClosedError, match="2026年4月"):
        record_save(
            instance=Patrol(village=village_a, date=date(2026, 4, 7), participants="张"),
            user=staff_user,
        )
    assert not Patrol.objects.exists()
    assert not Survey.objects.exists()


def test_a_register_entry_in_a_closed_month_keeps_its_name_editable(
    village_a, staff_user, close_month
):
    from governance.models import LeadershipGroup

    group = LeadershipGroup(
        village=village_a, kind="law", established=date(2026, 1, 5), leader="李"
    )
    record_save(instance=group, user=staff_user)
    close_month(2026, 1)
    group.leader = "王"
    record_save(instance=group, user=staff_user, reason="换届")
    group.established = date(2026, 2, 1)
    with pytest.raises(PeriodClosedError, match="2026年1月"):
        record_save(instance=group, user=staff_user, reason="改成立日期")


@time_machine.travel(date(2026, 6, 15), tick=False)
def test_an_inspection_stands_for_the_months_until_the_next_one(village_a, staff_user, close_month):
    from governance.models import CentreInspection

    march = CentreInspectionFactory(village=village_a, date=date(2026, 3, 10))
    CentreInspectionFactory(village=village_a, date=date(2026, 5, 20))
    months = {(d.year, d.month) for d in march.record_dates()}
    assert months == {(2026, 3), (2026, 4)}
    StaleVillageMonth.objects.all().delete()
    march.is_clean = False
    record_save(instance=march, user=staff_user, reason="更正")
    stale = set(StaleVillageMonth.objects.values_list("year", "month"))
    assert stale == {(2026, 3), (2026, 4)}
    # April's frozen score read the March inspection: it cannot change any more.
    close_month(2026, 4)
    march.is_clean = True
    with pytest.raises(PeriodClosedError, match="2026年4月"):
        record_save(instance=march, user=staff_user, reason="再更正")
    assert CentreInspection.objects.get(pk=march.pk).is_clean is False


@time_machine.travel(date(2026, 6, 15), tick=False)
def test_removing_a_special_person_marks_the_month_ends_it_leaves(village_a, staff_user):
    person = SpecialPersonFactory(village=village_a, registered=date(2025, 3, 1))
    StaleVillageMonth.objects.all().delete()
    person.removed = date(2026, 5, 10)
    record_save(instance=person, user=staff_user, reason="销号")
    stale = set(StaleVillageMonth.objects.values_list("year", "month"))
    assert stale == {(2026, 5), (2026, 6)}
    StaleVillageMonth.objects.all().delete()
    person.note = "已迁出"
    record_save(instance=person, user=staff_user, reason="备注")
    assert not StaleVillageMonth.objects.exists()


@time_machine.travel(date(2026, 6, 15), tick=False)
def test_a_zero_report_stands_for_the_rest_of_its_year(village_a):
    report = ZeroReportFactory(village=village_a, date=date(2026, 2, 3))
    months = {(d.year, d.month) for d in report.record_dates()}
    assert months == {(2026, m) for m in range(2, 7)}


def test_a_drawn_survey_cannot_be_reverted_to_before_its_draw(village_a, households, staff_user):
    from core.records import record_revert

    survey = SurveyFactory(village=village_a)
    services.survey_draw(survey=survey, size=10, seed=1, by=staff_user)
    with pytest.raises(ValidationError, match="抽样结果不能通过恢复历史版本更改"):
        record_revert(historical=survey.history.earliest(), user=staff_user)
    survey.refresh_from_db()
    assert survey.seed == 1


def test_a_patrol_marks_the_month_its_week_counts_in(village_a, staff_user):
    # Monday 30 March 2026: its ISO week's Thursday is 2 April, so the week counts in April.
    StaleVillageMonth.objects.all().delete()
    record_save(
        instance=Patrol(village=village_a, date=date(2026, 3, 30), participants="张三"),
        user=staff_user,
        reason="录入",
    )
    months = set(StaleVillageMonth.objects.filter(village=village_a).values_list("year", "month"))
    assert months == {(2026, 3), (2026, 4)}
