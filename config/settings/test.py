"""Test settings: SQLite in memory by default, PostgreSQL when SERVICELOOP_DATABASE_URL says so."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

if not os.environ.get("SERVICELOOP_DATABASE_URL"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
# Each worker's test database is built straight from the models (Django's TEST MIGRATE=False:
# seconds instead of a minute per worker and database), its migrations recorded as applied
# (conftest.py). The migrations themselves are applied from nothing once per suite:
# core/tests/test_migrations.py on SQLite, and the backup move test into a new PostgreSQL
# database; `makemigrations --check` (make lint) keeps models and migrations in step.
# SERVICELOOP_TEST_MIGRATE=1 migrates every test database instead.
DATABASES["default"]["TEST"] = {
    **DATABASES["default"].get("TEST", {}),
    "MIGRATE": os.environ.get("SERVICELOOP_TEST_MIGRATE") == "1",
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
