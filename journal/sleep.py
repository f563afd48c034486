"""Sleep metrics of the Consensus Sleep Diary (Carney et al. 2012, SLEEP 35:287)."""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from journal import stats
from journal.nights import local_moment

SLEEP_TIMES = ("into_bed", "tried_to_sleep", "final_awakening", "out_of_bed")
DIARY_FIELDS = (*SLEEP_TIMES, "sleep_latency_min", "awake_after_onset_min")


@dataclass(frozen=True)
class SleepMetrics:
    time_in_bed_min: int
    total_sleep_min: int
    efficiency_pct: float | None  # None when there was no time in bed: not computable


def _minutes(start: datetime, end: datetime) -> int:
    return round((end - start).total_seconds() / 60)


def sleep_metrics(
    *,
    into_bed: datetime,
    tried_to_sleep: datetime,
    final_awakening: datetime,
    out_of_bed: datetime,
    latency_min: int,
    awake_after_onset_min: int,
) -> SleepMetrics:
    """Time in bed, total sleep time and sleep efficiency.

    TIB = out of bed - into bed
    TST = (final awakening - tried to sleep) - minutes to fall asleep - minutes awake
    SE  = TST / TIB x 100, to one decimal; not computable (None) when TIB is 0, since a
          share of no time in bed is not 0% (nor 100%)
    """
    time_in_bed = _minutes(into_bed, out_of_bed)
    total_sleep = _minutes(tried_to_sleep, final_awakening) - latency_min - awake_after_onset_min
    efficiency = round(100 * total_sleep / time_in_bed, 1) if time_in_bed else None
    return SleepMetrics(time_in_bed, total_sleep, efficiency)


def diary_metrics(diary: Mapping[str, Any]) -> SleepMetrics | None:
    """The metrics of one night's diary, given by the Night model's field names; None until
    all four sleep times are in."""
    if any(diary[name] is None for name in SLEEP_TIMES):
        return None
    return sleep_metrics(
        into_bed=diary["into_bed"],
        tried_to_sleep=diary["tried_to_sleep"],
        final_awakening=diary["final_awakening"],
        out_of_bed=diary["out_of_bed"],
        latency_min=diary["sleep_latency_min"],
        awake_after_onset_min=diary["awake_after_onset_min"],
    )


class SleepTimeOrderError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# The longest plausible gap between two successive diary times; a longer one
# means the times were entered out of order (tried to sleep 21:00, into bed 22:00).
MAX_STEP = timedelta(hours=12)


def moments_from_clock_times(
    into_bed: datetime, later: list[tuple[str, str, time]], tz: ZoneInfo
) -> dict[str, datetime]:
    """Turn diary clock times into instants, each the first occurrence after the one before.

    `into_bed` is already an instant (placed by the night rule); `later` lists
    (field, label, clock time) in diary order. Crossing midnight needs no
    special case. Raises SleepTimeOrderError naming the field that is out of order.
    """
    moments: dict[str, datetime] = {}
    previous, previous_label = into_bed, "into bed"
    for field, label, clock in later:
        day = previous.astimezone(tz).date()
        moment = local_moment(day, clock, tz)
        if moment < previous:
            moment = local_moment(day + timedelta(days=1), clock, tz)
        if moment - previous > MAX_STEP:
            raise SleepTimeOrderError(
                field,
                f"{label} ({clock:%H:%M}) looks earlier than {previous_label.lower()} "
                f"({previous.astimezone(tz):%H:%M}). Check the order of the times.",
            )
        moments[field] = moment
        previous, previous_label = moment, label
    return moments


def usual_clock_times(
    recent: list[dict[str, datetime]], tz: ZoneInfo, boundary_hour: int
) -> dict[str, time]:
    """The median wall-clock time of each diary time over `recent` nights; {} without any.

    Times are measured in minutes from the night boundary, so that 23:30 and 00:30 have
    their middle at midnight rather than at noon; the median (stats.median, so the middle
    two's mean for an even count) is rounded to the nearest minute, a half minute up.
    """
    usual = {}
    for field in SLEEP_TIMES:
        minutes = [
            _minutes_after_boundary(night[field].astimezone(tz), boundary_hour) for night in recent
        ]
        middle = stats.median(minutes)
        if middle is not None:
            clock = (math.floor(middle + 0.5) + boundary_hour * 60) % 1440
            usual[field] = time(clock // 60, clock % 60)
    return usual


def _minutes_after_boundary(moment: datetime, boundary_hour: int) -> int:
    return (moment.hour * 60 + moment.minute - boundary_hour * 60) % 1440
