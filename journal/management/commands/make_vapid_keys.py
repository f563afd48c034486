from django.core.management.base import BaseCommand

from journal.reminders.push import new_vapid_keys


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for Web Push reminders, as the two environment lines to set "
        "(VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY). Keep the private key secret. A server keeps its "
        "pair: with a new one, every device has to turn notifications on again."
    )

    def handle(self, *args, **options) -> None:
        keys = new_vapid_keys()
        self.stdout.write(f"VAPID_PUBLIC_KEY={keys.public}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={keys.private}")
