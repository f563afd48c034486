"""When a reminder is due (journal/reminders/due.py), worked out by hand on the clocks of
Europe/London (alice's zone) and America/New_York, across both daylight-saving changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from journal.nights import local_moment
from journal.reminders.due import (
    EVERY_DAY,
    GRACE,
    Schedule,
    due_day,
    next_moment,
    weekday_bits,
    weekdays_of,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SPRING_FORWARD = date(2027, 3, 28)  # London: 01:00 GMT becomes 02:00 BST
FALL_BACK = date(2027, 10, 31)  # London: 02:00 BST becomes 01:00 GMT


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def at(clock: time, **options) -> Schedule:
    return Schedule(at=clock, weekdays=options.pop("weekdays", EVERY_DAY), tz=LONDON, **options)


@pytest.mark.parametrize(
    ("day", "moment"),
    [
        (SPRING_FORWARD - timedelta(days=1), utc(2027, 3, 27, 21, 30)),  # GMT
        (SPRING_FORWARD, utc(2027, 3, 28, 20, 30)),  # BST from that morning
        (FALL_BACK - timedelta(days=1), utc(2027, 10, 30, 20, 30)),  # BST
        (FALL_BACK, utc(2027, 10, 31, 21, 30)),  # GMT from that morning
    ],
)
def test_a_21_30_reminder_is_due_at_21_30_local_time_on_both_change_days(day, moment):
    schedule = at(time(21, 30))
    assert schedule.moment_on(day) == moment
    assert due_day(schedule, moment) == day
    assert due_day(schedule, moment - timedelta(seconds=1)) is None


def test_it_stays_due_for_the_grace_period_and_then_is_skipped():
    schedule = at(time(21, 30))
    moment = utc(2027, 1, 15, 21, 30)
    assert timedelta(minutes=30) == GRACE
    assert due_day(schedule, moment + GRACE - timedelta(seconds=1)) == date(2027, 1, 15)
    assert due_day(schedule, moment + GRACE) is None
    assert due_day(schedule, moment + timedelta(hours=5)) is None  # the worker was down


def test_a_time_the_spring_forward_night_skips_moves_on_by_the_gap_as_the_night_rule_does():
    schedule = at(time(1, 30))  # 01:00 to 02:00 does not exist in London that night
    moment = schedule.moment_on(SPRING_FORWARD)
    assert moment == local_moment(SPRING_FORWARD, time(1, 30), LONDON)
    assert moment == utc(2027, 3, 28, 1, 30)  # 02:30 BST
    assert moment.astimezone(LONDON).strftime("%H:%M") == "02:30"
    assert due_day(schedule, moment) == SPRING_FORWARD


def test_a_time_that_repeats_on_the_fall_back_night_is_due_the_first_time_only():
    schedule = at(time(1, 30))
    first = utc(2027, 10, 31, 0, 30)  # 01:30 BST
    again = utc(2027, 10, 31, 1, 30)  # 01:30 GMT, an hour later
    assert schedule.moment_on(FALL_BACK) == first
    assert due_day(schedule, first) == FALL_BACK
    assert due_day(schedule, again) is None  # past the grace of the first


def test_a_late_reminder_is_still_the_evening_s_after_midnight():
    schedule = at(time(23, 50))
    assert due_day(schedule, utc(2027, 1, 16, 0, 10)) == date(2027, 1, 15)
    assert due_day(schedule, utc(2027, 1, 16, 0, 20)) is None


def test_only_on_the_weekdays_chosen():
    mondays = at(time(8, 0), weekdays=weekday_bits({0}))
    assert due_day(mondays, utc(2027, 1, 18, 8, 0)) == date(2027, 1, 18)  # a Monday
    assert due_day(mondays, utc(2027, 1, 19, 8, 0)) is None  # Tuesday
    assert due_day(at(time(8, 0), weekdays=0), utc(2027, 1, 18, 8, 0)) is None


def test_not_tonight_skips_one_date_and_a_pause_runs_up_to_and_including_its_last_day():
    skipping = at(time(21, 30), skip=date(2027, 1, 15))
    assert due_day(skipping, utc(2027, 1, 15, 21, 30)) is None
    assert due_day(skipping, utc(2027, 1, 16, 21, 30)) == date(2027, 1, 16)
    paused = at(time(21, 30), paused_until=date(2027, 1, 17))
    assert due_day(paused, utc(2027, 1, 17, 21, 30)) is None
    assert due_day(paused, utc(2027, 1, 18, 21, 30)) == date(2027, 1, 18)


def test_a_user_who_travels_gets_it_at_the_time_on_their_new_clock():
    in_london = at(time(21, 30))
    in_new_york = Schedule(at=time(21, 30), weekdays=EVERY_DAY, tz=NEW_YORK)
    london_evening = utc(2027, 1, 15, 21, 30)
    new_york_evening = utc(2027, 1, 16, 2, 30)  # 21:30 EST on the 15th
    assert due_day(in_london, london_evening) == date(2027, 1, 15)
    assert due_day(in_new_york, london_evening) is None
    assert due_day(in_new_york, new_york_evening) == date(2027, 1, 15)


def test_the_next_moment_is_today_s_until_it_has_passed_then_the_next_chosen_day():
    schedule = at(time(21, 30), weekdays=weekday_bits({0, 4}))  # Mondays and Fridays
    friday = utc(2027, 1, 15, 21, 30)
    assert next_moment(schedule, friday - timedelta(hours=1)) == friday
    assert next_moment(schedule, friday) == friday
    assert next_moment(schedule, friday + timedelta(minutes=1)) == utc(2027, 1, 18, 21, 30)
    paused = at(time(21, 30), paused_until=date(2027, 2, 13))  # 30 days from the 15th
    assert next_moment(paused, friday) == utc(2027, 2, 14, 21, 30)
    assert next_moment(at(time(21, 30), weekdays=0), friday) is None


def test_weekdays_are_kept_as_one_bit_a_day_from_monday():
    assert weekday_bits({0}) == 1
    assert weekday_bits({6}) == 64
    assert weekday_bits(set(range(7))) == EVERY_DAY == 127
    assert weekdays_of(weekday_bits({1, 3, 5})) == {1, 3, 5}


def test_the_day_is_the_users_even_where_it_is_already_tomorrow_in_utc_terms():
    # Kiritimati is 14 hours ahead of UTC: its 08:00 on the 16th is 18:00 UTC on the 15th, when
    # a server's own (UTC) date is still the 15th.
    kiritimati = Schedule(at=time(8, 0), weekdays=EVERY_DAY, tz=ZoneInfo("Pacific/Kiritimati"))
    assert due_day(kiritimati, utc(2027, 1, 15, 18, 0)) == date(2027, 1, 16)
