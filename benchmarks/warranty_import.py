"""Benchmark: importing 100,000 warranty claims through the import engine (issue 8: ≤ 30 s on
SQLite and on PostgreSQL, peak RSS ≤ 500 MB).

    .venv/bin/python benchmarks/warranty_import.py [--rows 100000] [--seed 20261125]
        [--error-rate 0] [--database-url postgres://…/imports_bench] [--profile]

1. Builds a fresh database in a temporary directory (SQLite unless --database-url, whose
   database is dropped and created again): the schema, 30 customers (ten with a service
   agreement) and an importing user.
2. Writes an XLSX of `--rows` realistic claims with the template's Chinese headers, laid out
   as Excel writes it (shared strings, dates as serials with a date format); fixed seed.
3. Times, each phase in its own process so that its peak memory is its own:
   - decide:   the pure rule over all rows (agreement lookup + rules.decide), no I/O;
   - parse:    the engine's streaming XLSX reader, nothing else — and, as the peer in the
               same run, openpyxl's read-only reader over the same file (parse_openpyxl);
   - import:   the import job as the worker runs it (core.importing.jobs.run): parse +
               validate + decide (check), then number + insert the claims, their decision
               records and one hash-chained audit entry each (store); then checks the counts
               and verifies the whole audit chain (timed separately).
   Wall time (time.perf_counter), CPU time of the process (time.process_time) and its peak
   RSS (getrusage maxrss). The machine is shared: CPU time is the steadier figure.
   --profile runs the import once more under cProfile and prints where the time goes.
4. Prints a table and writes benchmarks/out/warranty_import[_postgresql].json (+ .md).
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PHASES = ("decide", "parse", "parse_openpyxl", "import")
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
    """`n` rows in the template's column order (importing.CLAIMS.template_columns)."""
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

    from serviceloop.warranty.importing import CLAIMS, SHEET_NAME

    TEMPLATE_COLUMNS = CLAIMS.template_columns  # noqa: N806

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
    path = Path(args.workdir) / "claims.xlsx"
    if not path.exists():  # the same seed gives the same file: written once per run
        write_xlsx(path, args.rows, args.seed, args.error_rate)
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
        repairable = {"是": True, "否": False}.get(row[5])
        inputs.append((row[0], row[1], row[2], row[3], codes, repairable))
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
    from serviceloop.core.importing.limits import default_limits
    from serviceloop.core.importing.reading import open_table

    started, cpu = time.perf_counter(), time.process_time()
    with open(Path(args.workdir) / "claims.xlsx", "rb") as stream:
        n = sum(1 for _ in open_table(stream, "claims.xlsx", default_limits())) - 1
    return {"seconds": time.perf_counter() - started, "cpu_s": time.process_time() - cpu, "rows": n}


def phase_parse_openpyxl(args: argparse.Namespace) -> dict:
    """The peer: openpyxl's read-only reader over the same file, values only."""
    from openpyxl import load_workbook

    started, cpu = time.perf_counter(), time.process_time()
    wb = load_workbook(Path(args.workdir) / "claims.xlsx", read_only=True, data_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True)) - 1
    wb.close()
    return {"seconds": time.perf_counter() - started, "cpu_s": time.process_time() - cpu, "rows": n}


def _import(args: argparse.Namespace) -> tuple[Any, dict]:
    """Upload (queued, as the API does) and run the job as the worker does."""
    from django.core.files import File
    from django.urls import reverse

    from serviceloop.core.importing import jobs
    from serviceloop.core.importing.services import import_create
    from serviceloop.core.models import User

    actor = User.objects.get(username="bench-quality")
    mode = "valid_rows" if args.error_rate > 0 else "all_or_nothing"
    with open(Path(args.workdir) / "claims.xlsx", "rb") as stream:
        job = import_create(
            actor=actor,
            kind="warranty-claims",
            upload=File(stream, name="claims.xlsx"),
            mode=mode,
            enqueue=False,
        )
    # A running worker has its URLconf loaded already (the job's notification links to
    # its page); a fresh process would pay about a second for it in the first job.
    reverse("imports:index")
    started, cpu = time.perf_counter(), time.process_time()
    jobs.run(job.pk)
    timing = {"seconds": time.perf_counter() - started, "cpu_s": time.process_time() - cpu}
    job.refresh_from_db()
    timing["check_s"] = (job.checked_at - job.started_at).total_seconds()
    timing["store_s"] = (job.finished_at - job.checked_at).total_seconds()
    return job, timing


def phase_import(args: argparse.Namespace) -> dict:
    from serviceloop.core.audit import verify_chain
    from serviceloop.core.models import AuditEntry
    from serviceloop.warranty.models import WarrantyClaim, WarrantyDecisionRecord

    audit_before = AuditEntry.objects.count()
    job, result = _import(args)
    started_verify = time.perf_counter()
    verified = verify_chain()
    return {
        **result,
        "status": job.status,
        "rows": job.rows_total,
        "imported": job.rows_created,
        "claims": WarrantyClaim.objects.count(),
        "decision_records": WarrantyDecisionRecord.objects.count(),
        "audit_entries": AuditEntry.objects.count() - audit_before,
        "audit_chain_ok": verified.ok,
        "verify_chain_s": time.perf_counter() - started_verify,
        "decisions": {k: v for k, v in job.summary.items() if isinstance(v, int)},
    }


