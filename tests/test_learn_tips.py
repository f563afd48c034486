"""The tip and red-flag rules of journal/learn/tips.py, each when it fires and when it must stay
silent, on journals built with the ORM; the query budget; and the tips partial. The factor
tips (fluids, long standing, hard exercise, alcohol) follow the factor page's decision over
its last 3 months, and quote its numbers."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

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
from tests.conftest import london

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


# --- The factor tips: only what the factor page claims ---------------------------------------


def factor_journal(user: User, with_factor: dict, without: dict, counts) -> None:
    """Nights from last night back, in the factor page's last 3 months (69 nights to 1 Jan).

    `counts` is ((cramp nights, nights) with the factor, (cramp nights, nights) without);
    alcohol alternates on the nights without a value of their own, going with nothing, so
    the page has a second comparison to allow for.
    """
    (cramps_with, nights_with), (cramps_without, nights_without) = counts
    days_ago = 1
    for factors_of_day, cramp_nights, nights in (
        (with_factor, cramps_with, nights_with),
        (without, cramps_without, nights_without),
    ):
        for i in range(nights):
            night(user, days_ago, cramps=int(i < cramp_nights))
            values = {"alcohol_units": Decimal(days_ago % 2)} | factors_of_day
            day(user, days_ago, **values)
            days_ago += 1
    assert days_ago - 1 <= 69, "all in the factor page's last 3 months"


def fluids_journal(user: User) -> None:
    """Cramps on 16 of 20 nights under the 2,000 ml target, and on 6 of 40 above it."""
    factor_journal(user, {"fluids_ml": 1200}, {"fluids_ml": 2500}, ((16, 20), (6, 40)))


def factor_page_row(client, label: str):
    """The factor page's result for `label` over its last 3 months, as the page shows it."""
    response = client.get(reverse("factor_analysis"), {"range": "3m"})
    (row,) = (r for r in response.context["results"] if r.factor.label == label)
    return row, response.content.decode()


@pytest.fixture
def on_today(alice_client, freeze_now):
    """Alice's client, at 9 a.m. after the night of TODAY."""
    freeze_now(london(TODAY + timedelta(days=1), 9))
    return alice_client


def test_fluids_tip_quotes_the_factor_pages_claim_and_numbers(alice, on_today):
    fluids_journal(alice)
    finding = rule(alice, "fluids_under_target")
    assert finding.item_id == "tip-fluids"
    assert finding.reason == (
        "On the factor page for the last 3 months, “Fluids under your daily target (2,000 ml)” "
        "stands out: cramps on 16 of 20 (80%) nights with it, against 6 of 40 (15%) without. "
        "That is unlikely to be chance, even allowing for the page’s 2 comparisons."
    )
    row, html = factor_page_row(on_today, "Fluids under your daily target (2,000 ml)")
    assert row.claimed and row.comparisons == 2
    assert (row.with_text, row.without_text) == ("16 of 20 (80%)", "6 of 40 (15%)")
    assert "16 of 20 (80%)" in html and "6 of 40 (15%)" in html
    assert finding.factor_range == "3m"


def test_fluids_tip_speaks_the_users_unit(alice):
    alice.fluid_unit, alice.fluid_target_ml = "floz", 2000
    alice.save()
    fluids_journal(alice)
    assert (
        "“Fluids under your daily target (67.6 fl oz)”" in rule(alice, "fluids_under_target").reason
    )


def test_a_user_with_fluid_restriction_never_gets_a_drink_more_tip(alice, monkeypatch):
    fluids_journal(alice)
    assert [tip.item.id for tip in tips_for(alice, TODAY)] == ["tip-fluids"]
    alice.fluid_restricted = True
    alice.save()
    assert rule(alice, "fluids_under_target") is None
    assert tips_for(alice, TODAY) == []

    # Even a rule that picked a drink-more item would be overruled for them.
    def picks_sports_drinks(journal):
        return tips.Finding("tip-electrolyte-drinks", "Because.")

    monkeypatch.setattr(tips, "TIP_RULES", (picks_sports_drinks,))
    assert tips.choose_tips(recent_journal(alice, TODAY)) == []


@pytest.mark.parametrize(
    ("rule_name", "with_factor", "without"),
    [
        ("long_standing", {"hours_on_feet": Decimal(9)}, {"hours_on_feet": Decimal(3)}),
        ("alcohol", {"alcohol_units": Decimal(3)}, {"alcohol_units": Decimal(0)}),
        ("fluids_under_target", {"fluids_ml": 1000}, {"fluids_ml": 2500}),
    ],
)
def test_the_issues_small_differences_give_no_factor_tip(
    alice, bob, rule_name, with_factor, without
):
    # "3 of 4 against 1 of 4": the factor page asks for 6 more nights in each group.
    factor_journal(alice, with_factor, without, ((3, 4), (1, 4)))
    assert rule(alice, rule_name) is None
    # "4 of 10 against 8 of 40": RR 2.0 (0.75 to 5.33) on the page, well within chance.
    factor_journal(bob, with_factor, without, ((4, 10), (8, 40)))
    assert rule(bob, rule_name) is None


