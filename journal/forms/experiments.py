"""Starting an experiment (its design, and the doctor step for a supplement), and the
check-in's question about it."""

from datetime import date, timedelta

from django import forms

from journal.experiments import design
from journal.experiments.changes import Change
from journal.forms.messages import use_plain_messages

YES_NO = [("yes", "Yes"), ("no", "No")]


class StartForm(forms.Form):
    start = forms.ChoiceField(label="First night", widget=forms.RadioSelect)
    block_nights = forms.TypedChoiceField(
        label="Nights in each block",
        coerce=int,
        choices=[
            (14, "14 nights (recommended: more nights analysed in each block)"),
            (7, "7 nights (the same number of weeks, shorter blocks)"),
        ],
        initial=design.DEFAULT_BLOCK_NIGHTS,
        widget=forms.RadioSelect,
    )
    blocks = forms.TypedChoiceField(
        label="Blocks",
        coerce=int,
        choices=[(n, f"{n} blocks") for n in range(2, design.MAX_BLOCKS + 1, 2)],
        initial=design.DEFAULT_BLOCKS,
        help_text="More blocks take longer and make a clear answer more likely.",
    )
    discussed = forms.BooleanField(
        label="I have discussed taking it with my doctor or pharmacist",
        required=True,
    )

    def __init__(self, *args, change: Change, coming_night: date, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self)
        tomorrow = coming_night + timedelta(days=1)
        start = self.fields["start"]
        assert isinstance(start, forms.ChoiceField)
        start.choices = [
            (coming_night.isoformat(), f"Tonight, {coming_night:%A %-d %B}"),
            (tomorrow.isoformat(), f"Tomorrow night, {tomorrow:%A %-d %B}"),
        ]
        start.initial = coming_night.isoformat()
        if change.needs_doctor:
            self.fields["discussed"].error_messages["required"] = (
                "Discuss it with your doctor or pharmacist first, then tick the box."
            )
        else:
            del self.fields["discussed"]

    def clean_start(self) -> date:
        return date.fromisoformat(self.cleaned_data["start"])


class AnswerForm(forms.Form):
    """The check-in's "did you do it?": left empty, the night is "not answered"."""

    did_it = forms.ChoiceField(choices=YES_NO, required=False, widget=forms.RadioSelect)

    def __init__(self, *args, question: str, answer: bool | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["did_it"].label = question
        self.fields["did_it"].initial = "" if answer is None else ("yes" if answer else "no")

    @property
    def answer(self) -> bool | None:
        value = self.cleaned_data.get("did_it")
        return {"yes": True, "no": False}.get(value) if value else None
