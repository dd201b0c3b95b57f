"""Reads for jobs (claims_for_analysis), "my work", the labels and the demo data."""

import random
from datetime import date

import numpy as np
import pytest

from serviceloop.core.models import ImportJob
from serviceloop.core.testing.factories import user_with
from serviceloop.warranty import selectors, services
from serviceloop.warranty.models import WarrantyClaim
from serviceloop.warranty.my_work import warranty_work
from serviceloop.warranty.tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_claims_for_analysis_rows_and_columns():
    q = user_with("quality")
    a = make_claim(q, part_number="SA-2041", build_month="2025-01", failure_mode="漏油")
    make_claim(
        q,
        part_number="SA-2041",
        build_month="2025-02",
        purchase_date=None,
        mileage_km=None,
        failure_date=date(2025, 8, 1),
    )
    make_claim(q, part_number="CR-1120", findings=["modification"])
    services.claim_override(actor=q, claim=a, decision="not_covered", reason="r")
    rows = selectors.claims_for_analysis("SA-2041")
    assert [r.build_month for r in rows] == ["2025-02", "2025-01"]  # by failure date
    assert rows[1][:7] == (
        "SA-2041",
        "2025-01",
        date(2025, 9, 1),
        date(2025, 3, 10),
        12000.0,
        "漏油",
        "not_covered",
    )  # the decision in force
    assert rows[1].sources == "warranty_claim"
    assert rows[0].purchase_date is None and rows[0].mileage_km is None
    assert len(selectors.claims_for_analysis()) == 3
    cols = selectors.analysis_columns(rows)
    assert cols["failure_date"].dtype == np.dtype("datetime64[D]")
    assert np.isnat(cols["purchase_date"][0]) and np.isnan(cols["mileage_km"][0])
    assert list(cols["decision"]) == ["needs_review", "not_covered"]


def test_my_work():
    q = user_with("quality")
    sales = user_with("sales")
    decided = make_claim(q)
    pending = make_claim(sales, purchase_date=None)
    approved = services.claim_approve(actor=q, claim=make_claim(q))
    kinds = {(i.kind, i.url.rstrip("/").split("/")[-1]) for i in warranty_work(q)}
    assert ("warranty.review", str(decided.pk)) in kinds
    mine = {(i.kind, i.url.rstrip("/").split("/")[-1]) for i in warranty_work(sales)}
    assert ("warranty.complete", str(pending.pk)) in mine
    assert ("warranty.settle", str(approved.pk)) in mine
    assert not any(i.kind == "warranty.review" for i in warranty_work(sales))
    assert list(warranty_work(user_with("production"))) == []


def test_demo_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from serviceloop import demo as base
    from serviceloop.core.models import User
    from serviceloop.warranty import demo

    base.ensure_people()
    customers = base.ensure_customers(User.objects.get(username="admin"), random.Random(1))
    assert len(customers) == 30
    demo.COUNT, count = 60, demo.COUNT
    try:
        demo.run(rng=random.Random(7), stdout=None)
        n = WarrantyClaim.objects.count()
        assert n >= 60 and ImportJob.objects.get(kind="warranty-claims").rows_created > 30
        decisions = set(WarrantyClaim.objects.values_list("decision", flat=True))
        assert decisions == {"covered", "not_covered", "needs_review"}
        assert WarrantyClaim.objects.filter(overridden_at__isnull=False).exists()
        assert WarrantyClaim.objects.exclude(status="decided").exists()
        demo.run(rng=random.Random(8), stdout=None)
        assert WarrantyClaim.objects.count() == n
    finally:
        demo.COUNT = count
