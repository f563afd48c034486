"""Finding the reminders due and sending each one at most once.

`enqueue_due` runs every minute (journal/tasks.py, from the scheduler): it finds the reminders
due now and enqueues one `send_reminder` task for each. `send` runs in the worker: it claims the
reminder's SentReminder row (unique per user, kind and local date) before anything goes out, so
a second worker, a duplicate task or a worker restarted mid-run finds the claim and sends
nothing; a task that runs after the grace period (journal/reminders/due.py) sends nothing.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction

from journal.models import Night, check_in_done
from journal.reminders import mail, push
from journal.reminders.due import due_day
from journal.reminders.messages import message_for
from journal.reminders.models import (
    Outcome,
    Reminder,
    ReminderKind,
    SentReminder,
    night_to_check_in,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    reminder_id: int
    user_id: int
    kind: str
    local_date: date


def due_now(now: datetime) -> list[Due]:
    """The reminders due at `now` and not yet claimed for their local date."""
    due = [
        Due(reminder.pk, reminder.user_id, reminder.kind, day)
        for reminder in Reminder.objects.filter(enabled=True).select_related("user")
        if (day := due_day(reminder.schedule, now)) is not None
    ]
    claimed = set(
        SentReminder.objects.filter(
            user_id__in={d.user_id for d in due}, local_date__in={d.local_date for d in due}
        ).values_list("user_id", "kind", "local_date")
    )
    return [d for d in due if (d.user_id, d.kind, d.local_date) not in claimed]


def enqueue_due(now: datetime) -> int:
    """Enqueue a send_reminder task for each reminder due at `now`; how many."""
    from journal.tasks import enqueue_on_commit, send_reminder

    due = due_now(now)
    for item in due:
        enqueue_on_commit(send_reminder, item.reminder_id, item.local_date.isoformat())
    return len(due)


def send(reminder_id: int, local_date: date, now: datetime) -> str:
    """Send the reminder of `local_date` if it is still due and nobody has claimed it; what
    became of it, in words for the task's result."""
    reminder = Reminder.objects.filter(pk=reminder_id, enabled=True).select_related("user").first()
    if reminder is None:
        return "not sent: the reminder was turned off"
    if due_day(reminder.schedule, now) != local_date:
        return "not sent: no longer due (past the grace period, paused or changed)"
    try:
        with transaction.atomic():
            claim = SentReminder.objects.create(
                user=reminder.user, kind=reminder.kind, local_date=local_date, claimed_at=now
            )
    except IntegrityError:
        return "not sent: already claimed for this date"

    if reminder.kind == ReminderKind.MORNING and _checked_in(reminder, local_date):
        claim.outcome = Outcome.NOT_NEEDED
    else:
        message = message_for(reminder, local_date)
        claim.emailed = reminder.by_email and mail.send_reminder_email(reminder, message)
        claim.pushed = push.push_to_devices(reminder.user, message) if reminder.by_push else 0
        claim.outcome = Outcome.SENT if claim.emailed or claim.pushed else Outcome.NO_CHANNEL
    claim.save(update_fields=["outcome", "emailed", "pushed"])
    return claim.get_outcome_display()


def _checked_in(reminder: Reminder, local_date: date) -> bool:
    night = night_to_check_in(reminder, local_date)
    return (
        Night.objects.for_user(reminder.user)
        .annotate(checked_in=check_in_done())
        .filter(date=night, checked_in=True)
        .exists()
    )


def forget_sent_before(cutoff: datetime) -> int:
    """Remove the log of reminders claimed before `cutoff` (long past any grace period)."""
    deleted, _ = SentReminder.objects.filter(claimed_at__lt=cutoff).delete()
    return deleted
