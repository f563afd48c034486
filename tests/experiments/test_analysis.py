"""The analysis of a personal experiment (journal/experiments/analysis.py): counts worked out by
hand on a small journal, the dispersion's arithmetic, the posterior against an exact quadrature,
and the verdict's thresholds."""

import math
from datetime import date, timedelta

import pytest

from journal.experiments import analysis
from journal.experiments.analysis import (
    Adherence,
    Analysis,
    Arm,
    Cell,
    Effect,
    Observation,
    Verdict,
    analyse,
    dispersion,
    ratio_posterior,
)
from journal.experiments.design import Condition, Design, last_night, schedule

# Seed 1 puts the change first: block 1 (change) is 4-10 January, block 2 (usual) 11-17 January,
# the first two nights of each a washout.
DESIGN = Design(start=date(2027, 1, 4), seed=1, block_nights=7, blocks=2, washout_nights=2)


def night(day: int) -> date:
    return date(2027, 1, 4) + timedelta(days=day - 4)


JOURNAL = {
    night(4): Observation(cramps=2, worst_pain=7, did_it=True),  # washout
    night(6): Observation(cramps=1, worst_pain=6, did_it=True),
    night(7): Observation(cramps=0, worst_pain=None, did_it=True),
    # the 8th not logged
    night(9): Observation(cramps=3, worst_pain=8, did_it=False),  # did not stretch
    night(10): Observation(cramps=0, worst_pain=None, did_it=None),  # not answered
    night(13): Observation(cramps=1, worst_pain=None, did_it=False),
    night(14): Observation(cramps=0, worst_pain=None, did_it=False),
    night(15): Observation(cramps=2, worst_pain=4, did_it=True),  # stretched on a usual night
    night(16): Observation(cramps=0, worst_pain=None, did_it=False),
    night(17): Observation(cramps=1, worst_pain=5, did_it=False),
}


def test_the_nights_are_counted_as_worked_out_by_hand():
    result = analyse(DESIGN, JOURNAL, through=night(17))
    assert result.finished
    assert (result.scheduled_nights, result.washout_nights, result.not_logged_nights) == (14, 4, 1)
    assert result.adherence == Adherence(answered=8, followed=6, unanswered=1)
    assert result.adherence.share == 0.75 and result.adherence.low


def test_as_treated_takes_what_was_done_and_leaves_out_unanswered_nights():
    result = analyse(DESIGN, JOURNAL, through=night(17)).as_treated
    assert result.change == Arm(nights=3, cramp_nights=2, cramps=3, worst_pains=(6, 4))
    assert result.usual == Arm(nights=5, cramp_nights=3, cramps=5, worst_pains=(8, 5))
    assert result.change.median_worst_pain == 5 and result.usual.median_worst_pain == 6.5
    assert result.change.cramps_per_night == 1.0
    assert result.usual.cramp_night_share == 0.6


def test_intention_to_treat_takes_every_logged_night_by_its_block():
    result = analyse(DESIGN, JOURNAL, through=night(17)).intention_to_treat
    assert result.change == Arm(nights=4, cramp_nights=2, cramps=4, worst_pains=(6, 8))
    assert result.usual == Arm(nights=5, cramp_nights=3, cramps=4, worst_pains=(4, 5))


def test_a_finished_experiment_with_few_nights_gives_no_verdict():
    assert analyse(DESIGN, JOURNAL, through=night(17)).verdict == Verdict.TOO_FEW_NIGHTS


def test_before_its_last_night_it_is_too_early_and_later_nights_are_not_looked_at():
    early = analyse(DESIGN, JOURNAL, through=night(16))
    assert not early.finished and early.verdict == Verdict.TOO_EARLY
    assert early.scheduled_nights == 13 and early.as_treated.usual.nights == 4
    later = {**JOURNAL, night(17): Observation(cramps=5, worst_pain=9, did_it=True)}
    assert analyse(DESIGN, later, through=night(16)) == early


