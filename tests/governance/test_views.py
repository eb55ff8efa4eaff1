"""The pages: who reaches what (the cast), filters, invalid input, closed months, all-or-none."""

from datetime import date

import pytest
from django.urls import reverse

from governance.forms import INSPECTION_CHECKS
from governance.models import CentreInspection
from governance.models import LeadershipGroup
from governance.models import MeetingAttendance
from governance.models import Patrol
from governance.models import SurveyAnswer
from governance.models import TownshipMeeting
from governance.services import survey_draw

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

# page name -> factory of a record in a village, with a text that only it shows on a list
VILLAGE_KINDS = {
    "centreinspection": lambda v, tag: CentreInspectionFactory(village=v, inspector=tag),
    "specialperson": lambda v, tag: SpecialPersonFactory(village=v, name=tag),
    "zeroreport": lambda v, tag: ZeroReportFactory(village=v, note=tag),
    "leadershipgroup": lambda v, tag: LeadershipGroupFactory(village=v, leader=tag),
    "landlinehousehold": lambda v, tag: LandlineHouseholdFactory(village=v, head=tag),
    "patrol": lambda v, tag: PatrolFactory(village=v, participants=tag),
    "villagemeeting": lambda v, tag: VillageMeetingFactory(village=v, topic=tag),
    "meetingattendance": lambda v, tag: MeetingAttendanceFactory(
        meeting__township=v.township, village=v, note=tag
    ),
    "survey": lambda v, tag: SurveyFactory(village=v, note=tag),
    "adjustmentevent": lambda v, tag: AdjustmentEventFactory(village=v, document_ref=tag),
}


def url(name, *args):
    return reverse(f"governance:{name}", args=args)


@pytest.mark.parametrize("kind", list(VILLAGE_KINDS))
def test_a_secretary_sees_only_its_own_villages_records(
    client_for, cast, village_a, village_b, kind
):
    own = VILLAGE_KINDS[kind](village_a, "本村记录甲")
    other = VILLAGE_KINDS[kind](village_b, "他村记录乙")
    client = client_for(cast["secretary_a"])

    body = client.get(url(f"{kind}_list")).content.decode()
    assert f'href="{url(f"{kind}_detail", own.pk)}"' in body
    assert f'href="{url(f"{kind}_detail", other.pk)}"' not in body

    assert client.get(url(f"{kind}_detail", own.pk)).status_code == 200
    for suffix in ("detail", "update", "delete"):
        assert client.get(url(f"{kind}_{suffix}", other.pk)).status_code == 404
    response = client.post(url(f"{kind}_delete", other.pk), {"reason": "试图删除"})
    assert response.status_code == 404
    response = client.post(url(f"{kind}_update", other.pk), {"change_reason": "试图修改"})
    assert response.status_code == 404
    assert type(other).objects.filter(pk=other.pk).exists()

    # A secretary reads its records but does not change them (kaohe.change_records).
    assert client.get(url(f"{kind}_update", own.pk)).status_code == 403
    assert client.post(url(f"{kind}_delete", own.pk), {"reason": "x"}).status_code == 403
    assert client.get(url(f"{kind}_create")).status_code == 403


@pytest.mark.parametrize("kind", list(VILLAGE_KINDS))
def test_township_roles_and_outsiders(client_for, cast, village_a, kind):
    record = VILLAGE_KINDS[kind](village_a, "记录")
    detail = url(f"{kind}_detail", record.pk)
    assert client_for(cast["staff"]).get(detail).status_code == 200
    # A leader reads the special-person register as counts only (test_special_register.py).
    leader_reads = 403 if kind == "specialperson" else 200
    assert client_for(cast["leader"]).get(detail).status_code == leader_reads
    assert client_for(cast["leader"]).get(url(f"{kind}_update", record.pk)).status_code == 403
    assert client_for(cast["staff"]).get(url(f"{kind}_update", record.pk)).status_code == 200
    assert client_for(cast["other_staff"]).get(detail).status_code == 404


