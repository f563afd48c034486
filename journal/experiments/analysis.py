"""What a personal experiment shows: pure, from the design and the nights logged so far.

One outcome decides, named before the experiment starts: the share of nights with cramps.
Cramps per night and the worst pain are shown beside it, never tested, so a result is one
comparison and needs no correction for many.

The model (the README's "Experiments" section says the same in words):
- Nights analysed are logged nights outside the washout. "As treated" takes those on which the
  user answered what they did, by what they did; "intention to treat" takes every one by the
  block it fell in, whatever was done. A night with no answer is never counted as "not done".
- Each condition's probability of a cramp night has a Jeffreys Beta(1/2, 1/2) prior and a
  binomial likelihood.
- Nights are not independent: a bad spell lasts several nights, so a block's share of cramp
  nights varies more than independent nights would make it. That extra variation, the
  dispersion phi, is estimated from how far each block's share lies from its condition's
  (Pearson's chi-squared over the blocks), with a scaled-inverse-chi-squared prior that expects
  some clustering; every night counts for 1/phi of an independent one.
- The ratio of the two probabilities (change / usual) comes from draws of that posterior
  (the dispersion drawn from its own posterior each time): its median, its 95% credible
  interval, and the probability that the change helps (ratio below 1).
- A verdict needs a finished experiment with enough nights analysed in each condition; the
  change is said to help only when that probability is at least 97.5%, i.e. when the whole 95%
  interval lies below 1. When the plan was followed on fewer than 8 nights in 10, the nights
  not followed may differ (skipped on bad nights, say), so intention to treat must agree.

tests/experiments/test_calibration.py measures on simulated journals how often this finds a
planted halving, how often it claims a benefit where there is none, and how often its interval
covers the planted ratio; the README gives the figures.
"""

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from journal import stats
from journal.experiments.design import Condition, Design, schedule

POSTERIOR_DRAWS = 4000  # Monte Carlo error of a probability near 97.5%: about 0.25 points
PRIOR = 0.5  # Jeffreys: Beta(1/2, 1/2) for each condition's probability of a cramp night
# The dispersion's prior: scaled-inverse-chi-squared with this many degrees of freedom and
# scale, as if DISPERSION_PRIOR_DF blocks had shown a share of cramp nights varying
# DISPERSION_PRIOR_SCALE times as much as independent nights would.
DISPERSION_PRIOR_DF = 4
DISPERSION_PRIOR_SCALE = 1.5
MIN_ANALYSED_NIGHTS = stats.MIN_NIGHTS_PER_GROUP  # per condition, before any verdict
BEFORE_WINDOWS = 8  # block-long windows of the journal before the start, for the dispersion
LOW_ADHERENCE = 0.8  # below this share of answered nights followed, both analyses are shown


@dataclass(frozen=True)
class Observation:
    """A logged night of the experiment: what happened and what the user said they did."""

    cramps: int
    worst_pain: int | None
    did_it: bool | None  # the check-in's answer; None when it was not answered


class Verdict(StrEnum):
    TOO_EARLY = "too_early"  # running, paused or stopped before its last night
    TOO_FEW_NIGHTS = "too_few_nights"  # finished, but too few nights analysed to tell
    HELPS = "helps"
    WORSE = "worse"
    NO_CLEAR_DIFFERENCE = "no_clear_difference"


@dataclass(frozen=True)
class Arm:
    """One condition's analysed nights."""

    nights: int
    cramp_nights: int
    cramps: int
    worst_pains: tuple[int, ...]  # on its nights with cramps and a pain given

    @property
    def cramp_night_share(self) -> float | None:
        return stats.share(self.cramp_nights, self.nights)

    @property
    def cramps_per_night(self) -> float | None:
        return stats.share(self.cramps, self.nights)

    @property
    def median_worst_pain(self) -> float | None:
        return stats.median(self.worst_pains)


@dataclass(frozen=True)
class Effect:
    """The posterior of the ratio of cramp-night probabilities, change over usual."""

    ratio: float  # exp of the posterior mean of the log ratio (the centre of the interval)
    low: float  # 95% credible interval
    high: float
    probability_helps: float  # P(ratio < 1)
    dispersion: float  # phi: how many times a block's share varies more than independence allows
    degrees_of_freedom: int


@dataclass(frozen=True)
class Analysis:
    change: Arm
    usual: Arm
    effect: Effect | None  # None when a condition has no nights


