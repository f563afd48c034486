"""Demo journals with known effects planted in them (`manage.py seed_demo`).

Everything is drawn from `random.Random`, seeded from the command's seed and
the user's number, so the same seed on the same day gives the same rows. The
journal covers `months * 30` nights ending with last night, in Europe/London so
that daylight-saving nights occur. Day D is paired with the night of D, which
begins that evening.

About 8% of nights are not logged at all (no Night, no DayFactors row). Every
logged date has both rows; about 90% of logged nights have the sleep diary
filled in, the others hold only their cramps, or nothing. A day without exercise
sessions has "no exercise that day" ticked, so its exercise is recorded.

Planted effects
---------------
The chance that a logged night has cramps is BASE_CRAMP_NIGHT_RATE (0.22),
multiplied by each factor that applies, capped at MAX_CRAMP_NIGHT_RATE (0.9):

* LONG_STANDING_RISK (x1.9): at least LONG_STANDING_HOURS (8) hours on feet on day D;
* LOW_FLUIDS_RISK (x1.7): fluids below the daily target (LOW_FLUIDS_ML, 2000 ml) on day D;
* STATIN_RISK (x1.6): nights on or after the day Atorvastatin (class "statin")
  was started, which is the middle of the range.

No effect: alcohol, caffeine, exercise, the custom factors "Tight bedsheets"
and "Hours driving", and Magnesium are all drawn independently of cramps.

Associations an analysis will still find, by construction rather than planted:

* hours sitting fill the waking day left after hours on feet, so they go
  down as hours on feet go up and look protective;
* Magnesium was taken for a month in the first third, before the statin
  started, so comparing its nights with all others makes it look protective;
  against other nights before the statin start it makes no difference;
* cramps cause the worse nights, not the other way round: cramp nights have
  lower sleep quality and more awakenings and minutes awake, and Paracetamol
  (as needed) is taken only on cramp nights.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from journal.models import (
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    DoseTaken,
    ExerciseKind,
    ExerciseSession,
    FactorKind,
    Intensity,
    Medication,
    MedicationKind,
    Muscle,
    Night,
    Side,
    Theme,
    User,
)
from journal.nights import DEFAULT_BOUNDARY_HOUR, local_moment
from journal.themes import DEFAULT_NIGHT_HOURS
from journal.units import FluidUnit

DEMO_PASSWORD = "cramp-demo-2026"
DEMO_TIME_ZONE = "Europe/London"
DEMO_FLUID_TARGET_ML = 2000
NIGHTS_PER_MONTH = 30

BASE_CRAMP_NIGHT_RATE = 0.22
MAX_CRAMP_NIGHT_RATE = 0.9
LONG_STANDING_HOURS = Decimal(8)
LONG_STANDING_RISK = 1.9
LOW_FLUIDS_ML = DEMO_FLUID_TARGET_ML  # "under your daily target", as the analysis compares
LOW_FLUIDS_RISK = 1.7
STATIN_RISK = 1.6

UNLOGGED_NIGHT_RATE = 0.08
SLEEP_DIARY_RATE = 0.9
ALCOHOL_DAY_RATE = 0.3
PARACETAMOL_NIGHT_RATE = 0.15

BEDSHEETS_FACTOR = "Tight bedsheets"
DRIVING_FACTOR = "Hours driving"
STATIN_NAME = "Atorvastatin"
PARACETAMOL_NAME = "Paracetamol"

DAY_SECONDS = 24 * 60 * 60
NOON_SECONDS = 12 * 60 * 60

EPISODE_COUNTS = ((1, 70), (2, 22), (3, 8))
EPISODE_NOTES = (
    "Pointed my toes while turning over.",
    "Calf rock hard, had to stand on the cold floor.",
    "Still aching when I got up.",
    "Woke from a dream with it.",
    "Came back a few minutes after it eased.",
)
MUSCLES = ((Muscle.CALF, 75), (Muscle.FOOT, 12), (Muscle.TOES, 6), (Muscle.THIGH_BACK, 7))
SIDES = ((Side.LEFT, 40), (Side.RIGHT, 40), (Side.BOTH, 20))
EXERCISE_KINDS = (
    (ExerciseKind.WALKING, 40),
    (ExerciseKind.CYCLING, 15),
    (ExerciseKind.SWIMMING, 10),
    (ExerciseKind.RUNNING, 10),
    (ExerciseKind.STRENGTH, 10),
    (ExerciseKind.YOGA, 10),
    (ExerciseKind.STRETCHING, 5),
)
TYPICAL_EXERCISE_MINUTES = {
    ExerciseKind.WALKING: 40,
    ExerciseKind.CYCLING: 45,
    ExerciseKind.SWIMMING: 35,
    ExerciseKind.RUNNING: 30,
    ExerciseKind.STRENGTH: 40,
    ExerciseKind.YOGA: 45,
    ExerciseKind.STRETCHING: 15,
}
INTENSITIES = ((Intensity.LIGHT, 35), (Intensity.MODERATE, 50), (Intensity.VIGOROUS, 15))
ALCOHOL_UNITS = tuple(Decimal(units) for units in ("1.0", "1.5", "2.0", "2.5", "3.0", "4.0"))
ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")


def demo_email(number: int) -> str:
    """demo@example.com for the first demo user, then demo2@example.com, demo3@..."""
    return "demo@example.com" if number == 1 else f"demo{number}@example.com"


def cramp_night_probability(*, hours_on_feet: Decimal, fluids_ml: int, on_statin: bool) -> float:
    """The planted model: the chance that the night after such a day has cramps."""
    probability = BASE_CRAMP_NIGHT_RATE
    if hours_on_feet >= LONG_STANDING_HOURS:
        probability *= LONG_STANDING_RISK
    if fluids_ml < LOW_FLUIDS_ML:
        probability *= LOW_FLUIDS_RISK
    if on_statin:
        probability *= STATIN_RISK
    return min(probability, MAX_CRAMP_NIGHT_RATE)


@dataclass(frozen=True)
class SeededUser:
    email: str
    counts: dict[str, int]


def seed_demo(*, months: int = 6, users: int = 1, seed: int = 2026) -> list[SeededUser]:
    """Create or refresh demo users 1..`users`, each with a fresh journal of `months`."""
    # One hash for all users: hashing is slow on purpose, and the password is public anyway.
    password_hash = make_password(DEMO_PASSWORD)
    return [_seed_user(number, months, seed, password_hash) for number in range(1, users + 1)]


def _seed_user(number: int, months: int, seed: int, password_hash: str) -> SeededUser:
    with transaction.atomic():
        user = _refresh_user(demo_email(number), password_hash)
        _clear_journal(user)
        journal = unsaved_journal(user, months, seed, number)
        journal.save()
    return SeededUser(user.email, journal.counts())


def unsaved_journal(user: User, months: int, seed: int, number: int = 1) -> "DemoJournal":
    """The rows `seed_demo` saves for demo user `number`, unsaved: for analysing in memory."""
    return _build_journal(user, months, random.Random(f"{seed}/{number}"))


def _refresh_user(email: str, password_hash: str) -> User:
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "password": password_hash,
            "first_name": "Demo",
            "last_name": "",
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
            "time_zone": DEMO_TIME_ZONE,
            "fluid_unit": FluidUnit.ML,
            "fluid_target_ml": DEMO_FLUID_TARGET_ML,
            "fluid_restricted": False,
            "night_boundary_hour": DEFAULT_BOUNDARY_HOUR,
            "theme": Theme.SYSTEM,
            "dim_at_night": False,
            "night_hours_start": DEFAULT_NIGHT_HOURS[0],
            "night_hours_end": DEFAULT_NIGHT_HOURS[1],
        },
    )
    return user


def _clear_journal(user: User) -> None:
    """Delete every journal record of `user` (days before factors: values RESTRICT them)."""
    Night.objects.for_user(user).delete()
    DayFactors.objects.for_user(user).delete()
    CustomFactor.objects.for_user(user).delete()
    Medication.objects.for_user(user).delete()


# --- The journal of one user --------------------------------------------------------------


@dataclass
class DemoJournal:
    """Unsaved rows, saved parents first so that children pick up their keys."""

    medications: list[Medication]
    factors: list[CustomFactor]
    doses: list[DoseTaken] = field(default_factory=list)
    days: list[DayFactors] = field(default_factory=list)
    exercise: list[ExerciseSession] = field(default_factory=list)
    factor_values: list[CustomFactorValue] = field(default_factory=list)
    nights: list[Night] = field(default_factory=list)
    episodes: list[CrampEpisode] = field(default_factory=list)

    def save(self) -> None:
        Medication.objects.bulk_create(self.medications)
        DoseTaken.objects.bulk_create(self.doses)
        CustomFactor.objects.bulk_create(self.factors)
        DayFactors.objects.bulk_create(self.days)
        ExerciseSession.objects.bulk_create(self.exercise)
        CustomFactorValue.objects.bulk_create(self.factor_values)
        Night.objects.bulk_create(self.nights)
        CrampEpisode.objects.bulk_create(self.episodes)

    def counts(self) -> dict[str, int]:
        return {
            "nights logged": len(self.nights),
            "nights with cramps": len({episode.night.date for episode in self.episodes}),
            "cramp episodes": len(self.episodes),
            "days of factors": len(self.days),
            "exercise sessions": len(self.exercise),
            "custom factor values": len(self.factor_values),
            "medications": len(self.medications),
            "doses taken": len(self.doses),
        }


@dataclass(frozen=True)
class _Timeline:
    first_night: date
    last_night: date

    @property
    def nights(self) -> int:
        return (self.last_night - self.first_night).days + 1

    @property
    def statin_start(self) -> date:
        return self.first_night + timedelta(days=self.nights // 2)

    @property
    def magnesium_start(self) -> date:
        """Starts the month centred on the first third (from the first night, if that is short)."""
        return self.first_night + timedelta(days=max(0, self.nights // 6 - NIGHTS_PER_MONTH // 2))

    @property
    def long_before(self) -> date:
        return self.first_night - timedelta(days=3 * 365)

    def dates(self) -> list[date]:
        return [self.first_night + timedelta(days=offset) for offset in range(self.nights)]


def _timeline(user: User, months: int) -> _Timeline:
    last_night = user.night_of(timezone.now()) - timedelta(days=1)
    return _Timeline(last_night - timedelta(days=months * NIGHTS_PER_MONTH - 1), last_night)


def _build_journal(user: User, months: int, rng: random.Random) -> DemoJournal:
    timeline = _timeline(user, months)
    medications = _medications(user, timeline)
    paracetamol = next(med for med in medications if med.name == PARACETAMOL_NAME)
    bedsheets, driving = factors = _custom_factors(user)
    journal = DemoJournal(medications=medications, factors=factors)
    for night_date in timeline.dates():
        if rng.random() < UNLOGGED_NIGHT_RATE:
            continue
        day = _day_factors(rng, user, night_date)
        journal.days.append(day)
        sessions = _exercise(rng, day)
        day.no_exercise = not sessions  # said, as the check-in lets the user say it
        journal.exercise += sessions
        journal.factor_values += _custom_values(rng, day, bedsheets, driving)
        night = Night(user=user, date=night_date)
        journal.nights.append(night)
        on_statin = night_date >= timeline.statin_start
        episodes = _night(rng, night, user, day, on_statin)
        journal.episodes += episodes
        if episodes and rng.random() < PARACETAMOL_NIGHT_RATE:
            journal.doses.append(_paracetamol_dose(rng, paracetamol, episodes[0]))
    return journal


def _medications(user: User, timeline: _Timeline) -> list[Medication]:
    magnesium_start = timeline.magnesium_start
    return [
        Medication(
            user=user,
            name="Ramipril",
            dose=Decimal(5),
            dose_unit="mg",
            drug_class="ace_inhibitor",
            kind=MedicationKind.REGULAR,
            started_on=timeline.long_before,
        ),
        Medication(
            user=user,
            name=STATIN_NAME,
            dose=Decimal(20),
            dose_unit="mg",
            drug_class="statin",
            kind=MedicationKind.REGULAR,
            started_on=timeline.statin_start,
        ),
        Medication(
            user=user,
            name="Magnesium",
            dose=Decimal(300),
            dose_unit="mg",
            drug_class="supplement",
            kind=MedicationKind.SUPPLEMENT,
            started_on=magnesium_start,
            stopped_on=magnesium_start + timedelta(days=NIGHTS_PER_MONTH - 1),
            notes="Tried for a month to see if it helped.",
        ),
        Medication(
            user=user,
            name=PARACETAMOL_NAME,
            dose=Decimal(500),
            dose_unit="mg",
            drug_class="pain_reliever",
            kind=MedicationKind.AS_NEEDED,
            started_on=timeline.long_before,
        ),
    ]


def _custom_factors(user: User) -> list[CustomFactor]:
    return [
        CustomFactor(user=user, name=BEDSHEETS_FACTOR, kind=FactorKind.YES_NO),
        CustomFactor(user=user, name=DRIVING_FACTOR, kind=FactorKind.NUMBER, unit="hours"),
    ]


# --- Days ---------------------------------------------------------------------------------


def _day_factors(rng: random.Random, user: User, day: date) -> DayFactors:
    hours_on_feet = _one_decimal(_clamp(rng.gauss(5, 2.5), 0.5, 13))
    # About 16 waking hours: sitting fills most of what standing leaves.
    sitting = _one_decimal(_clamp(rng.gauss(15 - float(hours_on_feet), 1.5), 0, 24))
    alcohol = rng.choice(ALCOHOL_UNITS) if rng.random() < ALCOHOL_DAY_RATE else Decimal("0.0")
    return DayFactors(
        user=user,
        date=day,
        fluids_ml=_clamp(round(rng.gauss(2000, 500) / 50) * 50, 300, 4500),
        alcohol_units=alcohol,
        caffeinated_drinks=_weighted(rng, ((0, 15), (1, 30), (2, 30), (3, 15), (4, 10))),
        hours_on_feet=hours_on_feet,
        hours_sitting=min(sitting, Decimal(24) - hours_on_feet),
    )


def _exercise(rng: random.Random, day: DayFactors) -> list[ExerciseSession]:
    sessions = []
    for _ in range(_weighted(rng, ((0, 45), (1, 40), (2, 15)))):
        kind = _weighted(rng, EXERCISE_KINDS)
        typical = TYPICAL_EXERCISE_MINUTES[kind]
        minutes = _clamp(round(rng.gauss(typical, typical / 3) / 5) * 5, 5, 150)
        intensity = _weighted(rng, INTENSITIES)
        sessions.append(ExerciseSession(day=day, kind=kind, minutes=minutes, intensity=intensity))
    return sessions


def _custom_values(
    rng: random.Random, day: DayFactors, bedsheets: CustomFactor, driving: CustomFactor
) -> list[CustomFactorValue]:
    values = []
    if rng.random() < 0.85:
        values.append(CustomFactorValue(day=day, factor=bedsheets, yes=rng.random() < 0.3))
    if rng.random() < 0.8:
        quarters = 0 if rng.random() < 0.55 else rng.randint(1, 12)
        hours = (Decimal(quarters) / 4).quantize(TWO_DECIMALS)
        values.append(CustomFactorValue(day=day, factor=driving, number=hours))
    return values


# --- Nights -------------------------------------------------------------------------------


def _after_noon(hour: int, minute: int = 0) -> int:
    """A wall-clock time of a night, in seconds after the noon that starts it (hour 25 = 1 a.m.)."""
    return (hour - 12) * 3600 + minute * 60


EPISODES_FROM = _after_noon(23)
EPISODES_UNTIL = _after_noon(30, 30)


@dataclass(frozen=True)
class _SleepPlan:
    """The wall-clock times of one night's diary, in seconds after noon."""

    into_bed: int
    tried_to_sleep: int
    latency_min: int
    final_awakening: int
    out_of_bed: int

    @property
    def asleep(self) -> int:
        return self.tried_to_sleep + self.latency_min * 60


