"""Visit records (R-5.1.4, R-5.7.3): fill, review, copies with read receipts, a problem to a
communication in one step, refusals, visibility."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import ApiClient
from serviceloop.communications.models import Communication
from serviceloop.core.models import AuditEntry, Department
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import AgentFactory, CustomerFactory, user_with
from serviceloop.visits import services
from serviceloop.visits.models import RecordStatus, VisitCopy, VisitRecord
from serviceloop.visits.tests.factories import record_visit

pytestmark = pytest.mark.django_db


def test_fill_review_distribute_and_read(sales):
    cust = CustomerFactory()
    rec = record_visit(sales, cust, satisfaction=3)
    assert rec.number.startswith("VIS-") and rec.status == RecordStatus.FILED
    head = user_with("dept_head", department=Department.objects.get(code="sales"))
    assert any(i.kind == "visit_record.review" for i in work_items(head))
    services.visit_record_review(actor=head, record=rec, note="同意")
    quality = Department.objects.get(code="quality")
    reader = user_with("quality")
    services.visit_record_distribute(actor=sales, record=rec, departments=[quality])
    rec.refresh_from_db()
    assert rec.status == RecordStatus.DISTRIBUTED
    assert [i.kind for i in work_items(reader)].count("visit_record.read") == 1
    copy = services.visit_copy_read(actor=reader, record=rec)
    assert copy.read_at is not None and copy.read_by == reader
    assert not any(i.kind == "visit_record.read" for i in work_items(reader))
    # reading twice keeps the first receipt
    again = services.visit_copy_read(actor=reader, record=rec)
    assert again.read_at == copy.read_at
    assert AuditEntry.objects.filter(object_type="visits.visitcopy").count() == 2


def test_distribute_before_review_is_refused_and_stores_nothing(sales):
    rec = record_visit(sales, CustomerFactory())
    with pytest.raises(ValidationError) as e:
        services.visit_record_distribute(
            actor=sales, record=rec, departments=[Department.objects.get(code="quality")]
        )
    assert "status" in e.value.error_dict
    assert not VisitCopy.objects.exists()


def test_review_twice_and_by_sales_refused(sales):
    rec = record_visit(sales, CustomerFactory())
    with pytest.raises(PermissionDenied):
        services.visit_record_review(actor=sales, record=rec)
    lead = user_with("sales_leader")
    services.visit_record_review(actor=lead, record=rec)
    with pytest.raises(ValidationError):
        services.visit_record_review(actor=lead, record=rec)


def test_reading_without_a_copy_is_refused(sales):
    rec = record_visit(sales, CustomerFactory())
    with pytest.raises(ValidationError):
        services.visit_copy_read(actor=user_with("rnd"), record=rec)


def test_invalid_input_is_refused(sales):
    cust = CustomerFactory()
    for bad in (
        {"satisfaction": 6},
        {"satisfaction": 0},
        {"visited_at": timezone.now() + timedelta(days=2)},
    ):
        with pytest.raises(ValidationError):
            record_visit(sales, cust, **bad)
    assert not VisitRecord.objects.exists()


def test_problem_becomes_a_communication_in_one_step(sales):
    rec = record_visit(sales, CustomerFactory(), customer_people="赵明")
    comm = services.visit_record_raise_communication(
        actor=sales, record=rec, subject="异响批次追溯", body=""
    )
    assert comm.channel == "visit" and comm.customer == rec.customer
    assert comm.body == rec.problems and comm.contact_name == "赵明"
    assert list(rec.communications.all()) == [comm]
    with pytest.raises(ValidationError):
        services.visit_record_raise_communication(actor=sales, record=rec, subject=" ")
    assert Communication.objects.count() == 1


def test_api_flow_with_copies_and_read_at(sales):
    cust = CustomerFactory()
    api = ApiClient(sales)
    r = api.post(
        "visit-records/",
        {
            "customer": cust.pk,
            "visited_at": (timezone.now() - timedelta(hours=3)).isoformat(),
            "summary": "季度走访",
            "opinions": "希望缩短交期",
            "product_quality": "稳定",
            "service_quality": "响应及时",
            "satisfaction": 5,
            "plan_item": None,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["number"].startswith("VIS-") and body["status"] == "filed"
    assert body["copies"] == []
    rid = body["id"]
    assert (
        api.post(f"visit-records/{rid}/distribute", {"departments": ["quality"]}).status_code == 422
    )
    head = ApiClient(user_with("dept_head", department=Department.objects.get(code="sales")))
    assert head.post(f"visit-records/{rid}/review", {"note": "ok"}).json()["status"] == "reviewed"
    r = api.post(f"visit-records/{rid}/distribute", {"departments": ["quality", "rnd"]})
    assert r.status_code == 200
    copies = {c["department"]: c["read_at"] for c in r.json()["copies"]}
    assert copies == {"quality": None, "rnd": None}
    ApiClient(user_with("quality")).post(f"visit-records/{rid}/read")
    copies = {
        c["department"]: c["read_at"] for c in api.get(f"visit-records/{rid}").json()["copies"]
    }
    assert copies["quality"] is not None and copies["rnd"] is None
    bad = api.post(f"visit-records/{rid}/distribute", {"departments": ["nope"]})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "departments"
    r = api.post(
        "visit-records/",
        {
            "customer": cust.pk,
            "visited_at": timezone.now().isoformat(),
            "summary": "x",
            "satisfaction": 9,
        },
    )
    assert r.status_code == 422


def test_another_agents_customer_is_404(sales):
    mine, theirs = AgentFactory(), AgentFactory()
    rec = record_visit(sales, CustomerFactory(agent=theirs))
    agent = user_with("agent", agent=mine)
    api = ApiClient(agent)
    assert api.get(f"visit-records/{rec.pk}").status_code == 404
    assert api.get("visit-records/").json()["count"] == 0
    client = Client()
    client.force_login(agent)
    assert client.get(reverse("visits:detail", args=[rec.pk])).status_code == 404
    own = record_visit(sales, CustomerFactory(agent=mine))
    assert api.get(f"visit-records/{own.pk}").status_code == 200


def test_pages_walk(sales):
    cust = CustomerFactory()
    client = Client()
    client.force_login(sales)
    r = client.post(
        reverse("visits:create"),
        {
            "customer": cust.pk,
            "visited_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "summary": "走访",
            "satisfaction": "4",
            "problems": "包装破损",
        },
    )
    rec = VisitRecord.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("visits:detail", args=[rec.pk])
    page = client.get(reverse("visits:detail", args=[rec.pk]))
    assert page.status_code == 200 and rec.number in page.content.decode()
    r = client.post(
        reverse("visits:raise", args=[rec.pk]), {"raise-subject": "包装破损", "raise-body": ""}
    )
    assert r.status_code == 302 and Communication.objects.count() == 1
    assert client.get(reverse("visits:list")).status_code == 200
