"""The audit chain over content digests (issue 13): any tampering with an entry's frame or
content is found; a redaction (disposal) empties the content and the chain still verifies."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from serviceloop.core.audit import audit_redact, verify_chain
from serviceloop.core.models import AuditChainHead, AuditEntry
from serviceloop.core.models.audit import _sha256_json
from serviceloop.core.testing.factories import user_with
from serviceloop.customers.services import customer_create, customer_update

pytestmark = pytest.mark.django_db


def _history(n=3):
    actor = user_with("sales")
    customers = []
    for i in range(n):
        c = customer_create(actor=actor, code=f"R{i}", name=f"张三{i}", tier="retail")
        customer_update(actor=actor, customer=c, name=f"李四{i}", reason="改名")
        customers.append(c)
    return actor, customers


def _entry_about(customer):
    return AuditEntry.objects.filter(object_type="customers.customer", object_id=str(customer.pk))


@pytest.mark.parametrize(
    "change",
    [
        {"before": {"name": "forged"}},
        {"after": {"name": "forged"}},
        {"object_repr": "forged"},
        {"reason": "forged"},
        {"actor_label": "someone-else"},
        {"actor_id": None},
        {"object_type": "customers.contact"},
        {"object_id": "999"},
        {"action": "delete"},
    ],
)
def test_tampering_with_any_part_of_an_entry_is_found(change):
    _, customers = _history()
    entry = _entry_about(customers[1]).order_by("seq").last()
    AuditEntry.objects.filter(pk=entry.pk).update(**change)
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == entry.seq


def test_tampering_with_the_time_is_found():
    _, customers = _history()
    entry = _entry_about(customers[0]).order_by("seq").first()
    AuditEntry.objects.filter(pk=entry.pk).update(at=entry.at - timedelta(days=1))
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == entry.seq


def test_redaction_keeps_the_chain_verifiable_and_removes_the_personal_data():
    actor, customers = _history()
    admin = user_with("admin")
    n = audit_redact(
        actor=admin,
        object_type="customers.customer",
        object_ids=[customers[1].pk],
        reason="disposal #1",
    )
    assert n == 2
    for entry in _entry_about(customers[1]):
        assert entry.redacted and entry.redacted_by == admin
        assert entry.redaction_reason == "disposal #1"
        assert "张三1" not in str(entry.before) + str(entry.after) + entry.object_repr
        assert entry.actor == actor  # the frame stays: who did what when, to which record
    assert all(not e.redacted for e in _entry_about(customers[0]))
    assert verify_chain().ok
    call_command("audit", "verify")  # exits 0
    # redacting again does nothing
    assert (
        audit_redact(
            actor=admin, object_type="customers.customer", object_ids=[customers[1].pk], reason="x"
        )
        == 0
    )


def test_a_redacted_entry_cannot_be_refilled_or_have_its_digest_changed():
    _, customers = _history()
    audit_redact(
        actor=None, object_type="customers.customer", object_ids=[customers[0].pk], reason="d"
    )
    entry = _entry_about(customers[0]).order_by("seq").first()
    AuditEntry.objects.filter(pk=entry.pk).update(after={"name": "invented"})
    result = verify_chain()
    assert (result.ok, result.checked, result.first_bad_seq) == (False, entry.seq - 1, entry.seq)
    assert result.problem == f"entry {entry.seq} was altered (redacted, yet holds content)"
    AuditEntry.objects.filter(pk=entry.pk).update(after=None, content_digest="0" * 64)
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == entry.seq


def test_a_fake_redaction_that_hides_content_is_still_visible_as_redaction():
    """A database writer can erase content only by marking the entry redacted (visible)."""
    _, customers = _history()
    entry = _entry_about(customers[0]).order_by("seq").first()
    AuditEntry.objects.filter(pk=entry.pk).update(after=None)  # silently erased
    assert not verify_chain().ok


def test_migration_reseals_a_chain_written_under_the_old_scheme():
    _history(2)
    prev = "0" * 64
    for e in AuditEntry.objects.order_by("seq"):  # rewrite as the pre-digest code wrote it
        e.prev_hash, e.content_digest, e.key_id = prev, "", ""
        e.hash = _sha256_json(e.payload())
        e.save()
        prev = e.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    assert "not sealed with an audit key" in verify_chain().problem  # unkeyed (issue 9)
    migration = import_module("serviceloop.core.migrations.0006_audit_redaction")
    migration.reseal(apps, None)
    assert not AuditEntry.objects.filter(content_digest="").exists()
    keyed = import_module("serviceloop.core.migrations.0010_audit_hmac_key")
    keyed.reseal(apps, None)  # then keyed (ADR 0005)
    assert not AuditEntry.objects.filter(key_id="").exists()
    assert verify_chain().ok
