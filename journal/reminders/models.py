"""What reminders a user chose, the devices they get pushes on, and the log that makes each
reminder go out at most once. Imported by journal/models.py, so they are the journal app's."""

import uuid
from datetime import date, time

from django.conf import settings
from django.db import models
from django.db.models import Q

from journal import ranges
from journal.models import Owned, OwnedQuerySet, User, text_length_constraint
from journal.nights import checkin_night
from journal.reminders.due import EVERY_DAY, Schedule


class ReminderKind(models.TextChoices):
    EVENING = "evening", "Evening reminder"
    MORNING = "morning", "Morning check-in reminder"


DEFAULT_TIMES = {ReminderKind.EVENING: time(21, 30), ReminderKind.MORNING: time(8, 0)}


class Reminder(Owned):
    """One kind of reminder for one user: off until they turn it on in Account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=7, choices=ReminderKind)
    enabled = models.BooleanField("send this reminder", default=False)
    at = models.TimeField("at")
    weekdays = models.PositiveSmallIntegerField(
        default=EVERY_DAY, validators=ranges.WEEKDAYS.validators()
    )
    by_email = models.BooleanField("by email", default=True)
    by_push = models.BooleanField("by notification on my devices", default=False)
    skip_date = models.DateField(null=True, blank=True)
    paused_until = models.DateField(null=True, blank=True)
    # In the email's unsubscribe link: turns off this reminder only, with no log-in.
    unsubscribe_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    owner_path = "user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="journal_reminder_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="journal_reminder_kind_valid"
            ),
            ranges.WEEKDAYS.constraint("weekdays"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user} at {self.at:%H:%M}"

    @property
    def schedule(self) -> Schedule:
        return Schedule(
            at=self.at,
            weekdays=self.weekdays,
            tz=self.user.tzinfo,
            skip=self.skip_date,
            paused_until=self.paused_until,
        )


class Outcome(models.TextChoices):
    """What became of a reminder: queued, then taken by one worker, then one of the others."""

    QUEUED = "queued", "Waiting for a worker"
    SENDING = "sending", "Being sent (or the worker stopped while sending it)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent: the mail server or the push services refused it"
    NOT_NEEDED = "not_needed", "Not sent: the check-in was already done"
    NO_CHANNEL = "no_channel", "Not sent: no way to reach the user was chosen"
    TURNED_OFF = "turned_off", "Not sent: the reminder was turned off"
    TOO_LATE = "too_late", "Not sent: no longer due (past the grace period, paused or changed)"


class SentReminder(Owned):
    """A reminder of one kind for one local date. The scheduler's task makes the row (unique
    per user, kind and date) as it queues the reminder, so it is queued once; the worker that
    moves it from QUEUED to SENDING is the one that sends it, so it goes out once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=7, choices=ReminderKind)
    local_date = models.DateField()
    queued_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.QUEUED)
    emailed = models.BooleanField(default=False)
    pushed = models.PositiveSmallIntegerField("devices notified", default=0)

    owner_path = "user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"], name="journal_sentreminder_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="journal_sentreminder_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="journal_sentreminder_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of {self.user} for {self.local_date}: {self.outcome}"


class PushSubscription(Owned):
    """A browser's Web Push subscription: one per device (its endpoint), for one user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    device_name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    last_pushed_at = models.DateTimeField(null=True, blank=True)

    owner_path = "user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            text_length_constraint("endpoint", 1000),
            text_length_constraint("p256dh", 200),
            text_length_constraint("auth", 100),
            text_length_constraint("device_name", 100),
        ]

    def __str__(self) -> str:
        return f"{self.device_name} of {self.user}"

    @property
    def subscription_info(self) -> dict:
        """The form pywebpush (and the browser's PushSubscription.toJSON()) use."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


def night_to_check_in(reminder: Reminder, local_date: date) -> date:
    """The night a morning reminder of `local_date` is about: the check-in's default night at
    the reminder's moment."""
    return checkin_night(reminder.schedule.moment_on(local_date), reminder.user.tzinfo)


def reminders_of(user: User) -> dict[ReminderKind, Reminder]:
    """The user's reminder of each kind (one query), unsaved and off if they never set it."""
    found = {reminder.kind: reminder for reminder in Reminder.objects.for_user(user)}
    for reminder in found.values():
        reminder.user = user  # the user at hand, not fetched again for their time zone
    return {
        kind: found.get(kind) or Reminder(user=user, kind=kind, at=DEFAULT_TIMES[kind])
        for kind in ReminderKind
    }
