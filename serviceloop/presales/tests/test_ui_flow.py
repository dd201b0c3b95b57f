"""Through the pages (Django test client), as the people of the procedure: Sales records a
requirement, R&D, Production Quality and Purchasing evaluate it from their "my work", Sales
concludes; and a sample request from application to the customer's acceptance."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serviceloop.core.models import Department
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.presales.models import CustomerRequirement, SampleRequest

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_requirement_evaluations_conclusion_in_the_ui():
    customer = CustomerFactory(name="华北重型汽车集团")
    sales = client_for(user_with("sales"))
    ok(sales.get(reverse("presales:requirement_create")), 200)
    depts = Department.objects.filter(code__in=["rnd", "production_quality", "purchasing"])
    ok(
        sales.post(
            reverse("presales:requirement_create"),
            {
                "customer": customer.pk,
                "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "subject": "阻尼力提高 10%",
                "description": "复原阻尼力提高 10%",
                "evaluators": [d.pk for d in depts],
                "due_days": 3,
            },
        )
    )
    req = CustomerRequirement.objects.get()
    url = reverse("presales:requirement", args=[req.pk])
    r = ok(
        sales.post(
            reverse("presales:requirement_conclude", args=[req.pk]), {"conclude-outcome": "x"}
        ),
        400,
    )
    assert req.number in r.content.decode()
    for role in ("rnd", "production_quality", "purchasing"):
        c = client_for(user_with(role))
        home = c.get(reverse("core:my_work")).content.decode()
        assert req.number in home, role
        page = ok(c.get(url), 200).content.decode()
        assert "evaluate-verdict" in page
        dept = Department.objects.get(code=role)
        ok(
            c.post(
                reverse("presales:requirement_evaluate", args=[req.pk]),
                {
                    "evaluate-department": dept.pk,
                    "evaluate-verdict": "feasible",
                    "evaluate-note": "ok",
                },
            )
        )
    req.refresh_from_db()
    assert req.status == "evaluated"
    ok(
        sales.post(
            reverse("presales:requirement_conclude", args=[req.pk]),
            {"conclude-outcome": "与客户协商一致:接受", "conclude-contract_reference": "HT-1"},
        )
    )
    req.refresh_from_db()
    assert req.status == "concluded" and req.contract_reference == "HT-1"
    assert "与客户协商一致" in ok(sales.get(url), 200).content.decode()


def test_sample_from_application_to_acceptance_in_the_ui():
    customer = CustomerFactory()
    sales_user = user_with("sales")
    sales = client_for(sales_user)
    tech, pq = user_with("technical"), user_with("production_quality")
    ok(
        sales.post(
            reverse("presales:sample_create"),
            {
                "customer": customer.pk,
                "part_number": "SA-2041",
                "quantity": 4,
                "needed_by": (timezone.localdate() + timedelta(days=20)).isoformat(),
                "purpose": "装车路试",
                "approvers": [
                    d.pk
                    for d in Department.objects.filter(code__in=["technical", "production_quality"])
                ],
            },
        )
    )
    s = SampleRequest.objects.get()
    step = lambda c, name, data: ok(c.post(reverse(f"presales:sample_{name}", args=[s.pk]), data))  # noqa: E731
    out_of_order = {"deliver-delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    ok(sales.post(reverse("presales:sample_deliver", args=[s.pk]), out_of_order), 400)
    step(
        client_for(tech),
        "approve",
        {"approve-department": Department.objects.get(code="technical").pk},
    )
    step(
        client_for(pq),
        "approve",
        {"approve-department": Department.objects.get(code="production_quality").pk},
    )
    step(client_for(pq), "schedule", {"schedule-planned_date": timezone.localdate().isoformat()})
    step(client_for(pq), "made", {"made-lot": "L1", "made-inspection_result": "合格"})
    step(
        sales,
        "deliver",
        {
            "deliver-delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "deliver-shipping_note": "FH-1",
        },
    )
    step(sales, "confirm", {"confirm-accepted": "1"})
    s.refresh_from_db()
    assert s.status == "accepted"
    page = ok(sales.get(reverse("presales:sample", args=[s.pk])), 200).content.decode()
    assert "FH-1" in page and "L1" in page
