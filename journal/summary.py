"""The doctor summary: one or two pages a clinician can read in a minute.

What goes in, and in which order, follows the clinical reference (section 5):
statistics first, the trend, the medication list, then detail. The same
`DoctorSummary` feeds the web page, the print view, the PDF and shared links.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from journal import charts, stats
from journal.analysis import buckets, loading, medication_changes, periods
from journal.models import Medication, RedFlagChecklist, User

RANGE_MONTHS = {1: "1 month", 3: "3 months", 6: "6 months", 12: "12 months"}
DEFAULT_MONTHS = 3


def range_ending(last_night: date, months: int) -> tuple[date, date]:
    """The nights of the last `months` months, ending with `last_night`."""
    first_of = periods.add_months(periods.month_start(last_night), -months)
    same_day = first_of.replace(day=min(last_night.day, periods.month_end(first_of).day))
    return same_day + timedelta(days=1), last_night


@dataclass(frozen=True)
class SleepAverages:
    nights: int  # nights with a sleep diary
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
class LogDay:
    date: date
    night: loading.NightRecord | None
    episodes: list[loading.EpisodeRecord]


@dataclass(frozen=True)
class DoctorSummary:
    name: str
    date_of_birth: date | None
    start: date
    end: date
    generated_at: datetime
    nights_in_range: int
    key: periods.PeriodSummary
    sleep: SleepAverages
    trend: charts.Chart
    medications: list[MedicationLine]
    checklist: RedFlagChecklist | None
    changes: list[medication_changes.MedicationChange]
    log: list[LogDay]
    window_nights = medication_changes.WINDOW_NIGHTS
    min_nights = stats.MIN_NIGHTS_PER_GROUP

    @property
    def has_data(self) -> bool:
        return self.key.nights_logged > 0

    @property
    def completeness(self) -> float | None:
        return stats.share(self.key.nights_logged, self.nights_in_range)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def sleep_averages(nights: list[loading.NightRecord]) -> SleepAverages:
    with_diary = [night for night in nights if night.total_sleep_min is not None]
    return SleepAverages(
        nights=len(with_diary),
        total_sleep_min=_mean([n.total_sleep_min for n in with_diary]),
        efficiency_pct=_mean([n.efficiency_pct for n in with_diary]),
        latency_min=_mean([n.latency_min for n in with_diary]),
        awake_min=_mean([n.awake_min for n in with_diary]),
        quality=_mean([n.quality for n in nights if n.quality is not None]),
    )


def trend_chart(
    start: date,
    end: date,
    nights: list[loading.NightRecord],
    episodes: list[loading.EpisodeRecord],
    medications: list[Medication],
) -> charts.Chart:
    """Cramps per week, by month (by week for ranges under two months), with medication changes."""
    weekly = (end - start).days < 60
    filled = buckets.fill_buckets(buckets.buckets(start, end, weekly=weekly), nights, episodes)
    summaries = [(bucket.label, bucket.summary) for bucket in filled]
    return charts.bar_chart(
        [(label, s.cramps_per_week if s.nights_logged else None) for label, s in summaries],
        title="Cramps per week",
        description=f"Cramps per week of logged nights, by {'week' if weekly else 'month'}, "
        "with medication starts and stops marked.",
        y_label="cramps a week",
        value_format="{:.1f}",
        markers=buckets.medication_markers(medications, filled, end),
        height=220,
    )


def build_summary(user: User, start: date, end: date, now: datetime) -> DoctorSummary:
    """Everything the summary shows for the nights from `start` to `end`: five queries (nights,
    cramps, medications, the checklist, and the nights around medication changes, whose
    windows can reach outside the range)."""
    nights = loading.load_nights(user, start, end)
    episodes = loading.load_episodes(user, start, end)
    every_medication = list(Medication.objects.for_user(user).order_by("started_on", "name"))
    medications = [m for m in every_medication if m.taken_during(start, end)]
    by_night: dict[date, list[loading.EpisodeRecord]] = {}
    for episode in episodes:
        by_night.setdefault(episode.night, []).append(episode)
    night_records = {night.date: night for night in nights}
    return DoctorSummary(
        name=user.get_full_name() or user.email,
        date_of_birth=user.date_of_birth,
        start=start,
        end=end,
        generated_at=now,
        nights_in_range=(end - start).days + 1,
        key=periods.summarize(nights, episodes),
        sleep=sleep_averages(nights),
        trend=trend_chart(start, end, nights, episodes, every_medication),
        medications=[MedicationLine(medication) for medication in medications],
        # Answers are dated with the calendar day, so those given the morning after the
        # range's last night belong to it too.
        checklist=RedFlagChecklist.objects.for_user(user)
        .filter(answered_on__lte=end + timedelta(days=1))
        .first(),
        changes=medication_changes.medication_changes(
            user, every_medication, start, end, user.night_of(now)
        ),
        log=[
            LogDay(day, night_records.get(day), by_night.get(day, []))
            for day in sorted(night_records)
        ],
    )


class NoFetching(URLFetcher):
    """The PDF is built from one self-contained document: it fetches nothing at all."""

    def fetch(self, url, headers=None):
        raise ValueError(f"The summary PDF does not fetch {url}")


def pdf_from_html(document: str, stylesheet: str) -> bytes:
    return HTML(string=document, url_fetcher=NoFetching()).write_pdf(
        stylesheets=[CSS(string=stylesheet, url_fetcher=NoFetching())]
    )