def _night(
    rng: random.Random, night: Night, user: User, day: DayFactors, on_statin: bool
) -> list[CrampEpisode]:
    """Fill in `night` and return its (unsaved) cramp episodes."""
    assert day.hours_on_feet is not None and day.fluids_ml is not None  # see _day_factors
    probability = cramp_night_probability(
        hours_on_feet=day.hours_on_feet, fluids_ml=day.fluids_ml, on_statin=on_statin
    )
    episode_count = _weighted(rng, EPISODE_COUNTS) if rng.random() < probability else 0
    plan = _sleep_plan(rng) if rng.random() < SLEEP_DIARY_RATE else None
    earliest, latest = EPISODES_FROM, EPISODES_UNTIL
    if plan is not None:
        earliest = max(earliest, plan.asleep + 5 * 60)
        latest = min(latest, plan.final_awakening - 5 * 60)
    starts = sorted(rng.randrange(earliest, latest) for _ in range(episode_count))
    episodes = [_episode(rng, night, _started_at(user, night.date, start)) for start in starts]
    if plan is not None:
        _fill_sleep_diary(rng, night, plan, episodes, user.tzinfo)
    return episodes


def _sleep_plan(rng: random.Random) -> _SleepPlan:
    into_bed = _after_noon(22, 30) + 60 * _clamp(round(rng.gauss(0, 20)), -40, 40)
    tried_to_sleep = into_bed + 60 * rng.randint(5, 20)
    latency_min = rng.randint(5, 40)
    final_awakening = _after_noon(30, 45) + 60 * _clamp(round(rng.gauss(0, 15)), -30, 30)
    out_of_bed = final_awakening + 60 * rng.randint(5, 25)
    return _SleepPlan(into_bed, tried_to_sleep, latency_min, final_awakening, out_of_bed)