def test_nights_outside_the_blocks_are_not_part_of_it():
    outside = {
        **JOURNAL,
        night(3): Observation(cramps=4, worst_pain=9, did_it=True),
        night(18): Observation(cramps=4, worst_pain=9, did_it=True),
    }
    result = analyse(DESIGN, outside, through=night(18))
    assert result.as_treated == analyse(DESIGN, JOURNAL, through=night(17)).as_treated
    assert result.scheduled_nights == 14


def test_the_dispersion_is_the_prior_updated_by_pearsons_chi_squared():
    # Shares 2/10 and 6/10 around 8/20: chi-squared (2-4)^2/2.4 + (6-4)^2/2.4 = 10/3, one degree
    # of freedom; prior 4 degrees at scale 1.5: (4 * 1.5 + 10/3) / 5.
    cells = [Cell(Condition.CHANGE, 10, 2), Cell(Condition.CHANGE, 10, 6)]
    phi, degrees = dispersion(cells)
    assert degrees == 5 and phi == pytest.approx((6 + 10 / 3) / 5)


def test_groups_with_no_cramp_night_or_only_cramp_nights_say_nothing_of_the_dispersion():
    cells = [Cell(Condition.USUAL, 10, 0), Cell(Condition.USUAL, 9, 0), Cell(None, 14, 14)]
    assert dispersion(cells) == (1.5, 4)


def test_windows_before_the_start_count_as_their_own_group():
    cells = [Cell(None, 14, 3), Cell(None, 14, 11), Cell(Condition.CHANGE, 10, 5)]
    # Around 14/28: (3-7)^2/3.5 + (11-7)^2/3.5 = 64/7, one degree of freedom.
    assert dispersion(cells) == (pytest.approx((6 + 64 / 7) / 5), 5)


def test_only_windows_at_least_half_logged_inform_the_dispersion():
    design = Design(start=date(2027, 1, 4), seed=1)
    history = {
        date(2027, 1, 3) - timedelta(days=back): Observation(back % 3 == 0, None, None)
        for back in range(14)
    }
    history |= {
        date(2026, 12, 20) - timedelta(days=back): Observation(1, 5, None) for back in range(6)
    }
    assert analysis.cells_before(design, history) == [Cell(None, 14, 5)]
    history[date(2026, 12, 7)] = Observation(0, None, None)  # the second window: 7 of 14 logged
    assert analysis.cells_before(design, history) == [Cell(None, 14, 5), Cell(None, 7, 6)]


def _exact_probability_below(a1: float, b1: float, a2: float, b2: float) -> float:
    """P(X < Y) for X ~ Beta(a1, b1), Y ~ Beta(a2, b2), by quadrature: with x = (1 - cos t) / 2
    the densities' ends are smooth enough for the trapezium rule on a fine grid."""
    steps = 20000

    def density(a: float, b: float, x: float) -> float:
        log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
        return math.exp((a - 1) * math.log(x) + (b - 1) * math.log1p(-x) - log_beta)

    points = [math.pi * (i + 0.5) / steps for i in range(steps)]
    xs = [(1 - math.cos(t)) / 2 for t in points]
    dx = [math.sin(t) / 2 * math.pi / steps for t in points]
    below = 0.0  # running P(X <= x)
    total = 0.0
    for x, width in zip(xs, dx, strict=True):
        step = density(a1, b1, x) * width
        total += density(a2, b2, x) * width * (below + step / 2)
        below += step
    return total


def test_with_the_dispersion_settled_the_probability_is_the_exact_one(monkeypatch):
    # A prior worth a million blocks at scale 1.5 pins the dispersion at 1.5: the probability
    # that the change helps is then P(p_change < p_usual) for two Beta posteriors, each night
    # counting for 1/1.5.
    monkeypatch.setattr(analysis, "DISPERSION_PRIOR_DF", 1_000_000)
    effect = ratio_posterior([Cell(Condition.CHANGE, 20, 5), Cell(Condition.USUAL, 20, 12)])
    assert effect.dispersion == pytest.approx(1.5)
    exact = _exact_probability_below(0.5 + 5 / 1.5, 0.5 + 15 / 1.5, 0.5 + 12 / 1.5, 0.5 + 8 / 1.5)
    assert 0.95 < exact < 0.99
    assert effect.probability_helps == pytest.approx(exact, abs=0.01)  # 4,000 draws
    assert effect.low < effect.ratio < 1 < effect.high


