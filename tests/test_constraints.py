"""The database refuses out-of-range values on every path; model validation explains why.

Saving with `obj.save()` skips `full_clean()`, and `QuerySet.update()` skips the model
altogether, so an IntegrityError here can only come from a database constraint. Each refusal
also checks the constraint's name in the database's message, so the right rule is the one that
fired (SQLite: "CHECK constraint failed: <name>"; PostgreSQL: 'violates check constraint
"<name>"').
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from journal import ranges
from journal.models import (
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    DoseTaken,
    ExerciseSession,
    FactorKind,
    Medication,
    MedicationKind,
    Night,
    User,
)
from journal.nights import local_moment

LONDON = ZoneInfo("Europe/London")  # alice's time zone; GMT (= UTC) in January
EVENING = date(2026, 1, 10)  # Sat 10 Jan 2026
MORNING = EVENING + timedelta(days=1)


def london(day: date, hh: int, mm: int = 0) -> datetime:
    return local_moment(day, time(hh, mm), LONDON)


# --- Valid objects to spoil ---------------------------------------------------------------


def sleep_times() -> dict[str, datetime]:
    # 22:30 into bed, 22:45 tried to sleep, 06:15 final awakening, 06:40 out of bed:
    # 450 minutes between trying to sleep (22:45) and the final awakening (06:15).
    return {
        "into_bed": london(EVENING, 22, 30),
        "tried_to_sleep": london(EVENING, 22, 45),
        "final_awakening": london(MORNING, 6, 15),
        "out_of_bed": london(MORNING, 6, 40),
    }


def build_night(user: User) -> Night:
    """A night with no sleep times, so only the single-field ranges can fail."""
    return Night(user=user, date=EVENING, awakenings=2, quality=3, notes="Calf cramp at 3.")


def build_timed_night(user: User) -> Night:
    return Night(
        user=user,
        date=EVENING,
        sleep_latency_min=20,
        awake_after_onset_min=35,
        **sleep_times(),
    )


def saved_night(user: User) -> Night:
    return Night.objects.create(user=user, date=EVENING)


def build_episode(user: User) -> CrampEpisode:
    return CrampEpisode(
        night=saved_night(user),
        started_at=london(MORNING, 3),  # 03:00 on the 11th -> night of the 10th
        duration_seconds=90,
        muscle="calf",
        side="left",
        pain=6,
        minutes_back_to_sleep=15,
        relieved_by_stretching=True,
        soreness_next_day=2,
    )


def build_day(user: User) -> DayFactors:
    return DayFactors(
        user=user,
        date=EVENING,
        fluids_ml=1500,
        alcohol_units=Decimal("2.0"),
        caffeinated_drinks=2,
        hours_on_feet=Decimal("6.0"),
        hours_sitting=Decimal("8.0"),
    )


def saved_day(user: User) -> DayFactors:
    return DayFactors.objects.create(user=user, date=EVENING)


def build_exercise(user: User) -> ExerciseSession:
    return ExerciseSession(day=saved_day(user), kind="walking", minutes=30, intensity="light")


def build_factor(user: User) -> CustomFactor:
    return CustomFactor(user=user, name="Tight bedsheets", kind=FactorKind.YES_NO)


def build_factor_value(user: User) -> CustomFactorValue:
    factor = CustomFactor.objects.create(user=user, name="Tight bedsheets")
    return CustomFactorValue(day=saved_day(user), factor=factor, yes=True)


def build_medication(user: User) -> Medication:
    return Medication(
        user=user,
        name="Atorvastatin",
        dose=Decimal("20"),
        dose_unit="mg",
        drug_class="statin",
        started_on=EVENING,
    )


def build_dose(user: User) -> DoseTaken:
    medication = Medication.objects.create(
        user=user, name="Paracetamol", kind=MedicationKind.AS_NEEDED, started_on=EVENING
    )
    return DoseTaken(
        medication=medication,
        taken_at=london(MORNING, 3, 10),
        quantity=Decimal("2"),
    )


def build_user(user: User) -> User:
    carol = User(email="carol@example.com", time_zone="Europe/Paris")
    carol.set_password("carol-password-1")
    return carol


BUILDERS = {
    "night": build_night,
    "timed_night": build_timed_night,
    "episode": build_episode,
    "day": build_day,
    "exercise": build_exercise,
    "factor": build_factor,
    "factor_value": build_factor_value,
    "medication": build_medication,
    "dose": build_dose,
    "user": build_user,
}


def assert_refused(obj, *names: str) -> None:
    """obj.save() (no full_clean) must hit one of the named database constraints."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        obj.save()
    message = str(excinfo.value)
    assert any(name in message for name in names), message


