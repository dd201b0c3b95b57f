"""Import kinds of the early-warning input data (R-5.4.3): `production-volumes`,
`purchase-volumes` and `surveys`, from XLSX or CSV with Chinese headers (see core.importing).

Volumes are kept once per part and build month (per customer and month): importing the
same month again updates it in place, and a row that changes nothing is counted as already
on record. A survey response already on record (every field the same) is not added twice.
Every stored or changed record gets its audit entry; after the store the engine announces
the data (core.signals.field_data_imported), which schedules an analysis run.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serviceloop.core.audit import audit_many, snapshot
from serviceloop.core.importing import (
    CHOICE,
    DATE,
    DECIMAL,
    INTEGER,
    MONTH,
    TEXT,
    Column,
    Kind,
    Row,
    StoreContext,
    Stored,
)
from serviceloop.core.importing.cells import norm
from serviceloop.core.permissions import visible_customers

from .models import ProductionVolume, PurchaseVolume, SurveyResponse

MAX_QUANTITY = 1_000_000_000
MAX_AMOUNT = Decimal("999999999999.99")


def _quantity(aliases: tuple[str, ...]) -> Column:
    return Column(
        "quantity",
        "数量",
        INTEGER,
        True,
        aliases,
        "1520",
        "整数,≥ 0",
        min_value=0,
        max_value=MAX_QUANTITY,
    )


PRODUCTION_COLUMNS = (
    Column(
        "part_number",
        "零件号",
        TEXT,
        True,
        ("零件编号", "图号", "part number"),
        "SA-2041",
        max_length=60,
    ),
    Column(
        "part_name",
        "零件名称",
        TEXT,
        aliases=("名称", "part name"),
        example="前减振器",
        max_length=200,
    ),
    Column(
        "build_month",
        "生产月份",
        MONTH,
        True,
        ("生产年月", "月份", "build month"),
        "2025-03",
        "YYYY-MM",
        not_future=True,
    ),
    _quantity(("生产数量", "发货数量", "产量", "quantity", "units")),
    Column("notes", "备注", TEXT, aliases=("说明", "notes"), max_length=300),
)
PURCHASE_COLUMNS = (
    Column("customer", "客户编码", TEXT, True, ("客户代码", "customer", "customer code"), "C001"),
    Column(
        "month",
        "月份",
        MONTH,
        True,
        ("采购月份", "年月", "month"),
        "2025-03",
        "YYYY-MM",
        not_future=True,
    ),
    _quantity(("采购数量", "quantity")),
    Column(
        "amount",
        "金额",
        DECIMAL,
        aliases=("采购金额", "金额(元)", "amount"),
        example="57600.00",
        help="元,≥ 0",
        min_value=0,
        max_value=MAX_AMOUNT,
        places=2,
    ),
)
SURVEY_KINDS = {
    norm(word): kind
    for kind, words in {
        "customer_satisfaction": ("customer_satisfaction", "客户满意度", "顾客满意度", "满意度"),
        "end_user": ("end_user", "最终用户", "终端用户", "最终用户调查"),
    }.items()
    for word in words
}
SURVEY_COLUMNS = (
    Column(
        "kind",
        "调查类型",
        CHOICE,
        True,
        ("类型", "survey", "kind"),
        "客户满意度",
        "客户满意度 / 最终用户",
        choices=SURVEY_KINDS,
        choice_message=gettext_lazy(
            "Write 客户满意度 (customer satisfaction) or 最终用户 (end user)."
        ),
    ),
    Column(
        "customer",
        "客户编码",
        TEXT,
        aliases=("客户代码", "customer", "customer code"),
        example="C001",
        help="客户满意度调查必填",
    ),
    Column(
        "date",
        "调查日期",
        DATE,
        True,
        ("日期", "date"),
        "2025-03-15",
        "YYYY-MM-DD",
        not_future=True,
    ),
    Column(
        "score",
        "分数",
        DECIMAL,
        True,
        ("得分", "评分", "score"),
        "86",
        "0-100,或 1-5(见量表)",
        min_value=0,
        max_value=100,
        places=2,
    ),
    Column(
        "scale",
        "量表",
        CHOICE,
        aliases=("满分", "scale"),
        example="100",
        help="100 或 5,空 = 100",
        choices={"100": "100", "百分制": "100", "5": "5", "5分制": "5", "五分制": "5"},
        choice_message=gettext_lazy("Write 100 or 5."),
    ),
    Column(
        "respondent",
        "受访人",
        TEXT,
        aliases=("被调查人", "respondent"),
        example="赵明",
        max_length=100,
    ),
    Column("comments", "意见", TEXT, aliases=("意见建议", "备注", "comments"), max_length=5000),
)


def customers(actor: Any) -> dict[str, dict[str, int]]:
    return {"customers": dict(visible_customers(actor).values_list("code", "id"))}


def _customer(row: Row, look: dict[str, Any], *, required: bool) -> int | None:
    code = row.values["customer"]
    if code is None:
        if required:
            row.fail("customer", _("This cell is required."))
        return None
    pk = look["customers"].get(code) or look["customers"].get(code.upper())
    if pk is None:
        row.fail("customer", _("Unknown customer code."))
    return pk


def clean_production(row: Row, look: Any) -> dict[str, Any] | None:
    v = row.values
    return {k: v[k] or "" if k in ("part_name", "notes") else v[k] for k in v}


def clean_purchase(row: Row, look: dict[str, Any]) -> dict[str, Any] | None:
    v = row.values
    customer_id = _customer(row, look, required=True)
    return {
        "customer_id": customer_id,
        "month": v["month"],
        "quantity": v["quantity"],
        "amount": v["amount"],
    }


def convert_score(raw: Decimal, scale: int) -> Decimal:
    """A 1-5 answer on the 0-100 scale: 1 -> 0, 3 -> 50, 5 -> 100."""
    if scale == 5:
        return ((raw - 1) * 25).quantize(Decimal("0.01"))
    return raw.quantize(Decimal("0.01"))


def clean_survey(row: Row, look: dict[str, Any]) -> dict[str, Any] | None:
    v = row.values
    customer_id = _customer(row, look, required=v["kind"] == "customer_satisfaction")
    scale = int(v["scale"] or 100)
    score = v["score"]
    if score is not None and scale == 5 and not 1 <= score <= 5:
        row.fail("score", _("Must be between %(low)s and %(high)s.") % {"low": 1, "high": 5})
    return {
        "kind": v["kind"],
        "customer_id": customer_id,
        "date": v["date"],
        "raw_score": score,
        "scale": scale,
        "score": None if score is None else convert_score(score, scale),
        "respondent": v["respondent"] or "",
        "comments": v["comments"] or "",
    }


# --- store -------------------------------------------------------------------------------------


def _upsert(
    ctx: StoreContext,
    model: Any,
    key: tuple[str, ...],
    rows: list[dict[str, Any]],
    keep_blank: tuple[str, ...],
) -> Stored:
    """New records are created; one already there for the key is updated where the row
    differs (a blank optional cell keeps what is on record) or left alone."""
    first = key[0]
    on_record = {
        tuple(getattr(r, k) for k in key): r
        for r in model.objects.filter(**{f"{first}__in": {row[first] for row in rows}})
    }
    new, changed, unchanged = [], [], 0
    for row in rows:
        current = on_record.get(tuple(row[k] for k in key))
        if current is None:
            new.append(model(**row, import_batch=ctx.job, created_by=ctx.actor, created_at=ctx.now))
            continue
        values = {
            k: v
            for k, v in row.items()
            if k not in key and not (k in keep_blank and v in ("", None))
        }
        if all(getattr(current, k) == v for k, v in values.items()):
            unchanged += 1
            continue
        before = snapshot(current)
        for k, v in values.items():
            setattr(current, k, v)
        current.import_batch, current.updated_at = ctx.job, ctx.now
        changed.append((current, before))
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        fields = sorted(
            {k for row in rows for k in row if k not in key} | {"import_batch", "updated_at"}
        )
        model.objects.bulk_update([c for c, _ in changed], fields, batch_size=500)
    audit_many(actor=ctx.actor, created=new, updated=changed, reason=ctx.reason, at=ctx.now)
    return Stored(created=len(new), updated=len(changed), skipped=unchanged)


def store_production(ctx: StoreContext, rows: list[dict[str, Any]]) -> Stored:
    return _upsert(
        ctx, ProductionVolume, ("part_number", "build_month"), rows, ("part_name", "notes")
    )


def store_purchase(ctx: StoreContext, rows: list[dict[str, Any]]) -> Stored:
    return _upsert(ctx, PurchaseVolume, ("customer_id", "month"), rows, ("amount",))


SURVEY_FIELDS = ("kind", "customer_id", "date", "raw_score", "scale", "respondent", "comments")


def _survey_key(values: Any) -> tuple:
    kind, customer, day, raw, scale, respondent, comments = values
    return (kind, customer, day, f"{raw:.2f}", int(scale), respondent, comments)


def store_survey(ctx: StoreContext, rows: list[dict[str, Any]]) -> Stored:
    """A response with every field as one on record (not from this import) is that one."""
    days = [r["date"] for r in rows]
    on_record = ctx.cache.setdefault("surveys", Counter())
    seen = ctx.cache.setdefault("survey_days", set())
    for day in set(days) - seen:  # each day's responses once per run, however chunked
        on_record.update(
            _survey_key(values)
            for values in SurveyResponse.objects.filter(date=day)
            .exclude(import_batch=ctx.job)
            .values_list(*SURVEY_FIELDS)
        )
        seen.add(day)
    new, unchanged = [], 0
    for r in rows:
        key = _survey_key([r[k] for k in SURVEY_FIELDS])
        if on_record[key] > 0:
            on_record[key] -= 1
            unchanged += 1
            continue
        new.append(
            SurveyResponse(**r, import_batch=ctx.job, created_by=ctx.actor, created_at=ctx.now)
        )
    SurveyResponse.objects.bulk_create(new, batch_size=500)
    audit_many(actor=ctx.actor, created=new, reason=ctx.reason, at=ctx.now)
    return Stored(created=len(new), skipped=unchanged)


def _list(name: str) -> Any:
    return lambda job: reverse(f"earlywarning:{name}")


PRODUCTION = Kind(
    name="production-volumes",
    label=gettext_lazy("Production volumes"),
    permission="ew.data",
    view_permission="ew.view",
    columns=PRODUCTION_COLUMNS,
    clean=clean_production,
    store=store_production,
    sheet="生产数量",
    key=lambda v: (v["part_number"], v["build_month"]),
    key_field="build_month",
    data_source="production_volumes",
    results_url=_list("production_list"),
)
PURCHASES = Kind(
    name="purchase-volumes",
    label=gettext_lazy("Purchase volumes"),
    permission="ew.data",
    view_permission="ew.view",
    columns=PURCHASE_COLUMNS,
    clean=clean_purchase,
    store=store_purchase,
    prepare=customers,
    sheet="客户采购量",
    key=lambda v: (v["customer_id"], v["month"]),
    key_field="month",
    data_source="purchase_volumes",
    results_url=_list("purchase_list"),
)
SURVEYS = Kind(
    name="surveys",
    label=gettext_lazy("Survey responses"),
    permission="ew.data",
    view_permission="ew.view",
    columns=SURVEY_COLUMNS,
    clean=clean_survey,
    store=store_survey,
    prepare=customers,
    sheet="调查问卷",
    data_source="survey_responses",
    results_url=_list("survey_list"),
)
KINDS = (PRODUCTION, PURCHASES, SURVEYS)
