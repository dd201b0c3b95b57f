"""Base settings. Every setting that differs per deployment comes from the environment
(see interface.md): SERVICELOOP_DATABASE_URL, SERVICELOOP_DATA_DIR, SERVICELOOP_SECRET_KEY,
SERVICELOOP_DEBUG, SERVICELOOP_ALLOWED_HOSTS, SERVICELOOP_TIME_ZONE."""

import os
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

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "serviceloop.core.middleware.CompanyLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "serviceloop.core.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
