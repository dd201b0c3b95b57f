"""Import kind `warranty-claims` (R-5.6): claims from XLSX / CSV with Chinese headers.

Each row is normalised exactly like a claim entered in the form or the API
(`deciding.make_inputs`) and decided by the same rule (`deciding.run_rule`), so a claim gets
the same decision whichever way it arrives. The check keeps each valid row as the claim's
field values with its decision; the store numbers a chunk of claims in one block, inserts
them, their first decision record and one audit entry each (every claim's own history says
it was imported, by whom and with which import) — see core.importing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serviceloop.core.audit import actor_label, audit_create_rows
from serviceloop.core.bulk import Table
from serviceloop.core.importing import (
    BOOL,
    DATE,
    DECIMAL,
    MONTH,
    RAW,
    TEXT,
    Column,
    Kind,
    Row,
    StoreContext,
    Stored,
)
from serviceloop.core.importing.cells import norm, text
from serviceloop.core.numbering import allocate_numbers
from serviceloop.core.permissions import visible_customers

from .domain import rules
from .models import Decision, WarrantyClaim, WarrantyDecisionRecord
from .services import deciding
from .services.claims import NUMBER_PREFIX

SHEET_NAME = "三包索赔"
MAX_COST = Decimal("9999999999.99")


def _max(name: str) -> int:
    return getattr(WarrantyClaim._meta.get_field(name), "max_length", None) or 5000


def _text(field: str, header: str, aliases: tuple[str, ...], example: str = "") -> Column:
    return Column(field, header, TEXT, aliases=aliases, example=example, max_length=_max(field))


def _cost(field: str, header: str, aliases: tuple[str, ...], example: str) -> Column:
    return Column(
        field,
        header,
        DECIMAL,
        aliases=aliases,
        example=example,
        min_value=0,
        max_value=MAX_COST,
        places=2,
    )


COLUMNS: tuple[Column, ...] = (
    Column(
        "customer",
        "客户编码",
        TEXT,
        True,
        ("客户代码", "customer", "customer code"),
        "C001",
        max_length=40,
    ),
    Column(
        "purchase_date",
        "购买日期",
        DATE,
        aliases=("purchase date",),
        example="2025-03-10",
        help="YYYY-MM-DD",
    ),
    Column("failure_date", "故障日期", DATE, True, ("failure date",), "2025-09-01", "YYYY-MM-DD"),
    Column(
        "mileage_km",
        "行驶里程(km)",
        DECIMAL,
        aliases=("行驶里程", "里程", "里程(km)", "mileage", "mileage (km)", "mileage_km"),
        example="12000",
        max_value=deciding.MAX_KM,
    ),
    Column(
        "findings",
        "检验结论",
        RAW,
        aliases=("检验结果", "findings", "inspection findings"),
        example="制造缺陷影响正常使用",
        help="; 或 、 分隔",
    ),
    Column(
        "repairable",
        "可否修复",
        BOOL,
        aliases=("能否修复", "repairable"),
        example="是",
        help="是 / 否 / 空",
    ),
    _text("part_number", "零件号", ("零件编号", "part number"), "SA-2041"),
    _text("part_name", "零件名称", ("part name",), "前减振器"),
    _text("serial_number", "序列号", ("serial", "serial number"), "SA2041-250301-0001"),
    _text("lot", "批次号", ("批号", "lot"), "L2503-07"),
    Column(
        "build_month",
        "生产月份",
        MONTH,
        aliases=("production month", "build month"),
        example="2025-02",
    ),
    _text("oem", "配套厂家", ("oem",), "长江汽车股份有限公司"),
    Column("vehicle", "车辆", RAW, aliases=("vehicle", "vin / model"), in_template=False),
    _text("vin", "车辆识别号(VIN)", ("vin", "车架号"), "LZZ1CCND5PA123456"),
    _text("vehicle_model", "车型", ("vehicle model",), "ZZ4257"),
    _text("failure_mode", "故障模式", ("failure mode",), "漏油"),
    _text("description", "故障描述", ("description",), "行驶中异响,拆检发现油封漏油"),
    _cost("cost_parts", "配件费", ("parts cost", "cost_parts"), "320.00"),
    _cost("cost_labour", "工时费", ("labour cost", "cost_labour"), "80.00"),
    _cost("cost_travel", "差旅费", ("travel cost", "cost_travel"), "0"),
    _text("replacement_serial", "更换件序列号", ("replacement serial",)),
    Column(
        "reported_on",
        "报修日期",
        DATE,
        aliases=("reported on",),
        example="2025-09-02",
        help="YYYY-MM-DD",
    ),
)
TEXT_FIELDS = tuple(c.field for c in COLUMNS if c.type == TEXT and c.field != "customer")
COST_FIELDS = ("cost_parts", "cost_labour", "cost_travel")
NO_OVERRIDE = (
    "override_decision",
    "override_remedy",
    "override_reason",
    "overridden_at",
    "overridden_by_id",
)

# Finding codes, their labels in both languages, and short forms people write.
FINDING_WORDS: dict[str, str] = {}
for _code in rules.Finding:
    _zh, _en = rules.REASON_LABELS[_code]
    for _word in (_code.value, _zh, _en):
        FINDING_WORDS[norm(_word)] = _code.value
for _word, _code in {
    "材料不合格": rules.Finding.MATERIAL_NONCONFORMITY,
    "材料不符": rules.Finding.MATERIAL_NONCONFORMITY,
    "材料缺陷": rules.Finding.MATERIAL_NONCONFORMITY,
    "制造缺陷": rules.Finding.MANUFACTURING_DEFECT,
    "制造质量问题": rules.Finding.MANUFACTURING_DEFECT,
    "安装不当": rules.Finding.IMPROPER_INSTALLATION,
    "未按说明书安装": rules.Finding.IMPROPER_INSTALLATION,
    "使用不当": rules.Finding.IMPROPER_USE,
    "改装": rules.Finding.MODIFICATION,
    "改装损坏": rules.Finding.MODIFICATION,
    "拆卸不当": rules.Finding.IMPROPER_DISASSEMBLY,
    "非本公司产品": rules.Finding.ORIGIN_UNPROVEN,
    "来源不明": rules.Finding.ORIGIN_UNPROVEN,
    "保管不善": rules.Finding.APPEARANCE_POOR_CARE,
    "外观缺陷": rules.Finding.APPEARANCE_POOR_CARE,
    "非原厂零件": rules.Finding.NON_ORIGINAL_PARTS,
    "非原厂件": rules.Finding.NON_ORIGINAL_PARTS,
}.items():
    FINDING_WORDS[norm(_word)] = _code.value
FINDING_SPLIT = re.compile(r"[;；、,，/\n]+")
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")


def parse_findings(value: Any) -> tuple[list[str], list[str]]:
    """(codes, unknown words) from "制造缺陷;改装" or "manufacturing_defect、modification"."""
    codes: list[str] = []
    unknown: list[str] = []
    if value is None:
        return codes, unknown
    for word in FINDING_SPLIT.split(text(value)):
        word = word.strip()
        if not word:
            continue
        code = FINDING_WORDS.get(norm(word))
        if code:
            codes.append(code)
        else:
            unknown.append(word)
    return codes, unknown


def split_vehicle(value: Any) -> tuple[str, str]:
    """ "LZZ1CCND5PA123456 / ZZ4257" -> (VIN, model); a lone VIN or a lone model works too."""
    vin, model = "", []
    for token in re.split(r"[\s/|]+", text(value)):
        if not token:
            continue
        if not vin and VIN_RE.match(token.upper()):
            vin = token.upper()
        else:
            model.append(token)
    return vin, " ".join(model)


# --- the kind ----------------------------------------------------------------------------------


def prepare(actor: Any) -> dict[str, Any]:
    """Customer code -> id of the customers the actor may see, and their agreements."""
    from serviceloop.customers.models import Customer, ServiceAgreement

    qs = visible_customers(actor) if actor is not None else Customer.objects.all()
    codes = dict(qs.values_list("code", "id"))
    agreements: dict[int, list[Any]] = defaultdict(list)
    for row in ServiceAgreement.objects.filter(customer_id__in=codes.values()).values(
        "id", "customer_id", "reference", "valid_from", "valid_to", "warranty_months", "warranty_km"
    ):
        agreements[row["customer_id"]].append(row)
    return {"customers": codes, "agreements": agreements}


def clean(row: Row, lookups: dict[str, Any]) -> dict[str, Any] | None:
    """A row -> the claim's field values with the rule's decision (see deciding)."""
    v = row.values
    customer_id = None
    if v["customer"] is not None:
        customer_id = lookups["customers"].get(v["customer"])
        if customer_id is None:
            row.fail("customer", _("Unknown customer code."))
    codes, unknown = parse_findings(v["findings"])
    if unknown:
        row.fail(
            "findings",
            _("Unknown finding %(words)s. Use the codes or the labels listed in the template.")
            % {"words": "、".join(unknown)},
        )
    details = {name: v[name] for name in TEXT_FIELDS if v[name]}
    if v["vehicle"] is not None:
        vin, model = split_vehicle(v["vehicle"])
        if vin and not details.get("vin"):
            details["vin"] = vin
        if model and not details.get("vehicle_model"):
            details["vehicle_model"] = model[: _max("vehicle_model")]
    costs = {name: v[name] for name in COST_FIELDS}
    inputs, errors = deciding.make_inputs(
        purchase_date=v["purchase_date"],
        failure_date=v["failure_date"],
        mileage_km=v["mileage_km"],
        findings=codes,
        repairable=v["repairable"],
    )
    for name, message in errors.items():
        if not row.failed(name):
            row.fail(name, message)
    month = v["build_month"]
    if month and inputs.failure_date and month > inputs.failure_date.strftime("%Y-%m"):
        row.fail("build_month", _("The part cannot be produced after it failed."))
    if row.errors or customer_id is None:
        return None
    try:
        result, agreement = deciding.run_rule(inputs, lookups["agreements"].get(customer_id, ()))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            row.fail(name if name in row.header.written else "customer", " ".join(messages))
        return None
    claim = deciding.rule_values(inputs, result, agreement, None)  # decided_at: when stored
    for name in NO_OVERRIDE:  # a new claim: the defaults (kept rows stay small)
        del claim[name]
    claim.update(details)
    claim.update(
        customer_id=customer_id,
        build_month=month or "",
        cost_total=sum((c for c in costs.values() if c is not None), start=Decimal("0.00")),
        status=deciding.status_for(result.decision.value).value,
        **{name: cost for name, cost in costs.items() if cost is not None},
    )
    if v["reported_on"] is not None:  # else the model's default: the day it is stored
        claim["reported_on"] = v["reported_on"]
    record = deciding.rule_record_values(
        customer_id=customer_id,
        inputs=inputs,
        result=result,
        agreement=agreement,
        result_dict=claim["rule_result"],
    )
    record["reasons"] = claim["reasons"]  # the same list: kept once in the checked rows
    return {"claim": claim, "record": record}


def key(kept: dict[str, Any]) -> tuple | None:
    claim = kept["claim"]
    serial = claim.get("serial_number")
    return (claim["customer_id"], serial, claim["failure_date"]) if serial else None


def existing(lookups: Any, rows: Sequence[dict[str, Any]]) -> dict[int, str]:
    """Rows whose part (customer + serial) already has a claim for the same failure day."""
    wanted: dict[tuple, int] = {}
    for i, r in enumerate(rows):
        k = key(r)
        if k is not None:
            wanted[k] = i
    serials = sorted({k[1] for k in wanted})
    found: dict[int, str] = {}
    for start in range(0, len(serials), 500):
        for cust, serial, failed, number in WarrantyClaim.objects.filter(
            serial_number__in=serials[start : start + 500]
        ).values_list("customer_id", "serial_number", "failure_date", "number"):
            position = wanted.get((cust, serial, failed))
            if position is not None:
                found[position] = _(
                    "This part already has a claim for a failure on the same day: %(number)s."
                ) % {"number": number}
    return found


def store(ctx: StoreContext, rows: list[dict[str, Any]]) -> Stored:
    """Number, insert and audit a chunk of checked claims (inside the engine's transaction).
    A claim entered meanwhile for the same part and day is left out (idempotent re-runs)."""
    already = existing(None, rows)
    rows = [r for i, r in enumerate(rows) if i not in already]
    if not rows:
        return Stored(skipped=len(already))
    claims_table, records_table = Table.of(WarrantyClaim), Table.of(WarrantyDecisionRecord)
    now, actor = ctx.now, ctx.actor
    actor_id = actor.pk if actor is not None else None
    label = actor_label(actor)
    numbers = allocate_numbers(NUMBER_PREFIX, len(rows), now)
    claims = claims_table.rows(
        [
            {
                **r["claim"],
                "number": number,
                "decided_at": now,
                "created_at": now,
                "created_by_id": actor_id,
                "import_batch_id": ctx.job.pk,
            }
            for r, number in zip(rows, numbers, strict=True)
        ],
        now,
    )
    ids = claims_table.insert(claims)
    records_table.insert(
        records_table.rows(
            [
                {
                    **r["record"],
                    "claim_id": pk,
                    "seq": 1,
                    "note": ctx.reason,
                    "decided_at": now,
                    "decided_by_id": actor_id,
                    "actor_label": label,
                }
                for r, pk in zip(rows, ids, strict=True)
            ],
            now,
        ),
        returning=False,
    )
    audit_create_rows(
        actor=actor, table=claims_table, rows=claims, ids=ids, reason=ctx.reason, at=now
    )
    notes = {} if "first_number" in ctx.job.summary else {"first_number": numbers[0]}
    notes["last_number"] = numbers[-1]
    return Stored(created=len(ids), skipped=len(already), notes=notes)


def _guide() -> list[list[Any]]:
    lines: list[list[Any]] = [["检验结论代码", "中文", "English"]]
    for code in deciding.FINDING_ORDER:
        zh, en = rules.REASON_LABELS[code]
        lines.append([code, zh, en])
    return lines


CLAIMS = Kind(
    name="warranty-claims",
    label=gettext_lazy("Warranty claims"),
    permission="warranty.import",
    columns=COLUMNS,
    clean=clean,
    store=store,
    prepare=prepare,
    sheet=SHEET_NAME,
    key=key,
    key_field="serial_number",
    existing=existing,
    tally=lambda kept: kept["claim"]["decision"],
    labels={
        **{d.value: d.label for d in Decision},
        "first_number": gettext_lazy("first claim"),
        "last_number": gettext_lazy("last claim"),
    },
    example_rows=(
        {
            "purchase_date": "",
            "findings": "改装;使用不当",
            "repairable": "否",
            "serial_number": "SA2041-250301-0002",
            "failure_mode": "活塞杆断裂",
        },
    ),
    guide=_guide,
    data_source="warranty_claims",
    results_url=lambda job: reverse("warranty:list") + f"?import_batch={job.pk}",
)
