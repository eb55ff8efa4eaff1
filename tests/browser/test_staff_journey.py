"""Issue 13 in the browser, on a desktop (1366x900) and a phone (390x844): an invalid record
form comes back with its error summary focused at the top, a summary link focuses its field,
全部合格 answers the unanswered checks, and the patrol week grid adds a week's patrols.

Screenshots: test-results/screenshots/staff-*.png.
"""

import os
from datetime import date
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from governance.models import CentreInspection
from governance.models import Patrol

pytestmark = pytest.mark.django_db(transaction=True)

KEEP = Path(os.environ.get("KAOHE_SHOTS_COPY", "")) if os.environ.get("KAOHE_SHOTS_COPY") else None

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def screenshot(screenshot, page):
    """The shared screenshot, and a copy under $KAOHE_SHOTS_COPY when set (another session's
    pytest-playwright clears test-results/ when it starts)."""

    def take(name: str):
        screenshot(name)
        if KEEP is not None:
            KEEP.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(KEEP / f"{name}.png"), full_page=True)

    return take


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.parametrize("size", list(SIZES))
def test_error_summary_focus_and_all_passed(
    page, live_server, login, staff_user, village_a, console_errors, screenshot, size
):
    page.set_viewport_size(SIZES[size])
    login(staff_user)

    # A patrol with its end before its start and nobody named: both errors listed on top.
    page.goto(f"{live_server.url}/governance/patrol/new/")
    page.select_option("#id_village", str(village_a.pk))
    page.fill("#id_date", "2026-11-03")
    page.fill("#id_start_time", "20:00")
    page.fill("#id_end_time", "19:00")
    page.locator("form.recordform button.primary").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("结束时间须晚于开始时间")
    expect(summary).to_contain_text("巡逻人员")
    expect(summary).to_be_focused()
    box = summary.bounding_box()  # in view, whatever the page's length
    assert 0 <= box["y"] < SIZES[size]["height"]
    screenshot(f"staff-{size}-1-error-summary")
    summary.get_by_role("link", name="巡逻人员").click()
    assert focused_id(page) == "id_participants"
    page.fill("#id_participants", "张三")
    page.fill("#id_end_time", "21:00")
    page.get_by_role("button", name="保存并继续新增").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-success")).to_contain_text("已保存")
    expect(page.locator("#id_village")).to_have_value(str(village_a.pk))
    expect(page.locator("#id_date")).to_have_value("2026-11-03")
    assert Patrol.objects.count() == 1

    # An inspection: nothing answered at first; 全部合格 answers every check 是, a 否 stays.
    page.goto(f"{live_server.url}/governance/centreinspection/new/?village={village_a.pk}")
    expect(page.locator("#id_duty_records input:checked")).to_have_count(0)
    expect(page.locator("#id_cctv_room_manned input[value=unknown]")).to_be_checked()
    page.fill("#id_date", "2026-11-03")
    page.locator("form.recordform button.primary").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("有值班记录:请选择“是”或“否”。")
    screenshot(f"staff-{size}-2-inspection-unanswered")
    summary.get_by_role("link", name="有值班记录").click()
    assert focused_id(page) == "id_duty_records_0"
    page.fill("#id_inspector", "王检查")
    page.check("#id_file_jindu input[value=False]")
    page.check("#id_all_passed")
    expect(page.locator("#id_duty_records input[value=True]")).to_be_checked()
    expect(page.locator("#id_file_jindu input[value=False]")).to_be_checked()
    screenshot(f"staff-{size}-3-inspection-all-passed")
    page.locator("form.recordform button.primary").click()
    page.wait_for_load_state("networkidle")
    inspection = CentreInspection.objects.get()
    assert inspection.duty_records and inspection.file_chuanxiao and not inspection.file_jindu


@pytest.mark.parametrize("size", list(SIZES))
def test_patrol_week_grid(
    page, live_server, login, staff_user, village_a, village_b, console_errors, screenshot, size
):
    page.set_viewport_size(SIZES[size])
    login(staff_user)
    monday = date(2026, 11, 2)
    page.goto(f"{live_server.url}/governance/patrol-weeks/?village={village_a.pk}&month=2026-11")
    page.locator(f"a.enterweek[href$='week={monday.isoformat()}']").click()
    page.wait_for_load_state("networkidle")
    grid = page.locator("#patrol-grid")
    expect(grid).to_be_visible()
    expect(page.locator("h1")).to_contain_text("2026年11月2日")

    def cell(village, day):
        return page.locator(f"#id_v{village.pk}_{day:%Y%m%d}")

    for offset in (0, 2, 4):
        cell(village_a, monday + timedelta(days=offset)).fill("1")
    cell(village_b, monday + timedelta(days=1)).fill("2")
    page.fill(f"#id_p{village_a.pk}", "张三、李四")
    # Village B's people left out: refused, nothing saved, the summary focused.
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("新增巡逻请填写巡逻人员")
    assert Patrol.objects.count() == 0
    # The grid scrolls inside its box; the page itself stays phone-wide.
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    screenshot(f"staff-{size}-4-grid-error")
    page.fill(f"#id_p{village_b.pk}", "王五")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-success")).to_contain_text("已新增 5 条巡逻记录")
    expect(cell(village_b, monday + timedelta(days=1))).to_have_value("2")
    screenshot(f"staff-{size}-5-grid-saved")
    assert Patrol.objects.filter(village=village_a).count() == 3
    assert Patrol.objects.filter(village=village_b, date=monday + timedelta(days=1)).count() == 2
    # The week view now counts them.
    page.get_by_role("link", name="巡逻周统计").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#weeks")).to_contain_text("11月2日")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_record_of_a_closed_month_shows_its_lock(
    page, live_server, login, staff_user, village_a, township, console_errors, screenshot, size
):
    from assessment.models import Period
    from assessment.models import PeriodState

    page.set_viewport_size(SIZES[size])
    patrol = Patrol.objects.create(village=village_a, date=date(2026, 4, 7), participants="巡逻队")
    Period.objects.create(township=township, year=2026, month=4, state=PeriodState.CLOSED)
    login(staff_user)
    page.goto(f"{live_server.url}/governance/patrol/{patrol.pk}/")
    expect(page.locator("#frozen-notice")).to_contain_text("2026年4月 的考核已关闭,记录已冻结")
    expect(page.get_by_role("link", name="修改")).to_have_count(0)
    expect(page.get_by_role("link", name="删除")).to_have_count(0)
    screenshot(f"staff-{size}-6-frozen-detail")
    page.goto(f"{live_server.url}/governance/patrol/{patrol.pk}/edit/")
    expect(page.locator("#frozen-notice")).to_be_visible()
    expect(page.locator("#id_participants")).to_be_disabled()
    expect(page.locator("form.recordform button[type=submit]")).to_have_count(0)
    screenshot(f"staff-{size}-7-frozen-form")
