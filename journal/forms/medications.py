"""Forms for medications, supplements and the doses of as-needed medicines.

Dates and times are entered as wall-clock values in the user's own time zone:
UserTimezoneMiddleware activates it, so `timezone.localdate()` is the user's
today and Django's DateTimeField turns a `datetime-local` value into an aware
moment.
"""

import uuid
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils import timezone

from journal import medication_classes, ranges
from journal.forms.messages import use_plain_messages
from journal.medicine_names import Recognition, recognise
from journal.models import DoseTaken, Medication

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# A dose logged a few minutes ahead is a clock out of step, not a mistake worth refusing.
FUTURE_TOLERANCE = timedelta(minutes=5)


def class_choice_label(entry: medication_classes.MedicationClass) -> str:
    """The catalogue label with its examples, so people can find their medicine by name."""
    return f"{entry.label}: e.g. {entry.examples}" if entry.examples else entry.label


CLASS_CHOICES = [(entry.key, class_choice_label(entry)) for entry in medication_classes.CATALOGUE]


class MedicationForm(forms.ModelForm):
    """Add or edit a medication. The model's clean() checks the dose and the date order."""

    class Meta:
        model = Medication
        fields = (
            "name",
            "drug_class",
            "dose",
            "dose_unit",
            "kind",
            "started_on",
            "stopped_on",
            "notes",
        )
        labels = {
            "name": "Name",
            "dose": "Dose",
            "dose_unit": "Dose unit",
            "drug_class": "Type of medicine",
            "kind": "How you take it",
            "started_on": "Started on",
            "stopped_on": "Last day taken",
        }
        help_texts = {
            "name": "As it appears on the packet, e.g. Atorvastatin.",
            "dose": "The amount in one dose, e.g. 20. Leave empty if you are not sure.",
            "dose_unit": "e.g. mg, puffs, tablets.",
            "drug_class": "Each type lists a few examples. If none fits, choose “Other”. "
            "Type the name first and we suggest one.",
            "stopped_on": "The last day you took it (the same as the start for a single day). "
            "Leave empty while you are still taking it.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "started_on": DATE_INPUT,
            "stopped_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": "Enter the name of the medicine or supplement."},
            "drug_class": {
                "required": "Choose the type of medicine. If none fits, choose “Other”.",
            },
            "started_on": {"required": "Enter the date you started."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self)
        self.fields["drug_class"].choices = CLASS_CHOICES
        if self.instance._state.adding:  # nothing chosen until the user chooses
            self.fields["drug_class"].choices = [("", "Choose a type"), *CLASS_CHOICES]
            self.initial["drug_class"] = ""
        self.recognition: Recognition | None = None
        self.class_filled_in = False
        if self.is_bound:
            self.recognition = recognise(self.data.get(self.add_prefix("name"), ""))
            if self.recognition and not self.data.get(self.add_prefix("drug_class")):
                # Shown again preselected for the user to check; never saved from here.
                self.data = self.data.copy()
                self.data[self.add_prefix("drug_class")] = self.recognition.entry.key
                self.class_filled_in = True
        if self.instance.started_on is None:
            self.initial["started_on"] = timezone.localdate()
        if self.instance.dose is not None:
            self.initial["dose"] = floatformat(self.instance.dose, -2)  # 20, not 20.00

    @property
    def class_to_check(self) -> Recognition | None:
        """The type recognised from the name, while the user has still to see it beside their
        choice: the form is shown again with it instead of being saved. Call after is_valid().

        It is seen when the form shows it (the hidden `proposal_seen` it carries, live with
        htmx or after a first Save); the user then keeps their choice or takes the proposal.
        """
        recognition = self.recognition
        if recognition is None:
            return None
        key = recognition.entry.key
        if self.class_filled_in:
            return recognition
        if self.cleaned_data.get("drug_class") == key or self.data.get("proposal_seen") == key:
            return None
        return recognition


class StopMedicationForm(forms.ModelForm):
    """Record the last day a medication was taken; it stays in the history."""

    class Meta:
        model = Medication
        fields = ("stopped_on",)
        labels = {"stopped_on": "Last day taken"}
        help_texts = {"stopped_on": "The last day you took it: today if you took it today."}
        widgets = {"stopped_on": DATE_INPUT}
        error_messages = {"stopped_on": {"required": "Enter the last day you took it."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stopped_on"].required = True
        if self.instance.stopped_on is None:
            self.initial["stopped_on"] = max(timezone.localdate(), self.instance.started_on)


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in the user's time zone.

    Django refuses a time that falls in a daylight-saving gap (or in the hour
    that happens twice); this says so in plain words.
    """

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "ambiguous_timezone":
                raise
            raise ValidationError(
                "The clocks changed at about that time in %(zone)s, so that time either "
                "did not happen or happened twice. Enter a time a little earlier or later.",
                code="ambiguous_timezone",
                params={"zone": timezone.get_current_timezone_name().replace("_", " ")},
            ) from error


class DoseForm(forms.ModelForm):
    """“Took a dose” of an as-needed medication.

    `token` is a fresh random id for each form shown, stored on the dose; a form
    sent again is recognised by it (see journal.views.medications.record_dose_once).
    """

    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form is out of date. Please try again.",
            "invalid": "This form is out of date. Please try again.",
        },
    )

    quantity = forms.DecimalField(
        label="How many",
        initial=1,
        min_value=ranges.DOSE_QUANTITY.low,
        max_value=ranges.DOSE_QUANTITY.high,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": "Enter how many you took, e.g. 1."},
    )

    class Meta:
        model = DoseTaken
        fields = ("taken_at", "quantity")
        field_classes = {"taken_at": LocalDateTimeField}
        labels = {"taken_at": "When you took it"}
        widgets = {"taken_at": DATETIME_INPUT}
        error_messages = {"taken_at": {"required": "Enter when you took it."}}

    def __init__(self, *args, medication: Medication, **kwargs):
        kwargs.setdefault("auto_id", f"dose-{medication.pk}-%s")  # unique per medication
        kwargs.setdefault(
            "initial",
            {"taken_at": timezone.now().replace(second=0, microsecond=0), "token": uuid.uuid4()},
        )
        kwargs["instance"] = DoseTaken(medication=medication)
        super().__init__(*args, **kwargs)
        use_plain_messages(self)
        self.medication = medication
        if medication.dose is not None:
            amount = f"{floatformat(medication.dose, -2)} {medication.dose_unit}".strip()
            self.fields["quantity"].label = f"How many ({amount} each)"

    def clean_token(self):
        token = self.cleaned_data["token"]
        self.already_recorded = DoseTaken.objects.filter(client_token=token).exists()
        self.instance.client_token = token
        return token

    def clean_taken_at(self):
        taken_at = self.cleaned_data["taken_at"]
        if taken_at > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError("That time is still to come. Enter when you took it.")
        return taken_at
