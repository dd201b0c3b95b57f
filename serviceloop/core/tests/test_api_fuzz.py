"""Schemathesis over every API operation (issue 9): generated requests, valid and invalid,
sent in-process to the Django WSGI application as an administrator; no answer may be a 5xx
and every answer must match the OpenAPI document (status documented, body of that schema).

A few derandomised examples per operation keep the run to about a minute on two cores
(`SERVICELOOP_FUZZ_EXAMPLES=50 pytest serviceloop/core/tests/test_api_fuzz.py` searches
harder)."""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.api import api
from serviceloop.core.models import ApiToken
from serviceloop.core.testing.factories import CustomerFactory, user_with

EXAMPLES = int(os.environ.get("SERVICELOOP_FUZZ_EXAMPLES", "3"))
LOG = os.environ.get("SERVICELOOP_FUZZ_LOG", "")
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": EXAMPLES, "deterministic": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1/"), config=CONFIG
)
schema.app = WSGIHandler()


@pytest.fixture
def bearer(db):
    """An administrator's token, a customer to find, and the WSGI handler kept from closing
    the test's connection (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    CustomerFactory()
    _, raw = ApiToken.issue(user_with("admin"))
    yield {"Authorization": f"Bearer {raw}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation(case, bearer):
    response = case.call(headers=bearer)
    if LOG:  # SERVICELOOP_FUZZ_LOG=FILE: one line per case, to count cases and answers
        with open(LOG, "a") as log:
            log.write(f"{case.method} {case.path} {response.status_code}\n")
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
