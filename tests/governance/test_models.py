"""Validation of each record kind: an invalid record raises at its field and is never saved."""

from datetime import date
from datetime import time

import pytest
from django.core.exceptions import ValidationError

from core.records import record_save
from governance.models import AdjustmentEvent
from governance.models import CentreInspection
from governance.models import LandlineHousehold
from governance.models import LeadershipGroup
from governance.models import MeetingAttendance
from governance.models import Patrol
from governance.models import SpecialPerson
from governance.models import Survey
from governance.models import SurveyAnswer
from governance.models import ZeroReport
from tests.factories import TownshipFactory

from .factories import CentreInspectionFactory
from .factories import LandlineHouseholdFactory
from .factories import LeadershipGroupFactory
from .factories import SpecialPersonFactory
from .factories import TownshipMeetingFactory


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    return info.value.message_dict


def test_inspection_work_files_are_the_codes_found_complete(village_a):
    inspection = CentreInspectionFactory(village=village_a, file_pufa=False, file_jindu=False)
    assert inspection.work_files == {"zongzhi", "fangxie", "xinfang", "jindu_month", "chuanxiao"}


def test_cctv_answer_refused_where_there_is_no_cctv_room(village_a, staff_user):
    inspection = CentreInspection(
        village=village_a, date=date(2026, 4, 1), inspector="王", cctv_room_manned=True
    )
    assert "没有视频监控室" in errors_of(inspection)["cctv_room_manned"][0]
    with pytest.raises(ValidationError):
        record_save(instance=inspection, user=staff_user, reason="")
    assert CentreInspection.objects.count() == 0


def test_cctv_answer_required_where_there_is_a_cctv_room(village_a):
    village_a.has_cctv_room = True
    village_a.save()
    inspection = CentreInspection(village=village_a, date=date(2026, 4, 1), inspector="王")
    assert "请填写是否有人值守" in errors_of(inspection)["cctv_room_manned"][0]
    inspection.cctv_room_manned = False
    inspection.full_clean()


def test_railway_group_refused_at_its_field_for_an_ordinary_village(village_a):
    group = LeadershipGroup(village=village_a, kind="railway", established=date(2026, 1, 1))
    group.leader = "李"
    assert errors_of(group)["kind"] == ["只有铁路沿线村(居)才设铁路护路领导小组。"]
    village_a.along_railway = True
    village_a.save()
    group.full_clean()


def test_two_groups_of_a_kind_may_not_overlap(village_a):
    LeadershipGroupFactory(
        village=village_a, kind="law", established=date(2025, 1, 1), dissolved=date(2026, 2, 28)
    )
    overlapping = LeadershipGroup(
        village=village_a, kind="law", established=date(2026, 2, 1), leader="王"
    )
    assert "时间不能重叠" in errors_of(overlapping)["kind"][0]
    # The old group's last day is its own: a successor may not start on it.
    on_its_last_day = LeadershipGroup(
        village=village_a, kind="law", established=date(2026, 2, 28), leader="王"
    )
    assert "时间不能重叠" in errors_of(on_its_last_day)["kind"][0]
    successor = LeadershipGroup(
        village=village_a, kind="law", established=date(2026, 3, 1), leader="王"
    )
    successor.full_clean()


def test_group_dissolved_must_follow_established(village_a):
    group = LeadershipGroup(
        village=village_a,
        kind="law",
        established=date(2026, 3, 1),
        dissolved=date(2026, 2, 28),
        leader="王",
    )
    assert "dissolved" in errors_of(group)
    group.dissolved = date(2026, 3, 1)  # a group that lasted one day, its last day included
    group.full_clean()


def test_special_person_removed_before_registered_is_refused(village_a):
    person = SpecialPerson(
        village=village_a,
        category="drug",
        name="某",
        registered=date(2026, 3, 1),
        removed=date(2026, 2, 1),
    )
    assert errors_of(person)["removed"] == ["在册至日期不能早于登记日期。"]


