"""The audit log: written by services in their transaction, hash-chained, verifiable."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from serviceloop.communications.services import sweep_overdue
from serviceloop.core.audit import VerifyResult, verify_chain
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


# ---------------------------------------------------------------- core/audit.py, function by
# function (issue 17, mutation testing of the module that writes and verifies the chain)


def test_snapshot_digests_secrets_sorts_many_to_many_and_changes_lists_the_difference():
    import hashlib

    from django.contrib.auth.models import Group

    from serviceloop.core.audit import actor_label, changes, snapshot

    user = user_with("sales")
    groups = [Group.objects.create(name=n) for n in ("乙", "甲")]
    user.groups.add(groups[1], groups[0])
    snap = snapshot(user)
    digest = "sha256:" + hashlib.sha256(user.password.encode()).hexdigest()[:12]
    assert snap["password"] == digest and snap["username"] == user.username
    assert snap["groups"][-2:] == sorted(g.pk for g in groups) and snap["groups"] == sorted(
        snap["groups"]
    )
    before, after = changes({"a": 1, "b": 2, "gone": 0}, {"a": 1, "b": 3, "new": 4})
    assert (before, after) == ({"b": 2, "new": None}, {"b": 3, "new": 4})
    assert actor_label(None) == "system:unknown" and actor_label(None, "sweep") == "system:sweep"
    assert actor_label(user, "ignored") == user.username


def test_a_file_field_is_snapshotted_by_its_name_or_empty():
    from serviceloop.core.audit import snapshot, snapshot_values
    from serviceloop.core.models.exports import ExportJob

    job = ExportJob()
    assert snapshot(job)["file"] == ""
    job.file.name = "exports/a.xlsx"
    assert snapshot(job)["file"] == "exports/a.xlsx"
    values = {f.attname: f.value_from_object(job) for f in ExportJob._meta.concrete_fields}
    assert snapshot_values(ExportJob, values)["file"] == "exports/a.xlsx"
    assert snapshot_values(ExportJob, {**values, "file": None})["file"] == ""
    assert snapshot_values(ExportJob, {**values, "file": "plain/name.csv"})["file"] == (
        "plain/name.csv"
    )


def test_audit_record_refuses_an_unknown_action_and_cuts_the_label_at_300(monkeypatch):
    from serviceloop.core.audit import audit_record

    with pytest.raises(ValueError, match="^unknown audit action 'nope'$"):
        audit_record(actor=None, action="nope")
    actor = user_with("sales")
    c = customer_create(actor=actor, code="R1", name="甲", tier="retail")
    monkeypatch.setattr(Customer, "__str__", lambda self: "名" * 400)
    entry = audit_record(actor=actor, action="event", obj=c, reason="r")
    assert entry.object_repr == "名" * 300
    assert (entry.object_type, entry.object_id) == ("customers.customer", str(c.pk))
    assert entry.before is None and entry.after is None and entry.actor_label == actor.username
    given = audit_record(
        actor=None,
        action="event",
        obj=c,
        object_type="x.y",
        object_id="7",
        object_repr="z" * 301,
        system="s",
    )
    assert (given.object_type, given.object_id, given.object_repr) == ("x.y", "7", "z" * 300)
    assert given.actor_label == "system:s" and given.seq == entry.seq + 1
    assert given.prev_hash == entry.hash
    head = AuditChainHead.objects.get()
    assert (head.count, head.last_hash) == (given.seq, given.hash) and verify_chain().ok


def test_audit_flag_sets_saves_and_records_the_marker():
    from serviceloop.core.audit import audit_flag

    user = user_with("sales")
    now = timezone.now()
    user.first_name = "not saved"
    audit_flag(user, "last_login", now, system="sweep", reason="overdue")
    user.refresh_from_db()
    assert user.last_login == now and user.first_name != "not saved"  # that field only
    e = AuditEntry.objects.order_by("-seq").first()
    assert (e.action, e.actor, e.actor_label) == ("event", None, "system:sweep")
    assert e.reason == "overdue"
    assert e.after == {"last_login": now.isoformat()} and e.object_id == str(user.pk)


def test_audit_update_records_nothing_for_no_change_unless_another_action():
    from serviceloop.core.audit import audit_update, snapshot

    actor = user_with("sales")
    c = customer_create(actor=actor, code="U1", name="甲", tier="retail")
    count = AuditEntry.objects.count()
    assert audit_update(actor=actor, obj=c, before=snapshot(c)) is False
    assert AuditEntry.objects.count() == count
    assert audit_update(actor=actor, obj=c, before=snapshot(c), action="transition") is True
    e = AuditEntry.objects.order_by("-seq").first()
    assert (e.action, e.before, e.after) == ("transition", {}, {})
    before = snapshot(c)
    c.name = "乙"
    assert audit_update(actor=None, obj=c, before=before, reason="why", system="job") is True
    e = AuditEntry.objects.order_by("-seq").first()
    assert (e.before, e.after) == ({"name": "甲"}, {"name": "乙"})
    assert (e.action, e.reason, e.actor_label) == ("update", "why", "system:job")


def test_verify_of_an_empty_log_holds():
    AuditEntry.objects.all().delete()
    AuditChainHead.objects.all().delete()
    assert verify_chain() == VerifyResult(True, 0)


def test_verify_walks_in_batches_and_names_each_break():
    _some_history(3)
    n = AuditChainHead.objects.get().count
    full = verify_chain()
    assert full.ok and full.checked == n and full.first_bad_seq is None and not full.key_problem
    assert full.key_ids == (AuditEntry.objects.get(seq=1).key_id,) and full.problem == ""
    assert verify_chain(batch=2).checked == n and verify_chain(batch=1).ok
    AuditEntry.objects.filter(seq=4).delete()
    r = verify_chain(batch=2)
    assert (r.ok, r.checked, r.first_bad_seq) == (False, 3, 4)
    assert r.problem == "entry 4 is missing (next found: 5)"


def test_verify_names_an_entry_that_does_not_follow_and_an_unsealed_one():
    _some_history(2)
    AuditEntry.objects.filter(seq=3).update(prev_hash="f" * 64)
    r = verify_chain()
    assert (r.first_bad_seq, r.checked, r.problem) == (3, 2, "entry 3 does not follow entry 2")
    assert r.ok is False
    AuditEntry.objects.filter(seq=3).update(prev_hash=AuditEntry.objects.get(seq=2).hash)
    AuditEntry.objects.filter(seq=2).update(key_id="")
    r = verify_chain()
    assert (r.ok, r.first_bad_seq, r.checked) == (False, 2, 1)
    assert r.problem == (
        "entry 2 is not sealed with an audit key (a plain SHA-256 hash, which anyone can "
        "recompute: written before keying and never re-sealed, or forged)"
    )
    assert not r.key_problem
    AuditEntry.objects.filter(seq=2).update(key_id="0123456789abcdef")
    r = verify_chain()
    assert r.key_problem and r.first_bad_seq == 2 and r.checked == 1 and r.ok is False
    assert r.problem.startswith("entry 2 is sealed with audit key 0123456789abcdef, which is not")
    assert r.problem.endswith(
        "a wrong or missing audit key — set SERVICELOOP_AUDIT_KEY or the key file to the key "
        "that wrote the log (backups never contain it)"
    )


def test_verify_names_a_hash_mismatch_and_a_head_that_does_not_match():
    _some_history(2)
    n = AuditChainHead.objects.get().count
    AuditChainHead.objects.update(count=n + 1)
    r = verify_chain()
    assert (r.ok, r.checked, r.first_bad_seq) == (False, n, n + 1)
    assert r.problem == (
        f"chain head records {n + 1} entries but {n} were found; entry {n + 1} onwards was removed"
    )
    AuditChainHead.objects.update(count=n, last_hash="e" * 64)
    assert verify_chain().first_bad_seq == n + 1  # the right count, not the last hash
    AuditEntry.objects.filter(seq=2).update(reason="x")
    r = verify_chain()
    assert (r.first_bad_seq, r.checked, r.problem) == (2, 1, "entry 2 was altered (hash mismatch)")
    assert r.ok is False


def test_values_snapshots_equal_instance_snapshots_for_every_kind_of_field(monkeypatch):
    """`snapshot_values` (imports) must store what `snapshot` stores: secrets digested, files by
    name, dates, decimals and times encoded, None kept, many-to-many empty — with its per-model
    plan built afresh (it is cached per process)."""
    from datetime import date
    from decimal import Decimal

    from serviceloop.core import audit
    from serviceloop.core.audit import _jsonable, snapshot, snapshot_values
    from serviceloop.core.models.exports import ExportJob
    from serviceloop.core.testing.factories import CustomerFactory
    from serviceloop.warranty.models import WarrantyClaim
    from serviceloop.warranty.tests.factories import make_claim

    monkeypatch.setattr(audit, "_PLANS", {})
    quality = user_with("quality")
    claims = [
        make_claim(quality, CustomerFactory(), serial_number=f"S{i}", cost_parts=cost, **dates)
        for i, (cost, dates) in enumerate(
            [(Decimal("1.50"), {"purchase_date": date(2025, 1, 2)}), (Decimal("0"), {})]
        )
    ]
    job = ExportJob()
    job.file.name = "exports/a.xlsx"
    for obj in [*claims, quality, job, ExportJob()]:
        values = {f.attname: f.value_from_object(obj) for f in type(obj)._meta.concrete_fields}
        fast = snapshot_values(type(obj), values)
        want = snapshot(obj) if obj.pk else _jsonable(snapshot(obj))
        assert _jsonable(fast) == {**want, **{m.name: [] for m in type(obj)._meta.many_to_many}}
    assert set(audit._PLANS) == {WarrantyClaim, type(quality), ExportJob}
    # a datetime field's encoder remembers the last value only: each value is its own
    values = {f.attname: f.value_from_object(quality) for f in type(quality)._meta.concrete_fields}
    later = timezone.now() + timedelta(days=1)
    assert (
        snapshot_values(type(quality), {**values, "last_login": later})["last_login"]
        == (_jsonable({"t": later})["t"])
    )
    assert snapshot_values(type(quality), {**values, "last_login": None})["last_login"] is None


def test_many_entries_take_their_defaults_actor_time_ids_and_labels():
    from serviceloop.core.audit import audit_append_many, audit_create_many, audit_many, snapshot

    actor = user_with("sales")
    a = customer_create(actor=actor, code="M1", name="甲", tier="retail")
    b = customer_create(actor=actor, code="M2", name="乙", tier="retail")
    at = timezone.now() - timedelta(hours=1)
    n = AuditChainHead.objects.get().count
    assert audit_create_many(actor=None, objs=[a], at=at) == 1
    before = snapshot(b)
    b.name = "丙"
    b.save()
    assert audit_many(actor=actor, created=[a], updated=[(b, before)], at=at) == 2
    assert audit_append_many(actor=None, entries=[("event", "x.y", "1", "z", None, None)]) == 1
    assert audit_append_many(actor=None, entries=[]) == 0
    e1, e2, e3, e4 = AuditEntry.objects.filter(seq__gt=n).order_by("seq")
    for e, obj in ((e1, a), (e2, a), (e3, b)):
        assert (e.object_id, e.object_repr, e.at) == (str(obj.pk), str(obj), at)
        assert e.reason == "" and e.object_type == "customers.customer"
    assert e1.actor_label == "system:unknown" and e1.after == snapshot(a)
    assert e2.actor == actor and e2.after == snapshot(a) and e2.before is None
    assert (e3.action, e3.before["name"], e3.after["name"]) == ("update", "乙", "丙")
    assert e4.reason == "" and e4.actor_label == "system:unknown" and e4.after is None
    assert AuditChainHead.objects.get().count == n + 4 and verify_chain().ok


def test_rows_inserted_in_bulk_are_audited_as_their_records():
    from serviceloop.core.audit import audit_create_rows, snapshot
    from serviceloop.core.bulk import Table

    actor = user_with("sales")
    table = Table.of(Customer)
    now = timezone.now()
    rows = table.rows(
        [
            {"code": "B1", "name": "甲", "tier": "retail"},
            {"code": "B2", "name": "乙", "tier": "oem_tier1"},
        ],
        now,
    )
    ids = table.insert(rows)
    seen = []
    n = AuditChainHead.objects.get().count
    count = audit_create_rows(
        actor=actor,
        table=table,
        rows=rows,
        ids=ids,
        reason="import 7",
        at=now,
        related=lambda row: seen.append(row["code"]) or {},
    )
    assert count == 2 and seen == ["B1", "B2"]
    entries = list(AuditEntry.objects.filter(seq__gt=n).order_by("seq"))
    for e, pk in zip(entries, ids, strict=True):
        c = Customer.objects.get(pk=pk)
        assert (e.action, e.object_type, e.object_id) == ("create", "customers.customer", str(pk))
        assert (e.object_repr, e.reason, e.at, e.actor) == (str(c), "import 7", now, actor)
        assert e.after == snapshot(c) and e.before is None
    assert audit_create_rows(actor=None, table=table, rows=[], ids=[], system="x") == 0
    assert verify_chain().ok


def test_reseal_keeps_the_one_chain_head():
    from serviceloop.core.audit import reseal_chain

    _some_history(2)
    n = AuditChainHead.objects.get().count
    assert reseal_chain() == n
    assert AuditChainHead.objects.count() == 1 and AuditChainHead.objects.get().pk == 1
    assert verify_chain().ok


def test_reason_and_system_reach_each_kind_of_entry_and_default_to_none():
    from serviceloop.core.audit import (
        audit_create,
        audit_create_many,
        audit_create_rows,
        audit_many,
        audit_record,
        audit_redact,
        audit_update,
        snapshot,
    )
    from serviceloop.core.bulk import Table

    actor = user_with("sales")
    a = customer_create(actor=actor, code="R1", name="甲", tier="retail")
    table = Table.of(Customer)
    now = timezone.now()

    def inserted(code):
        rows = table.rows([{"code": code, "name": code, "tier": "retail"}], now)
        return rows, table.insert(rows)

    n = AuditChainHead.objects.get().count
    audit_record(actor=None, action="event", obj=a)
    audit_create(actor=None, obj=a)
    before = snapshot(a)
    a.name = "乙"
    assert audit_update(actor=None, obj=a, before=before)
    audit_many(actor=None, created=[a])
    rows, ids = inserted("R2")
    audit_create_rows(actor=None, table=table, rows=rows, ids=ids)
    defaults = AuditEntry.objects.filter(seq__gt=n).order_by("seq")
    assert [(e.reason, e.actor_label) for e in defaults] == [("", "system:unknown")] * 5
    m = AuditChainHead.objects.get().count
    audit_create(actor=None, obj=a, reason="r", system="job")
    audit_create_many(actor=None, objs=[a], reason="r", system="job")
    audit_many(actor=None, created=[a], reason="r", system="job")
    rows, ids = inserted("R3")
    audit_create_rows(actor=None, table=table, rows=rows, ids=ids, reason="r", system="job")
    given = AuditEntry.objects.filter(seq__gt=m).order_by("seq")
    assert [(e.reason, e.actor_label) for e in given] == [("r", "system:job")] * 4
    # a redaction without a reason says who redacted
    b, c, d = (customer_create(actor=actor, code=x, name=x, tier="retail") for x in "BCD")
    for who, obj, system in ((None, b, "job"), (None, c, ""), (actor, d, "job")):
        kw = {"system": system} if system else {}
        audit_redact(
            actor=who, object_type="customers.customer", object_ids=[obj.pk], reason="", **kw
        )
    said = {
        e.object_id: e.redaction_reason
        for e in AuditEntry.objects.filter(
            object_type="customers.customer", object_id__in=[b.pk, c.pk, d.pk]
        ).exclude(redacted_at=None)
    }
    expected = {str(b.pk): "system:job", str(c.pk): "system:unknown"}
    assert said == {**expected, str(d.pk): actor.get_username()}
    assert verify_chain().ok
