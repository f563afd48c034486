"""The form for the user's own factors (custom factors)."""

from django import forms
from django.db.models import Value
from django.db.models.functions import Lower

from journal.models import CustomFactor, FactorKind


class CustomFactorForm(forms.ModelForm):
    """Name, kind and unit of a factor.

    Names are unique per user whatever their case: checked here with the same
    Lower() the database constraint uses, so the message appears next to the
    name. A factor's kind is fixed once values are recorded, because the
    answers already given would no longer fit it.
    """

    class Meta:
        model = CustomFactor
        fields = ("name", "kind", "unit")
        labels = {"name": "Name", "kind": "Answer as", "unit": "Unit"}
        help_texts = {
            "name": "e.g. Tight bedsheets, Bananas, Hours driving.",
            "unit": "Only for numbers, e.g. hours or cups.",
        }
        widgets = {"kind": forms.RadioSelect}
        error_messages = {"name": {"required": "Enter a name for the factor."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_values = self.instance.pk is not None and self.instance.values.exists()
        if self.has_values:
            self.fields["kind"].help_text = (
                "Fixed, because values are already recorded. To answer differently, "
                "archive this factor and add a new one."
            )

    def duplicate_name_message(self, name: str) -> str:
        return f"You already have a factor called “{name}”. Choose another name."

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        same_name = (
            CustomFactor.objects.for_user(self.instance.user)
            .alias(lower_name=Lower("name"))
            .filter(lower_name=Lower(Value(name)))
            .exclude(pk=self.instance.pk)
        )
        if same_name.exists():
            raise forms.ValidationError(self.duplicate_name_message(name))
        return name

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        tried = self.instance.pk is not None and self.instance.experiments.exists()
        if tried and kind != self.instance.kind:
            raise forms.ValidationError(
                f"“{self.instance.name}” is tried in an experiment as a yes/no factor, so it "
                "stays one. To track a number, add a new factor."
            )
        if self.has_values and kind != self.instance.kind:
            raise forms.ValidationError(
                f"“{self.instance.name}” already has values recorded as "
                f"“{self.instance.get_kind_display().lower()}”, and they would no longer fit. "
                "To track it differently, archive this factor (its history is kept) "
                "and add a new one."
            )
        return kind

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == FactorKind.YES_NO:
            cleaned["unit"] = ""  # a unit means nothing for a yes/no answer
        return cleaned
