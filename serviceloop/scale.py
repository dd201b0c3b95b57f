"""A large company, fast (issue 15): `serviceloop demo --scale S` and `benchmarks/load_company.py`.

Scale 1 is the issue's target size: 10,000 customers, 1,000,000 communications, 1,000,000
warranty claims (each with its rule decision record) and 300,000 complaints, each with its
8D report (nine disciplines and the leader on the team). `--scale 0.01` is one per cent.

The records are real (with the production volumes of the five parts, for the early
warning): numbered by `core.numbering` (a block per chunk and year, gap-free), written with
`core.bulk` (COPY on PostgreSQL), and given one hash-chained CREATE entry each
by `core.audit` batch appends — the same entries the services and imports write. As in the
services, an 8D's nine disciplines and its team row have no entry of their own (`open_report`
bulk-creates them with the report). Nothing else is generated at scale: no routings, no
notifications, no letters, no 8D tasks. The entries are attributed to the system
("demo_scale"), not to the people named on the records: the loader wrote them.

Each chunk is one transaction (numbers, rows and their audit entries together; the entries
last, after the rows' foreign keys are checked, as the chain's lock is held to the commit).
`load(parallel=True)` (PostgreSQL) loads the three kinds in three processes at once. Two years of
history end now; open work sits in the recent weeks, the older records are closed.
"""

from __future__ import annotations

import functools
import random
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from serviceloop import demo
from serviceloop.core.audit import audit_create_rows
from serviceloop.core.bulk import Table
from serviceloop.core.deadlines import feedback_due, first_answer_due
from serviceloop.core.models import Agent, User
from serviceloop.core.numbering import allocate_numbers
from serviceloop.warranty import demo as warranty_demo

FULL = {
    "customers": 10_000,
    "communications": 1_000_000,
    "claims": 1_000_000,
    "complaints": 300_000,
}
SYSTEM = "demo_scale"
REASON = "demo --scale"
HISTORY_DAYS = 730
CHUNK = 5_000

TIERS = [("oem_tier1", 0.05), ("oem_tier2", 0.15), ("retail_key", 0.2), ("retail", 0.6)]
# The demo's eight places and two more: a national supplier's customers.
PLACES = [*demo.PLACES, ("浙江", "杭州"), ("陕西", "西安")]
WORDS = ["华通", "恒达", "宏远", "鑫源", "顺达", "长城", "东风", "金桥", "瑞丰", "联合", "新世纪"]
SUFFIX = {
    "oem_tier1": "汽车集团",
    "oem_tier2": "专用车有限公司",
    "retail_key": "物流车队",
    "retail": "汽修厂",
}
SUBJECTS = [
    ("减振器异响", "客户反映车辆在颠簸路面行驶时减振器有异响,要求派人检查。"),
    ("到货数量不符", "本批到货比送货单少 20 件,请核实。"),
    ("漏油", "三台车的减振器出现漏油现象,行驶里程约 8000 km。"),
    ("索取技术资料", "客户需要新型号的安装说明和扭矩参数。"),
    ("交货期询问", "询问下月订单的交货进度。"),
    ("包装破损", "运输途中包装破损,部分产品外观磕碰。"),
    ("三包索赔咨询", "用户咨询购买 10 个月后出现故障是否在三包期内。"),
    ("产品断裂", "一件连杆在使用中断裂,要求分析原因。"),
]
PARTS = warranty_demo.PARTS  # the demo's parts and failure modes
FINDINGS = [
    ["manufacturing_defect"],
    ["material_nonconformity"],
    ["manufacturing_defect", "improper_use"],
    ["modification"],
]
MODELS = ["ZZ4257", "DFH4180", "CA4250", "BJ1049", "SX4250", "HFC1041"]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


