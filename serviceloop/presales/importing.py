"""Import of orders from the ERP's XLSX/CSV export (R-5.2.1) through the one importing
engine (docs/importing.md): one row per order line, milestones' planned dates optional."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serviceloop.core.audit import audit_create_many
from serviceloop.core.importing import DATE, INTEGER, TEXT, Column, Kind, Row, StoreContext, Stored
from serviceloop.core.permissions import visible_customers

from .models import Milestone, MilestoneCode, Order

PLANNED = {
    "material_ready": ("备料计划日期", MilestoneCode.MATERIAL_READY),
    "in_production": ("投产计划日期", MilestoneCode.IN_PRODUCTION),
    "inspected": ("检验计划日期", MilestoneCode.INSPECTED),
    "shipped": ("发运计划日期", MilestoneCode.SHIPPED),
}

COLUMNS = (
    Column(
        "customer", "客户编码", TEXT, True, ("customer", "customer code"), "C001", max_length=30
    ),
    Column(
        "order_number",
        "订单号",
        TEXT,
        True,
        ("order", "order number", "合同号"),
        "SO-2026-0101",
        max_length=60,
    ),
    Column(
        "part_number", "零件号", TEXT, True, ("part number", "物料编码"), "SA-2041", max_length=60
    ),
    Column(
        "part_name", "零件名称", TEXT, False, ("part name", "物料名称"), "前减振器", max_length=100
    ),
    Column(
        "quantity",
        "数量",
        INTEGER,
        True,
        ("quantity", "订单数量"),
        "500",
        min_value=1,
        max_value=10_000_000,
    ),
    Column(
        "ordered_on",
        "订货日期",
        DATE,
        False,
        ("ordered on", "order date"),
        "2026-03-02",
        "YYYY-MM-DD",
    ),
    Column(
        "promised_date",
        "承诺交期",
        DATE,
        True,
        ("promised date", "交货日期"),
        "2026-04-15",
        "YYYY-MM-DD",
    ),
    *(
        Column(f"plan_{code}", header, DATE, False, (f"{code} planned",), "", "YYYY-MM-DD")
        for code, (header, _m) in PLANNED.items()
    ),
)


def prepare(actor: Any) -> dict[str, Any]:
    return {"customers": dict(visible_customers(actor).values_list("code", "id"))}


def clean(row: Row, look: Any) -> dict[str, Any] | None:
    customer_id = look["customers"].get(row.values["customer"])
    if customer_id is None:
        row.fail("customer", _("Unknown customer code."))
        return None
    values = {k: v for k, v in row.values.items() if k != "customer"}
    ordered_on = values.get("ordered_on")
    if ordered_on and values["promised_date"] < ordered_on:
        row.fail("promised_date", _("The promised date lies before the order date."))
        return None
    return {**values, "customer_id": customer_id}


def key(v: dict[str, Any]) -> tuple:
    return (v["order_number"], v["part_number"])


def existing(look: Any, rows: Sequence[dict[str, Any]]) -> dict[int, str]:
    if not rows:
        return {}
    wanted = {key(r): i for i, r in enumerate(rows)}
    found: dict[int, str] = {}
    for number, part in Order.objects.filter(
        order_number__in={r["order_number"] for r in rows}
    ).values_list("order_number", "part_number"):
        position = wanted.get((number, part))
        if position is not None:
            found[position] = _("Order %(o)s / %(p)s is already on record.") % {
                "o": number,
                "p": part,
            }
    return found


def store(ctx: StoreContext, rows: list[dict[str, Any]]) -> Stored:
    already = existing(None, rows)
    rows = [r for i, r in enumerate(rows) if i not in already]
    orders = Order.objects.bulk_create(
        Order(
            customer_id=r["customer_id"],
            order_number=r["order_number"],
            part_number=r["part_number"],
            part_name=r.get("part_name") or "",
            quantity=r["quantity"],
            ordered_on=r.get("ordered_on"),
            promised_date=r["promised_date"],
            owner=ctx.actor,
            import_batch=ctx.job,
            created_by=ctx.actor,
            created_at=ctx.now,
        )
        for r in rows
    )
    if orders and orders[0].pk is None:  # a backend without RETURNING: read the rows back
        orders = list(Order.objects.filter(import_batch=ctx.job, pk__isnull=False))
    by_key = {(o.order_number, o.part_number): o for o in orders}
    milestones = [
        Milestone(order=by_key[key(r)], code=code, planned_date=r.get(f"plan_{code}"))
        for r in rows
        for code in MilestoneCode.values
    ]
    Milestone.objects.bulk_create(milestones)
    audit_create_many(actor=ctx.actor, objs=orders, reason=ctx.reason, at=ctx.now)
    return Stored(created=len(orders), skipped=len(already))


ORDERS = Kind(
    name="orders",
    label=gettext_lazy("Orders"),
    permission="order.import",
    columns=COLUMNS,
    clean=clean,
    store=store,
    prepare=prepare,
    key=key,
    key_field="order_number",
    existing=existing,
    max_rows=50_000,
    results_url=lambda job: reverse("presales:orders"),
)
