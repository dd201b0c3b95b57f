"""Benchmark: hostile files are refused fast, in bounded memory, while others keep writing
(issue 9: "a crafted file is refused within a few seconds using bounded memory (target:
< 5 s and < 200 MB extra), while other users keep writing").

    .venv/bin/python benchmarks/import_crafted_files.py [--database-url postgres://…/imports_bench]

Files (written into a temporary directory):
- cell_300mb.xlsx      one 300 MB cell (a shared string of one letter) in a ~300 KB file;
- rows_1_5m_packed.xlsx 1.5 million identical rows without row numbers: ~200 KB, as in
                       issue 9 (refused by the zip-bomb ratio before any parsing);
- rows_1_5m.xlsx       1.5 million small numbered rows (~7 MB, below the ratio);
- rows_1_5m_dense.xlsx 1.5 million rows of varied numbers (~19 MB);
                       these two are refused by the row count taken before parsing;
- rows_1_5m.csv        1.5 million CSV rows (no zip: the row limit while streaming).
For each, a child process uploads it as a `warranty-claims` import and runs the job as the
worker does, measuring the wall time until the refusal and the peak RSS above the process's
RSS just before; meanwhile another process writes (updates a customer through its service,
one transaction every 20 ms) and records each write's latency and any failure.
Prints a table and writes benchmarks/out/import_crafted_files[_postgresql].json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>客户编码</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>故障日期</t></is></c></row>'
)


def _workbook(path: Path, sheet_chunks, sst_chunks=None, level: int = 9) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for chunk in sheet_chunks:
                part.write(chunk)
        rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        if sst_chunks is not None:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                for chunk in sst_chunks:
                    part.write(chunk)
            rels += (
                f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>'
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )


def make_files(folder: Path) -> dict[str, Path]:
    files = {}
    # one 300 MB shared string, used by the cell under the header
    mb = b"A" * (1024 * 1024)
    sst = [f'<sst xmlns="{NS}"><si><t>'.encode(), *([mb] * 300), b"</t></si></sst>"]
    sheet = [
        f'<worksheet xmlns="{NS}"><sheetData>{HEADER}'
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>45000</v></c></row>'
        "</sheetData></worksheet>".encode()
    ]
    files["cell_300mb.xlsx"] = folder / "cell_300mb.xlsx"
    _workbook(files["cell_300mb.xlsx"], sheet, sst)

    def packed(n: int):
        yield f'<worksheet xmlns="{NS}"><sheetData>{HEADER}'.encode()
        yield b"<row><c><v>1</v></c></row>" * n
        yield b"</sheetData></worksheet>"

    files["rows_1_5m_packed.xlsx"] = folder / "rows_1_5m_packed.xlsx"
    _workbook(files["rows_1_5m_packed.xlsx"], packed(1_500_000))

    def rows(n: int, dense: bool):
        yield f'<worksheet xmlns="{NS}"><sheetData>{HEADER}'.encode()
        rng = random.Random(7)
        batch = []
        for r in range(2, n + 2):
            value = rng.getrandbits(40) if dense else 1
            batch.append(f'<row r="{r}"><c r="A{r}"><v>{value}</v></c></row>')
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch.clear()
        yield "".join(batch).encode()
        yield b"</sheetData></worksheet>"

    files["rows_1_5m.xlsx"] = folder / "rows_1_5m.xlsx"
    _workbook(files["rows_1_5m.xlsx"], rows(1_500_000, dense=False))
    files["rows_1_5m_dense.xlsx"] = folder / "rows_1_5m_dense.xlsx"
    _workbook(files["rows_1_5m_dense.xlsx"], rows(1_500_000, dense=True))
    files["rows_1_5m.csv"] = folder / "rows_1_5m.csv"
    with open(files["rows_1_5m.csv"], "w", encoding="utf-8") as f:
        f.write("客户编码,故障日期\n")
        for i in range(1_500_000):
            f.write(f"C{i % 1000:03d},2025-09-01\n")
    return files


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def phase_import(path: str) -> dict:
    """Upload the file and run the job as the worker would; time and memory to the end."""
    from django.core.files import File
    from django.urls import reverse

    from serviceloop.core.importing import jobs
    from serviceloop.core.importing.services import import_create
    from serviceloop.core.models import ImportJob, User

    actor = User.objects.get(username="bench-quality")
    with open(path, "rb") as stream:
        job = import_create(
            actor=actor,
            kind="warranty-claims",
            upload=File(stream, name=Path(path).name),
            enqueue=False,
        )
    # A running worker has its URLconf loaded already (the job's notification links to
    # its page); a fresh process would pay about a second for it in the first job.
    reverse("imports:index")
    before = rss_mb()
    started = time.perf_counter()
    jobs.run(job.pk)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job = ImportJob.objects.get(pk=job.pk)
    return {
        "seconds": round(seconds, 2),
        "extra_mb": round(max(0.0, peak - before), 1),
        "rss_before_mb": round(before, 1),
        "status": job.status,
        "message": job.message,
    }


def phase_writer(stop_file: str) -> dict:
    """Update a customer every 20 ms until the stop file appears; each write's latency."""
    from django.db import transaction

    from serviceloop.core.models import User
    from serviceloop.customers.models import Customer
    from serviceloop.customers.services import customer_update

    actor = User.objects.get(username="bench-admin")
    customer = Customer.objects.get(code="W001")
    latencies, failures, n = [], [], 0
    while not os.path.exists(stop_file):
        n += 1
        started = time.perf_counter()
        try:
            with transaction.atomic():  # as a request would
                customer_update(actor=actor, customer=customer, notes=f"write {n}")
        except Exception as exc:  # noqa: BLE001 (what the other user would see)
            failures.append(f"{type(exc).__name__}: {exc}"[:200])
        latencies.append(time.perf_counter() - started)
        customer.refresh_from_db()
        time.sleep(0.02)
    latencies.sort()
    return {
        "writes": len(latencies),
        "failures": len(failures),
        "first_failure": failures[0] if failures else "",
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "max_ms": round(1000 * latencies[-1], 1) if latencies else None,
    }


