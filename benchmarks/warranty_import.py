"""Benchmark: deciding and bulk-importing 100,000 warranty claims (R-5.6).

    .venv/bin/python benchmarks/warranty_import.py [--rows 100000] [--seed 20261125]
        [--error-rate 0] [--tracemalloc-all] [--database-url postgres://…]

1. Builds a fresh database in a temporary directory (SQLite unless --database-url): the
   schema, 30 customers (ten with a service agreement) and an importing user.
2. Writes an XLSX of `--rows` realistic claims with the template's Chinese headers (fixed
   seed; findings written as Chinese labels or codes separated by 、 or ;).
3. Times, each phase in its own process so that its peak memory is its own:
   - decide:  the pure rule over all rows (agreement lookup + rules.decide), no I/O;
   - parse:   reading the XLSX with openpyxl in read-only mode, nothing else;
   - check:   (with --with-check) parse + validate + decide every row, no writes — the
              import's first step on its own, for its peak memory;
   - import:  parse + validate + decide + store into the fresh database (claims, their
              decision records and one hash-chained audit entry per claim), then checks
              the counts and verifies the whole audit chain (timed separately).
   Wall time (time.perf_counter) and peak RSS of the process (resource.getrusage maxrss);
   the peak of Python allocations (tracemalloc) in a second, traced run of the phase — for
   the pure decide phase always, for the others with --tracemalloc-all (tracing slows
   openpyxl and the ORM down several times).
4. Prints a table and writes benchmarks/out/warranty_import.json (+ .md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PHASES = ("decide", "parse", "import")  # "check" alone with --with-check
CUSTOMERS = 30
PARTS = [
    ("SA-2041", "前减振器", ["漏油", "异响", "减振失效", "活塞杆断裂"]),
    ("SA-2042", "后减振器", ["漏油", "异响", "减振失效", "衬套磨损"]),
    ("SA-2105", "驾驶室减振器", ["异响", "漏气", "衬套磨损"]),
    ("SA-3310", "座椅减振器", ["卡滞", "异响", "减振失效"]),
    ("CR-1120", "连杆", ["断裂", "变形", "磨损"]),
]
GROUNDS = ["制造缺陷影响正常使用", "材料不符合公司技术文件或标准", "manufacturing_defect"]
EXCLUSIONS = [
    "使用不当",
    "改装造成损坏",
    "未按产品说明书安装",
    "非原厂零件",
    "保管不善",
    "modification",
]
OEMS = ["华北重型汽车集团", "长江汽车股份有限公司", "东岭客车有限公司", "南方商用车有限公司"]
MODELS = ["ZZ4257", "DFH4180", "CA4250", "BJ1049", "SX4250", "HFC1041"]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


# --- data ------------------------------------------------------------------------------------


def generate_rows(n: int, seed: int, error_rate: float = 0.0):
    """`n` rows in the template's column order (see importing.TEMPLATE_COLUMNS)."""
    rng = random.Random(seed)
    today = date(2026, 11, 25)
    for i in range(n):
        part, name, modes = PARTS[rng.randrange(len(PARTS))]
        code = f"B{rng.randint(1, CUSTOMERS):03d}"
        failed = today - timedelta(days=rng.randint(0, 720))
        in_service = int(rng.triangular(3, 480, 110))
        purchase = failed - timedelta(days=in_service)
        b = purchase.year * 12 + purchase.month - 1 - rng.randint(1, 5)
        build = f"{b // 12:04d}-{b % 12 + 1:02d}"
        roll = rng.random()
        if roll < 0.62:
            findings = rng.choice(GROUNDS)
        elif roll < 0.9:
            findings = "、".join(rng.sample(EXCLUSIONS, rng.choice((1, 1, 2))))
        else:
            findings = ""
        mileage: Any = round(in_service * rng.uniform(20, 160), 1)
        if rng.random() < 0.03:
            mileage = None
        if error_rate and rng.random() < error_rate:
            mileage = -abs(mileage or 1)
        vin = "L" + "".join(rng.choice(VIN_CHARS) for _ in range(16))
        yield [
            code,
            None if rng.random() < 0.04 else purchase,
            failed,
            mileage,
            findings,
            rng.choice(("是", "否", "")),
            part,
            name,
            f"{part.replace('-', '')}-{build.replace('-', '')}-{i:06d}",
            f"L{build[2:].replace('-', '')}-{rng.randint(1, 12):02d}",
            build,
            rng.choice(OEMS),
            vin,
            rng.choice(MODELS),
            rng.choice(modes),
            "返厂拆检",
            rng.randint(80, 1500),
            rng.choice((50, 80, 120, 200, 400)),
            rng.choice((0, 0, 0, 300, 650, 1200)),
            "",
            failed + timedelta(days=rng.randint(0, 10)),
        ]