@pytest.mark.parametrize("builder", BUILDERS)
def test_the_valid_objects_are_valid(alice, builder):
    """So that every refusal below is caused by the one bad value, nothing else."""
    obj = BUILDERS[builder](alice)
    obj.full_clean()
    obj.save()
    obj.refresh_from_db()


# --- The database refuses -----------------------------------------------------------------

SLEEP_ORDER = [
    "journal_night_tried_to_sleep_after_into_bed",
    "journal_night_final_awakening_after_tried_to_sleep",
    "journal_night_out_of_bed_after_final_awakening",
]

RANGE_CASES = [
    # Night
    ("night", {"sleep_latency_min": 24 * 60 + 1}, "journal_night_sleep_latency_min_range"),
    ("night", {"awakenings": 31}, "journal_night_awakenings_range"),
    ("night", {"awake_after_onset_min": 24 * 60 + 1}, "journal_night_awake_after_onset_min_range"),
    ("night", {"quality": 0}, "journal_night_quality_range"),
    ("night", {"quality": 6}, "journal_night_quality_range"),
    ("night", {"notes": "x" * 2001}, "journal_night_notes_length"),
    # Sleep times: each adjacent pair swapped (22:30/22:45, 22:45/06:15, 06:15/06:40).
    ("timed_night", {"swap": ("into_bed", "tried_to_sleep")}, SLEEP_ORDER[0]),
    # Waking before trying to sleep also makes total sleep negative; either rule may report.
    (
        "timed_night",
        {"swap": ("tried_to_sleep", "final_awakening")},
        (SLEEP_ORDER[1], "journal_night_total_sleep_not_negative"),
    ),
    ("timed_night", {"swap": ("final_awakening", "out_of_bed")}, SLEEP_ORDER[2]),
    # All or none: one, two or three of the four times.
    (
        "timed_night",
        {"tried_to_sleep": None, "final_awakening": None, "out_of_bed": None},
        "journal_night_sleep_times_all_or_none",
    ),
    (
        "timed_night",
        {"into_bed": None, "tried_to_sleep": None},
        "journal_night_sleep_times_all_or_none",
    ),
    ("timed_night", {"out_of_bed": None}, "journal_night_sleep_times_all_or_none"),
    # Time in bed: 22:30 to 22:31 the next evening is 24 h 1 min.
    ("timed_night", {"out_of_bed": london(MORNING, 22, 31)}, "journal_night_time_in_bed_max"),
    # Total sleep: 300 + 200 = 500 minutes falling asleep and awake > the 450-minute window.
    (
        "timed_night",
        {"sleep_latency_min": 300, "awake_after_onset_min": 200},
        "journal_night_total_sleep_not_negative",
    ),
    # One more minute than fits: 20 + 431 = 451 > 450.
    (
        "timed_night",
        {"awake_after_onset_min": 431},
        "journal_night_total_sleep_not_negative",
    ),
    # CrampEpisode
    ("episode", {"duration_seconds": 0}, "journal_crampepisode_duration_seconds_range"),
    ("episode", {"duration_seconds": 3601}, "journal_crampepisode_duration_seconds_range"),
    # -1 also breaks the positive-integer check Django adds to the column itself.
    (
        "episode",
        {"pain": -1},
        (
            "journal_crampepisode_pain_range",
            "journal_crampepisode_pain_check",
            "CHECK constraint failed: pain",
        ),
    ),
    ("episode", {"pain": 11}, "journal_crampepisode_pain_range"),
    ("episode", {"soreness_next_day": 11}, "journal_crampepisode_soreness_next_day_range"),
    (
        "episode",
        {"minutes_back_to_sleep": 12 * 60 + 1},
        "journal_crampepisode_minutes_back_to_sleep_range",
    ),
    ("episode", {"muscle": "neck"}, "journal_episode_muscle_valid"),
    ("episode", {"side": "up"}, "journal_episode_side_valid"),
    # The valid episode was relieved by stretching; "nothing helped" contradicts it.
    ("episode", {"relieved_by_nothing": True}, "journal_episode_nothing_helped_alone"),
    ("episode", {"notes": "x" * 2001}, "journal_crampepisode_notes_length"),
    # DayFactors
    ("day", {"fluids_ml": 8001}, "journal_dayfactors_fluids_ml_range"),
    ("day", {"alcohol_units": Decimal("50.1")}, "journal_dayfactors_alcohol_units_range"),
    ("day", {"caffeinated_drinks": 31}, "journal_dayfactors_caffeinated_drinks_range"),
    (
        "day",
        {"hours_on_feet": Decimal("24.5"), "hours_sitting": None},
        "journal_dayfactors_hours_on_feet_range",
    ),
    (
        "day",
        {"hours_sitting": Decimal("24.5"), "hours_on_feet": None},
        "journal_dayfactors_hours_sitting_range",
    ),
    # 16 + 9 = 25 hours > 24.
    (
        "day",
        {"hours_on_feet": Decimal("16"), "hours_sitting": Decimal("9")},
        "journal_day_hours_fit_in_a_day",
    ),
    ("day", {"notes": "x" * 2001}, "journal_dayfactors_notes_length"),
    # ExerciseSession
    ("exercise", {"minutes": 0}, "journal_exercisesession_minutes_range"),
    ("exercise", {"minutes": 24 * 60 + 1}, "journal_exercisesession_minutes_range"),
    ("exercise", {"kind": "skiing"}, "journal_exercise_kind_valid"),
    ("exercise", {"intensity": "extreme"}, "journal_exercise_intensity_valid"),
    # CustomFactor
    ("factor", {"kind": "colour"}, "journal_factor_kind_valid"),
    # CustomFactorValue: exactly one of yes / number.
    ("factor_value", {"number": Decimal("3")}, "journal_factor_value_exactly_one"),
    ("factor_value", {"yes": None}, "journal_factor_value_exactly_one"),
    # Medication
    (
        "medication",
        {"stopped_on": EVENING - timedelta(days=1)},
        "journal_medication_stopped_after_started",
    ),
    ("medication", {"dose": Decimal("0")}, "journal_medication_dose_positive"),
    ("medication", {"dose": Decimal("-5")}, "journal_medication_dose_positive"),
    ("medication", {"drug_class": "unicorn_dust"}, "journal_medication_class_valid"),
    ("medication", {"kind": "weekly"}, "journal_medication_kind_valid"),
    # DoseTaken
    ("dose", {"quantity": Decimal("0")}, "journal_dosetaken_quantity_range"),
    ("dose", {"quantity": Decimal("100.01")}, "journal_dosetaken_quantity_range"),
    # User
    ("user", {"fluid_target_ml": 100}, "journal_user_fluid_target_ml_range"),
    ("user", {"fluid_target_ml": 8001}, "journal_user_fluid_target_ml_range"),
    ("user", {"night_boundary_hour": 24}, "journal_user_night_boundary_hour_range"),
    ("user", {"theme": "pink"}, "journal_user_theme_valid"),
    ("user", {"fluid_unit": "cup"}, "journal_user_fluid_unit_valid"),
    ("user", {"night_hours_start": 24}, "journal_user_night_hours_start_range"),
    ("user", {"night_hours_end": 24}, "journal_user_night_hours_end_range"),
    ("user", {"night_hours_start": 7, "night_hours_end": 7}, "journal_user_night_hours_not_empty"),
]


