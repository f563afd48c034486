"""Deployment checks of the settings reminders need (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def reminder_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    if not settings.SITE_URL.startswith("https://"):
        problems.append(
            checks.Error(
                "SITE_URL is not an https:// address, so reminder emails cannot link back to "
                "the app (their unsubscribe link included).",
                hint="Set SITE_URL to the address people open, e.g. https://cramps.example.org.",
                id="journal.E002",
            )
        )
    if bool(settings.VAPID_PUBLIC_KEY) != bool(settings.VAPID_PRIVATE_KEY):
        problems.append(
            checks.Error(
                "Only one of VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY is set.",
                hint="Set both from `manage.py make_vapid_keys`, or neither (no Web Push).",
                id="journal.E001",
            )
        )
    return problems
