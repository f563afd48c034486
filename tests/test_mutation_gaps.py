"""Cases the mutation run found untested: the night rule and diary times in a zone far from
UTC (the machine's own zone is UTC, so a lost `tz` went unnoticed), and exact boundaries."""

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from journal import nights, sleep
from journal.analysis import buckets, loading
from journal.analysis.loading import NightRecord
from journal.models import User

AUCKLAND = ZoneInfo("Pacific/Auckland")  # UTC+13 in December
LOS_ANGELES = ZoneInfo("America/Los_Angeles")  # UTC-8 in December


def test_local_moment_is_the_wall_clock_of_the_zone_not_of_the_machine():
    assert nights.local_moment(date(2026, 12, 2), time(3, 10), AUCKLAND) == datetime(
        2026, 12, 1, 14, 10, tzinfo=UTC
    )


def test_local_moment_ignores_a_zone_already_on_the_clock_time():
    clock = time(3, 10, tzinfo=LOS_ANGELES)
    assert nights.local_moment(date(2026, 12, 2), clock, AUCKLAND) == datetime(
        2026, 12, 1, 14, 10, tzinfo=UTC
    )


def test_local_moment_takes_the_first_of_a_repeated_hour():
    # 01:30 happens twice in Los Angeles on 1 Nov 2026; a fold=1 time must not pick the second.
    moment = nights.local_moment(date(2026, 11, 1), time(1, 30, fold=1), LOS_ANGELES)
    assert moment == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)


def test_night_window_runs_from_the_boundary_hour_in_the_users_zone():
    start, end = nights.night_window(date(2026, 12, 1), AUCKLAND, 12)
    assert start == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)


def test_latest_moment_at_uses_the_users_day():
    # 20:00 UTC on 1 Dec is 09:00 on 2 Dec in Auckland: 03:00 today there, not on 1 Dec.
    now = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    assert nights.latest_moment_at(time(3, 0), now, AUCKLAND) == datetime(
        2026, 12, 1, 14, 0, tzinfo=UTC
    )
    # 10:00 has not come yet today in Auckland: yesterday's.
    assert nights.latest_moment_at(time(10, 0), now, AUCKLAND) == datetime(
        2026, 11, 30, 21, 0, tzinfo=UTC
    )


def test_latest_moment_at_counts_now_itself_as_not_after_now():
    now = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)  # 03:00 in Los Angeles
    assert nights.latest_moment_at(time(3, 0), now, LOS_ANGELES) == now


def test_checkin_night_is_yesterday_in_the_users_zone():
    now = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # the morning of 2 Dec in Auckland
    assert nights.checkin_night(now, AUCKLAND) == date(2026, 12, 1)


def _diary_times(clock_times):
    labels = {"tried_to_sleep": "Tried to sleep", "final_awakening": "Final awakening"}
    return [(field, labels.get(field, field), clock) for field, clock in clock_times]


def test_diary_times_cross_midnight_in_the_users_zone():
    into_bed = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # 22:30 on 1 Dec in Auckland
    moments = sleep.moments_from_clock_times(
        into_bed,
        _diary_times([("tried_to_sleep", time(22, 45)), ("final_awakening", time(6, 30))]),
        AUCKLAND,
    )
    assert moments == {
        "tried_to_sleep": datetime(2026, 12, 1, 9, 45, tzinfo=UTC),
        "final_awakening": datetime(2026, 12, 1, 17, 30, tzinfo=UTC),
    }


def test_a_diary_time_equal_to_the_one_before_is_the_same_moment():
    into_bed = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    moments = sleep.moments_from_clock_times(
        into_bed, _diary_times([("tried_to_sleep", time(22, 30))]), AUCKLAND
    )
    assert moments["tried_to_sleep"] == into_bed


def test_a_step_of_exactly_twelve_hours_is_allowed_and_one_minute_more_is_not():
    into_bed = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 22:00 in Auckland
    moments = sleep.moments_from_clock_times(
        into_bed, _diary_times([("final_awakening", time(10, 0))]), AUCKLAND
    )
    assert moments["final_awakening"] - into_bed == timedelta(hours=12)
    with pytest.raises(sleep.SleepTimeOrderError) as refused:
        sleep.moments_from_clock_times(
            into_bed, _diary_times([("final_awakening", time(10, 1))]), AUCKLAND
        )
    assert refused.value.field == "final_awakening"
    assert "(22:00)" in str(refused.value)