def case_id(case) -> str:
    builder, changes, _ = case
    parts = []
    for field, value in changes.items():
        shown = "long" if isinstance(value, str) and len(value) > 20 else value
        parts.append(f"{field}={shown}" if field != "swap" else "swap-" + "-".join(value))
    return f"{builder}:" + ",".join(parts)


def spoil(obj, changes: dict) -> None:
    for field, value in changes.items():
        if field == "swap":
            a, b = value
            first, second = getattr(obj, a), getattr(obj, b)
            setattr(obj, a, second)
            setattr(obj, b, first)
        else:
            setattr(obj, field, value)


@pytest.mark.parametrize(
    ("builder", "changes", "names"), RANGE_CASES, ids=map(case_id, RANGE_CASES)
)
def test_database_refuses_on_insert(alice, builder, changes, names):
    obj = BUILDERS[builder](alice)
    spoil(obj, changes)
    names = (names,) if isinstance(names, str) else names
    model = obj._meta.model
    rows_before = model.objects.count()
    assert_refused(obj, *names)
    assert model.objects.count() == rows_before


@pytest.mark.parametrize(
    ("builder", "changes", "names"), RANGE_CASES, ids=map(case_id, RANGE_CASES)
)
def test_database_refuses_on_update(alice, builder, changes, names):
    """A stored valid row cannot be changed into an invalid one either."""
    obj = BUILDERS[builder](alice)
    obj.save()
    spoil(obj, changes)
    names = (names,) if isinstance(names, str) else names
    assert_refused(obj, *names)


