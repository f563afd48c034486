"""The night rule: `night_of`, `local_moment`, `moment_in_night` and `User.night_of`, including
around DST changes, and cramps logged at the boundary minute through the app.

A "night of D" runs from the boundary hour on local day D up to the same hour on D+1.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from journal.models import CrampEpisode, User
from journal.nights import DEFAULT_BOUNDARY_HOUR, local_moment, moment_in_night, night_of

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def at(day: date, hh: int, mm: int, tz: ZoneInfo) -> datetime:
    return local_moment(day, time(hh, mm), tz)


# --- The rule on ordinary days ------------------------------------------------------------


def test_default_boundary_is_noon():
    assert DEFAULT_BOUNDARY_HOUR == 12


@pytest.mark.parametrize(
    ("hh", "mm", "expected"),
    [
        # Local time on Mon 5 Jan 2026 in New York (UTC-5, no DST in January).
        (0, 30, date(2026, 1, 4)),  # after midnight: still "last night", the 4th
        (3, 0, date(2026, 1, 4)),  # 3 a.m. cramp: night of the 4th
        (11, 59, date(2026, 1, 4)),  # one minute before the boundary: still the 4th
        (12, 0, date(2026, 1, 5)),  # the boundary minute itself starts the night of the 5th
        (12, 30, date(2026, 1, 5)),
        (23, 59, date(2026, 1, 5)),
    ],
)
def test_default_boundary(hh, mm, expected):
    moment = at(date(2026, 1, 5), hh, mm, NEW_YORK)
    assert moment.tzinfo is UTC  # local_moment hands back UTC
    assert night_of(moment, NEW_YORK) == expected
    assert night_of(moment, NEW_YORK, 12) == expected


def test_local_moment_on_an_ordinary_day():
    # 03:00 in New York in January is UTC-5, so 03:00 + 5 h = 08:00 UTC.
    assert local_moment(date(2026, 1, 5), time(3, 0), NEW_YORK) == utc(2026, 1, 5, 8, 0)
    # 03:00 in Berlin in January is UTC+1, so 02:00 UTC.
    assert local_moment(date(2026, 1, 5), time(3, 0), BERLIN) == utc(2026, 1, 5, 2, 0)


def test_the_rule_uses_local_time_not_utc():
    # Auckland is UTC+13 in January: local 12:30 on the 5th is 23:30 UTC on the 4th.
    # By the local clock it is past noon on the 5th -> night of the 5th (UTC would say the 4th).
    moment = at(date(2026, 1, 5), 12, 30, AUCKLAND)
    assert moment == utc(2026, 1, 4, 23, 30)
    assert night_of(moment, AUCKLAND) == date(2026, 1, 5)
    assert night_of(moment, ZoneInfo("UTC")) == date(2026, 1, 4)


def test_the_moment_may_be_given_in_any_zone():
    # The same instant written in Berlin time (14:30 CET = 13:30 UTC = 08:30 in New York)
    # belongs to New York's night of the 4th (08:30 < 12:00).
    in_berlin = datetime(2026, 1, 5, 14, 30, tzinfo=BERLIN)
    assert night_of(in_berlin, NEW_YORK) == date(2026, 1, 4)
    assert night_of(in_berlin, BERLIN) == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("day", "hh", "mm", "expected"),
    [
        # Boundary 18: a night runs 18:00 on D to 17:59 on D+1.
        (5, 12, 30, date(2026, 1, 4)),  # 12:30 < 18:00: still the 4th (default rule says the 5th)
        (5, 17, 59, date(2026, 1, 4)),
        (5, 18, 0, date(2026, 1, 5)),  # the boundary minute
        (5, 23, 0, date(2026, 1, 5)),
        (6, 3, 0, date(2026, 1, 5)),
        (6, 17, 59, date(2026, 1, 5)),
    ],
)
def test_other_boundary_hour(day, hh, mm, expected):
    moment = at(date(2026, 1, day), hh, mm, BERLIN)
    assert night_of(moment, BERLIN, 18) == expected


@pytest.mark.parametrize("boundary", [0, 23])
def test_extreme_boundary_hours(boundary):
    # Boundary 0: the night is simply the local calendar date.
    # Boundary 23: 22:59 is still the previous night, 23:00 starts the new one.
    day = date(2026, 1, 5)
    if boundary == 0:
        assert night_of(at(day, 0, 0, BERLIN), BERLIN, 0) == day
        assert night_of(at(day, 23, 59, BERLIN), BERLIN, 0) == day
    else:
        assert night_of(at(day, 22, 59, BERLIN), BERLIN, 23) == day - timedelta(days=1)
        assert night_of(at(day, 23, 0, BERLIN), BERLIN, 23) == day


def test_user_night_of_uses_time_zone_and_boundary(alice, bob):
    # 14:00 UTC on 5 Jan: London 14:00 (GMT), New York 09:00 (EST).
    moment = utc(2026, 1, 5, 14, 0)
    assert alice.night_of(moment) == date(2026, 1, 5)  # 14:00 >= 12:00
    assert bob.night_of(moment) == date(2026, 1, 4)  # 09:00 < 12:00

    alice.night_boundary_hour = 18
    alice.save()
    alice.refresh_from_db()
    assert alice.night_boundary_hour == 18
    assert alice.night_of(moment) == date(2026, 1, 4)  # 14:00 < 18:00
    assert alice.night_of(utc(2026, 1, 5, 17, 59)) == date(2026, 1, 4)
    assert alice.night_of(utc(2026, 1, 5, 18, 0)) == date(2026, 1, 5)
    assert alice.night_of(utc(2026, 1, 6, 3, 0)) == date(2026, 1, 5)

    # In July London is on BST (UTC+1): 17:00 UTC is 18:00 local -> the 5th.
    assert alice.night_of(utc(2026, 7, 5, 16, 59)) == date(2026, 7, 4)
    assert alice.night_of(utc(2026, 7, 5, 17, 0)) == date(2026, 7, 5)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        night_of(datetime(2026, 1, 5, 3, 0), BERLIN)
    user = User(email="x@example.com", time_zone="Europe/Berlin")
    with pytest.raises(ValueError):
        user.night_of(datetime(2026, 1, 5, 3, 0))


# --- Daylight-saving changes --------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One DST change, as the wall clock shows it."""

    tz: ZoneInfo
    day: date
    wall_from: time  # the wall clock reaches this ...
    wall_to: time  # ... and jumps to this
    offset_before: timedelta
    offset_after: timedelta

    @property
    def instant(self) -> datetime:
        # wall_from in the old offset: e.g. Berlin 02:00 CET (+1) = 01:00 UTC.
        return datetime.combine(self.day, self.wall_from, tzinfo=UTC) - self.offset_before

    @property
    def spring_forward(self) -> bool:
        return self.offset_after > self.offset_before

    @property
    def shift(self) -> timedelta:
        return abs(self.offset_after - self.offset_before)

    def __str__(self) -> str:
        return f"{self.tz.key} {self.day}"