def test_usual_clock_times_are_wall_clock_times_in_the_users_zone():
    recent = [
        {
            "into_bed": datetime(2026, 12, day, 9, 30, tzinfo=UTC),  # 22:30 in Auckland
            "tried_to_sleep": datetime(2026, 12, day, 9, 45, tzinfo=UTC),
            "final_awakening": datetime(2026, 12, day, 17, 30, tzinfo=UTC),
            "out_of_bed": datetime(2026, 12, day, 17, 50, tzinfo=UTC),
        }
        for day in (1, 2, 3)
    ]
    assert sleep.usual_clock_times(recent, AUCKLAND, 12) == {
        "into_bed": time(22, 30),
        "tried_to_sleep": time(22, 45),
        "final_awakening": time(6, 30),
        "out_of_bed": time(6, 50),
    }


def test_month_calendar_cells_say_exactly_what_was_logged():
    december = date(2026, 12, 1)
    logged = [
        NightRecord(date(2026, 12, 1), 2, 7, None, None),  # pain 7 is not "above 7"
        NightRecord(date(2026, 12, 2), 1, 8, None, None),
        NightRecord(date(2026, 12, 3), 1, None, None, None),  # pain not given
    ]
    weeks = buckets.month_calendar(december, logged, last_night=date(2026, 12, 3))
    cells = {cell.date: cell for week in weeks for cell in week}
    assert cells[date(2026, 11, 30)].in_month is False
    assert cells[date(2026, 12, 1)].in_month is True
    assert [cells[date(2026, 12, d)].high_pain for d in (1, 2, 3, 4)] == [
        False,
        True,
        False,
        False,
    ]
    assert cells[date(2026, 12, 4)].cramps == 0
    assert cells[date(2026, 12, 4)].logged is False
    assert cells[date(2026, 12, 3)].future is False
    assert cells[date(2026, 12, 4)].future is True


def test_hours_in_night_order_start_at_the_boundary_and_cover_the_day_once():
    assert buckets.hours_in_night_order(12) == [*range(12, 24), *range(12)]
    assert buckets.hours_in_night_order(0) == list(range(24))


def test_diary_times_west_of_utc_stay_on_the_users_evening():
    into_bed = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)  # 22:30 on 1 Dec in Los Angeles
    moments = sleep.moments_from_clock_times(
        into_bed, _diary_times([("tried_to_sleep", time(22, 45))]), LOS_ANGELES
    )
    assert moments["tried_to_sleep"] == datetime(2026, 12, 2, 6, 45, tzinfo=UTC)


@pytest.mark.django_db
def test_the_time_of_night_chart_counts_only_this_users_cramps_by_their_own_clock(
    alice, bob, client, freeze_now
):
    from django.urls import reverse

    from journal.models import CrampEpisode, Night

    freeze_now(datetime(2026, 12, 2, 14, 0, tzinfo=UTC))
    new_york = ZoneInfo("America/New_York")  # bob's zone, UTC-5 in November
    bobs_night = Night.objects.create(user=bob, date=date(2026, 11, 30))
    for hour, minute in [(23, 10), (2, 5), (2, 40)]:
        day = date(2026, 11, 30) if hour >= 12 else date(2026, 12, 1)
        CrampEpisode.objects.create(
            night=bobs_night, started_at=datetime.combine(day, time(hour, minute), new_york)
        )
    for quiet in (27, 28, 29):  # a week's figure of nights, so that the charts are drawn
        Night.objects.create(user=bob, date=date(2026, 11, quiet))
    alices_night = Night.objects.create(user=alice, date=date(2026, 11, 30))
    CrampEpisode.objects.create(
        night=alices_night, started_at=datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
    )
    client.force_login(bob)
    charts = client.get(reverse("trends"), {"range": "3m"}).context["charts"]
    time_of_night = charts[-1]["drawings"].wide
    assert time_of_night.title == "Time of night"
    counts = {row.label: row.value_text for row in time_of_night.table_rows}
    assert list(counts)[:2] == ["12", "13"]  # from bob's noon boundary
    assert {hour: count for hour, count in counts.items() if count != "0"} == {"23": "1", "02": "2"}
    # Outside a request (the zone active is UTC, not bob's), the hours are still bob's.
    with timezone.override(UTC):
        counts = loading.hour_of_night_counts(bob, date(2026, 11, 1), date(2026, 12, 1))
    assert counts == {23: 1, 2: 2}


