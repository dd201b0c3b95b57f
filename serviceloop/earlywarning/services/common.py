"""Helpers shared by the services of this app: state transitions, audit of many records at
once (imports), audit of records with a file, and customer look-ups within the actor's scope."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.audit import _jsonable, actor_label, audit_record, changes, snapshot
from serviceloop.core.models import AuditChainHead, AuditEntry
from serviceloop.core.models.audit import AuditAction
from serviceloop.core.permissions import visible_customers
from serviceloop.customers.models import Customer


def transition(obj: Any, table: dict[tuple[str, str], str], to: str, labels: Any) -> None:
    """Move ``obj.status`` to ``to`` if the table allows it; else a ValidationError."""
    if (obj.status, to) not in table:
        raise ValidationError(
            {
                "status": _("Cannot go from %(a)s to %(b)s.")
                % {"a": labels(obj.status).label, "b": labels(to).label}
            }
        )
    obj.status = to


def customer_for(actor: Any, customer: Customer | int | None, field: str = "customer") -> Customer:
    """A customer the actor may see (jobs, with actor None, see all)."""
    if customer is None or customer == "":
        raise ValidationError({field: _("This field is required.")})
    pk = customer.pk if isinstance(customer, Customer) else customer
    qs = Customer.objects.all() if actor is None else visible_customers(actor)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Unknown customer.")})
    return found


def audit_many(
    *,
    actor: Any,
    created: Sequence[models.Model] = (),
    updated: Sequence[tuple[models.Model, dict[str, Any]]] = (),
    reason: str = "",
    system: str = "",
    at: datetime | None = None,
) -> int:
    """Append one entry per created record (its snapshot) and per updated record (what
    changed) to the audit chain under one lock, as core.audit would one by one."""
    if not created and not updated:
        return 0
    at = at or timezone.now()
    label = actor_label(actor, system)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev = head.count, head.last_hash
        entries = []

        def add(obj: models.Model, action: str, before: Any, after: Any) -> None:
            nonlocal seq, prev
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=at,
                actor=actor,
                actor_label=label,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                before=before,
                after=after,
                reason=reason,
                prev_hash=prev,
            )
            entry.hash = prev = entry.compute_hash()
            entries.append(entry)

        for obj in created:
            add(obj, AuditAction.CREATE, None, snapshot(obj))
        for obj, before in updated:
            old, new = changes(before, snapshot(obj))
            if new:
                add(obj, AuditAction.UPDATE, _jsonable(old), _jsonable(new))
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        head.count, head.last_hash = seq, prev
        head.save(update_fields=["count", "last_hash"])
    return len(entries)


def file_snapshot(obj: models.Model) -> dict[str, Any]:
    """core.audit.snapshot with file fields given as their stored name (FieldFile is not JSON)."""
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        value = f.value_from_object(obj)
        data[f.attname] = value.name if isinstance(f, models.FileField) else value
    return _jsonable(data)


def audit_file_record(
    *, actor: Any, obj: models.Model, action: str, before: dict | None = None, reason: str = ""
) -> None:
    if before is None:
        audit_record(actor=actor, action=action, obj=obj, after=file_snapshot(obj), reason=reason)
        return
    old, new = changes(before, file_snapshot(obj))
    audit_record(actor=actor, action=action, obj=obj, before=old, after=new, reason=reason)