@dataclass
class Loaded:
    """What a load made: rows per table and seconds per kind of record."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    audit_entries: int = 0

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n

    def merge(self, other: Loaded) -> None:
        for table, n in other.rows.items():
            self.add(table, n)
        self.seconds.update(other.seconds)
        self.audit_entries += other.audit_entries


def sizes(scale: float) -> dict[str, int]:
    """The number of records of each kind at `scale` (at least a handful of each)."""
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    return {k: max(5, round(v * scale)) for k, v in FULL.items()}


def _times(rng: random.Random, n: int, now: datetime) -> Iterator[datetime]:
    """`n` moments over the history, in time order (so numbers follow the calendar)."""
    start = now - timedelta(days=HISTORY_DAYS)
    step = (now - timedelta(minutes=30) - start) / n
    for i in range(n):
        yield start + step * i + timedelta(seconds=rng.uniform(0, step.total_seconds()))


def _numbered(
    prefix: str, rows: list[dict[str, Any]], when: Callable[[dict[str, Any]], datetime]
) -> None:
    """Give each row (in time order) the next number of its year: one block per year."""
    start = 0
    while start < len(rows):
        year = timezone.localtime(when(rows[start])).year
        end = start
        while end < len(rows) and timezone.localtime(when(rows[end])).year == year:
            end += 1
        numbers = allocate_numbers(prefix, end - start, when(rows[start]))
        for row, number in zip(rows[start:end], numbers, strict=True):
            row["number"] = number
        start = end


def _store(
    table: Table,
    values: list[dict[str, Any]],
    now: datetime,
    loaded: Loaded,
    *,
    audited: bool = True,
    related: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    audits: list[Callable[[], None]] | None = None,
) -> list[int]:
    """Insert the rows; their CREATE entries are appended now, or (given `audits`) by the
    callable added to it, which `_audit_last` runs once all of the chunk's rows are in."""
    rows = table.rows(values, now)
    ids = table.insert(rows, returning=audited)
    loaded.add(table.model._meta.db_table, len(rows))

    def audit() -> None:
        loaded.audit_entries += audit_create_rows(
            actor=None,
            table=table,
            rows=rows,
            ids=ids,
            reason=REASON,
            system=SYSTEM,
            at=now,
            related=related,
        )

    if audited:
        if audits is None:
            audit()
        else:
            audits.append(audit)
    return ids


