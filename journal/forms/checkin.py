"""The morning check-in: last night's sleep diary and the day before's factors, in one form."""

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from functools import cached_property

from django import forms
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from journal import ranges
from journal.experiments.changes import ChangeKind
from journal.experiments.results import answer_for, experiment_asking_about
from journal.experiments.running import record_answer
from journal.formatting import fluid_text, minutes_text
from journal.forms.error_summary import Problem, about
from journal.forms.experiments import AnswerForm
from journal.forms.messages import describe_number, use_plain_messages, whole_number_limits
from journal.models import (
    SLEEP_TIME_LABELS,
    SLEEP_TIMES,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    ExerciseSession,
    FactorKind,
    Night,
    User,
)
from journal.nights import moment_in_night
from journal.sleep import SleepTimeOrderError, moments_from_clock_times, usual_clock_times
from journal.units import FluidUnit, ml_to_unit, unit_label, unit_to_ml

USUAL_TIMES_FROM_NIGHTS = 14
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def quick_fluid_amounts(unit: str) -> list[tuple[int, str]]:
    """(millilitres, button label) for the quick-add buttons, in the user's unit."""
    if unit == FluidUnit.US_FL_OZ:
        return [(237, "+8 fl oz (a cup)"), (473, "+16 fl oz")]
    return [(250, "+250 ml (a cup)"), (500, "+500 ml")]


@dataclass(frozen=True)
class UsualTimes:
    """Suggestions for a night's four times: never saved unless the person asks for them."""

    nights: int  # how many recent nights with a sleep diary they are the median of
    clocks: dict[str, time]


def usual_times(user: User, night: date) -> UsualTimes | None:
    """The median times of the last nights with a sleep diary before `night`; None without any."""
    with_diary = Night.objects.for_user(user).filter(into_bed__isnull=False, date__lt=night)
    recent = list(with_diary.order_by("-date").values(*SLEEP_TIMES)[:USUAL_TIMES_FROM_NIGHTS])
    if not recent:
        return None
    return UsualTimes(len(recent), usual_clock_times(recent, user.tzinfo, user.night_boundary_hour))


def with_usual_times(data: QueryDict, usual: UsualTimes | None) -> QueryDict:
    """The posted check-in with the usual times written into the night's empty time fields
    (a time already typed is kept)."""
    data = data.copy()
    for name, clock in usual.clocks.items() if usual else ():
        key = f"night-{name}"
        if not data.get(key):
            data[key] = f"{clock:%H:%M}"
    return data


