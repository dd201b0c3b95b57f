"""The large-company loader (issue 15, `serviceloop.scale`) at a tiny scale: the counts it
promises, real numbers, whole 8Ds, and an audit chain that verifies with one CREATE entry per
audited record."""

import re

import pytest
from django.db.models import Count

from serviceloop import scale
from serviceloop.communications.models import Communication
from serviceloop.complaints.models import Complaint, Discipline, EightDReport
from serviceloop.core.audit import verify_chain
from serviceloop.core.models import AuditEntry
from serviceloop.customers.models import Customer
from serviceloop.earlywarning.models import ProductionVolume
from serviceloop.warranty.models import WarrantyClaim, WarrantyDecisionRecord

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCALE = 0.0001  # 5 customers (the minimum), 100 communications, 100 claims, 30 complaints


def test_sizes_follow_the_scale():
    assert scale.sizes(1) == scale.FULL
    assert scale.sizes(0.01)["communications"] == 10_000
    assert scale.sizes(SCALE) == {
        "customers": 5,
        "communications": 100,
        "claims": 100,
        "complaints": 30,
    }
    with pytest.raises(ValueError):
        scale.sizes(0)


def test_tiny_load_is_complete_and_audited():
    loaded = scale.load(SCALE, seed=7)
    want = scale.sizes(SCALE)
    assert Customer.objects.filter(code__startswith="L").count() == want["customers"]
    assert Communication.objects.count() == want["communications"]
    assert WarrantyClaim.objects.count() == WarrantyDecisionRecord.objects.count() == 100
    assert Complaint.objects.count() == EightDReport.objects.count() == want["complaints"]
    assert Discipline.objects.count() == 9 * want["complaints"]
    assert not EightDReport.objects.annotate(n=Count("disciplines")).exclude(n=9).exists()

    # Numbers as the services give them, gap-free within each prefix and year.
    for model, prefix in ((Communication, "COM"), (WarrantyClaim, "WC"), (Complaint, "CMP")):
        numbers = list(model.objects.values_list("number", flat=True))
        assert all(re.fullmatch(rf"{prefix}-\d{{4}}-\d{{5}}", n) for n in numbers)
        by_year: dict[str, list[int]] = {}
        for n in numbers:
            _, year, seq = n.split("-")
            by_year.setdefault(year, []).append(int(seq))
        for seqs in by_year.values():
            assert sorted(seqs) == list(range(1, len(seqs) + 1))

    # Some work is open, most history is closed.
    assert Communication.objects.filter(status="closed").count() > 50
    assert Communication.objects.exclude(status="closed").exists()
    assert Complaint.objects.filter(status="closed").exists()

    # One CREATE entry per audited record, and the chain holds.
    assert ProductionVolume.objects.count() == 5 * 48
    # + one 8D per complaint and the production volumes
    audited = sum(want.values()) + want["complaints"] + 5 * 48
    assert loaded.audit_entries == audited
    assert AuditEntry.objects.filter(reason=scale.REASON).count() == audited
    claim = WarrantyClaim.objects.first()
    entry = AuditEntry.objects.get(object_type="warranty.warrantyclaim", object_id=str(claim.pk))
    assert entry.action == "create" and entry.after["number"] == claim.number
    assert entry.object_repr == str(claim)
    complaint = Complaint.objects.select_related("customer").first()
    entry = AuditEntry.objects.get(object_type="complaints.complaint", object_id=str(complaint.pk))
    assert entry.object_repr == str(complaint)
    result = verify_chain()
    assert result.ok, result.problem


def _index_definitions() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [scale._loaded_tables()]
        )
        return {row[0] for row in cursor.fetchall()}


def test_parallel_load_with_rebuilt_indexes_on_postgresql():
    """The benchmark's way (PostgreSQL): three processes at once, the plain indexes dropped for
    the load and built again. The chain is one valid chain with every entry and the tables end
    with exactly the indexes they had."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("parallel loading and index rebuilding are PostgreSQL's")
    before = _index_definitions()
    loaded = scale.load(SCALE, seed=7, parallel=True, rebuild_indexes=True)
    want = scale.sizes(SCALE)
    assert set(loaded.seconds) >= {"communications", "claims", "complaints", "indexes"}
    assert Communication.objects.count() == want["communications"]
    assert WarrantyClaim.objects.count() == WarrantyDecisionRecord.objects.count() == 100
    assert Discipline.objects.count() == 9 * want["complaints"]
    audited = sum(want.values()) + want["complaints"] + 5 * 48
    assert loaded.audit_entries == audited
    assert AuditEntry.objects.filter(reason=scale.REASON).count() == audited
    assert _index_definitions() == before
    result = verify_chain()
    assert result.ok, result.problem
