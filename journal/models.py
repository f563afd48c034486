"""The journal's data model.

Ownership: every record belongs to one user, directly (`user`) or through its
parent. Each model's `objects.for_user(user)` is the one way views look records
up, so a user can never reach another user's data by guessing an id.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, ClassVar, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse

from journal import medication_classes, ranges, themes
from journal.formatting import minutes_text, seconds_text
from journal.nights import DEFAULT_BOUNDARY_HOUR, night_of
from journal.sleep import DIARY_FIELDS, SLEEP_TIMES, SleepMetrics, diary_metrics
from journal.units import FluidUnit

if TYPE_CHECKING:
    from journal.forms.medications import DoseForm

NOTES_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 100


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"“{value}” is not a time zone we know.") from None


def text_length_constraint(field: str, max_length: int) -> models.CheckConstraint:
    """SQLite does not enforce varchar lengths; this makes every database refuse long text."""
    return models.CheckConstraint(
        condition=models.lookups.LessThanOrEqual(models.functions.Length(field), max_length),
        name=f"%(app_label)s_%(class)s_{field}_length",
    )


class Owned(models.Model):
    """A record that belongs to one user, by the path in `owner_path` ("user", "night__user"...)."""

    owner_path: ClassVar[str]

    class Meta:
        abstract = True


class OwnedQuerySet[M: Owned](models.QuerySet[M]):
    def for_user(self, user: "User") -> Self:
        return self.filter(**{self.model.owner_path: user})


# --- Accounts -----------------------------------------------------------------------------


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str | None) -> "User":
        """Log in with an email address whatever its capitalisation."""
        return self.get(email__iexact=email)


class Theme(models.TextChoices):
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"
    DIM = "dim", "Dim"
    SYSTEM = "system", "Automatic"


class User(AbstractUser):
    """A person keeping a journal. Signs in with an email address.

    The profile settings live on the user itself: every page needs them, and
    this way they come with the request's user at no extra query.
    """

    username = None  # type: ignore[assignment]  # the stubs cannot express removing a field
    email = models.EmailField("email address", unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    fluid_unit = models.CharField(max_length=4, choices=FluidUnit, default=FluidUnit.ML)
    fluid_target_ml = models.PositiveIntegerField(
        "daily fluid target (ml)", default=2000, validators=ranges.FLUID_TARGET_ML.validators()
    )
    fluid_restricted = models.BooleanField(
        "my doctor has told me to limit fluids",
        default=False,
        help_text="The app will then never suggest drinking more.",
    )
    night_boundary_hour = models.PositiveSmallIntegerField(
        default=DEFAULT_BOUNDARY_HOUR,
        validators=ranges.NIGHT_BOUNDARY_HOUR.validators(),
        help_text="A night runs from this hour to the same hour the next day. "
        "With 12, a cramp at 3 a.m. belongs to the night before.",
    )
    theme = models.CharField(
        max_length=6,
        choices=Theme,
        default=Theme.SYSTEM,
        help_text="Dim is warm and very low light, for the night. "
        "Automatic is light or dark as your device is set.",
    )
    dim_at_night = models.BooleanField(
        "dim during my night hours",
        default=False,
        help_text="Whatever the theme, pages are dim between the two hours below, "
        "in your time zone.",
    )
    night_hours_start = models.PositiveSmallIntegerField(
        "start of the night hours",
        default=themes.DEFAULT_NIGHT_HOURS[0],
        validators=ranges.CLOCK_HOUR.validators(),
    )
    night_hours_end = models.PositiveSmallIntegerField(
        "end of the night hours",
        default=themes.DEFAULT_NIGHT_HOURS[1],
        validators=ranges.CLOCK_HOUR.validators(),
    )
    date_of_birth = models.DateField(
        null=True, blank=True, help_text="Optional. Shown only on your doctor summary."
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs expect every AbstractUser to keep auth's own UserManager (username first).
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="journal_user_email_ci_unique"),
            ranges.FLUID_TARGET_ML.constraint("fluid_target_ml"),
            ranges.NIGHT_BOUNDARY_HOUR.constraint("night_boundary_hour"),
            models.CheckConstraint(
                condition=Q(theme__in=Theme.values), name="journal_user_theme_valid"
            ),
            ranges.CLOCK_HOUR.constraint("night_hours_start"),
            ranges.CLOCK_HOUR.constraint("night_hours_end"),
            models.CheckConstraint(
                condition=~Q(night_hours_start=F("night_hours_end")),
                name="journal_user_night_hours_not_empty",
                violation_error_message="The night hours need to end at a different hour "
                "from the one they start at.",
            ),
            models.CheckConstraint(
                condition=Q(fluid_unit__in=FluidUnit.values), name="journal_user_fluid_unit_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def night_of(self, moment: datetime) -> date:
        """The night `moment` belongs to, by this user's time zone and night boundary."""
        return night_of(moment, self.tzinfo, self.night_boundary_hour)

    def theme_at(self, moment: datetime) -> str:
        """The theme pages are drawn in at `moment`: dim in the night hours if so chosen."""
        night_hours = (self.night_hours_start, self.night_hours_end)
        dim_now = self.dim_at_night and themes.in_night_hours(moment, self.tzinfo, night_hours)
        return Theme.DIM if dim_now else self.theme


