"""The month calendar, and the weeks or months that the trend charts are drawn in."""

import calendar
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from journal.analysis.loading import EpisodeRecord, NightRecord
from journal.analysis.periods import PeriodSummary, add_months, month_start, summarize
from journal.models import Medication

HIGH_PAIN = 7  # the month calendar marks nights with pain above this


@dataclass(frozen=True)
class CalendarCell:
    date: date
    in_month: bool
    logged: bool
    cramps: int
    high_pain: bool
    future: bool

    @property
    def description(self) -> str:
        """What the cell shows, in words, for screen readers."""
        if not self.logged:
            state = "not logged"
        elif self.cramps:
            state = f"{self.cramps} cramp{'s' if self.cramps > 1 else ''}"
        else:
            state = "no cramps"
        pain = ", pain above 7" if self.high_pain else ""
        return f"{self.date:%A %-d %B}: {state}{pain}"

    @property
    def level(self) -> str:
        """The shading class: not logged is its own kind, never the same as no cramps."""
        if self.future:
            return "future"
        if not self.logged:
            return "not-logged"
        return f"cramps-{min(self.cramps, 3)}"


def month_calendar(
    first_of_month: date, nights: Iterable[NightRecord], last_night: date
) -> list[list[CalendarCell]]:
    """Weeks (Monday first) of the month's nights, with the days of the weeks around it."""
    by_date = {night.date: night for night in nights}
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(
        first_of_month.year, first_of_month.month
    )
    return [
        [
            CalendarCell(
                date=day,
                in_month=day.month == first_of_month.month,
                logged=day in by_date,
                cramps=by_date[day].cramps if day in by_date else 0,
                high_pain=day in by_date and (by_date[day].max_pain or 0) > HIGH_PAIN,
                future=day > last_night,
            )
            for day in week
        ]
        for week in weeks
    ]


@dataclass(frozen=True)
class Bucket:
    start: date
    label: str
    nights: list[NightRecord] = field(default_factory=list)
    episodes: list[EpisodeRecord] = field(default_factory=list)

    @property
    def summary(self) -> PeriodSummary:
        return summarize(self.nights, self.episodes)


def buckets(start: date, end: date, *, weekly: bool) -> list[Bucket]:
    """Consecutive weeks (starting on Mondays) or calendar months covering start..end."""
    result = []
    if weekly:
        current = start - timedelta(days=start.weekday())
        while current <= end:
            result.append(Bucket(current, f"{current:%-d %b}"))
            current += timedelta(days=7)
    else:
        current = month_start(start)
        while current <= end:
            result.append(Bucket(current, f"{current:%b %Y}"))
            current = add_months(current, 1)
    return result


def fill_buckets(
    empty: list[Bucket], nights: Iterable[NightRecord], episodes: Iterable[EpisodeRecord]
) -> list[Bucket]:
    """Put each night and cramp in its bucket (the buckets are in date order)."""
    starts = [bucket.start for bucket in empty]

    def index(day: date) -> int:
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if starts[middle] <= day:
                low = middle
            else:
                high = middle - 1
        return low

    for night in nights:
        empty[index(night.date)].nights.append(night)
    for episode in episodes:
        empty[index(episode.night)].episodes.append(episode)
    return empty


def medication_markers(
    medications: Iterable[Medication], buckets: Sequence[Bucket], end: date
) -> list[tuple[int, str]]:
    """(bucket index, "Name started"/"Name stopped") for each change inside the buckets.

    A stop is marked on the first day without the medicine, the day after the last day taken.
    """
    starts = [bucket.start for bucket in buckets]
    markers = []
    for medication in medications:
        for change, on in (
            ("started", medication.started_on),
            ("stopped", medication.first_day_without),
        ):
            if on is not None and starts and starts[0] <= on <= end:
                markers.append((bisect_right(starts, on) - 1, f"{medication.name} {change}"))
    return markers


def hours_in_night_order(boundary_hour: int) -> list[int]:
    """The 24 clock hours starting at the night boundary, so evening comes before morning."""
    return [(boundary_hour + offset) % 24 for offset in range(24)]
