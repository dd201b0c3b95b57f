"""Issue 10 §2: a back-dated answer or feedback is a late entry (补录) — it needs a reason, keeps
both times, is judged on time by the stated time, and a deadline already flagged overdue stays
visibly flagged."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from serviceloop.communications import services
from serviceloop.communications.models import Communication
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import register_communication

pytestmark = pytest.mark.django_db


def _flagged(sales):
    comm = register_communication(sales, received_at=timezone.now() - timedelta(days=3))
    services.sweep_overdue()
    comm.refresh_from_db()
    assert comm.answer_overdue_flagged_at is not None
    return comm


def test_back_dated_answer_without_reason_is_refused_and_nothing_stored(sales_api, sales):
    comm = _flagged(sales)
    n = AuditEntry.objects.count()
    at = (comm.received_at + timedelta(hours=2)).isoformat()
    r = sales_api.post(f"communications/{comm.pk}/answer", {"text": "已答复", "at": at})
    assert r.status_code == 422, r.content
    assert "reason" in {d.get("field") or d["loc"][-1] for d in r.json()["detail"]}
    comm.refresh_from_db()
    assert comm.answered_at is None and comm.status == "registered"
    assert AuditEntry.objects.count() == n


def test_back_dated_answer_with_reason_keeps_both_times_and_the_flag(sales_api, sales, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    comm = _flagged(sales)
    stated = comm.received_at + timedelta(hours=2)
    r = sales_api.post(
        f"communications/{comm.pk}/answer",
        {"text": "已答复", "at": stated.isoformat(), "reason": "电话答复后忘记登记"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["answered_late_reason"] == "电话答复后忘记登记"
    assert body["answered_entered_at"] is not None and body["answered_late"] is False
    comm = Communication.objects.get(pk=comm.pk)
    assert comm.answered_at == stated
    assert comm.answered_entered_at - stated > timedelta(days=2)
    c = Client()
    c.force_login(sales)
    page = c.get(f"/communications/{comm.pk}/").content.decode()
    assert "补录" in page and "电话答复后忘记登记" in page
    assert "已标记逾期" in page  # the sweep's flag stays visible, with its time
    assert timezone.localtime(comm.answer_overdue_flagged_at).strftime("%Y-%m-%d %H:%M") in page


def test_a_time_within_15_minutes_is_not_a_late_entry(sales):
    comm = register_communication(sales, received_at=timezone.now() - timedelta(hours=1))
    comm = services.communication_answer(
        actor=sales, communication=comm, text="x", at=timezone.now() - timedelta(minutes=14)
    )
    assert comm.answered_late_reason == "" and comm.answered_entered_at is not None


def test_back_dated_feedback_needs_a_reason(sales):
    comm = register_communication(sales, received_at=timezone.now() - timedelta(days=2))
    with pytest.raises(ValidationError) as e:
        services.communication_feedback(
            actor=sales, communication=comm, text="x", at=timezone.now() - timedelta(days=1)
        )
    assert "reason" in e.value.error_dict
    comm = services.communication_feedback(
        actor=sales,
        communication=comm,
        text="x",
        at=timezone.now() - timedelta(days=1),
        reason="纸质记录补登",
    )
    assert comm.feedback_late_reason == "纸质记录补登"
    assert comm.answered_late_reason == "纸质记录补登"  # feedback as the first answer


def test_form_refuses_a_back_dated_answer_without_reason(sales):
    comm = register_communication(sales, received_at=timezone.now() - timedelta(days=2))
    c = Client()
    c.force_login(sales)
    at = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    r = c.post(f"/communications/{comm.pk}/answer/", {"answer-text": "x", "answer-at": at})
    assert r.status_code == 400
    comm.refresh_from_db()
    assert comm.answered_at is None
    r = c.post(
        f"/communications/{comm.pk}/answer/",
        {"answer-text": "x", "answer-at": at, "answer-reason": "补登"},
    )
    assert r.status_code == 302
    comm.refresh_from_db()
    assert comm.answered_late_reason == "补登"
