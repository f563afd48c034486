"""The writes that change a user's experiments (start, pause, resume, extend, stop, the
check-in's answer: views call these and nothing else to change one), with the nights they
reckon from and which experiment is under way.

Which night is which (the night rule itself is journal/nights.py's): the coming night is the
night of the user's local date, whose evening is ahead or under way; the night just had is the
check-in's. Starting, pausing and resuming take effect from the coming night; stopping keeps
the night just had. A result looks only at nights that are over by the night rule.
"""

import secrets
from datetime import date, datetime, timedelta

from django.db import transaction

from journal.experiments import design
from journal.experiments.changes import ChangeKind
from journal.experiments.models import SEED_LIMIT, Experiment, ExperimentAnswer, ExperimentPause
from journal.models import CustomFactor, FactorKind, User
from journal.nights import checkin_night


class ExperimentError(ValueError):
    """Refused, with a message for the user."""


def night_just_had(user: User, now: datetime) -> date:
    """The night a morning check-in is about: stopping or resuming now keeps it."""
    return checkin_night(now, user.tzinfo)


def last_night_over(user: User, now: datetime) -> date:
    """The latest night that is over by the night rule: the one before the night of `now`.
    A result looks no further, so the last night counts only once it has ended, and a verdict
    never changes because that night's cramps or check-in arrive later."""
    return user.night_of(now) - timedelta(days=1)


def coming_night(user: User, now: datetime) -> date:
    """The night whose evening is still ahead today (or under way): the local date's."""
    return night_just_had(user, now) + timedelta(days=1)


def running_experiment(user: User, now: datetime) -> Experiment | None:
    """The user's experiment under way, if any, with its pauses: two queries. Experiments never
    overlap (start_experiment refuses), so only the latest can be running."""
    latest = (
        Experiment.objects.for_user(user)
        .select_related("factor")
        .prefetch_related("pauses")
        .first()
    )
    return latest if latest and latest.is_running(coming_night(user, now)) else None


@transaction.atomic
def start_experiment(
    user: User,
    change: ChangeKind,
    now: datetime,
    *,
    factor: CustomFactor | None = None,
    start: date | None = None,
    block_nights: int = design.DEFAULT_BLOCK_NIGHTS,
    blocks: int = design.DEFAULT_BLOCKS,
    washout_nights: int = design.DEFAULT_WASHOUT_NIGHTS,
) -> Experiment:
    """A new experiment from `start` (the coming night by default), its order drawn now."""
    User.objects.select_for_update().filter(pk=user.pk).get()  # one start at a time per user
    first = start or coming_night(user, now)
    if first < coming_night(user, now):
        raise ExperimentError("An experiment starts tonight or later, never in the past.")
    if running_experiment(user, now):
        raise ExperimentError("You already have an experiment running: stop it first.")
    if change == ChangeKind.FLUIDS and user.fluid_restricted:
        raise ExperimentError(
            "You limit fluids on medical advice, so the app does not set up this one."
        )
    if (change == ChangeKind.CUSTOM) != (factor is not None):
        raise ExperimentError("Choose one of your own yes/no factors.")
    if factor is not None and (
        factor.user_id != user.pk or factor.kind != FactorKind.YES_NO or factor.archived
    ):
        raise ExperimentError("Choose one of your own yes/no factors.")
    seed = secrets.randbelow(SEED_LIMIT)
    try:
        design.Design(first, seed, block_nights, blocks, washout_nights)
    except design.DesignError as error:
        raise ExperimentError(str(error)) from error
    return Experiment.objects.create(
        user=user,
        change=change,
        factor=factor,
        start=first,
        seed=seed,
        block_nights=block_nights,
        blocks=blocks,
        washout_nights=washout_nights,
    )


def pause(experiment: Experiment, now: datetime) -> None:
    """Set it aside from the coming night until resumed: those nights are in no block. Twice
    at once (two taps) makes one pause."""
    ExperimentPause.objects.get_or_create(
        experiment=experiment, last=None, defaults={"first": coming_night(experiment.user, now)}
    )


def resume(experiment: Experiment, now: datetime) -> None:
    """Carry on from the coming night; a pause that covered no night leaves nothing behind."""
    open_pause = experiment.open_pause()
    if open_pause is None:
        return
    last = night_just_had(experiment.user, now)
    if last < open_pause.first:
        open_pause.delete()
    else:
        open_pause.last = last
        open_pause.save(update_fields=["last"])


def stop_drinking_more(user: User, now: datetime) -> Experiment | None:
    """A user who now limits fluids on medical advice is never asked to drink more: their
    drinking-more experiment, if one runs, is stopped. Returns it, if so."""
    experiment = running_experiment(user, now)
    if experiment is None or experiment.change != ChangeKind.FLUIDS:
        return None
    if stop(experiment, now):
        return experiment
    return None


def can_extend(experiment: Experiment, now: datetime) -> bool:
    """Room for a pair, and the last pair not begun: adding blocks once its counts are nearly
    all in would let a disappointing run buy more nights, which the false-claim rate measured
    in the README does not allow for."""
    coming = coming_night(experiment.user, now)
    blocks = design.schedule(experiment.design(coming))
    return experiment.blocks + 2 <= design.MAX_BLOCKS and coming < blocks[-2].first_night


def extend(experiment: Experiment, now: datetime) -> None:
    """One more pair of blocks, its order drawn from the same seed."""
    if not can_extend(experiment, now):
        raise ExperimentError(
            f"Blocks can be added up to {design.MAX_BLOCKS}, before the last pair begins."
        )
    experiment.blocks = design.extended(
        experiment.design(coming_night(experiment.user, now))
    ).blocks
    experiment.save(update_fields=["blocks"])


def stop(experiment: Experiment, now: datetime) -> bool:
    """End it after last night; one stopped before its first night is removed (it holds no
    night). True when it was kept."""
    last = night_just_had(experiment.user, now)
    if last < experiment.start:
        experiment.delete()
        return False
    resume(experiment, now)
    experiment.stopped_on = last
    experiment.save(update_fields=["stopped_on"])
    return True


def record_answer(experiment: Experiment, night: date, did_it: bool | None) -> None:
    """The check-in's answer for `night`; None (left empty) removes an earlier answer."""
    if did_it is None:
        ExperimentAnswer.objects.filter(experiment=experiment, night=night).delete()
    else:
        ExperimentAnswer.objects.update_or_create(
            experiment=experiment, night=night, defaults={"did_it": did_it}
        )
