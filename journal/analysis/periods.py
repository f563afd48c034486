"""A period's numbers, and how they compare in words with another period's."""

from collections import Counter
from collections.abc import Callable, Sequence
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
    median_pain: float | None
    muscles: list[tuple[str, int]]
    sides: list[tuple[str, int]]
    nights_woken: int
    median_minutes_back_to_sleep: float | None
    mean_efficiency_pct: float | None
    mean_total_sleep_min: float | None
    relief: list[ReliefRow]


def summarize(nights: Sequence[NightRecord], episodes: Sequence[EpisodeRecord]) -> PeriodSummary:
    """The numbers of a period, from its logged nights and their cramps."""
    durations = [e.duration_seconds for e in episodes if e.duration_seconds is not None]
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
        median_pain=stats.median([e.pain for e in episodes if e.pain is not None]),
        muscles=muscles.most_common(),
        sides=sides.most_common(),
        nights_woken=len({e.night for e in episodes if e.woke_me}),
        median_minutes_back_to_sleep=stats.median(
            [e.minutes_back_to_sleep for e in episodes if e.minutes_back_to_sleep is not None]
        ),
        mean_efficiency_pct=stats.mean(efficiencies),
        mean_total_sleep_min=stats.mean(sleep_minutes),
        relief=relief,
    )


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
    kind: str  # a key of VALUE_FORMATS
    vs_previous: str
    vs_usual: str

    @property
    def value_text(self) -> str:
        return "no data" if self.value is None else VALUE_FORMATS[self.kind](self.value)


def _compared(value, reference, more: str, less: str, against: str) -> str:
    words = compare_words(value, reference, more=more, less=less)
    if not words:
        return ""
    return (
        f"about the same as {against}" if words == "about the same" else f"{words} than {against}"
    )


def period_metrics(
    current: PeriodSummary, previous: PeriodSummary, usual: PeriodSummary
) -> list[MetricRow]:
    """The month in numbers, each compared in words with the month before and the usual."""
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
    return [
        MetricRow(
            label,
            value_of(current),
            kind,
            _compared(value_of(current), value_of(previous), more, less, "last month"),
            _compared(value_of(current), value_of(usual), more, less, "usual"),
        )
        for label, kind, value_of, more, less in rows
    ]