@pytest.mark.parametrize("kind", ["townshipmeeting", "sensitiveperiod"])
def test_township_records_are_for_the_townships_readers_only(client_for, cast, township, kind):
    factory = TownshipMeetingFactory if kind == "townshipmeeting" else SensitivePeriodFactory
    record = factory(township=township)
    for role in ("admin", "staff", "leader"):
        assert client_for(cast[role]).get(url(f"{kind}_detail", record.pk)).status_code == 200
    for role in ("secretary_a", "secretary_b"):
        assert client_for(cast[role]).get(url(f"{kind}_list")).status_code == 403
        assert client_for(cast[role]).get(url(f"{kind}_detail", record.pk)).status_code == 403
    assert client_for(cast["other_staff"]).get(url(f"{kind}_detail", record.pk)).status_code == 404
    assert client_for(cast["leader"]).get(url(f"{kind}_update", record.pk)).status_code == 403


def test_a_secretary_sees_its_attendance_not_the_meeting(client_for, cast, township, village_a):
    row = MeetingAttendanceFactory(meeting__township=township, village=village_a, status="late")
    client = client_for(cast["secretary_a"])
    assert client.get(url("meetingattendance_detail", row.pk)).status_code == 200
    assert client.get(url("townshipmeeting_detail", row.meeting.pk)).status_code == 403
    assert client.get(url("townshipmeeting_attendance", row.meeting.pk)).status_code == 403


def test_month_filter_and_search(client_for, cast, village_a):
    PatrolFactory(village=village_a, date=date(2026, 4, 7), participants="四月巡逻")
    PatrolFactory(village=village_a, date=date(2026, 5, 7), participants="五月巡逻")
    client = client_for(cast["staff"])
    body = client.get(url("patrol_list"), {"month": "2026-04"}).content.decode()
    assert "四月巡逻" in body and "五月巡逻" not in body
    body = client.get(url("patrol_list"), {"q": "五月"}).content.decode()
    assert "五月巡逻" in body and "四月巡逻" not in body
    body = client.get(url("patrol_list"), {"month": "garbage"}).content.decode()
    assert "四月巡逻" in body and "五月巡逻" in body


def test_staff_creates_an_inspection_and_edits_it_with_a_reason(client_for, cast, village_a):
    client = client_for(cast["staff"])
    data = {
        "village": village_a.pk,
        "date": "2026-04-10",
        "inspector": "王检查",
        **dict.fromkeys(INSPECTION_CHECKS, "False"),  # each check answered (issue 13.1)
        "duty_records": "True",
        "is_clean": "True",
        "file_zongzhi": "True",
        "cctv_room_manned": "unknown",
    }
    response = client.post(url("centreinspection_create"), data)
    assert response.status_code == 302
    inspection = CentreInspection.objects.get()
    assert inspection.work_files == {"zongzhi"}
    assert inspection.history.latest().history_user == cast["staff"]

    response = client.post(url("centreinspection_update", inspection.pk), {**data, "clean": ""})
    assert "change_reason" in response.context["form"].errors
    data["rules_complete"] = "True"
    response = client.post(
        url("centreinspection_update", inspection.pk), {**data, "change_reason": "补充制度"}
    )
    assert response.status_code == 302
    assert inspection.history.latest().history_change_reason == "补充制度"


INVALID = {
    "centreinspection": (
        {"date": "2026-04-10", "inspector": "王", "cctv_room_manned": "true"},
        "cctv_room_manned",
        "没有视频监控室",
    ),
    "specialperson": (
        {"category": "drug", "name": "某", "registered": "2026-04-10", "removed": "2026-04-01"},
        "removed",
        "在册至日期不能早于登记日期",
    ),
    "leadershipgroup": (
        {"kind": "railway", "established": "2026-01-01", "leader": "李"},
        "kind",
        "只有铁路沿线村(居)才设铁路护路领导小组",
    ),
    "landlinehousehold": ({"head": "赵", "phone": "12ab"}, "phone", "7到12位数字"),
    "patrol": (
        {"date": "2026-04-07", "participants": "张", "start_time": "20:00", "end_time": "19:00"},
        "end_time",
        "结束时间须晚于开始时间",
    ),
    "villagemeeting": ({"date": "2026-04-31", "topic": "例会"}, "date", "日期"),
    "survey": (
        {"year": "2026", "quarter": "2", "date": "2026-08-01"},
        "date",
        "调查日期须在 2026 年第 2 季度内",
    ),
    "adjustmentevent": (
        {"date": "2026-04-01", "kind": "commendation"},
        "level",
        "上级检查表彰须选择表彰级别",
    ),
}


