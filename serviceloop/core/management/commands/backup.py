"""`serviceloop backup PATH`: a consistent backup (database, uploaded files, manifest)."""

import sys

from django.core.management.base import BaseCommand

from serviceloop.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write a backup folder at PATH while the server runs: the database (SQLite online "
        "backup / pg_dump -Fc), a portable copy of every table, the uploaded files and a "
        "manifest with row counts, the audit chain head and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        try:
            manifest = make_backup(path)
        except BackupError as exc:
            self.stderr.write(f"FAILED: {exc}")
            sys.exit(1)
        chain = manifest["audit_chain"]
        self.stdout.write(
            f"OK: backup written to {path} ({manifest['vendor']}, "
            f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables, "
            f"{len(manifest['files'])} files; audit chain {chain['count']} entries, "
            f"head {chain['last_hash'][:12]})"
        )
