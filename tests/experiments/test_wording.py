"""An experiment's result in words (journal/experiments/wording.py)."""

from datetime import date

import pytest

from journal.experiments.analysis import Adherence, Analysis, Arm, Effect, Result, Verdict
from journal.experiments.wording import change_in_words, counts, verdict_in_words


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (0.25, "a 75% reduction"),
        (0.11, "an 89% reduction"),
        (0.2, "an 80% reduction"),
        (1.18, "an 18% increase"),
        (1.11, "an 11% increase"),
        (1.3, "a 30% increase"),
        (0.996, "no change"),
        (1.994, "a 99% increase"),
        (2.5, "a 2.5-fold increase"),
        (44.24, "a 44-fold increase"),
    ],
)
def test_a_ratio_as_a_change(ratio, words):
    assert change_in_words(ratio) == words


def result(verdict: Verdict, probability_helps: float, change_nights: int = 22) -> Result:
    change = Arm(nights=change_nights, cramp_nights=4, cramps=5, worst_pains=(4,))
    usual = Arm(nights=23, cramp_nights=11, cramps=14, worst_pains=(6,))
    analysis = Analysis(change, usual, Effect(0.4, 0.25, 0.9, probability_helps, 1.4, 13))
    return Result(
        through=date(2027, 2, 28),
        finished=verdict != Verdict.TOO_EARLY,
        scheduled_nights=56,
        washout_nights=12,
        not_logged_nights=3,
        adherence=Adherence(answered=41, followed=38, unanswered=0),
        as_treated=analysis,
        intention_to_treat=analysis,
        verdict=verdict,
    )


def test_the_counts_come_first():
    assert counts(result(Verdict.HELPS, 0.97).as_treated, "Stretching nights") == (
        "On stretching nights you had cramps on 4 of 22 nights, against 11 of 23 on your usual "
        "nights."
    )


def test_with_no_nights_of_one_kind_yet_the_counts_say_so():
    empty = Arm(nights=0, cramp_nights=0, cramps=0, worst_pains=())
    usual = Arm(nights=5, cramp_nights=3, cramps=4, worst_pains=())
    assert counts(Analysis(empty, usual, None), "Stretching nights") == (
        "No stretching nights analysed; on your usual nights you had cramps on 3 of 5."
    )
    assert counts(Analysis(usual, empty, None), "Stretching nights") == (
        "No usual nights analysed; on stretching nights you had cramps on 3 of 5."
    )
    assert counts(Analysis(empty, empty, None), "Stretching nights") == (
        "No stretching nights analysed."
    )


def test_each_verdict_in_words():
    name = "Stretching before bed"
    assert verdict_in_words(result(Verdict.HELPS, 0.9712), name) == (
        "It is likely (97%) that stretching before bed helps you; the data fit anything from a "
        "75% reduction to a 10% reduction in nights with cramps."
    )
    assert verdict_in_words(result(Verdict.WORSE, 0.03), name).startswith(
        "Cramp nights were likely more common with stretching before bed (97%); "
    )
    assert verdict_in_words(result(Verdict.NO_CLEAR_DIFFERENCE, 0.9499), name).startswith(
        "No clear difference: the chance that stretching before bed helps you is 94%, and "
    )
    assert verdict_in_words(result(Verdict.TOO_EARLY, 0.99), name).startswith(
        "Too early to tell: 45 nights analysed."
    )
    assert verdict_in_words(result(Verdict.TOO_FEW_NIGHTS, 0.99, 7), name) == (
        "Not enough nights to tell: each kind of night needs 10 analysed, and one has 7."
    )
