"""Shared pytest fixtures. Tests build their data with factories (serviceloop/core/testing)."""

import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from serviceloop.core.models import ApiToken
from serviceloop.core.testing.factories import user_with

# Property tests draw the same examples on every run (CI must not fail on a new random draw;
# `HYPOTHESIS_PROFILE=explore pytest …` searches afresh).
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
        if data is not None:
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
