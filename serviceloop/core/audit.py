"""Writing and verifying the audit log. Services call `audit_record` inside their transaction;
it works the same from web requests, background jobs and management commands."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .audit_keys import AuditKeyError, Keyring, keyring, seal
from .bulk import JsonText, Table, json_encoder
from .models.audit import (
    GENESIS_HASH,
    REDACTED_CONTENT,
    AuditAction,
    AuditChainHead,
    AuditEntry,
    chain_text,
    expected_hash,
)


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
    ring = keyring()
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
            key_id=ring.current_id,
        )
        entry.content_digest = entry.compute_content_digest()
        entry.hash = seal(ring.current, chain_text(entry))
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


def audit_flag(obj: models.Model, field: str, now: datetime, *, system: str, reason: str) -> None:
    """A sweep's "once" marker: set ``field`` (an overdue flag, say) of a row the caller holds
    locked to ``now``, save that field only and audit it as a system event."""
    setattr(obj, field, now)
    obj.save(update_fields=[field])
    audit_record(
        actor=None,
        system=system,
        action=AuditAction.EVENT,
        obj=obj,
        after={field: now.isoformat()},
        reason=reason,
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
    # The failure is a missing or wrong audit key here, not (shown to be) tampering.
    key_problem: bool = False
    key_ids: tuple[str, ...] = ()


def _key_missing(seq: int, kid: str, ring: Keyring, checked: int) -> VerifyResult:
    return VerifyResult(
        False,
        checked,
        seq,
        f"entry {seq} is sealed with audit key {kid}, which is not configured here "
        f"(keys here: {', '.join(ring.keys)} from {ring.described}); a wrong or missing "
        "audit key — set SERVICELOOP_AUDIT_KEY or the key file to the key that wrote the log "
        "(backups never contain it)",
        key_problem=True,
    )


def verify_chain(batch: int = 2000) -> VerifyResult:
    """Walk the whole chain; report the first entry that does not hold."""
    head = AuditChainHead.objects.filter(pk=1).first()
    try:
        ring = keyring()
    except AuditKeyError as exc:
        return VerifyResult(False, 0, 1, f"no audit key: {exc}", key_problem=True)
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    used: set[str] = set()
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
            if not entry.key_id or not entry.content_digest:
                return VerifyResult(
                    False,
                    checked,
                    entry.seq,
                    f"entry {entry.seq} is not sealed with an audit key (a plain SHA-256 "
                    "hash, which anyone can recompute: written before keying and never "
                    "re-sealed, or forged)",
                )
            digest = expected_hash(entry, ring.keys)
            if digest is None:
                return _key_missing(entry.seq, entry.key_id, ring, checked)
            if digest != entry.hash:
                return VerifyResult(
                    False, checked, entry.seq, f"entry {entry.seq} was altered (hash mismatch)"
                )
            if entry.redacted and not entry.is_redacted_empty():
                return VerifyResult(
                    False,
                    checked,
                    entry.seq,
                    f"entry {entry.seq} was altered (redacted, yet holds content)",
                )
            used.add(entry.key_id)
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
    return VerifyResult(True, checked, key_ids=tuple(sorted(used)))


class ChainBroken(Exception):
    """The chain does not verify; re-sealing it would hide the break."""


def reseal_entries(
    entry_model: Any, head_model: Any, ring: Keyring, *, allow_unkeyed: bool, batch: int = 2000
) -> tuple[int, int | None]:
    """Re-seal the chain under the current key: each entry is checked as it stands first (its
    key, or plain SHA-256 when `allow_unkeyed`), and re-sealing stops at the first one that
    does not hold, so that `audit verify` still names that break instead of it being hidden
    under fresh hashes. Works on migration (historical) models too. Returns (entries
    re-sealed, first bad seq or None)."""
    key, kid = ring.current, ring.current_id
    old_prev = new_prev = GENESIS_HASH
    last = 0
    bad: int | None = None
    while bad is None:
        rows = list(entry_model.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            break
        changed = []
        for e in rows:
            redacted_full = e.redacted_at is not None and any(
                getattr(e, k) != v for k, v in REDACTED_CONTENT.items()
            )
            if (
                e.seq != last + 1
                or e.prev_hash != old_prev
                or not e.content_digest
                or (not e.key_id and not allow_unkeyed)
                or redacted_full
                or expected_hash(e, ring.keys) != e.hash
            ):
                bad = e.seq
                break
            old_prev = e.hash
            e.prev_hash, e.key_id = new_prev, kid
            e.hash = new_prev = seal(key, chain_text(e))
            changed.append(e)
            last = e.seq
        entry_model.objects.bulk_update(changed, ["prev_hash", "key_id", "hash"], batch_size=500)
    head = head_model.objects.filter(pk=1).first()
    if head is not None and head.count == last and head.last_hash == old_prev:
        head.last_hash = new_prev
        head.save(update_fields=["last_hash"])
    return last, bad


def reseal_chain() -> int:
    """`serviceloop audit reseal`: verify the whole chain (every entry under its own key),
    then re-seal it under the current key in one transaction, holding the chain's lock — after
    a rotation, so that the old key can be retired. ChainBroken if it does not verify."""
    with transaction.atomic():
        AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        result = verify_chain()
        if not result.ok:
            raise ChainBroken(f"entry #{result.first_bad_seq}: {result.problem}")
        count, bad = reseal_entries(AuditEntry, AuditChainHead, keyring(), allow_unkeyed=False)
        if bad is not None:  # pragma: no cover - verified just before, under the lock
            raise ChainBroken(f"entry #{bad} does not hold")
    return count


def audit_redact(
    *, actor: Any, object_type: str, object_ids: Iterable[str], reason: str, system: str = ""
) -> int:
    """Redact the entries about some records (disposal, ADR 0007): their content (which may
    name people) is emptied, their digest and hash are kept, and the entry says who redacted it,
    when and why — the chain still verifies. An entry whose content no longer matches its hash
    is left as it is (verify names it). Runs in the caller's transaction; returns the count."""
    ids = [str(i) for i in object_ids]
    now = timezone.now()
    count = 0
    qs = AuditEntry.objects.filter(
        object_type=object_type, object_id__in=ids, redacted_at__isnull=True
    ).exclude(content_digest="")
    for entry in qs.select_for_update().order_by("seq"):
        if entry.compute_hash() != entry.hash:
            continue
        entry.content_digest = entry.compute_content_digest()
        for key, value in REDACTED_CONTENT.items():
            setattr(entry, key, value)
        entry.redacted_at = now
        entry.redacted_by = actor
        entry.redaction_reason = reason or actor_label(actor, system)
        entry.save(
            update_fields=[
                *REDACTED_CONTENT,
                "content_digest",
                "redacted_at",
                "redacted_by",
                "redaction_reason",
            ]
        )
        count += 1
    return count


