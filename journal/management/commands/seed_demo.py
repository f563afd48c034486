from django.core.management.base import BaseCommand, CommandError

from journal import demo


class Command(BaseCommand):
    help = (
        "Create or refresh the demo users (demo@example.com, demo2@example.com, ...) with a "
        "deterministic journal ending last night. journal/demo.py lists the planted effects."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--months", type=int, default=6, help="of 30 nights each")
        parser.add_argument("--users", type=int, default=1)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, months: int, users: int, seed: int, **options) -> None:
        if months < 1 or users < 1:
            raise CommandError("--months and --users must be at least 1.")
        seeded = demo.seed_demo(months=months, users=users, seed=seed)
        plural = "s" if users > 1 else ""
        nights = months * demo.NIGHTS_PER_MONTH
        self.stdout.write(f"Seeded {users} demo user{plural} over {nights} nights:")
        for label in seeded[0].counts:
            self.stdout.write(f"  {label}: {sum(user.counts[label] for user in seeded)}")
        if users > 1:
            self.stdout.write(
                f"Demo users: {seeded[0].email} to {seeded[-1].email}, all with the same password."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Demo login: {seeded[0].email} / {demo.DEMO_PASSWORD}")
        )