class NightForm(forms.ModelForm):
    """The Consensus Sleep Diary items; the four times are entered as clock times."""

    into_bed = forms.TimeField(label="Went to bed", required=False, widget=TIME_WIDGET)
    tried_to_sleep = forms.TimeField(label="Tried to sleep", required=False, widget=TIME_WIDGET)
    final_awakening = forms.TimeField(label="Woke for good", required=False, widget=TIME_WIDGET)
    out_of_bed = forms.TimeField(label="Got up", required=False, widget=TIME_WIDGET)

    class Meta:
        model = Night
        fields = ["sleep_latency_min", "awakenings", "awake_after_onset_min", "quality", "notes"]
        labels = {
            "sleep_latency_min": "Minutes to fall asleep",
            "awakenings": "Times woken in the night",
            "awake_after_onset_min": "Minutes awake in the night, in total",
        }
        help_texts = {"awakenings": "Not counting waking up for good in the morning."}
        widgets = {
            "quality": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = [
        "into_bed",
        "tried_to_sleep",
        "sleep_latency_min",
        "awakenings",
        "awake_after_onset_min",
        "final_awakening",
        "out_of_bed",
        "quality",
        "notes",
    ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        use_plain_messages(
            self, {"sleep_latency_min": "minutes", "awake_after_onset_min": "minutes"}
        )
        quality = self.fields["quality"]
        assert isinstance(quality, forms.ChoiceField) and Night.quality.field.choices is not None
        quality.choices = [("", "Not recorded"), *Night.quality.field.choices]
        night = self.instance
        self.has_own_times = night.has_sleep_times
        if self.has_own_times:
            for name in SLEEP_TIMES:
                self.fields[name].initial = getattr(night, name).astimezone(user.tzinfo).time()

    @cached_property
    def usual(self) -> UsualTimes | None:
        """The user's usual times, offered for a night without its own (None otherwise)."""
        if self.has_own_times:
            return None
        return usual_times(self.user, self.instance.date)

    def get_context(self):
        """The usual times are shown as suggestions, under each time and as a placeholder:
        the inputs themselves stay empty, so saving the form as shown saves no times. They
        are looked up only here, when the form is shown, not when it is saved."""
        for name, clock in self.usual.clocks.items() if self.usual else ():
            text = f"{clock:%H:%M}"
            self[name].help_text = f"Usually {text}."
            self.fields[name].widget.attrs.update(
                {"placeholder": f"usually {text}", "data-usual": text}
            )
        return super().get_context()

    def clean(self):
        cleaned = super().clean()
        clocks = {name: cleaned.get(name) for name in SLEEP_TIMES}
        given = [name for name, clock in clocks.items() if clock is not None]
        if not given:
            for name in SLEEP_TIMES:
                setattr(self.instance, name, None)
            return cleaned
        missing = [name for name in SLEEP_TIMES if name not in given and name not in self.errors]
        for name in missing:
            self.add_error(name, "Fill in this time too, or clear all four times.")
        if missing or any(name in self.errors for name in SLEEP_TIMES):
            return cleaned
        user = self.user
        into_bed = moment_in_night(
            self.instance.date, clocks["into_bed"], user.tzinfo, user.night_boundary_hour
        )
        later = [(name, SLEEP_TIME_LABELS[name], clocks[name]) for name in SLEEP_TIMES[1:]]
        try:
            moments = moments_from_clock_times(into_bed, later, user.tzinfo)
        except SleepTimeOrderError as error:
            self.add_error(error.field, str(error))
            return cleaned
        self.instance.into_bed = into_bed
        for name, moment in moments.items():
            setattr(self.instance, name, moment)
        return cleaned

    def unusual_values(self) -> list[Problem]:
        night = self.instance
        notes = []
        if ranges.AWAKENINGS.is_unusual(night.awakenings):
            notes.append(about(self["awakenings"], f"You woke {night.awakenings} times."))
        if night.has_sleep_times:
            minutes = (night.out_of_bed - night.into_bed).total_seconds() / 60
            if ranges.TIME_IN_BED_HOURS.is_unusual(minutes / 60):
                notes.append(about(self["out_of_bed"], f"That is {minutes_text(minutes)} in bed."))
        return notes


class DayForm(forms.ModelForm):
    """The day's factors. Fluids are entered in the user's unit (whole ml, or fl oz to one
    decimal place) and stored in ml, within the range of the model's `fluids_ml`."""

    class Meta:
        model = DayFactors
        fields = [
            "alcohol_units",
            "caffeinated_drinks",
            "hours_on_feet",
            "hours_sitting",
            "no_exercise",
            "notes",
        ]
        labels = {
            "alcohol_units": "Alcohol (units)",
            "caffeinated_drinks": "Caffeinated drinks",
            "hours_on_feet": "Hours on your feet",
            "hours_sitting": "Hours sitting",
            "no_exercise": "No exercise that day",
        }
        help_texts = {
            "alcohol_units": "A small glass of wine or half a pint of beer is 1 to 1.5.",
            "no_exercise": "Tick this when you did none. With no session and this unticked, "
            "the day’s exercise counts as not recorded.",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        unit = user.fluid_unit
        self.fields = {"fluids": fluids_field(unit), **self.fields}
        if not user.fluid_restricted:
            target = fluid_text(user.fluid_target_ml, unit)
            self.fields["fluids"].help_text = f"Your daily target is {target}."
        if self.instance.fluids_ml is not None:
            self.fields["fluids"].initial = ml_to_unit(self.instance.fluids_ml, unit)
        use_plain_messages(
            self,
            {
                "fluids": unit_label(unit),
                "alcohol_units": "units",
                "caffeinated_drinks": "drinks",
                "hours_on_feet": "hours",
                "hours_sitting": "hours",
            },
        )

    def clean_fluids(self) -> int | None:
        amount = self.cleaned_data["fluids"]
        if amount is None:
            return None
        ml = unit_to_ml(float(amount), self.user.fluid_unit)
        low, high = whole_number_limits(DayFactors.fluids_ml.field.validators)
        if not low <= ml <= high:  # a rounding away from the limits in the user's unit
            raise forms.ValidationError(self.fields["fluids"].error_messages["max_value"])
        return ml

    def clean(self):
        cleaned = super().clean()
        if "fluids" in cleaned:
            self.instance.fluids_ml = cleaned["fluids"]
        return cleaned

    def unusual_values(self) -> list[Problem]:
        ml = self.instance.fluids_ml
        if ranges.FLUIDS_ML.is_unusual(ml):
            level = "low" if ml < ranges.FLUIDS_ML.warn_below else "high"
            text = f"Fluids of {fluid_text(ml, self.user.fluid_unit)} are unusually {level}."
            return [about(self["fluids"], text)]
        return []


def fluids_field(unit: str) -> forms.DecimalField:
    """The fluids field in `unit`, its range that of the model's `fluids_ml` in that unit."""
    low, high = whole_number_limits(DayFactors.fluids_ml.field.validators)
    decimal_places = 0 if unit == FluidUnit.ML else 1
    return forms.DecimalField(
        label=f"Fluids ({unit_label(unit)})",
        required=False,
        min_value=ml_to_unit(low, unit),
        max_value=ml_to_unit(high, unit),
        max_digits=6,
        decimal_places=decimal_places,
        widget=forms.NumberInput(attrs={"inputmode": "decimal" if decimal_places else "numeric"}),
    )


class BaseExerciseFormSet(forms.BaseInlineFormSet):
    def has_sessions(self) -> bool:
        """Whether a session is kept: a saved one not deleted, or a new one filled in."""
        return any(
            (form.instance.pk or form.has_changed())
            # A BaseFormSet method the stubs leave out.
            and not self._should_delete_form(form)  # type: ignore[attr-defined]
            for form in self.forms
        )

    def total_minutes(self) -> int:
        return sum(
            form.cleaned_data.get("minutes") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )

    def clean(self) -> None:
        super().clean()
        if self.total_minutes() > ranges.EXERCISE_MINUTES.high:
            raise forms.ValidationError("Exercise adds up to more than 24 hours in one day.")

    def unusual_values(self) -> list[Problem]:
        total = self.total_minutes()
        if ranges.EXERCISE_MINUTES.is_unusual(total):
            longest = max(self.forms, key=lambda form: form.cleaned_data.get("minutes") or 0)
            return [about(longest["minutes"], f"{minutes_text(total)} of exercise in a day.")]
        return []


class ExerciseForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_plain_messages(self, {"minutes": "minutes"})
        self.fields["kind"].error_messages["required"] = "Choose the kind of exercise."


# The stubs give inlineformset_factory's result the base class, not the `formset` passed.
ExerciseFormSet: type[BaseExerciseFormSet] = forms.inlineformset_factory(  # type: ignore[assignment]
    DayFactors,
    ExerciseSession,
    form=ExerciseForm,
    formset=BaseExerciseFormSet,
    fields=["kind", "minutes", "intensity"],
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    labels={"kind": "Exercise", "minutes": "Minutes"},
)


YES_NO_CHOICES = [("", "Not recorded"), ("yes", "Yes"), ("no", "No")]
# A saved yes/no answer as its field's initial choice (none without an answer).
YES_NO_INITIAL: dict[bool | None, str] = {True: "yes", False: "no"}


class CustomValuesForm(forms.Form):
    """One field per active custom factor of the user."""

    def __init__(self, *args, factors: list[CustomFactor], day: DayFactors, **kwargs):
        super().__init__(*args, **kwargs)
        self.factors, self.day = factors, day
        current = {value.factor_id: value for value in day.custom_values.all()} if day.pk else {}
        for factor in factors:
            value = current.get(factor.pk)
            name = self.field_name(factor)
            if factor.kind == FactorKind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=factor.name,
                    choices=YES_NO_CHOICES,
                    required=False,
                    widget=forms.RadioSelect,
                    initial=YES_NO_INITIAL.get(value.yes) if value else "",
                )
            else:
                unit = f" ({factor.unit})" if factor.unit else ""
                number = self.fields[name] = forms.DecimalField(
                    label=f"{factor.name}{unit}",
                    required=False,
                    max_digits=8,
                    decimal_places=2,
                    min_value=Decimal("-999999"),
                    max_value=Decimal("999999"),
                    initial=value.number if value else None,
                )
                describe_number(number, unit=factor.unit)

    @staticmethod
    def field_name(factor: CustomFactor) -> str:
        return f"factor_{factor.pk}"

    def save(self, day: DayFactors) -> None:
        for factor in self.factors:
            answer = self.cleaned_data.get(self.field_name(factor))
            if factor.kind == FactorKind.YES_NO:
                values = {"yes": answer == "yes", "number": None} if answer else None
            else:
                values = {"yes": None, "number": answer} if answer is not None else None
            if values is None:
                CustomFactorValue.objects.filter(day=day, factor=factor).delete()
            else:
                CustomFactorValue.objects.update_or_create(day=day, factor=factor, defaults=values)


class CheckIn:
    """The night of `night_date` and the day of the same date, edited and saved together."""

    def __init__(
        self,
        user: User,
        night_date: date,
        data: QueryDict | None = None,
        *,
        copy_day_from: DayFactors | None = None,
        fill_usual_times: bool = False,
    ):
        self.user, self.night_date = user, night_date
        night = Night.objects.for_user(user).filter(date=night_date).first()
        # "Use my usual times": the night's empty times are filled in on the form, unsaved.
        usual = None
        if fill_usual_times and data is not None and not (night and night.has_sleep_times):
            usual = usual_times(user, night_date)
            data = with_usual_times(data, usual)
        self.usual_filled = usual is not None
        day = (
            DayFactors.objects.for_user(user)
            .filter(date=night_date)
            .prefetch_related("custom_values", "exercise")
            .first()
        )
        self.night = night or Night(user=user, date=night_date)
        self.day = day or DayFactors(user=user, date=night_date)
        factors = list(CustomFactor.objects.for_user(user).filter(archived=False))
        # "Same as the day before": the day's forms start from another day's values, unsaved.
        day_data = None if copy_day_from else data
        source = copy_day_from or self.day
        self.night_form = NightForm(data, instance=self.night, user=user, prefix="night")
        self.day_form = DayForm(
            day_data,
            instance=self.day,
            user=user,
            prefix="day",
            initial=_copied(copy_day_from, user.fluid_unit),
        )
        self.exercise = ExerciseFormSet(
            day_data,
            instance=self.day,
            prefix="exercise",
            initial=[
                {"kind": s.kind, "minutes": s.minutes, "intensity": s.intensity}
                for s in (copy_day_from.exercise.all() if copy_day_from else [])
            ],
        )
        if copy_day_from:
            self.exercise.extra = len(self.exercise.initial_extra or []) + 1
        self.custom = CustomValuesForm(day_data, factors=factors, day=source, prefix="custom")
        # An experiment on a built-in change asks its question; one on a factor of the user's
        # own is answered by that factor's field above.
        self.experiment = experiment_asking_about(user, night_date, timezone.now())
        self.experiment_answer = None
        if self.experiment and self.experiment.change != ChangeKind.CUSTOM:
            self.experiment_answer = AnswerForm(
                data,
                prefix="experiment",
                question=self.experiment.about.question,
                answer=answer_for(self.experiment, night_date),
            )
        self.warnings: list[Problem] = []
        self.version = saved_version(self.night, self.day)
        self.conflict = data is not None and data.get("version", self.version) != self.version

    @property
    def sleep_metrics(self):
        """Metrics of the times on the form: as typed when they are valid, else as saved."""
        if self.night_form.is_bound and self.night_form.is_valid():
            return self.night_form.instance.metrics
        return self.night.metrics

    @property
    def forms(self) -> list:
        answer = [self.experiment_answer] if self.experiment_answer else []
        return [self.night_form, self.day_form, self.exercise, self.custom, *answer]

    @property
    def problems(self) -> list[Problem]:
        """Problems of the check-in that belong to no field, for the error summary."""
        if not self.conflict:
            return []
        return [Problem("This night was saved elsewhere after you opened this page.", "#conflict")]

    def is_valid(self, *, unusual_confirmed: bool) -> bool:
        """Valid, confirmed where unusual, and not overtaking a save made elsewhere meanwhile."""
        valid = all([form.is_valid() for form in self.forms])  # every form, for its messages
        if self.day_form.cleaned_data.get("no_exercise") and self.exercise.has_sessions():
            self.day_form.add_error(
                "no_exercise",
                "You ticked “No exercise that day” and entered a session: untick it, or "
                "remove the session.",
            )
            valid = False
        if not valid or self.conflict:
            return False
        self.warnings = [
            *self.night_form.unusual_values(),
            *self.day_form.unusual_values(),
            *self.exercise.unusual_values(),
        ]
        return unusual_confirmed or not self.warnings

    @transaction.atomic
    def save(self) -> None:
        self.night_form.save()
        day = self.day_form.save()
        self.exercise.instance = day
        self.exercise.save()
        self.custom.save(day)
        if self.experiment and self.experiment_answer:
            record_answer(self.experiment, self.night_date, self.experiment_answer.answer)


def saved_version(night: Night, day: DayFactors) -> str:
    """When the night and the day were last saved: the form sends it back, so that a save
    from a page opened before someone else's save is noticed instead of overwriting it."""
    return "|".join(
        record.updated_at.isoformat() if record.pk else "new" for record in (night, day)
    )


def _copied(day: DayFactors | None, fluid_unit: str) -> dict:
    if day is None:
        return {}
    return {
        "fluids": ml_to_unit(day.fluids_ml, fluid_unit) if day.fluids_ml is not None else None,
        "alcohol_units": day.alcohol_units,
        "caffeinated_drinks": day.caffeinated_drinks,
        "hours_on_feet": day.hours_on_feet,
        "hours_sitting": day.hours_sitting,
        "no_exercise": day.no_exercise,
    }


def previous_day(user: User, before: date) -> DayFactors | None:
    """The latest day before `before` with factors logged, for "same as the day before"."""
    return (
        DayFactors.objects.for_user(user)
        .filter(date__lt=before, date__gte=before - timedelta(days=30))
        .prefetch_related("exercise", "custom_values")
        .order_by("-date")
        .first()
    )
