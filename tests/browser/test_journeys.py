"""Each role's main journey through the browser, with no console errors, and screenshots in
test-results/screenshots/journey-*.png:

1. staff enter a month for a village (a patrol, a meeting, a petition) and see its score move on
   the village's score page (the recompute runs on save);
2. a secretary submits this half's report from a phone-sized window (and from a desktop);
3. a leader reads the dashboard (charts drawn) and opens a village's lost points;
4. an admin recomputes the year from the dashboard, closes a month and sees it frozen: an edit
   of a record in that month is refused with the month named (at 1366x900 and at 390x844).
"""

from datetime import date
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from assessment import services
from assessment.models import Contest
from assessment.models import Period
from assessment.models import PeriodState
from assessment.models import ScoreLine
from assessment.models import ScoreSheet
from cases.models import AssignedCase
from core import periods
from governance.models import Patrol
from petitions import deadlines
from petitions.models import DisputeReport
from petitions.models import Petition
from sampledata.synthetic import make_county
from tests.assessment.period_steps import publish_month
from tests.factories import UserFactory
from tests.petitions.factories import PNG

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()
LAST_MONTH = TODAY.replace(day=1) - timedelta(days=1)  # a month whose days are all past
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": PHONE}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def score_of(page) -> Decimal:
    return Decimal(page.locator("section.card .stat").first.inner_text())


def save(page):
    page.locator("form.recordform button.primary").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-success")).to_be_visible()


# --- 1. Staff ------------------------------------------------------------------------------------


def test_staff_enter_a_month_and_see_the_score_move(
    page, live_server, login, staff_user, village_a, village_b, console_errors, screenshot
):
    login(staff_user)
    assert page.url == f"{live_server.url}/dashboard/"
    day = LAST_MONTH.replace(day=10).isoformat()
    scores_url = (
        f"{live_server.url}/assessment/villages/{village_a.pk}/"
        f"?year={LAST_MONTH.year}&month={LAST_MONTH.month}"
    )

    page.goto(f"{live_server.url}/governance/patrol/new/")
    page.select_option("#id_village", str(village_a.pk))
    page.fill("#id_date", day)
    page.fill("#id_participants", "王五、赵六")
    save(page)
    page.goto(scores_url)
    first = score_of(page)
    expect(page.locator("#lines")).to_contain_text("1.1")  # no meeting yet: 1.1 loses a point
    screenshot("journey-staff-1-after-patrol")

    page.goto(f"{live_server.url}/governance/villagemeeting/new/")
    page.select_option("#id_village", str(village_a.pk))
    page.fill("#id_date", day)
    page.fill("#id_topic", "研究本月信访工作")
    page.check("#id_studied_petition_work")
    save(page)
    page.goto(scores_url)
    after_meeting = score_of(page)
    assert after_meeting == first + 1

    page.goto(f"{live_server.url}/petitions/petition/new/")
    page.select_option("select[name=village]", str(village_a.pk))
    page.fill("input[name=date]", day)
    page.select_option("select[name=level]", "city")
    page.select_option("select[name=channel]", "visit")
    page.fill("input[name=person_count]", "1")
    page.fill("textarea[name=matter]", "反映村道维修问题")
    page.check("input[name=stabilised_in_time][value=True]")  # answered explicitly (issue 13)
    page.fill("input[name='petitioners-0-name']", "孙某")
    save(page)
    petition = Petition.objects.get(village=village_a)
    page.goto(scores_url)
    assert score_of(page) == after_meeting - 3  # 评分表 二: a city petition, 3 points a person
    lines = page.locator("#lines")
    expect(lines.locator(f"a[href='/petitions/petition/{petition.pk}/']")).to_be_visible()
    expect(page.locator("#trend canvas")).to_have_count(1)
    screenshot("journey-staff-2-after-petition")


# --- 2. Secretary ------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("size", list(SIZES))
def test_secretary_submits_a_report_on_a_phone(
    page, live_server, login, secretary_a, village_a, media, console_errors, screenshot, size
):
    page.set_viewport_size(SIZES[size])
    login(secretary_a)
    assert page.url == f"{live_server.url}/petitions/portal/"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(f"journey-secretary-1-portal-{size}")
    page.fill("input[name=signed_by]", "李书记")
    page.set_input_files(
        "input[name=seal_scan]",
        files=[{"name": "seal.png", "mimeType": "image/png", "buffer": PNG}],
    )
    submit = page.locator("button[name=action][value=submit]")
    box = submit.bounding_box()
    assert box["height"] >= 40 and (size != "phone" or box["width"] >= 300)  # thumb-sized
    submit.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-success")).to_have_text("排查报告已报送。")
    days = deadlines.report_days(village_a.township_id, TODAY.year)
    year, month, half = periods.half_of(TODAY, days)
    report = DisputeReport.objects.get(village=village_a, year=year, month=month, half=half)
    assert report.is_complete and report.disputes.count() == 0  # a zero report
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(f"journey-secretary-2-submitted-{size}")


