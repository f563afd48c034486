"""Consensus Sleep Diary metrics: `sleep_metrics` and `Night.metrics`, including DST nights."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from journal.models import Night
from journal.nights import local_moment
from journal.sleep import SleepMetrics, sleep_metrics, usual_clock_times

LONDON = ZoneInfo("Europe/London")

# The worked example: into bed 22:30, tried to sleep 22:45, 20 minutes to fall asleep,
# 35 minutes awake in the night, final awakening 06:15, out of bed 06:40.
LATENCY = 20
AWAKE = 35


def diary_times(evening: date, tz: ZoneInfo) -> dict[str, datetime]:
    morning = evening + timedelta(days=1)
    return {
        "into_bed": local_moment(evening, time(22, 30), tz),
        "tried_to_sleep": local_moment(evening, time(22, 45), tz),
        "final_awakening": local_moment(morning, time(6, 15), tz),
        "out_of_bed": local_moment(morning, time(6, 40), tz),
    }


def metrics_for(times: dict[str, datetime], latency: int = LATENCY, awake: int = AWAKE):
    return sleep_metrics(**times, latency_min=latency, awake_after_onset_min=awake)


def test_worked_example_by_hand():
    # An ordinary January night in London (GMT all night, no clock change).
    m = metrics_for(diary_times(date(2026, 1, 10), LONDON))
    # TIB = 22:30 -> 06:40 = 1 h 30 min before midnight + 6 h 40 min after = 8 h 10 min = 490.
    assert m.time_in_bed_min == 490
    # Window 22:45 -> 06:15 = 7 h 30 min = 450; TST = 450 - 20 - 35 = 395.
    assert m.total_sleep_min == 395
    # SE = 395 / 490 = 0.80612... -> 80.6 %.
    assert m.efficiency_pct == 80.6
    assert m == SleepMetrics(time_in_bed_min=490, total_sleep_min=395, efficiency_pct=80.6)


def test_latency_and_awake_time_are_subtracted_separately():
    times = diary_times(date(2026, 1, 10), LONDON)
    # No latency, no waking: TST = the whole 450-minute window; SE = 450/490 = 91.8 %.
    assert metrics_for(times, 0, 0) == SleepMetrics(490, 450, 91.8)
    # Only latency: 450 - 20 = 430; 430/490 = 87.755 -> 87.8 %.
    assert metrics_for(times, LATENCY, 0) == SleepMetrics(490, 430, 87.8)
    # Only awake: 450 - 35 = 415; 415/490 = 84.69 -> 84.7 %.
    assert metrics_for(times, 0, AWAKE) == SleepMetrics(490, 415, 84.7)


def test_fall_back_night_is_an_hour_longer():
    # London falls back at 02:00 BST -> 01:00 GMT on Sun 25 Oct 2026.
    times = diary_times(date(2026, 10, 24), LONDON)
    assert times["into_bed"] == datetime(2026, 10, 24, 21, 30, tzinfo=UTC)  # 22:30 BST
    assert times["tried_to_sleep"] == datetime(2026, 10, 24, 21, 45, tzinfo=UTC)
    assert times["final_awakening"] == datetime(2026, 10, 25, 6, 15, tzinfo=UTC)  # 06:15 GMT
    assert times["out_of_bed"] == datetime(2026, 10, 25, 6, 40, tzinfo=UTC)
    m = metrics_for(times)
    # TIB = 21:30 -> 06:40 UTC = 9 h 10 min = 550 = 490 + 60.
    assert m.time_in_bed_min == 490 + 60
    # Window 21:45 -> 06:15 UTC = 8 h 30 min = 510; TST = 510 - 20 - 35 = 455 = 395 + 60.
    assert m.total_sleep_min == 395 + 60
    # SE = 455 / 550 = 0.82727... -> 82.7 %.
    assert m.efficiency_pct == 82.7


def test_spring_forward_night_is_an_hour_shorter():
    # London springs forward at 01:00 GMT -> 02:00 BST on Sun 29 Mar 2026.
    times = diary_times(date(2026, 3, 28), LONDON)
    assert times["into_bed"] == datetime(2026, 3, 28, 22, 30, tzinfo=UTC)  # 22:30 GMT
    assert times["final_awakening"] == datetime(2026, 3, 29, 5, 15, tzinfo=UTC)  # 06:15 BST
    assert times["out_of_bed"] == datetime(2026, 3, 29, 5, 40, tzinfo=UTC)
    m = metrics_for(times)
    # TIB = 22:30 -> 05:40 UTC = 7 h 10 min = 430 = 490 - 60.
    assert m.time_in_bed_min == 490 - 60
    # Window 22:45 -> 05:15 UTC = 6 h 30 min = 390; TST = 390 - 20 - 35 = 335 = 395 - 60.
    assert m.total_sleep_min == 395 - 60
    # SE = 335 / 430 = 0.77906... -> 77.9 %.
    assert m.efficiency_pct == 77.9


def test_zero_time_in_bed_makes_efficiency_not_computable_rather_than_zero():
    moment = datetime(2026, 1, 10, 23, 0, tzinfo=UTC)
    m = sleep_metrics(
        into_bed=moment,
        tried_to_sleep=moment,
        final_awakening=moment,
        out_of_bed=moment,
        latency_min=0,
        awake_after_onset_min=0,
    )
    assert m == SleepMetrics(0, 0, None)
    # Under half a minute in bed rounds to 0 minutes too: still not computable, not 0%.
    late = moment + timedelta(seconds=29)
    m = sleep_metrics(
        into_bed=moment,
        tried_to_sleep=moment,
        final_awakening=late,
        out_of_bed=late,
        latency_min=0,
        awake_after_onset_min=0,
    )
    assert m == SleepMetrics(0, 0, None)


def test_minutes_are_rounded_to_the_nearest_minute():
    times = diary_times(date(2026, 1, 10), LONDON)
    # 40 seconds more in bed: 490 min 40 s rounds to 491; 20 seconds less asleep in the window:
    # 449 min 40 s rounds to 450, so TST stays 395; SE = 395 / 491 = 80.45 -> 80.4 %.
    times["out_of_bed"] += timedelta(seconds=40)
    times["final_awakening"] -= timedelta(seconds=20)
    assert metrics_for(times) == SleepMetrics(491, 395, 80.4)


@pytest.mark.parametrize(
    ("evening", "expected"),
    [
        (date(2026, 1, 10), SleepMetrics(490, 395, 80.6)),
        (date(2026, 10, 24), SleepMetrics(550, 455, 82.7)),  # fall back: +60 each
        (date(2026, 3, 28), SleepMetrics(430, 335, 77.9)),  # spring forward: -60 each
    ],
)
def test_night_metrics_after_a_round_trip_through_the_database(alice, evening, expected):
    assert alice.time_zone == "Europe/London"
    Night.objects.create(
        user=alice,
        date=evening,
        sleep_latency_min=LATENCY,
        awake_after_onset_min=AWAKE,
        **diary_times(evening, alice.tzinfo),
    )
    night = Night.objects.get(user=alice, date=evening)
    assert night.has_sleep_times
    assert night.metrics == expected


def test_night_metrics_is_none_without_sleep_times(alice):
    night = Night.objects.create(user=alice, date=date(2026, 1, 10), sleep_latency_min=LATENCY)
    night.refresh_from_db()
    assert not night.has_sleep_times
    assert night.metrics is None


@pytest.mark.parametrize("missing", ["into_bed", "tried_to_sleep", "final_awakening", "out_of_bed"])
def test_night_metrics_is_none_when_any_time_is_missing(missing):
    # The database refuses a partly filled night, so this one is never saved.
    times = diary_times(date(2026, 1, 10), LONDON)
    times[missing] = None
    night = Night(date=date(2026, 1, 10), **times)
    assert not night.has_sleep_times
    assert night.metrics is None
    # With all four set again the metrics come back.
    setattr(night, missing, diary_times(date(2026, 1, 10), LONDON)[missing])
    assert night.metrics == SleepMetrics(490, 450, 91.8)


# --- Usual times: the median of recent nights, measured from the night boundary ------------


def nights_going_to_bed_at(*clocks: tuple[int, int], tz: ZoneInfo = LONDON) -> list[dict]:
    """One night per clock time, each a January evening (or just after midnight), with the
    other three times fixed: tried to sleep 00:30, final awakening 07:00, out of bed 07:15."""
    nights = []
    for offset, (hh, mm) in enumerate(clocks):
        evening = date(2026, 1, 10) + timedelta(days=offset)
        morning = evening + timedelta(days=1)
        nights.append(
            {
                "into_bed": local_moment(evening if hh >= 12 else morning, time(hh, mm), tz),
                "tried_to_sleep": local_moment(morning, time(0, 30), tz),
                "final_awakening": local_moment(morning, time(7, 0), tz),
                "out_of_bed": local_moment(morning, time(7, 15), tz),
            }
        )
    return nights


def usual_bedtime(*clocks: tuple[int, int], boundary: int = 12) -> time:
    return usual_clock_times(nights_going_to_bed_at(*clocks), LONDON, boundary)["into_bed"]


def test_no_recent_nights_no_usual_times():
    assert usual_clock_times([], LONDON, 12) == {}


def test_usual_times_are_each_times_median():
    usual = usual_clock_times(nights_going_to_bed_at((22, 0), (23, 0), (22, 30)), LONDON, 12)
    assert usual == {
        "into_bed": time(22, 30),  # the middle of 22:00, 22:30, 23:00
        "tried_to_sleep": time(0, 30),
        "final_awakening": time(7, 0),
        "out_of_bed": time(7, 15),
    }


def test_the_median_of_an_even_count_is_the_middle_twos_mean_as_everywhere_else():
    # 22:00, 22:20, 23:00, 23:40: the middle two are 22:20 and 23:00, so 22:40 (stats.median);
    # not 23:00, the upper middle one, which this used to take.
    assert usual_bedtime((22, 0), (23, 40), (22, 20), (23, 0)) == time(22, 40)


def test_the_median_is_rounded_to_the_nearest_minute_a_half_minute_up():
    # 23:50 and 23:51: the mean of the two is 23:50:30, which rounds up to 23:51 (Python's
    # round() would give 23:50, rounding half to even).
    assert usual_bedtime((23, 50), (23, 51)) == time(23, 51)
    assert usual_bedtime((23, 50), (23, 52)) == time(23, 51)  # a whole minute: no rounding


def test_the_median_across_midnight_is_measured_from_the_night_boundary():
    # 23:40 and 00:20 are 11 h 40 min and 12 h 20 min after noon: the middle is midnight.
    # (Measured from the midnight of the clock, they would average to noon.)
    assert usual_bedtime((23, 40), (0, 20)) == time(0, 0)
    assert usual_bedtime((23, 30), (0, 10), (0, 50)) == time(0, 10)
    # With a 22:00 boundary a bedtime of 21:30 is the latest of the night, not the earliest:
    # 21:30, 22:30 and 23:30 are 23 h 30 min, 30 min and 1 h 30 min after 22:00 -> 23:30.
    assert usual_bedtime((21, 30), (22, 30), (23, 30), boundary=22) == time(23, 30)
