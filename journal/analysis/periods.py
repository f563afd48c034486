"""A period's numbers, how they compare in words with another period's, and the ranges.

**Enough nights** (the rule, written only here): a week's or month's figure rests on enough
nights when at least half the nights of the whole calendar week or month are logged: 4 of a
week; 14, 15 or 16 of a month of 28, 29 or 30, 31 nights; 183 of the twelve months before a
month (the "usual"). A period still going, or cut by the start of a range, is held to its
whole length, so a week needs 4 logged nights however much of it has passed. A figure that
does not rest on enough nights is drawn distinctly and never compared in words; a week or
month not over yet is always marked "so far".

**Early in a month** the month page opens on the month that just ended, while the new month
is in its first week and has fewer logged nights than a week's figure rests on (4): the month
just ended is the one worth reading then. The new month is a link away ("December so far").

**Ranges**: "the last N months" ending with a night are the nights after the same date N
months before, up to that night: ending with the night of 1 December, the last 3 months are
2 September to 1 December, on every page that offers them. How complete a range is counts
from the journal's first night when that is later than the range's start.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from journal import stats
from journal.analysis.loading import EpisodeRecord, NightRecord
from journal.formatting import minutes_text, seconds_text
from journal.models import RELIEF_FIELDS


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first_of_month: date) -> date:
    return add_months(first_of_month, 1) - timedelta(days=1)


def min_nights(period_nights: int) -> int:
    """The fewest logged nights a figure of a period of `period_nights` nights rests on: half,
    rounded up (4 of 7, 16 of 31)."""
    return (period_nights + 1) // 2


WEEK = 7


def too_few_nights(nights_logged: int) -> bool:
    """Fewer logged nights than even a week's figure rests on: a review page says to log a
    few nights first rather than draw figures of nothing."""
    return nights_logged < min_nights(WEEK)


def opening_month(last_night: date, logged: Iterable[date]) -> date:
    """The month the month page opens on when none is asked for: the one just ended while
    the month of `last_night` is in its first week with fewer logged nights than a week's
    figure rests on, if the month just ended has logged nights; else the month of
    `last_night`. `logged` are the dates of logged nights (any others are ignored)."""
    this_month = month_start(last_night)
    last_month = add_months(this_month, -1)
    dates = list(logged)
    in_this = sum(1 for day in dates if this_month <= day <= last_night)
    in_last = sum(1 for day in dates if last_month <= day < this_month)
    first_week = (last_night - this_month).days < WEEK
    if first_week and in_this < min_nights(WEEK) and in_last:
        return last_month
    return this_month


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- Ranges --------------------------------------------------------------------------------


def range_ending(last_night: date, months: int) -> tuple[date, date]:
    """The nights of the last `months` months, ending with `last_night`."""
    first_of = add_months(month_start(last_night), -months)
    same_day = first_of.replace(day=min(last_night.day, month_end(first_of).day))
    return same_day + timedelta(days=1), last_night


@dataclass(frozen=True)
class NightRange:
    """The nights from `start` to `end`, and the journal's first night (None if it has none)."""

    start: date
    end: date
    journal_start: date | None

    @property
    def counted_from(self) -> date:
        """Where completeness counts from: the journal's first night, if later than `start`."""
        if self.journal_start is not None and self.start < self.journal_start <= self.end:
            return self.journal_start
        return self.start

    @property
    def began_inside(self) -> bool:
        """The journal began after the range's first night."""
        return self.counted_from > self.start

    @property
    def nights(self) -> int:
        """Nights from `counted_from` to `end`."""
        return (self.end - self.counted_from).days + 1

    def completeness(self, nights_logged: int) -> str:
        """E.g. "Since the journal began on 3 Oct 2026: 52 of 61 nights logged (85%)"."""
        percent = round(100 * nights_logged / self.nights)
        if percent == 100 and nights_logged < self.nights:
            percent = 99  # never "100%" while a night is missing
        text = f"{nights_logged} of {plural(self.nights, 'night')} logged ({percent}%)"
        if self.began_inside:
            return f"Since the journal began on {self.counted_from:%-d %b %Y}: {text}"
        return text


def night_range(last_night: date, months: int | None, journal_start: date | None) -> NightRange:
    """The last `months` months ending with `last_night`, or (None) every night since the
    journal began."""
    if months is None:
        start = min(journal_start or last_night, last_night)
    else:
        start, _ = range_ending(last_night, months)
    return NightRange(start, last_night, journal_start)


# --- A period's numbers --------------------------------------------------------------------


@dataclass(frozen=True)
class ReliefRow:
    label: str
    times_used: int
    median_duration_seconds: float | None


@dataclass(frozen=True)
class PeriodSummary:
    nights_logged: int
    cramp_nights: int
    cramps: int
    cramps_per_week: float | None
    share_cramp_nights: float | None
    median_duration_seconds: float | None
    longest_duration_seconds: int | None
    cramps_with_length: int
    median_pain: float | None
    cramps_with_pain: int
    muscles: list[tuple[str, int]]
    sides: list[tuple[str, int]]
    nights_woken: int  # nights with at least one cramp that woke you
    median_minutes_back_to_sleep: float | None
    cramps_with_back_to_sleep: int
    mean_efficiency_pct: float | None
    mean_total_sleep_min: float | None
    nights_with_sleep: int  # nights with a sleep diary
    relief: list[ReliefRow]


