"""Batch writes that keep the guarantees of the one-at-a-time ones: numbers in blocks, audit
entries appended many at once (the chain still verifies, each entry as `audit_record` would
write it), and fast inserts that store exactly what `bulk_create` stores."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from serviceloop.core.audit import (
    audit_create,
    audit_create_many,
    audit_many,
    snapshot,
    snapshot_values,
    verify_chain,
)
from serviceloop.core.bulk import Table
from serviceloop.core.models import AuditEntry
from serviceloop.core.numbering import allocate_numbers, next_number
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.warranty.models import WarrantyClaim
from serviceloop.warranty.tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_numbers_come_in_gap_free_blocks():
    year = timezone.localdate().year
    assert next_number("TST") == f"TST-{year}-00001"
    block = allocate_numbers("TST", 3)
    assert block == [f"TST-{year}-{n:05d}" for n in (2, 3, 4)]
    assert next_number("TST") == f"TST-{year}-00005"
    assert allocate_numbers("TST", 0) == []
    assert allocate_numbers("TST", 1, timezone.now().replace(year=2030))[0] == "TST-2030-00001"


def _copy_values(claim: WarrantyClaim, **changes):
    values = {f.attname: f.value_from_object(claim) for f in claim._meta.concrete_fields}
    values.pop("id")
    values.update(changes)
    return values


def test_a_fast_insert_stores_what_bulk_create_stores():
    quality = user_with("quality")
    claim = make_claim(
        quality,
        CustomerFactory(),
        serial_number="S1",
        cost_parts=Decimal("1.50"),
        purchase_date=date(2025, 1, 2),
    )
    table = Table.of(WarrantyClaim)
    now = timezone.now()
    [pk] = table.insert(table.rows([_copy_values(claim, number="X-1", serial_number="S2")], now))
    orm = WarrantyClaim(**_copy_values(claim, number="X-2", serial_number="S3"))
    WarrantyClaim.objects.bulk_create([orm])
    fast, slow = WarrantyClaim.objects.get(pk=pk), WarrantyClaim.objects.get(number="X-2")
    skip = {"id", "number", "serial_number", "updated_at"}
    for field in claim._meta.concrete_fields:
        if field.attname not in skip:
            assert field.value_from_object(fast) == field.value_from_object(slow), field.attname
    assert str(fast) == table.describe(_copy_values(fast), pk)


def test_many_entries_in_one_lock_keep_the_chain():
    quality = user_with("quality")
    customer = CustomerFactory()
    audit_create(actor=quality, obj=customer)
    claims = [make_claim(quality, customer, serial_number=f"S{i}") for i in range(3)]
    before = AuditEntry.objects.count()
    assert audit_create_many(actor=quality, objs=claims, reason="import X") == 3
    entries = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.object_id for e in entries] == [str(c.pk) for c in claims]
    for entry, claim in zip(entries, claims, strict=True):
        assert entry.after == snapshot(claim)  # what audit_create would have written
        assert entry.hash == entry.compute_hash()
        assert (entry.reason, entry.actor_label, entry.action) == (
            "import X",
            quality.username,
            "create",
        )
    assert verify_chain().ok
    # the values-based snapshot gives the same JSON as the instance-based one
    values = {f.attname: f.value_from_object(claims[0]) for f in claims[0]._meta.concrete_fields}
    assert AuditEntry.objects.get(seq=before + 1).after == snapshot(claims[0])
    assert snapshot_values(WarrantyClaim, values).keys() == snapshot(claims[0]).keys()


def test_updates_in_one_lock_record_what_changed():
    customer = CustomerFactory(name="旧名")
    before = snapshot(customer)
    customer.name = "新名"
    customer.save()
    assert audit_many(actor=None, created=[], updated=[(customer, before)], system="test") == 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.before["name"] == "旧名" and entry.after["name"] == "新名"
    assert entry.actor_label == "system:test" and verify_chain().ok
    assert audit_many(actor=None, updated=[(customer, snapshot(customer))]) == 0