def _fill_sleep_diary(
    rng: random.Random,
    night: Night,
    plan: _SleepPlan,
    episodes: list[CrampEpisode],
    tz: ZoneInfo,
) -> None:
    night.into_bed = _moment(night.date, plan.into_bed, tz)
    night.tried_to_sleep = _moment(night.date, plan.tried_to_sleep, tz)
    night.final_awakening = _moment(night.date, plan.final_awakening, tz)
    night.out_of_bed = _moment(night.date, plan.out_of_bed, tz)
    woken = [episode for episode in episodes if episode.woke_me]
    # A cramp that woke the sleeper always has its minutes back to sleep (_episode): 0 never adds.
    awake = rng.randint(0, 30) + sum(episode.minutes_back_to_sleep or 0 for episode in woken)
    # Real minutes, not wall-clock ones: a daylight-saving night is an hour shorter or longer.
    window = int((night.final_awakening - night.tried_to_sleep).total_seconds() // 60)
    night.sleep_latency_min = plan.latency_min
    night.awakenings = rng.randint(0, 2) + len(woken)
    night.awake_after_onset_min = min(awake, window - plan.latency_min)
    night.quality = _clamp(round(rng.gauss(3.9, 0.7) - 0.7 * len(episodes)), 1, 5)


def _started_at(user: User, night_date: date, seconds_after_noon: int) -> datetime:
    moment = _moment(night_date, seconds_after_noon, user.tzinfo)
    if user.night_of(moment) != night_date:
        raise AssertionError(f"{moment} does not belong to the night of {night_date}")
    return moment


def _episode(rng: random.Random, night: Night, started_at: datetime) -> CrampEpisode:
    duration = _clamp(round(math.exp(rng.gauss(math.log(90), 0.85))), 5, 1500)
    severity = math.log(duration / 90)
    woke_me = rng.random() < 0.9
    back_to_sleep = _clamp(round(math.exp(rng.gauss(math.log(12), 0.6))), 5, 60)
    return CrampEpisode(
        night=night,
        started_at=started_at,
        duration_seconds=duration,
        muscle=_weighted(rng, MUSCLES),
        side=_weighted(rng, SIDES),
        pain=_clamp(round(rng.gauss(5 + severity, 1.3)), 2, 9),
        woke_me=woke_me,
        minutes_back_to_sleep=back_to_sleep if woke_me else None,
        soreness_next_day=_clamp(round(rng.gauss(1 + 1.2 * severity, 1.2)), 0, 6),
        notes=rng.choice(EPISODE_NOTES) if rng.random() < 0.06 else "",
        **_relief(rng),
    )


def _relief(rng: random.Random) -> dict[str, bool]:
    if rng.random() < 0.04:
        return {"relieved_by_nothing": True}
    stretching = rng.random() < 0.75
    return {
        "relieved_by_stretching": stretching,
        "relieved_by_walking": rng.random() < 0.5 or not stretching,
        "relieved_by_massage": rng.random() < 0.15,
        "relieved_by_heat": rng.random() < 0.07,
    }


def _paracetamol_dose(
    rng: random.Random, paracetamol: Medication, episode: CrampEpisode
) -> DoseTaken:
    return DoseTaken(
        medication=paracetamol,
        taken_at=episode.started_at + timedelta(minutes=rng.randint(5, 20)),
        quantity=Decimal(rng.choice((1, 2))),
    )


# --- Helpers ------------------------------------------------------------------------------


def _moment(night_date: date, seconds_after_noon: int, tz: ZoneInfo) -> datetime:
    days, second = divmod(NOON_SECONDS + seconds_after_noon, DAY_SECONDS)
    clock = time(second // 3600, second // 60 % 60, second % 60)
    return local_moment(night_date + timedelta(days=days), clock, tz)


def _weighted[T](rng: random.Random, choices: tuple[tuple[T, int], ...]) -> T:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def _clamp[N: (int, float)](value: N, low: N, high: N) -> N:
    return max(low, min(high, value))


def _one_decimal(value: float) -> Decimal:
    return Decimal(value).quantize(ONE_DECIMAL)
