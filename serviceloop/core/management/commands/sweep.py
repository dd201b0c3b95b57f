"""`serviceloop sweep`: run every periodic job once, now, in this process."""

from django.core.management.base import BaseCommand

from serviceloop.core.jobs import PERIODIC


class Command(BaseCommand):
    help = "Run the periodic deadline sweeps once (they are idempotent)."

    def handle(self, *args, **options):
        for task in PERIODIC:
            result = task.call()
            self.stdout.write(f"{task.name}: {result}")
