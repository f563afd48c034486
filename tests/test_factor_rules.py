"""How each factor reads a night (journal/analysis/factors.py), checked by hand: the fixed
thresholds at their edges, "usual" from the days before the night only, "not recorded" never
counted as "no", and the claim rule allowing for the page's comparisons."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from journal.analysis import factors, loading
from journal.analysis.factors import Rule
from journal.analysis.loading import DayRecord, NightRecord
from journal.models import (
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    ExerciseSession,
    FactorKind,
    Medication,
    Night,
    User,
)
from tests.conftest import london

NIGHT = date(2026, 5, 1)


def record(**values) -> DayRecord:
    """A day with everything recorded (nothing "with" any factor) but what `values` change."""
    everything = DayRecord(
        fluids_ml=2500,
        alcohol_units=Decimal(0),
        caffeinated_drinks=0,
        hours_on_feet=Decimal(2),
        hours_sitting=Decimal(2),
        exercise_minutes=0,
        vigorous=False,
        stretched=False,
        custom={},
    )
    return replace(everything, **values)


NOT_RECORDED = DayRecord(None, None, None, None, None, None, None, None, {})

CUSTOM_YES_NO = CustomFactor(pk=1, name="Tight sheets", kind=FactorKind.YES_NO)
CUSTOM_NUMBER = CustomFactor(pk=2, name="Hours driving", kind=FactorKind.NUMBER, unit="hours")
STATIN = Medication(pk=3, name="Atorvastatin", started_on=date(2026, 4, 1))
USER = User(fluid_target_ml=2000)
SPECS = {
    spec.key: spec for spec in factors.factors_for(USER, [CUSTOM_YES_NO, CUSTOM_NUMBER], [STATIN])
}


def classed(key: str, day: DayRecord | None, night: date = NIGHT) -> bool | None:
    days = {} if day is None else {night: day}
    return factors.presence(SPECS[key], [night], days)[night]


# --- Fixed thresholds, at their edges -------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "day", "expected"),
    [
        ("on_feet", record(hours_on_feet=Decimal("8.0")), True),  # "8 hours or more"
        ("on_feet", record(hours_on_feet=Decimal("7.9")), False),
        ("sitting", record(hours_sitting=Decimal("8.0")), True),
        ("sitting", record(hours_sitting=Decimal("7.9")), False),
        ("fluids_under_target", record(fluids_ml=1999), True),
        ("fluids_under_target", record(fluids_ml=2000), False),  # the target is not under it
        ("alcohol", record(alcohol_units=Decimal("0.5")), True),
        ("alcohol", record(alcohol_units=Decimal(0)), False),
        ("vigorous_exercise", record(vigorous=True), True),
        ("vigorous_exercise", record(vigorous=False), False),
        ("custom_1", record(custom={1: True}), True),
        ("custom_1", record(custom={1: False}), False),
    ],
)
def test_fixed_thresholds_at_their_edges(key, day, expected):
    assert classed(key, day) is expected


def test_a_medicine_is_taken_from_its_start_to_its_stop_date_inclusive():
    stopped = Medication(pk=4, name="Magnesium", started_on=NIGHT, stopped_on=NIGHT)
    (spec,) = factors.factors_for(User(fluid_restricted=True), [], [stopped])[-1:]
    nights = [NIGHT - timedelta(days=1), NIGHT, NIGHT + timedelta(days=1)]
    assert list(factors.presence(spec, nights, {}).values()) == [False, True, False]


# --- Not recorded is never "no" -------------------------------------------------------------


@pytest.mark.parametrize("key", list(SPECS))
def test_a_night_whose_day_has_nothing_recorded_is_left_out_of_every_day_factor(key):
    if key.startswith("medication_"):
        assert classed(key, None) is True  # taken by dates, whatever was logged that day
        return
    assert classed(key, None) is None  # no day record at all
    assert classed(key, NOT_RECORDED) is None  # a day record with that value blank


@pytest.mark.parametrize(
    ("key", "blank"),
    [
        ("fluids_under_target", {"fluids_ml": None}),
        ("alcohol", {"alcohol_units": None}),
        ("on_feet", {"hours_on_feet": None}),
        ("sitting", {"hours_sitting": None}),
        ("vigorous_exercise", {"exercise_minutes": None, "vigorous": None, "stretched": None}),
        ("custom_1", {"custom": {2: Decimal(1)}}),  # another factor recorded, not this one
    ],
)
def test_one_blank_value_leaves_the_night_out_of_that_factor_only(key, blank):
    day = record(**blank)
    assert classed(key, day) is None
    others = [k for k in ("fluids_under_target", "alcohol", "on_feet") if k != key]
    assert all(classed(other, day) is False for other in others)


@pytest.mark.django_db
def test_exercise_is_recorded_only_with_a_session_or_no_exercise_ticked(alice):
    said_none = DayFactors.objects.create(user=alice, date=date(2026, 3, 1), no_exercise=True)
    silent = DayFactors.objects.create(user=alice, date=date(2026, 3, 2), fluids_ml=1500)
    active = DayFactors.objects.create(user=alice, date=date(2026, 3, 3))
    ExerciseSession.objects.create(day=active, kind="yoga", minutes=40, intensity="vigorous")
    ExerciseSession.objects.create(day=active, kind="walking", minutes=20, intensity="light")
    days = loading.load_days(alice, date(2026, 3, 1), date(2026, 3, 3))
    exercise = {day: (r.exercise_minutes, r.vigorous, r.stretched) for day, r in days.items()}
    assert exercise == {
        said_none.date: (0, False, False),
        silent.date: (None, None, None),  # nothing said about exercise: not recorded
        active.date: (60, True, True),
    }


# --- "Usual": the median of the 8 weeks before the night, never later days --------------------


def caffeine_days(values_before: list[int], night_value: int) -> dict[date, DayRecord]:
    """`values_before` on the days just before NIGHT (the last one is NIGHT − 1)."""
    days = {
        NIGHT - timedelta(days=len(values_before) - i): record(caffeinated_drinks=value)
        for i, value in enumerate(values_before)
    }
    return days | {NIGHT: record(caffeinated_drinks=night_value)}


def test_usual_is_the_median_of_the_56_days_before_the_night():
    # 56 days before: 16 with 0 drinks, 20 with 2, 20 with 3. Sorted, the 28th and 29th values
    # are 2 and 2: the usual is 2 (their mean would be 100/56 = 1.79). 2 drinks is not more
    # than usual; 3 is.
    before = [0] * 16 + [2] * 20 + [3] * 20
    assert factors.usual_before(
        {day: float(r.caffeinated_drinks) for day, r in caffeine_days(before, 2).items()},
        [NIGHT],
    ) == {NIGHT: 2.0}
    assert classed_with(caffeine_days(before, 2)) is False
    assert classed_with(caffeine_days(before, 3)) is True


def classed_with(days: dict[date, DayRecord], key: str = "caffeine") -> bool | None:
    return factors.presence(SPECS[key], [NIGHT], days)[NIGHT]


def test_days_before_the_eight_weeks_and_after_the_night_do_not_count():
    before = [0] * 16 + [2] * 20 + [3] * 20  # usual 2, as above
    days = caffeine_days(before, 2)
    # 40 days of 0 drinks before the 8 weeks, and 60 days of 0 after the night: counted, they
    # would make the usual 0 and 2 drinks more than usual.
    older = {NIGHT - timedelta(days=57 + i): record(caffeinated_drinks=0) for i in range(40)}
    later = {NIGHT + timedelta(days=1 + i): record(caffeinated_drinks=0) for i in range(60)}
    assert classed_with(days | older | later) is False


def test_usual_needs_14_recorded_days_in_the_eight_weeks_before():
    window = [NIGHT - timedelta(days=offset) for offset in range(1, 57)]  # D − 1 … D − 56
    fourteen = {day: record(caffeinated_drinks=1) for day in window[-14:]}  # D − 43 … D − 56
    blank = {day: record(caffeinated_drinks=None) for day in window[:-14]}  # not recorded
    tonight = {NIGHT: record(caffeinated_drinks=2)}
    assert classed_with(fourteen | blank | tonight) is True
    thirteen = {day: r for day, r in fourteen.items() if day != window[-1]}
    day_57 = {NIGHT - timedelta(days=57): record(caffeinated_drinks=1)}  # just outside
    assert classed_with(thirteen | blank | tonight | day_57) is None


def test_usual_applies_to_exercise_minutes_and_numeric_own_factors_too():
    days = {NIGHT - timedelta(days=i): record(exercise_minutes=30) for i in range(1, 21)}
    assert classed_with(days | {NIGHT: record(exercise_minutes=45)}, "exercise") is True
    assert classed_with(days | {NIGHT: record(exercise_minutes=30)}, "exercise") is False
    assert classed_with(days | {NIGHT: record(exercise_minutes=None)}, "exercise") is None
    driving = {NIGHT - timedelta(days=i): record(custom={2: Decimal(1)}) for i in range(1, 21)}
    assert classed_with(driving | {NIGHT: record(custom={2: Decimal("1.5")})}, "custom_2")
    assert not classed_with(driving | {NIGHT: record(custom={2: Decimal(1)})}, "custom_2")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factor_label",
    ["More caffeinated drinks than usual", "More exercise than usual", "Driving: more than usual"],
)
def test_a_night_is_counted_the_same_under_every_range(
    alice_client, alice, freeze_now, factor_label
):
    """Two years of days: high values in the first year, low in the second. The nights logged
    recently are in every range; one night logged 20 months ago starts the "all" range early
    (its day is not recorded, so it is left out). With "usual" taken from the whole range, as
    before, the recent nights were judged against a different median in each range."""
    freeze_now(london(date(2026, 3, 20), 9))
    driving = CustomFactor.objects.create(
        user=alice, name="Driving", kind=FactorKind.NUMBER, unit="hours"
    )
    last_night = date(2026, 3, 19)
    for offset in range(730):
        day = last_night - timedelta(days=offset)
        old = offset > 365
        logged = DayFactors.objects.create(
            user=alice, date=day, caffeinated_drinks=(4 if old else 1) + offset % 3
        )
        ExerciseSession.objects.create(
            day=logged, kind="walking", minutes=(60 if old else 20) + 5 * (offset % 4)
        )
        CustomFactorValue.objects.create(
            day=logged, factor=driving, number=Decimal((3 if old else 1) + offset % 2)
        )
        if offset < 60:
            night = Night.objects.create(user=alice, date=day)
            if offset % 3 == 0:
                night.episodes.create(started_at=london(day, 23))
    DayFactors.objects.filter(user=alice, date=last_night - timedelta(days=600)).delete()
    Night.objects.create(user=alice, date=last_night - timedelta(days=600))
    rows = {}
    for range_key in ["3m", "6m", "1y", "all"]:
        results = alice_client.get(reverse("factor_analysis"), {"range": range_key}).context[
            "results"
        ]
        (row,) = (r for r in results if r.factor.label == factor_label)
        rows[range_key] = (row.with_text, row.without_text)
    assert len(set(rows.values())) == 1, rows
    assert rows["3m"][0] != "0 of 0"


# --- The claim: allowing for every factor tested ---------------------------------------------


def alcohol_journal(*, hours: bool) -> tuple[list[NightRecord], dict[date, DayRecord]]:
    """100 nights: alcohol on the first 30, with cramps on 15 of them; cramps on 18 of the 70
    others. Hours on feet and sitting, when recorded, alternate and go with nothing."""
    nights, days = [], {}
    for i in range(100):
        day = date(2026, 1, 1) + timedelta(days=i)
        nights.append(NightRecord(day, int(i < 15 or 30 <= i < 48), None, None, None))
        days[day] = record(
            alcohol_units=Decimal(2 if i < 30 else 0),
            hours_on_feet=Decimal(9 if i % 2 else 2) if hours else None,
            hours_sitting=Decimal(9 if i % 3 else 2) if hours else None,
        )
    return nights, days


def test_a_difference_is_claimed_only_allowing_for_every_comparison_on_the_page():
    # Alcohol: 15 of 30 against 18 of 70, RR 1.94 (1.14 to 3.32); Fisher's p = 0.0220.
    nights, days = alcohol_journal(hours=True)
    results = {r.factor.key: r for r in factors.factor_findings(nights, days, SPECS_NO_MEDS)}
    alcohol = results["alcohol"]
    assert alcohol.comparison.excludes_one
    assert alcohol.comparison.p_value == pytest.approx(0.0220, abs=1e-4)
    # Three factors have enough nights in both groups: alcohol, on feet and sitting (fluids,
    # caffeine, exercise and vigorous exercise have none "with" them). Holm: 3 × 0.0220.
    tested = {key for key, r in results.items() if r.adjusted_p is not None}
    assert tested == {"alcohol", "on_feet", "sitting"}
    assert all(results[key].comparison.p_value > 0.1 for key in ("on_feet", "sitting"))
    assert alcohol.comparisons == 3
    assert alcohol.adjusted_p == pytest.approx(3 * alcohol.comparison.p_value)
    assert not alcohol.claimed
    assert alcohol.chance_text == "Could be chance (adjusted p = 0.066)"
    # With the hours not recorded, alcohol is the only comparison: nothing to allow for.
    nights, days = alcohol_journal(hours=False)
    (alcohol,) = (
        r for r in factors.factor_findings(nights, days, SPECS_NO_MEDS) if r.factor.key == "alcohol"
    )
    assert (alcohol.comparisons, alcohol.adjusted_p) == (1, alcohol.comparison.p_value)
    assert alcohol.claimed and alcohol.more_common_with_it
    assert alcohol.chance_text == (
        "Unlikely to be chance: cramp nights were more common with it (adjusted p = 0.022)"
    )
    assert (alcohol.with_text, alcohol.without_text) == ("15 of 30 (50%)", "18 of 70 (26%)")


SPECS_NO_MEDS = factors.factors_for(USER, [], [])


def test_the_issues_small_examples_are_not_claimed():
    # 3 of 4 against 1 of 4: not enough nights to test; 4 of 10 against 8 of 40: p = 0.23.
    for with_it, without in [((3, 4), (1, 4)), ((4, 10), (8, 40))]:
        nights, days = [], {}
        groups = [(True, *with_it), (False, *without)]
        for alcohol, cramp_nights, count in groups:
            for i in range(count):
                day = date(2026, 1, 1) + timedelta(days=len(nights))
                nights.append(NightRecord(day, int(i < cramp_nights), None, None, None))
                days[day] = record(alcohol_units=Decimal(alcohol))
        (result,) = (
            r
            for r in factors.factor_findings(nights, days, SPECS_NO_MEDS)
            if r.factor.key == "alcohol"
        )
        assert not result.claimed


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.0004, "< 0.001"),
        (0.001, "= 0.001"),
        (0.008, "= 0.008"),
        (0.0449, "= 0.045"),
        (0.0496, "< 0.05"),
        (0.05, "= 0.050"),  # exactly the line is not below it
        (0.0504, "= 0.050"),
        (0.0999, "= 0.100"),
        (0.1, "= 0.10"),
        (0.2149, "= 0.21"),
        (1.0, "= 1.00"),
    ],
)
def test_p_values_are_never_rounded_across_the_claim_line(p, text):
    assert factors.p_text(p) == text


def test_each_factor_says_in_words_when_a_night_is_with_it_and_when_it_is_left_out():
    user = User(fluid_target_ml=2000, fluid_unit="ml")
    custom = [
        CustomFactor(pk=7, name="Cheese", kind=FactorKind.YES_NO),
        CustomFactor(pk=8, name="Steps", kind=FactorKind.NUMBER),
    ]
    statin = Medication(pk=3, name="Atorvastatin", started_on=date(2026, 1, 1))
    usual = "than the median of the days you recorded in the 8 weeks before"
    too_few = ", or fewer than 14 days of it recorded in the 8 weeks before"
    no_exercise = "no session entered and “No exercise that day” not ticked"
    specs = factors.factors_for(user, custom, [statin])
    assert [(f.key, f.label, f.rule, f.with_it, f.not_recorded, f.amount) for f in specs] == [
        (
            "fluids_under_target",
            "Fluids under your daily target (2,000 ml)",
            Rule.BELOW,
            "fluids under 2,000 ml",
            "fluids left blank",
            2000,
        ),
        (
            "alcohol",
            "Any alcohol",
            Rule.ABOVE,
            "more than 0 units of alcohol",
            "alcohol left blank",
            0,
        ),
        (
            "caffeine",
            "More caffeinated drinks than usual",
            Rule.ABOVE_USUAL,
            f"more caffeinated drinks {usual}",
            f"caffeinated drinks left blank{too_few}",
            None,
        ),
        (
            "exercise",
            "More exercise than usual",
            Rule.ABOVE_USUAL,
            f"more minutes of exercise {usual}",
            f"{no_exercise}{too_few}",
            None,
        ),
        (
            "vigorous_exercise",
            "Vigorous exercise",
            Rule.YES,
            "a session of vigorous intensity",
            no_exercise,
            None,
        ),
        (
            "on_feet",
            "8 hours or more on your feet",
            Rule.AT_LEAST,
            "8 hours or more on your feet",
            "hours on your feet left blank",
            8,
        ),
        (
            "sitting",
            "8 hours or more sitting",
            Rule.AT_LEAST,
            "8 hours or more sitting",
            "hours sitting left blank",
            8,
        ),
        ("custom_7", "Cheese", Rule.YES, "yes", "left as not recorded", None),
        (
            "custom_8",
            "Steps: more than usual",
            Rule.ABOVE_USUAL,
            f"more {usual}",
            f"left blank{too_few}",
            None,
        ),
        (
            "medication_3",
            "Taking Atorvastatin",
            Rule.YES,
            "the night is between its start and stop dates",
            "",
            None,
        ),
    ]
    in_ounces = factors.factors_for(User(fluid_target_ml=2000, fluid_unit="floz"), [], [])[0]
    assert (in_ounces.label, in_ounces.with_it) == (
        "Fluids under your daily target (67.6 fl oz)",
        "fluids under 67.6 fl oz",
    )
    assert factors.factors_for(User(fluid_restricted=True), [], [])[0].key == "alcohol"


def test_each_factor_says_after_what_in_a_claim():
    """The words a claim uses ("Cramp nights were about twice as common after days with…")."""
    assert {key: spec.after for key, spec in SPECS.items()} == EXPECTED_AFTER


EXPECTED_AFTER = {
    "alcohol": "after days with any alcohol",
    "caffeine": "after days with more caffeinated drinks than usual",
    "exercise": "after days with more exercise than usual",
    "vigorous_exercise": "after days with vigorous exercise",
    "on_feet": "after days on your feet 8 hours or more",
    "sitting": "after days sitting 8 hours or more",
    "fluids_under_target": "after days with fluids under your target (2,000 ml)",
    "custom_1": "after days marked “Tight sheets”",
    "custom_2": "after days with more “Hours driving” than usual",
    "medication_3": "while you were taking Atorvastatin",
}