def _audit_last(audits: list[Callable[[], None]]) -> None:
    """A chunk's audit entries, last in its transaction: the deferred foreign-key checks of
    its rows are run first (SET CONSTRAINTS ALL IMMEDIATE: the same checks, now rather than
    at COMMIT), so that the chain's lock, taken by the first append and held to the commit,
    is held as briefly as can be (the parallel load's three processes take turns on it)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for audit in audits:
        audit()


def _chunks(n: int, size: int) -> Iterator[int]:
    done = 0
    while done < n:
        yield min(size, n - done)
        done += size


@dataclass
class People:
    takers: list[User]  # sales staff and service engineers who take and own communications
    agents: dict[int | None, User]  # agent id -> the agency's login
    quality: list[User]  # 8D leaders
    sales_lead: User | None


def _people() -> People:
    from serviceloop.demo import ensure_people

    ensure_people()
    by_name = {u.username: u for u in User.objects.all()}
    takers = [by_name[n] for n in ("sales1", "sales2", "eng1", "eng2") if n in by_name]
    agents = {u.agent_id: u for u in User.objects.filter(agent__isnull=False)}
    quality = [by_name["quality1"]] if "quality1" in by_name else takers[:1]
    return People(takers, agents, quality, by_name.get("saleslead"))


def load_customers(n: int, rng: random.Random, now: datetime, loaded: Loaded) -> list[dict]:
    """`n` customers (codes L00001…); their id, tier and agent, for the records to come."""
    from serviceloop.customers.models import Customer

    table = Table.of(Customer)
    offset = Customer.objects.filter(code__startswith="L").count()
    agents = list(Agent.objects.values_list("id", flat=True))
    tiers, weights = zip(*TIERS, strict=True)
    out: list[dict] = []
    for size in _chunks(n, CHUNK):
        values = []
        for _ in range(size):
            offset += 1
            tier = rng.choices(tiers, weights)[0]
            province, city = rng.choice(PLACES)
            values.append(
                {
                    "code": f"L{offset:05d}",
                    "name": f"{city}{rng.choice(WORDS)}{SUFFIX[tier]}{offset}号",
                    "tier": tier,
                    "agent_id": rng.choice(agents) if tier == "retail" and agents else None,
                    "province": province,
                    "city": city,
                    "mailing_address": f"{province}省{city}市经济开发区{rng.randint(1, 99)}号",
                    "postal_code": f"{rng.randint(100000, 899999)}",
                    "phone": f"0{rng.randint(10, 99)}-{rng.randint(6000000, 8999999)}",
                    "created_at": now,
                }
            )
        with transaction.atomic():
            ids = _store(table, values, now, loaded)
        out.extend(
            {"id": pk, "name": v["name"], "agent_id": v["agent_id"]}
            for pk, v in zip(ids, values, strict=True)
        )
    return out


def load_communications(
    n: int, customers: Sequence[dict], people: People, rng: random.Random, now: datetime, loaded
) -> None:
    from serviceloop.communications.models import Communication, Status

    table = Table.of(Communication)
    channels = ["call", "letter", "visit", "email"]
    times = _times(rng, n, now)
    for size in _chunks(n, CHUNK):
        values = []
        for _ in range(size):
            received = next(times)
            customer = rng.choice(customers)
            owner = people.agents.get(customer["agent_id"]) or rng.choice(people.takers)
            subject, body = rng.choice(SUBJECTS)
            answer_due = first_answer_due(received)
            fb_due = feedback_due(received)
            age = now - received
            v = {
                "customer_id": customer["id"],
                "channel": rng.choice(channels),
                "received_at": received,
                "contact_name": rng.choice(["赵明", "钱华", "孙强", "李丽"]),
                "subject": subject,
                "body": body,
                "taken_by_id": owner.pk,
                "owner_id": owner.pk,
                "status": Status.REGISTERED,
                "answer_due_at": answer_due,
                "feedback_due_original_at": fb_due,
                "feedback_due_at": fb_due,
                "created_at": received,
                "created_by_id": owner.pk,
            }
            stage = rng.random()
            if age > timedelta(days=1) and stage < 0.97 or age > timedelta(hours=2) and stage < 0.3:
                answered = min(received + timedelta(hours=rng.uniform(0.5, 23)), now)
                v.update(
                    status=Status.ANSWERED,
                    answered_at=answered,
                    answered_by_id=owner.pk,
                    answer_text="已电话回复客户,正在安排相关部门分析。",
                    answered_entered_at=answered,
                )
                if age > timedelta(days=8) and rng.random() < 0.98 or rng.random() < 0.2:
                    fb = min(received + timedelta(days=rng.uniform(1, 6.9)), now)
                    fb = max(fb, answered)
                    v.update(
                        status=Status.CLOSED,
                        feedback_at=fb,
                        feedback_by_id=owner.pk,
                        feedback_text="已将分析结果和纠正措施反馈客户,客户认可。",
                        feedback_entered_at=fb,
                    )
            values.append(v)
        with transaction.atomic():
            _numbered("COM", values, lambda v: v["received_at"])
            audits: list[Callable[[], None]] = []
            _store(table, values, now, loaded, audits=audits)
            _audit_last(audits)


def _vin(rng: random.Random) -> str:
    return "L" + "".join(rng.choice(VIN_CHARS) for _ in range(16))


def load_claims(
    n: int, customers: Sequence[dict], people: People, rng: random.Random, now: datetime, loaded
) -> None:
    from serviceloop.warranty.models import Status, WarrantyClaim, WarrantyDecisionRecord
    from serviceloop.warranty.services import deciding
    from serviceloop.warranty.services.claims import NUMBER_PREFIX

    claims_table, records_table = Table.of(WarrantyClaim), Table.of(WarrantyDecisionRecord)
    today = timezone.localdate(now)
    times = _times(rng, n, now)
    for size in _chunks(n, CHUNK):
        values, records = [], []
        for _ in range(size):
            reported = timezone.localdate(next(times))
            customer = rng.choice(customers)
            part, name, modes = rng.choice(PARTS)
            failed = reported - timedelta(days=rng.randint(0, 20))
            purchase = failed - timedelta(days=int(rng.triangular(3, 720, 150)))
            built = purchase - timedelta(days=rng.randint(20, 150))
            inputs, _errors = deciding.make_inputs(
                purchase_date=purchase,
                failure_date=failed,
                mileage_km=rng.randint(500, 120_000),
                findings=rng.choice(FINDINGS),
                repairable=rng.random() < 0.3,
            )
            result, agreement = deciding.run_rule(inputs, ())
            claim = deciding.rule_values(inputs, result, agreement, now)
            status = deciding.status_for(result.decision.value)
            age = (today - reported).days
            if age > 60 and status == Status.DECIDED:
                status = Status.SETTLED if result.decision.value == "covered" else Status.CLOSED
            parts, labour = rng.randint(80, 2400), rng.randint(50, 600)
            claim.update(
                customer_id=customer["id"],
                status=status,
                reported_on=reported,
                part_number=part,
                part_name=name,
                serial_number=f"{part}-{built:%y%m}-{rng.randint(1, 999_999):06d}",
                lot=f"{built:%y%m}{rng.choice('ABC')}",
                build_month=f"{built:%Y-%m}",
                oem=customer["name"],
                vin=_vin(rng),
                vehicle_model=rng.choice(MODELS),
                failure_mode=rng.choice(modes),
                description=f"{name}{rng.choice(modes)},用户报修。",
                cost_parts=Decimal(parts),
                cost_labour=Decimal(labour),
                cost_total=Decimal(parts + labour),
                created_at=now,
            )
            values.append(claim)
            records.append(
                deciding.rule_record_values(
                    customer_id=customer["id"],
                    inputs=inputs,
                    result=result,
                    agreement=agreement,
                    result_dict=claim["rule_result"],
                )
            )
        with transaction.atomic():
            _numbered(NUMBER_PREFIX, values, lambda v: _noon(v["reported_on"]))
            audits: list[Callable[[], None]] = []
            ids = _store(claims_table, values, now, loaded, audits=audits)
            for record, pk in zip(records, ids, strict=True):
                record.update(claim_id=pk, seq=1, note=REASON, decided_at=now, actor_label=SYSTEM)
            _store(records_table, records, now, loaded, audited=False)
            _audit_last(audits)


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def load_complaints(
    n: int, customers: Sequence[dict], people: People, rng: random.Random, now: datetime, loaded
) -> None:
    from serviceloop.complaints.domain.clocks import discipline_due_dates
    from serviceloop.complaints.models import (
        CODES,
        Complaint,
        Discipline,
        EightDReport,
        EightDStatus,
        Status,
        TeamMember,
    )

    c_table, r_table = Table.of(Complaint), Table.of(EightDReport)
    d_table, t_table = Table.of(Discipline), Table.of(TeamMember)
    names = {c["id"]: c["name"] for c in customers}
    times = _times(rng, n, now)
    for size in _chunks(n, CHUNK):
        complaints, reports, extras = [], [], []
        for _ in range(size):
            received = next(times)
            customer = rng.choice(customers)
            part, name, modes = rng.choice(PARTS)
            mode = rng.choice(modes)
            quantity = rng.randint(1, 40)
            leader = rng.choice(people.quality)
            age = now - received
            opened = min(received + timedelta(hours=rng.uniform(1, 30)), now)
            closed = received + timedelta(days=rng.uniform(20, 58))
            is_closed = closed < now and rng.random() < 0.95
            negotiating = not is_closed and rng.random() < 0.05
            status = Status.CLOSED if is_closed else Status.IN_PROGRESS
            if negotiating:
                status = Status.NEGOTIATING
            complaints.append(
                {
                    "kind": rng.choice(["complaint", "complaint", "return"]),
                    "customer_id": customer["id"],
                    "received_at": received,
                    "received_by_id": leader.pk,
                    "part_number": part,
                    "part_name": name,
                    "lot": f"{received:%y%m}{rng.choice('ABC')}",
                    "quantity": quantity,
                    "description": f"{name}{mode},数量 {quantity} 件。",
                    "severity": rng.choice(["high", "medium", "medium", "low"]),
                    "status": status,
                    "closed_at": closed if is_closed else None,
                    "created_at": received,
                    "created_by_id": leader.pk,
                }
            )
            reports.append(
                {
                    "status": EightDStatus.CLOSED
                    if is_closed
                    else (EightDStatus.NEGOTIATION if negotiating else EightDStatus.OPEN),
                    "leader_id": leader.pk,
                    "problem_statement": f"{name}{mode}",
                    "d2_what": f"{part} {name}{mode}",
                    "d2_how_many": str(quantity),
                    "closed_at": closed if is_closed else None,
                    "closed_by_id": leader.pk if is_closed else None,
                    "referred_at": opened if negotiating else None,
                    "referred_by_id": leader.pk if negotiating else None,
                    "referral_reason": "客户设计原因" if negotiating else "",
                    "created_at": opened,
                    "created_by_id": leader.pk,
                }
            )
            dues = discipline_due_dates(received)
            done = len(CODES) if is_closed else sum(1 for c in CODES if dues[c] < now - age / 3)
            extras.append((dues, done, leader, closed))
        with transaction.atomic():
            _numbered("CMP", complaints, lambda v: v["received_at"])
            _numbered("8D", reports, lambda v: v["created_at"])
            audits: list[Callable[[], None]] = []
            ids = _store(
                c_table,
                complaints,
                now,
                loaded,
                related=lambda row: {"customer": _Named(names[row["customer_id"]])},
                audits=audits,
            )
            for report, pk in zip(reports, ids, strict=True):
                report["complaint_id"] = pk
            report_ids = _store(r_table, reports, now, loaded, audits=audits)
            disciplines, team = [], []
            for pk, (dues, done, leader, closed) in zip(report_ids, extras, strict=True):
                for i, code in enumerate(CODES):
                    finished = i < done
                    at = min(dues[code], closed, now) if finished else None
                    disciplines.append(
                        {
                            "report_id": pk,
                            "code": code,
                            "status": "done" if finished else "open",
                            "owner_id": leader.pk,
                            "due_at": dues[code],
                            "summary": "已完成,见附件。" if finished else "",
                            "completed_at": at,
                            "completed_by_id": leader.pk if finished else None,
                            "completed_entered_at": at,
                        }
                    )
                team.append(
                    {
                        "report_id": pk,
                        "user_id": leader.pk,
                        "role": "leader",
                        "department_id": leader.department_id,
                    }
                )
            _store(d_table, disciplines, now, loaded, audited=False)
            _store(t_table, team, now, loaded, audited=False)
            _audit_last(audits)


class _Named:
    """Stands in for a related customer in `Complaint.__str__` (which reads only its name)."""

    def __init__(self, name: str):
        self.name = name


def load_production(claims: int, rng: random.Random, now: datetime, loaded: Loaded) -> None:
    """Units built per part and build month over four years (the early warning's cohort
    sizes), about 2 % of them claimed; months already on record are left alone."""
    from serviceloop.earlywarning.models import ProductionVolume

    table = Table.of(ProductionVolume)
    have = set(ProductionVolume.objects.values_list("part_number", "build_month"))
    today = timezone.localdate(now)
    months = [(today.year * 12 + today.month - 1 - k) for k in range(48, 0, -1)]
    per_month = max(100, round(claims / len(PARTS) / 42 / 0.02))
    values = [
        {
            "part_number": part,
            "part_name": name,
            "build_month": f"{m // 12:04d}-{m % 12 + 1:02d}",
            "quantity": round(per_month * rng.uniform(0.8, 1.2)),
            "created_at": now,
        }
        for part, name, _modes in PARTS
        for m in months
        if (part, f"{m // 12:04d}-{m % 12 + 1:02d}") not in have
    ]
    with transaction.atomic():
        _store(table, values, now, loaded)


KINDS: dict[str, Callable[..., None]] = {
    "communications": load_communications,
    "claims": load_claims,
    "complaints": load_complaints,
}


def load(
    scale: float,
    *,
    seed: int = 20261202,
    stdout: Any = None,
    now: datetime | None = None,
    parallel: bool = False,
    rebuild_indexes: bool = False,
) -> Loaded:
    """Add a company of `scale` × the issue's target size to the database (see module doc).

    `parallel` (PostgreSQL only): communications, claims and complaints are loaded at the same
    time by three forked processes, each with its own connection (each kind has its own
    numbers; the chunks' audit entries take turns on the chain's head lock, so the chain is
    one valid chain as in the serial load). Each kind draws from its own random stream, so
    the records are the same either way; only ids and audit order differ.

    `rebuild_indexes` (PostgreSQL, a throw-away database: other sessions would run without
    them meanwhile): the loaded tables' plain indexes are dropped for the load and built
    again at the end (`_drop_indexes`)."""
    from django.db import connection

    want = sizes(scale)
    rng = random.Random(seed)
    now = now or timezone.now()
    loaded = Loaded()
    people = _people()

    def report(name: str) -> None:
        if stdout is not None:
            stdout.write(f"  {name}: {want[name]:,} in {loaded.seconds[name]:.1f} s\n")

    started = time.perf_counter()
    customers = load_customers(want["customers"], rng, now, loaded)
    loaded.seconds["customers"] = time.perf_counter() - started
    report("customers")
    load_production(want["claims"], rng, now, loaded)
    jobs = {
        name: functools.partial(
            loader, want[name], customers, people, random.Random(f"{seed}:{name}"), now
        )
        for name, loader in KINDS.items()
    }
    dropped = _drop_indexes() if rebuild_indexes and connection.vendor == "postgresql" else {}
    try:
        if parallel and connection.vendor == "postgresql":
            done = _in_processes(jobs)
        else:
            done = ((name, _timed(name, job)) for name, job in jobs.items())
        for name, part in done:
            loaded.merge(part)
            report(name)
    finally:
        if dropped:
            started = time.perf_counter()
            _create_indexes(dropped, parallel)
            loaded.seconds["indexes"] = time.perf_counter() - started
    started = time.perf_counter()
    analyze()
    loaded.seconds["analyze"] = time.perf_counter() - started
    return loaded


def _loaded_tables() -> list[str]:
    from django.apps import apps

    return [
        apps.get_model(label)._meta.db_table
        for label in (
            "communications.Communication",
            "warranty.WarrantyClaim",
            "warranty.WarrantyDecisionRecord",
            "complaints.Complaint",
            "complaints.EightDReport",
            "complaints.Discipline",
            "complaints.TeamMember",
            "core.AuditEntry",
        )
    ]


def _drop_indexes() -> dict[str, list[str]]:
    """PostgreSQL, a throw-away database only: drop the plain (non-unique, constraint-free)
    indexes of the tables the load fills, for `_create_indexes` to build again from sorted
    data afterwards (much less work than updating twenty indexes per row). Primary keys,
    unique indexes and constraints stay: the load is checked as it goes. Table -> the
    definitions dropped."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            WHERE c.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            ORDER BY 1, 2
            """,
            [_loaded_tables()],
        )
        found = cursor.fetchall()
        dropped: dict[str, list[str]] = {}
        for table, index, definition in found:
            cursor.execute(f"DROP INDEX {index}")
            dropped.setdefault(table, []).append(definition)
    return dropped


def _create_indexes(dropped: dict[str, list[str]], parallel: bool) -> None:
    """Build the indexes `_drop_indexes` dropped (one process per table if `parallel`)."""

    def build(definitions: list[str], _loaded: Loaded) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for definition in definitions:
                cursor.execute(definition)

    jobs = {table: functools.partial(build, defs) for table, defs in dropped.items()}
    if parallel:
        for _ in _in_processes(jobs):
            pass
    else:
        for table, job in jobs.items():
            _timed(table, job)


def _timed(name: str, job: Callable[[Loaded], None]) -> Loaded:
    part = Loaded()
    started = time.perf_counter()
    job(part)
    part.seconds[name] = time.perf_counter() - started
    return part


def _worker(name: str, job: Callable[[Loaded], None], send: Any) -> None:
    from django.db import connections

    try:
        send.send((True, _timed(name, job)))
    except BaseException:  # reported to the parent, which raises
        send.send((False, traceback.format_exc()))
    finally:
        connections.close_all()
        send.close()


def _in_processes(jobs: Mapping[str, Callable[[Loaded], None]]) -> Iterator[tuple[str, Loaded]]:
    """Run each job in a forked process (its own connection); yield what each loaded, in
    order; raise if one failed (after all have ended)."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's connection
    context = multiprocessing.get_context("fork")
    running = []
    for name, job in jobs.items():
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(name, job, send), name=f"scale-{name}")
        process.start()
        send.close()
        running.append((name, process, receive))
    results, failures = [], []
    for name, process, receive in running:
        try:
            ok, payload = receive.recv()
        except EOFError:
            ok, payload = False, "the process ended without a result"
        process.join()
        if ok:
            results.append((name, payload))
        else:
            failures.append(f"{name}: {payload}")
    if failures:
        raise RuntimeError("\n".join(failures))
    yield from results


def analyze() -> None:
    """Give the planner statistics of the tables just filled: without them PostgreSQL plans
    for empty tables (at 10 %, quality1's "my work" count ran for minutes before, 13 s of
    ANALYZE after; autovacuum may not get to it on a busy machine). On PostgreSQL the loaded
    tables are VACUUMed too, as autovacuum would do to insert-only tables in time: their
    pages are marked all-visible (index-only scans, e.g. an exact COUNT, need it) and their
    rows' commit hint bits set (else the first reads of each page write it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        tables = [*_loaded_tables(), "customers_customer", "earlywarning_productionvolume"]
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
