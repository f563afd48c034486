"""What each reminder says. General, sourced words only (the bedtime-stretch tip of Learn, with
its evidence label), never advice about medicines; each says how to turn it off."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse

from journal.reminders.models import Reminder, ReminderKind, night_to_check_in


@dataclass(frozen=True)
class ReminderMessage:
    kind: str
    subject: str
    text: str  # the notification's body, and the first paragraph of the email
    url: str  # absolute: where the notification and the email's button lead
    settings_url: str  # absolute: Account > Reminders, where they are changed or turned off


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def message_for(reminder: Reminder, local_date: date) -> ReminderMessage:
    if reminder.kind == ReminderKind.EVENING:
        subject = "A good time to stretch before bed"
        text = (
            "A few minutes of gentle calf and hamstring stretching before bed is the tip in "
            "Learn with the most evidence behind it (some evidence, mixed). If a cramp wakes "
            "you tonight, tap Cramp now."
        )
        url = absolute(reverse("home"))
    else:
        night = night_to_check_in(reminder, local_date)
        subject = "Morning check-in: how was the night?"
        text = (
            f"The check-in for the night of {night:%a %-d %b} takes a minute: your sleep, any "
            "cramps, and the day before."
        )
        url = absolute(reverse("checkin_for", kwargs={"night_date": night}))
    return ReminderMessage(
        kind=reminder.kind,
        subject=subject,
        text=text,
        url=url,
        settings_url=absolute(reverse("reminders")),
    )