@dataclass(frozen=True)
class Adherence:
    answered: int  # logged nights outside the washout with an answer
    followed: int  # ... on which the user did what the block asked
    unanswered: int

    @property
    def share(self) -> float | None:
        """Of the nights answered, the share followed (what the page says)."""
        return stats.share(self.followed, self.answered)

    @property
    def low(self) -> bool:
        """Followed on fewer than 8 in 10 of the logged nights, counting those not answered
        as not known to be followed (answering only the nights followed is not adherence)."""
        share = stats.share(self.followed, self.answered + self.unanswered)
        return share is not None and share < LOW_ADHERENCE


@dataclass(frozen=True)
class Result:
    through: date  # the last night looked at
    finished: bool
    scheduled_nights: int  # of the experiment up to `through`
    washout_nights: int
    not_logged_nights: int
    adherence: Adherence
    as_treated: Analysis
    intention_to_treat: Analysis
    verdict: Verdict

    @property
    def judged(self) -> bool:
        """Finished with enough nights: the only result whose effect and interval are shown."""
        return self.verdict not in (Verdict.TOO_EARLY, Verdict.TOO_FEW_NIGHTS)


def analyse(design: Design, observations: Mapping[date, Observation], through: date) -> Result:
    """The experiment's result from its nights up to `through`; later nights are not looked at.

    Only a finished experiment (every scheduled night passed) can have a verdict: a stopped or
    unfinished one says "too early to tell" with the counts it has.
    """
    blocks = schedule(design)
    scheduled = washout = not_logged = answered = followed = unanswered = 0
    by_plan: dict[tuple[int, Condition], list[Observation]] = {}
    treated: dict[tuple[int, Condition], list[Observation]] = {}
    for block in blocks:
        for night in block.nights:
            if night > through:
                break
            scheduled += 1
            if night in block.washout:
                washout += 1
                continue
            observation = observations.get(night)
            if observation is None:
                not_logged += 1
                continue
            by_plan.setdefault((block.number, block.condition), []).append(observation)
            if observation.did_it is None:
                unanswered += 1
                continue
            answered += 1
            done = Condition.CHANGE if observation.did_it else Condition.USUAL
            followed += done == block.condition
            treated.setdefault((block.number, done), []).append(observation)
    finished = through >= blocks[-1].last_night
    before = cells_before(design, observations)
    adherence = Adherence(answered=answered, followed=followed, unanswered=unanswered)
    as_treated = _analysis(treated, before)
    # Only with low adherence is intention to treat's effect shown and asked to agree.
    intention_to_treat = _analysis(by_plan, before, with_effect=adherence.low)
    judged = verdict(as_treated, finished)
    claimed = judged in (Verdict.HELPS, Verdict.WORSE)
    if adherence.low and claimed and verdict(intention_to_treat, finished) != judged:
        judged = Verdict.NO_CLEAR_DIFFERENCE
    return Result(
        through=through,
        finished=finished,
        scheduled_nights=scheduled,
        washout_nights=washout,
        not_logged_nights=not_logged,
        adherence=adherence,
        as_treated=as_treated,
        intention_to_treat=intention_to_treat,
        verdict=judged,
    )


@dataclass(frozen=True)
class Cell:
    """The nights of one block in one condition, or of one block-long window before the start
    (condition None): the units whose spread says how much the nights cluster."""

    condition: Condition | None
    nights: int
    cramp_nights: int


def _analysis(
    groups: dict[tuple[int, Condition], list[Observation]],
    before: list[Cell],
    *,
    with_effect: bool = True,
) -> Analysis:
    def arm(condition: Condition) -> Arm:
        return _arm(o for (_, c), group in groups.items() if c == condition for o in group)

    change, usual = arm(Condition.CHANGE), arm(Condition.USUAL)
    effect = None
    if with_effect and change.nights and usual.nights:
        cells = [
            Cell(condition, len(group), sum(o.cramps > 0 for o in group))
            for (_, condition), group in groups.items()
        ]
        effect = ratio_posterior(cells + before)
    return Analysis(change=change, usual=usual, effect=effect)


def _arm(observations: Iterable[Observation]) -> Arm:
    nights = cramp_nights = cramps = 0
    worst_pains = []
    for observation in observations:
        nights += 1
        if observation.cramps:
            cramp_nights += 1
            cramps += observation.cramps
            if observation.worst_pain is not None:
                worst_pains.append(observation.worst_pain)
    return Arm(nights, cramp_nights, cramps, tuple(worst_pains))


