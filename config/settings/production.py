"""Production settings: secure cookies and HSTS; everything else from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MEDIA_ROOT, SERVICELOOP_AUDIT_KEY, SERVICELOOP_AUDIT_KEY_FILE

# No fallback: the development key in base.py is public (issue 9, interface.md "Security").
SECRET_KEY = os.environ.get("SERVICELOOP_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set SERVICELOOP_SECRET_KEY (at least 50 random characters) to run in production."
    )

# The audit chain's HMAC key (ADR 0005): a real key outside the database, never made up here.
SERVICELOOP_AUDIT_KEY_CREATE = False


def _key_file_holds_a_key() -> bool:
    try:
        lines = SERVICELOOP_AUDIT_KEY_FILE.read_text().splitlines()
    except OSError:
        return False
    return any(len(x.strip()) >= 32 for x in lines if not x.startswith("#"))


if SERVICELOOP_AUDIT_KEY_FILE.is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured(
        "SERVICELOOP_AUDIT_KEY_FILE lies among the uploaded files, which backups copy."
    )
if len(SERVICELOOP_AUDIT_KEY.strip()) < 32 and not _key_file_holds_a_key():
    raise ImproperlyConfigured(
        "Set SERVICELOOP_AUDIT_KEY (at least 32 random characters, e.g. `openssl rand -hex 32`) "
        f"or put such a key in {SERVICELOOP_AUDIT_KEY_FILE} (mode 0600) to run in production: "
        "it seals the audit log and must be kept outside the database and its backups."
    )
if SERVICELOOP_AUDIT_KEY_FILE.exists() and SERVICELOOP_AUDIT_KEY_FILE.stat().st_mode & 0o077:
    raise ImproperlyConfigured(
        f"The audit key file {SERVICELOOP_AUDIT_KEY_FILE} is readable by others: chmod 600 it."
    )

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The health check is asked over plain HTTP by the proxy or the container runtime.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