def phase_profile(args: argparse.Namespace) -> dict:
    """The import under cProfile: the functions with the most time of their own, and the
    time by part of the engine (cumulative, so parts overlap where one calls another)."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    _job, result = _import(args)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(22)
    parts = {
        "read XLSX (xlsx.py)": "importing/xlsx.py:",
        "check rows (checking.py run)": "checking.py:",
        "warranty clean (decide + values)": "warranty/importing.py:",
        "keep rows (pickle)": "rowfile.py:",
        "store (warranty store)": "warranty/importing.py:",
        "fast inserts (bulk.py insert)": "bulk.py:",
        "audit append": "audit.py:",
    }
    functions = {
        "read XLSX (xlsx.py)": "__iter__",
        "check rows (checking.py run)": "run",
        "warranty clean (decide + values)": "clean",
        "keep rows (pickle)": "read",
        "store (warranty store)": "store",
        "fast inserts (bulk.py insert)": "insert",
        "audit append": "audit_append_many",
    }
    cumulative = {}
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        for part, path in parts.items():
            if path in f"{filename}:" and name == functions[part]:
                cumulative[part] = cumulative.get(part, 0.0) + row[3]
    print(out.getvalue())
    return {**result, "profile_cumulative_s": cumulative, "profile_top": out.getvalue()[:6000]}


RUNNERS = {
    "setup": phase_setup,
    "decide": phase_decide,
    "parse": phase_parse,
    "parse_openpyxl": phase_parse_openpyxl,
    "import": phase_import,
    "profile": phase_profile,
}


def run_phase(args: argparse.Namespace) -> None:
    setup_django()
    started = time.perf_counter()
    cpu = time.process_time()
    result = RUNNERS[args.phase](args)
    result["wall_s"] = time.perf_counter() - started
    result["phase_cpu_s"] = time.process_time() - cpu
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result, default=str))


# --- orchestration ---------------------------------------------------------------------------


def child(args: argparse.Namespace, phase: str, env: dict) -> dict:
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
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"phase {phase} failed")
    if phase == "profile":
        print(out.stdout.split("RESULT ")[0])
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def fresh_database(args: argparse.Namespace, workdir: str) -> None:
    """A new database: drop and create the PostgreSQL one of --database-url, or remove the
    SQLite file of the data directory."""
    if not args.database_url:
        for suffix in ("", "-wal", "-shm"):
            path = Path(workdir) / f"serviceloop.sqlite3{suffix}"
            if path.exists():
                path.unlink()
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
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", action="store_true", help="also profile the import")
    parser.add_argument("--phase", choices=list(RUNNERS), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
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
        fresh_database(args, workdir)
        print(f"Setting up a fresh database and writing {args.rows:,} claims to XLSX …")
        setup = child(args, "setup", env)
        size_mb = (Path(workdir) / "claims.xlsx").stat().st_size / 2**20
        results: dict[str, dict] = {}
        for phase in PHASES + (("profile",) if args.profile else ()):
            if phase == "profile":  # importing again needs a fresh database
                fresh_database(args, workdir)
                child(args, "setup", env)
            print(f"  {phase} …", flush=True)
            results[phase] = child(args, phase, env)

    report = {
        "rows": args.rows,
        "seed": args.seed,
        "error_rate": args.error_rate,
        "xlsx_mb": round(size_mb, 2),
        "generate_xlsx_s": setup["generate_xlsx_s"],
        "database": "postgresql" if args.database_url else "sqlite (fresh file, WAL)",
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
        "| phase | wall time (s) | CPU time (s) | rows/s (wall) | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    names = {
        "decide": "pure decide (rules.decide + agreement)",
        "parse": "parse XLSX (core.importing reader)",
        "parse_openpyxl": "parse XLSX (openpyxl read-only, the peer)",
        "import": "import job: parse + validate + decide + store + audit",
        "profile": "import job under cProfile",
    }
    for phase, data in report["phases"].items():
        lines.append(
            f"| {names[phase]} | {data['seconds']:.2f} | {data['cpu_s']:.1f} | "
            f"{rows / data['seconds']:,.0f} | {data['maxrss_mb']:.0f} |"
        )
    imp = report["phases"]["import"]
    parse, peer = report["phases"]["parse"], report["phases"]["parse_openpyxl"]
    lines += [
        "",
        f"Import {imp['status']}: check {imp['check_s']:.1f} s + store {imp['store_s']:.1f} s "
        f"(wall); {imp['claims']:,} claims, {imp['decision_records']:,} decision records, "
        f"{imp['audit_entries']:,} audit entries; audit chain verified "
        f"{'OK' if imp['audit_chain_ok'] else 'BROKEN'} in {imp['verify_chain_s']:.1f} s.",
        f"Reader vs openpyxl (CPU): {peer['cpu_s'] / max(parse['cpu_s'], 1e-9):.1f}× faster.",
        f"Decisions: {imp.get('decisions')}",
    ]
    if "profile" in report["phases"]:
        parts = report["phases"]["profile"]["profile_cumulative_s"]
        lines += ["", "Profile (cumulative s under cProfile, parts overlap):"]
        lines += [f"- {part}: {sec:.1f}" for part, sec in parts.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