def test_the_same_nights_always_give_the_same_figures():
    cells = [Cell(Condition.CHANGE, 22, 4), Cell(Condition.USUAL, 23, 11)]
    assert ratio_posterior(cells) == ratio_posterior(list(cells))


def test_no_cramp_night_with_the_change_against_many_without_is_a_clear_benefit():
    # The case a normal approximation on the log scale got wrong: 0 of 22 against 18 of 22.
    effect = ratio_posterior([Cell(Condition.CHANGE, 22, 0), Cell(Condition.USUAL, 22, 18)])
    assert effect.high < 0.5 and effect.probability_helps > 0.99


def test_equal_nights_give_a_ratio_of_one_and_even_odds():
    effect = ratio_posterior([Cell(Condition.CHANGE, 20, 8), Cell(Condition.USUAL, 20, 8)])
    assert effect.ratio == pytest.approx(1, abs=0.05)
    assert effect.probability_helps == pytest.approx(0.5, abs=0.03)
    assert effect.low < 1 < effect.high


def test_the_dispersion_is_never_below_one():
    # Eight windows agreeing exactly: chi-squared 0 on 7 degrees of freedom.
    cells = [Cell(None, 14, 7)] * 8
    phi, degrees = dispersion(cells)
    assert degrees == 11 and phi == 1.0  # (6 + 0) / 11 would be 0.55


def _analysis(low: float, high: float, nights: int = 10) -> Analysis:
    arm = Arm(nights=nights, cramp_nights=3, cramps=4, worst_pains=())
    effect = Effect(0.5, low, high, 0.9, 1.5, 6)
    return Analysis(change=arm, usual=arm, effect=effect)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.2, 0.99, Verdict.HELPS),
        (0.2, 1.0, Verdict.NO_CLEAR_DIFFERENCE),
        (0.5, 1.5, Verdict.NO_CLEAR_DIFFERENCE),
        (1.0, 3.0, Verdict.NO_CLEAR_DIFFERENCE),
        (1.01, 3.0, Verdict.WORSE),
    ],
)
def test_the_verdict_needs_the_whole_interval_on_one_side(low, high, expected):
    assert analysis.verdict(_analysis(low, high), finished=True) == expected


def test_no_verdict_before_the_end_or_with_under_ten_nights_in_a_condition():
    assert analysis.verdict(_analysis(0.2, 0.8), finished=False) == Verdict.TOO_EARLY
    assert analysis.verdict(_analysis(0.2, 0.8, nights=9), finished=True) == Verdict.TOO_FEW_NIGHTS
    assert analysis.verdict(_analysis(0.2, 0.8, nights=10), finished=True) == Verdict.HELPS
    empty = Analysis(change=Arm(0, 0, 0, ()), usual=Arm(12, 3, 3, ()), effect=None)
    assert analysis.verdict(empty, finished=True) == Verdict.TOO_FEW_NIGHTS


def test_with_low_adherence_a_claim_needs_intention_to_treat_to_agree():
    # Stretching done on 2 nights in 5 of its blocks, and those happen to be the quiet ones:
    # as treated looks like a clear benefit, by block there is none to see.
    design = Design(start=date(2027, 1, 4), seed=1)
    journal = {}
    for block in schedule(design):
        for number, night in enumerate(block.analysed):
            if block.condition == Condition.CHANGE:
                done = number % 5 < 2
                journal[night] = Observation(cramps=0 if done else 1, worst_pain=None, did_it=done)
            else:
                journal[night] = Observation(
                    cramps=int(number % 10 < 7), worst_pain=None, did_it=False
                )
    result = analyse(design, journal, through=last_night(design))
    assert result.adherence.low
    assert analysis.verdict(result.as_treated, finished=True) == Verdict.HELPS
    assert result.verdict == Verdict.NO_CLEAR_DIFFERENCE