# --- Nights and cramps --------------------------------------------------------------------


SLEEP_TIME_LABELS = {
    "into_bed": "Into bed",
    "tried_to_sleep": "Tried to sleep",
    "final_awakening": "Final awakening",
    "out_of_bed": "Out of bed",
}


def _sleep_time_constraints() -> list[models.CheckConstraint]:
    all_empty = Q(**{f"{name}__isnull": True for name in SLEEP_TIMES})
    all_set = Q(**{f"{name}__isnull": False for name in SLEEP_TIMES})
    constraints = [
        models.CheckConstraint(
            condition=all_empty | all_set, name="journal_night_sleep_times_all_or_none"
        )
    ]
    for earlier, later in pairwise(SLEEP_TIMES):
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{later}__gte": F(earlier)}),
                name=f"journal_night_{later}_after_{earlier}",
            )
        )
    constraints += [
        models.CheckConstraint(
            condition=Q(
                out_of_bed__lte=F("into_bed") + timedelta(hours=ranges.TIME_IN_BED_HOURS.high)
            ),
            name="journal_night_time_in_bed_max",
        ),
        # Total sleep time cannot be negative: the minutes spent falling asleep and
        # awake in the night fit between trying to sleep and the final awakening.
        models.CheckConstraint(
            condition=Q(
                final_awakening__gte=F("tried_to_sleep")
                + models.ExpressionWrapper(
                    (F("sleep_latency_min") + F("awake_after_onset_min")) * timedelta(minutes=1),
                    output_field=models.DurationField(),
                )
            ),
            name="journal_night_total_sleep_not_negative",
        ),
    ]
    return constraints


def check_in_done() -> models.ExpressionWrapper:
    """Whether a night's morning check-in is done, for `.annotate(checked_in=check_in_done())`: its
    sleep times are entered, or the day's record is saved (the check-in always saves it)."""
    day_logged = DayFactors.objects.filter(user=OuterRef("user"), date=OuterRef("date"))
    return models.ExpressionWrapper(
        Q(into_bed__isnull=False) | Exists(day_logged), output_field=models.BooleanField()
    )


class NightQuerySet[M: "Night"](OwnedQuerySet[M]):
    def with_nothing_logged(self, *, ignoring_episode: int | None = None) -> Self:
        """Nights that hold nothing the user entered, and so are not logged nights.

        Nothing entered: no cramp (besides `ignoring_episode`, about to be deleted), no sleep
        times, no quality, no notes, the diary's counts at their default 0, and no check-in.
        The check-in always saves the day's record with the night, so a day record of the same
        date is the sign that the user checked in: a check-in with nothing in it still says
        "logged, no cramps".
        """
        cramps = CrampEpisode.objects.filter(night=OuterRef("pk"))
        if ignoring_episode is not None:
            cramps = cramps.exclude(pk=ignoring_episode)
        checked_in = DayFactors.objects.filter(user=OuterRef("user"), date=OuterRef("date"))
        return self.filter(
            ~Exists(cramps),
            ~Exists(checked_in),
            **{f"{name}__isnull": True for name in SLEEP_TIMES},
            quality__isnull=True,
            notes="",
            sleep_latency_min=0,
            awakenings=0,
            awake_after_onset_min=0,
        )