def summarize(nights: Sequence[NightRecord], episodes: Sequence[EpisodeRecord]) -> PeriodSummary:
    """The numbers of a period, from its logged nights and their cramps."""
    durations = [e.duration_seconds for e in episodes if e.duration_seconds is not None]
    pains = [e.pain for e in episodes if e.pain is not None]
    back_to_sleep = [
        e.minutes_back_to_sleep for e in episodes if e.minutes_back_to_sleep is not None
    ]
    efficiencies = [n.efficiency_pct for n in nights if n.efficiency_pct is not None]
    sleep_minutes = [n.total_sleep_min for n in nights if n.total_sleep_min is not None]
    cramps = sum(n.cramps for n in nights)
    cramp_nights = sum(1 for n in nights if n.cramps)
    muscles = Counter(e.muscle_label for e in episodes if e.muscle)
    sides = Counter(e.side_label for e in episodes if e.side)
    relief = []
    for name, label in RELIEF_FIELDS.items():
        used = [e for e in episodes if name in e.relief]
        if used:
            lengths = [e.duration_seconds for e in used if e.duration_seconds is not None]
            relief.append(ReliefRow(label, len(used), stats.median(lengths)))
    return PeriodSummary(
        nights_logged=len(nights),
        cramp_nights=cramp_nights,
        cramps=cramps,
        cramps_per_week=stats.per_week(cramps, len(nights)),
        share_cramp_nights=stats.share(cramp_nights, len(nights)),
        median_duration_seconds=stats.median(durations),
        longest_duration_seconds=max(durations, default=None),
        cramps_with_length=len(durations),
        median_pain=stats.median(pains),
        cramps_with_pain=len(pains),
        muscles=muscles.most_common(),
        sides=sides.most_common(),
        nights_woken=len({e.night for e in episodes if e.woke_me}),
        median_minutes_back_to_sleep=stats.median(back_to_sleep),
        cramps_with_back_to_sleep=len(back_to_sleep),
        mean_efficiency_pct=stats.mean(efficiencies),
        mean_total_sleep_min=stats.mean(sleep_minutes),
        nights_with_sleep=len(sleep_minutes),
        relief=relief,
    )


@dataclass(frozen=True)
class Period:
    """A calendar period's numbers, and whether they rest on enough nights (the rule above)."""

    summary: PeriodSummary
    length: int  # nights in the whole calendar period, logged or not, passed or not

    @property
    def min_nights(self) -> int:
        return min_nights(self.length)

    @property
    def enough_nights(self) -> bool:
        return self.summary.nights_logged >= self.min_nights


# --- In words ------------------------------------------------------------------------------

# How different two values must be, relatively, before the words say more or fewer.
SAME_WITHIN = 0.1


def compare_words(value: float | None, reference: float | None, *, more: str, less: str) -> str:
    """Plain words for how `value` compares with `reference`: "more", "less" or "about the same"."""
    if value is None or reference is None:
        return ""
    if abs(value - reference) <= SAME_WITHIN * max(abs(reference), 1e-9):
        return "about the same"
    return more if value > reference else less


VALUE_FORMATS: dict[str, Callable[[float], str]] = {
    "per_week": lambda value: f"{value:.1f} a week",
    "share": lambda value: f"{value:.0%}",
    "seconds": seconds_text,
    "minutes": minutes_text,
    "pain": lambda value: f"{value:g}/10",
    "percent": lambda value: f"{value:.0f}%",
}


@dataclass(frozen=True)
class MetricRow:
    label: str
    value: float | None
    value_text: str
    vs_previous: str
    vs_usual: str


def _compared(value, reference, more: str, less: str, against: str) -> str:
    words = compare_words(value, reference, more=more, less=less)
    if not words:
        return ""
    return (
        f"about the same as {against}" if words == "about the same" else f"{words} than {against}"
    )


def _value_text(period: Period, kind: str, value: float | None) -> str:
    """The value in words; a rate of a period with too few nights is given as the counts it
    comes from instead, so one night's cramps are never scaled up to a week."""
    summary = period.summary
    if value is None:
        return "no data"
    if not period.enough_nights and kind == "per_week":
        return f"{plural(summary.cramps, 'cramp')} in {plural(summary.nights_logged, 'night')}"
    if not period.enough_nights and kind == "share" and summary.nights_logged:
        return f"{round(value * summary.nights_logged)} of {summary.nights_logged}"
    return VALUE_FORMATS[kind](value)


def period_metrics(current: Period, previous: Period, usual: Period) -> list[MetricRow]:
    """The month in numbers, each compared in words with the month before and the usual, but
    only where both sides rest on enough nights."""
    rows = [
        ("Cramps per week", "per_week", lambda s: s.cramps_per_week, "more", "fewer"),
        ("Nights with cramps", "share", lambda s: s.share_cramp_nights, "more", "fewer"),
        ("Median length", "seconds", lambda s: s.median_duration_seconds, "longer", "shorter"),
        ("Longest", "seconds", lambda s: s.longest_duration_seconds, "longer", "shorter"),
        ("Median pain", "pain", lambda s: s.median_pain, "higher", "lower"),
        (
            "Nights woken by a cramp",
            "share",
            lambda s: stats.share(s.nights_woken, s.nights_logged),
            "more",
            "fewer",
        ),
        (
            "Median time to fall back asleep",
            "minutes",
            lambda s: s.median_minutes_back_to_sleep,
            "longer",
            "shorter",
        ),
        ("Sleep efficiency", "percent", lambda s: s.mean_efficiency_pct, "higher", "lower"),
        ("Total sleep", "minutes", lambda s: s.mean_total_sleep_min, "longer", "shorter"),
    ]

    def against(other: Period, value_of, more: str, less: str, name: str) -> str:
        if not (current.enough_nights and other.enough_nights):
            return ""
        return _compared(value_of(current.summary), value_of(other.summary), more, less, name)

    return [
        MetricRow(
            label,
            value_of(current.summary),
            _value_text(current, kind, value_of(current.summary)),
            against(previous, value_of, more, less, "last month"),
            against(usual, value_of, more, less, "usual"),
        )
        for label, kind, value_of, more, less in rows
    ]
