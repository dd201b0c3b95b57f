"""The demo data: believable, complete enough to show every page, and idempotent."""

import random

import pytest

from serviceloop import demo as company_demo
from serviceloop.core.audit import verify_chain
from serviceloop.core.models import User
from serviceloop.fieldservice import demo, selectors
from serviceloop.fieldservice.models import (
    EngineerAssignment,
    Escalation,
    PartMovement,
    PartsRequest,
    ReturnForRepairForm,
    ServiceRecord,
    WeeklyFeedback,
)

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (
            ServiceRecord,
            WeeklyFeedback,
            EngineerAssignment,
            PartsRequest,
            ReturnForRepairForm,
            Escalation,
            PartMovement,
        )
    ]


def test_demo_runs_once(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    company_demo.ensure_people()
    company_demo.ensure_customers(User.objects.get(username="admin"), random.Random(1))
    demo.run(rng=random.Random(2), stdout=None)
    first = _counts()
    assert first[0] > 100
    demo.run(rng=random.Random(3), stdout=None)
    assert _counts() == first
    eng1 = User.objects.get(username="eng1")
    where = selectors.who_is_where(eng1)
    assert {a.engineer.username for a in where.resident} == {"eng1", "eng2"}
    assert ReturnForRepairForm.objects.filter(status="held").count() == 1
    queue = list(selectors.warehouse_queue(eng1))
    assert [r.kind for r in queue] == ["urgent", "urgent", "spare"]
    assert (
        WeeklyFeedback.objects.filter(
            overdue_flagged_at__isnull=False, submitted_at__isnull=True
        ).count()
        == 3
    )
    assert selectors.balance_rows(eng1)
    assert verify_chain().ok