class Night(Owned):
    """The user's night of `date`, with the items of the Consensus Sleep Diary.

    A row exists while anything is logged for the night (a cramp, or the morning
    check-in), so "no row" means "not logged", never "no cramps". Whatever removes
    a night's last record also removes the row (`remove_empty_nights`).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="nights")
    date = models.DateField()
    into_bed = models.DateTimeField(null=True, blank=True)
    tried_to_sleep = models.DateTimeField(null=True, blank=True)
    sleep_latency_min = models.PositiveSmallIntegerField(
        "minutes to fall asleep", default=0, validators=ranges.SLEEP_LATENCY_MINUTES.validators()
    )
    awakenings = models.PositiveSmallIntegerField(
        "times woken (not counting the final awakening)",
        default=0,
        validators=ranges.AWAKENINGS.validators(),
    )
    awake_after_onset_min = models.PositiveSmallIntegerField(
        "minutes awake in the night",
        default=0,
        validators=ranges.AWAKE_AFTER_ONSET_MINUTES.validators(),
    )
    final_awakening = models.DateTimeField(null=True, blank=True)
    out_of_bed = models.DateTimeField(null=True, blank=True)
    quality = models.PositiveSmallIntegerField(
        "sleep quality",
        null=True,
        blank=True,
        choices=[(1, "Very poor"), (2, "Poor"), (3, "Fair"), (4, "Good"), (5, "Very good")],
        validators=ranges.SLEEP_QUALITY.validators(),
        error_messages={"invalid_choice": "Choose a sleep quality from 1 (very poor) to 5."},
    )
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    owner_path = "user"
    objects = NightQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="journal_night_one_per_date"),
            ranges.SLEEP_LATENCY_MINUTES.constraint("sleep_latency_min"),
            ranges.AWAKENINGS.constraint("awakenings"),
            ranges.AWAKE_AFTER_ONSET_MINUTES.constraint("awake_after_onset_min"),
            ranges.SLEEP_QUALITY.constraint("quality", nullable=True),
            text_length_constraint("notes", NOTES_MAX_LENGTH),
            *_sleep_time_constraints(),
        ]

    def __str__(self) -> str:
        return f"Night of {self.date:%a %d %b %Y}"

    @property
    def has_sleep_times(self) -> bool:
        return all(getattr(self, name) is not None for name in SLEEP_TIMES)

    @property
    def metrics(self) -> SleepMetrics | None:
        return diary_metrics({name: getattr(self, name) for name in DIARY_FIELDS})

    def clean(self) -> None:
        given = [name for name in SLEEP_TIMES if getattr(self, name) is not None]
        if given and len(given) < len(SLEEP_TIMES):
            raise ValidationError(
                {
                    name: "Fill in this time too, or leave all four sleep times empty."
                    for name in SLEEP_TIMES
                    if name not in given
                }
            )
        if not given:
            return
        # All four times are given from here on.
        assert self.into_bed is not None and self.out_of_bed is not None
        assert self.tried_to_sleep is not None and self.final_awakening is not None
        for earlier, later in pairwise(SLEEP_TIMES):
            if getattr(self, later) < getattr(self, earlier):
                raise ValidationError(
                    {
                        later: f"{SLEEP_TIME_LABELS[later]} can’t be before "
                        f"{SLEEP_TIME_LABELS[earlier].lower()}."
                    }
                )
        if self.out_of_bed - self.into_bed > timedelta(hours=ranges.TIME_IN_BED_HOURS.high):
            raise ValidationError({"out_of_bed": "Time in bed can’t be more than 24 hours."})
        asleep_window = (self.final_awakening - self.tried_to_sleep).total_seconds() / 60
        if self.sleep_latency_min + self.awake_after_onset_min > asleep_window:
            raise ValidationError(
                {
                    "awake_after_onset_min": "Minutes to fall asleep plus minutes awake come to "
                    f"{minutes_text(self.sleep_latency_min + self.awake_after_onset_min)}, more "
                    f"than the {minutes_text(asleep_window)} between trying to sleep and the "
                    "final awakening."
                }
            )


class Muscle(models.TextChoices):
    CALF = "calf", "Calf"
    FOOT = "foot", "Foot or arch"
    TOES = "toes", "Toes"
    SHIN = "shin", "Shin"
    THIGH_FRONT = "thigh_front", "Front of thigh"
    THIGH_BACK = "thigh_back", "Back of thigh (hamstring)"
    OTHER = "other", "Other"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"


RELIEF_FIELDS = {
    "relieved_by_stretching": "Stretching",
    "relieved_by_walking": "Standing or walking",
    "relieved_by_massage": "Massage",
    "relieved_by_heat": "Heat",
    "relieved_by_cold": "Cold",
    "relieved_by_nothing": "Nothing helped",
    "relieved_by_other": "Something else",
}


NIGHT_IS_FULL = (
    f"A night can hold at most {ranges.CRAMPS_PER_NIGHT.high} cramps. "
    "If there really were more, add a note to the night."
)


class CrampEpisode(Owned):
    """One cramp. Only the start is required: a half-asleep tap is a complete record."""

    night = models.ForeignKey(Night, on_delete=models.CASCADE, related_name="episodes")
    started_at = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField(
        null=True, blank=True, validators=ranges.CRAMP_DURATION_SECONDS.validators()
    )
    muscle = models.CharField(max_length=12, choices=Muscle, blank=True)
    side = models.CharField(max_length=5, choices=Side, blank=True)
    pain = models.PositiveSmallIntegerField(
        "pain (0–10)", null=True, blank=True, validators=ranges.PAIN.validators()
    )
    woke_me = models.BooleanField("it woke me", default=True)
    minutes_back_to_sleep = models.PositiveSmallIntegerField(
        "minutes to get back to sleep",
        null=True,
        blank=True,
        validators=ranges.MINUTES_BACK_TO_SLEEP.validators(),
    )
    relieved_by_stretching = models.BooleanField(
        RELIEF_FIELDS["relieved_by_stretching"], default=False
    )
    relieved_by_walking = models.BooleanField(RELIEF_FIELDS["relieved_by_walking"], default=False)
    relieved_by_massage = models.BooleanField(RELIEF_FIELDS["relieved_by_massage"], default=False)
    relieved_by_heat = models.BooleanField(RELIEF_FIELDS["relieved_by_heat"], default=False)
    relieved_by_cold = models.BooleanField(RELIEF_FIELDS["relieved_by_cold"], default=False)
    relieved_by_nothing = models.BooleanField(RELIEF_FIELDS["relieved_by_nothing"], default=False)
    relieved_by_other = models.BooleanField(RELIEF_FIELDS["relieved_by_other"], default=False)
    soreness_next_day = models.PositiveSmallIntegerField(
        "soreness the next day (0–10)",
        null=True,
        blank=True,
        validators=ranges.SORENESS.validators(),
    )
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    # Sent with the form that logged it, so a second tap of the same form logs nothing new.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Set by the bedside tap (journal.cramps): until when Undo removes it; cleared once its
    # details are saved.
    undo_until = models.DateTimeField(null=True, blank=True, editable=False)
    # When "Cramp now" started its timer, while it runs: "It's over" turns the time since into
    # the length (journal.cramps.stop_timer).
    timer_started_at = models.DateTimeField(null=True, blank=True, editable=False)

    owner_path = "night__user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["started_at"]
        indexes = [models.Index(fields=["night", "started_at"])]
        constraints = [
            ranges.CRAMP_DURATION_SECONDS.constraint("duration_seconds", nullable=True),
            ranges.PAIN.constraint("pain", nullable=True),
            ranges.MINUTES_BACK_TO_SLEEP.constraint("minutes_back_to_sleep", nullable=True),
            ranges.SORENESS.constraint("soreness_next_day", nullable=True),
            models.CheckConstraint(
                condition=Q(muscle__in=[*Muscle.values, ""]), name="journal_episode_muscle_valid"
            ),
            models.CheckConstraint(
                condition=Q(side__in=[*Side.values, ""]), name="journal_episode_side_valid"
            ),
            models.CheckConstraint(
                condition=Q(relieved_by_nothing=False)
                | Q(**{name: False for name in RELIEF_FIELDS if name != "relieved_by_nothing"}),
                name="journal_episode_nothing_helped_alone",
            ),
            text_length_constraint("notes", NOTES_MAX_LENGTH),
            # A length comes from the timer when it stops, or is typed, which stops it.
            models.CheckConstraint(
                condition=Q(timer_started_at__isnull=True) | Q(duration_seconds__isnull=True),
                name="journal_episode_timer_has_no_length",
            ),
        ]

    def __str__(self) -> str:
        return f"Cramp at {self.started_at:%Y-%m-%d %H:%M} UTC"

    @property
    def duration_text(self) -> str:
        """The length in words, e.g. "2 min 30 s"; empty when not recorded."""
        return "" if self.duration_seconds is None else seconds_text(self.duration_seconds)

    @property
    def lasted_over_ten_minutes(self) -> bool:
        """A red flag worth raising with a doctor (clinical reference, section 1)."""
        return ranges.CRAMP_DURATION_SECONDS.is_unusual(self.duration_seconds)

    @property
    def relief_methods(self) -> list[str]:
        return [label for name, label in RELIEF_FIELDS.items() if getattr(self, name)]

    def clean(self) -> None:
        if self.relieved_by_nothing and len(self.relief_methods) > 1:
            raise ValidationError(
                {"relieved_by_nothing": "“Nothing helped” can’t be combined with other relief."}
            )
        if self.night_id is None or self.started_at is None:
            return
        user = self.night.user
        belongs_to = user.night_of(self.started_at)
        if belongs_to != self.night.date:
            raise ValidationError(
                {"started_at": f"This time belongs to the night of {belongs_to:%a %d %b}."}
            )
        others = CrampEpisode.objects.filter(night=self.night).exclude(pk=self.pk)
        if others.count() >= ranges.CRAMPS_PER_NIGHT.high:
            raise ValidationError(NIGHT_IS_FULL)


def remove_empty_nights(user: User, dates: Iterable[date]) -> list[date]:
    """Delete the user's nights of `dates` that have nothing logged left; returns their dates."""
    empty = Night.objects.for_user(user).filter(date__in=set(dates)).with_nothing_logged()
    removed = sorted(empty.values_list("date", flat=True))
    Night.objects.for_user(user).filter(date__in=removed).delete()
    return removed