def write_xlsx(path: Path, rows: int, seed: int, error_rate: float) -> None:
    """The claims as an XLSX laid out like one saved by Excel or WPS: a shared-strings table,
    dates as serial numbers with a date format, and the sheet's dimension. (openpyxl's
    write-only mode writes inline strings and no dimension, which reads about twice as
    slowly and is not what users upload.)"""
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    from serviceloop.warranty.importing import SHEET_NAME, TEMPLATE_COLUMNS

    epoch = date(1899, 12, 30)
    letters = [get_column_letter(i + 1) for i in range(len(TEMPLATE_COLUMNS))]
    strings: dict[str, int] = {}

    def cell(ref: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, date):
            return f'<c r="{ref}" s="1"><v>{(value - epoch).days}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}"><v>{value}</v></c>'
        index = strings.setdefault(str(value), len(strings))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    def lines():
        header = [c.header for c in TEMPLATE_COLUMNS]
        for r, row in enumerate([header, *generate_rows(rows, seed, error_rate)], start=1):
            cells = "".join(cell(f"{letters[i]}{r}", v) for i, v in enumerate(row))
            yield f'<row r="{r}">{cells}</row>'

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {ns}>'
                f'<dimension ref="A1:{letters[-1]}{rows + 1}"/><sheetData>'.encode()
            )
            for line in lines():
                f.write(line.encode())
            f.write(b"</sheetData></worksheet>")
        sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        z.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {ns} '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>',
        )
        z.writestr(
            "xl/styles.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet {ns}>'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            '</cellStyleXfs><cellXfs count="2">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/></cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {ns} '
            f'xmlns:r="{rel}"><sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{sml}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sml}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{sml}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sml}.sharedStrings+xml"/>'
            "</Types>",
        )


# --- phases (each runs in its own process) -----------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def phase_setup(args: argparse.Namespace) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from serviceloop.core.models import Role, User
    from serviceloop.customers.services import agreement_create, customer_create

    admin = User.objects.create_superuser("bench-admin", password="x")
    quality = User.objects.create_user("bench-quality", password="x")
    quality.roles.set(Role.objects.filter(code="quality"))
    for i in range(1, CUSTOMERS + 1):
        customer = customer_create(
            actor=admin,
            code=f"B{i:03d}",
            name=f"客户{i:03d}",
            tier="oem_tier1" if i <= 10 else "retail",
        )
        if i <= 10:
            agreement_create(
                actor=admin,
                customer=customer,
                reference=f"SA-B{i:03d}",
                valid_from=date(2023, 1, 1),
                warranty_months=(12, 18, 24)[i % 3],
                warranty_km=(None, 50_000)[i % 2],
            )
    started = time.perf_counter()
    write_xlsx(Path(args.workdir) / "claims.xlsx", args.rows, args.seed, args.error_rate)
    return {"generate_xlsx_s": time.perf_counter() - started}


