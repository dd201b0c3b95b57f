"""`serviceloop restore PATH`: load a backup into an empty database and prove it."""

import sys

from django.core.management.base import BaseCommand

from serviceloop.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Load the backup at PATH into this (empty) database: checks every checksum first, "
        "restores the uploaded files, then compares the row counts and the audit chain head "
        "with the manifest and verifies the audit chain. A SQLite backup restores into "
        "PostgreSQL (and back) through its portable copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the contents of a database that already holds records",
        )
        parser.add_argument(
            "--portable",
            action="store_true",
            help="load the portable copy even when the database vendor matches",
        )

    def handle(self, *args, path: str, force: bool, portable: bool, **options):
        try:
            report = restore_backup(
                path, force=force, portable=portable, progress=self.stdout.write
            )
        except BackupError as exc:
            self.stderr.write(f"FAILED: {exc}")
            sys.exit(1)
        self.stdout.write(
            f"OK: restored {report.rows} rows in {report.tables} tables ({report.method}); "
            f"{report.audit_entries} audit entries verified."
        )
