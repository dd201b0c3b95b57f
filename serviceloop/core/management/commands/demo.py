from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo company (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        from serviceloop import demo

        logins = demo.run(self.stdout)
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, name, roles in logins:
            self.stdout.write(f"  {username:<10} {name:<14} {roles}")
