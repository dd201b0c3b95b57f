"""Import of orders from the ERP's XLSX/CSV export (R-5.2.1) through the one importing
engine (docs/importing.md): one row per order line (the rows of one order number become its
lines), milestones' planned dates optional; the export writes the same shape."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serviceloop.core.audit import audit_create_many
from serviceloop.core.importing import DATE, INTEGER, TEXT, Column, Kind, Row, StoreContext, Stored
from serviceloop.core.permissions import visible_customers

from .models import Milestone, MilestoneCode, Order, OrderLine

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
    """One row per order line: a customer's order number and the part."""
    return (v["customer_id"], v["order_number"], v["part_number"])


def existing(look: Any, rows: Sequence[dict[str, Any]]) -> dict[int, str]:
    if not rows:
        return {}
    wanted = {key(r): i for i, r in enumerate(rows)}
    found: dict[int, str] = {}
    for customer_id, number, part in OrderLine.objects.filter(
        order__order_number__in={r["order_number"] for r in rows}
    ).values_list("order__customer_id", "order__order_number", "part_number"):
        position = wanted.get((customer_id, number, part))
        if position is not None:
            found[position] = _("Order %(o)s / %(p)s is already on record.") % {
                "o": number,
                "p": part,
            }
    return found


def store(ctx: StoreContext, rows: list[dict[str, Any]]) -> Stored:
    """The rows of one order (customer + order number) become its lines; an order already on
    record gets the new parts as further lines. The promised date of a new order is its
    earliest line's; its milestones' plan comes from its first row."""
    already = existing(None, rows)
    rows = [r for i, r in enumerate(rows) if i not in already]
    groups: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["customer_id"], r["order_number"])].append(r)
    known = {
        (o.customer_id, o.order_number): o
        for o in Order.objects.filter(order_number__in={n for _c, n in groups})
    }
    new_keys = [k for k in groups if k not in known]
    orders = Order.objects.bulk_create(
        Order(
            customer_id=k[0],
            order_number=k[1],
            ordered_on=next((r["ordered_on"] for r in groups[k] if r.get("ordered_on")), None),
            promised_date=min(r["promised_date"] for r in groups[k]),
            owner=ctx.actor,
            import_batch=ctx.job,
            created_by=ctx.actor,
            created_at=ctx.now,
        )
        for k in new_keys
    )
    if orders and orders[0].pk is None:  # a backend without RETURNING: read the rows back
        orders = list(Order.objects.filter(import_batch=ctx.job, pk__isnull=False))
    created = {(o.customer_id, o.order_number): o for o in orders if o.import_batch_id}
    Milestone.objects.bulk_create(
        Milestone(order=created[k], code=code, planned_date=groups[k][0].get(f"plan_{code}"))
        for k in new_keys
        if k in created
        for code in MilestoneCode.values
    )
    last = dict(
        OrderLine.objects.filter(order__in=list(known.values()))
        .values_list("order_id")
        .annotate(top=Max("position"))
    )
    lines = []
    for k, group in groups.items():
        order = known.get(k) or created[k]
        start = last.get(order.pk, 0)
        lines += [
            OrderLine(
                order=order,
                position=start + n,
                part_number=r["part_number"],
                description=r.get("part_name") or "",
                quantity=r["quantity"],
                due_date=r["promised_date"],
            )
            for n, r in enumerate(group, start=1)
        ]
    lines = OrderLine.objects.bulk_create(lines)
    audit_create_many(actor=ctx.actor, objs=orders, reason=ctx.reason, at=ctx.now)
    if lines and lines[0].pk is not None:
        audit_create_many(actor=ctx.actor, objs=lines, reason=ctx.reason, at=ctx.now)
    return Stored(created=len(lines), skipped=len(already))


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