H = timedelta(hours=1)
TRANSITIONS = {
    "berlin_spring": Transition(BERLIN, date(2026, 3, 29), time(2), time(3), 1 * H, 2 * H),
    "berlin_fall": Transition(BERLIN, date(2026, 10, 25), time(3), time(2), 2 * H, 1 * H),
    "new_york_spring": Transition(NEW_YORK, date(2026, 3, 8), time(2), time(3), -5 * H, -4 * H),
    "new_york_fall": Transition(NEW_YORK, date(2026, 11, 1), time(2), time(1), -4 * H, -5 * H),
    "lord_howe_fall": Transition(
        LORD_HOWE, date(2026, 4, 5), time(2), time(1, 30), 11 * H, 10.5 * H
    ),
    "lord_howe_spring": Transition(
        LORD_HOWE, date(2026, 10, 4), time(2), time(2, 30), 10.5 * H, 11 * H
    ),
}


def find_transitions(tz: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants in [start, end) where the offset changes, scanning in 5-minute steps."""
    found = []
    step = timedelta(minutes=5)
    t = start
    previous = t.astimezone(tz).utcoffset()
    while t < end:
        t += step
        offset = t.astimezone(tz).utcoffset()
        if offset != previous:
            found.append(t)
            previous = offset
    return found


@pytest.mark.parametrize("name", TRANSITIONS)
def test_transition_dates_are_what_zoneinfo_says(name):
    """Do not trust the table above: zoneinfo must agree on the day, the clock and the offsets."""
    tr = TRANSITIONS[name]
    year_start = utc(tr.day.year, 1, 1)
    changes = find_transitions(tr.tz, year_start, utc(tr.day.year + 1, 1, 1))
    assert len(changes) == 2  # one spring forward, one fall back in 2026
    assert tr.instant in changes

    just_before = (tr.instant - timedelta(minutes=1)).astimezone(tr.tz)
    at_change = tr.instant.astimezone(tr.tz)
    assert just_before.date() == tr.day
    assert just_before.utcoffset() == tr.offset_before
    assert at_change.utcoffset() == tr.offset_after
    # The wall clock one minute before reads wall_from - 1 min, then jumps to wall_to.
    wall_from = datetime.combine(tr.day, tr.wall_from)
    assert just_before.replace(tzinfo=None) == wall_from - timedelta(minutes=1)
    assert at_change.replace(tzinfo=None) == datetime.combine(tr.day, tr.wall_to)
    # Lord Howe shifts by 30 minutes, the others by one hour.
    assert tr.shift == (timedelta(minutes=30) if tr.tz is LORD_HOWE else H)


FALL_BACKS = [name for name, tr in TRANSITIONS.items() if not tr.spring_forward]
SPRING_FORWARDS = [name for name, tr in TRANSITIONS.items() if tr.spring_forward]


@pytest.mark.parametrize("name", FALL_BACKS)
def test_both_occurrences_of_the_repeated_time_belong_to_the_previous_evening(name):
    tr = TRANSITIONS[name]
    # A wall time inside the repeated span: 15 minutes before the clock went back.
    # Berlin: 02:45 occurs at 00:45 UTC (CEST, +2) and again at 01:45 UTC (CET, +1).
    # New York: 01:45 at 05:45 UTC (EDT, -4) and 06:45 UTC (EST, -5).
    # Lord Howe: 01:45 at 14:45 UTC on the 4th (+11) and 15:15 UTC (+10:30).
    first = tr.instant - timedelta(minutes=15)
    second = first + tr.shift
    first_local, second_local = first.astimezone(tr.tz), second.astimezone(tr.tz)
    assert first_local.replace(tzinfo=None) == second_local.replace(tzinfo=None)
    assert (first_local.fold, second_local.fold) == (0, 1)
    assert first_local.utcoffset() == tr.offset_before
    assert second_local.utcoffset() == tr.offset_after

    previous_evening = tr.day - timedelta(days=1)
    assert night_of(first, tr.tz) == previous_evening
    assert night_of(second, tr.tz) == previous_evening


@pytest.mark.parametrize(
    ("name", "wall", "expected_utc", "expected_wall"),
    [
        # Berlin 02:30 does not exist on 29 Mar: read in CET (+1) it is 01:30 UTC = 03:30 CEST.
        ("berlin_spring", time(2, 30), utc(2026, 3, 29, 1, 30), time(3, 30)),
        # New York 02:30 on 8 Mar: read in EST (-5) it is 07:30 UTC = 03:30 EDT.
        ("new_york_spring", time(2, 30), utc(2026, 3, 8, 7, 30), time(3, 30)),
        # Lord Howe 02:15 on 4 Oct: read in +10:30 it is 15:45 UTC on the 3rd = 02:45 (+11).
        ("lord_howe_spring", time(2, 15), utc(2026, 10, 3, 15, 45), time(2, 45)),
    ],
)
def test_local_moment_in_the_gap_moves_forward_by_the_gap(name, wall, expected_utc, expected_wall):
    tr = TRANSITIONS[name]
    moment = local_moment(tr.day, wall, tr.tz)
    assert moment == expected_utc
    local = moment.astimezone(tr.tz)
    assert local.date() == tr.day
    assert local.time() == expected_wall
    # Moved forward by exactly the gap (1 h, or 30 min at Lord Howe).
    assert datetime.combine(tr.day, expected_wall) - datetime.combine(tr.day, wall) == tr.shift
    # Early morning: still the previous evening's night.
    assert night_of(moment, tr.tz) == tr.day - timedelta(days=1)


@pytest.mark.parametrize(
    ("name", "wall", "expected_utc"),
    [
        # Berlin 02:30 on 25 Oct: first occurrence in CEST (+2) = 00:30 UTC (not 01:30).
        ("berlin_fall", time(2, 30), utc(2026, 10, 25, 0, 30)),
        # New York 01:30 on 1 Nov: first occurrence in EDT (-4) = 05:30 UTC (not 06:30).
        ("new_york_fall", time(1, 30), utc(2026, 11, 1, 5, 30)),
        # Lord Howe 01:45 on 5 Apr: first occurrence in +11 = 14:45 UTC on the 4th (not 15:15).
        ("lord_howe_fall", time(1, 45), utc(2026, 4, 4, 14, 45)),
    ],
)
def test_local_moment_in_the_repeated_time_gives_the_first_occurrence(name, wall, expected_utc):
    tr = TRANSITIONS[name]
    moment = local_moment(tr.day, wall, tr.tz)
    assert moment == expected_utc
    local = moment.astimezone(tr.tz)
    assert local.fold == 0
    assert local.utcoffset() == tr.offset_before
    assert (local.date(), local.time()) == (tr.day, wall)
    assert night_of(moment, tr.tz) == tr.day - timedelta(days=1)


@pytest.mark.parametrize(
    ("zone", "boundary", "cases"),
    [
        # Berlin, boundary 2, spring forward: 01:59 CET is the last minute of the 28th's
        # night; the next minute is 03:00 CEST, already past 02:00 -> the 29th.
        (
            "Europe/Berlin",
            2,
            [
                (utc(2026, 3, 29, 0, 59), date(2026, 3, 28)),  # 01:59 +1
                (utc(2026, 3, 29, 1, 0), date(2026, 3, 29)),  # 03:00 +2
            ],
        ),
        # Berlin, boundary 2, fall back: the 25th's night starts at the first 02:00 (CEST)
        # and the repeated 02:00-02:59 (CET) does not go back to the 24th.
        (
            "Europe/Berlin",
            2,
            [
                (utc(2026, 10, 24, 23, 59), date(2026, 10, 24)),  # 01:59 +2
                (utc(2026, 10, 25, 0, 0), date(2026, 10, 25)),  # 02:00 +2 (first)
                (utc(2026, 10, 25, 1, 0), date(2026, 10, 25)),  # 02:00 +1 (second)
                (utc(2026, 10, 25, 1, 59), date(2026, 10, 25)),  # 02:59 +1
            ],
        ),
        # New York, boundary 2, spring forward: 01:59 EST -> 7 Mar; 03:00 EDT -> 8 Mar.
        (
            "America/New_York",
            2,
            [
                (utc(2026, 3, 8, 6, 59), date(2026, 3, 7)),
                (utc(2026, 3, 8, 7, 0), date(2026, 3, 8)),
            ],
        ),
        # New York, boundary 1, fall back: 01:00-01:59 repeats; both belong to 1 Nov.
        (
            "America/New_York",
            1,
            [
                (utc(2026, 11, 1, 4, 59), date(2026, 10, 31)),  # 00:59 EDT
                (utc(2026, 11, 1, 5, 0), date(2026, 11, 1)),  # 01:00 EDT
                (utc(2026, 11, 1, 6, 0), date(2026, 11, 1)),  # 01:00 EST
                (utc(2026, 11, 1, 6, 59), date(2026, 11, 1)),  # 01:59 EST
            ],
        ),
        # Lord Howe, boundary 2, spring forward: 02:00-02:29 is skipped.
        (
            "Australia/Lord_Howe",
            2,
            [
                (utc(2026, 10, 3, 15, 29), date(2026, 10, 3)),  # 01:59 +10:30
                (utc(2026, 10, 3, 15, 30), date(2026, 10, 4)),  # 02:30 +11
            ],
        ),
        # Lord Howe, boundary 1, fall back: 01:30-01:59 repeats, all in the night of the 5th.
        (
            "Australia/Lord_Howe",
            1,
            [
                (utc(2026, 4, 4, 13, 59), date(2026, 4, 4)),  # 00:59 +11
                (utc(2026, 4, 4, 14, 0), date(2026, 4, 5)),  # 01:00 +11
                (utc(2026, 4, 4, 14, 59), date(2026, 4, 5)),  # 01:59 +11
                (utc(2026, 4, 4, 15, 0), date(2026, 4, 5)),  # 01:30 +10:30 (again)
                (utc(2026, 4, 4, 15, 29), date(2026, 4, 5)),  # 01:59 +10:30
            ],
        ),
    ],
    ids=["berlin-spring", "berlin-fall", "ny-spring", "ny-fall", "lh-spring", "lh-fall"],
)
def test_user_boundary_inside_the_skipped_or_repeated_hour(zone, boundary, cases):
    user = User(email="night@example.com", time_zone=zone, night_boundary_hour=boundary)
    for moment, expected in cases:
        assert user.night_of(moment) == expected, moment.astimezone(user.tzinfo)


def test_user_boundary_in_the_gap_local_moment_of_the_boundary():
    # Berlin, boundary 2: "02:00 on the 29th" does not exist; local_moment moves it to
    # 03:00 CEST = 01:00 UTC, which is exactly when the night of the 29th starts.
    user = User(email="night@example.com", time_zone="Europe/Berlin", night_boundary_hour=2)
    start = local_moment(date(2026, 3, 29), time(2, 0), user.tzinfo)
    assert start == utc(2026, 3, 29, 1, 0)
    assert user.night_of(start) == date(2026, 3, 29)
    assert user.night_of(start - timedelta(seconds=1)) == date(2026, 3, 28)


@pytest.mark.parametrize("name", TRANSITIONS)
def test_nights_never_go_back_and_change_once_per_boundary(name):
    """Property check: every 5 minutes over three UTC days around each change, for every
    boundary hour, the night never decreases, steps by one day at a time, and changes exactly
    at the boundary moments (the local_moment of boundary:00 on each local day)."""
    tr = TRANSITIONS[name]
    start = datetime.combine(tr.day - timedelta(days=1), time(0), tzinfo=UTC)
    end = start + timedelta(days=3)
    step = timedelta(minutes=5)
    samples = []
    t = start
    while t <= end:
        samples.append(t)
        t += step
    assert len(samples) == 3 * 24 * 12 + 1

    for boundary in range(24):
        nights = [night_of(s, tr.tz, boundary) for s in samples]
        changes = set()
        for i in range(1, len(samples)):
            delta = nights[i] - nights[i - 1]
            assert delta in (timedelta(0), timedelta(days=1)), (boundary, samples[i])
            if delta:
                changes.add(samples[i])
        # The boundary moments in (start, end]: one per local day whose boundary falls inside.
        expected = set()
        for offset in range(-3, 4):
            moment = local_moment(tr.day + timedelta(days=offset), time(boundary), tr.tz)
            if start < moment <= end:
                expected.add(moment)
        # All offsets are whole half-hours, so every boundary moment is one of the samples.
        assert expected <= set(samples)
        assert changes == expected, (boundary, sorted(changes), sorted(expected))
        # 72 hours hold three crossings, or four when a 23-hour day squeezes one more in
        # (24 + 23 + 24 = 71 h), and consecutive crossings are a day apart, give or take the
        # DST shift (23 h or 25 h at Berlin/New York, 23.5 h or 24.5 h at Lord Howe).
        assert len(changes) in ((3, 4) if tr.spring_forward else (2, 3))
        ordered = sorted(changes)
        day = timedelta(days=1)
        for earlier, later in pairwise(ordered):
            assert later - earlier in (day, day - tr.shift, day + tr.shift)
        assert nights[-1] - nights[0] == timedelta(days=len(changes))


# --- moment_in_night: a clock time within a given night (the inverse of night_of) ---------

LONDON = ZoneInfo("Europe/London")
MINUTE = timedelta(minutes=1)

# (boundary hour, clock, whether that clock falls on the morning after the night's date):
# the minute before the boundary is the night's last, the boundary minute its first.
BOUNDARY_MINUTES = [
    (0, time(23, 59), False),  # boundary 0: the night of D is simply the calendar day D
    (0, time(0, 0), False),
    (0, time(0, 1), False),
    (12, time(11, 59), True),
    (12, time(12, 0), False),
    (12, time(12, 1), False),
    (23, time(22, 59), True),
    (23, time(23, 0), False),
    (23, time(23, 1), False),
]


@pytest.mark.parametrize(("boundary", "clock", "next_morning"), BOUNDARY_MINUTES)
def test_moment_in_night_around_the_boundary_minute(boundary, clock, next_morning):
    night = date(2026, 1, 5)
    moment = moment_in_night(night, clock, BERLIN, boundary)
    day = night + timedelta(days=1) if next_morning else night
    assert moment == local_moment(day, clock, BERLIN)
    assert night_of(moment, BERLIN, boundary) == night


@pytest.mark.parametrize(
    ("night", "clock", "expected"),
    [
        # London, boundary 01:00. Spring forward on 29 Mar 2026: 01:00 GMT becomes 02:00 BST.
        (date(2026, 3, 28), time(0, 59), utc(2026, 3, 29, 0, 59)),  # 00:59 GMT, the last minute
        (date(2026, 3, 29), time(1, 0), utc(2026, 3, 29, 1, 0)),  # no 01:00: 02:00 BST, the first
        (date(2026, 3, 29), time(1, 1), utc(2026, 3, 29, 1, 1)),  # 02:01 BST
        (date(2026, 3, 29), time(2, 0), utc(2026, 3, 29, 1, 0)),  # 02:00 BST, the same instant
        # Fall back on 25 Oct 2026: 02:00 BST becomes 01:00 GMT, so 01:00-01:59 happens twice.
        (date(2026, 10, 24), time(0, 59), utc(2026, 10, 24, 23, 59)),  # 00:59 BST
        (date(2026, 10, 25), time(1, 0), utc(2026, 10, 25, 0, 0)),  # the first 01:00 (BST)
        (date(2026, 10, 25), time(1, 1), utc(2026, 10, 25, 0, 1)),
    ],
)
def test_moment_in_night_at_the_boundary_across_daylight_saving(night, clock, expected):
    moment = moment_in_night(night, clock, LONDON, 1)
    assert moment == expected
    assert night_of(moment, LONDON, 1) == night


@pytest.mark.parametrize("name", TRANSITIONS)
def test_moment_in_night_gives_back_the_night_for_every_clock_time_that_exists(name):
    """Property check around each change, for every boundary hour: a wall-clock time of the
    night, every 5 minutes and a minute either side of the boundary, is an instant of that
    night whose wall clock reads the time typed. A time the clocks skipped is the exception:
    it moves forward by the gap, which can take it past the boundary into the next night."""
    tr = TRANSITIONS[name]
    for boundary in range(24):
        boundary_minute = datetime.combine(tr.day, time(boundary))
        clocks = {
            (datetime.combine(tr.day, time(0)) + timedelta(minutes=m)).time()
            for m in range(0, 24 * 60, 5)
        } | {(boundary_minute + offset).time() for offset in (-MINUTE, timedelta(0), MINUTE)}
        for night in (tr.day - timedelta(days=1), tr.day):
            for clock in clocks:
                moment = moment_in_night(night, clock, tr.tz, boundary)
                local = moment.astimezone(tr.tz)
                if local.time() != clock:  # skipped by the clocks: moved forward by the gap
                    assert tr.spring_forward
                    assert local.time() == (datetime.combine(tr.day, clock) + tr.shift).time()
                    continue
                assert night_of(moment, tr.tz, boundary) == night, (boundary, night, clock)
                window_start = local_moment(night, time(boundary), tr.tz)
                window_end = local_moment(night + timedelta(days=1), time(boundary), tr.tz)
                assert window_start <= moment < window_end


@pytest.mark.django_db
@pytest.mark.parametrize(("boundary", "clock", "next_morning"), BOUNDARY_MINUTES)
def test_a_cramp_added_at_the_boundary_minute_lands_in_that_night(
    client, alice, freeze_now, boundary, clock, next_morning
):
    alice.night_boundary_hour = boundary
    alice.save()
    freeze_now(local_moment(date(2026, 1, 10), time(9), alice.tzinfo))
    client.force_login(alice)
    night = date(2026, 1, 5)
    response = client.post(
        reverse("episode_add", args=[night]), {"token": uuid4(), "started": f"{clock:%H:%M}"}
    )
    assert response["Location"] == reverse("day_detail", args=[night])
    episode = CrampEpisode.objects.select_related("night").get()
    day = night + timedelta(days=1) if next_morning else night
    assert episode.started_at == local_moment(day, clock, alice.tzinfo)
    assert episode.night.date == night
