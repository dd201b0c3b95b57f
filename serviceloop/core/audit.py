"""Writing and verifying the audit log. Services call `audit_record` inside their transaction;
it works the same from web requests, background jobs and management commands."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from .models.audit import GENESIS_HASH, AuditAction, AuditChainHead, AuditEntry


def _jsonable(value: Any) -> Any:
    """Normalise to what a JSON column gives back, so the stored entry hashes the same."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


# Secrets are never copied into the log; a short digest still shows that they changed.
SECRET_FIELDS = {"password", "key_hash"}


def _digest(value: Any) -> str:
    return "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()[:12]


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Field values of a model instance (FKs as ids, many-to-many as sorted id lists)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = _digest(value) if field.attname in SECRET_FIELDS else value
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            data[m2m.name] = sorted(o.pk for o in getattr(obj, m2m.name).all())
    return _jsonable(data)


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """The parts of two snapshots that differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def actor_label(actor: Any, system: str = "") -> str:
    if actor is None:
        return f"system:{system or 'unknown'}"
    return actor.get_username()


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    system: str = "",
) -> AuditEntry:
    """Append one entry to the chain. Must run in the caller's transaction."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.count + 1,
            actor=actor,
            actor_label=actor_label(actor, system),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
            reason=reason,
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        head.count = entry.seq
        head.last_hash = entry.hash
        head.save(update_fields=["count", "last_hash"])
    return entry


def audit_create(*, actor: Any, obj: models.Model, reason: str = "", system: str = "") -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=obj,
        after=snapshot(obj),
        reason=reason,
        system=system,
    )


def audit_update(
    *,
    actor: Any,
    obj: models.Model,
    before: dict,
    reason: str = "",
    system: str = "",
    action: str = AuditAction.UPDATE,
) -> bool:
    """Record what changed since `before`; records nothing when nothing changed."""
    old, new = changes(before, snapshot(obj))
    if not new and action == AuditAction.UPDATE:
        return False
    audit_record(
        actor=actor, action=action, obj=obj, before=old, after=new, reason=reason, system=system
    )
    return True


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(batch: int = 2000) -> VerifyResult:
    """Walk the whole chain; report the first entry that does not hold."""
    head = AuditChainHead.objects.filter(pk=1).first()
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return VerifyResult(
                    False,
                    checked,
                    expected_seq,
                    f"entry {expected_seq} is missing (next found: {entry.seq})",
                )
            if entry.prev_hash != expected_prev:
                return VerifyResult(
                    False,
                    checked,
                    entry.seq,
                    f"entry {entry.seq} does not follow entry {entry.seq - 1}",
                )
            if entry.compute_hash() != entry.hash:
                return VerifyResult(
                    False, checked, entry.seq, f"entry {entry.seq} was altered (hash mismatch)"
                )
            expected_prev = entry.hash
            expected_seq += 1
            checked += 1
            last_seq = entry.seq
    count = head.count if head else 0
    if checked != count or (head and checked and head.last_hash != expected_prev):
        return VerifyResult(
            False,
            checked,
            checked + 1,
            f"chain head records {count} entries but {checked} were found; "
            f"entry {checked + 1} onwards was removed",
        )
    return VerifyResult(True, checked)
