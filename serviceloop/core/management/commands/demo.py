from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo company (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=None,
            metavar="N",
            help=(
                "Also add a large company of N times 10,000 customers, 1,000,000 "
                "communications, 1,000,000 warranty claims and 300,000 complaints with 8Ds "
                "(e.g. 0.01 for one per cent). Each run adds another such lot."
            ),
        )

    def handle(self, *args, **options):
        from serviceloop import demo

        logins = demo.run(self.stdout)
        if options["scale"] is not None:
            from serviceloop import scale

            self.stdout.write(f"\nAdding a company at scale {options['scale']:g}:")
            loaded = scale.load(options["scale"], stdout=self.stdout)
            self.stdout.write(
                f"{sum(loaded.rows.values()):,} rows and {loaded.audit_entries:,} audit entries "
                f"in {sum(loaded.seconds.values()):.0f} s."
            )
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, name, roles in logins:
            self.stdout.write(f"  {username:<10} {name:<14} {roles}")
