"""Back, then 保存, in Chromium: the tester's double patrol (issue 12, item 7).

Chromium answers Back by fetching the create form again, which brings a new one-time token, and
puts the typed values back into it; the second 保存 must still not count a second patrol.
"""

import pytest
from playwright.sync_api import expect

from governance.models import Patrol

pytestmark = pytest.mark.django_db(transaction=True)


def test_back_then_save_keeps_one_patrol(
    page, live_server, login, staff_user, village_a, console_errors
):
    login(staff_user)
    page.goto(f"{live_server.url}/governance/patrol/new/")
    page.select_option("#id_village", str(village_a.pk))
    page.fill("#id_date", "2026-04-07")
    page.fill("#id_participants", "张三、李四")
    page.locator("form.recordform button.primary").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("dl.fields")).to_contain_text("张三、李四")
    (patrol,) = Patrol.objects.all()

    page.go_back()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_participants")).to_have_value("张三、李四")
    page.locator("form.recordform button.primary").click()
    page.wait_for_load_state("networkidle")

    assert Patrol.objects.count() == 1
    notice = page.locator(".msg.duplicate")
    expect(notice).to_contain_text(str(patrol))
    notice.get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/governance/patrol/{patrol.pk}/")

    # A second identical patrol is still possible, when the user says so.
    page.go_back()
    page.wait_for_load_state("networkidle")
    page.check("#id_confirm_duplicate")
    page.locator("form.recordform button.primary").click()
    page.wait_for_load_state("networkidle")
    assert Patrol.objects.count() == 2