BULK_CASES = [
    ("night", {"quality": 6}, "journal_night_quality_range"),
    ("timed_night", {"out_of_bed": F("into_bed") - timedelta(minutes=1)}, SLEEP_ORDER[2]),
    ("timed_night", {"sleep_latency_min": 451}, "journal_night_total_sleep_not_negative"),
    ("episode", {"pain": 11}, "journal_crampepisode_pain_range"),
    ("day", {"fluids_ml": 8001}, "journal_dayfactors_fluids_ml_range"),
    ("day", {"hours_sitting": Decimal("18.5")}, "journal_day_hours_fit_in_a_day"),
    ("medication", {"stopped_on": date(2025, 12, 31)}, "journal_medication_stopped_after_started"),
    ("user", {"night_boundary_hour": 24}, "journal_user_night_boundary_hour_range"),
]


@pytest.mark.parametrize(("builder", "changes", "name"), BULK_CASES, ids=map(case_id, BULK_CASES))
def test_bulk_update_is_refused_too(alice, builder, changes, name):
    obj = BUILDERS[builder](alice)
    obj.save()
    model = obj._meta.model
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        model.objects.filter(pk=obj.pk).update(**changes)
    assert name in str(excinfo.value)
    # Nothing changed.
    stored = model.objects.get(pk=obj.pk)
    for field in changes:
        assert getattr(stored, field) == getattr(obj, field)


# --- Uniqueness ---------------------------------------------------------------------------


def test_one_night_per_user_per_date(alice, bob):
    Night.objects.create(user=alice, date=EVENING)
    assert_refused(
        Night(user=alice, date=EVENING),
        "journal_night_one_per_date",
        "journal_night.user_id, journal_night.date",  # SQLite names the columns instead
    )
    # Another date, or another user on the same date, is fine.
    Night.objects.create(user=alice, date=MORNING)
    Night.objects.create(user=bob, date=EVENING)
    assert Night.objects.filter(date=EVENING).count() == 2


def test_one_day_per_user_per_date(alice, bob):
    DayFactors.objects.create(user=alice, date=EVENING)
    assert_refused(
        DayFactors(user=alice, date=EVENING, fluids_ml=1000),
        "journal_day_one_per_date",
        "journal_dayfactors.user_id, journal_dayfactors.date",
    )
    DayFactors.objects.create(user=bob, date=EVENING)
    assert DayFactors.objects.filter(date=EVENING).count() == 2


def test_custom_factor_names_are_unique_per_user_ignoring_case(alice, bob):
    CustomFactor.objects.create(user=alice, name="Tight bedsheets")
    assert_refused(CustomFactor(user=alice, name="TIGHT Bedsheets"), "journal_factor_name_unique")
    # The same name for another user is fine.
    CustomFactor.objects.create(user=bob, name="Tight bedsheets")
    assert CustomFactor.objects.filter(name__iexact="tight bedsheets").count() == 2


def test_custom_factor_duplicate_name_fails_validation(alice):
    CustomFactor.objects.create(user=alice, name="Tight bedsheets")
    with pytest.raises(ValidationError):
        CustomFactor(user=alice, name="tight bedsheets").full_clean()
    # Another user's factor of the same name does not count.
    other = User.objects.create_user("dave@example.com", "dave-password-1")
    CustomFactor(user=other, name="tight bedsheets").full_clean()