# --- 3. Leader ---------------------------------------------------------------------------------


@pytest.fixture
def county():
    """Twelve villages with a year of synthetic records, scored up to last month; one village
    under 80 all year, a veto cause, open cases in each alert tier, three villages yet to
    report this half, and a pending contest."""
    # The whole year (not stopped at today), so that this half's reports exist for every village.
    township = make_county(
        villages=12, year=TODAY.year, seed=7, code="journey", until=date(TODAY.year, 12, 31)
    )
    villages = list(township.villages.order_by("name"))
    Petition.objects.bulk_create(
        [
            Petition(
                village=villages[5],
                date=date(TODAY.year, month, 6),
                level="province",
                channel="visit",
                person_count=10,
                matter="土地补偿",
                source="sunshine",
                source_ref=f"J-{month}",
            )
            for month in range(1, TODAY.month)
        ]
    )
    Petition.objects.create(
        village=villages[3],
        date=LAST_MONTH.replace(day=5),
        level="beijing",
        channel="visit",
        matter="征地补偿",
        new_problem_unresolved=True,
    )
    for village, days in ((villages[1], 2), (villages[2], -3), (villages[6], -40)):
        due = TODAY + timedelta(days=days)
        AssignedCase.objects.create(
            village=village,
            title="群众反映道路积水",
            assigned_by="区信访局",
            assigned_date=due - timedelta(days=28),
            due_date=due,
        )
    days = deadlines.report_days(township.pk, TODAY.year)
    year, month, half = periods.half_of(TODAY, days)
    DisputeReport.objects.filter(
        village__in=villages[8:11], year=year, month=month, half=half
    ).delete()
    services.score_year(township_id=township.pk, year=TODAY.year, months=range(1, TODAY.month))
    leader = UserFactory(username="lingdao", role=Role.LEADER, township=township)
    sheet = ScoreSheet.objects.filter(village=villages[0], year=TODAY.year).order_by("month")[0]
    line = ScoreLine.objects.filter(sheet=sheet).exclude(points=0).first()
    if line is not None:
        Contest.objects.create(
            village=villages[0],
            year=sheet.year,
            month=sheet.month,
            item_code=line.item_code,
            line_reason=line.reason,
            refs=line.refs,
            reason="巡逻记录已补交",
            filed_by=leader,
        )
    return township, leader


def test_leader_reads_the_dashboard_and_opens_lost_points(
    page, live_server, login, county, console_errors, screenshot
):
    _township, leader = county
    login(leader)
    assert page.url == f"{live_server.url}/dashboard/"
    for chart in ("chart-trend", "chart-lost", "chart-levels"):
        expect(page.locator(f"#{chart} canvas").first).to_be_visible()
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(12)
    expect(page.locator("h1")).to_contain_text(f"{LAST_MONTH.year}年{LAST_MONTH.month}月")
    expect(page.locator("#veto-causes")).to_contain_text("进京上访")
    expect(page.locator("#ranking")).to_contain_text("否决")
    expect(page.locator("#deadlines")).to_contain_text("截止")
    expect(page.locator("#reports-current .chip")).to_have_count(3)
    expect(page.locator("#case-tiers tbody tr")).to_have_count(3)
    expect(page.locator("#at-risk tbody tr")).to_have_count(1)
    screenshot("journey-leader-1-dashboard")

    page.emulate_media(media="print")
    expect(page.locator("#chart-trend")).to_be_hidden()
    expect(page.locator("#ranking")).to_be_visible()
    screenshot("journey-leader-2-dashboard-print")
    page.emulate_media(media="screen")

    # The quarter view compares with the quarter before.
    page.select_option("select[name=kind]", "quarter")
    page.click("#span-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#ranking thead")).to_contain_text("较上季度")
    expect(page.locator("#chart-lost canvas").first).to_be_visible()

    # Back to the month; open the last village's lost points from its score.
    page.go_back()
    page.wait_for_load_state("networkidle")
    last = rows.last
    name = last.locator("td").nth(1).inner_text()
    last.locator("td.num a").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text(name)
    lost = page.locator("#lines tbody tr")
    assert lost.count() >= 1
    expect(page.locator("#lines")).to_contain_text("-")
    screenshot("journey-leader-3-lost-points")

    # The village's own page: its months down to the records, its people, what is open.
    page.go_back()
    page.wait_for_load_state("networkidle")
    page.locator("#ranking tbody tr").last.locator("td").nth(1).locator("a").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#village-scores")).to_contain_text(f"{TODAY.year}年逐月得分")
    expect(page.locator("#chart-village-trend canvas")).to_have_count(1)
    expect(page.locator("#open-items")).to_contain_text("未结事项")
    expect(page.locator("details.month-lines").first).to_have_attribute("open", "")
    screenshot("journey-leader-4-village")


def test_ranking_page_prints_readably(page, live_server, login, county, console_errors, screenshot):
    _township, leader = county
    login(leader)
    page.goto(
        f"{live_server.url}/assessment/ranking/?year={LAST_MONTH.year}&month={LAST_MONTH.month}"
    )
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("table.data tbody tr")).to_have_count(12)
    fits = "document.querySelector('table.data').scrollWidth <= document.body.clientWidth"
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    assert page.evaluate(fits)
    screenshot("journey-ranking-print")


# --- 4. Admin ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES))
def test_admin_recomputes_closes_a_month_and_sees_it_frozen(
    page, live_server, login, admin_user, village_a, village_b, console_errors, screenshot, size
):
    page.set_viewport_size(SIZES[size])
    # The month before last: published the day after it ended, its contest window is over.
    month = LAST_MONTH.replace(day=1) - timedelta(days=1)
    patrol = Patrol.objects.create(
        village=village_a, date=month.replace(day=8), participants="巡逻队"
    )
    login(admin_user)
    assert page.url == f"{live_server.url}/dashboard/"
    expect(page.locator("#ranking tbody")).to_contain_text("该期间尚无评分")

    page.get_by_role("button", name="重新计算本年").click()
    panel = page.locator("#recompute-panel .job")
    expect(panel).to_contain_text("已完成")
    expect(panel).to_contain_text("已重新计算")
    screenshot(f"journey-admin-1-recomputed-{size}")
    page.reload()
    expect(page.locator("#ranking tbody tr")).to_have_count(2)

    publish_month(services.period_for(admin_user.township_id, month.year, month.month), admin_user)
    page.goto(f"{live_server.url}/assessment/periods/?year={month.year}")
    row = page.locator("table.data tbody tr", has_text=f"{month.month}月").first
    row.get_by_role("button", name="关闭").click()
    page.wait_for_load_state("networkidle")
    named = f"{month.year}年{month.month}月"
    expect(page.locator("section.card h1")).to_contain_text(f"确认关闭 {named}")  # asked first
    assert Period.objects.get(year=month.year, month=month.month).state == PeriodState.PUBLISHED
    page.locator("#reason").fill("月度考核结束")
    page.get_by_role("button", name="确认关闭").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-success")).to_contain_text(f"{named} 已关闭")
    row = page.locator("table.data tbody tr", has_text=f"{month.month}月").first
    expect(row).to_contain_text("已关闭")
    assert Period.objects.get(year=month.year, month=month.month).state == PeriodState.CLOSED
    screenshot(f"journey-admin-2-closed-{size}")

    # The record of the closed month opens locked (issue 13.4): no 修改/删除, no save button.
    page.goto(f"{live_server.url}/governance/patrol/{patrol.pk}/")
    expect(page.locator("#frozen-notice")).to_contain_text(f"{named} 的考核已关闭,记录已冻结")
    expect(page.get_by_role("link", name="修改")).to_have_count(0)
    page.goto(f"{live_server.url}/governance/patrol/{patrol.pk}/edit/")
    expect(page.locator("#frozen-notice")).to_contain_text(f"{named} 的考核已关闭")
    expect(page.locator("#id_participants")).to_be_disabled()
    expect(page.locator("form.recordform button[type=submit]")).to_have_count(0)
    patrol.refresh_from_db()
    assert patrol.participants == "巡逻队"
    screenshot(f"journey-admin-3-edit-refused-{size}")
