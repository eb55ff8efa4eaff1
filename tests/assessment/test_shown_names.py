"""Issue 13: what people read names things in Chinese: a period's history says 公示 / 关闭 /
重新开启 and who (not "admin close"), a rubric version is its name with the township's own name
in it (not xx-2024-table, not xx镇), on the pages and in the printed 评分表."""

import re
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from assessment import rubrics
from assessment import services
from assessment.admin import PeriodEventInline
from assessment.models import Period
from assessment.models import PeriodEvent
from assessment.models import RubricVersion
from exports.periods import Span
from exports.score_sheets import village_workbook
from exports.styles import workbook_bytes
from sampledata.synthetic import in_order_month
from tests.assessment.period_steps import close_month

TABLE = "2024年清河镇综治及信访工作考核评分表"
PLAN = "2024年清河镇综治及信访工作考核实施方案"


def visible_text(html: str) -> str:
    """The page as read: no tags (attribute values such as a select's codes are not shown)."""
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def named_admin(admin_user):
    admin_user.first_name = "王建国"  # the whole name, as createuser and the demo store it
    admin_user.save()
    return admin_user


def test_the_period_history_names_the_moves_and_the_person(client, township, named_admin):
    period = services.period_for(township.pk, 2026, 3)
    close_month(period, named_admin, reason="月末关闭")
    client.force_login(named_admin)
    text = visible_text(client.get(reverse("assessment:periods"), {"year": 2026}).content.decode())
    assert "王建国 公示(进行中 → 已公示)" in text
    assert "王建国 关闭(已公示 → 已关闭):月末关闭" in text
    assert "admin close" not in text and "admin publish" not in text
    assert " close " not in text and " publish " not in text


def test_a_period_event_reads_in_chinese_everywhere(township, admin_user):
    period = services.period_for(township.pk, 2026, 3)
    close_month(period, admin_user)
    event = PeriodEvent.objects.get(period=period, action="close")
    assert event.action_label == "关闭" and str(event) == "2026年3月 关闭"
    inline = PeriodEventInline(Period, site)
    assert "action" not in inline.get_readonly_fields(RequestFactory().get("/"))
    assert inline.action_label(event) == "关闭"


def test_a_version_title_puts_the_townships_name_in():
    assert rubrics.version_title("2024年xx镇综治及信访工作考核评分表", "清河镇") == TABLE
    assert rubrics.version_title("2027年考核", "清河镇") == "2027年考核"
    assert rubrics.version_title("2024年xx镇考核", None) == "2024年xx镇考核"


def test_the_versions_page_shows_names_not_codes(client, township, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("assessment:versions")).content.decode()
    assert TABLE in body and PLAN in body
    assert f"未指定的年度使用默认版本「{TABLE}」" in body
    assert "xx-2024" not in body and "xx镇" not in body


def test_the_compare_page_shows_names_not_codes(client, township, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("assessment:compare"), {"year": 2026, "month": 4}).content.decode()
    text = visible_text(html)
    assert TABLE in text and PLAN in text
    assert "xx-2024" not in text and "xx镇" not in html


def test_the_printed_sheet_names_the_rubric_with_the_townships_name(township, village_a):
    in_order_month(village_a, 2026, 4)
    services.score_month(township_id=township.pk, year=2026, month=4, today=date(2026, 5, 9))
    data = workbook_bytes(village_workbook(village_a, Span(2026, month=4)))
    ws = openpyxl.load_workbook(BytesIO(data)).active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert f"考核细则:{TABLE}" in cells
    assert not [c for c in cells if "xx" in c]
    assert RubricVersion.objects.get(code=rubrics.DEFAULT_CODE).name.startswith("2024年xx镇")
