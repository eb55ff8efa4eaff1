"""A staff member imports a 阳光信访 list: the preview names the bad row and column, the file is
corrected, previewed again and imported; the score pages offer the Excel downloads."""

import pytest

from exports.models import ImportBatch
from petitions.models import Petition
from tests.exports.helpers import PETITION_HEADERS
from tests.exports.helpers import petition_row
from tests.exports.helpers import xlsx

pytestmark = pytest.mark.django_db(transaction=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _upload(page, live_server, data, name):
    page.goto(f"{live_server.url}/exports/import/petitions/")
    page.set_input_files(
        "input[type=file]", files=[{"name": name, "mimeType": XLSX, "buffer": data}]
    )
    page.click("form.recordform button.primary")
    page.wait_for_load_state("networkidle")


def test_import_preview_then_confirm(
    page, live_server, login, staff_user, village_a, media, console_errors, screenshot
):
    login(staff_user)
    bad = xlsx(
        PETITION_HEADERS,
        petition_row("YG-1", people="张三、李四", count=2),
        petition_row("YG-2", village="无名村", day="2026-04-31"),
        petition_row("YG-3", level="镇", opinion="否", matter='=HYPERLINK("http://x","看我")'),
    )
    _upload(page, live_server, bad, "阳光信访4月.xlsx")
    assert page.locator("h1").inner_text().startswith("导入预览")
    error_row = page.locator("#rows tr.row-error")
    assert error_row.locator("td").first.inner_text() == "3"
    text = error_row.inner_text()
    assert "所属村(居)" in text and "无名村" in text and "登记日期" in text
    assert page.locator("#confirm").count() == 0
    screenshot("exports_import_preview_errors")

    good = xlsx(
        PETITION_HEADERS,
        petition_row("YG-1", people="张三、李四", count=2),
        petition_row("YG-2", day="2026-04-30"),
        petition_row("YG-3", level="镇", opinion="否", matter='=HYPERLINK("http://x","看我")'),
    )
    _upload(page, live_server, good, "阳光信访4月(改).xlsx")
    assert page.locator("#rows tr.row-new").count() == 3
    screenshot("exports_import_preview_ok")
    page.click("#confirm")
    page.wait_for_load_state("networkidle")
    assert "导入完成:新增 3 条" in page.locator(".messages").inner_text()
    assert Petition.objects.count() == 3
    assert Petition.objects.get(source_ref="YG-3").matter == '=HYPERLINK("http://x","看我")'
    assert ImportBatch.objects.filter(state="imported").count() == 1
    screenshot("exports_import_done")
