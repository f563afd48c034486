"""Findings in plain words on the factor page: the same claim decision, its ratio in words, the
counts and the honest caveat; nothing for a factor that is not claimed."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from journal.analysis import factors
from journal.analysis.factors import ratio_words
from journal.analysis.loading import NightRecord
from journal.models import CrampEpisode, DayFactors, Medication, Night
from tests.conftest import html_of, london
from tests.test_factor_claims import claims, simulated_journal
from tests.test_factor_rules import SPECS_NO_MEDS, alcohol_journal

CAVEAT = "This does not show that it causes them; discuss it with your doctor."


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (1.0, "slightly more common"),
        (1.04, "slightly more common"),
        (1.05, "about 1.1 times as common"),
        (1.26, "about 1.3 times as common"),
        (1.5, "about 1.5 times as common"),
        (1.89, "about 1.9 times as common"),
        (1.9, "about twice as common"),
        (2.49, "about twice as common"),
        (2.5, "about 3 times as common"),
        (7.4, "about 7 times as common"),
        (0.98, "slightly less common"),
        (0.9, "about 10% less common"),
        (0.7, "about 30% less common"),
        (0.68, "about 30% less common"),
        (0.61, "about 40% less common"),
        (0.6, "about half as common"),
        (0.45, "about half as common"),
        (0.36, "about a third as common"),
        (0.27, "about a quarter as common"),
        (0.21, "about a fifth as common"),
        (0.15, "less than a fifth as common"),
    ],
)
def test_a_ratio_in_words(ratio, words):
    assert ratio_words(ratio) == words


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan")])
def test_a_ratio_in_words_must_be_a_positive_number(bad):
    with pytest.raises(ValueError, match="A ratio in words must be a positive number, not"):
        ratio_words(bad)


def test_a_claimed_factor_is_written_in_words_with_its_counts_and_the_caveat():
    # Alcohol alone: 15 of 30 nights against 18 of 70, RR 1.94, claimed (test_factor_rules).
    nights, days = alcohol_journal(hours=False)
    (alcohol,) = (
        r for r in factors.factor_findings(nights, days, SPECS_NO_MEDS) if r.factor.key == "alcohol"
    )
    assert alcohol.claimed
    assert alcohol.in_words == (
        "Cramp nights were about twice as common after days with any alcohol: cramps on 15 of "
        "those 30 nights (50%), against 18 of the other 70 (26%). " + CAVEAT
    )
    # With the hours recorded too, the same difference is not claimed: no words for it.
    nights, days = alcohol_journal(hours=True)
    results = factors.factor_findings(nights, days, SPECS_NO_MEDS)
    assert [r.in_words for r in results] == [""] * len(results)


def test_planted_effects_are_written_as_found_and_nothing_else_is():
    found = 0
    for seed in range(10):
        journal = simulated_journal(
            random.Random(f"planted/on_feet/{seed}"), planted="on_feet", risk_ratio=2.5
        )
        findings = factors.factor_findings(journal.nights, journal.days, journal.factors)
        for result in findings:
            assert bool(result.in_words) == result.claimed  # the one decision
        for result in claims(journal):
            if result.factor.key == "on_feet":
                found += 1
                words = ratio_words(result.comparison.risk_ratio)
                assert result.in_words.startswith(
                    f"Cramp nights were {words} after days on your feet 8 hours or more: "
                )
                assert words.endswith("as common") and "less" not in words
                assert result.in_words.endswith(CAVEAT)
    assert found >= 8


def test_a_planted_protective_effect_is_written_as_less_common_and_not_as_prevention():
    found = 0
    for seed in range(10):
        journal = simulated_journal(
            random.Random(f"protective/{seed}"), planted="on_feet", risk_ratio=0.25
        )
        for result in claims(journal):
            if result.factor.key == "on_feet":
                found += 1
                words = ratio_words(result.comparison.risk_ratio)
                assert result.in_words.startswith(f"Cramp nights were {words} after days on")
                assert "times" not in words and "twice" not in words and "more" not in words
                assert result.in_words.endswith(
                    "This does not show that it prevents them; discuss it with your doctor."
                )
    assert found >= 5


def test_journals_with_nothing_planted_have_words_only_for_their_rare_claims():
    # How rare the claims are is test_factor_claims' business; the words follow them exactly.
    tested = 0
    for seed in range(60):
        journal = simulated_journal(random.Random(f"null/{seed}"))
        for result in factors.factor_findings(journal.nights, journal.days, journal.factors):
            assert bool(result.in_words) == result.claimed
            tested += result.adjusted_p is not None
    assert tested > 60 * 5  # many comparisons, and words for almost none


# --- On the page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_factor_page_writes_each_claim_in_words_next_to_its_statistics(
    alice_client, alice, freeze_now
):
    """The alcohol journal of test_factor_rules, saved: alcohol is the only factor recorded."""
    freeze_now(london(date(2026, 4, 20), 9))
    alice_client.force_login(alice)
    for i in range(100):
        day = date(2026, 1, 1) + timedelta(days=i)
        night = Night.objects.create(user=alice, date=day)
        DayFactors.objects.create(user=alice, date=day, alcohol_units=Decimal(2 if i < 30 else 0))
        if i < 15 or 30 <= i < 48:
            CrampEpisode.objects.create(night=night, started_at=london(day, 23))
    html = html_of(alice_client.get(reverse("factor_analysis")))
    assert (
        "Cramp nights were about twice as common after days with any alcohol: cramps on 15 of "
        "those 30 nights (50%), against 18 of the other 70 (26%). " + CAVEAT
    ) in html
    assert "Risk ratio 1.94 (1.14 to 3.32), 95% interval for this factor alone" in html
    assert html.count('class="finding"') == 1


@pytest.mark.django_db
def test_a_medicine_that_goes_with_cramps_is_never_to_be_stopped_on_ones_own(alice):
    statin = Medication.objects.create(
        user=alice, name="Atorvastatin", started_on=date(2026, 1, 31)
    )
    spec = factors.factors_for(alice, [], [statin])[-1]
    assert spec.after == "while you were taking Atorvastatin"
    # Cramps on 5 of the 30 nights before the statin, and on 50 of the 70 since: RR 4.3.
    first = date(2026, 1, 1)
    nights = [
        NightRecord(first + timedelta(days=i), int(i < 5 or 30 <= i < 80), None, None, None)
        for i in range(100)
    ]
    (result,) = (
        r
        for r in factors.factor_findings(nights, {}, [spec])
        if r.factor.key.startswith("medication_")
    )
    assert result.claimed and result.more_common_with_it
    assert result.in_words.startswith("Cramp nights were about 4 times as common while you were")
    assert result.in_words.endswith(
        "discuss it with your doctor, and do not stop a medicine on your own."
    )
