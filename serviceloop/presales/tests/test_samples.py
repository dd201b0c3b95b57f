"""Sample requests (R-5.1.2): each step owned and dated, out-of-order steps refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from serviceloop.complaints.models import Complaint, EightDReport
from serviceloop.core.my_work import PROVIDERS
from serviceloop.core.testing.factories import user_with
from serviceloop.presales import services
from serviceloop.presales.models import SampleStatus

from .factories import sample

pytestmark = pytest.mark.django_db


def _kinds(user):
    return [i.kind for p in PROVIDERS for i in p(user)]


def _approved(sales=None):
    s = sample(sales)
    services.sample_approve(actor=user_with("technical"), sample=s, department="technical")
    services.sample_approve(
        actor=user_with("production_quality"), sample=s, department="production_quality"
    )
    s.refresh_from_db()
    return s


def test_the_whole_flow_to_acceptance():
    sales = user_with("sales")
    pq = user_with("production_quality")
    s = sample(sales)
    assert s.status == SampleStatus.REQUESTED and s.step_due_at is not None
    assert sorted(a.department.code for a in s.approvals.all()) == [
        "production_quality",
        "technical",
    ]
    assert "sample.approve" in _kinds(user_with("technical"))
    services.sample_approve(actor=user_with("technical"), sample=s, department="technical")
    s.refresh_from_db()
    assert s.status == SampleStatus.REQUESTED  # one approval of two
    services.sample_approve(actor=pq, sample=s, department="production_quality")
    s.refresh_from_db()
    assert s.status == SampleStatus.APPROVED
    assert "sample.approved" in _kinds(pq)
    today = timezone.localdate()
    services.sample_schedule(actor=pq, sample=s, planned_date=today + timedelta(days=3))
    services.sample_record_made(actor=pq, sample=s, lot="L2612", inspection_result="合格")
    s.refresh_from_db()
    assert s.status == SampleStatus.MADE and "sample.made" in _kinds(sales)
    services.sample_deliver(
        actor=sales, sample=s, delivered_at=timezone.now(), shipping_note="FH-1"
    )
    s.refresh_from_db()
    assert s.status == SampleStatus.DELIVERED and s.step_due_at > timezone.now()
    services.sample_confirm(actor=sales, sample=s, accepted=True)
    s.refresh_from_db()
    assert s.status == SampleStatus.ACCEPTED and s.step_due_at is None


def test_out_of_order_steps_are_refused_and_nothing_changes():
    sales = user_with("sales")
    pq = user_with("production_quality")
    s = sample(sales)
    for call in (
        lambda: services.sample_schedule(actor=pq, sample=s, planned_date=timezone.localdate()),
        lambda: services.sample_deliver(actor=sales, sample=s, delivered_at=timezone.now()),
        lambda: services.sample_confirm(actor=sales, sample=s, accepted=True),
        lambda: services.sample_record_made(actor=pq, sample=s, lot="L", inspection_result="ok"),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert "status" in exc.value.message_dict
    s.refresh_from_db()
    assert s.status == SampleStatus.REQUESTED and s.planned_date is None


def test_a_department_rejects_with_its_reason():
    s = sample()
    with pytest.raises(ValidationError):
        services.sample_reject(
            actor=user_with("technical"), sample=s, department="technical", reason=""
        )
    services.sample_reject(
        actor=user_with("technical"), sample=s, department="technical", reason="图纸未冻结"
    )
    s.refresh_from_db()
    assert s.status == SampleStatus.REJECTED
    with pytest.raises(ValidationError):
        services.sample_approve(
            actor=user_with("production_quality"), sample=s, department="production_quality"
        )


def test_only_the_own_department_approves():
    s = sample()
    with pytest.raises(ValidationError):
        services.sample_approve(
            actor=user_with("technical"), sample=s, department="production_quality"
        )
    assert not s.approvals.filter(decided_at__isnull=False).exists()


def test_rejection_by_the_customer_opens_a_requirement_and_an_8d():
    sales = user_with("sales")
    pq = user_with("production_quality")
    s = _approved(sales)
    services.sample_schedule(actor=pq, sample=s, planned_date=timezone.localdate())
    services.sample_deliver(actor=sales, sample=s, delivered_at=timezone.now())
    with pytest.raises(ValidationError):
        services.sample_confirm(actor=sales, sample=s, accepted=False, note="")
    services.sample_confirm(
        actor=sales,
        sample=s,
        accepted=False,
        note="装车后异响",
        open_requirement=True,
        open_complaint=True,
    )
    s.refresh_from_db()
    assert s.status == SampleStatus.REFUSED
    assert s.follow_up_requirement is not None
    assert s.follow_up_requirement.description == "装车后异响"
    complaint = Complaint.objects.get(pk=s.follow_up_complaint_id)
    assert EightDReport.objects.filter(complaint=complaint).exists()


def test_an_overdue_step_is_swept_once():
    leader = user_with("sales_leader")
    s = sample()
    later = s.step_due_at + timedelta(minutes=1)
    assert services.sweep_overdue(now=later)["samples"] == 1
    assert services.sweep_overdue(now=later)["samples"] == 0
    assert leader.notifications.filter(kind="samples_overdue").count() == 1


def test_api_out_of_order_is_422(api_as):
    sales = user_with("sales")
    s = sample(sales)
    r = api_as(sales).post(
        f"sample-requests/{s.pk}/deliver", {"delivered_at": timezone.now().isoformat()}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "status"
    r = api_as(user_with("technical")).post(
        f"sample-requests/{s.pk}/approve", {"department": "technical"}
    )
    assert r.status_code == 200 and r.json()["status"] == "requested"
