"""The audit log: written by services in their transaction, hash-chained, verifiable."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from serviceloop.communications.services import sweep_overdue
from serviceloop.core.audit import verify_chain
from serviceloop.core.models import AuditChainHead, AuditEntry
from serviceloop.core.testing.factories import register_communication, user_with
from serviceloop.customers.models import Customer
from serviceloop.customers.services import customer_create, customer_update

pytestmark = pytest.mark.django_db


def _some_history(n=5):
    actor = user_with("sales")
    for i in range(n):
        c = customer_create(actor=actor, code=f"A{i}", name=f"客户{i}", tier="retail")
        customer_update(actor=actor, customer=c, name=f"客户{i}改", reason="名称变更")
    return actor


def test_services_write_entries_with_actor_before_after_and_reason():
    actor = user_with("sales")
    c = customer_create(actor=actor, code="X1", name="甲", tier="retail")
    customer_update(actor=actor, customer=c, name="乙", reason="客户更名")
    create, update = AuditEntry.objects.filter(
        object_id=str(c.pk), object_type="customers.customer"
    ).order_by("seq")
    assert create.action == "create" and create.actor == actor and create.after["name"] == "甲"
    assert update.before == {"name": "甲", "updated_at": update.before["updated_at"]}
    assert update.after["name"] == "乙" and update.reason == "客户更名"
    assert verify_chain().ok


def test_failed_write_leaves_no_entry():
    actor = user_with("sales")
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError), transaction.atomic():
        customer_create(actor=actor, code="", name="", tier="nope")
    assert AuditEntry.objects.count() == count
    assert not Customer.objects.exists()


def test_jobs_write_audit_entries_without_a_request():
    actor = user_with("sales")
    register_communication(actor, received_at=timezone.now() - timedelta(days=2))
    sweep_overdue()
    entry = AuditEntry.objects.filter(actor_label="system:sweep_overdue").first()
    assert entry is not None and entry.actor is None
    assert verify_chain().ok


def test_verify_detects_an_altered_entry():
    _some_history()
    AuditEntry.objects.filter(seq=4).update(reason="tampered")
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 4 and "altered" in result.problem


def _other_user_id():
    return user_with("quality").pk


# Every column the hash covers, altered in the database as a forger would (no model code runs):
# what was before, who did it, when, and on which record (issue 17, mutant 3).
TAMPERING = {
    "before": lambda e: {"before": {"name": "forged", "updated_at": e.before["updated_at"]}},
    "before emptied": lambda e: {"before": None},
    "after": lambda e: {"after": {"name": "forged"}},
    "reason": lambda e: {"reason": "tampered"},
    "actor": lambda e: {"actor_id": _other_user_id()},
    "actor label": lambda e: {"actor_label": "someone else"},
    "time": lambda e: {"at": e.at - timedelta(days=1)},
    "time by a microsecond": lambda e: {"at": e.at + timedelta(microseconds=1)},
    "action": lambda e: {"action": "create"},
    "object type": lambda e: {"object_type": "core.user"},
    "object id": lambda e: {"object_id": str(int(e.object_id) + 1)},
    "object label": lambda e: {"object_repr": "forged"},
}


@pytest.mark.parametrize("column", list(TAMPERING))
def test_verify_detects_tampering_with_each_column(column):
    _some_history()
    entry = AuditEntry.objects.filter(action="update").order_by("seq")[1]
    assert entry.before and entry.actor_id
    forged = TAMPERING[column](entry)
    assert verify_chain().ok
    AuditEntry.objects.filter(seq=entry.seq).update(**forged)
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == entry.seq, column


def test_verify_detects_an_altered_hash_too():
    _some_history()
    e = AuditEntry.objects.get(seq=3)
    e.after = {"name": "forged"}
    e.hash = e.compute_hash()
    e.save()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 4  # entry 4 no longer follows entry 3


def test_verify_detects_a_removed_entry_in_the_middle():
    _some_history()
    AuditEntry.objects.filter(seq=5).delete()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 5 and "missing" in result.problem


def test_verify_detects_removal_of_the_last_entries():
    _some_history()
    last = AuditChainHead.objects.get().count
    AuditEntry.objects.filter(seq__gte=last - 1).delete()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == last - 1


def test_audit_verify_command_exit_codes(capsys):
    _some_history(2)
    call_command("audit", "verify")
    assert "OK" in capsys.readouterr().out
    AuditEntry.objects.filter(seq=2).update(object_repr="x")
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code != 0
    assert "#2" in capsys.readouterr().err


def test_users_created_by_commands_are_audited():
    call_command("createsuperuser", "--noinput", username="boss", email="b@example.cn")
    entry = AuditEntry.objects.get(object_type="core.user", action="create")
    assert entry.actor_label == "system:user_created" and entry.after["username"] == "boss"
    assert entry.after["password"].startswith("sha256:")  # redacted, not the stored hash


def _sha(data):
    import hashlib
    import json

    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def test_the_hash_is_the_documented_frame_recomputed_outside_the_model():
    """An outside verifier's view (issue 17): each entry's hash is the HMAC-SHA256, under the
    audit key (ADR 0005), of the compact, key-sorted JSON of its frame with its content digest
    (a sha256), chained on the previous hash; the entry names the key by its fingerprint."""
    import hashlib
    import hmac
    import json
    import os
    from datetime import UTC

    from serviceloop.core.models.audit import GENESIS_HASH

    _some_history(2)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert entries[0].seq == 1 and entries[0].prev_hash == GENESIS_HASH == "0" * 64
    for prev, e in zip([None, *entries], entries, strict=False):
        content = {
            "object_repr": e.object_repr,
            "before": e.before,
            "after": e.after,
            "reason": e.reason,
        }
        assert e.content() == content and e.content_digest == _sha(content)
        frame = {
            "seq": e.seq,
            "at": e.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": e.actor_id,
            "actor_label": e.actor_label,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "prev_hash": prev.hash if prev else GENESIS_HASH,
        }
        key = os.environ["SERVICELOOP_AUDIT_KEY"].strip().encode()
        fingerprint = hashlib.sha256(b"serviceloop audit key id\0" + key).hexdigest()
        assert e.key_id == fingerprint[: len(e.key_id)] and len(e.key_id) == 16
        text = json.dumps(
            {**frame, "content_digest": _sha(content)},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert e.hash == hmac.new(key, text.encode(), "sha256").hexdigest(), e.seq
        assert e.payload() == {**frame, **content}
        assert str(e) == f"#{e.seq} {e.action} {e.object_type}:{e.object_id}"
    head = AuditChainHead.objects.get()
    assert (head.count, head.last_hash) == (entries[-1].seq, entries[-1].hash)
    assert str(head) == f"audit chain: {head.count} entries"


def test_an_entry_written_before_digests_hashes_its_whole_payload():
    _some_history(1)
    e = AuditEntry.objects.order_by("seq").last()
    e.content_digest = ""
    assert e.compute_hash() == _sha(e.payload())
    assert e.compute_hash() != _sha(e.chain_payload())


def test_a_redacted_entry_hashes_its_stored_digest():
    _some_history(1)
    e = AuditEntry.objects.order_by("seq").last()
    digest = e.content_digest
    assert not e.redacted and not e.is_redacted_empty()
    e.object_repr, e.before, e.after, e.reason = "", None, None, ""
    assert e.is_redacted_empty() and e.compute_content_digest() != digest
    e.redacted_at = timezone.now()
    assert e.redacted and e.chain_payload()["content_digest"] == digest
    assert e.compute_hash() == e.hash


def test_an_unredacted_entry_hashes_the_digest_of_its_present_content():
    """Issue 17 (mutation): while an entry is not redacted, its chain payload carries the digest
    computed from the content now there, not the stored one — altered content shows."""
    _some_history(1)
    e = AuditEntry.objects.order_by("seq").last()
    stored = e.content_digest
    e.reason = "altered afterwards"
    assert not e.redacted
    assert e.chain_payload()["content_digest"] == e.compute_content_digest() != stored


def test_an_entry_written_before_keying_hashes_its_chain_payload_in_plain_sha256():
    """Issue 17 (mutation): an entry with a digest but no key id (before keying) hashes its
    frame with the content digest, as plain SHA-256 of the compact JSON."""
    _some_history(1)
    e = AuditEntry.objects.order_by("seq").last()
    e.key_id = ""
    assert e.compute_hash() == _sha(e.chain_payload())
    e.reason = "altered afterwards"
    assert e.compute_hash() == _sha(e.chain_payload()) != _sha({})


def test_expected_hash_without_a_key_id_or_with_a_key_not_here():
    """Issue 17 (mutation): an unkeyed entry's expected hash is the plain SHA-256 of its chain
    text; a keyed one whose key is not among those given has none, and the model says which
    key is missing."""
    import hashlib

    from serviceloop.core.audit_keys import AuditKeyError
    from serviceloop.core.models.audit import chain_text, expected_hash

    _some_history(1)
    e = AuditEntry.objects.order_by("seq").last()
    assert expected_hash(e, {}) is None
    e.key_id = "0123456789abcdef"
    with pytest.raises(AuditKeyError, match="audit key 0123456789abcdef is not configured"):
        e.compute_hash()
    e.key_id = ""
    assert expected_hash(e, {}) == hashlib.sha256(chain_text(e).encode()).hexdigest()


def test_canonical_json_keeps_chinese_text_as_is():
    """Issue 17 (mutation): the hashed text is compact, key-sorted JSON with Chinese kept as
    characters (an outside verifier rebuilds exactly this text), not as \\u escapes."""
    from serviceloop.core.models.audit import canonical_json

    assert canonical_json({"b": "减振器", "a": 1}) == '{"a":1,"b":"减振器"}'
