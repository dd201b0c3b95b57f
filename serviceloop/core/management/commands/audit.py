"""`serviceloop audit verify`: check the hash chain of the audit log."""

import sys

from django.core.management.base import BaseCommand

from serviceloop.core.audit import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. `verify` walks the hash chain and names the first bad entry."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action: str, **options):
        result = verify_chain()
        if not result.ok:
            self.stderr.write(
                f"FAILED: first bad entry is #{result.first_bad_seq}: "
                f"{result.problem} ({result.checked} entries verified before it)"
            )
            sys.exit(1)
        self.stdout.write(f"OK: {result.checked} audit entries verified; the chain is intact.")
