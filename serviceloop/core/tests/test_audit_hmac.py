"""The audit chain keyed with HMAC (issue 9 item 8, ADR 0005): someone who can write the
database but lacks the key cannot edit entries and recompute the chain; keys rotate (each
entry names its key); a wrong or missing key is reported as such; backups never hold the key
and a restore verifies where the key is."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from serviceloop.core.audit import audit_append_many, reseal_chain, verify_chain
from serviceloop.core.audit_keys import key_id, keyring
from serviceloop.core.backup import BackupError, make_backup, restore_backup
from serviceloop.core.models import AuditChainHead, AuditEntry
from serviceloop.core.models.audit import chain_text
from serviceloop.core.testing.factories import user_with
from serviceloop.customers.services import customer_create, customer_update

KEY_A = "a" * 16 + "-first-audit-key-for-tests-0001"
KEY_B = "b" * 16 + "-second-audit-key-for-tests-002"
ROOT = Path(__file__).resolve().parents[3]


def _history(n: int = 3, prefix: str = "H") -> None:
    actor = user_with("sales")
    for i in range(n):
        c = customer_create(actor=actor, code=f"{prefix}{i}", name=f"客户{i}", tier="retail")
        customer_update(actor=actor, customer=c, name=f"客户{i}改", reason="更名")


def _forge_with_sha256(from_seq: int, *, drop_key_id: bool) -> None:
    """What a database writer without the key can do: edit an entry, then recompute every
    hash from there on (and the head) with plain SHA-256 — the pre-issue-9 link."""
    entries = list(AuditEntry.objects.filter(seq__gte=from_seq).order_by("seq"))
    prev = AuditEntry.objects.get(seq=from_seq - 1).hash
    entries[0].reason = "forged"
    for e in entries:
        e.prev_hash = prev
        e.content_digest = e.compute_content_digest()
        if drop_key_id:
            e.key_id = ""
        e.hash = prev = hashlib.sha256(chain_text(e).encode()).hexdigest()
        e.save()
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)


@pytest.mark.django_db
@pytest.mark.parametrize("drop_key_id", [False, True], ids=["key id kept", "key id dropped"])
def test_editing_and_recomputing_the_chain_without_the_key_is_detected(drop_key_id):
    _history()
    assert verify_chain().ok
    _forge_with_sha256(3, drop_key_id=drop_key_id)
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 3 and not result.key_problem
    expected = "not sealed with an audit key" if drop_key_id else "altered"
    assert expected in result.problem


@pytest.mark.django_db
def test_entries_are_hmac_sealed_and_name_their_key(settings):
    _history(1)
    ring = keyring()
    assert ring.current_id == key_id(settings.SERVICELOOP_AUDIT_KEY.encode())
    for e in AuditEntry.objects.all():
        assert e.key_id == ring.current_id
        assert e.hash != hashlib.sha256(chain_text(e).encode()).hexdigest()
        assert e.hash == e.compute_hash()


@pytest.mark.django_db
def test_a_wrong_key_is_reported_as_a_key_problem(settings, capsys):
    _history(1)
    settings.SERVICELOOP_AUDIT_KEY = KEY_B
    result = verify_chain()
    assert not result.ok and result.key_problem and result.first_bad_seq == 1
    assert AuditEntry.objects.get(seq=1).key_id in result.problem
    assert "wrong or missing audit key" in result.problem
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 2
    assert "wrong or missing audit key" in capsys.readouterr().err


@pytest.mark.django_db
def test_no_key_at_all_is_reported(settings, tmp_path):
    _history(1)
    settings.SERVICELOOP_AUDIT_KEY = ""
    settings.SERVICELOOP_AUDIT_KEY_FILE = tmp_path / "absent.key"
    settings.SERVICELOOP_AUDIT_KEY_CREATE = False
    result = verify_chain()
    assert not result.ok and result.key_problem and "SERVICELOOP_AUDIT_KEY" in result.problem
    assert (result.ok, result.checked, result.first_bad_seq) == (False, 0, 1)
    assert result.problem.startswith("no audit key: ")


@pytest.mark.django_db
def test_rotation_old_entries_verify_with_their_key_then_reseal_retires_it(settings):
    settings.SERVICELOOP_AUDIT_KEY = KEY_A
    _history(2)
    first = AuditChainHead.objects.get().count
    settings.SERVICELOOP_AUDIT_KEY, settings.SERVICELOOP_AUDIT_OLD_KEYS = KEY_B, [KEY_A]
    actor = user_with("sales")
    customer_create(actor=actor, code="R1", name="轮换后", tier="retail")
    audit_append_many(actor=actor, entries=[("event", "x.y", "1", "批量", None, {"n": 1})])
    ids = {key_id(KEY_A.encode()), key_id(KEY_B.encode())}
    result = verify_chain()
    assert result.ok and set(result.key_ids) == ids
    assert AuditEntry.objects.filter(seq__lte=first, key_id=key_id(KEY_A.encode())).count() == first
    # Retiring A before re-sealing: A's entries can no longer be verified — said clearly.
    settings.SERVICELOOP_AUDIT_OLD_KEYS = []
    assert verify_chain().key_problem
    settings.SERVICELOOP_AUDIT_OLD_KEYS = [KEY_A]
    call_command("audit", "reseal")
    assert set(AuditEntry.objects.values_list("key_id", flat=True)) == {key_id(KEY_B.encode())}
    settings.SERVICELOOP_AUDIT_OLD_KEYS = []
    assert verify_chain().ok


@pytest.mark.django_db
def test_reseal_refuses_a_broken_chain_and_changes_nothing(capsys):
    _history(2)
    AuditEntry.objects.filter(seq=2).update(reason="tampered")
    hashes = list(AuditEntry.objects.order_by("seq").values_list("hash", flat=True))
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "reseal")
    assert exc.value.code == 1 and "#2" in capsys.readouterr().err
    assert list(AuditEntry.objects.order_by("seq").values_list("hash", flat=True)) == hashes
    with pytest.raises(Exception, match="#2"):
        reseal_chain()


@pytest.mark.django_db
def test_key_file_created_on_first_use_0600_and_rotated(settings, tmp_path, capsys):
    settings.SERVICELOOP_AUDIT_KEY = ""
    settings.SERVICELOOP_AUDIT_KEY_FILE = path = tmp_path / "keys" / "audit.key"
    ring = keyring()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ring.current.decode() in path.read_text()
    _history(1)
    call_command("audit", "rotate-key")
    assert "New audit key" in capsys.readouterr().out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rotated = keyring()
    assert rotated.current_id != ring.current_id and ring.current_id in rotated.keys
    _history(1, "N")  # written under the new key; the old entries keep theirs
    assert verify_chain().ok
    assert len(set(AuditEntry.objects.values_list("key_id", flat=True))) == 2


@pytest.mark.django_db
def test_rotate_key_with_an_environment_key_explains_how(capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "rotate-key")
    assert exc.value.code == 2 and "SERVICELOOP_AUDIT_OLD_KEYS" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_key_file_among_the_uploads_is_refused(settings):
    settings.SERVICELOOP_AUDIT_KEY = ""
    settings.SERVICELOOP_AUDIT_KEY_FILE = Path(settings.MEDIA_ROOT) / "audit.key"
    result = verify_chain()
    assert not result.ok and "uploaded files" in result.problem


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backups_hold_no_key_and_restore_verifies_only_with_the_key(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.SERVICELOOP_AUDIT_KEY = KEY_A
    _history(2)
    make_backup(tmp_path / "b")
    for file in (tmp_path / "b").rglob("*"):
        if file.is_file():
            assert KEY_A.encode() not in file.read_bytes(), file
    call_command("flush", interactive=False, verbosity=0)
    settings.SERVICELOOP_AUDIT_KEY = KEY_B  # a machine without the key
    with pytest.raises(BackupError, match="wrong or missing audit key"):
        restore_backup(tmp_path / "b")
    call_command("flush", interactive=False, verbosity=0)
    settings.SERVICELOOP_AUDIT_KEY = KEY_A  # a machine with it
    report = restore_backup(tmp_path / "b")
    assert report.audit_entries == AuditEntry.objects.count() > 0


def _production(env_extra: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERVICELOOP_AUDIT")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SERVICELOOP_SECRET_KEY="k" * 60,
        SERVICELOOP_DATA_DIR=str(data_dir),
        **env_extra,
    )
    code = "import django; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_real_audit_key(tmp_path):
    result = _production({}, tmp_path)
    assert result.returncode != 0 and "SERVICELOOP_AUDIT_KEY" in result.stderr
    assert not (tmp_path / "audit.key").exists()  # production never makes one up
    assert _production({"SERVICELOOP_AUDIT_KEY": "short"}, tmp_path).returncode != 0
    assert _production({"SERVICELOOP_AUDIT_KEY": KEY_A}, tmp_path).returncode == 0
    key_path = tmp_path / "audit.key"
    key_path.write_text(KEY_B + "\n")
    key_path.chmod(0o644)
    result = _production({}, tmp_path)
    assert result.returncode != 0 and "chmod 600" in result.stderr
    key_path.chmod(0o600)
    assert _production({}, tmp_path).returncode == 0