@dataclass(frozen=True)
class Reassigned:
    moved: int  # cramps now on another night
    nights_removed: list[date]  # nights left with nothing logged, so no longer logged nights


def reassign_episode_nights(user: User) -> Reassigned:
    """Move each of the user's cramps to the night the rule gives under their current settings.

    Needed after the time zone or night boundary changes. Nights are created as
    needed; a night left without cramps keeps its sleep diary, and one left with
    nothing logged at all is removed.
    """
    episodes = CrampEpisode.objects.for_user(user).select_related("night")
    moves = [
        (episode, night)
        for episode in episodes
        if (night := user.night_of(episode.started_at)) != episode.night.date
    ]
    if not moves:
        return Reassigned(moved=0, nights_removed=[])
    left = {episode.night.date for episode, _ in moves}
    dates = {night for _, night in moves}
    nights = {night.date: night for night in Night.objects.for_user(user).filter(date__in=dates)}
    created = Night.objects.bulk_create(Night(user=user, date=day) for day in dates - nights.keys())
    nights |= {night.date: night for night in created}
    for episode, night in moves:
        episode.night = nights[night]
    CrampEpisode.objects.bulk_update([episode for episode, _ in moves], ["night"])
    return Reassigned(moved=len(moves), nights_removed=remove_empty_nights(user, left))


