"""The analysis of a personal experiment (journal/experiments/analysis.py): counts worked out by
hand on a small journal, the dispersion's arithmetic, the posterior's moments against a Monte
Carlo draw, Student's t against its integrated density, and the verdict's thresholds."""

import math
import random
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
    t_cdf,
    t_quantile,
)
from journal.experiments.design import Condition, Design

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


def test_the_posterior_moments_of_the_log_ratio_match_a_monte_carlo_draw():
    cells = [Cell(Condition.CHANGE, 20, 5), Cell(Condition.USUAL, 20, 12)]
    effect = ratio_posterior(cells)
    assert effect.dispersion == 1.5 and effect.degrees_of_freedom == 4
    # Each night counts for 1/1.5: Beta(1/2 + 5/1.5, 1/2 + 15/1.5) against
    # Beta(1/2 + 12/1.5, 1/2 + 8/1.5).
    draw = random.Random(7)
    logs = [
        math.log(draw.betavariate(0.5 + 5 / 1.5, 0.5 + 15 / 1.5))
        - math.log(draw.betavariate(0.5 + 12 / 1.5, 0.5 + 8 / 1.5))
        for _ in range(200_000)
    ]
    mean = sum(logs) / len(logs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / (len(logs) - 1))
    assert math.log(effect.ratio) == pytest.approx(mean, abs=0.005)
    half_width = (math.log(effect.high) - math.log(effect.low)) / 2
    assert half_width == pytest.approx(2.776445 * sd, rel=0.01)
    assert effect.probability_helps == pytest.approx(t_cdf(-mean / sd, 4), abs=0.002)
    assert effect.ratio < 1


def test_equal_nights_give_a_ratio_of_one_and_even_odds():
    effect = ratio_posterior([Cell(Condition.CHANGE, 20, 8), Cell(Condition.USUAL, 20, 8)])
    assert effect.ratio == pytest.approx(1) and effect.probability_helps == pytest.approx(0.5)
    assert effect.low < 1 < effect.high


@pytest.mark.parametrize(
    ("probability", "degrees", "quantile"),
    [(0.975, 4, 2.776445), (0.975, 13, 2.160369), (0.95, 5, 2.015048), (0.975, 1, 12.706205)],
)
def test_students_t_quantiles_are_the_published_ones(probability, degrees, quantile):
    assert t_quantile(probability, degrees) == pytest.approx(quantile, abs=1e-5)


def _t_density(x: float, v: int) -> float:
    log_constant = math.lgamma((v + 1) / 2) - math.lgamma(v / 2) - 0.5 * math.log(v * math.pi)
    return math.exp(log_constant) * (1 + x * x / v) ** (-(v + 1) / 2)


@pytest.mark.parametrize(("t", "degrees"), [(-1.5, 6), (0.3, 20), (2.2, 3), (-0.7, 1)])
def test_students_t_distribution_is_its_density_integrated(t, degrees):
    # Simpson's rule from 0 to |t|, added to the half below 0.
    steps = 2000
    h = abs(t) / steps
    weights = [1] + [4 if i % 2 else 2 for i in range(1, steps)] + [1]
    area = h / 3 * sum(w * _t_density(i * h, degrees) for i, w in enumerate(weights))
    assert t_cdf(t, degrees) == pytest.approx(0.5 + math.copysign(area, t), abs=1e-9)
    assert t_cdf(0.0, degrees) == pytest.approx(0.5)


def test_digamma_and_trigamma_at_known_values():
    euler = 0.5772156649015329
    assert analysis.digamma(1) == pytest.approx(-euler, abs=1e-9)
    assert analysis.digamma(0.5) == pytest.approx(-euler - 2 * math.log(2), abs=1e-9)
    assert analysis.trigamma(1) == pytest.approx(math.pi**2 / 6, abs=1e-9)
    assert analysis.trigamma(0.5) == pytest.approx(math.pi**2 / 2, abs=1e-9)
    # psi(1/4) = -euler - pi/2 - 3 ln 2, and psi(x + 1) = psi(x) + 1/x.
    quarter = -euler - math.pi / 2 - 3 * math.log(2)
    assert analysis.digamma(7.25) == pytest.approx(
        quarter + sum(1 / (0.25 + k) for k in range(7)), abs=1e-9
    )
    assert analysis.trigamma(7.25) == pytest.approx(
        math.pi**2 + 8 * 0.915965594177219 - sum(1 / (0.25 + k) ** 2 for k in range(7)), abs=1e-9
    )


def _analysis(probability_helps: float, nights: int = 10) -> Analysis:
    arm = Arm(nights=nights, cramp_nights=3, cramps=4, worst_pains=())
    effect = Effect(0.5, 0.2, 1.2, probability_helps, 1.5, 6)
    return Analysis(change=arm, usual=arm, effect=effect)


@pytest.mark.parametrize(
    ("probability_helps", "expected"),
    [
        (0.95, Verdict.HELPS),
        (0.9499, Verdict.NO_CLEAR_DIFFERENCE),
        (0.5, Verdict.NO_CLEAR_DIFFERENCE),
        (0.0501, Verdict.NO_CLEAR_DIFFERENCE),
        (0.05, Verdict.WORSE),
    ],
)
def test_the_verdict_needs_a_probability_of_95_percent_either_way(probability_helps, expected):
    assert analysis.verdict(_analysis(probability_helps), finished=True) == expected


def test_no_verdict_before_the_end_or_with_under_ten_nights_in_a_condition():
    assert analysis.verdict(_analysis(0.99), finished=False) == Verdict.TOO_EARLY
    assert analysis.verdict(_analysis(0.99, nights=9), finished=True) == Verdict.TOO_FEW_NIGHTS
    assert analysis.verdict(_analysis(0.99, nights=10), finished=True) == Verdict.HELPS
    empty = Analysis(change=Arm(0, 0, 0, ()), usual=Arm(12, 3, 3, ()), effect=None)
    assert analysis.verdict(empty, finished=True) == Verdict.TOO_FEW_NIGHTS
