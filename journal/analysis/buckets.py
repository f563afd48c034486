"""The month calendar, the weeks or months trend charts are drawn in, and those charts."""

import calendar
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from journal import charts
from journal.analysis import periods
from journal.analysis.loading import EpisodeRecord, NightRecord
from journal.analysis.periods import PeriodSummary, add_months, month_start, plural, summarize
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


def _calendar_weeks(first_of_month: date) -> list[list[date]]:
    return calendar.Calendar(firstweekday=0).monthdatescalendar(
        first_of_month.year, first_of_month.month
    )


def calendar_span(first_of_month: date) -> tuple[date, date]:
    """The first and last day the month's calendar shows: the Monday of its first week and
    the Sunday of its last."""
    weeks = _calendar_weeks(first_of_month)
    return weeks[0][0], weeks[-1][-1]


def month_calendar(
    first_of_month: date, nights: Iterable[NightRecord], last_night: date
) -> list[list[CalendarCell]]:
    """Weeks (Monday first) of the month's nights, with the days of the weeks around it,
    each as logged: `nights` should cover calendar_span(first_of_month)."""
    by_date = {night.date: night for night in nights}
    weeks = _calendar_weeks(first_of_month)
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


@dataclass
class Bucket:
    """A calendar week (Monday to Sunday) or month of a trend chart, cut to the nights of the
    range it is drawn for: `start` and `end` are its first and last nights in the range.

    Whether its figures rest on enough nights follows the rule in `periods`, held to the whole
    week or month: a cut or unfinished bucket needs as many logged nights as a whole one.
    """

    period_start: date
    period_end: date
    start: date
    end: date
    weekly: bool
    nights: list[NightRecord] = field(default_factory=list)
    episodes: list[EpisodeRecord] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.start:%-d %b}" if self.weekly else f"{self.period_start:%b %Y}"

    @property
    def length(self) -> int:
        """Nights in the whole week or month."""
        return (self.period_end - self.period_start).days + 1

    @property
    def nights_in_range(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def min_nights(self) -> int:
        return periods.min_nights(self.length)

    @property
    def enough_nights(self) -> bool:
        return len(self.nights) >= self.min_nights

    @property
    def unfinished(self) -> bool:
        """The range ends before the week or month does: its figures are "so far"."""
        return self.end < self.period_end

    @property
    def provisional(self) -> bool:
        """Drawn distinctly: too few nights, or not over yet."""
        return not self.enough_nights or self.unfinished

    @property
    def nights_text(self) -> str:
        """E.g. "2 of 2 nights logged so far; too few (a week needs 4)"."""
        text = f"{len(self.nights)} of {plural(self.nights_in_range, 'night')} logged"
        if self.unfinished:
            text += " so far"
        if self.start > self.period_start:
            text += f", from {self.start:%-d %b}"
        if not self.enough_nights:
            whole = "a week" if self.weekly else f"{self.period_start:%B}"
            text += f"; too few ({whole} needs {self.min_nights})"
        return text

    @property
    def notes(self) -> tuple[str, ...]:
        """What to write under its bar, longest first: "2 nights so far", "2 so far", "2"."""
        count = len(self.nights)
        if self.unfinished:
            return (f"{plural(count, 'night')} so far", f"{count} so far", str(count))
        return (plural(count, "night"), str(count))

    @cached_property
    def summary(self) -> PeriodSummary:
        return summarize(self.nights, self.episodes)


def buckets(start: date, end: date, *, weekly: bool) -> list[Bucket]:
    """Consecutive weeks (Monday to Sunday) or calendar months covering start..end, each cut
    to the nights from `start` to `end`."""
    result = []
    period_start = start - timedelta(days=start.weekday()) if weekly else month_start(start)
    while period_start <= end:
        following = period_start + timedelta(days=7) if weekly else add_months(period_start, 1)
        period_end = following - timedelta(days=1)
        result.append(
            Bucket(period_start, period_end, max(period_start, start), min(period_end, end), weekly)
        )
        period_start = following
    return result


def fill_buckets(
    empty: list[Bucket], nights: Iterable[NightRecord], episodes: Iterable[EpisodeRecord]
) -> list[Bucket]:
    """Put each night and cramp of the buckets' nights in its bucket (they are in date order)."""
    starts = [bucket.start for bucket in empty]

    def bucket_of(day: date) -> Bucket | None:
        index = bisect_right(starts, day) - 1
        return empty[index] if index >= 0 and day <= empty[index].end else None

    for night in nights:
        if bucket := bucket_of(night.date):
            bucket.nights.append(night)
    for episode in episodes:
        if bucket := bucket_of(episode.night):
            bucket.episodes.append(episode)
    return empty


def medication_markers(
    medications: Iterable[Medication], buckets: Sequence[Bucket]
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
            if on is not None and starts and starts[0] <= on <= buckets[-1].end:
                markers.append((bisect_right(starts, on) - 1, f"{medication.name} {change}"))
    return markers


def hours_in_night_order(boundary_hour: int) -> list[int]:
    """The 24 clock hours starting at the night boundary, so evening comes before morning."""
    return [(boundary_hour + offset) % 24 for offset in range(24)]


# --- Trend charts --------------------------------------------------------------------------

NIGHTS_HEADING = "Nights logged"


def _too_few_words(weekly: bool) -> str:
    if weekly:
        return f"a week with fewer than {periods.min_nights(7)} of its 7 nights logged"
    return "a month with fewer than half its nights logged"


def bucket_values(
    filled: Sequence[Bucket],
    value_of: Callable[[PeriodSummary], float | None],
    *,
    notes_under_every_bar: bool = False,
) -> list[charts.Value]:
    """Each bucket's value, drawn distinctly when provisional, kept out of a bar chart's axis
    when it rests on too few nights, and with its nights for the table (and under its bar:
    every bar, or only those drawn distinctly)."""
    values = []
    for bucket in filled:
        value = value_of(bucket.summary) if bucket.nights else None
        noted = notes_under_every_bar or bucket.provisional
        values.append(
            charts.Value(
                bucket.label,
                value,
                provisional=bucket.provisional,
                sets_scale=bucket.enough_nights,
                notes=bucket.notes if noted else (),
                detail=bucket.nights_text,
            )
        )
    return values


def _key(filled: Sequence[Bucket], drawn: str, notes_under_every_bar: bool = False) -> str:
    """The chart's legend in words: what a distinct bar or dot means, and the numbers under bars."""
    weekly = bool(filled) and filled[0].weekly
    parts = []
    if any(bucket.provisional and bucket.nights for bucket in filled):
        parts.append(f"{drawn}: {_too_few_words(weekly)}, or not over yet.")
    if notes_under_every_bar:
        parts.append("The number under each bar is how many nights it rests on.")
    elif parts and drawn == "Hatched":
        parts.append("The number under a hatched bar is how many nights it rests on.")
    return " ".join(parts)


def cramps_per_week_chart(
    filled: Sequence[Bucket],
    medications: Iterable[Medication],
    *,
    notes_under_every_bar: bool = False,
    height: int = 260,
    width: int = charts.WIDE,
) -> charts.Chart:
    """Cramps per week of logged nights, a bar per week or month, with medication starts and
    stops marked: the one chart of it, on the trends page and in the doctor summary."""
    per = "week" if filled and filled[0].weekly else "month"
    return charts.bar_chart(
        bucket_values(
            filled,
            lambda s: s.cramps_per_week,
            notes_under_every_bar=notes_under_every_bar,
        ),
        title="Cramps per week",
        description=f"Cramps per week of logged nights, by {per}, with medication starts and "
        "stops marked.",
        key=_key(filled, "Hatched", notes_under_every_bar),
        detail_heading=NIGHTS_HEADING,
        y_label="cramps a week",
        value_format="{:.1f}",
        markers=medication_markers(medications, filled),
        height=height,
        width=width,
    )


def trend_line_chart(
    filled: Sequence[Bucket],
    value_of: Callable[[PeriodSummary], float | None],
    markers: Sequence[tuple[int, str]],
    **options,
) -> charts.Chart:
    """A line through each bucket's value, those resting on too few nights or not over yet
    left off it as hollow dots; `options` as for charts.line_chart."""
    return charts.line_chart(
        bucket_values(filled, value_of),
        key=_key(filled, "A hollow dot, off the line"),
        detail_heading=NIGHTS_HEADING,
        markers=markers,
        **options,
    )