def test_long_standing_tip_when_the_page_claims_it(alice, on_today):
    factor_journal(
        alice, {"hours_on_feet": Decimal(8)}, {"hours_on_feet": Decimal("7.9")}, ((12, 15), (8, 45))
    )
    finding = rule(alice, "long_standing")
    assert finding.item_id == "tip-pace-activity"
    assert "“8 hours or more on your feet” stands out: cramps on 12 of 15 (80%) nights" in (
        finding.reason
    )
    row, _html = factor_page_row(on_today, "8 hours or more on your feet")
    assert f"against {row.without_text} without" in finding.reason


def exercise_day(user: User, days_ago: int, cramps: bool, **session) -> None:
    night(user, days_ago, cramps=1 if cramps else 0)
    logged = day(user, days_ago, no_exercise=not session)
    if session:
        ExerciseSession.objects.create(day=logged, **session)


def test_hard_exercise_tip_after_vigorous_exercise_the_page_claims(alice):
    for days_ago in range(1, 13):  # cramps on 10 of 12 nights after vigorous exercise
        exercise_day(
            alice, days_ago, days_ago <= 10, kind="running", minutes=30, intensity="vigorous"
        )
    for days_ago in range(13, 61):  # and on 6 of 48 after none
        exercise_day(alice, days_ago, days_ago % 8 == 0)
    finding = rule(alice, "hard_exercise")
    assert finding.item_id == "tip-pace-activity"
    assert "“Vigorous exercise” stands out: cramps on 10 of 12 (83%) nights with it" in (
        finding.reason
    )


def test_hard_exercise_tip_is_silent_when_exercise_is_not_recorded(alice):
    # The same cramps, but the days without sessions say nothing about exercise: the 48
    # nights are not "without vigorous exercise", so there is nothing to compare with.
    for days_ago in range(1, 13):
        exercise_day(
            alice, days_ago, days_ago <= 10, kind="running", minutes=30, intensity="vigorous"
        )
    for days_ago in range(13, 61):
        night(alice, days_ago, cramps=int(days_ago % 8 == 0))
        day(alice, days_ago)
    assert rule(alice, "hard_exercise") is None


def test_alcohol_tip_only_for_more_cramps_not_fewer(alice, bob):
    factor_journal(
        alice, {"alcohol_units": Decimal(2)}, {"alcohol_units": Decimal(0)}, ((14, 20), (5, 40))
    )
    assert rule(alice, "alcohol").item_id == "cause-alcohol"
    factor_journal(
        bob, {"alcohol_units": Decimal(2)}, {"alcohol_units": Decimal(0)}, ((1, 20), (25, 40))
    )
    journal = recent_journal(bob, TODAY)
    assert journal.findings["alcohol"].claimed  # fewer cramp nights with it, claimed...
    assert tips.alcohol(journal) is None  # ...but that is no reason for this tip


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
    exercise_day(alice, 13, False)  # "no exercise that day"
    finding = rule(alice, "no_bedtime_stretching")
    assert finding.item_id == "tip-bedtime-stretch"
    assert finding.reason == (
        "You logged cramps on 3 nights in the last 4 weeks, and no stretching or yoga on any of "
        "the 2 days you recorded exercise."
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


def test_no_stretching_rule_is_silent_when_exercise_was_not_recorded(alice):
    for days_ago in (1, 5, 9):
        night(alice, days_ago, cramps=1)
        day(alice, days_ago, fluids_ml=2000)  # a day logged, but nothing said about exercise
    assert rule(alice, "no_bedtime_stretching") is None


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
    for days_ago in range(1, 21):  # long standing and vigorous exercise: the same item
        night(alice, days_ago, cramps=1)
        logged = day(alice, days_ago, hours_on_feet=Decimal(9), fluids_ml=1000)
        ExerciseSession.objects.create(day=logged, kind="running", minutes=90, intensity="vigorous")
    for days_ago in range(21, 61):
        night(alice, days_ago, cramps=int(days_ago % 10 == 0))
        day(alice, days_ago, hours_on_feet=Decimal(2), fluids_ml=2600, no_exercise=True)
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
    with django_assert_num_queries(9):
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
    with django_assert_num_queries(9):
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
    assert "cramps on 16 of 20 (80%) nights with it" in html
    assert 'href="/trends/factors/?range=3m">See the factor page</a>' in html
    assert 'href="/learn/prevention/#tip-fluids"' in html
    assert "Evidence: Commonly recommended; no trial evidence" in html
    assert "Worth seeing a doctor" in html
    assert "lasted 11 min 40 s" in html
    assert 'href="/learn/see-a-doctor/#doctor-long-cramp"' in html
    assert ' style="' not in html and "<script" not in html


def test_the_tips_partial_renders_nothing_without_tips_or_red_flags():
    assert render_to_string("learn/tips_panel.html", {"tips": [], "red_flags": []}).strip() == ""
