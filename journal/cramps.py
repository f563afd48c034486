"""Logging a cramp, the one path every "cramp now" and "add a cramp" goes through; undoing a
bedside tap, timing a cramp's length, and deleting one."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from journal import ranges
from journal.models import NIGHT_IS_FULL, CrampEpisode, Night, User, remove_empty_nights


class UnusuallyManyCramps(Exception):
    """Logging this cramp needs the user's confirmation first."""

    def __init__(self, already_logged: int):
        super().__init__(f"{already_logged} cramps are already logged this night.")
        self.already_logged = already_logged


def is_unusually_many(already_logged: int) -> bool:
    return ranges.CRAMPS_PER_NIGHT.is_unusual(already_logged + 1)


TOKEN_TAKEN = "This cramp's id is already in use. Log it again, please."

# A bedside tap can be undone in one tap for this long, until its details are saved.
UNDO_WINDOW = timedelta(minutes=10)
# A timer running longer than the longest length a cramp may have was left running: it stops
# without a length rather than record one nobody measured.
TIMER_CAP = timedelta(seconds=ranges.CRAMP_DURATION_SECONDS.high)
# "It's over" this soon after "Cramp now" is the second tap of a double tap, not a length.
DOUBLE_TAP = timedelta(seconds=2)


@dataclass(frozen=True)
class LoggedCramp:
    episode: CrampEpisode
    created: bool  # False when the same form had already logged it
    timer_stopped: CrampEpisode | None = None  # an earlier cramp whose timer this one stopped


def log_cramp(
    user: User,
    started_at: datetime,
    token: UUID,
    *,
    confirmed_many: bool = False,
    tapped_at: datetime | None = None,
    start_timer: bool = False,
) -> LoggedCramp:
    """Record a cramp on the night the rule gives.

    `token` comes from the form that was shown: submitting the same form twice
    (a double tap, a resent request) returns the first episode instead of
    logging a second one. Raises UnusuallyManyCramps past the soft limit unless
    confirmed, and ValidationError past the hard one.

    A bedside tap gives `tapped_at`: the cramp can then be undone for UNDO_WINDOW, and with
    `start_timer` its timer runs from that moment. One timer runs at a time: an earlier one
    still running stops, without a length.
    """
    existing = CrampEpisode.objects.for_user(user).filter(client_token=token).first()
    if existing:
        return LoggedCramp(existing, created=False)
    night_date = user.night_of(started_at)
    already_logged = CrampEpisode.objects.for_user(user).filter(night__date=night_date).count()
    if already_logged >= ranges.CRAMPS_PER_NIGHT.high:
        raise ValidationError(NIGHT_IS_FULL)
    if is_unusually_many(already_logged) and not confirmed_many:
        raise UnusuallyManyCramps(already_logged)
    timer_stopped = None
    try:
        with transaction.atomic():
            if start_timer:
                timer_stopped = running_timer(user)
                if timer_stopped:
                    _stop(user, timer_stopped, length=None)
            # Only the start is set, on the night the rule gives: nothing else to validate.
            night, _ = Night.objects.get_or_create(user=user, date=night_date)
            episode = CrampEpisode.objects.create(
                night=night,
                started_at=started_at,
                client_token=token,
                undo_until=tapped_at + UNDO_WINDOW if tapped_at else None,
                timer_started_at=tapped_at if start_timer else None,
            )
    except IntegrityError:
        # The same token arrived twice at once, and the other request logged it; or (a token
        # made on a phone, in a million million years) another user's cramp has it.
        existing = CrampEpisode.objects.for_user(user).filter(client_token=token).first()
        if existing is None:
            raise ValidationError(TOKEN_TAKEN) from None
        return LoggedCramp(existing, created=False)
    return LoggedCramp(episode, created=True, timer_stopped=timer_stopped)


@dataclass(frozen=True)
class DeletedCramp:
    night_date: date
    night_removed: bool  # nothing else was logged that night, so it is no longer a logged night


def leaves_night_empty(episode: CrampEpisode) -> bool:
    """Whether deleting `episode` would leave its night with nothing logged."""
    return (
        Night.objects.filter(pk=episode.night_id).with_nothing_logged(ignoring_episode=episode.pk)
    ).exists()


def delete_cramp(user: User, episode: CrampEpisode) -> DeletedCramp:
    """Delete one of the user's cramps, and its night too when nothing else is logged for it.

    A night row left empty would count as a logged night without cramps, which the user never
    said it was.
    """
    night_date = episode.night.date
    with transaction.atomic():
        CrampEpisode.objects.for_user(user).filter(pk=episode.pk).delete()
        removed = remove_empty_nights(user, [night_date])
    return DeletedCramp(night_date=night_date, night_removed=bool(removed))


