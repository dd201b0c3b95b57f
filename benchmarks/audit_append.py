"""Benchmark: the bulk audit append path (`core.audit.audit_append_many`, what imports use)
and `audit verify`, on a fresh SQLite database (issue 9: HMAC-keyed chain, ADR 0005).

    .venv/bin/python benchmarks/audit_append.py [--entries 50000] [--rounds 3] [--json]

Appends `--entries` entries (the warranty-claim shape of benchmarks/backup_restore.py) in
batches of 10,000, `--rounds` times into one database, and reports per round the CPU time
(time.process_time) and wall time of the appends, then times one verify of the whole chain.
Run it from two checkouts (e.g. before and after a change) alternately in one session and
compare CPU ratios; the machine is shared, so wall time is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="audit-bench-")
    os.environ["SERVICELOOP_DATA_DIR"] = data
    os.environ.pop("SERVICELOOP_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from backup_restore import claim_entries  # the same entry shape as the backup benchmark
    from django.core.management import call_command
    from django.db import transaction

    from serviceloop.core.audit import audit_append_many, verify_chain

    call_command("migrate", interactive=False, verbosity=0)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rounds = []
    done = 0
    for _ in range(args.rounds):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        target = done + args.entries
        while done < target:
            n = min(BATCH, target - done)
            rows = claim_entries(done + 1, n)
            with transaction.atomic():
                audit_append_many(
                    actor=None, entries=rows, system="benchmark", at=start + timedelta(seconds=done)
                )
            done += n
        rounds.append({"cpu_s": time.process_time() - cpu0, "wall_s": time.perf_counter() - wall0})
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = verify_chain()
    verify = {"cpu_s": time.process_time() - cpu0, "wall_s": time.perf_counter() - wall0}
    out = {
        "root": str(ROOT),
        "entries_per_round": args.entries,
        "append": rounds,
        "append_cpu_best_s": min(r["cpu_s"] for r in rounds),
        "verify": verify,
        "verify_ok": result.ok,
        "verified": result.checked,
    }
    if args.json:
        print(json.dumps(out))
        return
    for k, r in enumerate(rounds, 1):
        print(
            f"round {k}: {args.entries:,} entries appended in {r['cpu_s']:.2f} s CPU, "
            f"{r['wall_s']:.2f} s wall"
        )
    print(
        f"verify: {result.checked:,} entries, ok={result.ok}, {verify['cpu_s']:.2f} s CPU, "
        f"{verify['wall_s']:.2f} s wall"
    )


if __name__ == "__main__":
    main()
