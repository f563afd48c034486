"""Experiments for the tests: the default design unless a test says otherwise."""

from journal.experiments.models import Experiment
from journal.models import User

DEFAULTS = {"change": "stretching", "seed": 1, "block_nights": 14, "blocks": 4, "washout_nights": 3}


def experiment_for(user: User, **fields) -> Experiment:
    """An experiment of `user` from `start` (required): stretching, 4 blocks of 14 nights,
    washout 3, seed 1, each replaced by what `fields` give."""
    return Experiment.objects.create(user=user, **(DEFAULTS | fields))