def test_custom_factor_value_once_per_day(alice):
    value = build_factor_value(alice)
    value.save()
    assert_refused(
        CustomFactorValue(day=value.day, factor=value.factor, yes=False),
        "journal_factor_value_once",
        "journal_customfactorvalue.day_id, journal_customfactorvalue.factor_id",
    )


def test_email_is_unique_ignoring_case(alice):
    assert alice.email == "alice@example.com"
    # Straight to the model: the manager would lower-case the address first.
    duplicate = User(email="ALICE@Example.com")
    duplicate.set_password("another-password-1")
    assert_refused(duplicate, "journal_user_email_ci_unique")


# --- Model validation gives a friendly message on the right field -------------------------


def assert_invalid(obj, field: str, word: str) -> str:
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    errors = excinfo.value.message_dict
    assert field in errors, errors
    message = " ".join(errors[field])
    assert word in message, message
    # A sentence for a person, not a constraint name.
    assert "journal_" not in message
    assert "onstraint" not in message
    return message


FRIENDLY_CASES = [
    ("episode", {"duration_seconds": 0}, "duration_seconds", "greater than or equal to 1"),
    ("episode", {"duration_seconds": 3601}, "duration_seconds", "less than or equal to 3600"),
    ("episode", {"pain": 11}, "pain", "less than or equal to 10"),
    ("episode", {"soreness_next_day": 11}, "soreness_next_day", "less than or equal to 10"),
    ("episode", {"relieved_by_nothing": True}, "relieved_by_nothing", "combined"),
    ("day", {"fluids_ml": 8001}, "fluids_ml", "less than or equal to 8000"),
    # 16 + 9 = 25 > 24 hours.
    (
        "day",
        {"hours_on_feet": Decimal("16"), "hours_sitting": Decimal("9")},
        "hours_sitting",
        "more than 24",
    ),
    ("day", {"hours_on_feet": Decimal("24.5"), "hours_sitting": None}, "hours_on_feet", "24"),
    ("timed_night", {"swap": ("into_bed", "tried_to_sleep")}, "tried_to_sleep", "before"),
    ("timed_night", {"swap": ("tried_to_sleep", "final_awakening")}, "final_awakening", "before"),
    ("timed_night", {"swap": ("final_awakening", "out_of_bed")}, "out_of_bed", "before"),
    ("timed_night", {"out_of_bed": None}, "out_of_bed", "Fill in"),
    ("timed_night", {"out_of_bed": london(MORNING, 22, 31)}, "out_of_bed", "24 hours"),
    # 300 + 200 = 500 minutes > the 450 between 22:45 and 06:15.
    (
        "timed_night",
        {"sleep_latency_min": 300, "awake_after_onset_min": 200},
        "awake_after_onset_min",
        "come to 8 h 20 min, more than the 7 h 30 min between",
    ),
    ("night", {"quality": 6}, "quality", "Choose a sleep quality from 1"),
    ("medication", {"stopped_on": EVENING - timedelta(days=1)}, "stopped_on", "before"),
    ("medication", {"dose": Decimal("0")}, "dose", "more than zero"),
    ("medication", {"drug_class": "unicorn_dust"}, "drug_class", "not a valid choice"),
    ("exercise", {"minutes": 0}, "minutes", "greater than or equal to 1"),
    ("dose", {"quantity": Decimal("0")}, "quantity", "greater than or equal to 0.01"),
    ("user", {"night_boundary_hour": 24}, "night_boundary_hour", "less than or equal to 23"),
    ("user", {"theme": "pink"}, "theme", "not a valid choice"),
    ("user", {"night_hours_end": 24}, "night_hours_end", "less than or equal to 23"),
    (
        "user",
        {"night_hours_start": 7, "night_hours_end": 7},
        "__all__",
        "The night hours need to end at a different hour",
    ),
]


@pytest.mark.parametrize(
    ("builder", "changes", "field", "word"),
    FRIENDLY_CASES,
    ids=[case_id(case[:3]) for case in FRIENDLY_CASES],
)
def test_full_clean_explains_on_the_field(alice, builder, changes, field, word):
    obj = BUILDERS[builder](alice)
    spoil(obj, changes)
    assert_invalid(obj, field, word)


