from zoneinfo import available_timezones

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.db import transaction

from journal.forms.messages import (
    give_message,
    number_message,
    use_plain_messages,
    whole_number_limits,
)
from journal.models import Reassigned, User, reassign_episode_nights
from journal.units import FluidUnit, ml_to_unit, unit_label, unit_to_ml

HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]
TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(available_timezones())]


class TimeZoneField(forms.ChoiceField):
    """A list of time zones that the browser pre-selects (static/js/app.js)."""

    def __init__(self, **kwargs):
        super().__init__(choices=TIME_ZONE_CHOICES, **kwargs)
        self.widget.attrs["data-detect-timezone"] = ""


class SignUpForm(BaseUserCreationForm):
    time_zone = TimeZoneField(
        initial="UTC",
        help_text="Filled in from your device; used to put cramps on the right night.",
    )

    class Meta:
        model = User
        fields = ("email", "first_name", "time_zone")
        labels = {"first_name": "Your name (optional)"}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class AccountForm(forms.ModelForm):
    """Profile settings. The fluid target is entered in the unit chosen on the same form."""

    time_zone = TimeZoneField()
    fluid_target = forms.DecimalField(
        label="Daily fluid target", min_value=0, max_digits=6, decimal_places=1
    )

    class Meta:
        model = User
        fields = (
            "first_name",
            "time_zone",
            "fluid_unit",
            "fluid_target",
            "fluid_restricted",
            "night_boundary_hour",
            "date_of_birth",
        )
        labels = {"first_name": "Your name", "fluid_unit": "Fluid unit"}
        help_texts = {"first_name": "As you would like it on your doctor summary."}
        widgets = {
            "fluid_unit": forms.RadioSelect,
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self)
        unit = self.instance.fluid_unit
        self.fields["fluid_target"].initial = ml_to_unit(self.instance.fluid_target_ml, unit)
        give_message(self.fields["fluid_target"], fluid_target_message(unit), unit_label(unit))
        self.fields["night_boundary_hour"].widget = forms.Select(choices=HOUR_CHOICES)

    def clean(self):
        cleaned = super().clean()
        amount, unit = cleaned.get("fluid_target"), cleaned.get("fluid_unit")
        if amount is None or unit is None:
            return cleaned
        target_ml = unit_to_ml(float(amount), unit)
        low, high = whole_number_limits(User.fluid_target_ml.field.validators)
        if not low <= target_ml <= high:
            self.add_error("fluid_target", fluid_target_message(unit))
        else:
            self.instance.fluid_target_ml = target_ml
        return cleaned

    @transaction.atomic
    def save(self, commit: bool = True) -> User:
        """Save; when the night rule's inputs change, move cramps to their new nights."""
        user = super().save()
        self.reassigned = Reassigned(moved=0, nights_removed=[])
        if {"time_zone", "night_boundary_hour"} & set(self.changed_data):
            self.reassigned = reassign_episode_nights(user)
        return user


class ThemeForm(forms.ModelForm):
    """The colours pages are drawn in, and whether they turn dim by themselves at night."""

    night_hours_start = forms.TypedChoiceField(
        label="From",
        choices=HOUR_CHOICES,
        coerce=int,
        error_messages={"invalid_choice": "Choose the hour your night starts from the list."},
    )
    night_hours_end = forms.TypedChoiceField(
        label="Until",
        choices=HOUR_CHOICES,
        coerce=int,
        error_messages={"invalid_choice": "Choose the hour your night ends from the list."},
    )

    class Meta:
        model = User
        fields = ("theme", "dim_at_night", "night_hours_start", "night_hours_end")
        widgets = {"theme": forms.RadioSelect}
        error_messages = {
            "theme": {
                "invalid_choice": "Choose one of the themes listed.",
                "required": "Choose one of the themes listed.",
            }
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("night_hours_start"), cleaned.get("night_hours_end")
        if start is not None and start == end:
            self.add_error(
                "night_hours_end",
                f"Choose an hour other than {start:02d}:00: the night hours end at a different "
                "hour from the one they start at.",
            )
        return cleaned


def fluid_target_message(unit: str) -> str:
    """The fluid target's range (the model's, in ml) in `unit`: "Enter a whole number from 250
    to 8,000 ml."."""
    low, high = whole_number_limits(User.fluid_target_ml.field.validators)
    decimal_places = 0 if unit == FluidUnit.ML else 1
    return number_message(
        ml_to_unit(low, unit), ml_to_unit(high, unit), unit_label(unit), decimal_places
    )
