"""The secretary's portal on a phone (390x844): lands there after login, sees the next due day
and what is overdue, submits this half's report with a dispute added in place and the seal
scan; an invalid new dispute shows its error with nothing saved."""

from datetime import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from core import periods
from petitions import deadlines
from petitions.models import Dispute
from petitions.models import DisputeReport
from tests.petitions.factories import PNG
from tests.petitions.factories import DisputeFactory
from tests.petitions.factories import DisputeReportFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def history(village_a):
    """Every past half of this year reported on time except the last but one (missing) and
    the last (late); one open dispute in the ledger."""
    today = timezone.localdate()
    days_for = deadlines.days_for(village_a.township_id)
    past = periods.halves_due(today.replace(month=1, day=1), today - timedelta(days=1), days_for)
    for index, (year, month, half, due) in enumerate(past):
        if index == len(past) - 2:
            continue
        day = due + timedelta(days=1) if index == len(past) - 1 else due
        DisputeReportFactory(
            village=village_a,
            year=year,
            month=month,
            half=half,
            submitted_at=timezone.make_aware(datetime(day.year, day.month, day.day, 9)),
        )
    DisputeFactory(village=village_a, parties="赵六、钱七", found_date=today.replace(day=1))
    return past


def test_secretary_submits_on_a_phone(
    page, live_server, login, secretary_a, village_a, media, history, console_errors, screenshot
):
    page.set_viewport_size(PHONE)
    login(secretary_a)
    assert page.url == f"{live_server.url}/petitions/portal/"
    today = timezone.localdate()
    days = deadlines.report_days(village_a.township_id, today.year)
    year, month, half = periods.half_of(today, days)
    due = periods.report_due_date(year, month, half, days)
    due_card = page.locator(".due-card").inner_text()
    assert f"{due.year}年{due.month}月{due.day}日" in due_card
    overdue = page.locator(".overdue-card")
    if len(history) >= 2:
        assert overdue.locator("li").count() == 2
        assert "迟报" in overdue.inner_text() and "未报送" in overdue.inner_text()
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll)
    screenshot("portal-phone")

    page.fill("input[name=signed_by]", "李书记")
    page.set_input_files(
        "input[name=seal_scan]",
        files=[{"name": "seal.png", "mimeType": "image/png", "buffer": PNG}],
    )
    page.get_by_label("赵六、钱七", exact=False).check()
    page.fill("input[name='new-0-parties']", "孙八、周九")
    page.fill("textarea[name='new-0-matter']", "宅基地滴水纠纷")
    page.click("button[data-add-row]")
    page.fill("input[name='new-1-parties']", "吴十")
    page.fill("textarea[name='new-1-matter']", "明天才发现的纠纷")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.fill("input[name='new-1-found_date']", tomorrow.isoformat())
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state("networkidle")
    assert "日期不能晚于今天" in page.locator(".formset-row").nth(1).inner_text()
    assert not DisputeReport.objects.filter(year=year, month=month, half=half).exists()
    assert not Dispute.objects.filter(parties__in=["孙八、周九", "吴十"]).exists()
    assert page.evaluate(no_sideways_scroll)
    screenshot("portal-phone-invalid")

    page.fill("input[name='new-1-found_date']", timezone.localdate().isoformat())
    # A file input is emptied by the round trip; the page says so, the scan is chosen again.
    assert "请重新选择盖章扫描件" in page.locator(".field:has([name=seal_scan])").inner_text()
    page.set_input_files(
        "input[name=seal_scan]",
        files=[{"name": "seal.png", "mimeType": "image/png", "buffer": PNG}],
    )
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".msg-success").inner_text() == "排查报告已报送。"
    report = DisputeReport.objects.get(village=village_a, year=year, month=month, half=half)
    assert report.is_complete
    assert set(report.disputes.values_list("parties", flat=True)) == {
        "赵六、钱七",
        "孙八、周九",
        "吴十",
    }
    assert (
        page.locator(".report-card").get_by_text("已报送,如需更正请联系镇综治中心。").is_visible()
    )
    screenshot("portal-phone-submitted")
