"""The tip and red-flag rules of journal/learn/tips.py, each when it fires and when it must stay
silent, on journals built with the ORM; the query budget; and the tips partial."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from journal.learn import tips
from journal.learn.content import advises_stopping_medicine
from journal.learn.tips import learn_panel, recent_journal, red_flags_for, tips_for
from journal.models import (
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    ExerciseSession,
    FactorKind,
    Medication,
    Night,
    RedFlagChecklist,
    User,
)
from journal.nights import local_moment

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)  # the user's current night


def night(user: User, days_ago: int, cramps: int = 0, **episode) -> Night:
    """Log the night `days_ago` nights before TODAY, with `cramps` cramps at 23:00, 23:01..."""
    day = TODAY - timedelta(days=days_ago)
    logged, _ = Night.objects.get_or_create(user=user, date=day)
    for n in range(cramps):
        started_at = local_moment(day, time(23, n), user.tzinfo)
        CrampEpisode.objects.create(night=logged, started_at=started_at, **episode)
    return logged


def day(user: User, days_ago: int, **factors) -> DayFactors:
    return DayFactors.objects.create(user=user, date=TODAY - timedelta(days=days_ago), **factors)


def nights_after(user: User, first: int, count: int, *, cramps: bool, **factors) -> int:
    """`count` logged nights from `first` nights ago, each after a day with `factors`."""
    for days_ago in range(first, first + count):
        night(user, days_ago, cramps=1 if cramps else 0)
        day(user, days_ago, **factors)
    return first + count


def rule(user: User, name: str) -> tips.Finding | None:
    return getattr(tips, name)(recent_journal(user, TODAY))


def answers(user: User, answered_on: date = TODAY, **yes) -> RedFlagChecklist:
    values = {name: "no" for name in tips.checklist.EXPLAINED_BY} | yes
    return RedFlagChecklist.objects.create(user=user, answered_on=answered_on, **values)


# --- Fluids under target --------------------------------------------------------------------


def fluids_journal(user: User) -> None:
    """6 of 8 cramp nights under the 2,000 ml target; 2 of 12 nights without cramps."""
    n = nights_after(user, 1, 6, cramps=True, fluids_ml=1200)
    n = nights_after(user, n, 2, cramps=True, fluids_ml=2500)
    n = nights_after(user, n, 2, cramps=False, fluids_ml=1200)
    nights_after(user, n, 10, cramps=False, fluids_ml=2500)


def test_fluids_rule_fires_when_cramp_nights_follow_days_under_target(alice):
    fluids_journal(alice)
    finding = rule(alice, "fluids_under_target")
    assert finding.item_id == "tip-fluids"
    assert finding.reason == (
        "You logged under your fluid target (2,000 ml) on 6 of the 8 nights with cramps in the "
        "last 8 weeks, against 2 of the 12 nights without."
    )


def test_fluids_rule_speaks_the_users_unit(alice):
    alice.fluid_unit, alice.fluid_target_ml = "floz", 2000
    alice.save()
    fluids_journal(alice)
    assert "(67.6 fl oz)" in rule(alice, "fluids_under_target").reason


def test_fluids_rule_is_silent_when_nights_without_cramps_are_as_often_under(alice):
    n = nights_after(alice, 1, 4, cramps=True, fluids_ml=1200)
    n = nights_after(alice, n, 4, cramps=True, fluids_ml=2500)
    n = nights_after(alice, n, 6, cramps=False, fluids_ml=1200)
    nights_after(alice, n, 6, cramps=False, fluids_ml=2500)
    assert rule(alice, "fluids_under_target") is None


def test_fluids_rule_is_silent_with_too_few_cramp_nights_or_no_fluids_logged(alice):
    n = nights_after(alice, 1, 3, cramps=True, fluids_ml=1000)
    n = nights_after(alice, n, 10, cramps=False, fluids_ml=2500)
    nights_after(alice, n, 6, cramps=True)  # cramps, but fluids not logged those days
    assert rule(alice, "fluids_under_target") is None


def test_a_user_with_fluid_restriction_never_gets_a_drink_more_tip(alice, monkeypatch):
    fluids_journal(alice)
    assert [tip.item.id for tip in tips_for(alice, TODAY)] == ["tip-fluids", "tip-bedtime-stretch"]
    alice.fluid_restricted = True
    alice.save()
    assert rule(alice, "fluids_under_target") is None
    assert [tip.item.id for tip in tips_for(alice, TODAY)] == ["tip-bedtime-stretch"]

    # Even a rule that picked a drink-more item would be overruled for them.
    def picks_sports_drinks(journal):
        return tips.Finding("tip-electrolyte-drinks", "Because.")

    monkeypatch.setattr(tips, "TIP_RULES", (picks_sports_drinks,))
    assert tips.choose_tips(recent_journal(alice, TODAY)) == []


# --- Long standing, hard exercise, alcohol ----------------------------------------------------


def test_long_standing_rule_fires_when_cramps_follow_long_days_on_your_feet(alice):
    n = nights_after(alice, 1, 4, cramps=True, hours_on_feet=Decimal(9))
    n = nights_after(alice, n, 1, cramps=False, hours_on_feet=Decimal(10))
    n = nights_after(alice, n, 2, cramps=True, hours_on_feet=Decimal(4))
    nights_after(alice, n, 8, cramps=False, hours_on_feet=Decimal(3))
    finding = rule(alice, "long_standing")
    assert finding.item_id == "tip-pace-activity"
    assert finding.reason == (
        "You had cramps on 4 of the 5 nights after 8 or more hours on your feet, against 2 of the "
        "10 other nights, in the last 8 weeks."
    )


def test_long_standing_rule_is_silent_when_rates_are_alike_or_data_is_thin(alice, bob):
    n = nights_after(alice, 1, 3, cramps=True, hours_on_feet=Decimal(9))
    n = nights_after(alice, n, 3, cramps=False, hours_on_feet=Decimal(9))
    n = nights_after(alice, n, 5, cramps=True, hours_on_feet=Decimal(3))
    nights_after(alice, n, 5, cramps=False, hours_on_feet=Decimal(3))
    assert rule(alice, "long_standing") is None  # 50% against 50%
    n = nights_after(bob, 1, 3, cramps=True, hours_on_feet=Decimal(9))
    nights_after(bob, n, 10, cramps=False, hours_on_feet=Decimal(3))
    assert rule(bob, "long_standing") is None  # only 3 long days


def exercise_day(user: User, days_ago: int, cramps: bool, **session) -> None:
    night(user, days_ago, cramps=1 if cramps else 0)
    logged = day(user, days_ago)
    if session:
        ExerciseSession.objects.create(day=logged, **session)


def test_hard_exercise_rule_fires_after_vigorous_or_long_exercise(alice):
    for days_ago in (1, 2, 3):
        exercise_day(alice, days_ago, True, kind="running", minutes=30, intensity="vigorous")
    exercise_day(alice, 4, True, kind="walking", minutes=75, intensity="light")
    exercise_day(alice, 5, False, kind="cycling", minutes=60, intensity="moderate")
    for days_ago in range(6, 16):
        exercise_day(alice, days_ago, days_ago == 6)
    finding = rule(alice, "hard_exercise")
    assert finding.item_id == "tip-pace-activity"
    assert "on 4 of the 5 nights after vigorous exercise or 60 minutes or more" in finding.reason
    assert "against 1 of the 10 other nights" in finding.reason


def test_hard_exercise_rule_is_silent_after_light_exercise_or_none(alice):
    for days_ago in range(1, 6):
        exercise_day(alice, days_ago, True, kind="walking", minutes=30, intensity="light")
    for days_ago in range(6, 16):
        exercise_day(alice, days_ago, False)
    assert rule(alice, "hard_exercise") is None


def test_alcohol_rule_fires_when_cramps_follow_drinking_days(alice):
    n = nights_after(alice, 1, 4, cramps=True, alcohol_units=Decimal(3))
    n = nights_after(alice, n, 2, cramps=False, alcohol_units=Decimal(2))
    n = nights_after(alice, n, 2, cramps=True, alcohol_units=Decimal(0))
    nights_after(alice, n, 10, cramps=False, alcohol_units=Decimal(0))
    finding = rule(alice, "alcohol")
    assert finding.item_id == "cause-alcohol"
    assert "on 4 of the 6 nights after drinking alcohol, against 2 of the 12" in finding.reason


def test_alcohol_rule_is_silent_when_drinking_days_are_no_worse(alice):
    n = nights_after(alice, 1, 2, cramps=True, alcohol_units=Decimal(3))
    n = nights_after(alice, n, 6, cramps=False, alcohol_units=Decimal(3))
    n = nights_after(alice, n, 4, cramps=True, alcohol_units=Decimal(0))
    nights_after(alice, n, 8, cramps=False)  # alcohol not recorded: left out
    assert rule(alice, "alcohol") is None


# --- The user's own factors and notes: bedding, pointed feet ---------------------------------


def yes_no_factor(user: User, name: str, values: dict[int, tuple[bool, bool]]) -> None:
    """For each days_ago: (cramps that night, the factor's answer that day)."""
    factor = CustomFactor.objects.create(user=user, name=name, kind=FactorKind.YES_NO)
    for days_ago, (cramps, yes) in values.items():
        night(user, days_ago, cramps=1 if cramps else 0)
        logged = day(user, days_ago)
        CustomFactorValue.objects.create(day=logged, factor=factor, yes=yes)


def test_tight_bedding_rule_fires_when_cramp_nights_mostly_had_tight_sheets(alice):
    values = {1: (True, True), 2: (True, True), 3: (True, True), 4: (True, False)}
    yes_no_factor(alice, "Tight bedsheets", values | {5: (False, False), 6: (False, True)})
    finding = rule(alice, "tight_bedding")
    assert finding.item_id == "tip-loose-bedding"
    assert finding.reason == (
        "“Tight bedsheets” was yes on 3 of the 4 nights with cramps where you recorded it, in "
        "the last 8 weeks."
    )


def test_tight_bedding_rule_is_silent_when_mostly_no_or_for_another_factor(alice, bob):
    values = {n: (True, n == 1) for n in range(1, 6)}
    yes_no_factor(alice, "Tight bedsheets", values)
    assert rule(alice, "tight_bedding") is None
    yes_no_factor(bob, "Bananas", {n: (True, True) for n in range(1, 6)})
    assert rule(bob, "tight_bedding") is None


def test_pointed_feet_rule_fires_from_a_factor_or_from_cramp_notes(alice, bob):
    yes_no_factor(alice, "Slept with toes pointed", {n: (True, True) for n in range(1, 4)})
    assert rule(alice, "pointed_feet").item_id == "tip-sleep-position"
    for days_ago in (1, 2, 3):
        night(bob, days_ago, cramps=1, notes="Pointed my toes while turning over.")
    night(bob, 4, cramps=1, notes="Woke from a dream with it.")
    night(bob, 5, cramps=1)  # no notes: not counted
    finding = rule(bob, "pointed_feet")
    assert finding.item_id == "tip-sleep-position"
    assert "pointed toes or feet for 3 of the 4 cramps you wrote notes about" in finding.reason


def test_pointed_feet_rule_is_silent_when_notes_rarely_mention_it(alice):
    night(alice, 1, cramps=1, notes="Pointed my toes while turning over.")
    for days_ago in (2, 3, 4, 5):
        night(alice, days_ago, cramps=1, notes="Calf rock hard, had to stand on the cold floor.")
    assert rule(alice, "pointed_feet") is None


# --- Bedtime stretching ------------------------------------------------------------------------


def test_no_stretching_rule_fires_with_recent_cramps_and_no_stretching_logged(alice):
    for days_ago in (1, 5, 9):
        night(alice, days_ago, cramps=1)
    exercise_day(alice, 12, False, kind="walking", minutes=30)
    finding = rule(alice, "no_bedtime_stretching")
    assert finding.item_id == "tip-bedtime-stretch"
    assert finding.reason == (
        "You logged cramps on 3 nights in the last 4 weeks, and no stretching or yoga sessions."
    )


def test_no_stretching_rule_is_silent_when_stretching_is_logged_or_cramps_are_rare(alice, bob):
    for days_ago in (1, 5, 9):
        night(alice, days_ago, cramps=1)
    exercise_day(alice, 20, False, kind="stretching", minutes=10, intensity="light")
    assert rule(alice, "no_bedtime_stretching") is None
    night(bob, 1, cramps=2)
    night(bob, 30, cramps=1)  # outside the last 4 weeks
    night(bob, 40, cramps=1)
    assert rule(bob, "no_bedtime_stretching") is None


# --- A new medicine linked to cramps ---------------------------------------------------------


def medication(user: User, started_days_ago: int, **fields) -> Medication:
    values = {"name": "Atorvastatin", "drug_class": "statin"} | fields
    started_on = TODAY - timedelta(days=started_days_ago)
    return Medication.objects.create(user=user, started_on=started_on, **values)


def test_medication_rule_fires_for_a_recent_linked_medicine_and_says_discuss(alice):
    medication(alice, 30)
    night(alice, 10, cramps=1)
    night(alice, 40, cramps=1)  # before the start: not counted
    finding = rule(alice, "new_linked_medication")
    assert finding.item_id == "med-statins"
    assert finding.reason.startswith(
        "You started Atorvastatin (statin) on Sunday 8 February 2026 and have logged cramps on "
        "1 night since."
    )
    assert "discuss it with your doctor" in finding.reason
    assert "don’t stop or change it" in finding.reason
    assert not advises_stopping_medicine(finding.reason)


def test_medication_rule_points_to_the_item_of_the_medicines_class(alice):
    medication(alice, 100, name="Bendroflumethiazide", drug_class="thiazide_diuretic")
    night(alice, 3, cramps=1)
    finding = rule(alice, "new_linked_medication")
    assert finding.item_id == "med-diuretics"
    assert "(thiazide or thiazide-like diuretic)" in finding.reason
    assert "in the last 8 weeks" in finding.reason  # started before the window


@pytest.mark.parametrize(
    "fields",
    [
        {"started_days_ago": 30, "drug_class": "other"},  # not linked to cramps
        {"started_days_ago": 300},  # too long ago
        {"started_days_ago": 30, "stopped_on": TODAY - timedelta(days=2)},  # stopped
    ],
)
def test_medication_rule_is_silent_for_unlinked_old_or_stopped_medicines(alice, fields):
    medication(alice, fields.pop("started_days_ago"), **fields)
    night(alice, 1, cramps=1)
    assert rule(alice, "new_linked_medication") is None


def test_medication_rule_is_silent_without_cramps_since_the_start(alice):
    medication(alice, 10)
    night(alice, 20, cramps=2)
    night(alice, 3)
    assert rule(alice, "new_linked_medication") is None


# --- Choosing: priority, at most three, one per item, the user's own data -----------------


def test_at_most_three_tips_in_priority_order_one_per_item(alice):
    medication(alice, 20)
    for days_ago in range(1, 6):  # long standing and vigorous exercise: the same item
        night(alice, days_ago, cramps=1)
        logged = day(alice, days_ago, hours_on_feet=Decimal(9), fluids_ml=1000)
        ExerciseSession.objects.create(day=logged, kind="running", minutes=90, intensity="vigorous")
    for days_ago in range(6, 16):
        night(alice, days_ago)
        day(alice, days_ago, hours_on_feet=Decimal(2), fluids_ml=2600)
    chosen = tips_for(alice, TODAY)
    assert [(tip.rule, tip.item.id) for tip in chosen] == [
        ("new_linked_medication", "med-statins"),
        ("fluids_under_target", "tip-fluids"),
        ("long_standing", "tip-pace-activity"),
    ]
    assert all(tip.reason for tip in chosen)


def test_tips_come_from_the_users_own_journal_only(alice, bob):
    fluids_journal(alice)
    medication(alice, 20)
    answers(alice, swelling="yes")
    assert tips_for(alice, TODAY)
    assert tips_for(bob, TODAY) == []
    assert red_flags_for(bob, TODAY) == []


def test_the_queries_do_not_grow_with_the_history(alice, bob, django_assert_num_queries):
    night(alice, 1, cramps=1)
    with django_assert_num_queries(8):
        learn_panel(alice, TODAY)
    factor = CustomFactor.objects.create(user=bob, name="Tight sheets")
    for days_ago in range(0, 400):
        logged = day(bob, days_ago, fluids_ml=1500, alcohol_units=Decimal(1))
        ExerciseSession.objects.create(day=logged, kind="walking", minutes=20)
        CustomFactorValue.objects.create(day=logged, factor=factor, yes=days_ago % 2 == 0)
        night(bob, days_ago, cramps=days_ago % 3, duration_seconds=700)
    medication(bob, 20)
    answers(bob, numbness="yes")
    answers(bob, answered_on=TODAY - timedelta(days=30))
    with django_assert_num_queries(8):
        panel = learn_panel(bob, TODAY)
    assert panel.tips and panel.red_flags


# --- Red flags ---------------------------------------------------------------------------------


def test_a_cramp_over_ten_minutes_in_the_last_four_weeks_is_a_red_flag(alice):
    night(alice, 3, cramps=1, duration_seconds=14 * 60 + 5)
    flags = red_flags_for(alice, TODAY)
    assert [(f.rule, f.item.id) for f in flags] == [("long_cramp", "doctor-long-cramp")]
    assert flags[0].reason == "A cramp on the night of Saturday 7 March 2026 lasted 14 min 5 s."


def test_several_long_cramps_name_the_longest(alice):
    night(alice, 3, cramps=1, duration_seconds=11 * 60)
    night(alice, 5, cramps=1, duration_seconds=25 * 60)
    (flag,) = red_flags_for(alice, TODAY)
    assert flag.reason == (
        "2 cramps in the last 4 weeks lasted more than 10 minutes; the longest, on the night of "
        "Thursday 5 March 2026, lasted 25 min."
    )


def test_ten_minutes_exactly_or_a_long_cramp_long_ago_is_not_a_red_flag(alice):
    night(alice, 3, cramps=1, duration_seconds=600)
    night(alice, 40, cramps=1, duration_seconds=1500)
    assert red_flags_for(alice, TODAY) == []


def frequency_journal(user: User, previous_cramp_nights: int, recent_cramp_nights: int) -> None:
    """12 logged nights in each 4-week period, with the given number of cramp nights."""
    for i in range(12):
        night(user, 1 + 2 * i, cramps=1 if i < recent_cramp_nights else 0)
        night(user, 29 + 2 * i, cramps=1 if i < previous_cramp_nights else 0)


def test_cramps_at_least_doubling_month_over_month_is_a_red_flag(alice):
    frequency_journal(alice, previous_cramp_nights=2, recent_cramp_nights=5)
    (flag,) = red_flags_for(alice, TODAY)
    assert (flag.rule, flag.item.id) == ("rising_frequency", "doctor-frequent-or-severe")
    assert flag.reason == (
        "Your cramps are clearly more frequent: cramps on 5 of the 12 nights you logged in the "
        "last 4 weeks (2.9 a week), against 2 of 12 in the 4 weeks before (1.2 a week)."
    )


@pytest.mark.parametrize(
    ("previous", "recent"),
    [(3, 5), (0, 3)],  # under double; a rise from none, but too few cramp nights
)
def test_a_smaller_rise_is_not_a_red_flag(alice, previous, recent):
    frequency_journal(alice, previous, recent)
    assert red_flags_for(alice, TODAY) == []


def test_a_rise_with_too_few_logged_nights_is_not_a_red_flag(alice):
    for days_ago in range(1, 9):  # 8 logged nights recently, all with cramps
        night(alice, days_ago, cramps=1)
    for days_ago in range(29, 45):
        night(alice, days_ago)
    assert red_flags_for(alice, TODAY) == []


def test_yes_answers_on_the_latest_checklist_are_a_red_flag(alice):
    answers(alice, pain_walking="yes", swelling="yes", numbness="not_sure")
    (flag,) = red_flags_for(alice, TODAY)
    assert (flag.rule, flag.item.id) == ("checklist_answers", "doctor-swelling")
    assert flag.reason == (
        "On your red-flag checklist of Tuesday 10 March 2026 you answered yes to: a swollen, red "
        "or warm calf; calf pain when walking."
    )


def test_only_the_latest_checklist_counts(alice):
    answers(alice, answered_on=TODAY - timedelta(days=20), swelling="yes")
    answers(alice, numbness="not_sure")
    assert red_flags_for(alice, TODAY) == []


# --- The partial ---------------------------------------------------------------------------


def test_the_tips_partial_shows_each_tip_with_its_reason_and_the_red_flags(alice):
    fluids_journal(alice)
    night(alice, 2, cramps=1, duration_seconds=700)
    panel = learn_panel(alice, TODAY)
    html = render_to_string(
        "learn/tips_panel.html", {"tips": panel.tips, "red_flags": panel.red_flags}
    )
    assert "Tips from your journal" in html
    assert "Drink enough through the day" in html
    assert "on 6 of the 8 nights with cramps" in html
    assert 'href="/learn/prevention/#tip-fluids"' in html
    assert "Evidence: Commonly recommended; no trial evidence" in html
    assert "Worth seeing a doctor" in html
    assert "lasted 11 min 40 s" in html
    assert 'href="/learn/see-a-doctor/#doctor-long-cramp"' in html
    assert ' style="' not in html and "<script" not in html


def test_the_tips_partial_renders_nothing_without_tips_or_red_flags():
    assert render_to_string("learn/tips_panel.html", {"tips": [], "red_flags": []}).strip() == ""
