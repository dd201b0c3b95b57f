"""Base settings. Every setting that differs per deployment comes from the environment
(see interface.md): SERVICELOOP_DATABASE_URL, SERVICELOOP_DATA_DIR, SERVICELOOP_SECRET_KEY,
SERVICELOOP_DEBUG, SERVICELOOP_ALLOWED_HOSTS, SERVICELOOP_TIME_ZONE."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("SERVICELOOP_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("SERVICELOOP_DEBUG", False)
SECRET_KEY = os.environ.get(
    "SERVICELOOP_SECRET_KEY", "insecure-dev-key-change-me-in-production-0123456789abcdef"
)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SERVICELOOP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "serviceloop.core",
    "serviceloop.customers",
    "serviceloop.communications",
    "serviceloop.complaints",
    "serviceloop.warranty",
    "serviceloop.fieldservice",
    "serviceloop.earlywarning",
    "serviceloop.visits",
    "serviceloop.training",
]
INSTALLED_APPS.append("serviceloop.presales")  # pre-sale and orders
INSTALLED_APPS.append("serviceloop.records")  # records and retention
INSTALLED_APPS.append("serviceloop.summaries")  # half-year service work summary

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "serviceloop.core.middleware.CompanyLanguageMiddleware",  # reads request.user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "serviceloop.core.middleware.LoginRequiredMiddleware",
    "serviceloop.core.text_input.TextInputMiddleware",
    "serviceloop.core.export_jobs.CurrentRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Form widgets render through the project's templates, so that serviceloop/templates/django/forms/
# can word what Django leaves raw (a select's blank choice "---------" becomes "— choose —").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "serviceloop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "serviceloop.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("SERVICELOOP_DATABASE_URL")
        or f"sqlite:///{DATA_DIR / 'serviceloop.sqlite3'}",
        conn_max_age=60,
    )
}
SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # Write-ahead log: a long reader (an import checking a file, an export) never blocks a
        # writer, and a writer never blocks readers (issue 9). NORMAL sync is safe in WAL mode.
        init_command=SQLITE_INIT,
        # Wait up to 20 s for the one writer at a time instead of failing at once: the web
        # server and the job worker share the file (the busy timeout).
        timeout=20,
        # Take the write lock when a transaction starts, so that two writers queue up rather
        # than both reading and one failing to upgrade its lock.
        transaction_mode="IMMEDIATE",
    )

# Uploads stop at the import size limit as they stream in (core.importing.uploads).
FILE_UPLOAD_HANDLERS = [
    "serviceloop.core.importing.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:my_work"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "serviceloop" / "locale"]
TIME_ZONE = os.environ.get("SERVICELOOP_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if os.environ.get("SERVICELOOP_TASKS_BACKEND") == "rq":
    # Scale-out: RQ workers on Redis; task code is unchanged (see docs/adr/0002).
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS.append("django_tasks_rq")
    RQ_QUEUES = {
        "default": {"URL": os.environ.get("SERVICELOOP_REDIS_URL", "redis://127.0.0.1:6379/0")}
    }

# Without a configured mail server, e-mails are written as files to var/mail/.
EMAIL_BACKEND = os.environ.get(
    "SERVICELOOP_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("SERVICELOOP_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SERVICELOOP_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("SERVICELOOP_FROM_EMAIL", "serviceloop@localhost")

# How often `serviceloop serve` enqueues the deadline sweep (seconds).
SERVICELOOP_SWEEP_INTERVAL = int(os.environ.get("SERVICELOOP_SWEEP_INTERVAL", "300"))
SERVICELOOP_COMPANY_NAME = os.environ.get("SERVICELOOP_COMPANY_NAME", _("ServiceLoop demo company"))

# Libraries that log every step at INFO: WeasyPrint prints seven "Step n - ..." lines per PDF
# (87 lines in the demo's output), fontTools one per subset font.
QUIET_LOGGERS = {
    name: {"level": "WARNING"} for name in ("django.db.backends", "weasyprint", "fontTools")
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": QUIET_LOGGERS,
}

# --- Running for a team (issue 16) ---
# whitenoise warns about a missing static folder at every start: make it exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
    INSTALLED_APPS.append("django_rq")  # the RQ backend uses django-rq's queues and worker
# Workers write a heartbeat here; `/healthz` calls a worker fresh within this many seconds.
SERVICELOOP_HEARTBEAT_DIR = DATA_DIR / "heartbeats"
SERVICELOOP_HEARTBEAT_MAX_AGE = int(os.environ.get("SERVICELOOP_HEARTBEAT_MAX_AGE", "60"))
# `/healthz` reports the age of the newest file here (database dumps written by a cron job).
SERVICELOOP_BACKUP_DIR = Path(os.environ.get("SERVICELOOP_BACKUP_DIR") or DATA_DIR / "backups")
# The daily backup job (`serviceloop backup` into the folder above, issue 13) and its rotation:
# the newest backup of each of the last N days and of each of the last M months are kept.
SERVICELOOP_BACKUP_SCHEDULED = env_bool("SERVICELOOP_BACKUP_SCHEDULED", True)
SERVICELOOP_BACKUP_KEEP_DAILY = int(os.environ.get("SERVICELOOP_BACKUP_KEEP_DAILY", "7"))
SERVICELOOP_BACKUP_KEEP_MONTHLY = int(os.environ.get("SERVICELOOP_BACKUP_KEEP_MONTHLY", "12"))
# Notifications send their e-mails through a job; `serviceloop demo` turns this off.
SERVICELOOP_NOTIFICATION_EMAILS = env_bool("SERVICELOOP_NOTIFICATION_EMAILS", True)
# Logs: "text" (default) or "json" (one JSON object per line on stdout, for a log collector).
SERVICELOOP_LOG_FORMAT = os.environ.get("SERVICELOOP_LOG_FORMAT", "text").strip().lower()
if SERVICELOOP_LOG_FORMAT == "json":
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "serviceloop.core.logformat.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": QUIET_LOGGERS,
    }

# API lists return at most this many items per request (limit above it is a 422).
NINJA_PAGINATION_MAX_LIMIT = 1000

# --- Login throttling (issue 9, django-axes; interface.md "Security") ---------------------
# 5 failed logins within 15 minutes lock the username, and separately the client address,
# for the rest of the 15 minutes, on the login page and on POST /api/v1/auth/token alike
# (the page shows core/locked_out.html with 429; the API answers 429 with `detail`).
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = int(os.environ.get("SERVICELOOP_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SERVICELOOP_LOGIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # the lock holds even against the right password
AXES_LOCKOUT_CALLABLE = "serviceloop.core.tokens.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = True

# API tokens expire after this many days (issue 9).
SERVICELOOP_TOKEN_DAYS = int(os.environ.get("SERVICELOOP_TOKEN_DAYS", "90"))

# --- Content-Security-Policy (issue 9, django-csp) ----------------------------------------
# Scripts only from our own static files (no inline script, no eval): page behaviours live in
# serviceloop/behaviours.js. Inline styles stay allowed (style attributes, htmx's indicator
# style); no framing, forms post only to us.
INSTALLED_APPS.append("csp")
MIDDLEWARE.append("csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
MIDDLEWARE.append("serviceloop.core.middleware.NoStoreMiddleware")
# The audit chain's HMAC key, kept outside the database and its backups (issue 9, ADR 0005;
# serviceloop/core/audit_keys.py): SERVICELOOP_AUDIT_KEY, else the key file (created with a
# random key on first use outside production); retired keys verify the entries they sealed.
SERVICELOOP_AUDIT_KEY = os.environ.get("SERVICELOOP_AUDIT_KEY", "")
SERVICELOOP_AUDIT_KEY_FILE = Path(
    os.environ.get("SERVICELOOP_AUDIT_KEY_FILE") or DATA_DIR / "audit.key"
).resolve()
SERVICELOOP_AUDIT_OLD_KEYS = [
    k.strip() for k in os.environ.get("SERVICELOOP_AUDIT_OLD_KEYS", "").split(",") if k.strip()
]
SERVICELOOP_AUDIT_KEY_CREATE = True
