"""Test settings: SQLite in memory by default, PostgreSQL when SERVICELOOP_DATABASE_URL says so."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

if not os.environ.get("SERVICELOOP_DATABASE_URL"):
    # The SQLite suite builds its tables straight from the models (Django's TEST MIGRATE=False:
    # seconds instead of a minute per worker); the PostgreSQL suite, the production database,
    # applies the migrations, and `makemigrations --check` keeps the two in step.
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {"MIGRATE": os.environ.get("SERVICELOOP_TEST_MIGRATE") == "1"},
    }
# Uploads made by tests go to a throw-away folder, never into ./var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="serviceloop-test-media-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LANGUAGE_CODE = "en"
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The daily backup job stays off in tests (their own tests turn it on, into a temporary folder).
SERVICELOOP_BACKUP_SCHEDULED = False
SERVICELOOP_BACKUP_DIR = Path(tempfile.mkdtemp(prefix="serviceloop-test-backups-"))
# A fixed audit key (no key file written); in the environment too, so that the commands and
# servers the tests start as subprocesses seal and verify with the same key.
SERVICELOOP_AUDIT_KEY = os.environ.setdefault(
    "SERVICELOOP_AUDIT_KEY", "test-only-audit-key-0123456789abcdef0123456789"
)
