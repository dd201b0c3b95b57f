"""Import kind `service-records` (R-5.9.4): service records from XLSX or CSV with the Chinese
headers engineers use (日期, 服务人员, 客户编码, 配套厂家, 零件号, 车辆, 缺陷, 故障模式, 处理结果;
optional 数量, 里程). The rows are checked like a record entered in the form (the service
`_validate` rules: a past date, a defect, known failure mode and outcome, a positive
quantity) and stored in bulk with their numbers (by year of the service date) and audit
entries; a record already on file, or twice in the file, is refused (see core.importing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serviceloop.core import deadlines
from serviceloop.core.audit import audit_create_rows
from serviceloop.core.bulk import Table
from serviceloop.core.importing import (
    CHOICE,
    DATE,
    INTEGER,
    TEXT,
    ChoiceWords,
    Column,
    Kind,
    Row,
    StoreContext,
    Stored,
)
from serviceloop.core.models import User
from serviceloop.core.numbering import allocate_numbers
from serviceloop.core.permissions import has_role, visible_customers
from serviceloop.core.roles import RoleCode

from .models import FailureMode, Outcome, Part, ServiceRecord, Source
from .services._common import is_sales_side, local_noon
from .services.records import may_record_service

NUMBER_PREFIX = "FSR"
FAILURE_ALIASES = {
    FailureMode.LEAK: ["漏油", "渗油", "漏液"],
    FailureMode.NOISE: ["异响", "噪音", "异音"],
    FailureMode.FRACTURE: ["断裂", "折断"],
    FailureMode.NO_DAMPING: ["阻尼失效", "失效", "无阻尼", "减振失效"],
    FailureMode.WEAR: ["磨损"],
    FailureMode.DEFORMATION: ["变形", "弯曲"],
    FailureMode.CORROSION: ["锈蚀", "生锈", "腐蚀"],
    FailureMode.LOOSE: ["松动", "脱落"],
    FailureMode.APPEARANCE: ["外观缺陷", "外观", "磕碰", "划伤"],
    FailureMode.OTHER: ["其他", "其它"],
}
OUTCOME_ALIASES = {
    Outcome.REPAIRED: ["已修复", "修复", "维修", "已维修", "现场修复"],
    Outcome.REPLACED: ["已更换", "更换", "换件", "换新"],
    Outcome.RETURNED: ["退回", "退修", "退换", "退货", "返厂"],
    Outcome.ADJUSTED: ["调整", "已调整", "指导", "指导使用"],
    Outcome.PENDING: ["待处理", "处理中", "未处理"],
    Outcome.NOT_OURS: ["非我司责任", "非我司质量问题", "非本公司产品", "用户责任", "使用不当"],
}


def _max(name: str) -> int | None:
    return getattr(ServiceRecord._meta.get_field(name), "max_length", None)


COLUMNS = (
    Column(
        "service_date", "日期", DATE, True, ("date",), "2026-03-02", "YYYY-MM-DD", not_future=True
    ),
    Column("engineer", "服务人员", TEXT, True, ("engineer",), "eng1", "用户名或姓名"),
    Column("customer", "客户编码", TEXT, True, ("customer_code", "customer"), "C001"),
    Column(
        "oem",
        "配套厂家",
        TEXT,
        aliases=("oem",),
        example="华北重型汽车集团",
        max_length=_max("oem"),
    ),
    Column("part", "零件号", TEXT, True, ("part_number", "part"), "SA-1001"),
    Column(
        "vehicle",
        "车辆",
        TEXT,
        aliases=("vehicle",),
        example="HN1090 冀A12345",
        max_length=_max("vehicle"),
    ),
    Column("defect", "缺陷", TEXT, True, ("defect",), "减振器漏油", max_length=5000),
    Column(
        "failure_mode",
        "故障模式",
        CHOICE,
        True,
        ("failure_mode",),
        "漏油",
        choices=ChoiceWords(FailureMode, FAILURE_ALIASES),
    ),
    Column(
        "outcome",
        "处理结果",
        CHOICE,
        True,
        ("outcome",),
        "已更换",
        choices=ChoiceWords(Outcome, OUTCOME_ALIASES),
    ),
    Column(
        "quantity",
        "数量",
        INTEGER,
        aliases=("quantity",),
        example=1,
        min_value=1,
        max_value=100_000,
    ),
    Column(
        "mileage_km",
        "里程",
        INTEGER,
        aliases=("mileage_km",),
        example=8200,
        min_value=0,
        max_value=99_999_999,
    ),
)


def prepare(actor: Any) -> dict[str, Any]:
    """People (by username and by name), the customers the actor may see, the parts."""
    users = list(User.objects.filter(is_active=True))
    by_name: dict[str, list[User]] = defaultdict(list)
    for u in users:
        if u.display_name:
            by_name[u.display_name].append(u)
    return {
        "actor": actor,
        "anyone": actor is None or is_sales_side(actor) or has_role(actor, RoleCode.ADMIN),
        "by_username": {u.username.lower(): u for u in users},
        "by_name": by_name,
        "customers": dict(visible_customers(actor).values_list("code", "id")),
        "parts": {p.part_number: p for p in Part.objects.all()},
    }


def clean(row: Row, look: dict[str, Any]) -> dict[str, Any] | None:
    v = row.values
    who, person = v["engineer"], None
    if who:
        person = look["by_username"].get(who.lower())
        if person is None:
            named = look["by_name"].get(who, [])
            if len(named) > 1:
                row.fail("engineer", _("Several users are called %s; use the username.") % who)
            elif not named:
                row.fail("engineer", _("Unknown service person %s.") % who)
            else:
                person = named[0]
    if person is not None:
        if not may_record_service(person):
            row.fail("engineer", _("%s is neither a service engineer nor an agent.") % who)
        elif person.pk != getattr(look["actor"], "pk", None) and not look["anyone"]:
            row.fail("engineer", _("You can only import your own service records."))
    customer_id = look["customers"].get(v["customer"]) if v["customer"] else None
    if v["customer"] and customer_id is None:
        row.fail("customer", _("Unknown customer code %s.") % v["customer"])
    part = look["parts"].get(v["part"]) if v["part"] else None
    if v["part"] and part is None:
        row.fail("part", _("Unknown part number %s.") % v["part"])
    elif part is not None and not part.is_active:
        row.fail("part", _("Part %s is no longer active.") % v["part"])
    if row.errors:
        return None
    assert person is not None and part is not None
    return {
        "service_date": v["service_date"],
        "engineer_id": person.pk,
        "customer_id": customer_id,
        "part_id": part.pk,
        "oem": v["oem"] or "",
        "vehicle": v["vehicle"] or "",
        "defect": v["defect"],
        "failure_mode": v["failure_mode"],
        "outcome": v["outcome"],
        "quantity": v["quantity"] or 1,
        "mileage_km": v["mileage_km"],
    }


KEY = ("engineer_id", "service_date", "customer_id", "part_id", "vehicle", "defect")


def key(kept: dict[str, Any]) -> tuple:
    return tuple(kept[k] for k in KEY)


def existing(look: Any, rows: Sequence[dict[str, Any]]) -> dict[int, str]:
    """Rows recorded already (the same engineer, day, customer, part, vehicle and defect):
    importing a file twice must not double the records."""
    if not rows:
        return {}
    wanted = {key(r): i for i, r in enumerate(rows)}
    days = [r["service_date"] for r in rows]
    found: dict[int, str] = {}
    for *values, number in ServiceRecord.objects.filter(
        engineer_id__in={r["engineer_id"] for r in rows},
        service_date__gte=min(days),
        service_date__lte=max(days),
    ).values_list(*KEY, "number"):
        position = wanted.get(tuple(values))
        if position is not None:
            found[position] = _("Already recorded as %s.") % number
    return found


def store(ctx: StoreContext, rows: list[dict[str, Any]]) -> Stored:
    already = existing(None, rows)
    rows = [r for i, r in enumerate(rows) if i not in already]
    table = Table.of(ServiceRecord)
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_year[r["service_date"].year].append(r)
    actor_id = ctx.actor.pk if ctx.actor is not None else None
    records = []
    for _year, group in sorted(by_year.items()):
        numbers = allocate_numbers(NUMBER_PREFIX, len(group), local_noon(group[0]["service_date"]))
        for r, number in zip(group, numbers, strict=True):
            records.append(
                {
                    **r,
                    "number": number,
                    "week_start": deadlines.week_start(r["service_date"]),
                    "source": Source.IMPORT.value,
                    "created_by_id": actor_id,
                    "created_at": ctx.now,
                    "import_batch_id": ctx.job.pk,
                }
            )
    records = table.rows(records, ctx.now)
    ids = table.insert(records)
    parts = {p.pk: p for p in ctx.lookups["parts"].values()}
    audit_create_rows(
        actor=ctx.actor,
        table=table,
        rows=records,
        ids=ids,
        reason=ctx.reason,
        at=ctx.now,
        related=lambda r: {"part": parts.get(r["part_id"])},
    )
    return Stored(created=len(ids), skipped=len(already))


SERVICE_RECORDS = Kind(
    name="service-records",
    label=gettext_lazy("Service records"),
    permission="record.import",
    columns=COLUMNS,
    clean=clean,
    store=store,
    prepare=prepare,
    key=key,
    key_field="defect",
    existing=existing,
    max_rows=10_000,
    data_source="service_records",
    results_url=lambda job: reverse("fieldservice:record_list"),
)
