"""`serviceloop audit verify|rotate-key|reseal`: the audit log's keyed hash chain (ADR 0002,
ADR 0005)."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from serviceloop.core.audit import ChainBroken, reseal_chain, verify_chain
from serviceloop.core.audit_keys import (
    AuditKeyError,
    append_key,
    forget_keyring,
    key_file,
    key_id,
    keyring,
    new_key,
)

# Exit codes: 1 the chain does not hold; 2 the audit key is missing or wrong here.
BROKEN, KEY = 1, 2


class Command(BaseCommand):
    help = (
        "Audit log tools. `verify` walks the keyed hash chain and names the first bad entry "
        "(exit 1), or says that the audit key is missing or wrong (exit 2). `rotate-key` adds "
        "a new key to the key file (older entries keep verifying with their own key). "
        "`reseal` verifies the whole chain, then re-seals it under the current key."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "rotate-key", "reseal"])

    def handle(self, *args, action: str, **options):
        if action == "rotate-key":
            return self._rotate()
        if action == "reseal":
            return self._reseal()
        result = verify_chain()
        if not result.ok:
            kind = "wrong or missing audit key" if result.key_problem else "FAILED"
            self.stderr.write(
                f"{kind}: first bad entry is #{result.first_bad_seq}: "
                f"{result.problem} ({result.checked} entries verified before it)"
            )
            sys.exit(KEY if result.key_problem else BROKEN)
        keys = ", ".join(result.key_ids) or "none yet"
        self.stdout.write(
            f"OK: {result.checked} audit entries verified; the chain is intact "
            f"(audit keys: {keys}; current key {keyring().current_id})."
        )

    def _rotate(self):
        if settings.SERVICELOOP_AUDIT_KEY:
            self.stderr.write(
                "The audit key comes from SERVICELOOP_AUDIT_KEY: rotate it there — put the old "
                "key into SERVICELOOP_AUDIT_OLD_KEYS (so older entries keep verifying), the new "
                "one into SERVICELOOP_AUDIT_KEY, restart, then run `serviceloop audit reseal` "
                "if the old key is to be retired."
            )
            sys.exit(KEY)
        try:
            keyring()
        except AuditKeyError as exc:
            self.stderr.write(f"wrong or missing audit key: {exc}")
            sys.exit(KEY)
        key = new_key()
        append_key(key_file(), key)
        forget_keyring()
        self.stdout.write(
            f"New audit key {key_id(key.encode())} added to {key_file()} and now current; "
            "older keys stay there to verify the entries they sealed. Restart the server and "
            "workers; run `serviceloop audit reseal` to retire the old keys."
        )

    def _reseal(self):
        try:
            count = reseal_chain()
        except AuditKeyError as exc:
            self.stderr.write(f"wrong or missing audit key: {exc}")
            sys.exit(KEY)
        except ChainBroken as exc:
            self.stderr.write(f"FAILED: the chain does not verify, nothing re-sealed: {exc}")
            sys.exit(BROKEN)
        self.stdout.write(f"OK: {count} audit entries re-sealed under key {keyring().current_id}.")
