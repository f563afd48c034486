"""The reminder settings of Account > Reminders, and "not tonight" or a pause."""

from datetime import date, timedelta

from django import forms

from journal.forms.messages import TIME_MESSAGE, use_plain_messages
from journal.reminders.due import WEEKDAY_NAMES, next_moment, weekday_bits, weekdays_of
from journal.reminders.models import Reminder

WEEKDAY_CHOICES = [(str(day), name) for day, name in enumerate(WEEKDAY_NAMES)]
PAUSE_DAYS = (3, 7, 14, 30)


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
        if not cleaned.get("by_email") and not cleaned.get("by_push"):
            field = "by_email"
            self.add_error(field, "Choose at least one way for the reminder to reach you.")
        return cleaned

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

    def apply(self, reminder: Reminder, today: date, now) -> str:
        """Change the reminder (unsaved) as asked; what was done, in words."""
        action = self.cleaned_data["action"]
        name = reminder.get_kind_display().lower()
        if action == "resume":
            reminder.skip_date = reminder.paused_until = None
            return f"The {name} is back on."
        if action == "pause":
            days = self.cleaned_data["days"] or PAUSE_DAYS[0]
            reminder.paused_until = today + timedelta(days=days - 1)
            back = reminder.paused_until + timedelta(days=1)
            return f"The {name} is paused for {days} days: back on from {back:%a %-d %b}."
        upcoming = next_moment(reminder.schedule, now)
        if upcoming is None:
            return f"The {name} has no day to skip."
        reminder.skip_date = upcoming.astimezone(reminder.user.tzinfo).date()
        return f"No {name} on {reminder.skip_date:%a %-d %b}."