# --- Days ---------------------------------------------------------------------------------


HOURS_FIELD = models.DecimalField(max_digits=3, decimal_places=1)


class DayFactors(Owned):
    """What the user did on `date`: paired with the night of the same date."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    fluids_ml = models.PositiveIntegerField(
        "fluids (ml)", null=True, blank=True, validators=ranges.FLUIDS_ML.validators()
    )
    alcohol_units = models.DecimalField(
        "alcohol (units)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=ranges.ALCOHOL_UNITS.validators(),
    )
    caffeinated_drinks = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=ranges.CAFFEINATED_DRINKS.validators()
    )
    hours_on_feet = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=ranges.HOURS_IN_DAY.validators(),
    )
    hours_sitting = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=ranges.HOURS_IN_DAY.validators(),
    )
    # Said explicitly: a day without sessions and without this is "exercise not recorded".
    no_exercise = models.BooleanField("no exercise that day", default=False)
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    owner_path = "user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name_plural = "day factors"
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="journal_day_one_per_date"),
            ranges.FLUIDS_ML.constraint("fluids_ml", nullable=True),
            ranges.ALCOHOL_UNITS.constraint("alcohol_units", nullable=True),
            ranges.CAFFEINATED_DRINKS.constraint("caffeinated_drinks", nullable=True),
            ranges.HOURS_IN_DAY.constraint("hours_on_feet", nullable=True),
            ranges.HOURS_IN_DAY.constraint("hours_sitting", nullable=True),
            # Rounded to the stored precision: SQLite does this arithmetic in floats,
            # where 24 - 16.1 is 7.8999… and would refuse a valid 7.9 + 16.1. Each hour is
            # cast to its own type so that model validation, which puts the values in as
            # parameters, gives PostgreSQL typed NULLs rather than "unknown + unknown".
            models.CheckConstraint(
                condition=models.lookups.LessThanOrEqual(
                    models.functions.Round(
                        models.functions.Cast("hours_on_feet", HOURS_FIELD)
                        + models.functions.Cast("hours_sitting", HOURS_FIELD),
                        1,
                    ),
                    24,
                ),
                name="journal_day_hours_fit_in_a_day",
            ),
            text_length_constraint("notes", NOTES_MAX_LENGTH),
        ]

    def __str__(self) -> str:
        return f"Day {self.date:%a %d %b %Y}"

    def clean(self) -> None:
        if self.hours_on_feet is None or self.hours_sitting is None:
            return
        if self.hours_on_feet + self.hours_sitting > 24:
            raise ValidationError(
                {"hours_sitting": "Hours on your feet and sitting add up to more than 24."}
            )


class ExerciseKind(models.TextChoices):
    WALKING = "walking", "Walking"
    RUNNING = "running", "Running"
    CYCLING = "cycling", "Cycling"
    SWIMMING = "swimming", "Swimming"
    STRENGTH = "strength", "Strength training"
    SPORT = "sport", "Team or racket sport"
    STRETCHING = "stretching", "Stretching"
    YOGA = "yoga", "Yoga or pilates"
    OTHER = "other", "Other"


class Intensity(models.TextChoices):
    LIGHT = "light", "Light"
    MODERATE = "moderate", "Moderate"
    VIGOROUS = "vigorous", "Vigorous"


class ExerciseSession(Owned):
    day = models.ForeignKey(DayFactors, on_delete=models.CASCADE, related_name="exercise")
    kind = models.CharField(max_length=10, choices=ExerciseKind)
    minutes = models.PositiveSmallIntegerField(validators=ranges.EXERCISE_MINUTES.validators())
    intensity = models.CharField(max_length=8, choices=Intensity, default=Intensity.MODERATE)

    owner_path = "day__user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            ranges.EXERCISE_MINUTES.constraint("minutes"),
            models.CheckConstraint(
                condition=Q(kind__in=ExerciseKind.values), name="journal_exercise_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(intensity__in=Intensity.values),
                name="journal_exercise_intensity_valid",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}, {minutes_text(self.minutes)} "
            f"({self.get_intensity_display().lower()})"
        )


class FactorKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    NUMBER = "number", "A number"


class CustomFactor(Owned):
    """A factor the user tracks for themselves, such as "tight bedsheets" or "hours driving"."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="custom_factors")
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=6, choices=FactorKind, default=FactorKind.YES_NO)
    unit = models.CharField(max_length=20, blank=True, help_text="For numbers, e.g. “hours”.")
    archived = models.BooleanField(default=False)

    owner_path = "user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["archived", "name"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="journal_factor_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=FactorKind.values), name="journal_factor_kind_valid"
            ),
            text_length_constraint("name", 60),
            text_length_constraint("unit", 20),
        ]

    def __str__(self) -> str:
        return self.name


