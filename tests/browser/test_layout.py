"""The top bar (issue 13): one row at 1366 px in Chinese and in English; dropdowns that
close on a click elsewhere, on Escape and when another opens; on a 390 px phone the menu folded
behind 菜单 (mouse and keyboard) and record lists as cards. Screenshots of home, a record list and
the dashboard at both sizes in both languages: test-results/screenshots/layout-*.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _rows(page) -> float:
    """The menu's height in rows: its bounding box over the height of one of its items."""
    nav = page.locator("#mainnav").bounding_box()
    item = page.locator("#mainnav > *").first.bounding_box()
    return nav["height"] / item["height"]


def _switch_language(page, code):
    page.select_option("select[name=language]", code)
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_the_menu_fits_one_row_at_1366_and_its_dropdowns_close(
    page, live_server, login, admin_user, village_a, console_errors, screenshot
):
    page.set_viewport_size(DESKTOP)
    login(admin_user)
    page.goto(f"{live_server.url}{reverse('dashboard:index')}")
    # The skip link is the keyboard's first stop and leads to the main content.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("跳到正文")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    assert page.locator("#mainnav > *").count() >= 10  # the admin sees every group
    assert _rows(page) <= 1.5, "the menu wraps at 1366 px"
    expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    # Each language named in itself, whichever language the page is in.
    options = page.locator("select[name=language] option").all_inner_texts()
    assert [o.strip() for o in options] == ["简体中文", "English"]

    groups = page.locator("details.navgroup:not(.usermenu)")
    first, second = groups.nth(0), groups.nth(1)
    first.locator("summary").click()
    expect(first).to_have_attribute("open", "")
    second.locator("summary").click()  # opening another closes the first
    expect(second).to_have_attribute("open", "")
    expect(first).not_to_have_attribute("open", "")
    page.locator("main h1").first.click()  # a click elsewhere closes it
    expect(second).not_to_have_attribute("open", "")
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(first).to_have_attribute("open", "")
    page.keyboard.press("Escape")  # Escape closes it and leaves the focus on its summary
    expect(first).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"

    for code in ("zh-hans", "en"):
        if code == "en":
            _switch_language(page, "en")
            # The long group names have short forms in the menu (pgettext "menu"): one row too.
            assert _rows(page) <= 1.5, "the English menu wraps at 1366 px"
            options = page.locator("select[name=language] option").all_inner_texts()
            assert [o.strip() for o in options] == ["简体中文", "English"]
        for name, url in [
            ("home", reverse("home")),
            ("list", reverse("petitions:petition_list")),
            ("dashboard", reverse("dashboard:index")),
        ]:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            screenshot(f"layout-1366-{code}-{name}")
    _switch_language(page, "zh-hans")


def test_on_a_phone_the_menu_folds_behind_a_button(
    page, live_server, login, staff_user, village_a, console_errors, screenshot
):
    from tests.petitions.factories import PetitionFactory

    PetitionFactory(village=village_a)
    page.set_viewport_size(PHONE)
    login(staff_user)
    page.goto(f"{live_server.url}{reverse('petitions:petition_list')}")
    toggle = page.locator("[data-menu-toggle]")
    nav = page.locator("#mainnav")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert page.locator(".topbar").bounding_box()["height"] < 140  # the bar stays small
    screenshot("layout-390-zh-hans-list")

    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    screenshot("layout-390-zh-hans-menu-open")
    toggle.click()
    expect(nav).to_be_hidden()
    # By keyboard: Enter opens it, Tab walks into it, Escape folds it and returns to the button.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('mainnav').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()

    # The record list as cards: each cell labelled by its column's header; no sideways scroll.
    row = page.locator("table.cards tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    label = row.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert "信访日期" in label
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Links in the cards are thumb-sized (WCAG 2.5.8: at least 24 px).
    assert row.locator("a").last.bounding_box()["height"] >= 24

    for code in ("zh-hans", "en"):
        if code == "en":
            _switch_language(page, "en")
            expect(page.locator("[data-menu-toggle]")).to_have_text("Menu")
        for name, url in [
            ("home", reverse("home")),
            ("list", reverse("petitions:petition_list")),
            ("dashboard", reverse("dashboard:index")),
        ]:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            expect(page.locator("#mainnav")).to_be_hidden()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
            screenshot(f"layout-390-{code}-{name}")
    _switch_language(page, "zh-hans")


def test_the_district_page_fits_a_phone(page, live_server, login, township, village_a):
    """Its wide table scrolls in its box: the hidden head of the drill-down column, placed
    absolutely, widened the whole page to 1,692 px before .tablewrap became its containing box."""
    from accounts.models import Role
    from tests.factories import UserFactory
    from villages.models import District

    township.district = District.objects.create(name="清江区", code="qingjiang")
    township.save()
    page.set_viewport_size(PHONE)
    login(UserFactory(username="qu", role=Role.DISTRICT_STAFF, district=township.district))
    page.goto(f"{live_server.url}{reverse('dashboard:district')}")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#district-table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
