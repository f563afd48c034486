"""The reminder settings of Account > Reminders, and skipping one or pausing it."""

from dataclasses import replace
from datetime import date, datetime, timedelta

from django import forms

from journal.forms.messages import TIME_MESSAGE, use_plain_messages
from journal.reminders.due import MAX_PAUSE_DAYS, next_moment, weekday_bits, weekdays_of
from journal.reminders.models import PushSubscription, Reminder

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_CHOICES = [(str(day), name) for day, name in enumerate(WEEKDAY_NAMES)]
PAUSE_DAYS = (3, 7, 14, MAX_PAUSE_DAYS)


class ReminderForm(forms.ModelForm):
    """One reminder's settings; each kind's form has its own prefix (its kind) on the page."""

    days = forms.MultipleChoiceField(
        label="On these days",
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Reminder
        fields = ("enabled", "at", "by_email", "by_push")
        labels = {"at": "Time"}
        widgets = {"at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, push_available: bool, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self)
        self.fields["at"].error_messages["required"] = TIME_MESSAGE
        self.fields["at"].help_text = f"In your time zone ({self.instance.user.time_zone})."
        self.fields["days"].initial = [str(day) for day in weekdays_of(self.instance.weekdays)]
        if not push_available:
            del self.fields["by_push"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("enabled"):
            return cleaned
        if not cleaned.get("days"):
            self.add_error("days", "Choose at least one day, or turn this reminder off.")
        by_email, by_push = cleaned.get("by_email"), cleaned.get("by_push")
        if not by_email and not by_push:
            self.add_error("by_email", "Choose at least one way for the reminder to reach you.")
        elif by_push and not by_email and not self._has_devices():
            self.add_error(
                "by_push",
                "No device gets notifications yet: turn them on for this device below, or "
                "choose email too.",
            )
        return cleaned

    def _has_devices(self) -> bool:
        return PushSubscription.objects.for_user(self.instance.user).exists()

    def save(self, commit: bool = True) -> Reminder:
        self.instance.weekdays = weekday_bits({int(day) for day in self.cleaned_data["days"]})
        return super().save(commit)


class PauseForm(forms.Form):
    """Skip the next reminder ("not tonight"), pause it for some days, or resume it."""

    action = forms.ChoiceField(
        choices=[("skip", "Skip the next one"), ("pause", "Pause"), ("resume", "Resume")]
    )
    days = forms.TypedChoiceField(
        label="Pause for",
        choices=[(days, f"{days} days") for days in PAUSE_DAYS],
        coerce=int,
        required=False,
    )

    def apply(self, reminder: Reminder, now: datetime) -> str:
        """Change the reminder (unsaved) as asked; what was done, in words."""
        action = self.cleaned_data["action"]
        today = now.astimezone(reminder.user.tzinfo).date()
        name = reminder.get_kind_display().lower()
        if action == "resume":
            reminder.skip_date = reminder.paused_until = None
            return f"The {name} is back on."
        if action == "pause":
            days = self.cleaned_data["days"] or PAUSE_DAYS[0]
            reminder.paused_until = today + timedelta(days=days - 1)
            back = reminder.paused_until + timedelta(days=1)
            return f"The {name} is paused for {days} days: back on from {back:%a %-d %b}."
        skipped = next_unskipped(reminder, now)
        if skipped is None:
            return f"The {name} has no day to skip."
        reminder.skip_date = skipped
        return f"No {name} on {skipped:%a %-d %b}."


def next_unskipped(reminder: Reminder, now: datetime) -> date | None:
    """The local date of the next reminder, were none skipped: the one "Skip" skips, so that
    pressing it twice skips the same one."""
    upcoming = next_moment(replace(reminder.schedule, skip=None), now)
    return upcoming.astimezone(reminder.user.tzinfo).date() if upcoming else None
