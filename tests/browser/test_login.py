import pytest


@pytest.mark.django_db(transaction=True)
def test_staff_logs_in_and_sees_the_villages(
    page, live_server, login, staff_user, village_a, console_errors, screenshot
):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    login(staff_user)
    assert page.url == f"{live_server.url}/dashboard/"  # staff land on the dashboard
    assert "综治及信访工作考核看板" in page.locator("h1").inner_text()
    assert page.locator("#reports-current").get_by_role("link", name=village_a.name).is_visible()
    screenshot("staff-home")
