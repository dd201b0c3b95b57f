"""Benchmark (issue 15): large exports through the job path, and list pages at size.

    SERVICELOOP_DATABASE_URL=postgres://… .venv/bin/python benchmarks/list_scale.py \
        [--rows 200000] [--export-rows 100000]

(without SERVICELOOP_DATABASE_URL: a throw-away SQLite file). It migrates a fresh database,
bulk-inserts communications (a quick loader of its own: bulk_create, no audit), then:

1. the export of the communications list through the job path: the list page asked with
   ``?export=xlsx`` (answers a redirect to the job at once), then the job run in a child
   process (`export_jobs.run`, as a worker would) — wall, CPU seconds and the child's peak
   RSS — at ``--export-rows`` rows;
2. at ``--rows`` rows, the communications list (the selector, as the page reads it) through
   Django's plain Paginator (a full COUNT and an OFFSET as deep as asked: "before") and
   through core's CappedPaginator ("after"): the first page and the page at offset 150,000,
   median of 5, as ratios in this one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("SERVICELOOP_DATA_DIR", tempfile.mkdtemp(prefix="list-scale-"))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def load(total: int) -> None:
    """Bring the communications table to `total` rows (quick bulk insert, no audit)."""
    from django.utils import timezone

    from serviceloop.communications.models import Communication
    from serviceloop.core.testing.factories import CustomerFactory, user_with
    from serviceloop.customers.models import Customer

    have = Communication.objects.count()
    if have >= total:
        return
    customers = list(Customer.objects.all()[:200]) or [CustomerFactory() for _ in range(200)]
    from serviceloop.core.models import User

    owner = User.objects.filter(username__startswith="bench").first() or user_with(
        "sales", username="bench-owner"
    )
    start = timezone.now() - timedelta(days=400)
    batch = []
    for i in range(have, total):
        at = start + timedelta(minutes=2 * i)
        batch.append(
            Communication(
                number=f"BC-{i:08d}",
                customer=customers[i % len(customers)],
                channel="call",
                received_at=at,
                subject=f"减振器异响 {i}",
                body="客户反映行驶中异响，请尽快答复。",
                taken_by=owner,
                owner=owner,
                status="closed" if i % 3 else "open",
                answer_due_at=at + timedelta(hours=24),
                feedback_due_original_at=at + timedelta(days=7),
                feedback_due_at=at + timedelta(days=7),
            )
        )
        if len(batch) == 5000:
            Communication.objects.bulk_create(batch)
            batch = []
    if batch:
        Communication.objects.bulk_create(batch)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE communications_communication")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE")


def export_child(pk: int) -> None:
    setup()
    from serviceloop.core import export_jobs
    from serviceloop.core.models import ExportJob

    t0, c0 = time.perf_counter(), time.process_time()
    status = export_jobs.run(pk)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job = ExportJob.objects.get(pk=pk)
    print(
        f"export job\t{status}\trows {job.rows_done}\twall {wall:.1f} s\tcpu {cpu:.1f} s\t"
        f"peak RSS {rss:.0f} MB\tfile {job.size / 1e6:.1f} MB",
        flush=True,
    )


def ask_export() -> int:
    from django.test import Client

    from serviceloop.core.models import ExportJob, User

    client = Client()
    client.force_login(User.objects.get(username="bench-owner"))
    client.get("/communications/")  # warm up: URLconf, API schema, templates
    t0, c0 = time.perf_counter(), time.process_time()
    response = client.get("/communications/", {"export": "xlsx"})
    answered, cpu = time.perf_counter() - t0, time.process_time() - c0
    job = ExportJob.objects.order_by("-pk").first()
    assert response.status_code == 302 and job is not None, response.status_code
    where = response["Location"]
    print(f"export asked\tredirect to {where} in {answered * 1000:.0f} ms, {cpu * 1000:.0f} ms CPU")
    return job.pk


def timed(fn, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def lists(offset: int) -> None:
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import RequestFactory

    from serviceloop.communications.selectors import communication_list
    from serviceloop.core.models import User
    from serviceloop.core.views_support import paginate

    user = User.objects.get(username="bench-owner")
    per = 25
    deep = offset // per + 1

    def before(page: int):
        p = Paginator(communication_list(user), per).get_page(page)
        return list(p.object_list), p.paginator.count

    def after(page: int):
        p = paginate(RequestFactory().get("/", {"page": page}), communication_list(user), per)
        return list(p.object_list), p.paginator.shown

    print(f"list pages ({connection.vendor}, {per} rows a page), median of 5 ms:")
    for label, page in (("first page", 1), (f"offset {offset:,}", deep)):
        b = timed(lambda page=page: before(page))
        a = timed(lambda page=page: after(page))
        print(f"  {label:<16} before {b:8.1f}  after {a:8.1f}  after/before {a / b:.3f}")
    _, shown = after(1)
    print(f"  the page says: {shown} records; a page deeper than the cap shows the last one")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--offset", type=int, default=150_000)
    parser.add_argument("--child-export", type=int)
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()
    if args.child_export:
        export_child(args.child_export)
        return
    setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    if args.skip_export:
        args.export_rows = 0
    load(args.export_rows)
    print(f"loaded {args.export_rows:,} communications in {time.perf_counter() - t0:.0f} s")
    if not args.skip_export:
        pk = ask_export()
        env = dict(os.environ)
        subprocess.run(
            [sys.executable, __file__, "--child-export", str(pk)], check=True, env=env, cwd=ROOT
        )
    t0 = time.perf_counter()
    load(args.rows)
    print(f"loaded up to {args.rows:,} communications in {time.perf_counter() - t0:.0f} s")
    lists(args.offset)


if __name__ == "__main__":
    main()
