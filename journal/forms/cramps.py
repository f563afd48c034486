import re
from datetime import date, datetime, timedelta
from uuid import uuid4

from django import forms

from journal import ranges
from journal.cramps import is_unusually_many
from journal.forms.messages import use_plain_messages
from journal.models import RELIEF_FIELDS, CrampEpisode, Muscle, Side, User
from journal.nights import latest_moment_at, moment_in_night

WHEN_CHOICES = [
    ("now", "Now"),
    ("5", "5 min ago"),
    ("15", "15 min ago"),
    ("30", "30 min ago"),
    ("at", "At a time"),
]

# Quick choices store a representative length; the exact field stores what is typed.
DURATION_CHOICES = [
    ("", "Not sure"),
    ("30", "Under 1 min"),
    ("90", "1–2 min"),
    ("210", "2–5 min"),
    ("450", "5–10 min"),
    ("900", "Over 10 min"),
]
EXACT_DURATION = re.compile(r"^\s*(\d{1,2})(?::([0-5]\d))?\s*$")
NOT_RECORDED = [("", "Not recorded")]
MINUTES_AGO_CHOICES = [(value, label) for value, label in WHEN_CHOICES if value.isdigit()]


class CrampNowForm(forms.Form):
    """The bedside form: one tap logs a cramp now; other buttons log one that started earlier.

    Each button posts its own `when`, so the big button always means "now",
    whatever was typed in the time field.
    """

    token = forms.UUIDField(widget=forms.HiddenInput)
    when = forms.ChoiceField(choices=WHEN_CHOICES)
    at_time = forms.TimeField(
        label="Started at", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    confirm_many = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"token": uuid4()})
        super().__init__(*args, **kwargs)
        use_plain_messages(self)

    minutes_ago_choices = MINUTES_AGO_CHOICES

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("when") == "at"
            and not cleaned.get("at_time")
            and "at_time" not in self.errors
        ):
            self.add_error("at_time", "Enter the time the cramp started.")
        return cleaned

    def started_at(self, user: User, now: datetime) -> datetime:
        """When the cramp started, from the button pressed."""
        when = self.cleaned_data["when"]
        if when == "at":
            return latest_moment_at(self.cleaned_data["at_time"], now, user.tzinfo)
        return now - timedelta(minutes=0 if when == "now" else int(when))


class SentCrampForm(CrampNowForm):
    """A tap that waited on a phone (journal.offline), sent with the bedside form's fields as
    the phone kept them, the phone's moment of the tap, and the journal it was logged for."""

    tapped_at = forms.CharField(max_length=40)
    journal = forms.CharField(max_length=64)

    def clean_tapped_at(self) -> datetime:
        try:
            moment = datetime.fromisoformat(self.cleaned_data["tapped_at"])
        except ValueError:
            moment = None
        if moment is None or moment.utcoffset() is None:
            raise forms.ValidationError("The moment of the tap is not a time with its zone.")
        return moment


