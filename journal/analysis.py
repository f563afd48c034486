"""What the journal says over a period: summaries, trends and factors that go with cramp nights.

Loading functions fetch a date range in a fixed number of queries; everything
else is pure and works on the records they return, in one pass. Only logged
nights (a Night row) count: a night not logged is never a night without cramps.
"""

import calendar
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractHour

from journal import stats
from journal.formatting import minutes_text, seconds_text
from journal.models import (
    RELIEF_FIELDS,
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    ExerciseKind,
    ExerciseSession,
    FactorKind,
    Intensity,
    Medication,
    Muscle,
    Night,
    Side,
    User,
)
from journal.sleep import sleep_metrics

LONG_HOURS = Decimal(8)  # "8 hours or more" on your feet, or sitting
HIGH_PAIN = 7  # the month calendar marks nights with pain above this
STRETCHING_KINDS = [ExerciseKind.STRETCHING, ExerciseKind.YOGA]


# --- Records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NightRecord:
    date: date
    cramps: int
    max_pain: int | None
    total_sleep_min: int | None
    efficiency_pct: float | None
    latency_min: int | None = None  # these three only when the sleep diary was filled in
    awake_min: int | None = None
    quality: int | None = None


@dataclass(frozen=True)
class EpisodeRecord:
    night: date
    started_at: datetime
    duration_seconds: int | None
    pain: int | None
    muscle: str
    side: str
    woke_me: bool
    minutes_back_to_sleep: int | None
    relief: tuple[str, ...]

    @property
    def muscle_label(self) -> str:
        return Muscle(self.muscle).label if self.muscle else ""

    @property
    def side_label(self) -> str:
        return Side(self.side).label if self.side else ""


def load_nights(user: User, start: date, end: date) -> list[NightRecord]:
    """The user's logged nights from `start` to `end` inclusive, oldest first: one query."""
    rows = (
        Night.objects.for_user(user)
        .filter(date__range=(start, end))
        .annotate(cramps=Count("episodes"), max_pain=Max("episodes__pain"))
        .order_by("date")
        .values(
            "date",
            "cramps",
            "max_pain",
            "into_bed",
            "tried_to_sleep",
            "final_awakening",
            "out_of_bed",
            "sleep_latency_min",
            "awake_after_onset_min",
            "quality",
        )
    )
    records = []
    for row in rows:
        metrics = None
        if row["into_bed"] is not None:
            metrics = sleep_metrics(
                into_bed=row["into_bed"],
                tried_to_sleep=row["tried_to_sleep"],
                final_awakening=row["final_awakening"],
                out_of_bed=row["out_of_bed"],
                latency_min=row["sleep_latency_min"],
                awake_after_onset_min=row["awake_after_onset_min"],
            )
        records.append(
            NightRecord(
                date=row["date"],
                cramps=row["cramps"],
                max_pain=row["max_pain"],
                total_sleep_min=metrics.total_sleep_min if metrics else None,
                efficiency_pct=metrics.efficiency_pct if metrics else None,
                latency_min=row["sleep_latency_min"] if metrics else None,
                awake_min=row["awake_after_onset_min"] if metrics else None,
                quality=row["quality"],
            )
        )
    return records


def load_episodes(user: User, start: date, end: date) -> list[EpisodeRecord]:
    """The user's cramps on the nights from `start` to `end` inclusive: one query."""
    rows = (
        CrampEpisode.objects.for_user(user)
        .filter(night__date__range=(start, end))
        .order_by("started_at")
        .values(
            "night__date",
            "started_at",
            "duration_seconds",
            "pain",
            "muscle",
            "side",
            "woke_me",
            "minutes_back_to_sleep",
            *RELIEF_FIELDS,
        )
    )
    return [
        EpisodeRecord(
            night=row["night__date"],
            started_at=row["started_at"],
            duration_seconds=row["duration_seconds"],
            pain=row["pain"],
            muscle=row["muscle"],
            side=row["side"],
            woke_me=row["woke_me"],
            minutes_back_to_sleep=row["minutes_back_to_sleep"],
            relief=tuple(name for name in RELIEF_FIELDS if row[name]),
        )
        for row in rows
    ]


def first_logged_night(user: User) -> date | None:
    return Night.objects.for_user(user).order_by("date").values_list("date", flat=True).first()


# --- Period summaries ---------------------------------------------------------------------


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


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


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
        mean_efficiency_pct=_mean(efficiencies),
        mean_total_sleep_min=_mean(sleep_minutes),
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


# --- Months -------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first_of_month: date) -> date:
    return add_months(first_of_month, 1) - timedelta(days=1)


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


# --- Trends -------------------------------------------------------------------------------


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
    """(bucket index, "Name started"/"Name stopped") for each change inside the buckets."""
    starts = [bucket.start for bucket in buckets]
    markers = []
    for medication in medications:
        for change, on in (("started", medication.started_on), ("stopped", medication.stopped_on)):
            if on is not None and starts and starts[0] <= on <= end:
                markers.append((bisect_right(starts, on) - 1, f"{medication.name} {change}"))
    return markers