def phase_decide(args: argparse.Namespace) -> dict:
    from serviceloop.customers.models import ServiceAgreement
    from serviceloop.warranty import importing
    from serviceloop.warranty.domain import rules

    agreements: dict[str, list[dict]] = {}
    for a in ServiceAgreement.objects.values(
        "customer__code", "valid_from", "valid_to", "warranty_months", "warranty_km"
    ):
        agreements.setdefault(a["customer__code"], []).append(a)
    inputs = []
    for row in generate_rows(args.rows, args.seed, args.error_rate):
        codes, _ = importing.parse_findings(row[4])
        inputs.append((row[0], row[1], row[2], row[3], codes, importing.parse_bool(row[5])))
    started, cpu = time.perf_counter(), time.process_time()
    counts: dict[str, int] = {}
    refused = 0
    for code, purchase, failed, km, findings, repairable in inputs:
        try:
            result = rules.decide(
                purchase_date=purchase,
                failure_date=failed,
                mileage_km=km,
                findings=findings,
                repairable=repairable,
                agreement_terms=rules.agreement_in_force(agreements.get(code, ()), purchase),
            )
        except rules.WarrantyInputError:
            refused += 1
            continue
        counts[result.decision] = counts.get(result.decision, 0) + 1
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu,
        "decisions": counts,
        "refused": refused,
    }


def phase_parse(args: argparse.Namespace) -> dict:
    from serviceloop.warranty import importing

    started, cpu = time.perf_counter(), time.process_time()
    with open(Path(args.workdir) / "claims.xlsx", "rb") as stream:
        n = sum(1 for _ in importing.read_table(stream, "claims.xlsx")) - 1
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu,
        "rows": n,
    }


def phase_check(args: argparse.Namespace) -> dict:
    from serviceloop.warranty.services.imports import check_file

    from serviceloop.core.models import User

    actor = User.objects.get(username="bench-quality")
    started, cpu = time.perf_counter(), time.process_time()
    with open(Path(args.workdir) / "claims.xlsx", "rb") as stream:
        result = check_file(actor, stream, "claims.xlsx")
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu,
        "rows": result.total_rows,
        "valid": len(result.rows),
        "errors": len(result.errors),
        "decisions": result.decision_counts(),
    }


def phase_import(args: argparse.Namespace) -> dict:
    from django.core.files import File

    from serviceloop.core.audit import verify_chain
    from serviceloop.core.models import AuditEntry, User
    from serviceloop.warranty.models import WarrantyClaim, WarrantyDecisionRecord
    from serviceloop.warranty.services import import_check, import_confirm

    actor = User.objects.get(username="bench-quality")
    audit_before = AuditEntry.objects.count()
    started, cpu = time.perf_counter(), time.process_time()
    with open(Path(args.workdir) / "claims.xlsx", "rb") as stream:
        batch = import_check(actor=actor, upload=File(stream, name="claims.xlsx"))
        checked = time.perf_counter()
        batch = import_confirm(actor=actor, batch=batch, valid_rows_only=args.error_rate > 0)
    stored, cpu = time.perf_counter(), time.process_time() - cpu
    claims = WarrantyClaim.objects.count()
    records = WarrantyDecisionRecord.objects.count()
    audit = AuditEntry.objects.count() - audit_before
    started_verify = time.perf_counter()
    verified = verify_chain()
    return {
        "seconds": stored - started,
        "cpu_s": cpu,
        "check_s": checked - started,
        "store_s": stored - checked,
        "claims": claims,
        "decision_records": records,
        "audit_entries": audit,
        "audit_chain_ok": verified.ok,
        "verify_chain_s": time.perf_counter() - started_verify,
        "imported": batch.imported_count,
        "decisions": batch.decisions,
        "rows": batch.total_rows,
    }


RUNNERS = {
    "setup": phase_setup,
    "decide": phase_decide,
    "parse": phase_parse,
    "check": phase_check,
    "import": phase_import,
}


def run_phase(args: argparse.Namespace) -> None:
    setup_django()
    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    cpu = time.process_time()
    result = RUNNERS[args.phase](args)
    result["wall_s"] = time.perf_counter() - started
    result["phase_cpu_s"] = time.process_time() - cpu
    if args.tracemalloc:
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result, default=str))


# --- orchestration ---------------------------------------------------------------------------