@pytest.mark.django_db
def test_load_episodes_reads_every_field_as_stored_and_only_this_users(alice, bob):
    from journal.analysis.loading import EpisodeRecord
    from journal.models import CrampEpisode, Night

    started = datetime(2026, 12, 1, 3, 10, tzinfo=UTC)
    night = Night.objects.create(user=alice, date=date(2026, 11, 30))
    CrampEpisode.objects.create(
        night=night,
        started_at=started,
        duration_seconds=95,
        pain=6,
        muscle="foot",
        side="right",
        woke_me=True,
        minutes_back_to_sleep=25,
        relieved_by_stretching=True,
        relieved_by_heat=True,
    )
    bobs = Night.objects.create(user=bob, date=date(2026, 11, 30))
    CrampEpisode.objects.create(night=bobs, started_at=started, muscle="calf")
    (record,) = loading.load_episodes(alice, date(2026, 11, 30), date(2026, 11, 30))
    assert record == EpisodeRecord(
        night=date(2026, 11, 30),
        started_at=started,
        duration_seconds=95,
        pain=6,
        muscle="foot",
        side="right",
        woke_me=True,
        minutes_back_to_sleep=25,
        relief=("relieved_by_stretching", "relieved_by_heat"),
    )
    assert (record.muscle_label, record.side_label) == ("Foot or arch", "Right")


@pytest.mark.django_db
def test_load_nights_reads_each_night_and_the_diary_only_when_its_times_are_in(alice):
    from journal.models import CrampEpisode, Night

    def at(hour, minute=0, day=date(2026, 11, 30)):
        return datetime.combine(day, time(hour, minute), UTC)

    diary = Night.objects.create(
        user=alice,
        date=date(2026, 11, 30),
        into_bed=at(22),
        tried_to_sleep=at(22, 30),
        final_awakening=at(6, 30, date(2026, 12, 1)),
        out_of_bed=at(7, 0, date(2026, 12, 1)),
        sleep_latency_min=20,
        awake_after_onset_min=40,
        quality=3,
    )
    for pain in (4, 8, None):
        CrampEpisode.objects.create(night=diary, started_at=at(23), pain=pain)
    # No sleep times: the counts in the row are not a diary (nothing was entered).
    Night.objects.create(user=alice, date=date(2026, 12, 1), sleep_latency_min=15, quality=2)
    first, second = loading.load_nights(alice, date(2026, 11, 30), date(2026, 12, 1))
    # In bed 9 h; asleep from 22:50 to 06:30 less 40 min awake: 420 min, 77.8% of 540 (to 0.1).
    assert first == NightRecord(date(2026, 11, 30), 3, 8, 420, 77.8, 20, 40, 3)
    assert second == NightRecord(date(2026, 12, 1), 0, None, None, None, None, None, 2)


def test_the_night_rule_refuses_a_naive_moment():
    with pytest.raises(ValueError, match="needs an aware datetime"):
        nights.night_of(datetime(2026, 12, 1, 3, 0), AUCKLAND)


# --- Left alive by the second mutation run (scripts/mutants.py extra: class bodies) -----------


@pytest.mark.parametrize(("cramps", "level"), [(0, "cramps-0"), (3, "cramps-3"), (4, "cramps-3")])
def test_the_month_calendar_shades_three_cramps_and_more_alike(cramps, level):
    cell = buckets.CalendarCell(date(2026, 3, 4), True, True, cramps, False, False)
    assert cell.level == level


def test_a_cramp_with_no_muscle_or_side_has_no_label():
    record = loading.EpisodeRecord(
        date(2026, 3, 4),
        datetime(2026, 3, 5, 3, 10, tzinfo=UTC),
        None,
        None,
        "",
        "",
        True,
        None,
        (),
    )
    assert (record.muscle_label, record.side_label) == ("", "")
    calf = dataclasses.replace(record, muscle="calf", side="left")
    assert (calf.muscle_label, calf.side_label) == ("Calf", "Left")


def test_completeness_counts_from_a_journal_that_began_on_the_ranges_last_night():
    from journal.analysis.periods import NightRange

    march = NightRange(date(2026, 3, 1), date(2026, 3, 31), journal_start=date(2026, 3, 31))
    assert (march.counted_from, march.began_inside) == (date(2026, 3, 31), True)
    april = NightRange(date(2026, 3, 1), date(2026, 3, 31), journal_start=date(2026, 4, 1))
    assert (april.counted_from, april.began_inside) == (date(2026, 3, 1), False)


def test_a_ratio_of_exactly_one_is_not_more_common_with_it():
    from journal import stats
    from journal.analysis import factors

    even = stats.compare_groups(5, 10, 5, 10)
    assert even.risk_ratio == 1.0
    (spec, *_) = factors.factors_for(User(), [], [])
    result = factors.FactorResult(spec, even, adjusted_p=None, claimed=False, comparisons=0)
    assert not result.more_common_with_it
