"""Cramps logged on a phone without a connection, and sent later (static/js/outbox.js).

The phone keeps each tap with an id it made (the episode's client token, so that a resend,
or the page and the service worker sending the same tap at once, logs it once) and the phone's
own moment of the tap. The cramp belongs to the night the night rule gives for that moment, not
for the moment it reached the server.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.crypto import salted_hmac

from journal.cramps import LoggedCramp, log_cramp, save_details
from journal.models import RELIEF_FIELDS, User

# A phone's clock may run a little ahead of the server's; a tap further in the future than this
# is a clock set wrong, and is refused rather than put on a night that has not begun.
DEVICE_CLOCK_TOLERANCE = timedelta(minutes=5)
# A tap waits on the phone at most this long. Older, it is refused with a pointer to the day's
# page, where the cramp can be added by hand (a phone whose clock went back years lands here).
WAITING_LIMIT = timedelta(days=30)


def journal_key(user: User) -> str:
    """An opaque name for the user's journal that the phone keeps with each waiting tap, so that
    taps are only ever sent to the journal they were logged for (another account may sign in
    on the same phone before they are sent)."""
    return salted_hmac("journal.offline.journal_key", str(user.pk), algorithm="sha256").hexdigest()[
        :24
    ]


def tap_refusal(tapped_at: datetime, now: datetime, tz: ZoneInfo) -> str | None:
    """Why the server will not take a tap the phone says happened at `tapped_at`, or None."""
    local = tapped_at.astimezone(tz)
    if tapped_at > now + DEVICE_CLOCK_TOLERANCE:
        return (
            f"This phone says the cramp was at {local:%H:%M on %-d %B %Y}, which has not "
            "come yet: check the phone's date and time, then add the cramp on its day's page."
        )
    if tapped_at < now - WAITING_LIMIT:
        return (
            f"This cramp, from {local:%-d %B %Y}, waited on the phone for longer than "
            f"{WAITING_LIMIT.days} days, so it was not sent. Add it on its day's page if it "
            "is right."
        )
    return None


# The details a phone may send with a waiting tap: those of the bedside form.
SENT_DETAILS = ("side", "muscle", "pain", "duration_seconds", "woke_me", *RELIEF_FIELDS)


def log_sent_cramp(
    user: User, started_at: datetime, device_id: UUID, details: Mapping[str, object] | None
) -> LoggedCramp:
    """Log a tap that waited on a phone, once whatever the number of sends, with the details
    typed on the phone (None when none were typed: nothing is saved for them then).

    Many cramps in a night are not asked about again: the user saw each waiting tap listed on
    the phone, where any can be discarded before it is sent.
    """
    with transaction.atomic():
        logged = log_cramp(user, started_at, device_id, confirmed_many=True)
        if logged.created and details is not None:
            episode = logged.episode
            for name in SENT_DETAILS:
                setattr(episode, name, details[name])
            save_details(episode)
    return logged