class CustomFactorValue(Owned):
    day = models.ForeignKey(DayFactors, on_delete=models.CASCADE, related_name="custom_values")
    # RESTRICT: a factor with recorded values can't be deleted on its own (it is archived,
    # keeping its history), but deleting the whole account removes both.
    factor = models.ForeignKey(CustomFactor, on_delete=models.RESTRICT, related_name="values")
    yes = models.BooleanField(null=True, blank=True)
    number = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    owner_path = "day__user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "factor"], name="journal_factor_value_once"),
            models.CheckConstraint(
                condition=Q(yes__isnull=True, number__isnull=False)
                | Q(yes__isnull=False, number__isnull=True),
                name="journal_factor_value_exactly_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factor}: {self.value}"

    @property
    def value(self) -> bool | Decimal | None:
        """The answer; None only before it is filled in (the database holds one of the two)."""
        return self.yes if self.yes is not None else self.number

    def clean(self) -> None:
        if not (self.factor_id and self.day_id):
            return
        if self.factor.user_id != self.day.user_id:
            raise ValidationError({"factor": "Unknown factor."})
        if self.factor.kind == FactorKind.YES_NO and self.yes is None:
            raise ValidationError({"yes": "Answer yes or no."})
        if self.factor.kind == FactorKind.NUMBER and self.number is None:
            raise ValidationError({"number": "Enter a number."})


# --- Medications --------------------------------------------------------------------------


class MedicationKind(models.TextChoices):
    REGULAR = "regular", "Taken regularly"
    AS_NEEDED = "as_needed", "Taken as needed"
    SUPPLEMENT = "supplement", "Supplement"


def taken_on(started_on: date, stopped_on: date | None, day: date) -> bool:
    """The rule for "taking a medicine on `day`" (and so on the night of `day`).

    The stop date is the last day the medicine was taken: a medicine is taken from its start
    date to its stop date, both included (a one-day course starts and stops on the same day),
    and without a stop date from the start on. "Current" on a day means taken on that day.
    `Medication.taken_on` and `MedicationQuerySet.taken_on` apply it.
    """
    return started_on <= day and (stopped_on is None or day <= stopped_on)


class MedicationQuerySet[M: "Medication"](OwnedQuerySet[M]):
    def taken_on(self, day: date) -> Self:
        """The medications taken on `day`, by the rule of `taken_on`."""
        return self.filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=day), started_on__lte=day)