def phase_setup() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from serviceloop.core.models import Role, User
    from serviceloop.customers.services import customer_create

    admin = User.objects.create_superuser("bench-admin", password="x")
    quality = User.objects.create_user("bench-quality", password="x")
    quality.roles.set(Role.objects.filter(code="quality"))
    customer_create(actor=admin, code="W001", name="写入测试客户", tier="retail")
    return {}


def child(phase: str, env: dict, *extra: str, wait: bool = True):
    cmd = [sys.executable, __file__, "--phase", phase, *extra]
    if not wait:
        return subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return _result(out.returncode, out.stdout, out.stderr, phase)


def _result(code: int, stdout: str, stderr: str, phase: str) -> dict:
    if code != 0:
        sys.stderr.write(stdout + stderr)
        raise SystemExit(f"phase {phase} failed")
    line = next(ln for ln in stdout.splitlines() if ln.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--arg", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        setup_django()
        result = {
            "setup": lambda: phase_setup(),
            "import": lambda: phase_import(args.arg),
            "writer": lambda: phase_writer(args.arg),
        }[args.phase]()
        print("RESULT " + json.dumps(result))
        return

    with tempfile.TemporaryDirectory(prefix="crafted-bench-") as workdir:
        env = {
            **os.environ,
            "SERVICELOOP_DATA_DIR": workdir,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("SERVICELOOP_DATABASE_URL", None)
        if args.database_url:
            import psycopg

            base, _, name = args.database_url.rpartition("/")
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            env["SERVICELOOP_DATABASE_URL"] = args.database_url
        child("setup", env)
        print("Writing the crafted files …", flush=True)
        files = make_files(Path(workdir))
        results = {}
        for name, path in files.items():
            print(f"  {name} ({path.stat().st_size / 1024:,.0f} KB) …", flush=True)
            stop = Path(workdir) / f"stop-{name}"
            writer = child("writer", env, "--arg", str(stop), wait=False)
            time.sleep(2.0)  # the writer is up and writing
            result = child("import", env, "--arg", str(path))
            stop.touch()
            out, err = writer.communicate(timeout=60)
            result["writer"] = _result(writer.returncode, out, err, "writer")
            result["file_kb"] = round(path.stat().st_size / 1024)
            results[name] = result

    report = {
        "database": "postgresql" if args.database_url else "sqlite (WAL)",
        "load_average": os.getloadavg(),
        "files": results,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    stem = "import_crafted_files" + ("_postgresql" if args.database_url else "")
    (OUT / f"{stem}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nCrafted files, {report['database']} (load average {report['load_average'][0]:.1f})\n")
    print(
        "| file | size (KB) | refused in (s) | extra RSS (MB) | status "
        "| other writes: n / failed / max ms |"
    )
    print("|---|---:|---:|---:|---|---|")
    for name, r in results.items():
        w = r["writer"]
        print(
            f"| {name} | {r['file_kb']:,} | {r['seconds']} | {r['extra_mb']} | {r['status']}: "
            f"{r['message'][:70]} | {w['writes']} / {w['failures']} / {w['max_ms']} |"
        )


if __name__ == "__main__":
    main()
