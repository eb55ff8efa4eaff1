"""The import pages: upload -> preview -> confirm, all or nothing, permissions side by side."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exports.models import ImportBatch
from petitions.models import Petition

from .conftest import load
from .helpers import PETITION_HEADERS
from .helpers import petition_row
from .helpers import xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, data, name="阳光信访.xlsx", kind="petitions"):
    return client.post(
        reverse("exports:import", args=[kind]),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def test_upload_previews_then_confirm_imports(township, village_a, staff_user, client_for):
    client = client_for(staff_user)
    response = _upload(client, xlsx(PETITION_HEADERS, petition_row("YG-1"), petition_row("YG-2")))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:import_batch", args=[batch.pk])
    assert not Petition.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "导入预览" in page and "新增 2" in page and 'id="confirm"' in page
    confirmed = client.post(reverse("exports:import_confirm", args=[batch.pk]))
    assert confirmed.status_code == 302
    assert Petition.objects.count() == 2
    batch.refresh_from_db()
    assert batch.state == "imported" and batch.counts["new"] == 2
    page = client.get(confirmed["Location"]).content.decode()
    assert "导入完成:新增 2 条" in page and 'id="confirm"' not in page
    # Confirming again (a reload, a double click) imports nothing more.
    client.post(reverse("exports:import_confirm", args=[batch.pk]))
    assert Petition.objects.count() == 2


def test_a_file_with_an_error_shows_row_and_column_and_cannot_be_confirmed(
    township, village_a, staff_user, client_for
):
    client = client_for(staff_user)
    data = xlsx(PETITION_HEADERS, petition_row("YG-1"), petition_row("YG-2", village="无名村"))
    page = client.get(_upload(client, data)["Location"]).content.decode()
    assert "有 1 行错误,整个文件都不会导入" in page
    assert "<strong>所属村(居)</strong>:清河镇没有名为“无名村”的村(居)。" in page
    assert 'id="confirm"' not in page
    batch = ImportBatch.objects.get()
    assert batch.report["rows"][1][0] == 3  # Excel row 3
    client.post(reverse("exports:import_confirm", args=[batch.pk]))
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"%PDF-1.4", "只能导入 Excel"), (b"\xd0\xcf\x11\xe0" + b"\x00" * 50, "旧版 Excel")],
)
def test_a_wrong_file_type_is_refused_at_the_form(
    township, village_a, staff_user, client_for, content, words
):
    response = _upload(client_for(staff_user), content, name="伪装.xlsx")
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_limit_is_refused_at_the_form(
    settings, township, village_a, staff_user, client_for
):
    settings.UPLOAD_MAX_BYTES = 2000
    data = xlsx(PETITION_HEADERS, *[petition_row(f"YG-{n}") for n in range(200)])
    response = _upload(client_for(staff_user), data)
    assert "文件过大" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [
        ("staff", "petitions", 200),
        ("admin", "people", 200),
        ("staff", "people", 403),
        ("leader", "petitions", 403),
        ("secretary_a", "petitions", 403),
        ("staff", "nonsense", 404),
    ],
)
def test_who_may_import_what(cast, client_for, who, kind, status):
    client = client_for(cast[who])
    assert client.get(reverse("exports:import", args=[kind])).status_code == status
    if kind != "nonsense":
        assert client.get(reverse("exports:template", args=[kind])).status_code == status


def test_only_the_uploader_confirms(township, village_a, staff_user, admin_user, client_for):
    _upload(client_for(staff_user), xlsx(PETITION_HEADERS, petition_row()))
    batch = ImportBatch.objects.get()
    response = client_for(admin_user).post(reverse("exports:import_confirm", args=[batch.pk]))
    assert response.status_code == 403
    assert not Petition.objects.exists()


def test_another_township_never_sees_a_batch(
    township, village_a, staff_user, other_staff, client_for
):
    _upload(client_for(staff_user), xlsx(PETITION_HEADERS, petition_row()))
    batch = ImportBatch.objects.get()
    response = client_for(other_staff).get(reverse("exports:import_batch", args=[batch.pk]))
    assert response.status_code == 404


def test_the_template_and_records_downloads(township, village_a, staff_user, client_for):
    client = client_for(staff_user)
    template = client.get(reverse("exports:template", args=["petitions"]))
    workbook = load(b"".join(template.streaming_content))
    assert workbook.sheetnames == ["导入数据", "填写说明"]
    assert [c.value for c in workbook["导入数据"][1]][:3] == ["信访编号", "来源", "登记日期"]
    _upload(client, xlsx(PETITION_HEADERS, petition_row("YG-1")))
    client.post(reverse("exports:import_confirm", args=[ImportBatch.objects.get().pk]))
    records = client.get(reverse("exports:records", args=["petitions"]) + "?year=2026")
    ws = load(b"".join(records.streaming_content)).active
    assert ws["A2"].value == "YG-1"
    empty = client.get(reverse("exports:records", args=["petitions"]) + "?year=2025")
    assert load(b"".join(empty.streaming_content)).active.max_row == 1


def test_the_index_lists_every_kind(township, staff_user, client_for):
    page = client_for(staff_user).get(reverse("exports:index")).content.decode()
    for kind in ("petitions", "disputes", "patrols", "meetings", "survey_answers"):
        assert reverse("exports:import", args=[kind]) in page
    assert reverse("exports:import", args=["people"]) not in page  # admins only
