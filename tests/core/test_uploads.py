"""core.uploads: content-checked uploads and the permission-checked download."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory

from core.uploads import UploadTo
from core.uploads import serve_protected
from core.uploads import sniff
from core.uploads import validate_upload
from tests.petitions.factories import JPEG
from tests.petitions.factories import PDF
from tests.petitions.factories import PNG


@pytest.mark.parametrize(("content", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg")])
def test_allowed_kinds_are_known_by_their_first_bytes(content, kind):
    assert sniff(content[:16]) == kind
    validate_upload(SimpleUploadedFile("whatever.bin", content))


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a\x01\x00",
        b"MZ\x90\x00\x03",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"PK\x03\x04",
    ],
)
def test_other_content_is_refused_whatever_its_name(content):
    upload = SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        validate_upload(upload)
    assert info.value.code == "upload_type"
    assert "只能上传 PDF、JPEG 或 PNG 文件" in info.value.messages[0]


def test_oversize_is_refused_with_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000)
    with pytest.raises(ValidationError) as info:
        validate_upload(upload)
    assert info.value.code == "upload_too_large"
    assert "1.0" in info.value.messages[0] and "KB" in info.value.messages[0]


def test_exactly_the_limit_is_accepted(settings):
    settings.UPLOAD_MAX_BYTES = len(PDF)
    validate_upload(SimpleUploadedFile("ok.pdf", PDF))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("empty.pdf", b""))
    assert info.value.code == "upload_empty"


def test_the_reading_position_is_kept():
    upload = SimpleUploadedFile("a.pdf", PDF)
    upload.file.seek(3)
    validate_upload(upload)
    assert upload.file.tell() == 3


def test_errors_are_translated(settings):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("a.pdf", b"nope"))
    message = info.value.messages[0]
    assert message  # the English catalogue may translate it; never an empty message


def test_upload_path_is_random_and_keeps_only_allowed_extensions(village_a):
    from petitions.models import DisputeReport

    report = DisputeReport(village=village_a)
    first = UploadTo("petitions/seals")(report, "村委会 盖章.PNG")
    second = UploadTo("petitions/seals")(report, "村委会 盖章.PNG")
    assert first.startswith(f"petitions/seals/{village_a.pk}/") and first.endswith(".png")
    assert first != second and "盖章" not in first
    assert not UploadTo("x")(report, "evil.html").endswith(".html")
    assert UploadTo("x")(report, "photo.jpeg").endswith(".jpg")


@pytest.mark.django_db
def test_serve_protected_refuses_without_view_permission(
    village_a, secretary_b, secretary_a, settings, tmp_path
):
    from tests.petitions.factories import DisputeReportFactory

    settings.MEDIA_ROOT = str(tmp_path)
    report = DisputeReportFactory(village=village_a)
    request = RequestFactory().get("/")
    request.user = secretary_b
    with pytest.raises(Http404):
        serve_protected(request, report, "seal_scan")
    request.user = secretary_a
    response = serve_protected(request, report, "seal_scan")
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG
