"""Benchmark: page latency at size (issue 15, item 1). p50/p95 and query counts of every
list, detail, "my work", dashboard and export page, beside the raw SQL of the same rows in
the same run; writes a markdown table.

    .venv/bin/python benchmarks/load_company.py --scale 0.1 --keep \
        --database-url postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python benchmarks/latency.py --database-url postgres://…/bench [--reps 7]
        [--exports] [--data-dir DIR]   # SQLite: --data-dir of a `load_company.py --keep` run
        [--no-live]                      # skip the dashboard computed in the request
        [--only "customers,API 8D"]      # only the pages whose names contain one of these

The pages are requested in this process through Django's test client (no network, no
server), logged in as the demo people (sales1, quality1, eng1, agent1). Each is requested
once to warm up, `--reps` times timed, and once more under CaptureQueriesContext for its
query count. The raw SQL of a page is the SELECT of the rows it shows (a list's first 25, a
detail's record, "my work"'s five most urgent and their count, an export's rows), timed
the same way with the driver's cursor. Exports are slow at size and run once (`--exports`).

The early-warning part dashboard is measured twice: as it was (`live`: the analysis
computed in the request, `dashboard.part_context`) and as it is (the stored analysis).
A run stores it first (timed, in the setup).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--exports", action="store_true")
    parser.add_argument("--name", default="")
    parser.add_argument(
        "--no-live",
        action="store_true",
        help="skip the part dashboard computed in the request (minutes at a million claims)",
    )
    parser.add_argument(
        "--only", default="", help="comma-separated parts of page names: measure only those"
    )
    args = parser.parse_args()
    if args.database_url:
        os.environ["SERVICELOOP_DATABASE_URL"] = args.database_url
    if args.data_dir:
        os.environ["SERVICELOOP_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from serviceloop import scale
    from serviceloop.communications.models import Communication
    from serviceloop.complaints.models import Complaint, EightDReport
    from serviceloop.core.models import User
    from serviceloop.customers.models import Customer
    from serviceloop.earlywarning import services as ew
    from serviceloop.earlywarning.models import PartDashboard, ProductionVolume
    from serviceloop.earlywarning.selectors import dashboard
    from serviceloop.warranty.models import WarrantyClaim

    call_command("migrate", verbosity=0)  # a database loaded before the latest migrations
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SERVICELOOP_NOTIFICATION_EMAILS = False
    setup: dict[str, Any] = {}
    if not ProductionVolume.objects.exists():  # a load from before the loader made them
        scale.load_production(
            WarrantyClaim.objects.count(),
            __import__("random").Random(1),
            timezone.now(),
            scale.Loaded(),
        )
    part = "SA-2041"
    if not PartDashboard.objects.filter(part_number=part).exists():
        started = time.perf_counter()
        run = ew.run_request(actor=None, enqueue=False)
        result = ew.execute_run(run.pk)
        setup["analysis_run_seconds"] = round(time.perf_counter() - started, 1)
        setup["analysis_run"] = {k: v for k, v in result.items() if k != "run"}

    users = {
        u.username: u
        for u in User.objects.filter(username__in=["sales1", "quality1", "eng1", "agent1"])
    }
    clients = {}
    for name, user in users.items():
        c = Client()
        c.force_login(user)
        clients[name] = c

    comm = Communication.objects.order_by("-received_at").first()
    old_comm = Communication.objects.order_by("received_at").first()
    complaint = Complaint.objects.order_by("-received_at").first()
    report = EightDReport.objects.order_by("-created_at").first()
    claim = WarrantyClaim.objects.order_by("-reported_on", "-id").first()
    customer = Customer.objects.filter(code__startswith="L").order_by("code").first()
    q1, s1 = users["quality1"].pk, users["sales1"].pk

    def rows(table: str, order: str, limit: int = 25, where: str = "") -> str:
        return f"SELECT * FROM {table} {where} ORDER BY {order} LIMIT {limit}"

    comm_t, cmp_t = "communications_communication", "complaints_complaint"
    claim_t, cust_t = "warranty_warrantyclaim", "customers_customer"
    # name, kind, user, url, raw SQL (of the same rows)
    pages: list[tuple[str, str, str, str, str | None]] = [
        (
            "communications",
            "list",
            "sales1",
            "/communications/",
            f"SELECT c.*, u.name FROM {comm_t} c JOIN {cust_t} u ON u.id = c.customer_id "
            "ORDER BY c.received_at DESC LIMIT 25",
        ),
        (
            "communications (status open)",
            "list",
            "sales1",
            "/communications/?status=registered",
            rows(comm_t, "received_at DESC", where="WHERE status = 'registered'"),
        ),
        (
            "communications page 200",
            "list",
            "sales1",
            "/communications/?page=200",
            rows(comm_t, "received_at DESC", where="") + " OFFSET 4975",
        ),
        (
            "complaints",
            "list",
            "quality1",
            "/complaints/",
            f"SELECT c.*, u.name FROM {cmp_t} c JOIN {cust_t} u ON u.id = c.customer_id "
            "ORDER BY c.received_at DESC, c.id DESC LIMIT 25",
        ),
        (
            "warranty claims",
            "list",
            "quality1",
            "/warranty/",
            f"SELECT c.*, u.name FROM {claim_t} c JOIN {cust_t} u ON u.id = c.customer_id "
            "ORDER BY c.reported_on DESC, c.id DESC LIMIT 25",
        ),
        ("customers", "list", "sales1", "/customers/", rows(cust_t, "code")),
        ("early-warning alerts", "list", "quality1", "/early-warning/", None),
        (
            "API communications",
            "api list",
            "sales1",
            "/api/v1/communications/",
            rows(comm_t, "received_at DESC"),
        ),
        (
            "API complaints",
            "api list",
            "quality1",
            "/api/v1/complaints/",
            rows(cmp_t, "received_at DESC, id DESC"),
        ),
        (
            "API 8D reports",
            "api list",
            "quality1",
            "/api/v1/eight-d-reports/",
            rows("complaints_eightdreport", "created_at DESC, id DESC"),
        ),
        (
            "API warranty claims",
            "api list",
            "quality1",
            "/api/v1/warranty-claims/",
            rows(claim_t, "reported_on DESC, id DESC"),
        ),
        (
            "communication",
            "detail",
            "sales1",
            f"/communications/{comm.pk}/",
            f"SELECT * FROM {comm_t} WHERE id = {comm.pk}",
        ),
        (
            "communication (oldest)",
            "detail",
            "sales1",
            f"/communications/{old_comm.pk}/",
            f"SELECT * FROM {comm_t} WHERE id = {old_comm.pk}",
        ),
        (
            "complaint",
            "detail",
            "quality1",
            f"/complaints/{complaint.pk}/",
            f"SELECT * FROM {cmp_t} WHERE id = {complaint.pk}",
        ),
        (
            "8D report",
            "detail",
            "quality1",
            f"/complaints/8d/{report.pk}/",
            f"SELECT * FROM complaints_discipline WHERE report_id = {report.pk}",
        ),
        (
            "warranty claim",
            "detail",
            "quality1",
            f"/warranty/{claim.pk}/",
            f"SELECT * FROM {claim_t} WHERE id = {claim.pk}",
        ),
        (
            "customer",
            "detail",
            "sales1",
            f"/customers/{customer.pk}/",
            f"SELECT * FROM {cust_t} WHERE id = {customer.pk}",
        ),
        (
            "my work quality1",
            "my work",
            "quality1",
            "/my-work/",
            "SELECT d.* FROM complaints_discipline d WHERE d.owner_id = "
            f"{q1} AND d.status = 'open' ORDER BY d.due_at LIMIT 5; "
            f"SELECT count(*) FROM complaints_discipline WHERE owner_id = {q1} AND status = 'open'",
        ),
        (
            "my work sales1",
            "my work",
            "sales1",
            "/my-work/",
            f"SELECT * FROM {comm_t} WHERE owner_id = {s1} AND status <> 'closed' "
            f"ORDER BY answer_due_at LIMIT 5; SELECT count(*) FROM {comm_t} "
            f"WHERE owner_id = {s1} AND status <> 'closed'",
        ),
        ("my work eng1", "my work", "eng1", "/my-work/", None),
        ("my work agent1", "my work", "agent1", "/my-work/", None),
        (
            "part dashboard (stored)",
            "dashboard",
            "quality1",
            f"/early-warning/parts/{part}/",
            f"SELECT * FROM earlywarning_partdashboard WHERE part_number = '{part}'",
        ),
        (
            "API part analysis (stored)",
            "dashboard",
            "quality1",
            f"/api/v1/early-warning/parts/{part}",
            None,
        ),
        ("parts overview", "dashboard", "quality1", "/early-warning/parts/", None),
    ]
    # keyset paging (docs/api-lists.md): the 8D list from the middle, by cursor and by offset
    middle = EightDReport.objects.count() // 2
    at_middle = clients["quality1"].get(f"/api/v1/eight-d-reports/?limit=25&offset={middle}")
    cursor, last = at_middle.json()["next_cursor"], at_middle.json()["items"][-1]["id"]
    pages += [
        (
            "API 8D reports, middle by offset",
            "api list",
            "quality1",
            f"/api/v1/eight-d-reports/?limit=25&offset={middle + 25}",
            rows("complaints_eightdreport", "created_at DESC, id DESC") + f" OFFSET {middle + 25}",
        ),
        (
            "API 8D reports, middle by cursor",
            "api list",
            "quality1",
            f"/api/v1/eight-d-reports/?limit=25&cursor={cursor}",
            rows(
                "complaints_eightdreport",
                "created_at DESC, id DESC",
                where="WHERE (created_at, id) < (SELECT created_at, id FROM "
                f"complaints_eightdreport WHERE id = {last})",
            ),
        ),
    ]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        pages = [p for p in pages if any(w in p[0] for w in wanted)]
    if args.exports:
        pages += [
            (
                "communications export",
                "export",
                "sales1",
                "/communications/?export=xlsx",
                f"SELECT * FROM {comm_t} ORDER BY received_at DESC",
            ),
            (
                "complaints export",
                "export",
                "quality1",
                "/complaints/?export=xlsx",
                f"SELECT * FROM {cmp_t} ORDER BY received_at DESC, id DESC",
            ),
            (
                "warranty claims export",
                "export",
                "quality1",
                "/warranty/?export=xlsx",
                f"SELECT * FROM {claim_t} ORDER BY reported_on DESC, id DESC",
            ),
        ]

    def raw(sql: str) -> None:
        with connection.cursor() as cursor:
            for part_sql in sql.split("; "):
                cursor.execute(part_sql)
                cursor.fetchall()

    def measure(fn, reps: int) -> list[float]:
        fn()  # warm-up
        out = []
        for _ in range(reps):
            started = time.perf_counter()
            fn()
            out.append((time.perf_counter() - started) * 1000)
        return out

    results = []
    for name, kind, user, url, sql in pages:
        client = clients[user]
        reps = 1 if kind == "export" else args.reps

        def get(client=client, url=url):
            r = client.get(url)
            if r.status_code != 200:
                raise SystemExit(f"{url}: {r.status_code}")
            if getattr(r, "streaming", False):
                for _ in r.streaming_content:
                    pass
            return r

        times = measure(get, reps)
        with CaptureQueriesContext(connection) as ctx:
            get()
        timed = sorted(
            ((float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries), reverse=True
        )
        entry = {
            "page": name,
            "kind": kind,
            "user": user,
            "url": url,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(pct(times, 0.95), 1),
            "queries": len(ctx.captured_queries),
            # the page's SQL as the driver timed it (the counted request), and its slowest
            "sql_ms": round(sum(t for t, _ in timed), 1),
            "slowest_sql_ms": round(timed[0][0], 1) if timed else None,
            "slowest_sql": timed[0][1][:600] if timed else "",
        }
        if sql:
            raw_times = measure(lambda sql=sql: raw(sql), reps)
            entry["raw_p50_ms"] = round(statistics.median(raw_times), 1)
            entry["ratio"] = round(entry["p50_ms"] / max(entry["raw_p50_ms"], 0.1), 1)
        results.append(entry)
        print(
            f"{name:32s} p50 {entry['p50_ms']:8.1f} ms  p95 {entry['p95_ms']:8.1f}  "
            f"q {entry['queries']:3d}  sql {entry['sql_ms']:.1f}  "
            f"raw {entry.get('raw_p50_ms', '—')}",
            flush=True,
        )

    # The part dashboard as it was: the analysis computed in the request.
    if not args.no_live:
        live = measure(
            lambda: dashboard.part_context(part, timezone.localdate()), min(3, args.reps)
        )
        results.append(
            {
                "page": "part dashboard (live, before)",
                "kind": "dashboard",
                "user": "quality1",
                "url": "(dashboard.part_context)",
                "p50_ms": round(statistics.median(live), 1),
                "p95_ms": round(pct(live, 0.95), 1),
                "queries": None,
            }
        )
    counts = {
        "communications": Communication.objects.count(),
        "complaints": Complaint.objects.count(),
        "warranty_claims": WarrantyClaim.objects.count(),
        "customers": Customer.objects.count(),
    }
    head = (
        f"## Latency on {connection.vendor}: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + f"\n\n{args.reps} timed requests per page after one warm-up (exports: 1); load average "
        f"{os.getloadavg()[0]:.1f}; Python {platform.python_version()}.\n"
    )
    if setup:
        head += f"\nSetup: analysis run {setup}\n"
    lines = [
        head,
        "| page | kind | user | p50 ms | p95 ms | queries | its SQL ms | raw SQL p50 ms | × raw |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for e in results:
        lines.append(
            f"| {e['page']} | {e['kind']} | {e['user']} | {e['p50_ms']:,.1f} | {e['p95_ms']:,.1f} "
            f"| {e['queries'] if e['queries'] is not None else '—'} "
            f"| {e.get('sql_ms', '—')} "
            f"| {e.get('raw_p50_ms', '—')} | {e.get('ratio', '—')} |"
        )
    text = "\n".join(lines)
    print(text)
    OUT.mkdir(exist_ok=True)
    stem = args.name or f"latency_{connection.vendor}_{counts['communications']}"
    (OUT / f"{stem}.md").write_text(text + "\n")
    (OUT / f"{stem}.json").write_text(
        json.dumps({"counts": counts, "setup": setup, "pages": results}, indent=2)
    )


if __name__ == "__main__":
    main()