def test_sleep_times_all_or_none_names_each_missing_field(alice):
    night = build_timed_night(alice)
    night.tried_to_sleep = night.final_awakening = None
    with pytest.raises(ValidationError) as excinfo:
        night.full_clean()
    errors = excinfo.value.message_dict
    assert {"tried_to_sleep", "final_awakening"} <= set(errors)
    assert "into_bed" not in errors and "out_of_bed" not in errors
    assert "leave all four sleep times empty" in errors["tried_to_sleep"][0]


# --- Edge values that are allowed ---------------------------------------------------------

EDGE_CASES = [
    ("episode", {"duration_seconds": 1}),
    ("episode", {"duration_seconds": 3600}),
    ("episode", {"pain": 0}),
    ("episode", {"pain": 10}),
    ("episode", {"relieved_by_stretching": False, "relieved_by_nothing": True}),
    ("day", {"fluids_ml": 0}),
    ("day", {"fluids_ml": 8000}),
    ("day", {"alcohol_units": Decimal("50")}),
    # 14.5 + 9.5 = exactly 24 hours.
    ("day", {"hours_on_feet": Decimal("14.5"), "hours_sitting": Decimal("9.5")}),
    # Total sleep exactly zero: 200 + 250 = 450 = the window from 22:45 to 06:15.
    ("timed_night", {"sleep_latency_min": 200, "awake_after_onset_min": 250}),
    # Time in bed exactly 24 hours: 22:30 to 22:30 the next evening.
    ("timed_night", {"out_of_bed": london(MORNING, 22, 30)}),
    # All four times equal: zero minutes in bed.
    (
        "timed_night",
        {
            "tried_to_sleep": london(EVENING, 22, 30),
            "final_awakening": london(EVENING, 22, 30),
            "out_of_bed": london(EVENING, 22, 30),
            "sleep_latency_min": 0,
            "awake_after_onset_min": 0,
        },
    ),
    ("night", {"quality": 1}),
    ("night", {"quality": 5}),
    ("night", {"awakenings": 30, "notes": "x" * 2000}),
    ("medication", {"stopped_on": EVENING}),  # stopped the day it started
    ("dose", {"quantity": Decimal("0.01")}),
    ("exercise", {"minutes": 24 * 60}),
    ("user", {"fluid_target_ml": 250, "night_boundary_hour": 0}),
    ("user", {"fluid_target_ml": 8000, "night_boundary_hour": 23}),
    ("user", {"theme": "dim", "night_hours_start": 0, "night_hours_end": 23}),
    ("user", {"night_hours_start": 23, "night_hours_end": 0}),
]


@pytest.mark.parametrize(
    ("builder", "changes"), EDGE_CASES, ids=[case_id((*case, None)) for case in EDGE_CASES]
)
def test_edge_values_are_accepted(alice, builder, changes):
    obj = BUILDERS[builder](alice)
    spoil(obj, changes)
    obj.full_clean()
    obj.save()
    stored = obj._meta.model.objects.get(pk=obj.pk)
    for field, value in changes.items():
        assert getattr(stored, field) == value


def test_hours_adding_up_to_exactly_24_are_accepted_for_every_split(alice):
    """Every one-decimal split of a whole day (0.0 + 24.0, 0.1 + 23.9, ... 24.0 + 0.0) is valid:
    the sum is exactly 24, which is allowed. Decimal arithmetic agrees; the database check must
    too, whatever the database does with decimals."""
    day = build_day(alice)
    day.save()
    refused = []
    for tenths in range(241):
        on_feet = Decimal(tenths) / 10
        sitting = Decimal(240 - tenths) / 10
        assert on_feet + sitting == 24
        day.hours_on_feet, day.hours_sitting = on_feet, sitting
        try:
            day.full_clean()
        except ValidationError as error:
            refused.append((str(on_feet), str(sitting), "full_clean", error.messages))
            continue
        try:
            with transaction.atomic():
                day.save()
        except IntegrityError as error:
            refused.append((str(on_feet), str(sitting), "save", str(error)))
    assert refused == [], f"{len(refused)} valid splits refused, e.g. {refused[:3]}"