class Medication(Owned):
    """A medicine or supplement, taken from `started_on` to `stopped_on` (see `taken_on`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    dose = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    dose_unit = models.CharField(max_length=20, blank=True, help_text="e.g. mg, puffs, tablets")
    drug_class = models.CharField(
        "class", max_length=32, choices=medication_classes.CHOICES, default="other"
    )
    kind = models.CharField(max_length=10, choices=MedicationKind, default=MedicationKind.REGULAR)
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)  # the last day taken
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)

    # Set by the medications page for its template: the "Took a dose" form of a current
    # medicine taken as needed, None for the others.
    dose_form: "DoseForm | None"

    owner_path = "user"
    objects = MedicationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "name"]
        indexes = [models.Index(fields=["user", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_on__gte=F("started_on")),
                name="journal_medication_stopped_after_started",
            ),
            models.CheckConstraint(
                condition=Q(dose__gt=0), name="journal_medication_dose_positive"
            ),
            models.CheckConstraint(
                condition=Q(drug_class__in=list(medication_classes.BY_KEY)),
                name="journal_medication_class_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MedicationKind.values), name="journal_medication_kind_valid"
            ),
            text_length_constraint("name", NAME_MAX_LENGTH),
            text_length_constraint("dose_unit", 20),
            text_length_constraint("notes", NOTES_MAX_LENGTH),
        ]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def catalogue_entry(self) -> medication_classes.MedicationClass:
        return medication_classes.BY_KEY[self.drug_class]

    def taken_on(self, day: date) -> bool:
        return taken_on(self.started_on, self.stopped_on, day)

    def taken_during(self, start: date, end: date) -> bool:
        """Taken on at least one day from `start` to `end`."""
        return self.started_on <= end and (self.stopped_on is None or start <= self.stopped_on)

    @property
    def first_day_without(self) -> date | None:
        """The day after the last day taken: where a stop shows, and "after stopping" begins."""
        return None if self.stopped_on is None else self.stopped_on + timedelta(days=1)

    def clean(self) -> None:
        if self.dose is not None and self.dose <= 0:
            raise ValidationError({"dose": "A dose must be more than zero."})
        if self.started_on and self.stopped_on and self.stopped_on < self.started_on:
            raise ValidationError(
                {"stopped_on": "The last day taken can’t be before the start date."}
            )


class DoseTaken(Owned):
    """One dose of an as-needed medication."""

    medication = models.ForeignKey(Medication, on_delete=models.CASCADE, related_name="doses")
    taken_at = models.DateTimeField()
    quantity = models.DecimalField(
        max_digits=5, decimal_places=2, default=1, validators=ranges.DOSE_QUANTITY.validators()
    )
    # Sent with the "took a dose" form, so sending the same form twice records one dose.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    owner_path = "medication__user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at"]
        indexes = [models.Index(fields=["medication", "taken_at"])]
        constraints = [ranges.DOSE_QUANTITY.constraint("quantity")]

    def __str__(self) -> str:
        return f"{self.medication} × {self.quantity} at {self.taken_at:%Y-%m-%d %H:%M} UTC"


# --- Red-flag checklist -------------------------------------------------------------------


class ChecklistAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


# The red-flag questions of the clinical reference (section 1: red flags, look-alikes, and what
# a doctor asks), in the order they are asked. Field name → question.
RED_FLAG_QUESTIONS = {
    "weakness": "Do your legs feel weak, or do any of their muscles look thinner than before?",
    "numbness": "Do you have numbness, tingling or pins and needles in your legs or feet?",
    "twitching": "Do you see fine twitching under the skin of your legs, outside a cramp?",
    "swelling": "Is one calf swollen, red, warm or tender?",
    "pale_or_cold": "Does the skin of a leg or foot look pale, or feel cold?",
    "pain_walking": "Do you get calf pain when you walk that goes away when you rest?",
    "urge_to_move": "In the evening or at rest, do you get an urge to move your legs that "
    "moving eases?",
    "partner_jerks": "Has anyone noticed your legs jerking again and again while you sleep?",
    "cramps_elsewhere": "Do you get cramps in other parts of your body, not only your legs?",
    "long_cramp": "Has a cramp lasted more than 10 minutes, or not eased when you stretched?",
    "sleep_disrupted": "Do cramps come several times a night, or often stop you sleeping?",
    "new_medicine": "Did the cramps start or get worse after you began or changed a medicine?",
    "wound_or_toxin": "Did the cramps start after a dirty wound, or contact with a poison or "
    "chemical?",
}


NOT_ANSWERED = "Not answered"


def _checklist_answer(name: str) -> models.CharField:
    """An answer, or NULL for a question left unanswered (never taken as a no)."""
    return models.CharField(
        RED_FLAG_QUESTIONS[name], max_length=8, choices=ChecklistAnswer, null=True, blank=True
    )


class RedFlagChecklist(Owned):
    """One dated submission of the red-flag checklist: the questions answered; none has to be,
    and one left unanswered is stored as NULL, shown as "Not answered", never as a no.

    Each submission is a new row, so the history is kept; the newest is the one that counts
    (`objects.for_user(user).latest()`). The doctor summary reads `answers()`.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="red_flag_checklists")
    answered_on = models.DateField(help_text="The user's own date when the answers were given.")
    created_at = models.DateTimeField(auto_now_add=True)
    # Sent with the form, so sending the same form twice saves one submission.
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    weakness = _checklist_answer("weakness")
    numbness = _checklist_answer("numbness")
    twitching = _checklist_answer("twitching")
    swelling = _checklist_answer("swelling")
    pale_or_cold = _checklist_answer("pale_or_cold")
    pain_walking = _checklist_answer("pain_walking")
    urge_to_move = _checklist_answer("urge_to_move")
    partner_jerks = _checklist_answer("partner_jerks")
    cramps_elsewhere = _checklist_answer("cramps_elsewhere")
    long_cramp = _checklist_answer("long_cramp")
    sleep_disrupted = _checklist_answer("sleep_disrupted")
    new_medicine = _checklist_answer("new_medicine")
    wound_or_toxin = _checklist_answer("wound_or_toxin")

    owner_path = "user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__in": ChecklistAnswer.values})
                | Q(**{f"{name}__isnull": True}),
                name=f"journal_redflagchecklist_{name}_valid",
            )
            for name in RED_FLAG_QUESTIONS
        ]

    def __str__(self) -> str:
        return f"Red-flag checklist of {self.answered_on:%d %b %Y}"

    def answers(self) -> list[tuple[str, str]]:
        """(question, answer) pairs in the order asked, e.g. ("Is one calf swollen…?", "No"),
        "Not answered" for a question left unanswered."""
        return [
            (question, self.answer_label(name)) for name, question in RED_FLAG_QUESTIONS.items()
        ]

    def answer_label(self, name: str) -> str:
        answer = getattr(self, name)
        return NOT_ANSWERED if answer is None else ChecklistAnswer(answer).label

    def fields_answered(self, answer: str | None) -> list[str]:
        """The names of the questions given `answer` (None: those not answered), in order."""
        return [name for name in RED_FLAG_QUESTIONS if getattr(self, name) == answer]

    def yes_fields(self) -> list[str]:
        """The names of the questions answered yes."""
        return self.fields_answered(ChecklistAnswer.YES)


