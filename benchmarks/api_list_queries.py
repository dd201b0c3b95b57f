"""Query count of every API list at a small and a large world (N+1 finder, issue 9 follow-up).

Builds the permission matrix's world P_SMALL times (default 3), counts the queries of each
`GET` list as a user holding every role, builds it up to P_BIG times (default 15) and counts
again; a list whose count grows has a per-row query (the most repeated SQL is shown). Run:

    .venv/bin/pytest -p no:cacheprovider -q -s benchmarks/api_list_queries.py

(about 1.5 minutes). Matrix builds that refuse a second copy (a fixed code or period) are
listed; their lists keep one record.
"""

import os
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conftest import ApiClient
from serviceloop.core.models import Role
from serviceloop.core.testing.factories import AgentFactory, user_with
from serviceloop.core.tests.test_permission_matrix import API, MODULES

pytestmark = pytest.mark.django_db


def _build(failed: set[str]) -> None:
    w = {"agency": AgentFactory()}
    for m in MODULES:
        try:
            with transaction.atomic():
                m.build(w)
        except Exception as e:  # a second copy refused: report, go on
            failed.add(f"{m.__name__}: {e!r}"[:160])


def test_list_query_counts():
    lists = sorted(p for (m, p) in API if m == "get" and "{" not in p)
    small, big = int(os.environ.get("P_SMALL", 3)), int(os.environ.get("P_BIG", 15))
    user = user_with("admin")
    user.roles.set(Role.objects.all())
    api = ApiClient(user)
    failed: set[str] = set()

    def measure():
        out = {}
        for p in lists:
            path = p.removeprefix("/api/v1/")
            api.get(path)  # warm: the token's first use is recorded once
            with CaptureQueriesContext(connection) as ctx:
                r = api.get(path + "?limit=100")
            body = r.json() if r.status_code == 200 else {}
            rows = len(body["items"]) if isinstance(body, dict) and "items" in body else -1
            out[p] = (
                len(ctx.captured_queries),
                rows,
                [q["sql"][:140] for q in ctx.captured_queries],
            )
        return out

    for _ in range(small):
        _build(failed)
    a = measure()
    for _ in range(big - small):
        _build(failed)
    b = measure()
    print(f"\nbuilds refused on a repeat: {sorted(failed)}")
    print(f"{'list':45} {'queries/rows small':>20} {'queries/rows big':>18}")
    for p in lists:
        grows = " <- grows" if b[p][0] != a[p][0] else ""
        print(f"{p:45} {a[p][0]:>12}/{a[p][1]:<7} {b[p][0]:>10}/{b[p][1]:<7}{grows}")
        if grows:
            for sql, n in Counter(b[p][2]).most_common(2):
                print(f"      x{n} {sql}")
