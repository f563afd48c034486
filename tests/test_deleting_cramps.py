"""Deleting a mistaken cramp, or moving cramps to new nights, leaves no false logged night.

A night row with nothing logged in it would count as "logged, no cramps", which the user never
said. A check-in (which always saves the day with the night) does say it, so it keeps the row.
"""

from datetime import date, time

import pytest
from django.urls import reverse

from journal.analysis import loading
from journal.cramps import delete_cramp
from journal.models import CrampEpisode, DayFactors, Night, reassign_episode_nights
from journal.nights import local_moment
from tests.conftest import html_of, london

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 3, 4)


@pytest.fixture
def logged_in(client, alice, freeze_now):
    freeze_now(london(date(2026, 3, 10), 9))
    client.force_login(alice)
    return client


def cramp(night: Night, minute: int = 0) -> CrampEpisode:
    return CrampEpisode.objects.create(night=night, started_at=london(night.date, 23, minute))


def test_deleting_the_only_cramp_makes_the_night_not_logged_everywhere(logged_in, alice):
    episode = cramp(Night.objects.create(user=alice, date=NIGHT))
    url = reverse("episode_delete", args=[episode.pk])
    question = html_of(logged_in.get(url))
    assert "the only thing logged for that night, so the night will show as not logged" in question
    response = logged_in.post(url, follow=True)
    assert "Nothing else was logged for the night of Wednesday 4 March" in html_of(response)
    assert "check in for it to say so" in html_of(response)
    assert not Night.objects.exists()
    rows = {row.date: row for row in logged_in.get(reverse("day_list")).context["rows"]}
    assert not rows[NIGHT].logged
    calendar = logged_in.get(reverse("month")).context["calendar"]
    (cell,) = [cell for week in calendar for cell in week if cell.date == NIGHT]
    assert cell.level == "not-logged"
    assert loading.load_nights(alice, NIGHT, NIGHT) == []


def test_deleting_one_of_two_cramps_keeps_the_night(logged_in, alice):
    night = Night.objects.create(user=alice, date=NIGHT)
    first, _second = cramp(night, 0), cramp(night, 30)
    assert "only thing logged" not in html_of(
        logged_in.get(reverse("episode_delete", args=[first.pk]))
    )
    response = logged_in.post(reverse("episode_delete", args=[first.pk]), follow=True)
    assert "Nothing else was logged" not in html_of(response)
    assert Night.objects.get().episodes.count() == 1


@pytest.mark.parametrize(
    "logged",
    [
        {
            "into_bed": london(NIGHT, 22),
            "tried_to_sleep": london(NIGHT, 22),
            "final_awakening": london(date(2026, 3, 5), 6),
            "out_of_bed": london(date(2026, 3, 5), 7),
        },
        {"quality": 3},
        {"notes": "Restless"},
        {"awakenings": 2},
        {"sleep_latency_min": 20},
        {"awake_after_onset_min": 15},
    ],
    ids=["sleep times", "quality", "notes", "awakenings", "latency", "awake minutes"],
)
def test_a_night_with_anything_else_logged_keeps_its_row(alice, logged):
    episode = cramp(Night.objects.create(user=alice, date=NIGHT, **logged))
    result = delete_cramp(alice, episode)
    assert (result.night_date, result.night_removed) == (NIGHT, False)
    assert Night.objects.filter(date=NIGHT).exists()
    assert loading.load_nights(alice, NIGHT, NIGHT)[0].cramps == 0  # logged, no cramps


def test_a_checked_in_night_stays_logged_without_cramps(logged_in, alice):
    """The check-in saves the night and its day together, even when both are left empty."""
    empty = {
        **{f"night-{name}": "" for name in ("into_bed", "tried_to_sleep", "final_awakening")},
        "night-out_of_bed": "",
        "night-sleep_latency_min": "0",
        "night-awakenings": "0",
        "night-awake_after_onset_min": "0",
        "exercise-TOTAL_FORMS": "0",
        "exercise-INITIAL_FORMS": "0",
        "action": "save",
    }
    assert logged_in.post(reverse("checkin_for", args=[NIGHT]), empty).status_code == 302
    assert DayFactors.objects.filter(date=NIGHT).exists()
    episode = cramp(Night.objects.get(date=NIGHT))
    assert not delete_cramp(alice, episode).night_removed
    rows = {row.date: row for row in logged_in.get(reverse("day_list")).context["rows"]}
    assert rows[NIGHT].night is not None and rows[NIGHT].night.cramps == 0


def test_deleting_touches_only_the_users_own_cramps(alice, bob):
    alices = cramp(Night.objects.create(user=alice, date=NIGHT))
    assert delete_cramp(bob, alices).night_removed is False
    assert CrampEpisode.objects.filter(pk=alices.pk).exists()


def test_moving_cramps_to_new_nights_removes_the_nights_left_empty(client, alice):
    # With a 12:00 boundary, 13:00 on the 5th is on the night of the 5th; with 14:00, the 4th.
    empty_after = Night.objects.create(user=alice, date=date(2026, 3, 5))
    CrampEpisode.objects.create(
        night=empty_after, started_at=local_moment(date(2026, 3, 5), time(13), alice.tzinfo)
    )
    diary = Night.objects.create(user=alice, date=date(2026, 3, 7), quality=2)
    CrampEpisode.objects.create(
        night=diary, started_at=local_moment(date(2026, 3, 7), time(13), alice.tzinfo)
    )
    client.force_login(alice)
    response = client.post(
        reverse("account"),
        {
            "time_zone": "Europe/London",
            "fluid_unit": "ml",
            "fluid_target": "2000",
            "night_boundary_hour": "14",
        },
        follow=True,
    )
    html = html_of(response)
    assert "2 cramps moved to a different night." in html
    assert "The night of 5 Mar 2026 was left with nothing logged" in html
    assert sorted(Night.objects.values_list("date", flat=True)) == [
        date(2026, 3, 4),
        date(2026, 3, 6),
        date(2026, 3, 7),  # its sleep diary keeps it logged
    ]
    assert not Night.objects.with_nothing_logged().exists()


def test_moving_nothing_removes_nothing(alice):
    Night.objects.create(user=alice, date=NIGHT)  # empty, but not left empty by a move
    result = reassign_episode_nights(alice)
    assert (result.moved, result.nights_removed) == (0, [])
    assert Night.objects.exists()
