"""Visit records as XLSX (core.exports) and a customer's visits on the customer page."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.visits import services
from serviceloop.visits.tests.factories import record_visit

pytestmark = pytest.mark.django_db


def test_visit_records_export_xlsx_formula_safe():
    sales = user_with("sales")
    customer, other = CustomerFactory(), CustomerFactory()
    rec = record_visit(sales, customer, summary="=HYPERLINK(1)", satisfaction=5)
    record_visit(sales, other)
    client = Client()
    client.force_login(sales)
    r = client.get(reverse("visits:list"), {"export": "xlsx", "customer": customer.pk})
    assert r.status_code == 200
    ws = load_workbook(BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the customer's one record
    assert rows[1][0] == rec.number and rows[1][6] == 5
    assert ws.cell(row=2, column=8).data_type == "s"  # text, not a formula
    client.force_login(user_with("agent"))
    assert client.get(reverse("visits:list"), {"export": "xlsx"}).status_code == 403


def test_customer_page_shows_visit_records_and_plan_items():
    sales = user_with("sales")
    customer = CustomerFactory()
    rec = record_visit(sales, customer)
    from django.utils import timezone

    plan = services.visit_plan_create(
        actor=sales,
        year=timezone.localdate().year + 1,
        items=[{"customer": customer.pk, "planned_month": 3, "purpose": "年度走访"}],
    )
    client = Client()
    client.force_login(sales)
    page = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert rec.number in page
    assert "年度走访" in page and plan.get_absolute_url() in page
    other = CustomerFactory()
    empty = client.get(reverse("customers:detail", args=[other.pk])).content.decode()
    assert rec.number not in empty
