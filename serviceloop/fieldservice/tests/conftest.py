"""Fixtures of the field-service tests (users by role, a tier-1 OEM, a part)."""

import pytest

from serviceloop.core.testing.factories import CustomerFactory, user_with

from .factories import PartFactory, engineer


@pytest.fixture
def eng(db):
    return engineer()


@pytest.fixture
def leader(db):
    return user_with("sales_leader")


@pytest.fixture
def wh(db):
    return user_with("warehouse")


@pytest.fixture
def oem(db):
    return CustomerFactory(tier="oem_tier1", name="华北重型汽车集团")


@pytest.fixture
def part(db):
    return PartFactory()


@pytest.fixture
def major_signals():
    """Every major_quality_problem sent while the test runs, as kwargs dicts."""
    from serviceloop.core.signals import major_quality_problem

    seen: list[dict] = []

    def receiver(sender, **kwargs):
        seen.append({"sender": sender, **kwargs})

    major_quality_problem.connect(receiver, dispatch_uid="fs-test-receiver")
    yield seen
    major_quality_problem.disconnect(dispatch_uid="fs-test-receiver")
