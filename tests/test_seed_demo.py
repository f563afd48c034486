from collections.abc import Callable
from datetime import time, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from journal import demo
from journal.models import (
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    DoseTaken,
    ExerciseSession,
    Medication,
    MedicationKind,
    Night,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock_stopped(freeze_now):
    """The journal ends last night, so the clock stands still during a test: otherwise a test
    running across noon (the night boundary) would see two different last nights."""
    freeze_now(timezone.now())


JOURNAL_MODELS = (
    Night,
    CrampEpisode,
    DayFactors,
    ExerciseSession,
    CustomFactor,
    CustomFactorValue,
    Medication,
    DoseTaken,
)


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (User, *JOURNAL_MODELS)}


def fingerprint(user: User) -> tuple[list, ...]:
    """Every generated value of `user`'s journal, in a stable order, without keys or timestamps."""
    return (
        list(
            Night.objects.for_user(user)
            .order_by("date")
            .values_list(
                "date",
                "into_bed",
                "tried_to_sleep",
                "sleep_latency_min",
                "awakenings",
                "awake_after_onset_min",
                "final_awakening",
                "out_of_bed",
                "quality",
            )
        ),
        list(
            CrampEpisode.objects.for_user(user)
            .order_by("started_at")
            .values_list(
                "night__date",
                "started_at",
                "duration_seconds",
                "muscle",
                "side",
                "pain",
                "minutes_back_to_sleep",
                "relieved_by_stretching",
                "relieved_by_nothing",
                "soreness_next_day",
                "notes",
            )
        ),
        list(
            DayFactors.objects.for_user(user)
            .order_by("date")
            .values_list(
                "date",
                "fluids_ml",
                "alcohol_units",
                "caffeinated_drinks",
                "hours_on_feet",
                "hours_sitting",
                "no_exercise",
            )
        ),
        sorted(
            ExerciseSession.objects.for_user(user).values_list(
                "day__date", "kind", "minutes", "intensity"
            )
        ),
        sorted(
            CustomFactorValue.objects.for_user(user).values_list(
                "day__date", "factor__name", "yes", "number"
            ),
            key=repr,
        ),
        sorted(
            Medication.objects.for_user(user).values_list(
                "name", "dose", "drug_class", "kind", "started_on", "stopped_on"
            ),
            key=repr,
        ),
        sorted(DoseTaken.objects.for_user(user).values_list("taken_at", "quantity")),
    )


def demo_user(number: int = 1) -> User:
    return User.objects.get(email=demo.demo_email(number))


def cramp_rate_ratio(user: User, exposed: Callable[[DayFactors], bool]) -> float:
    """Rate of cramp nights after exposed days over the rate after the other logged days."""
    cramp_dates = set(
        Night.objects.for_user(user).filter(episodes__isnull=False).values_list("date", flat=True)
    )
    groups: dict[bool, list[bool]] = {True: [], False: []}
    for day in DayFactors.objects.for_user(user):
        groups[exposed(day)].append(day.date in cramp_dates)
    assert len(groups[True]) >= 30 and len(groups[False]) >= 30, "too few days to compare"
    exposed_rate, other_rate = (sum(group) / len(group) for group in (groups[True], groups[False]))
    return exposed_rate / other_rate


@pytest.fixture
def two_years() -> User:
    seed(months=24, seed=2026)
    return demo_user()


def test_seeding_twice_gives_the_same_journal():
    seed(months=3)
    counts, first = row_counts(), fingerprint(demo_user())
    seed(months=3)
    assert row_counts() == counts
    assert fingerprint(demo_user()) == first
    assert counts["User"] == 1
    assert counts["Night"] > 0 and counts["CrampEpisode"] > 0


def test_refresh_resets_the_profile_and_password():
    seed(months=1)
    User.objects.filter(email="demo@example.com").update(
        time_zone="Asia/Tokyo", night_boundary_hour=4, first_name="Changed", password="!"
    )
    seed(months=1)
    user = demo_user()
    assert user.time_zone == "Europe/London" and user.night_boundary_hour == 12
    assert user.first_name == "Demo" and user.fluid_target_ml == 2000
    assert user.check_password(demo.DEMO_PASSWORD)


def test_journal_shape():
    seed(months=3)
    user = demo_user()
    last_night = user.night_of(timezone.now()) - timedelta(days=1)
    first_night = last_night - timedelta(days=3 * demo.NIGHTS_PER_MONTH - 1)
    night_dates = set(Night.objects.for_user(user).values_list("date", flat=True))
    day_dates = set(DayFactors.objects.for_user(user).values_list("date", flat=True))
    assert night_dates == day_dates
    assert first_night <= min(night_dates) and max(night_dates) <= last_night
    nights_in_span = (max(night_dates) - min(night_dates)).days + 1
    assert len(night_dates) < nights_in_span, "some nights in the range are not logged"
    cramp_dates = set(
        Night.objects.for_user(user).filter(episodes__isnull=False).values_list("date", flat=True)
    )
    assert day_dates - cramp_dates, "some days have factors and no cramps"
    with_diary = Night.objects.for_user(user).filter(into_bed__isnull=False).count()
    assert 0.8 < with_diary / len(night_dates) < 1
    # Every day's exercise is recorded: sessions, or "no exercise that day", never both.
    exercised = set(ExerciseSession.objects.for_user(user).values_list("day__date", flat=True))
    said_none = set(
        DayFactors.objects.for_user(user).filter(no_exercise=True).values_list("date", flat=True)
    )
    assert exercised and said_none
    assert exercised | said_none == day_dates and not exercised & said_none


