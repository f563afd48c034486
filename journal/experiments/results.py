"""An experiment's result, read from the journal: its nights, the answers, the analysis."""

from datetime import date, datetime, timedelta

from journal.analysis.loading import load_nights
from journal.experiments import analysis, design
from journal.experiments.analysis import Observation, Result
from journal.experiments.changes import ChangeKind
from journal.experiments.models import Experiment, ExperimentAnswer
from journal.experiments.running import coming_night, last_night_over
from journal.models import CustomFactorValue, User


def answers(experiment: Experiment, first: date, last: date) -> dict[date, bool]:
    """What the user said they did each night: the check-in's answer, or for a factor of their
    own, the day's value of that factor. A night not in it was not answered."""
    if experiment.change == ChangeKind.CUSTOM:
        values = CustomFactorValue.objects.filter(
            factor=experiment.factor, day__date__range=(first, last), yes__isnull=False
        ).values_list("day__date", "yes")
        return {night: yes for night, yes in values if yes is not None}
    rows = ExperimentAnswer.objects.filter(
        experiment=experiment, night__range=(first, last)
    ).values_list("night", "did_it")
    return dict(rows)


def observations(experiment: Experiment, up_to: date) -> dict[date, Observation]:
    """Every logged night from the windows before the start up to `up_to`: three queries."""
    first = experiment.start - timedelta(days=analysis.BEFORE_WINDOWS * experiment.block_nights)
    said = answers(experiment, experiment.start, up_to)
    return {
        night.date: Observation(
            cramps=night.cramps, worst_pain=night.max_pain, did_it=said.get(night.date)
        )
        for night in load_nights(experiment.user, first, up_to)
    }


def result(experiment: Experiment, now: datetime) -> Result:
    """The result as of now: the nights that are over, up to the night it was stopped on."""
    plan = experiment.design(coming_night(experiment.user, now))
    through = min(
        last_night_over(experiment.user, now),
        experiment.last_night(coming_night(experiment.user, now)),
    )
    return analysis.analyse(plan, observations(experiment, through), through)


def place_of_coming_night(experiment: Experiment, now: datetime) -> design.Place | None:
    return place_on(experiment, coming_night(experiment.user, now), now)


def place_on(experiment: Experiment, night: date, now: datetime) -> design.Place | None:
    """Where `night` falls in the experiment's blocks (None: before, after, or paused)."""
    return design.place_of(experiment.design(coming_night(experiment.user, now)), night)


def experiment_asking_about(user: User, night: date, now: datetime) -> Experiment | None:
    """The experiment whose check-in question is about `night`: the latest one begun by then,
    when the night is in one of its blocks (not paused, not after it was stopped)."""
    experiment = (
        Experiment.objects.for_user(user)
        .filter(start__lte=night)
        .exclude(stopped_on__lt=night)
        .select_related("factor")
        .prefetch_related("pauses")
        .first()
    )
    if experiment is None:
        return None
    return experiment if place_on(experiment, night, now) else None


def answer_for(experiment: Experiment, night: date) -> bool | None:
    return answers(experiment, night, night).get(night)
