"""Retention (R-7): each period, the disposal-review sweep over a period boundary, disposal
(deleted or anonymised, audit entries redacted, chain verifiable), the refusals, legal holds."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from conftest import ApiClient
from serviceloop.communications.models import Communication
from serviceloop.complaints.models import Complaint, EightDReport
from serviceloop.complaints.services import complaint_register
from serviceloop.core.audit import verify_chain
from serviceloop.core.deadlines import company_tz
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with
from serviceloop.records import policy, services
from serviceloop.records.models import DisposalReview, LegalHold, ReviewStatus

pytestmark = pytest.mark.django_db

CLOSED = datetime(2024, 3, 10, 10, 0, tzinfo=company_tz())


def _instance(t: policy.RecordType, closed: datetime | None):
    model = t.model_class()
    assert model is not None
    obj = model()
    if closed is None:
        return obj
    path = t.closed_fields()[0]
    if "__" in path:  # the closing date is on a related record
        rel, name = path.split("__")
        related = model._meta.get_field(rel).related_model()
        setattr(related, name, closed)
        setattr(obj, rel, related)
    else:
        field = model._meta.get_field(path)
        setattr(obj, path, closed.date() if field.get_internal_type() == "DateField" else closed)
    if t.open_statuses:
        obj.status = "received"
    return obj


EXPECTED_YEARS = {
    "visit-records": 2,
    "complaints": 2,
    "service-summaries": 3,
    "eight-d-reports": 3,
    "information-feedback-forms": 2,
    "communications": 2,  # administrator's defaults (docs/records.md)
    "warranty-claims": 3,
    "service-records": 3,
    "return-forms": 3,
    "early-warning-reports": 3,
}


@pytest.mark.parametrize("key", sorted(EXPECTED_YEARS))
def test_each_period(key):
    t = policy.TYPES[key]
    if t.model_class() is None:
        pytest.skip(f"{t.model} is not installed in this build")
    years = EXPECTED_YEARS[key]
    assert policy.retain_until(_instance(t, CLOSED)) == date(2024 + years, 3, 10)
    assert policy.retain_until(_instance(t, None)) is None  # open: no date yet


def test_customer_archive_is_permanent_and_never_queued():
    customer = CustomerFactory()
    assert policy.retain_until(customer) == "permanent"
    with freeze_time(timezone.now() + timedelta(days=365 * 50)):
        services.sweep_disposal_review()
    assert not DisposalReview.objects.filter(record_type="customers").exists()


def test_a_29_february_closing_counts_to_28_february():
    t = policy.TYPES["communications"]
    obj = _instance(t, datetime(2024, 2, 29, 12, 0, tzinfo=company_tz()))
    assert policy.retain_until(obj) == date(2026, 2, 28)


def test_the_administrator_sets_the_open_periods_only():
    admin, mr = user_with("admin"), user_with("mgmt_rep")
    t = policy.TYPES["communications"]
    services.period_set(actor=admin, record_type="communications", years=5)
    assert policy.retain_until(_instance(t, CLOSED)) == date(2029, 3, 10)
    with pytest.raises(ValidationError) as exc:
        services.period_set(actor=admin, record_type="complaints", years=5)
    assert "record_type" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.period_set(actor=admin, record_type="communications", years=0)
    assert "years" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.period_set(actor=mr, record_type="communications", years=3)
    assert AuditEntry.objects.filter(object_type="records.retentionperiod").exists()


def _closed_communication(closed_at: datetime, **kwargs):
    sales = user_with("sales")
    comm = register_communication(sales, received_at=closed_at - timedelta(days=2), **kwargs)
    Communication.objects.filter(pk=comm.pk).update(status="closed", feedback_at=closed_at)
    return Communication.objects.get(pk=comm.pk)


def test_time_travel_over_the_period_boundary():
    comm = _closed_communication(CLOSED)  # kept 2 years: until 2026-03-10
    assert policy.retain_until(comm) == date(2026, 3, 10)
    with freeze_time("2026-03-10 15:00:00+08:00"):  # the last day it must be kept
        assert services.sweep_disposal_review() == 0
    with freeze_time("2026-03-11 00:30:00+08:00"):  # the first day past retention
        assert services.sweep_disposal_review() == 1
        assert services.sweep_disposal_review() == 0  # idempotent
        review = DisposalReview.objects.get(record_type="communications", record_id=comm.pk)
        assert review.status == ReviewStatus.PENDING and review.retain_until == date(2026, 3, 10)
        assert Communication.objects.filter(pk=comm.pk).exists()  # never silently deleted
        officer = user_with("mgmt_rep")
        assert [r.pk for r in services_due(officer)] == [review.pk]


def services_due(user):
    from serviceloop.records.selectors import due_list

    return due_list(user)


def _queued(comm):
    services.sweep_disposal_review()
    return DisposalReview.objects.get(record_id=comm.pk, record_type="communications")


def test_disposal_deletes_redacts_and_keeps_the_chain_verifiable():
    comm = _closed_communication(
        timezone.now() - timedelta(days=3 * 366), subject="王小明的私人电话 13800000000"
    )
    review = _queued(comm)
    assert AuditEntry.objects.filter(object_repr__contains="王小明").exists()
    admin = user_with("admin")
    review = services.review_dispose(actor=admin, review=review, reason="保留期满")
    assert review.status == ReviewStatus.DISPOSED and review.outcome == "deleted"
    assert not Communication.objects.filter(pk=comm.pk).exists()
    entries = AuditEntry.objects.filter(
        object_type="communications.communication", object_id=str(comm.pk)
    )
    redacted = [e for e in entries if e.redacted]
    assert redacted and review.redacted_entries >= len(redacted)
    assert not AuditEntry.objects.filter(object_repr__contains="王小明").exists()
    assert not any(
        "王小明" in str(e.before) + str(e.after) + e.reason for e in AuditEntry.objects.all()
    )
    disposal = entries.filter(action="delete", redacted_at__isnull=True).get()
    assert disposal.actor == admin and disposal.reason == "保留期满"
    assert verify_chain().ok


def test_a_record_others_point_to_is_anonymised_not_deleted():
    sales = user_with("sales")
    complaint = complaint_register(
        actor=sales,
        customer=CustomerFactory(),
        received_at=timezone.now() - timedelta(days=5 * 366),
        description="李雷反映：减振器漏油",
        part_number="SA-1",
        quantity=1,
        kind="return",  # a return opens its 8D at once: the 8D points to the complaint
    )
    assert EightDReport.objects.filter(complaint=complaint).exists()
    Complaint.objects.filter(pk=complaint.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=3 * 366)
    )
    services.sweep_disposal_review()
    review = DisposalReview.objects.get(record_type="complaints", record_id=complaint.pk)
    review = services.review_dispose(actor=user_with("mgmt_rep"), review=review, reason="到期")
    assert review.outcome == "anonymised"
    complaint.refresh_from_db()
    assert complaint.description == policy.ANONYMISED and complaint.number  # number kept
    assert verify_chain().ok


def test_disposal_of_a_held_record_is_refused_and_it_is_not_offered():
    comm = _closed_communication(timezone.now() - timedelta(days=3 * 366))
    review = _queued(comm)
    mr = user_with("mgmt_rep")
    hold = services.hold_place(
        actor=mr, record_type="communications", record_id=comm.pk, reason="诉讼中"
    )
    assert services_due(mr) == []  # a held record is never offered for disposal
    with pytest.raises(ValidationError) as exc:
        services.review_dispose(actor=mr, review=review, reason="到期")
    assert "status" in exc.value.message_dict
    assert Communication.objects.filter(pk=comm.pk).exists()
    services.hold_lift(actor=mr, hold=hold, reason="诉讼结束")
    lifted = AuditEntry.objects.filter(object_type="records.legalhold", action="update").get()
    assert lifted.reason == "诉讼结束" and lifted.actor == mr
    assert [r.pk for r in services_due(mr)] == [review.pk]


def test_a_hold_on_the_customer_covers_its_records_and_the_sweep_skips_them():
    comm = _closed_communication(timezone.now() - timedelta(days=3 * 366))
    services.hold_place(
        actor=user_with("admin"), record_type="customers", record_id=comm.customer_id, reason="审计"
    )
    assert services.sweep_disposal_review() == 0
    with pytest.raises(ValidationError):
        services.hold_place(
            actor=user_with("admin"),
            record_type="customers",
            record_id=comm.customer_id,
            reason="x",
        )


def test_disposal_of_a_record_not_yet_due_is_refused():
    comm = _closed_communication(timezone.now() - timedelta(days=30))
    review = DisposalReview.objects.create(
        record_type="communications", record_id=comm.pk, retain_until=timezone.localdate()
    )
    with pytest.raises(ValidationError) as exc:
        services.review_dispose(actor=user_with("admin"), review=review, reason="x")
    assert "status" in exc.value.message_dict
    assert Communication.objects.filter(pk=comm.pk).exists()


def test_keep_longer_moves_retain_until_and_the_sweep_asks_again_after_it():
    comm = _closed_communication(timezone.now() - timedelta(days=3 * 366))
    review = _queued(comm)
    until = timezone.localdate() + timedelta(days=100)
    mr = user_with("mgmt_rep")
    with pytest.raises(ValidationError) as exc:
        services.review_keep(actor=mr, review=review, reason="", until=until)
    assert "reason" in exc.value.message_dict
    services.review_keep(actor=mr, review=review, reason="客户仍在索赔", until=until)
    assert policy.retain_until(comm) == until
    assert services.sweep_disposal_review() == 0
    with freeze_time(timezone.now() + timedelta(days=101)):
        assert services.sweep_disposal_review() == 1
    with pytest.raises(ValidationError):  # a decided review is not decided again
        services.review_dispose(actor=mr, review=review, reason="x")


def test_only_the_officers_may_review_and_hold():
    comm = _closed_communication(timezone.now() - timedelta(days=3 * 366))
    review = _queued(comm)
    sales = user_with("sales")
    with pytest.raises(PermissionDenied):
        services.review_dispose(actor=sales, review=review, reason="x")
    with pytest.raises(PermissionDenied):
        services.hold_place(
            actor=sales, record_type="communications", record_id=comm.pk, reason="x"
        )


def test_api_due_holds_and_retain_until():
    comm = _closed_communication(timezone.now() - timedelta(days=3 * 366))
    services.sweep_disposal_review()
    api = ApiClient(user_with("mgmt_rep"))
    due = api.get("retention/due").json()
    assert due["count"] == 1 and due["items"][0]["record_id"] == comm.pk
    assert due["items"][0]["record_type"] == "communications"
    r = api.post(
        "legal-holds/", {"record_type": "communications", "record_id": comm.pk, "reason": "诉讼"}
    )
    assert r.status_code == 201, r.content
    hold = r.json()
    assert hold["active"] and hold["reason"] == "诉讼"
    assert api.get("retention/due").json()["count"] == 0
    bad = api.post("legal-holds/", {"record_type": "nothing", "record_id": 1, "reason": "x"})
    assert bad.status_code == 422 and "record_type" in str(bad.json())
    r = api.post(f"legal-holds/{hold['id']}/lift", {"reason": "结束"})
    assert r.status_code == 200 and not r.json()["active"]
    assert api.get("legal-holds/?active=true").json()["count"] == 0
    assert ApiClient(user_with("sales")).get("retention/due").status_code == 403


def test_retention_page_and_record_panel():
    comm = _closed_communication(timezone.now() - timedelta(days=3 * 366))
    services.sweep_disposal_review()
    client = Client()
    client.force_login(user_with("mgmt_rep"))
    page = client.get(reverse("records:retention"))
    assert page.status_code == 200 and comm.number in page.content.decode()
    r = client.post(
        reverse("records:hold_place"),
        {"hold-record_type": "communications", "hold-record_id": comm.pk, "hold-reason": "诉讼"},
    )
    assert r.status_code == 302
    assert LegalHold.objects.filter(record_id=comm.pk, lifted_at__isnull=True).exists()


def test_records_answer_retain_until_in_the_api_and_show_it_on_their_page():
    comm = _closed_communication(CLOSED)
    open_comm = register_communication(user_with("sales"))
    api = ApiClient(user_with("admin"))
    assert api.get(f"communications/{comm.pk}").json()["retain_until"] == "2026-03-10"
    assert api.get(f"communications/{open_comm.pk}").json()["retain_until"] is None
    assert api.get(f"customers/{comm.customer_id}").json()["retain_until"] == "permanent"
    client = Client()
    client.force_login(user_with("mgmt_rep"))
    page = client.get(comm.get_absolute_url()).content.decode()
    assert 'id="retention"' in page and "2026-03-10" in page
    assert reverse("records:hold_place") in page  # the hold form, for the officers
    client.force_login(user_with("sales"))
    page = client.get(comm.get_absolute_url()).content.decode()
    assert 'id="retention"' in page and reverse("records:hold_place") not in page