def child(args: argparse.Namespace, phase: str, env: dict, traced: bool = False) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--workdir",
        args.workdir,
        "--rows",
        str(args.rows),
        "--seed",
        str(args.seed),
        "--error-rate",
        str(args.error_rate),
    ]
    if traced:
        cmd.append("--tracemalloc")
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"phase {phase} failed")
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def fresh_database(args: argparse.Namespace, env: dict) -> None:
    """Drop and recreate the PostgreSQL database named by --database-url (SQLite: a new dir)."""
    if not args.database_url:
        return
    import psycopg

    base, _, name = args.database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument(
        "--tracemalloc-all",
        action="store_true",
        help="also trace Python allocations in the parse/check/import phases (a second run "
        "of each, several times slower); by default only the pure decide phase is traced",
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--with-check", action="store_true", help="also run the check alone")
    parser.add_argument("--phase", choices=list(RUNNERS), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return

    with tempfile.TemporaryDirectory(prefix="warranty-bench-") as workdir:
        args.workdir = workdir
        env = {
            **os.environ,
            "SERVICELOOP_DATA_DIR": workdir,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("SERVICELOOP_DATABASE_URL", None)
        if args.database_url:
            env["SERVICELOOP_DATABASE_URL"] = args.database_url
        fresh_database(args, env)
        print(f"Setting up a fresh database and writing {args.rows:,} claims to XLSX …")
        setup = child(args, "setup", env)
        size_mb = (Path(workdir) / "claims.xlsx").stat().st_size / 2**20
        results: dict[str, dict] = {}
        phases = ("decide", "parse", "check", "import") if args.with_check else PHASES
        for phase in phases:
            print(f"  {phase} …", flush=True)
            results[phase] = child(args, phase, env)
            if phase == "decide" or args.tracemalloc_all:
                if phase == "import":  # importing twice needs a fresh database
                    fresh_database(args, env)
                    if not args.database_url:
                        os.remove(Path(workdir) / "serviceloop.sqlite3")
                    child(args, "setup", env)
                traced = child(args, phase, env, traced=True)
                results[phase]["tracemalloc_peak_mb"] = traced["tracemalloc_peak_mb"]
                results[phase]["traced_wall_s"] = traced["wall_s"]

    report = {
        "rows": args.rows,
        "seed": args.seed,
        "error_rate": args.error_rate,
        "xlsx_mb": round(size_mb, 2),
        "generate_xlsx_s": setup["generate_xlsx_s"],
        "database": "postgresql" if args.database_url else "sqlite (fresh file)",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "phases": results,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    stem = "warranty_import" + ("_postgresql" if args.database_url else "")
    (OUT / f"{stem}.json").write_text(json.dumps(report, indent=2, default=str))
    table = render_table(report)
    (OUT / f"{stem}.md").write_text(table + "\n")
    print()
    print(table)
    print(f"\nWritten to {OUT / (stem + '.json')}")


def render_table(report: dict) -> str:
    rows = report["rows"]
    lines = [
        f"Warranty import benchmark — {rows:,} claims, {report['database']}, "
        f"XLSX {report['xlsx_mb']} MB (written in {report['generate_xlsx_s']:.1f} s), "
        f"Python {report['python']}, {report['cpus']} CPUs "
        f"(load average {report['load_average_before'][0]:.1f} at the start)",
        "",
        "| phase | wall time (s) | CPU time (s) | rows/s | peak RSS (MB) | tracemalloc peak (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    names = {
        "decide": "pure decide (rules.decide + agreement)",
        "parse": "parse XLSX (openpyxl read-only)",
        "check": "parse + validate + decide",
        "import": "parse + validate + decide + store",
    }
    for phase, data in report["phases"].items():
        peak = data.get("tracemalloc_peak_mb")
        lines.append(
            f"| {names[phase]} | {data['seconds']:.2f} | {data['cpu_s']:.1f} | "
            f"{rows / data['seconds']:,.0f} | "
            f"{data['maxrss_mb']:.0f} | {'' if peak is None else f'{peak:.0f}'} |"
        )
    imp = report["phases"]["import"]
    lines += [
        "",
        f"Import: check {imp['check_s']:.1f} s + store {imp['store_s']:.1f} s; "
        f"{imp['claims']:,} claims, {imp['decision_records']:,} decision records, "
        f"{imp['audit_entries']:,} audit entries; audit chain verified "
        f"{'OK' if imp['audit_chain_ok'] else 'BROKEN'} in {imp['verify_chain_s']:.1f} s.",
        f"Decisions: {imp.get('decisions')}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