@pytest.mark.parametrize("kind", list(INVALID))
def test_invalid_input_shows_its_error_at_the_field_and_saves_nothing(
    client_for, cast, village_a, kind
):
    data, field, message = INVALID[kind]
    response = client_for(cast["staff"]).post(
        url(f"{kind}_create"), {"village": village_a.pk, **data}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert message in response.content.decode()
    model = response.context["form"]._meta.model
    assert not model.objects.exists()


def test_zero_report_refused_for_a_registered_category(client_for, cast, village_a):
    SpecialPersonFactory(village=village_a, category="mental", registered=date(2026, 1, 2))
    response = client_for(cast["staff"]).post(
        url("zeroreport_create"),
        {"village": village_a.pk, "category": "mental", "date": "2026-04-01"},
    )
    assert "不能报零" in response.content.decode()


def test_a_secretary_cannot_create_for_its_village_either(client_for, cast, village_a):
    response = client_for(cast["secretary_a"]).post(
        url("patrol_create"), {"village": village_a.pk, "date": "2026-04-07", "participants": "张"}
    )
    assert response.status_code == 403
    assert not Patrol.objects.exists()


def test_staff_cannot_choose_a_village_of_another_township(client_for, cast, other_village):
    response = client_for(cast["staff"]).post(
        url("patrol_create"),
        {"village": other_village.pk, "date": "2026-04-07", "participants": "张"},
    )
    assert "village" in response.context["form"].errors
    assert not Patrol.objects.exists()


def test_a_write_into_a_closed_month_is_refused_naming_the_month(
    client_for, cast, village_a, close_month
):
    close_month(2026, 4)
    response = client_for(cast["staff"]).post(
        url("patrol_create"), {"village": village_a.pk, "date": "2026-04-07", "participants": "张"}
    )
    assert response.status_code == 200
    assert "2026年4月 的考核已关闭" in response.content.decode()
    assert not Patrol.objects.exists()


def test_a_delete_in_a_closed_month_is_refused(client_for, cast, village_a, close_month):
    patrol = PatrolFactory(village=village_a, date=date(2026, 4, 7))
    close_month(2026, 4)
    client = client_for(cast["staff"])
    response = client.post(url("patrol_delete", patrol.pk), {"reason": "误录"}, follow=True)
    assert "2026年4月 的考核已关闭" in response.content.decode()
    assert Patrol.objects.filter(pk=patrol.pk).exists()


def test_township_meeting_in_a_closed_month_is_refused(client_for, cast, township, close_month):
    close_month(2026, 4)
    response = client_for(cast["staff"]).post(
        url("townshipmeeting_create"),
        {"township": township.pk, "date": "2026-04-09", "topic": "例会"},
    )
    assert "2026年4月 的考核已关闭" in response.content.decode()
    assert not TownshipMeeting.objects.exists()


def test_delete_and_revert_keep_history(client_for, cast, village_a):
    group = LeadershipGroupFactory(village=village_a, kind="law", leader="李")
    client = client_for(cast["staff"])
    data = {
        "village": village_a.pk,
        "kind": "law",
        "established": "2025-01-01",
        "leader": "王",
        "change_reason": "换届",
    }
    assert client.post(url("leadershipgroup_update", group.pk), data).status_code == 302
    first = group.history.earliest()
    response = client.post(url("leadershipgroup_revert", group.pk, first.history_id))
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.leader == "李"
    response = client.post(url("leadershipgroup_delete", group.pk), {"reason": "重复录入"})
    assert response.status_code == 302
    assert not LeadershipGroup.objects.exists()


# --- township meeting and attendance --------------------------------------------------------


def test_meeting_create_leads_to_the_attendance_page(client_for, cast, township, village_a):
    response = client_for(cast["staff"]).post(
        url("townshipmeeting_create"),
        {"township": township.pk, "date": "2026-04-09", "topic": "四月例会"},
    )
    meeting = TownshipMeeting.objects.get()
    assert response["Location"] == url("townshipmeeting_attendance", meeting.pk)


def _attendance_data(meeting, statuses, reason=None):
    data = {}
    for village, status in statuses.items():
        data[f"v{village.pk}-status"] = status
        data[f"v{village.pk}-note"] = ""
    if reason is not None:
        data["r-reason"] = reason
    return data


def test_attendance_page_saves_all_or_none(client_for, cast, township, village_a, village_b):
    meeting = TownshipMeetingFactory(township=township)
    client = client_for(cast["staff"])
    page = client.get(url("townshipmeeting_attendance", meeting.pk)).content.decode()
    assert village_a.name in page and village_b.name in page

    bad = _attendance_data(meeting, {village_a: "late", village_b: "sleeping"})
    response = client.post(url("townshipmeeting_attendance", meeting.pk), bad)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not MeetingAttendance.objects.exists()

    good = _attendance_data(meeting, {village_a: "late", village_b: "absent"})
    response = client.post(url("townshipmeeting_attendance", meeting.pk), good)
    assert response.status_code == 302
    assert dict(MeetingAttendance.objects.values_list("village__name", "status")) == {
        village_a.name: "late",
        village_b.name: "absent",
    }

    # Changing existing rows asks why.
    again = _attendance_data(meeting, {village_a: "present", village_b: "absent"})
    response = client.post(url("townshipmeeting_attendance", meeting.pk), again)
    assert response.status_code == 200
    assert MeetingAttendance.objects.get(village=village_a).status == "late"
    again["r-reason"] = "核实后更正"
    client.post(url("townshipmeeting_attendance", meeting.pk), again)
    row = MeetingAttendance.objects.get(village=village_a)
    assert row.status == "present"
    assert row.history.latest().history_change_reason == "核实后更正"
    body = client.get(url("townshipmeeting_detail", meeting.pk)).content.decode()
    assert "缺席" in body


def test_attendance_page_in_a_closed_month_saves_nothing(
    client_for, cast, township, village_a, village_b, close_month
):
    meeting = TownshipMeetingFactory(township=township, date=date(2026, 4, 9))
    close_month(2026, 4)
    data = _attendance_data(meeting, {village_a: "late", village_b: "absent"})
    response = client_for(cast["staff"]).post(url("townshipmeeting_attendance", meeting.pk), data)
    assert "2026年4月 的考核已关闭" in response.content.decode()
    assert not MeetingAttendance.objects.exists()


# --- survey ---------------------------------------------------------------------------------


@pytest.fixture
def drawn_survey(village_a, staff_user):
    LandlineHouseholdFactory.create_batch(12, village=village_a)
    survey = SurveyFactory(village=village_a)
    survey_draw(survey=survey, size=10, seed=99, by=staff_user)
    return survey


def test_survey_draw_through_the_page(client_for, cast, village_a):
    LandlineHouseholdFactory.create_batch(11, village=village_a)
    survey = SurveyFactory(village=village_a)
    client = client_for(cast["staff"])
    response = client.post(url("survey_detail", survey.pk), {"size": "12", "seed": ""})
    assert response.status_code == 200
    assert "只有 11 户在册固定电话户,少于抽样户数 12 户" in response.content.decode()
    assert not survey.samples.exists()
    response = client.post(url("survey_detail", survey.pk), {"size": "10", "seed": "77"})
    assert response.status_code == 302
    body = client.get(url("survey_detail", survey.pk)).content.decode()
    assert "随机种子 77" in body and "按种子复核一致" in body


def test_a_secretary_cannot_draw(client_for, cast, village_a):
    LandlineHouseholdFactory.create_batch(11, village=village_a)
    survey = SurveyFactory(village=village_a)
    response = client_for(cast["secretary_a"]).post(url("survey_detail", survey.pk), {"size": 10})
    assert response.status_code == 403


def _answers_data(survey, answers, reason=None):
    data = {}
    for sample, (reached, answer) in zip(survey.samples.order_by("order"), answers, strict=True):
        if reached:
            data[f"s{sample.pk}-reached"] = "on"
        data[f"s{sample.pk}-answer"] = answer
        data[f"s{sample.pk}-note"] = ""
    if reason:
        data["r-reason"] = reason
    return data


def test_survey_answers_save_all_or_none(client_for, cast, drawn_survey):
    client = client_for(cast["staff"])
    answers = [(True, "satisfied")] * 8 + [(True, "dissatisfied_organs"), (False, "satisfied")]
    response = client.post(
        url("survey_answers", drawn_survey.pk), _answers_data(drawn_survey, answers)
    )
    assert response.status_code == 200
    assert "未联系上的住户只能记为“未作答”" in response.content.decode()
    assert not SurveyAnswer.objects.exists()

    answers[-1] = (False, "no_answer")
    response = client.post(
        url("survey_answers", drawn_survey.pk), _answers_data(drawn_survey, answers)
    )
    assert response.status_code == 302
    assert SurveyAnswer.objects.count() == 10
    body = client.get(url("survey_detail", drawn_survey.pk)).content.decode()
    assert "对政法机关不满意 1 户" in body
    # With answers recorded, no more redraws.
    response = client.post(url("survey_detail", drawn_survey.pk), {"size": "10"})
    assert "已录入回访结果,不能重新抽样" in response.content.decode()


def test_survey_answers_of_another_village_are_out_of_reach(client_for, cast, drawn_survey):
    response = client_for(cast["secretary_b"]).get(url("survey_answers", drawn_survey.pk))
    assert response.status_code == 404


# --- registers and patrol weeks -------------------------------------------------------------


def test_registers_overview_page(client_for, cast, village_a, village_b):
    SpecialPersonFactory(village=village_a, category="mental", registered=date(2026, 1, 2))
    LandlineHouseholdFactory.create_batch(4, village=village_a)
    client = client_for(cast["staff"])
    body = client.get(url("registers"), {"day": "2026-04-30"}).content.decode()
    assert village_a.name in body and village_b.name in body
    body = client.get(url("register_village", village_a.pk), {"day": "2026-04-30"}).content.decode()
    assert "已登记" in body and "未登记也未零报告" in body
    secretary = client_for(cast["secretary_b"])
    body = secretary.get(url("registers")).content.decode()
    assert village_a.name not in body
    assert secretary.get(url("register_village", village_a.pk)).status_code == 404


def test_patrol_weeks_page(client_for, cast, village_a, village_b):
    for day in (7, 8, 9):
        PatrolFactory(village=village_a, date=date(2026, 4, day))
    client = client_for(cast["staff"])
    response = client.get(url("patrol_weeks"), {"village": village_a.pk, "month": "2026-04"})
    weeks = response.context["weeks"]
    assert [w.count for w in weeks] == [0, 3, 0, 0, 0]
    assert response.context["missing"] == 12
    secretary = client_for(cast["secretary_b"])
    response = secretary.get(url("patrol_weeks"), {"village": village_a.pk, "month": "2026-04"})
    assert response.status_code == 404


def test_navigation_by_role(client_for, cast, village_a):
    body = client_for(cast["staff"]).get(url("patrol_list")).content.decode()
    assert "综治中心" in body and "会议与考评" in body and "镇综治会议" in body
    body = client_for(cast["secretary_a"]).get(url("patrol_list")).content.decode()
    assert "巡逻记录" in body and "镇综治会议" not in body and "敏感时期" not in body
