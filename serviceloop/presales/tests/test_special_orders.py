"""Special requests (R-5.1.3), orders (R-5.2.1), results told to the customer (R-5.2.5)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serviceloop.core.models import Department
from serviceloop.core.testing.factories import (
    CustomerFactory,
    register_communication,
    user_with,
)
from serviceloop.core.testing.imports import csv_upload
from serviceloop.presales import services
from serviceloop.presales.models import Order, OrderStatus, ResultLetter, SpecialStatus

pytestmark = pytest.mark.django_db


def _head(code):
    return user_with("dept_head", department=Department.objects.get(code=code))


def test_quality_agreement_decided_by_the_quality_head_and_listed_on_the_customer_page():
    sales = user_with("sales")
    customer = CustomerFactory()
    sp = services.special_request(
        actor=sales, customer=customer, kind="quality_agreement", description="年度质量协议"
    )
    assert sp.department.code == "quality"
    with pytest.raises(ValidationError):
        services.special_decide(actor=_head("technical"), special=sp, feasible=True)
    with pytest.raises(ValidationError):
        services.special_fulfil(actor=user_with("quality"), special=sp, note="n")  # not decided
    services.special_decide(actor=_head("quality"), special=sp, feasible=True)
    with pytest.raises(ValidationError) as exc:
        services.special_fulfil(actor=user_with("quality"), special=sp, note="已签订")
    assert "valid_from" in exc.value.message_dict
    today = timezone.localdate()
    services.special_fulfil(
        actor=user_with("quality"),
        special=sp,
        note="已签订",
        valid_from=today,
        valid_to=today + timedelta(days=365),
    )
    sp.refresh_from_db()
    assert sp.status == SpecialStatus.FULFILLED
    client = Client()
    client.force_login(sales)
    page = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert sp.number in page and (today + timedelta(days=365)).isoformat() in page


def test_not_feasible_then_the_polite_letter_in_chinese():
    sales = user_with("sales")
    sp = services.special_request(
        actor=sales, customer=CustomerFactory(), kind="special_sample", description="加长行程"
    )
    assert sp.department.code == "production_quality"
    with pytest.raises(ValidationError):
        services.special_decide(actor=_head("production_quality"), special=sp, feasible=False)
    services.special_decide(
        actor=_head("production_quality"), special=sp, feasible=False, note="无工装"
    )
    with pytest.raises(ValidationError):
        services.special_fulfil(actor=user_with("production_quality"), special=sp, note="x")
    services.special_decline_notice(actor=sales, special=sp, text="感谢贵公司……敬请谅解。")
    sp.refresh_from_db()
    assert sp.status == SpecialStatus.EXPLAINED
    client = Client()
    client.force_login(sales)
    pdf = client.get(reverse("presales:special_letter_pdf", args=[sp.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("presales:special_letter_docx", args=[sp.pk]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    from io import BytesIO

    from docx import Document

    text = "\n".join(par.text for par in Document(BytesIO(docx.content)).paragraphs)
    assert "敬请谅解" in text and "情况说明函" in text


def _order(sales, **kw):
    return services.order_create(
        actor=sales,
        customer=kw.pop("customer", None) or CustomerFactory(),
        order_number=kw.pop("order_number", "SO-1"),
        part_number="SA-2041",
        quantity=100,
        promised_date=kw.pop("promised_date", timezone.localdate() + timedelta(days=20)),
        **kw,
    )


def test_order_milestones_progress_and_delivery():
    sales = user_with("sales")
    today = timezone.localdate()
    order = _order(sales, milestones={"material_ready": today + timedelta(days=2)})
    assert order.milestones.count() == 5 and not order.is_late()
    services.order_progress(
        actor=sales, order=order, milestone="material_ready", at=timezone.now(), customer_told=True
    )
    with pytest.raises(ValidationError):
        services.order_progress(
            actor=sales, order=order, milestone="material_ready", at=timezone.now()
        )
    services.order_progress(actor=sales, order=order, milestone="delivered", at=timezone.now())
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.updates.filter(customer_told=True).count() == 1


def test_late_orders_flagged_to_leadership():
    leader = user_with("sales_leader")
    sales = user_with("sales")
    today = timezone.localdate()
    late = _order(sales, order_number="SO-LATE", promised_date=today - timedelta(days=1))
    ms_late = _order(
        sales, order_number="SO-MS", milestones={"inspected": today - timedelta(days=2)}
    )
    fine = _order(sales, order_number="SO-OK")
    assert late.is_late() and ms_late.is_late() and not fine.is_late()
    assert services.sweep_overdue()["orders"] == 2
    assert services.sweep_overdue()["orders"] == 0
    assert leader.notifications.filter(kind="order_late").count() == 2
    client = Client()
    client.force_login(leader)
    page = client.get(reverse("presales:leadership")).content.decode()
    assert "SO-LATE" in page and "SO-MS" in page and "SO-OK" not in page


def test_orders_import_and_export():
    from serviceloop.core.importing.services import import_now

    sales = user_with("sales")
    CustomerFactory(code="C-IMP")
    header = ["客户编码", "订单号", "零件号", "数量", "承诺交期", "发运计划日期"]
    rows = [
        ["C-IMP", "SO-9", "SA-1", "100", "2027-01-10", "2027-01-07"],
        ["C-IMP", "SO-9", "SA-2", "50", "2027-01-12", ""],
        ["NOPE", "SO-10", "SA-1", "5", "2027-01-12", ""],
    ]
    job = import_now(actor=sales, kind="orders", upload=csv_upload(rows, header), mode="valid_rows")
    job.refresh_from_db()
    assert job.status == "done", (job.status, job.errors)
    order = Order.objects.get(order_number="SO-9")  # two rows, one order with two lines
    assert [
        (x.position, x.part_number, x.quantity, x.due_date.isoformat()) for x in order.lines.all()
    ] == [
        (1, "SA-1", 100, "2027-01-10"),
        (2, "SA-2", 50, "2027-01-12"),
    ]
    assert order.promised_date.isoformat() == "2027-01-10"
    assert order.milestones.get(code="shipped").planned_date.isoformat() == "2027-01-07"
    # the same line again is skipped; a new part of the same order becomes its third line
    more = [*rows[:1], ["C-IMP", "SO-9", "SA-3", "7", "2027-02-01", ""]]
    again = import_now(
        actor=sales, kind="orders", upload=csv_upload(more, header), mode="valid_rows"
    )
    again.refresh_from_db()
    assert Order.objects.filter(order_number="SO-9").count() == 1
    assert list(order.lines.values_list("part_number", "position")) == [
        ("SA-1", 1),
        ("SA-2", 2),
        ("SA-3", 3),
    ]
    client = Client()
    client.force_login(sales)
    r = client.get(reverse("presales:orders"), {"export": "xlsx"})
    assert r.status_code == 200 and r.content.startswith(b"PK")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(r.content)).active
    parts = [row[4] for row in sheet.iter_rows(values_only=True) if row[0] == "SO-9"]
    assert parts == ["SA-1", "SA-2", "SA-3"]  # one row per line


def test_result_letter_from_a_communication_and_a_requirement():
    sales = user_with("sales")
    comm = register_communication(sales)
    letter = services.result_letter_create(actor=sales, source=comm, improvement_reference="8D-1")
    assert comm.customer.name in letter.body and letter.number.startswith("RES-")
    services.result_letter_send(actor=sales, letter=letter)
    with pytest.raises(ValidationError):
        services.result_letter_send(actor=sales, letter=letter)
    client = Client()
    client.force_login(sales)
    assert client.get(reverse("presales:result_pdf", args=[letter.pk])).content.startswith(b"%PDF")
    r = client.post(reverse("presales:communication_result", args=[comm.pk]), {"result-sent": ""})
    assert r.status_code == 302


def test_the_communication_page_offers_the_result_letter_only_to_who_may_draft_it():
    sales = user_with("sales")
    comm = register_communication(sales)
    page_url = reverse("communications:detail", args=[comm.pk])
    action = reverse("presales:communication_result", args=[comm.pk])
    client = Client()
    client.force_login(sales)
    page = client.get(page_url).content.decode()
    assert action in page
    r = client.post(action, {"result-subject": "分析结果", "result-body": "原因与纠正措施"})
    assert r.status_code == 302
    letter = ResultLetter.objects.get(communication=comm)
    page = client.get(page_url).content.decode()
    assert reverse("presales:result", args=[letter.pk]) in page
    for role in ("quality", "service_engineer"):
        other = Client()
        other.force_login(user_with(role))
        r = other.get(page_url)
        if r.status_code == 200:
            assert action not in r.content.decode(), role
