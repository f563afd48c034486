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
- The ratio of the two probabilities (change / usual) is summarised on the log scale: its
  posterior mean and variance follow exactly from the Beta posteriors (digamma and trigamma),
  and a Student t with the dispersion's degrees of freedom gives the 95% credible interval and
  the probability that the change helps (ratio below 1).
- A verdict needs a finished experiment with enough nights analysed in each condition; the
  change is said to help only when that probability is at least 95%.

tests/experiments/test_calibration.py measures on simulated journals how often this finds a
planted halving, how often it claims a benefit where there is none, and how often its interval
covers the planted ratio; the README gives the figures.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from journal import stats
from journal.experiments.design import Condition, Design, schedule

PRIOR = 0.5  # Jeffreys: Beta(1/2, 1/2) for each condition's probability of a cramp night
# The dispersion's prior: scaled-inverse-chi-squared with this many degrees of freedom and
# scale, as if DISPERSION_PRIOR_DF blocks had shown a share of cramp nights varying
# DISPERSION_PRIOR_SCALE times as much as independent nights would.
DISPERSION_PRIOR_DF = 4
DISPERSION_PRIOR_SCALE = 1.5
CLAIM_PROBABILITY = 0.95  # "likely helps" (or "likely worse") from this probability on
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

    ratio: float  # the posterior median
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
        return stats.share(self.followed, self.answered)

    @property
    def low(self) -> bool:
        share = self.share
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
    as_treated = _analysis(treated, before)
    return Result(
        through=through,
        finished=finished,
        scheduled_nights=scheduled,
        washout_nights=washout,
        not_logged_nights=not_logged,
        adherence=Adherence(answered=answered, followed=followed, unanswered=unanswered),
        as_treated=as_treated,
        intention_to_treat=_analysis(by_plan, before),
        verdict=verdict(as_treated, finished),
    )


@dataclass(frozen=True)
class Cell:
    """The nights of one block in one condition, or of one block-long window before the start
    (condition None): the units whose spread says how much the nights cluster."""

    condition: Condition | None
    nights: int
    cramp_nights: int


def _analysis(
    groups: dict[tuple[int, Condition], list[Observation]], before: list[Cell]
) -> Analysis:
    def arm(condition: Condition) -> Arm:
        return _arm(o for (_, c), group in groups.items() if c == condition for o in group)

    change, usual = arm(Condition.CHANGE), arm(Condition.USUAL)
    effect = None
    if change.nights and usual.nights:
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
    their group's share of cramp nights. Groups with no cramp night, or nothing else, say nothing
    about it and are left out."""
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
    return (prior + chi_squared) / degrees_of_freedom, degrees_of_freedom


def ratio_posterior(cells: list[Cell]) -> Effect:
    """The posterior of p_change / p_usual; `cells` also bring the dispersion."""
    phi, degrees_of_freedom = dispersion(cells)
    mean = variance = 0.0
    for sign, condition in ((1, Condition.CHANGE), (-1, Condition.USUAL)):
        cramp_nights = sum(c.cramp_nights for c in cells if c.condition == condition)
        nights = sum(c.nights for c in cells if c.condition == condition)
        a = PRIOR + cramp_nights / phi
        b = PRIOR + (nights - cramp_nights) / phi
        # For p ~ Beta(a, b): E[ln p] = psi(a) - psi(a + b), Var[ln p] = psi'(a) - psi'(a + b).
        mean += sign * (digamma(a) - digamma(a + b))
        variance += trigamma(a) - trigamma(a + b)
    scale = math.sqrt(variance)
    spread = t_quantile(0.975, degrees_of_freedom) * scale
    return Effect(
        ratio=math.exp(mean),
        low=math.exp(mean - spread),
        high=math.exp(mean + spread),
        probability_helps=t_cdf(-mean / scale, degrees_of_freedom),
        dispersion=phi,
        degrees_of_freedom=degrees_of_freedom,
    )


def verdict(analysis: Analysis, finished: bool) -> Verdict:
    if not finished:
        return Verdict.TOO_EARLY
    effect = analysis.effect
    if effect is None or min(analysis.change.nights, analysis.usual.nights) < MIN_ANALYSED_NIGHTS:
        return Verdict.TOO_FEW_NIGHTS
    if effect.probability_helps >= CLAIM_PROBABILITY:
        return Verdict.HELPS
    if 1 - effect.probability_helps >= CLAIM_PROBABILITY:
        return Verdict.WORSE
    return Verdict.NO_CLEAR_DIFFERENCE


def digamma(x: float) -> float:
    """psi(x) for x > 0: the recurrence up to 6, then the asymptotic series (error below 1e-9)."""
    result = 0.0
    while x < 6:
        result -= 1 / x
        x += 1
    f = 1 / (x * x)
    return result + math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f / 240)))


def trigamma(x: float) -> float:
    """psi'(x) for x > 0: the recurrence up to 6, then the asymptotic series (error below 1e-9)."""
    result = 0.0
    while x < 6:
        result += 1 / (x * x)
        x += 1
    f = 1 / (x * x)
    return result + 1 / x + f / 2 + f / x * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)))


def t_cdf(t: float, degrees_of_freedom: int) -> float:
    """P(T <= t) for Student's t, from the regularized incomplete beta function."""
    v = degrees_of_freedom
    tail = 0.5 * regularized_beta(v / (v + t * t), v / 2, 0.5)
    return 1 - tail if t > 0 else tail


def t_quantile(probability: float, degrees_of_freedom: int) -> float:
    """The t with t_cdf(t) = probability (0.5 < probability < 1), by bisection."""
    low, high = 0.0, 1000.0
    for _ in range(100):
        middle = (low + high) / 2
        if t_cdf(middle, degrees_of_freedom) < probability:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def regularized_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b), by its continued fraction (Lentz's method), on the side where it converges."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):
        return 1 - regularized_beta(1 - x, b, a)
    front = (
        math.exp(
            math.lgamma(a + b)
            - math.lgamma(a)
            - math.lgamma(b)
            + a * math.log(x)
            + b * math.log1p(-x)
        )
        / a
    )
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return front * fraction