def hour_of_night_counts(user: User, start: date, end: date) -> dict[int, int]:
    """How many cramps started in each hour of the clock, in the user's time zone: one query."""
    rows = (
        CrampEpisode.objects.for_user(user)
        .filter(night__date__range=(start, end))
        .annotate(hour=ExtractHour("started_at", tzinfo=user.tzinfo))
        .values("hour")
        .annotate(count=Count("id"))
    )
    return {row["hour"]: row["count"] for row in rows}


def hours_in_night_order(boundary_hour: int) -> list[int]:
    """The 24 clock hours starting at the night boundary, so evening comes before morning."""
    return [(boundary_hour + offset) % 24 for offset in range(24)]


# --- Factors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRecord:
    """What was logged for a day, as the factor rules need it."""

    fluids_ml: int | None
    alcohol_units: Decimal | None
    caffeinated_drinks: int | None
    hours_on_feet: Decimal | None
    hours_sitting: Decimal | None
    exercise_minutes: int
    vigorous: bool
    stretched: bool  # a stretching or yoga session
    custom: dict[int, bool | Decimal]


def load_days(user: User, start: date, end: date) -> dict[date, DayRecord]:
    """Day factors by date: three queries (days, exercise totals per day, custom values)."""
    exercise = {
        row["day__date"]: row
        for row in ExerciseSession.objects.for_user(user)
        .filter(day__date__range=(start, end))
        .values("day__date")
        .annotate(
            minutes=Sum("minutes"),
            vigorous=Count("id", filter=Q(intensity=Intensity.VIGOROUS)),
            stretched=Count("id", filter=Q(kind__in=STRETCHING_KINDS)),
        )
    }
    custom: dict[date, dict[int, bool | Decimal]] = {}
    for row in (
        CustomFactorValue.objects.for_user(user)
        .filter(day__date__range=(start, end))
        .values("day__date", "factor_id", "yes", "number")
    ):
        value = row["yes"] if row["yes"] is not None else row["number"]
        custom.setdefault(row["day__date"], {})[row["factor_id"]] = value
    days = {}
    for row in (
        DayFactors.objects.for_user(user)
        .filter(date__range=(start, end))
        .values(
            "date",
            "fluids_ml",
            "alcohol_units",
            "caffeinated_drinks",
            "hours_on_feet",
            "hours_sitting",
        )
    ):
        totals = exercise.get(row["date"], {})
        days[row["date"]] = DayRecord(
            fluids_ml=row["fluids_ml"],
            alcohol_units=row["alcohol_units"],
            caffeinated_drinks=row["caffeinated_drinks"],
            hours_on_feet=row["hours_on_feet"],
            hours_sitting=row["hours_sitting"],
            exercise_minutes=totals.get("minutes") or 0,
            vigorous=bool(totals.get("vigorous")),
            stretched=bool(totals.get("stretched")),
            custom=custom.get(row["date"], {}),
        )
    return days


# A factor's test says, for one night's record and its day, whether the factor was present;
# None means "not recorded", and such nights stay out of the comparison.
FactorTest = Callable[[date, DayRecord | None], bool | None]


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    test: FactorTest


@dataclass(frozen=True)
class FactorResult:
    factor: Factor
    comparison: stats.GroupComparison

    @property
    def verdict(self) -> str:
        """The ratio with its interval, or how many more nights it needs."""
        c = self.comparison
        if c.enough_data:
            return f"{c.risk_ratio:.2f} ({c.ci_low:.2f} to {c.ci_high:.2f})"
        missing = [
            f"{count} more night{'s' if count > 1 else ''} {side}"
            for count, side in ((c.more_needed_with, "with"), (c.more_needed_without, "without"))
            if count
        ]
        return f"Not enough data yet: {' and '.join(missing)}."


def _day_value(getter: Callable[[DayRecord], object]) -> Callable[[DayRecord | None], object]:
    return lambda day: None if day is None else getter(day)


def _above(threshold: float | None, getter: Callable[[DayRecord], object]) -> FactorTest:
    value_of = _day_value(getter)

    def test(_night: date, day: DayRecord | None) -> bool | None:
        value = value_of(day)
        return None if value is None or threshold is None else value > threshold

    return test


def _at_least(threshold: Decimal, getter: Callable[[DayRecord], object]) -> FactorTest:
    value_of = _day_value(getter)

    def test(_night: date, day: DayRecord | None) -> bool | None:
        value = value_of(day)
        return None if value is None else value >= threshold

    return test


def _usual(values: Iterable[object]) -> float | None:
    return stats.median([float(value) for value in values if value is not None])


def factors_for(
    user: User,
    days: dict[date, DayRecord],
    custom_factors: Sequence[CustomFactor],
    medications: Sequence[Medication],
) -> list[Factor]:
    """The factors compared for this user. "Usual" thresholds are the user's own medians."""
    usual_exercise = _usual(day.exercise_minutes for day in days.values())
    usual_caffeine = _usual(day.caffeinated_drinks for day in days.values())
    factors = []
    if not user.fluid_restricted:
        target = user.fluid_target_ml
        factors.append(
            Factor(
                "fluids_under_target",
                f"Fluids under your daily target ({target} ml)",
                lambda _n, day: (
                    None if day is None or day.fluids_ml is None else day.fluids_ml < target
                ),
            )
        )
    factors += [
        Factor("alcohol", "Any alcohol", _above(0, lambda day: day.alcohol_units)),
        Factor(
            "caffeine",
            "More caffeinated drinks than usual",
            _above(usual_caffeine, lambda day: day.caffeinated_drinks),
        ),
        Factor(
            "exercise",
            "More exercise than usual",
            _above(usual_exercise, lambda day: day.exercise_minutes),
        ),
        Factor(
            "vigorous_exercise",
            "Vigorous exercise",
            lambda _n, day: None if day is None else day.vigorous,
        ),
        Factor(
            "on_feet",
            f"{LONG_HOURS:g} hours or more on your feet",
            _at_least(LONG_HOURS, lambda day: day.hours_on_feet),
        ),
        Factor(
            "sitting",
            f"{LONG_HOURS:g} hours or more sitting",
            _at_least(LONG_HOURS, lambda day: day.hours_sitting),
        ),
    ]
    for custom in custom_factors:
        factors.append(_custom_factor(custom, days))
    for medication in medications:
        factors.append(
            Factor(
                f"medication_{medication.pk}",
                f"Taking {medication.name}",
                lambda night, _day, m=medication: (
                    m.started_on <= night and (m.stopped_on is None or night <= m.stopped_on)
                ),
            )
        )
    return factors


def _custom_factor(custom: CustomFactor, days: dict[date, DayRecord]) -> Factor:
    key = f"custom_{custom.pk}"
    if custom.kind == FactorKind.YES_NO:
        return Factor(
            key,
            custom.name,
            lambda _n, day: None if day is None else day.custom.get(custom.pk),
        )
    usual = _usual(day.custom.get(custom.pk) for day in days.values())
    unit = f" {custom.unit}" if custom.unit else ""
    over = f" (over {round(usual, 1):g}{unit})" if usual else ""
    label = f"{custom.name}: more than usual{over}"
    return Factor(key, label, _above(usual, lambda day: day.custom.get(custom.pk)))


def compare_factors(
    nights: Sequence[NightRecord], days: dict[date, DayRecord], factors: Sequence[Factor]
) -> list[FactorResult]:
    """Cramp-night rates with and without each factor, strongest evidence first.

    The factor of day D is paired with the night of D. Nights where the factor
    was not recorded are left out of its comparison.
    """
    results = []
    for factor in factors:
        counts = Counter()
        for night in nights:
            present = factor.test(night.date, days.get(night.date))
            if present is None:
                continue
            counts[present, "nights"] += 1
            counts[present, "cramp"] += bool(night.cramps)
        comparison = stats.compare_groups(
            counts[True, "cramp"],
            counts[True, "nights"],
            counts[False, "cramp"],
            counts[False, "nights"],
        )
        results.append(FactorResult(factor, comparison))
    return sorted(
        results,
        key=lambda result: (not result.comparison.enough_data, -result.comparison.strength),
    )


@dataclass(frozen=True)
class MedicationChange:
    """Cramp nights in the weeks before and after a medication was started or stopped."""

    medication: Medication
    change: str  # "started" or "stopped"
    on: date
    nights_before: int
    cramp_nights_before: int
    nights_after: int
    cramp_nights_after: int

    @property
    def per_week_before(self) -> float | None:
        return stats.per_week(self.cramp_nights_before, self.nights_before)

    @property
    def per_week_after(self) -> float | None:
        return stats.per_week(self.cramp_nights_after, self.nights_after)


def medication_changes(
    nights: Sequence[NightRecord],
    medications: Sequence[Medication],
    start: date,
    end: date,
    *,
    weeks: int = 4,
) -> list[MedicationChange]:
    """Each start or stop inside start..end, with the logged nights `weeks` before and after."""
    window = timedelta(weeks=weeks)
    changes = []
    for medication in medications:
        for change, on in (("started", medication.started_on), ("stopped", medication.stopped_on)):
            if on is None or not start <= on <= end:
                continue
            before = [night for night in nights if on - window <= night.date < on]
            after = [night for night in nights if on <= night.date < on + window]
            changes.append(
                MedicationChange(
                    medication=medication,
                    change=change,
                    on=on,
                    nights_before=len(before),
                    cramp_nights_before=sum(1 for night in before if night.cramps),
                    nights_after=len(after),
                    cramp_nights_after=sum(1 for night in after if night.cramps),
                )
            )
    return sorted(changes, key=lambda change: change.on)
