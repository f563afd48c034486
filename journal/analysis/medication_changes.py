"""Cramp nights in the four weeks before and after a medicine was started or stopped.

A change happens on the first night of the new state: a start on its start date (the first
night taken), a stop on the day after the last day taken (`Medication.first_day_without`).
Each side is WINDOW_NIGHTS nights, whatever range the page shows: before is the nights D with
change − 28 <= D < change, after those with change <= D < change + 28, cut short only by
the latest night (then the change says how many nights have passed since).

The two sides are compared with `stats.compare_groups` (after as "with", before as
"without"): the ratio of the shares of logged nights with cramps, with its 95% interval (Katz
log method, Haldane–Anscombe correction when a count is zero), given once each side has
`stats.MIN_NIGHTS_PER_GROUP` logged nights. An association in time, never a cause.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from journal import stats
from journal.analysis.loading import NightRecord, load_nights
from journal.models import Medication, User

WINDOW_NIGHTS = 28


@dataclass(frozen=True)
class Change:
    medication: Medication
    change: str  # "started" or "stopped"
    on: date  # the first night taking it (started) or without it (stopped)


@dataclass(frozen=True)
class MedicationChange:
    """Cramp nights in the WINDOW_NIGHTS nights before and after one change."""

    medication: Medication
    change: str  # "started" or "stopped"
    on: date
    nights_since: int  # nights from `on` to the latest night, at most WINDOW_NIGHTS
    comparison: stats.GroupComparison  # "with" is after the change, "without" before it

    @property
    def last_taken(self) -> date | None:
        """For a stop, the last day the medicine was taken."""
        return self.on - timedelta(days=1) if self.change == "stopped" else None

    @property
    def nights_before(self) -> int:
        return self.comparison.nights_without

    @property
    def cramp_nights_before(self) -> int:
        return self.comparison.cramp_nights_without

    @property
    def nights_after(self) -> int:
        return self.comparison.nights_with

    @property
    def cramp_nights_after(self) -> int:
        return self.comparison.cramp_nights_with

    @property
    def after_complete(self) -> bool:
        return self.nights_since >= WINDOW_NIGHTS

    @property
    def not_enough(self) -> str:
        """Why there is no ratio, in words; empty when there is one."""
        if self.comparison.enough_data:
            return ""
        return (
            f"not enough nights ({self.nights_before} before, {self.nights_after} after; "
            f"needs {stats.MIN_NIGHTS_PER_GROUP} each)"
        )

    @property
    def verdict(self) -> str:
        """The comparison in plain words, never as a cause; empty without a ratio."""
        if not self.comparison.enough_data:
            return ""
        doing = f"{'starting' if self.change == 'started' else 'stopping'} {self.medication.name}"
        if not self.comparison.excludes_one:
            return f"No clear difference after {doing} (the interval includes 1, no change)."
        assert self.comparison.ci_low is not None  # an interval that excludes 1 is there
        more = "more" if self.comparison.ci_low > 1 else "less"
        return (
            f"Cramp nights were {more} common after {doing}; this does not show that the "
            "change caused it. Discuss it with your doctor."
        )


def changes_between(medications: Sequence[Medication], start: date, end: date) -> list[Change]:
    """Every start and stop whose change night falls from `start` to `end`, oldest first."""
    changes = []
    for medication in medications:
        for change, on in (
            ("started", medication.started_on),
            ("stopped", medication.first_day_without),
        ):
            if on is not None and start <= on <= end:
                changes.append(Change(medication, change, on))
    return sorted(changes, key=lambda change: (change.on, change.medication.name))


def window_span(changes: Sequence[Change], latest: date) -> tuple[date, date] | None:
    """The nights every change's two windows need, up to `latest`; None without changes."""
    if not changes:
        return None
    first = min(change.on for change in changes) - timedelta(days=WINDOW_NIGHTS)
    last = max(change.on for change in changes) + timedelta(days=WINDOW_NIGHTS - 1)
    return first, min(last, latest)


def compare_changes(
    changes: Sequence[Change], nights: Sequence[NightRecord], latest: date
) -> list[MedicationChange]:
    """Each change with the logged nights of its two windows (`nights` must cover them)."""
    window = timedelta(days=WINDOW_NIGHTS)
    results = []
    for change in changes:
        before = [n for n in nights if change.on - window <= n.date < change.on]
        after = [n for n in nights if change.on <= n.date < change.on + window]
        results.append(
            MedicationChange(
                medication=change.medication,
                change=change.change,
                on=change.on,
                nights_since=max(0, min(WINDOW_NIGHTS, (latest - change.on).days + 1)),
                comparison=stats.compare_groups(
                    sum(1 for n in after if n.cramps),
                    len(after),
                    sum(1 for n in before if n.cramps),
                    len(before),
                ),
            )
        )
    return results


def medication_changes(
    user: User, medications: Sequence[Medication], start: date, end: date, latest: date
) -> list[MedicationChange]:
    """The changes from `start` to `end`, each over its full windows: one query at most.

    `latest` is the user's latest night (`user.night_of(now)`), where an after-window that
    has not finished yet stops.
    """
    changes = changes_between(medications, start, end)
    span = window_span(changes, latest)
    if span is None:
        return []
    return compare_changes(changes, load_nights(user, *span), latest)
