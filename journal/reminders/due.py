"""When a reminder is due: pure rules on plain values, in the user's own time zone.

A reminder set for 21:30 is due at 21:30 on the clock of the user's zone on each chosen weekday,
so on both daylight-saving change days too. A time that day skips (02:30 on a spring-forward
night) is moved forward by the gap, as the night rule moves it (nights.local_moment); a time
that repeats is taken the first time. It is sent at most once per local date, and not at all
once GRACE has passed: a worker that was down for hours does not send 21:30's reminder at 2 a.m.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from journal.nights import local_moment

GRACE = timedelta(minutes=30)
MAX_PAUSE_DAYS = 30
EVERY_DAY = 0b1111111


def weekday_bits(weekdays: set[int]) -> int:
    """Weekdays (0 Monday to 6 Sunday) as the one-bit-a-day number the database keeps."""
    return sum(1 << day for day in weekdays)


def weekdays_of(bits: int) -> set[int]:
    return {day for day in range(7) if bits & (1 << day)}


@dataclass(frozen=True)
class Schedule:
    at: time
    weekdays: int  # weekday_bits
    tz: ZoneInfo
    skip: date | None = None  # "not tonight": the one local date it is not sent
    paused_until: date | None = None  # not sent up to and including this local date

    def is_off_on(self, day: date) -> bool:
        chosen = bool(self.weekdays & (1 << day.weekday()))
        paused = self.paused_until is not None and day <= self.paused_until
        return not chosen or paused or day == self.skip

    def moment_on(self, day: date) -> datetime:
        """The instant the reminder of local date `day` is due."""
        return local_moment(day, self.at, self.tz)


def due_day(schedule: Schedule, now: datetime) -> date | None:
    """The local date whose reminder is due at `now`, if one is: from its moment until GRACE
    after it. A late-evening time's grace can run past midnight, so yesterday is looked at too."""
    today = now.astimezone(schedule.tz).date()
    for day in (today, today - timedelta(days=1)):
        moment = schedule.moment_on(day)
        if moment <= now < moment + GRACE and not schedule.is_off_on(day):
            return day
    return None


def next_moment(schedule: Schedule, now: datetime) -> datetime | None:
    """The next instant, at or after `now`, at which a reminder will be due (for the Account
    page: "next on Tuesday at 21:30"); None when no weekday is chosen."""
    today = now.astimezone(schedule.tz).date()
    for offset in range(MAX_PAUSE_DAYS + 8):  # past the longest pause, then a week to find a day
        day = today + timedelta(days=offset)
        if not schedule.is_off_on(day) and schedule.moment_on(day) >= now:
            return schedule.moment_on(day)
    return None
