"""Test settings: the production module with the test-only differences made explicit."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from .settings import *  # noqa: F403

# django-axes breaks the test client's login(); its own test turns it back on.
AXES_ENABLED = False
# Tests log in as demo users with the demo password; tests/accounts turns the forced change on.
FORCE_PASSWORD_CHANGE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = str(VAR_DIR / "test-uploads")  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)  # noqa: F405
LANGUAGE_CODE = "zh-hans"
# A second alias for the read-replica router's tests (tests/core/test_router.py): a test mirror
# of default, so it is the same test database and needs no second one. No router unless a test
# installs it, whatever DATABASE_REPLICA_URL says.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = []
