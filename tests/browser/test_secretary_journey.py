"""Issue 13 on a phone (390x844) and on a desktop (1366x900): the secretary goes from its portal
to its own scores, contests a line, and reads the township's decision with its reason on that
line and on the portal; the month still open shows nothing, not even a point on the trend
chart."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessment import services
from assessment.models import Contest
from assessment.models import Period
from assessment.models import PeriodState
from tests.browser.conftest import SHOTS

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def last_month_published(township, village_a, village_b):
    """Last month scored and published today; this month scored and still open."""
    today = timezone.localdate()
    first = today.replace(day=1)
    last = first - timedelta(days=1)
    services.score_month(township_id=township.pk, year=last.year, month=last.month, today=today)
    services.score_month(township_id=township.pk, year=today.year, month=today.month, today=today)
    period = services.period_for(township.pk, last.year, last.month)
    Period.objects.filter(pk=period.pk).update(
        state=PeriodState.PUBLISHED, published_at=timezone.now()
    )
    return last


@pytest.mark.parametrize("size", list(SIZES))
def test_portal_to_own_scores_to_contest_to_outcome(
    page,
    live_server,
    login,
    secretary_a,
    admin_user,
    village_a,
    last_month_published,
    console_errors,
    screenshot,
    size,
):
    last = last_month_published
    page.set_viewport_size(SIZES[size])
    login(secretary_a)
    assert page.url == f"{live_server.url}/petitions/portal/"
    assert page.locator("a[href='/assessment/mine/']").count() >= 1  # the menu entry
    card = page.locator("#own-scores")
    assert f"{last.year}年{last.month}月" in card.inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(f"secretary-portal-scores-{size}")

    card.get_by_role("link", name="查看本村考核得分与扣分明细").click()
    page.wait_for_load_state("networkidle")
    assert f"/assessment/villages/{village_a.pk}/" in page.url
    trend = page.locator("#trend")
    if trend.count():
        assert trend.get_attribute("data-months") == str(last.month)

    row = page.locator("#lines tbody tr").filter(has=page.locator("form")).first
    row.locator("input[name=reason]").fill("已开会研究,会议记录在村委")
    row.get_by_role("button", name="申诉").click()
    page.wait_for_load_state("networkidle")
    assert "申诉已提交" in page.locator(".msg-success").inner_text()
    assert page.locator("#lines").get_by_text("已申诉,待处理").count() == 1
    screenshot(f"secretary-contest-filed-{size}")

    contest = Contest.objects.get()
    services.contest_decide(contest=contest, accept=False, reason="会议记录不全", by=admin_user)

    page.reload()
    page.wait_for_load_state("networkidle")
    lines = page.locator("#lines")
    assert lines.get_by_text("申诉已驳回").count() == 1
    assert "会议记录不全" in lines.inner_text()
    decided = lines.locator("tr", has_text="申诉已驳回")
    decided.scroll_into_view_if_needed()
    decided.screenshot(path=str(SHOTS / f"secretary-contest-outcome-line-{size}.png"))
    screenshot(f"secretary-contest-outcome-{size}")

    page.goto(f"{live_server.url}/petitions/portal/")
    assert "会议记录不全" in page.locator("#own-scores").inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    # This month is scored but not published: the page says so and shows nothing of it.
    today = timezone.localdate()
    page.goto(
        f"{live_server.url}/assessment/villages/{village_a.pk}/?year={today.year}&month={today.month}"
    )
    assert "本月评分尚未公示" in page.content()
    assert page.locator("#lines").count() == 0
