"""The API's test helpers: a client per member of the cast (token auth), protected uploads in a
temporary folder, and a fixed "today" for tests that enter a whole past month."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

SH = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n" + b"0" * 32


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def api():
    """api(user) -> an APIClient authenticated with the user's token; api() -> anonymous."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def may_2026():
    """Today is 2026-05-10: April 2026 is a whole past month, still open."""
    with time_machine.travel(datetime(2026, 5, 10, 10, 0, tzinfo=SH), tick=False):
        yield


def png(name="seal.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="file.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
