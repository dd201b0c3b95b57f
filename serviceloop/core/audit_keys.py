"""The audit chain's key (issue 9, ADR 0005): each entry's hash is an HMAC-SHA256 under a key
kept outside the database, so that someone who can write the database but does not hold the
key cannot edit entries and recompute the chain.

Where the key comes from, in this order:
- `SERVICELOOP_AUDIT_KEY` (environment): the current key, at least 32 characters;
- the key file `SERVICELOOP_AUDIT_KEY_FILE` (default `<data dir>/audit.key`, mode 0600): one
  key a line, the last one current (when no environment key is set), the earlier ones kept to
  verify entries sealed before a rotation (`serviceloop audit rotate-key` appends a line);
- `SERVICELOOP_AUDIT_OLD_KEYS` (environment, comma-separated): retired keys, verify only.
Without any key, development and tests create the key file with a random key on first use;
production settings refuse to start (config/settings/production.py).

Every entry stores the id of its key (`key_id`: a SHA-256 fingerprint of the key, never the
key), so old entries verify with their own key after a rotation. Backups hold the database and
the uploaded files only: the key is never in them; a restore verifies where the key is.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

MIN_KEY_CHARS = 32
KEY_ID_CHARS = 16


class AuditKeyError(Exception):
    """No usable audit key; the message says what to configure."""


def key_id(key: bytes) -> str:
    """The key's public name: a fingerprint that does not reveal it."""
    return hashlib.sha256(b"serviceloop audit key id\0" + key).hexdigest()[:KEY_ID_CHARS]


def seal(key: bytes, text: str) -> str:
    """HMAC-SHA256 of the entry's canonical text (OpenSSL's one-shot HMAC)."""
    return hmac.digest(key, text.encode(), "sha256").hex()


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]  # key id -> key
    described: str  # where the keys come from, for messages (never the keys)

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]


def key_file() -> Path:
    return Path(settings.SERVICELOOP_AUDIT_KEY_FILE)


def _valid(text: str, where: str) -> bytes:
    text = text.strip()
    if len(text) < MIN_KEY_CHARS:
        raise AuditKeyError(
            f"the audit key in {where} is too short ({len(text)} characters; at least "
            f"{MIN_KEY_CHARS} random characters, e.g. `openssl rand -hex 32`)"
        )
    return text.encode()


def read_key_file(path: Path) -> list[bytes]:
    lines = path.read_text().splitlines()
    return [_valid(line, str(path)) for line in lines if line.strip() and not line.startswith("#")]


def new_key() -> str:
    return secrets.token_hex(32)


def append_key(path: Path, key: str) -> None:
    """Add a key line to the key file (created with mode 0600, never wider)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, f"{key}\n".encode())
    finally:
        os.close(fd)


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: two processes starting at once keep one key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        os.write(
            fd,
            f"# ServiceLoop audit key (ADR 0005); keep it out of backups\n{new_key()}\n".encode(),
        )
    finally:
        os.close(fd)


def _inside(path: Path, folder: Any) -> bool:
    try:
        path.resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def load_keyring() -> Keyring:
    """The keys from the settings (see the module docstring); AuditKeyError when none."""
    path = key_file()
    if _inside(path, settings.MEDIA_ROOT):
        raise AuditKeyError(
            f"the audit key file {path} lies among the uploaded files, which backups copy; "
            "set SERVICELOOP_AUDIT_KEY_FILE to a path outside MEDIA_ROOT"
        )
    env_key = settings.SERVICELOOP_AUDIT_KEY or ""
    if not env_key and not (path.exists() and read_key_file(path)):
        if not settings.SERVICELOOP_AUDIT_KEY_CREATE:
            raise AuditKeyError(
                "no audit key: set SERVICELOOP_AUDIT_KEY (at least 32 random characters) or "
                f"put one in the key file {path} (mode 0600)"
            )
        _create_key_file(path)
    ordered = [_valid(k, "SERVICELOOP_AUDIT_OLD_KEYS") for k in settings.SERVICELOOP_AUDIT_OLD_KEYS]
    sources = ["SERVICELOOP_AUDIT_OLD_KEYS"] if ordered else []
    if path.exists():
        ordered += read_key_file(path)
        sources.append(str(path))
    if env_key:
        ordered.append(_valid(env_key, "SERVICELOOP_AUDIT_KEY"))
        sources.append("SERVICELOOP_AUDIT_KEY")
    keys = {key_id(k): k for k in ordered}
    return Keyring(key_id(ordered[-1]), keys, ", ".join(sources))


_RING: list[Keyring] = []


def keyring() -> Keyring:
    """The keyring, read once per process (a rotation takes effect at the next start; the
    old key stays, so entries written meanwhile still verify)."""
    if not _RING:
        _RING.append(load_keyring())
    return _RING[0]


def forget_keyring() -> None:
    _RING.clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("SERVICELOOP_AUDIT") or setting == "MEDIA_ROOT":
        forget_keyring()
