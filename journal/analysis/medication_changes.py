"""Cramp nights in the weeks before and after a medicine was started or stopped."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from journal import stats
from journal.analysis.loading import NightRecord
from journal.models import Medication


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
