"""Production settings: secure cookies and HSTS; everything else from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

# No fallback: the development key in base.py is public (issue 9, interface.md "Security").
SECRET_KEY = os.environ.get("SERVICELOOP_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set SERVICELOOP_SECRET_KEY (at least 50 random characters) to run in production."
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
