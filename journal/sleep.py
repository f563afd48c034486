"""Sleep metrics of the Consensus Sleep Diary (Carney et al. 2012, SLEEP 35:287)."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SleepMetrics:
    time_in_bed_min: int
    total_sleep_min: int
    efficiency_pct: float


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
    SE  = TST / TIB x 100
    """
    time_in_bed = _minutes(into_bed, out_of_bed)
    total_sleep = _minutes(tried_to_sleep, final_awakening) - latency_min - awake_after_onset_min
    efficiency = round(100 * total_sleep / time_in_bed, 1) if time_in_bed else 0.0
    return SleepMetrics(time_in_bed, total_sleep, efficiency)
