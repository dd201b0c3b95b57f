"""The one audit log (design rule 3): who, when, what changed, why — hash-chained.

Each entry's hash covers its content and the previous entry's hash, and entries carry a
gap-free sequence number; the chain head stores the count and the last hash. Altering an
entry, removing one (in the middle or at the end), or reordering them breaks the chain,
which `serviceloop audit verify` detects and names.

Redaction (issue 13, ADR 0007): the hash covers a digest of the entry's content (object_repr,
before, after, reason), not the content itself. When a record is disposed of, the entries about
it are redacted: the content is emptied, the digest is kept, and who/when/why is recorded on
the entry. The chain then still verifies over the digests; an unredacted entry's content is
checked against its hash, a redacted one must be empty. Entries written before this scheme
(no digest) hash their whole payload; migration 0006 re-seals them under the new scheme.

Keyed (issue 9, ADR 0005): the hash is an HMAC-SHA256 under a key kept outside the database
(core/audit_keys.py), named per entry by `key_id`. Plain SHA-256 entries (no key id) are only
read to re-seal them (migration 0009); `audit verify` refuses them, since anyone could have
recomputed them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..audit_keys import seal
from ..fields import done_fields

GENESIS_HASH = "0" * 64
# What a redacted entry's content is.
REDACTED_CONTENT: dict[str, Any] = {"object_repr": "", "before": None, "after": None, "reason": ""}


def _sha256_json(data: dict[str, Any]) -> str:
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def content_digest(content: dict[str, Any]) -> str:
    """sha256 of an entry's content (object_repr, before, after, reason) as compact JSON."""
    return _sha256_json(content)


def canonical_json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


CONTENT_FIELDS = ("object_repr", "before", "after", "reason")
FRAME_FIELDS = ("seq", "actor_id", "actor_label", "action", "object_type", "object_id")


def chain_text(entry: Any) -> str:
    """The canonical text an entry's hash covers (its frame and its content by digest), from
    any object with the entry's fields (a model instance, or a migration's historical one)."""
    if entry.redacted_at is not None:
        digest = entry.content_digest
    else:
        digest = content_digest({k: getattr(entry, k) for k in CONTENT_FIELDS})
    data = {k: getattr(entry, k) for k in FRAME_FIELDS}
    data["at"] = entry.at.astimezone(UTC).isoformat(timespec="microseconds")
    data["prev_hash"] = entry.prev_hash
    data["content_digest"] = digest
    return canonical_json(data)


def expected_hash(entry: Any, keys: dict[str, bytes]) -> str | None:
    """The hash the entry should carry: HMAC under its key, plain SHA-256 for an entry written
    before keying (no key id); None when its key is not among `keys`."""
    if not entry.key_id:
        return hashlib.sha256(chain_text(entry).encode()).hexdigest()
    key = keys.get(entry.key_id)
    return None if key is None else seal(key, chain_text(entry))


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    TRANSITION = "transition", _("state changed")
    EVENT = "event", _("event")


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text too, so the entry reads the same after a user is renamed; "system:<job>"
    # for background jobs and commands.
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # sha256 of the content (see content_digest); kept when the content is redacted.
    content_digest = models.CharField(max_length=64, blank=True, default="")
    # Which audit key sealed the entry (core/audit_keys.py key_id); empty: plain SHA-256.
    key_id = models.CharField(max_length=16, blank=True, default="")
    redacted_at, redacted_by = done_fields(None, _("redacted by"))
    redaction_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "prev_hash": self.prev_hash,
        }

    def content(self) -> dict[str, Any]:
        """The part of the entry that redaction removes (it may name people)."""
        return {
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
        }

    def compute_content_digest(self) -> str:
        return content_digest(self.content())

    @property
    def redacted(self) -> bool:
        return self.redacted_at is not None

    def chain_payload(self) -> dict[str, Any]:
        """What the hash covers: the entry's frame, and its content by digest — computed from
        the content while it is there, the stored digest once it is redacted."""
        payload = self.payload()
        for key in self.content():
            payload.pop(key)
        payload["content_digest"] = (
            self.content_digest if self.redacted else self.compute_content_digest()
        )
        return payload

    def compute_hash(self) -> str:
        """The hash under the entry's key (audit_keys.AuditKeyError when it is not here)."""
        if not self.content_digest:  # written before digests (see the module docstring)
            return _sha256_json(self.payload())
        if not self.key_id:  # written before keying
            return _sha256_json(self.chain_payload())
        from ..audit_keys import AuditKeyError, keyring

        digest = expected_hash(self, keyring().keys)
        if digest is None:
            raise AuditKeyError(f"audit key {self.key_id} is not configured here")
        return digest

    def is_redacted_empty(self) -> bool:
        return self.content() == REDACTED_CONTENT


class AuditChainHead(models.Model):
    """One row: the number of entries and the last hash. Locked to append (serializes writers)."""

    count = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit chain: {self.count} entries"
