"""The timer for a cramp's length: "Cramp now" starts it, "It's over" turns the time between the
two taps into the length, kept on the server, capped at an hour, editable afterwards."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from journal.cramps import TimerOutcome, stop_timer
from journal.models import CrampEpisode, Night
from tests.bedside_taps import HTMX, NIGHT, TAP, tap
from tests.conftest import html_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, alice, freeze_now):
    freeze_now(TAP)
    client.force_login(alice)
    return client


def its_over(client, episode, length="keep", **headers):
    url = reverse("cramp_timer_stop", args=[episode.pk])
    return client.post(url, {"length": length}, **headers)


def timed_cramp(client, freeze_now, lasting: timedelta, **headers):
    """Tap "Cramp now" at TAP and "It's over" `lasting` later; returns (response, episode)."""
    freeze_now(TAP)
    tap(client, **headers)
    episode = CrampEpisode.objects.latest("started_at")
    freeze_now(TAP + lasting)
    response = its_over(client, episode, **headers)
    episode.refresh_from_db()
    return response, episode


def test_cramp_now_starts_the_timer_and_the_panel_offers_its_over(logged_in):
    html = html_of(tap(logged_in, **HTMX))
    episode = CrampEpisode.objects.get()
    assert episode.timer_started_at == TAP
    assert episode.duration_seconds is None
    assert "Timing it from 03:10" in html
    assert "It’s over" in html
    assert "Stop without a length" in html
    assert 'data-timer-seconds="0"' in html


@pytest.mark.parametrize("when", ["5", "15", "30"])
def test_a_cramp_that_started_earlier_is_not_timed(logged_in, when):
    html = html_of(tap(logged_in, when=when, **HTMX))
    assert CrampEpisode.objects.get().timer_started_at is None
    assert "It’s over" not in html


def test_its_over_saves_the_time_between_the_taps(logged_in, freeze_now):
    response, episode = timed_cramp(logged_in, freeze_now, timedelta(minutes=2, seconds=14), **HTMX)
    assert (episode.duration_seconds, episode.timer_started_at) == (134, None)
    html = html_of(response)
    assert "It lasted 2 min 14 s, timed from 03:10." in html
    assert 'name="duration_exact" value="2:14"' in html  # shown for editing, in the panel
    assert "It’s over" not in html


def test_without_javascript_its_over_returns_to_the_cramps_page_with_the_length(
    logged_in, freeze_now
):
    freeze_now(TAP)
    landing = tap(logged_in)
    episode = CrampEpisode.objects.get()
    page = html_of(logged_in.get(landing["Location"]))
    action = reverse("cramp_timer_stop", args=[episode.pk])
    assert f'<form method="post" action="{action}" class="timer-form">' in page  # no hx-post
    freeze_now(TAP + timedelta(minutes=6, seconds=24))
    response = its_over(logged_in, episode)
    assert response["Location"] == reverse("episode_edit", args=[episode.pk])
    page = html_of(logged_in.get(response["Location"]))
    assert "It lasted 6 min 24 s, timed from 03:10." in page
    assert 'name="duration_exact" value="6:24"' in page
    assert "timer-form" not in page


def test_the_length_can_be_changed_afterwards_on_the_cramps_form(logged_in, freeze_now):
    _, episode = timed_cramp(logged_in, freeze_now, timedelta(minutes=2))
    logged_in.post(
        reverse("episode_edit", args=[episode.pk]),
        {"started": "03:10", "duration_exact": "3:30", "woke_me": "on"},
    )
    episode.refresh_from_db()
    assert episode.duration_seconds == 210


@pytest.mark.parametrize(
    ("after", "length", "running"),
    [
        (timedelta(seconds=1.9), None, True),  # the second tap of a double tap
        (timedelta(seconds=2), 2, False),
        (timedelta(hours=1), 3600, False),  # the longest length a cramp may have
        (timedelta(hours=1, seconds=1), None, False),  # left running: stops without a length
    ],
    ids=["1.9 s", "2 s", "1 hour", "1 hour 1 s"],
)
def test_the_length_is_kept_from_two_seconds_up_to_an_hour(
    logged_in, freeze_now, after, length, running
):
    _, episode = timed_cramp(logged_in, freeze_now, after)
    assert episode.duration_seconds == length
    assert (episode.timer_started_at is not None) is running


def test_a_double_tap_says_the_timer_runs_on(logged_in, freeze_now):
    response, _ = timed_cramp(logged_in, freeze_now, timedelta(seconds=1), **HTMX)
    html = html_of(response)
    assert "taken as a double tap: the timer is still running" in html
    assert "It’s over" in html


def test_a_timer_past_the_hour_says_it_stopped_without_a_length(logged_in, freeze_now):
    response, episode = timed_cramp(logged_in, freeze_now, timedelta(hours=3), **HTMX)
    assert "The timer ran for over an hour, so it stopped without a length." in html_of(response)
    assert episode.duration_seconds is None


def test_stop_without_a_length(logged_in, freeze_now):
    tap(logged_in)
    episode = CrampEpisode.objects.get()
    freeze_now(TAP + timedelta(minutes=3))
    html = html_of(its_over(logged_in, episode, length="none", **HTMX))
    assert "Timer stopped, without a length." in html
    episode.refresh_from_db()
    assert (episode.duration_seconds, episode.timer_started_at) == (None, None)


def test_a_repeated_its_over_keeps_the_first_length(logged_in, freeze_now):
    _, episode = timed_cramp(logged_in, freeze_now, timedelta(minutes=1, seconds=5))
    freeze_now(TAP + timedelta(minutes=4))
    html = html_of(its_over(logged_in, episode, **HTMX))
    assert "The timer had already stopped: it lasted 1 min 5 s." in html
    episode.refresh_from_db()
    assert episode.duration_seconds == 65


def test_a_running_timer_survives_a_reload_and_a_closed_tab(logged_in, alice, freeze_now):
    tap(logged_in, **HTMX)
    freeze_now(TAP + timedelta(minutes=4))
    another_device = Client()  # a new session, as after closing the browser
    another_device.force_login(alice)
    for client in (logged_in, another_device):
        html = html_of(client.get(reverse("home")))
        assert "A cramp timer has been running since 03:10 (night of Wed 4 Mar)." in html
        assert 'data-timer-seconds="240"' in html
        assert "It’s over" in html and "Stop without a length" in html
        assert "Cramp now" in html  # another cramp can still be logged
    freeze_now(TAP + timedelta(minutes=5))
    its_over(another_device, CrampEpisode.objects.get())
    assert CrampEpisode.objects.get().duration_seconds == 300


def test_a_stale_timer_is_stopped_when_the_page_is_next_opened_and_says_so_once(
    logged_in, freeze_now
):
    tap(logged_in)
    episode = CrampEpisode.objects.get()
    freeze_now(TAP + timedelta(hours=1, minutes=1))
    html = html_of(logged_in.get(reverse("home")))
    assert (
        "The timer of the cramp at 03:10 ran for over an hour, so it stopped without a length."
        in html
    )
    assert "It’s over" not in html
    episode.refresh_from_db()
    assert (episode.duration_seconds, episode.timer_started_at) == (None, None)
    assert "ran for over an hour" not in html_of(logged_in.get(reverse("home")))


def test_typing_a_length_stops_the_timer_and_saving_without_one_leaves_it_running(logged_in):
    tap(logged_in, **HTMX)
    episode = CrampEpisode.objects.get()
    url = reverse("episode_edit", args=[episode.pk])
    saved = html_of(logged_in.post(url, {"side": "left", "woke_me": "on"}, **HTMX))
    assert "A cramp timer has been running since 03:10" in saved  # still offered
    episode.refresh_from_db()
    assert episode.timer_started_at == TAP
    logged_in.post(url, {"side": "left", "duration_quick": "90", "woke_me": "on"}, **HTMX)
    episode.refresh_from_db()
    assert (episode.duration_seconds, episode.timer_started_at) == (90, None)


def test_a_new_cramp_now_stops_an_earlier_timer_without_a_length_and_says_so(logged_in, freeze_now):
    tap(logged_in)
    freeze_now(TAP + timedelta(minutes=15))
    html = html_of(tap(logged_in, **HTMX))
    first, second = CrampEpisode.objects.order_by("started_at")
    assert (first.timer_started_at, first.duration_seconds) == (None, None)
    assert second.timer_started_at == TAP + timedelta(minutes=15)
    assert (
        "The timer of the cramp at 03:10 was still running, so it stopped without a length." in html
    )


def test_another_users_timer_cannot_be_stopped(logged_in, bob, freeze_now):
    tap(logged_in)
    episode = CrampEpisode.objects.get()
    freeze_now(TAP + timedelta(minutes=2))
    as_bob = Client()
    as_bob.force_login(bob)
    assert its_over(as_bob, episode).status_code == 404
    assert its_over(as_bob, episode, **HTMX).status_code == 404
    episode.refresh_from_db()
    assert (episode.timer_started_at, episode.duration_seconds) == (TAP, None)
    assert "running since" not in html_of(as_bob.get(reverse("home")))


def test_stopping_needs_a_post(logged_in):
    tap(logged_in)
    episode = CrampEpisode.objects.get()
    assert logged_in.get(reverse("cramp_timer_stop", args=[episode.pk])).status_code == 405
    episode.refresh_from_db()
    assert episode.timer_started_at == TAP


def test_stop_timer_reads_nothing_from_a_timer_that_is_not_running(alice):
    night = Night.objects.create(user=alice, date=NIGHT)
    episode = CrampEpisode.objects.create(night=night, started_at=TAP, duration_seconds=30)
    assert stop_timer(alice, episode, TAP + timedelta(minutes=2)) is TimerOutcome.NOT_RUNNING
    episode.refresh_from_db()
    assert episode.duration_seconds == 30


def test_the_database_refuses_a_length_while_the_timer_runs(alice):
    night = Night.objects.create(user=alice, date=NIGHT)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        CrampEpisode.objects.create(
            night=night, started_at=TAP, timer_started_at=TAP, duration_seconds=60
        )
    assert "journal_episode_timer_has_no_length" in str(refused.value)