def test_zero_report_refused_while_a_person_of_the_category_is_registered(village_a):
    SpecialPersonFactory(village=village_a, category="drug", registered=date(2026, 1, 10))
    report = ZeroReport(village=village_a, category="drug", date=date(2026, 4, 1))
    assert "不能报零" in errors_of(report)["category"][0]
    ZeroReport(village=village_a, category="cult", date=date(2026, 4, 1)).full_clean()


def test_zero_report_allowed_once_the_person_is_removed(village_a):
    SpecialPersonFactory(
        village=village_a,
        category="drug",
        registered=date(2026, 1, 10),
        removed=date(2026, 3, 31),
    )
    ZeroReport(village=village_a, category="drug", date=date(2026, 3, 31)).full_clean()


def test_landline_phone_is_validated_and_stored_as_digits(village_a):
    bad = LandlineHousehold(village=village_a, head="赵", phone="8888-abc")
    assert "7到12位数字" in errors_of(bad)["phone"][0]
    good = LandlineHousehold(village=village_a, head="赵", phone="0571-8888 6666")
    good.full_clean()
    assert good.phone == "057188886666"


def test_landline_phone_is_unique_in_a_village_after_normalising(village_a):
    LandlineHouseholdFactory(village=village_a, phone="057188886666")
    again = LandlineHousehold(village=village_a, head="钱", phone="0571-8888-6666")
    assert errors_of(again)


def test_patrol_end_time_must_follow_start_time(village_a):
    patrol = Patrol(
        village=village_a,
        date=date(2026, 4, 1),
        start_time=time(20, 0),
        end_time=time(19, 0),
        participants="张",
    )
    assert errors_of(patrol)["end_time"] == ["结束时间须晚于开始时间。"]


def test_attendance_village_must_belong_to_the_meetings_township(village_a, other_village):
    meeting = TownshipMeetingFactory(township=village_a.township)
    row = MeetingAttendance(meeting=meeting, village=other_village, status="late")
    assert errors_of(row)["village"] == ["该村(居)不属于会议所在的镇。"]


def test_survey_date_must_lie_in_its_quarter(village_a):
    survey = Survey(village=village_a, year=2026, quarter=2, date=date(2026, 7, 1))
    assert errors_of(survey)["date"] == ["调查日期须在 2026 年第 2 季度内。"]


def test_an_unreached_household_cannot_have_answered(village_a):
    answer = SurveyAnswer(reached=False, answer="dissatisfied_organs")
    assert errors_of(answer)["answer"] == ["未联系上的住户只能记为“未作答”。"]


@pytest.mark.parametrize(
    ("kind", "level", "field_error"),
    [
        ("commendation", "", "上级检查表彰须选择表彰级别。"),
        ("sanction", "city", "只有上级检查表彰才填写表彰级别。"),
    ],
)
def test_adjustment_level_goes_with_commendations_only(village_a, kind, level, field_error):
    event = AdjustmentEvent(village=village_a, date=date(2026, 4, 1), kind=kind, level=level)
    assert errors_of(event)["level"] == [field_error]


def test_sensitive_period_end_must_not_precede_start(db):
    from governance.models import SensitivePeriod

    period = SensitivePeriod(
        township=TownshipFactory(),
        name="国庆",
        start=date(2026, 10, 7),
        end=date(2026, 10, 1),
        bonus_points=1,
        award_amount=1000,
    )
    assert errors_of(period)["end"] == ["结束日期不能早于开始日期。"]


def test_sensitive_period_touches_every_month_it_spans():
    from governance.models import SensitivePeriod

    period = SensitivePeriod(start=date(2026, 1, 20), end=date(2026, 3, 2))
    months = {(d.year, d.month) for d in period.record_dates()}
    assert months == {(2026, 1), (2026, 2), (2026, 3)}