class EpisodeForm(forms.ModelForm):
    """Details of one cramp. The start is a clock time within the cramp's night."""

    started = forms.TimeField(
        label="Started at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter the time the cramp started."},
    )
    duration_quick = forms.ChoiceField(
        label="How long did it last?",
        choices=DURATION_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    duration_exact = forms.CharField(
        label="Or exactly (minutes:seconds)",
        required=False,
        max_length=5,
        help_text="For example 2:30. Up to 60:00.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    relief = forms.MultipleChoiceField(
        label="What relieved it?",
        choices=list(RELIEF_FIELDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CrampEpisode
        fields = [
            "muscle",
            "side",
            "pain",
            "woke_me",
            "minutes_back_to_sleep",
            "soreness_next_day",
            "notes",
        ]
        widgets = {
            "muscle": forms.RadioSelect,
            "side": forms.RadioSelect,
            "pain": forms.RadioSelect(
                choices=NOT_RECORDED + [(n, str(n)) for n in range(ranges.PAIN.high + 1)]
            ),
            "soreness_next_day": forms.Select(
                choices=NOT_RECORDED + [(n, str(n)) for n in range(ranges.SORENESS.high + 1)]
            ),
            "minutes_back_to_sleep": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"pain": "0 is no pain, 10 the worst you can imagine."}

    field_order = [
        "side",
        "muscle",
        "pain",
        "duration_quick",
        "duration_exact",
        "relief",
        "woke_me",
        "minutes_back_to_sleep",
        "started",
        "soreness_next_day",
        "notes",
    ]

    def __init__(self, *args, night_date: date, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.night_date, self.user = night_date, user
        use_plain_messages(self, {"minutes_back_to_sleep": "minutes"})
        muscle, side = self.fields["muscle"], self.fields["side"]
        assert isinstance(muscle, forms.ChoiceField) and isinstance(side, forms.ChoiceField)
        muscle.choices = NOT_RECORDED + Muscle.choices
        side.choices = NOT_RECORDED + Side.choices
        episode = self.instance
        if episode.started_at:
            self.fields["started"].initial = episode.started_at.astimezone(user.tzinfo).time()
        self.fields["relief"].initial = [name for name in RELIEF_FIELDS if getattr(episode, name)]
        seconds = episode.duration_seconds
        if seconds is not None:
            if str(seconds) in dict(DURATION_CHOICES):
                self.fields["duration_quick"].initial = str(seconds)
            else:
                # The exact length is typed as m:ss, so it is offered back that way.
                self.fields["duration_exact"].initial = f"{seconds // 60}:{seconds % 60:02d}"

    def clean_duration_exact(self) -> int | None:
        text = self.cleaned_data["duration_exact"]
        if not text:
            return None
        match = EXACT_DURATION.match(text)
        if not match:
            raise forms.ValidationError("Write the length as minutes:seconds, e.g. 2:30.")
        seconds = int(match[1]) * 60 + int(match[2] or 0)
        limits = ranges.CRAMP_DURATION_SECONDS
        if not limits.low <= seconds <= limits.high:
            raise forms.ValidationError("A cramp's length must be between 0:01 and 60:00.")
        return seconds

    def clean_relief(self) -> list[str]:
        chosen = self.cleaned_data["relief"]
        if "relieved_by_nothing" in chosen and len(chosen) > 1:
            raise forms.ValidationError("“Nothing helped” can’t be combined with other relief.")
        return chosen

    def clean(self):
        cleaned = super().clean()
        episode = self.instance
        if cleaned.get("started"):
            episode.started_at = moment_in_night(
                self.night_date, cleaned["started"], self.user.tzinfo, self.user.night_boundary_hour
            )
        exact, quick = cleaned.get("duration_exact"), cleaned.get("duration_quick")
        if "duration_exact" in cleaned:
            episode.duration_seconds = exact if exact is not None else int(quick or 0) or None
        for name in RELIEF_FIELDS:
            setattr(episode, name, name in cleaned.get("relief", []))
        return cleaned


class BedsideEpisodeForm(EpisodeForm):
    """The few details worth asking for at 3 a.m., straight after "cramp now"."""

    LATER = ("minutes_back_to_sleep", "started", "soreness_next_day", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.LATER:
            del self.fields[name]


class NewEpisodeForm(EpisodeForm):
    """Adding a cramp after the fact: with a token against double submits, and a check
    before an unusually large number of cramps in one night."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    confirm_many = forms.BooleanField(label="Yes, log another cramp this night", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid4()

    def clean(self):
        cleaned = super().clean()
        existing = self.instance.night.episodes.count() if self.instance.night_id else 0
        if is_unusually_many(existing) and not cleaned.get("confirm_many"):
            self.add_error(
                "confirm_many",
                f"This night already has {existing} cramps. Tick the box to log one more.",
            )
        token = cleaned.get("token")
        if token and CrampEpisode.objects.filter(client_token=token).exists():
            raise forms.ValidationError("This form was already sent. Please reload the page.")
        self.instance.client_token = token
        return cleaned


def offline_details_form() -> BedsideEpisodeForm:
    """The bedside details, as the phone asks for them while a tap waits to be sent: the same
    fields and names (the server reads them with BedsideEpisodeForm), ids of their own."""
    return BedsideEpisodeForm(
        instance=CrampEpisode(), night_date=date.min, user=User(), auto_id="offline-%s"
    )