def test_every_episode_belongs_to_its_night():
    seed(months=12)
    user = demo_user()
    episodes = CrampEpisode.objects.for_user(user).select_related("night")
    assert episodes
    for episode in episodes:
        assert user.night_of(episode.started_at) == episode.night.date


def test_medication_timeline():
    seed(months=6)
    user = demo_user()
    meds = {med.name: med for med in Medication.objects.for_user(user)}
    first_night = min(Night.objects.for_user(user).values_list("date", flat=True))
    assert meds["Ramipril"].started_on < first_night and meds["Ramipril"].stopped_on is None
    assert meds["Atorvastatin"].drug_class == "statin"
    magnesium = meds["Magnesium"]
    assert (magnesium.stopped_on - magnesium.started_on).days + 1 == demo.NIGHTS_PER_MONTH
    assert magnesium.stopped_on < meds["Atorvastatin"].started_on
    assert meds["Paracetamol"].kind == MedicationKind.AS_NEEDED
    doses = DoseTaken.objects.for_user(user)
    assert doses
    cramp_nights = set(
        Night.objects.for_user(user).filter(episodes__isnull=False).values_list("date", flat=True)
    )
    assert {user.night_of(dose.taken_at) for dose in doses} <= cramp_nights


def test_planted_effects_are_in_the_data(two_years):
    statin_start = Medication.objects.get(user=two_years, name=demo.STATIN_NAME).started_on

    def long_standing(day: DayFactors) -> bool:
        assert day.hours_on_feet is not None  # the demo fills in every day
        return day.hours_on_feet >= demo.LONG_STANDING_HOURS

    def low_fluids(day: DayFactors) -> bool:
        assert day.fluids_ml is not None
        return day.fluids_ml < demo.LOW_FLUIDS_ML

    def on_statin(day: DayFactors) -> bool:
        return day.date >= statin_start

    assert cramp_rate_ratio(two_years, long_standing) > 1.4
    assert cramp_rate_ratio(two_years, low_fluids) > 1.4
    assert cramp_rate_ratio(two_years, on_statin) > 1.4


def test_alcohol_has_no_planted_effect(two_years):
    ratio = cramp_rate_ratio(two_years, lambda day: day.alcohol_units > 0)
    assert 0.7 < ratio < 1.4


def test_several_users():
    output = seed(months=1, users=3)
    emails = ["demo@example.com", "demo2@example.com", "demo3@example.com"]
    assert set(User.objects.values_list("email", flat=True)) == set(emails)
    for number in (1, 2, 3):
        assert Night.objects.for_user(demo_user(number)).exists()
    assert fingerprint(demo_user(1)) != fingerprint(demo_user(2))
    assert f"Demo login: demo@example.com / {demo.DEMO_PASSWORD}" in output
    assert demo_user(3).check_password(demo.DEMO_PASSWORD)


def test_rejects_an_empty_journal():
    with pytest.raises(CommandError):
        seed(months=0)


def test_generated_rows_pass_model_validation():
    seed(months=3)
    user = demo_user()
    user.full_clean()
    samples = [
        *Night.objects.for_user(user).order_by("date")[:50],
        *CrampEpisode.objects.for_user(user).select_related("night__user")[:50],
        *DayFactors.objects.for_user(user).order_by("date")[:50],
        *ExerciseSession.objects.for_user(user)[:50],
        *CustomFactor.objects.for_user(user),
        *CustomFactorValue.objects.for_user(user).select_related("day", "factor")[:50],
        *Medication.objects.for_user(user),
        *DoseTaken.objects.for_user(user),
    ]
    for row in samples:
        row.full_clean()


def test_planted_probability_model():
    probability = demo.cramp_night_probability
    base = demo.BASE_CRAMP_NIGHT_RATE
    assert probability(hours_on_feet=Decimal("7.9"), fluids_ml=2000, on_statin=False) == base
    assert probability(
        hours_on_feet=Decimal("8.0"), fluids_ml=2000, on_statin=True
    ) == pytest.approx(base * demo.LONG_STANDING_RISK * demo.STATIN_RISK)
    assert (
        probability(hours_on_feet=Decimal(12), fluids_ml=900, on_statin=True)
        == demo.MAX_CRAMP_NIGHT_RATE
    )


def test_sleep_times_follow_the_local_clock_all_year():
    """Bedtimes stay on the wall clock across daylight-saving changes, not on UTC."""
    seed(months=12)
    user = demo_user()
    nights = Night.objects.for_user(user).exclude(into_bed=None)
    offsets = {night.into_bed.astimezone(user.tzinfo).utcoffset() for night in nights}
    assert len(offsets) == 2
    for night in nights:
        into_bed = night.into_bed.astimezone(user.tzinfo).time()
        final_awakening = night.final_awakening.astimezone(user.tzinfo).time()
        assert time(21, 50) <= into_bed <= time(23, 10)
        assert time(6, 15) <= final_awakening <= time(7, 15)
