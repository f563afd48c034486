"""Finding the reminders due and sending each one once.

`enqueue_due` runs every minute (journal/tasks.py, from the scheduler). For each reminder due
it makes the reminder's SentReminder row, unique per user, kind and local date, and enqueues a
`send_reminder` task for that row once the row is committed: a reminder already queued (by an
earlier minute, or a second scheduler) is not queued again, however far behind the workers are.
`send` runs in a worker: it takes the row by moving it from QUEUED to SENDING in one UPDATE,
and only the worker whose UPDATE changed it sends. A second worker, the same task run twice or
a worker started again after one was killed mid-send sends nothing: at most once, never twice.
A task that runs after the grace period (journal/reminders/due.py) sends nothing.
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
    PushSubscription,
    Reminder,
    ReminderKind,
    SentReminder,
    night_to_check_in,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    user_id: int
    kind: str
    local_date: date


def due_now(now: datetime) -> list[Due]:
    """The reminders due at `now` and not yet queued for their local date."""
    due = [
        Due(reminder.user_id, reminder.kind, day)
        for reminder in Reminder.objects.filter(enabled=True).select_related("user")
        if (day := due_day(reminder.schedule, now)) is not None
    ]
    queued = set(
        SentReminder.objects.filter(
            user_id__in={d.user_id for d in due}, local_date__in={d.local_date for d in due}
        ).values_list("user_id", "kind", "local_date")
    )
    return [d for d in due if (d.user_id, d.kind, d.local_date) not in queued]


def enqueue_due(now: datetime) -> int:
    """Queue each reminder due at `now`, and a send_reminder task for it; how many."""
    from journal.tasks import enqueue_on_commit, send_reminder

    queued = 0
    for item in due_now(now):
        try:
            with transaction.atomic():
                entry = SentReminder.objects.create(
                    user_id=item.user_id, kind=item.kind, local_date=item.local_date, queued_at=now
                )
                enqueue_on_commit(send_reminder, entry.pk)
        except IntegrityError:
            continue  # another scheduler queued it a moment ago
        queued += 1
    return queued


def send(entry_id: int, now: datetime) -> str:
    """Send the queued reminder `entry_id` if this call is the one that takes it and it is still
    due; what became of it, in words (the task's result)."""
    taken = SentReminder.objects.filter(pk=entry_id, outcome=Outcome.QUEUED).update(
        outcome=Outcome.SENDING
    )
    if not taken:
        return "not sent: already taken by another worker"
    entry = SentReminder.objects.get(pk=entry_id)
    reminder = (
        Reminder.objects.filter(user_id=entry.user_id, kind=entry.kind, enabled=True)
        .select_related("user")
        .first()
    )
    if reminder is None:
        entry.outcome = Outcome.TURNED_OFF
    elif due_day(reminder.schedule, now) != entry.local_date:
        entry.outcome = Outcome.TOO_LATE
    elif reminder.kind == ReminderKind.MORNING and _checked_in(reminder, entry.local_date):
        entry.outcome = Outcome.NOT_NEEDED
    else:
        _deliver(reminder, entry)
    entry.save(update_fields=["outcome", "emailed", "pushed"])
    return entry.get_outcome_display()


def _deliver(reminder: Reminder, entry: SentReminder) -> None:
    message = message_for(reminder, entry.local_date)
    devices = reminder.by_push and PushSubscription.objects.for_user(reminder.user).exists()
    entry.emailed = reminder.by_email and mail.send_reminder_email(reminder, message)
    entry.pushed = push.push_to_devices(reminder.user, message) if devices else 0
    if entry.emailed or entry.pushed:
        entry.outcome = Outcome.SENT
    elif reminder.by_email or devices:
        entry.outcome = Outcome.FAILED
    else:
        entry.outcome = Outcome.NO_CHANNEL


def _checked_in(reminder: Reminder, local_date: date) -> bool:
    night = night_to_check_in(reminder, local_date)
    return (
        Night.objects.for_user(reminder.user)
        .annotate(checked_in=check_in_done())
        .filter(date=night, checked_in=True)
        .exists()
    )


def forget_sent_before(cutoff: datetime) -> int:
    """Remove the log of reminders queued before `cutoff` (long past any grace period)."""
    deleted, _ = SentReminder.objects.filter(queued_at__lt=cutoff).delete()
    return deleted