# --- many entries at once (imports) -----------------------------------------------------------
# The same entries `audit_record` would append one by one, appended under one lock on the chain
# head and inserted in bulk. Each entry's hash is computed over exactly the text
# `AuditEntry.compute_hash` builds (sorted keys, compact), with the snapshot serialised once
# and that very text stored, so `verify_chain` walks an imported batch like any other entries.


def _none_or(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: None if v is None else convert(v)


def _last(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, remembering the last value (the records of an import share one `now`)."""
    memo: list[Any] = [object(), None]

    def cached(value: Any) -> Any:
        if value is not memo[0]:
            memo[0], memo[1] = value, None if value is None else convert(value)
        return memo[1]

    return cached


def _snapshot_plan(model: type[models.Model]) -> list[tuple[str, Callable[[Any], Any] | None]]:
    """Per field, what turns its value into what DjangoJSONEncoder would write for it, so that
    the encoder meets only plain values (its Python fallback is slow in a loop)."""
    encode = DjangoJSONEncoder().default
    plan: list[tuple[str, Callable[[Any], Any] | None]] = []
    for field in model._meta.concrete_fields:
        if field.attname in SECRET_FIELDS:
            plan.append((field.attname, _digest))
        elif isinstance(field, models.FileField):
            plan.append((field.attname, lambda v: (v.name if hasattr(v, "name") else v) or ""))
        elif isinstance(field, models.DateTimeField):
            plan.append((field.attname, _last(encode)))
        elif isinstance(field, models.DateField | models.DecimalField):
            plan.append((field.attname, _none_or(encode)))
        else:
            plan.append((field.attname, None))
    return plan


_PLANS: dict[type[models.Model], list[tuple[str, Callable[[Any], Any] | None]]] = {}


def snapshot_values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """`snapshot` of a new record given as attribute values (its pk included), before the
    JSON round trip: what `_text` serialises is exactly what `snapshot` would store.
    Many-to-many fields, if any, are empty (a new record)."""
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = _snapshot_plan(model)
    get = values.get
    data = {a: get(a) if c is None else c(get(a)) for a, c in plan}
    for m2m in model._meta.many_to_many:
        data[m2m.name] = []
    return data


def fast_snapshot(obj: models.Model) -> dict[str, Any]:
    """`snapshot_values` of a saved instance (no many-to-many queries: a new record)."""
    fields = obj._meta.concrete_fields
    return snapshot_values(type(obj), {f.attname: f.value_from_object(obj) for f in fields})


# The JSON text `AuditEntry.compute_hash` builds, from values as `_jsonable` takes them (one
# pass through DjangoJSONEncoder gives the same text as its JSON round trip).
_text = json_encoder(sort_keys=True, compact=True)


def audit_append_many(
    *,
    actor: Any,
    entries: Iterable[tuple[str, str, str, str, dict | None, dict | None]],
    reason: str = "",
    system: str = "",
    at: datetime | None = None,
) -> int:
    """Append entries (action, object_type, object_id, object_repr, before, after) under one
    lock; before/after as `audit_record` takes them. Runs in the caller's transaction."""
    at = at or timezone.now()
    ring = keyring()
    key, kid = ring.current, ring.current_id
    label = actor_label(actor, system)
    actor_id = actor.pk if actor is not None else None
    # The constant parts of every entry's hashed texts (see AuditEntry.chain_payload/content).
    head_text = '{"action":'
    actor_text = f',"actor_id":{_text(actor_id)},"actor_label":{_text(label)}'
    at_text = (
        f',"at":{_text(at.astimezone(UTC).isoformat(timespec="microseconds"))},"content_digest":'
    )
    reason_content = f',"reason":{_text(reason)}}}'
    table = Table(AuditEntry)
    # Everything but the chain's links is worked out before taking the chain's lock, so that
    # concurrent writers (the parallel scale loader) hold it only to link and insert.
    rows: list[dict[str, Any]] = []
    links: list[str] = []  # per row, its hashed chain text up to prev_hash and seq
    for action, object_type, object_id, object_repr, before, after in entries:
        object_repr = object_repr[:300]
        after_text = "null" if after is None else _text(after)
        before_text = "null" if before is None else _text(before)
        content = (
            f'{{"after":{after_text},"before":{before_text}'
            f',"object_repr":{_text(object_repr)}{reason_content}'
        )
        content_digest = hashlib.sha256(content.encode()).hexdigest()
        links.append(
            f'{head_text}{_text(action)}{actor_text}{at_text}"{content_digest}"'
            f',"object_id":{_text(object_id)},"object_type":{_text(object_type)}'
        )
        rows.append(
            {
                "seq": None,
                "at": at,
                "actor_id": actor_id,
                "actor_label": label,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "object_repr": object_repr,
                "before": None if before is None else JsonText(before_text),
                "after": None if after is None else JsonText(after_text),
                "reason": reason,
                "prev_hash": None,
                "hash": None,
                "content_digest": content_digest,
                "key_id": kid,
                "redacted_at": None,
                "redacted_by_id": None,
                "redaction_reason": "",
            }
        )
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev = head.count, head.last_hash
        for row, link in zip(rows, links, strict=True):
            seq += 1
            blob = f'{link},"prev_hash":"{prev}","seq":{seq}}}'
            row["seq"], row["prev_hash"] = seq, prev
            prev = row["hash"] = hmac.digest(key, blob.encode(), "sha256").hex()  # = seal
        if not rows:
            return 0
        table.insert(rows, returning=False)
        head.count, head.last_hash = seq, prev
        head.save(update_fields=["count", "last_hash"])
    return len(rows)


def audit_create_many(
    *,
    actor: Any,
    objs: Sequence[models.Model],
    reason: str = "",
    system: str = "",
    at: datetime | None = None,
) -> int:
    """One CREATE entry (with its snapshot) per saved object, appended in one lock."""
    return audit_append_many(
        actor=actor,
        entries=(
            (AuditAction.CREATE, o._meta.label_lower, str(o.pk), str(o), None, fast_snapshot(o))
            for o in objs
        ),
        reason=reason,
        system=system,
        at=at,
    )


def audit_many(
    *,
    actor: Any,
    created: Sequence[models.Model] = (),
    updated: Sequence[tuple[models.Model, dict[str, Any]]] = (),
    reason: str = "",
    system: str = "",
    at: datetime | None = None,
) -> int:
    """CREATE entries for new objects and UPDATE entries (what changed since the snapshot
    taken before) for changed ones, in one lock; an update that changed nothing is skipped."""

    def entries() -> Iterator[tuple[str, str, str, str, dict | None, dict | None]]:
        for o in created:
            yield AuditAction.CREATE, o._meta.label_lower, str(o.pk), str(o), None, fast_snapshot(o)
        for o, before in updated:
            old, new = changes(before, snapshot(o))
            if new:
                yield AuditAction.UPDATE, o._meta.label_lower, str(o.pk), str(o), old, new

    return audit_append_many(actor=actor, entries=entries(), reason=reason, system=system, at=at)


def audit_create_rows(
    *,
    actor: Any,
    table: Table,
    rows: Sequence[dict[str, Any]],
    ids: Sequence[Any],
    reason: str = "",
    system: str = "",
    at: datetime | None = None,
    related: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> int:
    """One CREATE entry per row just inserted through `table` (core.bulk), its snapshot taken
    from the values; `related(row)` gives the relations the model's __str__ reads."""
    model, pk_name = table.model, table.model._meta.pk.attname
    object_type = model._meta.label_lower
    return audit_append_many(
        actor=actor,
        entries=(
            (
                AuditAction.CREATE,
                object_type,
                str(pk),
                table.describe(row, pk, related(row) if related else None),
                None,
                snapshot_values(model, {**row, pk_name: pk}),
            )
            for row, pk in zip(rows, ids, strict=True)
        ),
        reason=reason,
        system=system,
        at=at,
    )
