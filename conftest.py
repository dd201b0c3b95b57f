"""Shared pytest fixtures. Tests build their data with factories (serviceloop/core/testing)."""

import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from serviceloop.core.models import ApiToken
from serviceloop.core.testing.factories import user_with
from serviceloop.core.testing.imports import Multipart

# Property tests draw the same examples on every run (CI must not fail on a new random draw;
# `HYPOTHESIS_PROFILE=explore pytest …` searches afresh).
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Fixtures through which a test reaches the database (pytest-django's own).
_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def _touches_the_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        _DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, a test that never touches the database (pure rules, statistics, parsing)
    would give the same answer as in the SQLite suite: it runs there only, once. The closing
    line of the PostgreSQL run counts them as deselected."""
    if not os.environ.get("SERVICELOOP_DATABASE_URL") or os.environ.get("SERVICELOOP_ALL_TESTS"):
        return
    keep, once = [], []
    for item in items:
        (keep if _touches_the_database(item) else once).append(item)
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = keep


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A test database built from the models (SQLite suite, TEST MIGRATE=False) records every
    migration as applied, as `migrate --fake` would: it then reads like a migrated database to
    what looks (backups list the applied migrations; a restore compares them)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    with django_db_blocker.unblock():
        recorder = MigrationRecorder(connection)
        if not recorder.applied_migrations():
            recorder.ensure_schema()
            loader = MigrationLoader(connection, ignore_no_migrations=True)
            recorder.migration_qs.bulk_create(
                recorder.Migration(app=app, name=name)
                for app, name in sorted(loader.disk_migrations)
            )
    yield


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


class ApiClient:
    """A JSON client for /api/v1/ that authenticates with a bearer token."""

    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            _, raw = ApiToken.issue(user)
            self.headers = {"Authorization": f"Bearer {raw}"}

    def _call(self, method, path, data=None):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs = {"headers": self.headers}
        if isinstance(data, Multipart):  # a form with files (an upload)
            kwargs.update(data=data)
        elif data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path, data=None):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        return self.client.get(url, data or {}, headers=self.headers)

    def post(self, path, data=None):
        return self._call("post", path, data if data is not None else {})

    def patch(self, path, data=None):
        return self._call("patch", path, data if data is not None else {})

    def delete(self, path, data=None):
        return self._call("delete", path, data)


@pytest.fixture
def api_as(db):
    return lambda user: ApiClient(user)


@pytest.fixture
def sales(db):
    return user_with("sales")


@pytest.fixture
def sales_api(sales):
    return ApiClient(sales)
