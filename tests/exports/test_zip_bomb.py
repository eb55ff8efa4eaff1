"""Issue 12, item 12: a zip-bomb .xlsx is refused from its zip directory, before openpyxl.

The bomb is a valid workbook (openpyxl's own, with a correct CRC) whose sheet XML inflates to
500 MB of blanks, about half a megabyte on the wire. It is built in about a second: every 1 MiB
chunk is the same, so it is deflated once and the same compressed block (ended by a full flush,
which makes each block decodable on its own) is written for every chunk.
"""

import zipfile
import zlib
from io import BytesIO
from unittest import mock

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exports import importing
from exports import safety
from exports.importing import run_import
from exports.models import ImportBatch
from exports.resources import RESOURCES

from .helpers import PETITION_HEADERS
from .helpers import petition_row
from .helpers import xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = b" " * (1 << 20)
BOMB_MB = 500
SHEET = "xl/worksheets/sheet1.xml"


class _OneBlockPerChunk:
    """A deflate compressor that compresses each distinct chunk once (see the module doc)."""

    def __init__(self):
        self._z = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._blocks = {}

    def compress(self, data):
        data = bytes(data)
        if data not in self._blocks:
            self._blocks[data] = self._z.compress(data) + self._z.flush(zlib.Z_FULL_FLUSH)
        return self._blocks[data]

    def flush(self):
        return self._z.flush()


def _bomb(*, members=None) -> bytes:
    """openpyxl's workbook with its sheet's <sheetData> padded by BOMB_MB MiB of blanks."""
    plain = zipfile.ZipFile(BytesIO(xlsx(PETITION_HEADERS, petition_row())))
    out = BytesIO()
    with (
        mock.patch.object(zipfile, "_get_compressor", lambda *a, **k: _OneBlockPerChunk()),
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in plain.infolist():
            content = plain.read(info.filename)
            if info.filename != SHEET:
                bomb.writestr(info.filename, content)
                continue
            head, tail = content.split(b"<sheetData>", 1)
            with bomb.open(SHEET, "w") as sheet:
                sheet.write(head + b"<sheetData>")
                for _n in range(BOMB_MB):
                    sheet.write(CHUNK)
                sheet.write(tail)
        for n in range(members or 0):
            bomb.writestr(f"xl/media/pad{n}.bin", b"")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb()


def test_the_bomb_is_a_real_workbook_that_inflates_to_500_mb(bomb):
    assert len(bomb) < 1024 * 1024
    with zipfile.ZipFile(BytesIO(bomb)) as archive:
        sheet = archive.getinfo(SHEET)
        assert sheet.file_size > BOMB_MB * 1024 * 1024
        with archive.open(SHEET) as handle:  # a real deflate stream, not only a header
            start = handle.read(4 * len(CHUNK))
    assert b"<sheetData>" in start and start.rstrip().endswith(b"<sheetData>")


@pytest.fixture
def no_openpyxl():
    """openpyxl must never be asked to open the file."""
    with mock.patch.object(
        openpyxl, "load_workbook", side_effect=AssertionError("openpyxl opened the bomb")
    ) as opened:
        yield opened


def test_check_archive_refuses_the_bomb_by_its_declared_size(bomb, no_openpyxl):
    with pytest.raises(ValidationError) as refused:
        safety.check_archive(bomb)
    assert refused.value.code == "archive_size"
    assert "解压后" in refused.value.messages[0]
    no_openpyxl.assert_not_called()


def test_a_member_compressed_beyond_any_worksheet_is_refused(monkeypatch, bomb):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED", 2 * BOMB_MB * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        safety.check_archive(bomb)
    assert refused.value.code == "archive_ratio"


def test_too_many_members_are_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBERS", 20)
    many = zipfile.ZipFile(BytesIO(xlsx(PETITION_HEADERS, petition_row())))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as padded:
        for info in many.infolist():
            padded.writestr(info.filename, many.read(info.filename))
        for n in range(30):
            padded.writestr(f"xl/media/pad{n}.bin", b"")
    with pytest.raises(ValidationError) as refused:
        safety.check_archive(out.getvalue())
    assert refused.value.code == "archive_members"


def test_an_ordinary_workbook_passes():
    data = xlsx(PETITION_HEADERS, *[petition_row(f"YG-{n}") for n in range(200)])
    safety.check_archive(data)


def test_the_upload_form_refuses_the_bomb_at_its_field(
    bomb, no_openpyxl, township, village_a, staff_user, client_for
):
    response = client_for(staff_user).post(
        reverse("exports:import", args=["petitions"]),
        {"file": SimpleUploadedFile("炸弹.xlsx", bomb, content_type=XLSX)},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["file"] and "解压后" in errors["file"][0]
    assert not ImportBatch.objects.exists()
    no_openpyxl.assert_not_called()


def test_an_import_of_a_stored_bomb_reports_it_without_opening_it(
    bomb, no_openpyxl, township, staff_user
):
    """The confirm step re-reads the stored file: read_table checks it again."""
    outcome = run_import(
        "petitions", bomb, township=township, user=staff_user, filename="炸弹.xlsx", dry_run=True
    )
    assert outcome.file_errors and "解压后" in outcome.file_errors[0]
    with pytest.raises(ValidationError):
        importing.read_table(bomb, RESOURCES["petitions"], township)
    no_openpyxl.assert_not_called()
