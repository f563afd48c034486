"""Simulated experiment journals, made the way real cramp nights behave rather than the way the
analysis assumes: bad spells that last (an AR(1) process on the log scale, so nights are
correlated and vary more than a binomial allows), a seasonal drift, missed check-ins, missed
answers and nights when the plan was not followed. The change multiplies the chance of a cramp
on the nights it is done by `ratio`, the planted effect."""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from journal.experiments import analysis
from journal.experiments.analysis import Observation
from journal.experiments.design import Condition, Design, last_night, schedule


@dataclass(frozen=True)
class Person:
    usual_share: float = 0.6  # the chance of a cramp night without the change, on average
    spell_correlation: float = 0.6  # night-to-night correlation of the latent level
    spell_spread: float = 0.5  # its standard deviation on the log scale
    seasonal_swing: float = 0.25  # the usual share rises and falls by this fraction over a year
    follows: float = 0.9  # the chance of doing what the block asks
    logs: float = 0.9  # the chance that a night is logged at all
    answers: float = 0.95  # the chance that a logged night's check-in answers the question
    nights_before: int = 112  # logged (or not) before the experiment starts


def simulated_journal(
    draw: random.Random, design: Design, ratio: float, person: Person = Person()
) -> dict[date, Observation]:
    phase = draw.uniform(0, 365)
    level = draw.gauss(0, person.spell_spread)
    innovation = person.spell_spread * math.sqrt(1 - person.spell_correlation**2)
    asked_for = {
        night: block.condition == Condition.CHANGE
        for block in schedule(design)
        for night in block.nights
    }
    journal = {}
    night = design.start - timedelta(days=person.nights_before)
    while night <= max(asked_for):
        level = person.spell_correlation * level + draw.gauss(0, innovation)
        season = 1 + person.seasonal_swing * math.sin(
            2 * math.pi * (night.toordinal() + phase) / 365
        )
        usual = min(
            0.95, person.usual_share * season * math.exp(level - person.spell_spread**2 / 2)
        )
        asked = asked_for.get(night, False)
        done = asked if draw.random() < person.follows else not asked
        chance = usual * ratio if done else usual
        cramps = 1 + _poisson(draw, 0.7) if draw.random() < chance else 0
        if draw.random() < person.logs:
            journal[night] = Observation(
                cramps=cramps,
                worst_pain=draw.randint(3, 9) if cramps else None,
                did_it=done if draw.random() < person.answers else None,
            )
        night += timedelta(days=1)
    return journal


def _poisson(draw: random.Random, mean: float) -> int:
    count, product, limit = 0, draw.random(), math.exp(-mean)
    while product > limit:
        count += 1
        product *= draw.random()
    return count


@dataclass(frozen=True)
class Measured:
    journals: int
    benefit_claimed: float  # the share of journals whose result says the change helps
    covered: float  # the share whose 95% interval holds the planted ratio
    mean_dispersion: float


def measure(
    ratio: float, person: Person = Person(), *, journals: int, blocks: int = 4, seed: int = 0
) -> Measured:
    """Run the analysis on `journals` simulated journals of an experiment of `blocks` blocks of
    14 nights, each with its own random order, and count what it says."""
    claimed = covered = 0
    dispersion = 0.0
    for number in range(journals):
        draw = random.Random(f"{seed}-{number}")
        design = Design(start=date(2026, 1, 5), seed=draw.randrange(2**32), blocks=blocks)
        journal = simulated_journal(draw, design, ratio, person)
        result = analysis.analyse(design, journal, through=last_night(design))
        claimed += result.verdict == analysis.Verdict.HELPS
        effect = result.as_treated.effect
        assert effect is not None
        covered += effect.low <= ratio <= effect.high
        dispersion += effect.dispersion
    return Measured(journals, claimed / journals, covered / journals, dispersion / journals)
