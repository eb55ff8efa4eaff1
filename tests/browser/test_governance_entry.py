"""Entering one record of each 综治中心 kind through the UI, and one invalid case per form.

Each invalid case shows its error at the field and leaves nothing saved; screenshots go to
test-results/screenshots/governance-*.png.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from governance.models import AdjustmentEvent
from governance.models import CentreInspection
from governance.models import LandlineHousehold
from governance.models import LeadershipGroup
from governance.models import MeetingAttendance
from governance.models import Patrol
from governance.models import SensitivePeriod
from governance.models import SpecialPerson
from governance.models import Survey
from governance.models import SurveyAnswer
from governance.models import TownshipMeeting
from governance.models import VillageMeeting
from governance.models import ZeroReport
from tests.governance.factories import LandlineHouseholdFactory

pytestmark = pytest.mark.django_db(transaction=True)


def open_form(page, live_server, kind):
    page.goto(f"{live_server.url}/governance/{kind}/new/")
    expect(page.locator("form.recordform")).to_be_visible()


def fill(page, values: dict):
    for name, value in values.items():
        field = page.locator(f"#id_{name}")
        if field.locator("input[type=radio]").count():  # 是 / 否 answered explicitly
            answer = {True: "True", False: "False"}.get(value, value)
            field.locator(f"input[value='{answer}']").check()
            continue
        kind = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind.startswith("select"):
            field.select_option(str(value))
        elif kind.endswith(":checkbox"):
            field.set_checked(bool(value))
        else:
            field.fill(str(value))


def save(page):
    page.locator("form.recordform button.primary").click()
    page.wait_for_load_state("networkidle")


def field_error(page, name):
    return page.locator(f".field:has(#id_{name}) .error")


def test_centre_registers(
    page, live_server, login, staff_user, village_a, village_b, console_errors, screenshot
):
    login(staff_user)
    v = village_a.pk

    # 综治中心检查: a CCTV answer for a village without a CCTV room is refused.
    open_form(page, live_server, "centreinspection")
    fill(page, {"village": v, "date": "2026-04-10", "inspector": "王检查"})
    fill(page, {"duty_records": True, "is_clean": True, "rules_complete": True})
    fill(page, {"dedicated_person": True, "file_zongzhi": True, "file_xinfang": True})
    fill(page, {n: False for n in ("file_fangxie", "file_pufa", "file_jindu")})
    fill(page, {n: False for n in ("file_jindu_month", "file_chuanxiao")})
    fill(page, {"cctv_room_manned": "true"})
    save(page)
    expect(field_error(page, "cctv_room_manned")).to_contain_text("没有视频监控室")
    screenshot("governance-inspection-error")
    assert CentreInspection.objects.count() == 0
    fill(page, {"cctv_room_manned": "unknown"})
    save(page)
    expect(page.locator("h1")).to_contain_text("综治中心检查")
    expect(page.locator("dl.fields")).to_contain_text("王检查")
    screenshot("governance-inspection-detail")
    assert CentreInspection.objects.get().work_files == {"zongzhi", "xinfang"}

    # 重点人员: removed before registered is refused.
    open_form(page, live_server, "specialperson")
    fill(page, {"village": v, "category": "mental", "name": "张某", "responsible": "李治保"})
    fill(page, {"registered": "2026-03-01", "removed": "2026-02-01"})
    save(page)
    expect(field_error(page, "removed")).to_contain_text("在册至日期不能早于登记日期")
    assert SpecialPerson.objects.count() == 0
    fill(page, {"removed": ""})
    save(page)
    expect(page.locator("dl.fields")).to_contain_text("张某")

    # 零报告: refused for a category with a person on the register.
    open_form(page, live_server, "zeroreport")
    fill(page, {"village": v, "category": "mental", "date": "2026-04-01"})
    save(page)
    expect(field_error(page, "category")).to_contain_text("不能报零")
    screenshot("governance-zeroreport-error")
    assert ZeroReport.objects.count() == 0
    fill(page, {"category": "cult"})
    save(page)
    expect(page.locator("dl.fields")).to_contain_text("邪教人员")

    # 领导小组: the railway group only along a railway.
    open_form(page, live_server, "leadershipgroup")
    fill(page, {"village": v, "kind": "railway", "established": "2026-01-05", "leader": "李组长"})
    save(page)
    expect(field_error(page, "kind")).to_contain_text("只有铁路沿线村(居)才设铁路护路领导小组")
    screenshot("governance-group-error")
    assert LeadershipGroup.objects.count() == 0
    fill(page, {"kind": "mediation", "members": "王、赵", "document_ref": "甲发〔2026〕1号"})
    save(page)
    expect(page.locator("dl.fields")).to_contain_text("治保调解")

    # 固定电话户: digits only.
    open_form(page, live_server, "landlinehousehold")
    fill(page, {"village": v, "head": "赵大", "phone": "0571-88ab", "address": "甲村1组"})
    save(page)
    expect(field_error(page, "phone")).to_contain_text("7到12位数字")
    assert LandlineHousehold.objects.count() == 0
    fill(page, {"phone": "0571-8888 6666"})
    save(page)
    expect(page.locator("dl.fields")).to_contain_text("057188886666")

    # 巡逻记录: the end after the start.
    open_form(page, live_server, "patrol")
    fill(page, {"village": v, "date": "2026-04-07", "participants": "张三、李四"})
    fill(page, {"start_time": "20:00", "end_time": "19:00", "route": "村道一圈"})
    save(page)
    expect(field_error(page, "end_time")).to_contain_text("结束时间须晚于开始时间")
    assert Patrol.objects.count() == 0
    fill(page, {"end_time": "22:00"})
    save(page)
    expect(page.locator("dl.fields")).to_contain_text("张三、李四")

    # The week view and the registers overview show what was entered.
    page.goto(f"{live_server.url}/governance/patrol-weeks/?village={v}&month=2026-04")
    expect(page.locator("#weeks tbody tr")).to_have_count(5)
    expect(page.locator("#weeks tbody tr").nth(1)).to_contain_text("1")
    screenshot("governance-patrol-weeks")
    page.goto(f"{live_server.url}/governance/registers/{v}/?day=2026-04-30")
    expect(page.locator("#categories")).to_contain_text("零报告")
    expect(page.locator("#landlines")).to_have_text("1")
    screenshot("governance-register-village")
    page.goto(f"{live_server.url}/governance/registers/?day=2026-04-30")
    expect(page.locator("#registers")).to_contain_text(village_b.name)


def test_meetings(
    page, live_server, login, staff_user, township, village_a, village_b, console_errors, screenshot
):
    login(staff_user)

    # 村会议: a topic is required.
    open_form(page, live_server, "villagemeeting")
    fill(page, {"village": village_a.pk, "date": "2026-04-08", "studied_petition_work": True})
    save(page)
    expect(field_error(page, "topic")).to_be_visible()
    assert VillageMeeting.objects.count() == 0
    fill(page, {"topic": "研究四月信访工作", "attendees": "两委成员"})
    save(page)
    expect(page.locator("dl.fields")).to_contain_text("研究四月信访工作")

    # 镇综治会议: a date is required; then every village's attendance on one page.
    open_form(page, live_server, "townshipmeeting")
    fill(page, {"topic": "四月综治例会", "location": "镇政府三楼"})
    save(page)
    expect(field_error(page, "date")).to_be_visible()
    assert TownshipMeeting.objects.count() == 0
    fill(page, {"date": "2026-04-09"})
    save(page)
    expect(page.locator("h1")).to_contain_text("登记出席情况")
    rows = page.locator("#attendance-rows tbody tr")
    expect(rows).to_have_count(2)
    page.locator(f"input[name='v{village_b.pk}-status'][value='late']").check()
    page.fill(f"input[name='v{village_b.pk}-note']", "迟到十分钟")
    screenshot("governance-attendance-form")
    save(page)
    expect(page.locator("#attendance")).to_contain_text("迟到")
    screenshot("governance-meeting-detail")
    assert dict(MeetingAttendance.objects.values_list("village_id", "status")) == {
        village_a.pk: "present",
        village_b.pk: "late",
    }
    # Changing saved attendance asks why, and without a reason changes nothing.
    page.locator("a.button", has_text="登记出席情况").click()
    page.locator(f"input[name='v{village_a.pk}-status'][value='absent']").check()
    save(page)
    expect(field_error(page, "r-reason")).to_be_visible()
    screenshot("governance-attendance-error")
    assert MeetingAttendance.objects.get(village=village_a).status == "present"
    page.fill("#id_r-reason", "核实后更正")
    save(page)
    expect(page.locator("#attendance")).to_contain_text("缺席")


def test_survey_with_draw_and_answers(
    page, live_server, login, staff_user, village_a, console_errors, screenshot
):
    LandlineHouseholdFactory.create_batch(14, village=village_a)
    login(staff_user)

    open_form(page, live_server, "survey")
    fill(page, {"village": village_a.pk, "year": "2026", "quarter": "2", "date": "2026-07-02"})
    save(page)
    expect(field_error(page, "date")).to_contain_text("调查日期须在 2026 年第 2 季度内")
    assert Survey.objects.count() == 0
    fill(page, {"date": "2026-04-20"})
    save(page)
    expect(page.locator("#draw-form")).to_be_visible()

    # Too large a sample is refused at the size field.
    page.fill("#draw-form #id_size", "25")
    page.locator("#draw-form button.primary").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".field:has(#id_size) .error")).to_contain_text("10 到 20 户")
    screenshot("governance-survey-draw-error")
    page.fill("#draw-form #id_size", "10")
    page.fill("#draw-form #id_seed", "2026")
    page.locator("#draw-form button.primary").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#draw-info")).to_contain_text("随机种子 2026")
    expect(page.locator("#draw-info")).to_contain_text("按种子复核一致")
    expect(page.locator("#samples tbody tr")).to_have_count(10)
    screenshot("governance-survey-drawn")

    page.locator("a.button", has_text="录入回访结果").click()
    rows = page.locator("#answer-rows tbody tr")
    expect(rows).to_have_count(10)
    for i in range(10):
        row = rows.nth(i)
        row.locator("input[type=checkbox]").check()
        row.locator("select").select_option("satisfied")
    rows.nth(3).locator("select").select_option("dissatisfied_organs")
    rows.nth(9).locator("input[type=checkbox]").uncheck()  # not reached, yet answered: invalid
    save(page)
    expect(rows.nth(9).locator(".error")).to_contain_text("未联系上的住户只能记为“未作答”")
    screenshot("governance-survey-answers-error")
    assert SurveyAnswer.objects.count() == 0
    rows.nth(9).locator("select").select_option("no_answer")
    save(page)
    expect(page.locator("main")).to_contain_text("对政法机关不满意 1 户")
    screenshot("governance-survey-answered")
    assert SurveyAnswer.objects.filter(answer="dissatisfied_organs").count() == 1


def test_adjustments_and_sensitive_periods(
    page, live_server, login, staff_user, township, village_a, console_errors, screenshot
):
    login(staff_user)

    open_form(page, live_server, "adjustmentevent")
    fill(page, {"village": village_a.pk, "date": "2026-04-15", "kind": "commendation"})
    save(page)
    expect(field_error(page, "level")).to_contain_text("上级检查表彰须选择表彰级别")
    screenshot("governance-adjustment-error")
    assert AdjustmentEvent.objects.count() == 0
    fill(
        page, {"level": "city", "description": "市综治检查表彰", "document_ref": "市综〔2026〕8号"}
    )
    save(page)
    expect(page.locator("dl.fields")).to_contain_text("市级")

    open_form(page, live_server, "sensitiveperiod")
    fill(page, {"name": "五一劳动节", "start": "2026-05-05", "end": "2026-05-01"})
    fill(page, {"bonus_points": "1", "award_amount": "3000"})
    save(page)
    expect(field_error(page, "end")).to_contain_text("结束日期不能早于开始日期")
    assert SensitivePeriod.objects.count() == 0
    fill(page, {"start": "2026-05-01", "end": "2026-05-05"})
    save(page)
    expect(page.locator("dl.fields")).to_contain_text("五一劳动节")
    screenshot("governance-sensitive-period")
    period = SensitivePeriod.objects.get()
    assert (period.start, period.end) == (date(2026, 5, 1), date(2026, 5, 5))

    page.goto(f"{live_server.url}/governance/adjustmentevent/?month=2026-04")
    expect(page.locator("table.data tbody")).to_contain_text(re.compile("上级检查表彰"))
    screenshot("governance-adjustment-list")
