import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads of a test land in its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT
