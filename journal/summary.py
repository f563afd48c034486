"""The doctor summary: one or two pages a clinician can read in a minute.

What goes in, and in which order, follows the clinical reference (section 5):
statistics first, the trend, the medication list, then detail. The same
`DoctorSummary` feeds the web page, the print view, the PDF and shared links.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from journal import charts, stats
from journal.analysis import buckets, loading, medication_changes, periods
from journal.experiments import design, results, running, wording
from journal.experiments.analysis import Result
from journal.experiments.changes import Change
from journal.learn.content import get_content
from journal.models import Experiment, Medication, RedFlagChecklist, User

RANGE_MONTHS = {1: "1 month", 3: "3 months", 6: "6 months", 12: "12 months"}
DEFAULT_MONTHS = 3
WEEKLY_UNDER_DAYS = 60  # the trend is by week for ranges shorter than this, else by month


@dataclass(frozen=True)
class SleepAverages:
    """Means over the nights with a sleep diary; efficiency only over those of them with some
    time in bed (it is not computable for the others), and quality over the nights rated."""

    nights: int  # nights with a sleep diary
    efficiency_nights: int  # ... of which had time in bed, so a sleep efficiency
    total_sleep_min: float | None
    efficiency_pct: float | None
    latency_min: float | None
    awake_min: float | None
    quality: float | None  # 1 very poor ... 5 very good


@dataclass(frozen=True)
class MedicationLine:
    medication: Medication

    @property
    def linked_to_cramps(self) -> bool:
        return self.medication.catalogue_entry.linked_to_cramps


@dataclass(frozen=True)
class CrampNight:
    """A night with cramps, in full: its sleep and each cramp."""

    date: date
    night: loading.NightRecord
    episodes: list[loading.EpisodeRecord]


@dataclass(frozen=True)
class LogWeek:
    """One week (Monday to Sunday) of the log, cut to the nights counted: its nights with cramps
    in full, and the others folded into counts, so a clinician reads the cramps, not pages of
    "no cramps"."""

    monday: date
    first: date  # the first and last nights of the week inside the range
    last: date
    cramp_nights: list[CrampNight]
    quiet_nights: int  # logged, no cramps
    not_logged: int

    @property
    def label(self) -> str:
        """E.g. "Week of 2 Nov 2026", or "Week of 31 Aug 2026, from 3 Sep" when cut."""
        label = f"Week of {self.monday:%-d %b %Y}"
        if self.first > self.monday:
            return f"{label}, from {self.first:%-d %b}"
        if self.last < self.monday + timedelta(days=6):
            return f"{label}, to {self.last:%-d %b}"
        return label

    @property
    def counts(self) -> str:
        """E.g. "2 nights with cramps, 4 quiet nights, 1 not logged"."""
        parts = []
        if self.cramp_nights:
            parts.append(f"{periods.plural(len(self.cramp_nights), 'night')} with cramps")
        if self.quiet_nights:
            parts.append(f"{periods.plural(self.quiet_nights, 'quiet night')}")
        if self.not_logged:
            parts.append(f"{self.not_logged} not logged")
        return ", ".join(parts)


def log_weeks(
    first: date,
    last: date,
    nights: list[loading.NightRecord],
    episodes: list[loading.EpisodeRecord],
) -> list[LogWeek]:
    """The nights from `first` to `last` week by week, oldest first."""
    by_night: dict[date, list[loading.EpisodeRecord]] = {}
    for episode in episodes:
        by_night.setdefault(episode.night, []).append(episode)
    logged = {night.date: night for night in nights}
    weeks = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        days = [
            day for offset in range(7) if first <= (day := monday + timedelta(days=offset)) <= last
        ]
        cramp_nights = [
            CrampNight(day, logged[day], by_night[day]) for day in days if day in by_night
        ]
        quiet = sum(1 for day in days if day in logged and day not in by_night)
        weeks.append(
            LogWeek(
                monday=monday,
                first=days[0],
                last=days[-1],
                cramp_nights=cramp_nights,
                quiet_nights=quiet,
                not_logged=len(days) - len(cramp_nights) - quiet,
            )
        )
        monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class ExperimentLine:
    """One of the patient's experiments as its page tells it (journal/experiments/wording.py):
    the change, the plan, and the result as of the summary's making."""

    experiment: Experiment
    about: Change
    evidence: str | None  # the Learn tip's evidence label; None for a factor of the user's own
    last_night: date  # the night it was stopped on, or the plan's last
    paused_nights: int  # from its first night to its last
    running: bool
    result: Result

    @property
    def counts(self) -> str:
        return wording.counts(self.result.as_treated, self.about.on_nights)

    @property
    def itt_counts(self) -> str:
        return wording.counts(self.result.intention_to_treat, self.about.on_nights)

    @property
    def itt_interval(self) -> str | None:
        effect = self.result.intention_to_treat.effect
        return wording.interval_in_words(effect) if effect and self.result.judged else None

    @property
    def verdict(self) -> str:
        return wording.verdict_in_words(self.result, self.about.name)


def experiment_lines(user: User, start: date, end: date, now: datetime) -> list[ExperimentLine]:
    """The user's experiments with a night from `start` to `end`, oldest first, each with its
    result as of `now` (journal/experiments/results.py): the experiments and, if there are
    any, their pauses; then two queries for each one shown (its answers, its nights)."""
    coming = running.coming_night(user, now)
    content = get_content()
    lines = []
    for experiment in (
        Experiment.objects.for_user(user)
        .filter(start__lte=end)
        .select_related("factor", "user")
        .prefetch_related("pauses")
        .order_by("start", "pk")
    ):
        plan = experiment.design(coming)
        last = experiment.last_night(coming)
        if last < start:
            continue
        about = experiment.about
        scheduled = sum(night <= last for block in design.schedule(plan) for night in block.nights)
        lines.append(
            ExperimentLine(
                experiment=experiment,
                about=about,
                evidence=content.item(about.tip_id).evidence.label if about.tip_id else None,
                last_night=last,
                paused_nights=(last - experiment.start).days + 1 - scheduled,
                running=experiment.is_running(coming),
                result=results.result(experiment, now),
            )
        )
    return lines


@dataclass(frozen=True)
class DoctorSummary:
    name: str
    date_of_birth: date | None
    start: date
    end: date
    generated_at: datetime
    nights: periods.NightRange
    key: periods.PeriodSummary
    sleep: SleepAverages
    trend: charts.Chart  # the wide drawing, the one printed
    trend_narrow: charts.Chart  # the same chart drawn for a phone's screen
    medications: list[MedicationLine]
    checklist: RedFlagChecklist | None
    changes: list[medication_changes.MedicationChange]
    log: list[LogWeek]
    experiments: list[ExperimentLine]
    window_nights = medication_changes.WINDOW_NIGHTS
    min_nights = stats.MIN_NIGHTS_PER_GROUP

    @property
    def has_data(self) -> bool:
        return self.key.nights_logged > 0

    @property
    def completeness(self) -> str:
        """E.g. "52 of 91 nights logged (57%)", counted from the journal's first night if later."""
        return self.nights.completeness(self.key.nights_logged)

    @property
    def enough_nights(self) -> bool:
        """At least half the nights counted are logged (the rule in analysis.periods)."""
        return self.key.nights_logged >= periods.min_nights(self.nights.nights)


def _recorded(values: Iterable[float | None]) -> list[float]:
    """The values, leaving out the None of the nights that do not have one."""
    return [value for value in values if value is not None]


def sleep_averages(nights: list[loading.NightRecord]) -> SleepAverages:
    with_diary = [night for night in nights if night.total_sleep_min is not None]
    efficiencies = _recorded(n.efficiency_pct for n in with_diary)
    return SleepAverages(
        nights=len(with_diary),
        efficiency_nights=len(efficiencies),
        total_sleep_min=stats.mean(_recorded(n.total_sleep_min for n in with_diary)),
        efficiency_pct=stats.mean(efficiencies),
        latency_min=stats.mean(_recorded(n.latency_min for n in with_diary)),
        awake_min=stats.mean(_recorded(n.awake_min for n in with_diary)),
        quality=stats.mean(_recorded(n.quality for n in nights)),
    )


def trend_chart(
    night_range: periods.NightRange,
    nights: list[loading.NightRecord],
    episodes: list[loading.EpisodeRecord],
    medications: list[Medication],
) -> charts.Drawings[charts.Chart]:
    """Cramps per week, by month (by week for short ranges), from the journal's first night,
    with the nights under each bar (a printed page has no table to open); drawn wide for
    paper and a desktop, and narrow for a phone."""
    weekly = (night_range.end - night_range.start).days < WEEKLY_UNDER_DAYS
    filled = buckets.fill_buckets(
        buckets.buckets(night_range.counted_from, night_range.end, weekly=weekly),
        nights,
        episodes,
    )
    return charts.at_both_widths(
        lambda width: buckets.cramps_per_week_chart(
            filled, medications, notes_under_every_bar=True, height=220, width=width
        )
    )


def build_summary(user: User, start: date, end: date, now: datetime) -> DoctorSummary:
    """Everything the summary shows for the nights from `start` to `end`: seven queries (nights,
    cramps, the journal's first night, medications, the checklist, the nights around
    medication changes, whose windows can reach outside the range, and the experiments), and
    more for the experiments there are (experiment_lines says how many)."""
    night_range = periods.NightRange(start, end, loading.first_logged_night(user))
    nights = loading.load_nights(user, start, end)
    episodes = loading.load_episodes(user, start, end)
    every_medication = list(Medication.objects.for_user(user).order_by("started_on", "name"))
    medications = [m for m in every_medication if m.taken_during(start, end)]
    trend = trend_chart(night_range, nights, episodes, every_medication)
    return DoctorSummary(
        name=user.get_full_name() or user.email,
        date_of_birth=user.date_of_birth,
        start=start,
        end=end,
        generated_at=now,
        nights=night_range,
        key=periods.summarize(nights, episodes),
        sleep=sleep_averages(nights),
        trend=trend.wide,
        trend_narrow=trend.narrow,
        medications=[MedicationLine(medication) for medication in medications],
        # Answers are dated with the calendar day, so those given the morning after the
        # range's last night belong to it too.
        checklist=RedFlagChecklist.objects.for_user(user)
        .filter(answered_on__lte=end + timedelta(days=1))
        .first(),
        changes=medication_changes.medication_changes(
            user, every_medication, start, end, user.night_of(now)
        ),
        log=log_weeks(night_range.counted_from, end, nights, episodes),
        experiments=experiment_lines(user, start, end, now),
    )


class NoFetching(URLFetcher):
    """The PDF is built from one self-contained document: it fetches nothing at all."""

    def fetch(self, url, headers=None):
        raise ValueError(f"The summary PDF does not fetch {url}")


def pdf_from_html(document: str, stylesheet: str) -> bytes:
    return HTML(string=document, url_fetcher=NoFetching()).write_pdf(
        stylesheets=[CSS(string=stylesheet, url_fetcher=NoFetching())]
    )
