"""Entering an assigned case and a backlog case through the pages, and one refused form each."""

from datetime import date

import pytest

from cases.models import AssignedCase
from cases.models import BacklogCase
from cases.models import BacklogRelapse
from tests.factories import PersonFactory

# Transactional: the live server sees the data. The shipped rubric versions a saved record's
# recompute reads are put back after each flush by tests/conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_enters_an_assigned_case(
    page, live_server, login, staff_user, secretary_a, village_a, console_errors, screenshot
):
    login(staff_user)
    page.goto(f"{live_server.url}/cases/assigned/new/")
    assert page.locator("h1").inner_text() == "新增上级交办件"

    # Invalid: no matter title. The form comes back with the error and nothing is saved.
    page.select_option("select[name=village]", label=village_a.name)
    page.fill("input[name=assigned_by]", "区信访局")
    page.fill("input[name=assigned_date]", "2026-09-15")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state("networkidle")
    error = page.locator(".field.has-error").filter(has=page.locator("input[name=title]"))
    assert "该字段是必填项" in error.inner_text()
    assert AssignedCase.objects.count() == 0
    screenshot("cases-assigned-invalid")

    page.fill("input[name=title]", "张某反映宅基地纠纷")
    page.fill("input[name=reference]", "区信访交〔2026〕15号")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state("networkidle")
    case = AssignedCase.objects.get()
    assert case.due_date == date(2026, 10, 19)
    assert page.locator("#due-date").inner_text().startswith("2026-10-19")
    assert page.locator("[data-tier]").count() == 1
    screenshot("cases-assigned-detail")

    # The village's secretary reports who handles it, from the case page.
    page.click("form[action='/logout/'] button")
    login(secretary_a)
    page.goto(f"{live_server.url}/cases/assigned/{case.pk}/")
    step = page.locator("#step-report_handlers")
    step.locator("input[name=names]").fill("李四、王五")
    step.locator("input[name=reported_date]").fill("2026-09-16")
    step.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "已上报承办人" in page.locator(".messages").inner_text()
    assert "李四、王五" in page.content()
    case.refresh_from_db()
    assert case.state == "handling"
    screenshot("cases-assigned-handlers")


def test_staff_enters_a_backlog_case_with_a_relapse(
    page, live_server, login, staff_user, village_a, township, console_errors, screenshot
):
    PersonFactory(township=township, name="陈镇长")
    PersonFactory(township=township, name="刘干部")
    login(staff_user)
    page.goto(f"{live_server.url}/cases/backlog/new/")
    page.select_option("select[name=village]", label=village_a.name)
    page.fill("input[name=title]", "王某土地补偿积案")
    page.fill("input[name=listed_date]", "2026-01-05")
    page.select_option("select[name=leader]", label="陈镇长")
    page.fill("textarea[name=working_group]", "镇信访办、司法所、村两委")
    page.fill("textarea[name=resolution_plan]", "核实补偿标准,依法答复")
    page.fill("textarea[name=stabilisation_measures]", "村干部每周走访")
    page.fill("input[name=time_limit]", "2026-06-30")
    page.fill("input[name=resolved_date]", "2026-03-05")

    # Invalid: a resolution date without resolvers.
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "填写化解日期时须指定化解人" in page.locator(".error").all_inner_texts()[0]
    assert BacklogCase.objects.count() == 0
    screenshot("cases-backlog-invalid")

    page.get_by_label("刘干部").check()
    page.fill("input[name='relapses-0-date']", "2026-04-10")
    page.fill("input[name='relapses-0-note']", "到区重复访")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state("networkidle")
    case = BacklogCase.objects.get()
    assert [p.name for p in case.resolvers.all()] == ["刘干部"]
    assert list(BacklogRelapse.objects.values_list("date", flat=True)) == [date(2026, 4, 10)]
    assert "到区重复访" in page.content()
    screenshot("cases-backlog-detail")