# --- Undo -------------------------------------------------------------------------------------


class UndoRefused(Exception):
    """The cramp stays: its Undo no longer applies (the message says why)."""


DETAILS_SAVED = (
    "Details have been saved for this cramp, so Undo no longer applies. "
    "If it was a mistake, delete it from its page."
)
TOO_LATE = (
    f"Undo lasts {UNDO_WINDOW.seconds // 60} minutes after the tap, and they have passed. "
    "If it was a mistake, delete it from its page."
)


def undo_refusal(episode: CrampEpisode, now: datetime) -> str | None:
    """Why `episode` can no longer be undone at `now`, or None while it can."""
    if episode.undo_until is None:
        return DETAILS_SAVED
    if now >= episode.undo_until:
        return TOO_LATE
    return None


def undo_cramp(user: User, episode: CrampEpisode, now: datetime) -> DeletedCramp:
    """Remove a cramp logged by mistake with one tap, within its window (UndoRefused after),
    through the same path as deleting one."""
    if refusal := undo_refusal(episode, now):
        raise UndoRefused(refusal)
    return delete_cramp(user, episode)


def save_details(episode: CrampEpisode) -> None:
    """Save the details the user gave for `episode`. Undo then no longer applies (it would throw
    them away), and a length given stops its timer."""
    episode.undo_until = None
    if episode.duration_seconds is not None:
        episode.timer_started_at = None
    episode.save()


# --- The timer for a cramp's length -----------------------------------------------------------


class TimerOutcome(StrEnum):
    LENGTH_SAVED = "length saved"
    DOUBLE_TAP = "double tap"  # too soon to be a length: the timer runs on
    STOPPED = "stopped without a length"  # as asked
    STALE = "stale"  # ran past TIMER_CAP, so stopped without a length
    NOT_RUNNING = "not running"  # already stopped (a repeated request)


def running_timer(user: User) -> CrampEpisode | None:
    """The user's cramp whose timer is running, if any (one runs at a time)."""
    return (
        CrampEpisode.objects.for_user(user)
        .filter(timer_started_at__isnull=False)
        .select_related("night")
        .first()
    )


def stop_timer(
    user: User, episode: CrampEpisode, now: datetime, *, keep_length: bool = True
) -> TimerOutcome:
    """ "It's over" (`keep_length`) or "Stop without a length" for the cramp's timer.

    The length is the time between the two taps, in whole seconds. Past TIMER_CAP the timer
    was forgotten, and nobody measured the length: it stops without one.
    """
    if episode.timer_started_at is None:
        return TimerOutcome.NOT_RUNNING
    elapsed = now - episode.timer_started_at
    if elapsed > TIMER_CAP:
        outcome, length = TimerOutcome.STALE, None
    elif not keep_length:
        outcome, length = TimerOutcome.STOPPED, None
    elif elapsed < DOUBLE_TAP:
        return TimerOutcome.DOUBLE_TAP
    else:
        outcome, length = TimerOutcome.LENGTH_SAVED, int(elapsed.total_seconds())
    if not _stop(user, episode, length=length):
        episode.refresh_from_db()
        return TimerOutcome.NOT_RUNNING  # another request stopped it first
    return outcome


@dataclass(frozen=True)
class CurrentTimer:
    running: CrampEpisode | None  # the cramp being timed
    stopped_stale: list[CrampEpisode]  # timers just stopped for running past the cap


def current_timer(user: User, now: datetime) -> CurrentTimer:
    """The user's running timer, after stopping (without a length) any that ran past TIMER_CAP,
    which are returned so that the page can say so."""
    timers = list(
        CrampEpisode.objects.for_user(user)
        .filter(timer_started_at__isnull=False)
        .select_related("night")
    )
    stale = [
        episode
        for episode in timers
        if episode.timer_started_at is not None  # always, by the filter above
        and now - episode.timer_started_at > TIMER_CAP
    ]
    stopped = [episode for episode in stale if _stop(user, episode, length=None)]
    running = [episode for episode in timers if episode not in stale]
    return CurrentTimer(running=running[-1] if running else None, stopped_stale=stopped)


def _stop(user: User, episode: CrampEpisode, *, length: int | None) -> bool:
    """Stop the timer `episode` was read with, saving `length`; False if it was no longer
    running (stopped meanwhile by another request)."""
    stopped = (
        CrampEpisode.objects.for_user(user)
        .filter(pk=episode.pk, timer_started_at=episode.timer_started_at)
        .update(timer_started_at=None, duration_seconds=length)
    )
    if stopped:
        episode.timer_started_at, episode.duration_seconds = None, length
    return bool(stopped)