def test_total_sleep_exactly_zero(alice):
    night = build_timed_night(alice)
    night.sleep_latency_min, night.awake_after_onset_min = 200, 250
    night.save()
    night.refresh_from_db()
    # 450 - 200 - 250 = 0 minutes asleep in 490 minutes in bed.
    assert night.metrics.total_sleep_min == 0
    assert night.metrics.efficiency_pct == 0.0


# --- CrampEpisode.clean: the right night, and at most 20 a night ---------------------------


def test_episode_must_belong_to_its_night(alice):
    assert alice.time_zone == "Europe/London"
    episode = build_episode(alice)  # night of Sat 10 Jan
    # 13:00 on Sun 11 Jan is after the noon boundary: the night of Sun 11 Jan.
    episode.started_at = london(MORNING, 13, 0)
    message = assert_invalid(episode, "started_at", "Sun 11 Jan")
    assert "belongs to the night of" in message
    # 11:59 on the 11th is still the night of the 10th: fine.
    episode.started_at = london(MORNING, 11, 59)
    episode.full_clean()
    # 11:59 on the 10th is the night of Fri 9 Jan.
    episode.started_at = london(EVENING, 11, 59)
    assert_invalid(episode, "started_at", "Fri 09 Jan")


def test_episode_night_follows_the_users_own_boundary(alice):
    alice.night_boundary_hour = 18
    alice.save()
    episode = build_episode(alice)
    # With boundary 18, 13:00 on the 11th still belongs to the night of the 10th.
    episode.started_at = london(MORNING, 13, 0)
    episode.full_clean()
    episode.started_at = london(MORNING, 18, 0)
    assert_invalid(episode, "started_at", "Sun 11 Jan")


def test_at_most_twenty_episodes_a_night(alice):
    assert ranges.CRAMPS_PER_NIGHT.high == 20
    night = saved_night(alice)
    # Nineteen cramps a minute apart from 01:00 on the 11th.
    CrampEpisode.objects.bulk_create(
        CrampEpisode(night=night, started_at=london(MORNING, 1, minute)) for minute in range(19)
    )
    twentieth = CrampEpisode(night=night, started_at=london(MORNING, 2, 0))
    twentieth.full_clean()
    twentieth.save()

    twenty_first = CrampEpisode(night=night, started_at=london(MORNING, 2, 30))
    with pytest.raises(ValidationError) as excinfo:
        twenty_first.full_clean()
    messages = excinfo.value.message_dict[NON_FIELD_ERRORS]
    assert any("at most 20 cramps" in m for m in messages), messages

    # Editing one of the twenty is still allowed: it does not count itself.
    twentieth.pain = 4
    twentieth.full_clean()

    # Another night is not affected.
    other_night = Night.objects.create(user=alice, date=MORNING)
    CrampEpisode(night=other_night, started_at=london(MORNING + timedelta(days=1), 3)).full_clean()


@pytest.mark.django_db
def test_a_factor_with_values_cannot_be_deleted_alone_but_goes_with_its_account(alice):
    from django.db.models import RestrictedError

    factor = CustomFactor.objects.create(user=alice, name="Bananas")
    day = DayFactors.objects.create(user=alice, date=EVENING)
    CustomFactorValue.objects.create(day=day, factor=factor, yes=True)
    with pytest.raises(RestrictedError):
        factor.delete()
    alice.delete()  # as the admin or a shell would
    assert not CustomFactorValue.objects.exists() and not CustomFactor.objects.exists()


@pytest.mark.django_db
def test_model_validation_runs_every_day_check_even_with_hours_missing(alice, caplog):
    """Django runs each constraint as a query when validating; one it cannot run is skipped
    with only a logged warning, leaving the form's check to the database alone."""
    day = DayFactors(user=alice, date=EVENING)  # no hours: both NULL
    with caplog.at_level("WARNING", logger="django.db.models"):
        day.full_clean()
    assert "database error" not in caplog.text
    day.hours_on_feet, day.hours_sitting = Decimal("20"), Decimal("5")
    with pytest.raises(ValidationError) as refused:
        day.full_clean()
    assert "hours_sitting" in refused.value.message_dict
