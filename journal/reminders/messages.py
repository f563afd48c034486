"""What each reminder says. General, sourced words only: the evening one is Learn's bedtime
stretch tip, in Learn's own title and evidence label; neither says anything about medicines.
During an experiment the evening one says what the night's block asks instead (never "stretch"
on a night without it), and the morning one mentions the experiment's question.
The email says how to turn it off in its footer; a notification ends with OFF_HINT."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from journal.experiments.design import Condition
from journal.experiments.results import experiment_asking_about, place_on
from journal.learn.content import get_content
from journal.reminders.models import Reminder, ReminderKind, night_to_check_in

STRETCH_TIP = "tip-bedtime-stretch"
OFF_HINT = "To change or turn off this reminder: Account, Reminders."


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
    now = timezone.now()
    if reminder.kind == ReminderKind.EVENING:
        experiment = experiment_asking_about(reminder.user, local_date, now)
        place = experiment and place_on(experiment, local_date, now)
        if experiment and place:
            about = experiment.about
            with_change = place.block.condition == Condition.CHANGE
            kind = about.on_nights if with_change else "Usual nights"
            subject = f"Tonight: {kind.lower()}, {place.night_number} of {len(place.block.nights)}"
            text = (
                f"{about.do if with_change else about.usual} Your experiment: "
                f"{about.name.lower()}. If a cramp wakes you tonight, tap Cramp now."
            )
        else:
            tip = get_content().item(STRETCH_TIP)
            subject = "A good time to stretch before bed"
            text = (
                f"{tip.title}: a tip from Learn, where its evidence is “{tip.evidence.label}”. "
                "If a cramp wakes you tonight, tap Cramp now."
            )
        url = absolute(reverse("home"))
    else:
        night = night_to_check_in(reminder, local_date)
        asking = experiment_asking_about(reminder.user, night, now)
        subject = "Morning check-in: how was the night?"
        text = (
            f"The check-in for the night of {night:%a %-d %b} takes a minute: your sleep, any "
            f"cramps, {'the day before, and your experiment' if asking else 'and the day before'}."
        )
        url = absolute(reverse("checkin_for", kwargs={"night_date": night}))
    return ReminderMessage(
        kind=reminder.kind,
        subject=subject,
        text=text,
        url=url,
        settings_url=absolute(reverse("reminders")),
    )