# --- Sharing the doctor summary -----------------------------------------------------------


def new_share_token() -> str:
    return secrets.token_urlsafe(32)


class ShareLink(Owned):
    """A read-only link to the doctor summary of one date range, for someone without an account.

    The token is unguessable (256 random bits); the link stops working when it expires or is
    revoked, and every use is recorded as a ShareAccess the user can see.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    start = models.DateField()
    end = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    # Set by the summary page for its template: whether the link works now, and if so its
    # address and QR code (an SVG).
    active: bool
    address: str
    qr: str

    owner_path = "user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="journal_sharelink_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Summary {self.start} to {self.end} shared by {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("shared_summary", kwargs={"token": self.token})

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class ShareAccess(Owned):
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="accesses")
    accessed_at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=4, choices=[("page", "Page"), ("pdf", "PDF")])
    user_agent = models.CharField(max_length=200, blank=True)

    owner_path = "link__user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-accessed_at"]
        indexes = [models.Index(fields=["link", "accessed_at"])]

    def __str__(self) -> str:
        return f"{self.link} opened {self.accessed_at:%Y-%m-%d %H:%M} UTC"


# Reminders are a journal app's models too, kept in their own module (journal/reminders/).
from journal.reminders.models import (  # noqa: E402, I001 (one name a line, each re-exported)
    PushSubscription as PushSubscription,
    Reminder as Reminder,
    SentReminder as SentReminder,
)

# Experiments too (journal/experiments/).
from journal.experiments.models import (  # noqa: E402 (each re-exported)
    Experiment as Experiment,
    ExperimentAnswer as ExperimentAnswer,
    ExperimentPause as ExperimentPause,
)
