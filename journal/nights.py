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
    spring-forward night becomes 03:30).
    """
    return datetime.combine(day, clock.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)
