"""The night rule: which night of the journal a moment belongs to.

A "night of D" runs from the boundary hour (default 12:00) on day D, in the
user's own time zone, up to the same hour on day D+1. A cramp at 03:00 on the
5th therefore belongs to the night of the 4th, which is what people mean by
"last night". This module is the only place that rule is written down.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_BOUNDARY_HOUR = 12


def night_of(moment: datetime, tz: ZoneInfo, boundary_hour: int = DEFAULT_BOUNDARY_HOUR) -> date:
    """Return the date of the night that the aware datetime `moment` belongs to."""
    if moment.tzinfo is None:
        raise ValueError("night_of() needs an aware datetime")
    local = moment.astimezone(tz)
    if local.hour >= boundary_hour:
        return local.date()
    return local.date() - timedelta(days=1)


def local_moment(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The instant a wall-clock time on `day` stands for in `tz`, as an aware UTC datetime.

    Around daylight-saving changes a wall-clock time can be ambiguous (the hour
    that repeats: the first occurrence is taken) or missing (the hour that is
    skipped: the time is moved forward by the length of the gap, so 02:30 on a
    spring-forward night becomes 03:30). A zone on `clock` is ignored: `tz` replaces it.
    """
    return datetime.combine(day, clock.replace(fold=0), tzinfo=tz).astimezone(UTC)


def moment_in_night(night: date, clock: time, tz: ZoneInfo, boundary_hour: int) -> datetime:
    """The instant a wall-clock time stands for during the night of `night`.

    The inverse of `night_of`: clock times from the boundary hour on fall on
    `night` itself, earlier ones on the next day (03:00 in the night of the 4th
    is 03:00 on the 5th).
    """
    day = night if clock.hour >= boundary_hour else night + timedelta(days=1)
    return local_moment(day, clock, tz)


def night_window(night: date, tz: ZoneInfo, boundary_hour: int) -> tuple[datetime, datetime]:
    """The instants [start, end) that belong to the night of `night`."""
    boundary = time(boundary_hour)
    return (
        local_moment(night, boundary, tz),
        local_moment(night + timedelta(days=1), boundary, tz),
    )


def latest_moment_at(clock: time, now: datetime, tz: ZoneInfo) -> datetime:
    """The most recent instant, not after `now`, at which the clock in `tz` showed `clock`."""
    today = now.astimezone(tz).date()
    moment = local_moment(today, clock, tz)
    return moment if moment <= now else local_moment(today - timedelta(days=1), clock, tz)


def checkin_night(now: datetime, tz: ZoneInfo) -> date:
    """The night a morning check-in is about by default: the one that began yesterday evening."""
    return now.astimezone(tz).date() - timedelta(days=1)
