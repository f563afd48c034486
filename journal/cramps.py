"""Logging a cramp, the one path every "cramp now" and "add a cramp" goes through, and
deleting one."""

from dataclasses import dataclass
from datetime import date, datetime
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


def log_cramp(
    user: User, started_at: datetime, token: UUID, *, confirmed_many: bool = False
) -> tuple[CrampEpisode, bool]:
    """Record a cramp on the night the rule gives; returns (episode, created).

    `token` comes from the form that was shown: submitting the same form twice
    (a double tap, a resent request) returns the first episode instead of
    logging a second one. Raises UnusuallyManyCramps past the soft limit unless
    confirmed, and ValidationError past the hard one.
    """
    existing = CrampEpisode.objects.for_user(user).filter(client_token=token).first()
    if existing:
        return existing, False
    night_date = user.night_of(started_at)
    already_logged = CrampEpisode.objects.for_user(user).filter(night__date=night_date).count()
    if already_logged >= ranges.CRAMPS_PER_NIGHT.high:
        raise ValidationError(NIGHT_IS_FULL)
    if is_unusually_many(already_logged) and not confirmed_many:
        raise UnusuallyManyCramps(already_logged)
    try:
        with transaction.atomic():
            # Only the start is set, on the night the rule gives: nothing else to validate.
            night, _ = Night.objects.get_or_create(user=user, date=night_date)
            episode = CrampEpisode.objects.create(
                night=night, started_at=started_at, client_token=token
            )
    except IntegrityError:
        # The same token arrived twice at once; the other request logged it.
        return CrampEpisode.objects.for_user(user).get(client_token=token), False
    return episode, True


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
