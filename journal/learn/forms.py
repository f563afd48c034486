"""The red-flag checklist form."""

import uuid

from django import forms

from journal.models import RED_FLAG_QUESTIONS, ChecklistAnswer, RedFlagChecklist, User


class RedFlagChecklistForm(forms.ModelForm):
    """The questions answered yes, no or not sure, saved as a new dated submission. None has to
    be answered (one left unanswered is saved as not answered, never as a no), but at least
    one does: a checklist with no answer at all would say nothing.

    `token` is a fresh random id for each form shown, stored on the submission, so a form
    sent twice (a double tap, a refresh that re-posts) saves one submission.
    """

    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form is out of date. Please try again.",
            "invalid": "This form is out of date. Please try again.",
        },
    )

    class Meta:
        model = RedFlagChecklist
        fields = tuple(RED_FLAG_QUESTIONS)
        widgets = dict.fromkeys(RED_FLAG_QUESTIONS, forms.RadioSelect)

    def __init__(self, *args, user: User, previous: RedFlagChecklist | None = None, **kwargs):
        """Shown empty the first time, then with the previous answers to update."""
        initial = {"token": uuid.uuid4()}
        if previous is not None:
            initial |= {name: getattr(previous, name) for name in RED_FLAG_QUESTIONS}
        kwargs.setdefault("initial", initial)
        kwargs["instance"] = RedFlagChecklist(user=user)
        super().__init__(*args, **kwargs)
        for name in RED_FLAG_QUESTIONS:
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.required = False
            field.choices = ChecklistAnswer.choices  # no empty "---------" choice
            field.error_messages["invalid_choice"] = "Choose yes, no or not sure."

    def clean(self):
        cleaned = super().clean()
        answered = [name for name in RED_FLAG_QUESTIONS if cleaned.get(name)]
        if not answered and not any(name in self.errors for name in RED_FLAG_QUESTIONS):
            raise forms.ValidationError(
                "Answer at least one question, then save. You can leave any of the others."
            )
        return cleaned

    def clean_token(self):
        token = self.cleaned_data["token"]
        user = self.instance.user
        self.already_saved = (
            RedFlagChecklist.objects.for_user(user).filter(client_token=token).first()
        )
        self.instance.client_token = token
        return token