def cells_before(design: Design, observations: Mapping[date, Observation]) -> list[Cell]:
    """The block-long windows of the journal just before the start, each at least half logged:
    how the user's nights clustered before the experiment, to inform the dispersion."""
    cells = []
    for window in range(BEFORE_WINDOWS):
        last = design.start - timedelta(days=1 + window * design.block_nights)
        logged = [
            observations[night]
            for night in (last - timedelta(days=back) for back in range(design.block_nights))
            if night in observations
        ]
        if 2 * len(logged) >= design.block_nights:
            cells.append(Cell(None, len(logged), sum(o.cramps > 0 for o in logged)))
    return cells


def dispersion(cells: list[Cell]) -> tuple[float, int]:
    """(phi, degrees of freedom): the prior updated by Pearson's chi-squared of the cells around
    their group's share of cramp nights, never below 1. Groups with no cramp night, or nothing
    else, say nothing about it and are left out."""
    totals: dict[Condition | None, list[int]] = {}
    for cell in cells:
        total = totals.setdefault(cell.condition, [0, 0])
        total[0] += cell.cramp_nights
        total[1] += cell.nights
    chi_squared = 0.0
    degrees_of_freedom = DISPERSION_PRIOR_DF
    for condition, (cramp_nights, nights) in totals.items():
        share = cramp_nights / nights
        if not 0 < share < 1:
            continue
        group = [cell for cell in cells if cell.condition == condition and cell.nights]
        degrees_of_freedom += len(group) - 1
        for cell in group:
            expected = cell.nights * share
            chi_squared += (cell.cramp_nights - expected) ** 2 / (expected * (1 - share))
    prior = DISPERSION_PRIOR_DF * DISPERSION_PRIOR_SCALE
    # Never below 1: blocks that happen to agree closely do not make a night count for more
    # than one independent night.
    return max(1.0, (prior + chi_squared) / degrees_of_freedom), degrees_of_freedom


def ratio_posterior(cells: list[Cell]) -> Effect:
    """The posterior of p_change / p_usual, from POSTERIOR_DRAWS draws of the model: the
    dispersion from its scaled-inverse-chi-squared posterior (never below 1), then each
    condition's probability from its Beta posterior with every night counting for 1/phi. The
    draws are seeded by the counts, so the same nights always give the same figures."""
    phi, degrees_of_freedom = dispersion(cells)
    totals = {
        condition: (
            sum(c.cramp_nights for c in cells if c.condition == condition),
            sum(c.nights for c in cells if c.condition == condition),
        )
        for condition in Condition
    }
    (change_cramps, change_nights), (usual_cramps, usual_nights) = (
        totals[Condition.CHANGE],
        totals[Condition.USUAL],
    )
    draw = random.Random(f"{sorted(totals.items())} {phi:.12g} {degrees_of_freedom}")
    ratios = []
    for _ in range(POSTERIOR_DRAWS):
        # phi ~ scaled-inverse-chi-squared(df, phi): df * phi / X with X ~ chi-squared(df).
        drawn = max(
            1.0, degrees_of_freedom * phi / (2 * draw.gammavariate(degrees_of_freedom / 2, 1))
        )
        change = draw.betavariate(
            PRIOR + change_cramps / drawn, PRIOR + (change_nights - change_cramps) / drawn
        )
        usual = draw.betavariate(
            PRIOR + usual_cramps / drawn, PRIOR + (usual_nights - usual_cramps) / drawn
        )
        ratios.append(change / usual)
    ratios.sort()
    return Effect(
        ratio=stats.sorted_median(ratios) or 1.0,
        low=_quantile(ratios, 0.025),
        high=_quantile(ratios, 0.975),
        probability_helps=sum(r < 1 for r in ratios) / len(ratios),
        dispersion=phi,
        degrees_of_freedom=degrees_of_freedom,
    )


def _quantile(ordered: list[float], probability: float) -> float:
    """The smallest draw with at least `probability` of the draws at or below it."""
    return ordered[max(0, math.ceil(probability * len(ordered) - 1e-9) - 1)]


def verdict(analysis: Analysis, finished: bool) -> Verdict:
    """Helps when the whole 95% interval lies below 1 (so the probability that it helps is at
    least 97.5%), worse when it lies above 1: the words never contradict the interval."""
    if not finished:
        return Verdict.TOO_EARLY
    effect = analysis.effect
    if effect is None or min(analysis.change.nights, analysis.usual.nights) < MIN_ANALYSED_NIGHTS:
        return Verdict.TOO_FEW_NIGHTS
    if effect.high < 1:
        return Verdict.HELPS
    if effect.low > 1:
        return Verdict.WORSE
    return Verdict.NO_CLEAR_DIFFERENCE
