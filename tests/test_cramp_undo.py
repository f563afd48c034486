"""Undo after a bedside tap: one tap removes a mistaken cramp, for 10 minutes, until its details
are saved; with htmx and without JavaScript; never someone else's cramp."""

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse

from journal.cramps import DETAILS_SAVED, TOO_LATE, UNDO_WINDOW, UndoRefused, undo_cramp
from journal.models import CrampEpisode, Night
from tests.bedside_taps import HTMX, NIGHT, TAP, tap
from tests.conftest import html_of, london

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, alice, freeze_now):
    freeze_now(TAP)
    client.force_login(alice)
    return client


def undo(client, episode_or_pk, **headers):
    pk = getattr(episode_or_pk, "pk", episode_or_pk)
    return client.post(reverse("cramp_undo", args=[pk]), **headers)


def test_the_panel_says_what_was_logged_and_offers_undo_for_ten_minutes(logged_in):
    html = html_of(tap(logged_in, **HTMX))
    episode = CrampEpisode.objects.get()
    assert "Cramp logged at 03:10, night of Wed 4 Mar." in html
    assert f'hx-post="{reverse("cramp_undo", args=[episode.pk])}"' in html
    assert "Undo removes this cramp, until 03:20 (10 minutes)." in html
    assert episode.undo_until == TAP + timedelta(minutes=10)


def test_undo_from_the_panel_removes_the_cramp_and_its_empty_night(logged_in):
    tap(logged_in, **HTMX)
    response = undo(logged_in, CrampEpisode.objects.get(), **HTMX)
    html = html_of(response)
    assert response.status_code == 200
    assert "<html" not in html  # the panel only
    assert "Undone: the cramp at 03:10 is no longer logged for the night of Wed 4 Mar." in html
    assert 'value="now"' in html  # the big button is back
    assert not CrampEpisode.objects.exists()
    assert not Night.objects.exists()  # the tap made the night; nothing else was logged in it


def test_undo_keeps_the_night_when_another_cramp_is_logged_in_it(logged_in, freeze_now):
    tap(logged_in)
    freeze_now(TAP + timedelta(minutes=20))
    tap(logged_in)
    second = CrampEpisode.objects.latest("started_at")
    undo(logged_in, second)
    assert list(CrampEpisode.objects.values_list("started_at", flat=True)) == [TAP]
    assert Night.objects.get().date == NIGHT


def test_without_javascript_the_cramps_page_offers_undo_and_it_redirects_home(logged_in):
    landing = tap(logged_in)
    episode = CrampEpisode.objects.get()
    page = html_of(logged_in.get(landing["Location"]))
    action = reverse("cramp_undo", args=[episode.pk])
    assert f'<form method="post" action="{action}" class="undo-form">' in page  # no hx-post
    assert "Undo removes this cramp, until 03:20 (10 minutes)." in page
    response = undo(logged_in, episode)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = html_of(logged_in.get(response["Location"]))
    assert "Undone: the cramp at 03:10 is no longer logged for the night of Wed 4 Mar." in home
    assert not CrampEpisode.objects.exists()


@pytest.mark.parametrize("when", ["5", "15", "30"])
def test_a_tap_for_a_cramp_that_started_earlier_can_be_undone_too(logged_in, when):
    tap(logged_in, when=when)
    undo(logged_in, CrampEpisode.objects.get())
    assert not CrampEpisode.objects.exists()


@pytest.mark.parametrize(
    ("after", "undone"),
    [
        (timedelta(minutes=9, seconds=59), True),
        (timedelta(minutes=10), False),
        (timedelta(hours=2), False),
    ],
    ids=["9:59 later", "10:00 later", "2 hours later"],
)
def test_the_undo_window_is_ten_minutes(logged_in, freeze_now, after, undone):
    tap(logged_in)
    episode = CrampEpisode.objects.get()
    freeze_now(TAP + after)
    response = undo(logged_in, episode)
    assert CrampEpisode.objects.exists() is not undone
    if not undone:
        assert response["Location"] == reverse("episode_edit", args=[episode.pk])
        page = html_of(logged_in.get(response["Location"]))
        assert "Undo lasts 10 minutes after the tap, and they have passed." in page
        assert "undo-form" not in page  # no longer offered
        assert "Delete this cramp" in page


def test_too_late_in_the_panel_says_so_and_links_to_the_cramp(logged_in, freeze_now):
    tap(logged_in, **HTMX)
    episode = CrampEpisode.objects.get()
    freeze_now(TAP + UNDO_WINDOW)
    html = html_of(undo(logged_in, episode, **HTMX))
    assert 'role="alert"' in html
    assert "Undo lasts 10 minutes after the tap" in html
    assert f'href="{reverse("episode_edit", args=[episode.pk])}"' in html
    assert CrampEpisode.objects.exists()


def test_once_details_are_saved_undo_is_refused(logged_in):
    tap(logged_in, **HTMX)
    episode = CrampEpisode.objects.get()
    saved = logged_in.post(
        reverse("episode_edit", args=[episode.pk]), {"side": "left", "woke_me": "on"}, **HTMX
    )
    assert "Details saved for the cramp at 03:10" in html_of(saved)
    assert "undo-form" not in html_of(saved)
    html = html_of(undo(logged_in, episode, **HTMX))
    assert "Details have been saved for this cramp, so Undo no longer applies." in html
    episode.refresh_from_db()
    assert (episode.side, episode.undo_until) == ("left", None)


def test_a_cramp_added_after_the_fact_has_no_undo(logged_in, alice):
    night = Night.objects.create(user=alice, date=NIGHT)
    added = CrampEpisode.objects.create(night=night, started_at=london(NIGHT, 23))
    assert "undo-form" not in html_of(logged_in.get(reverse("episode_edit", args=[added.pk])))
    undo(logged_in, added)
    assert CrampEpisode.objects.filter(pk=added.pk).exists()


def test_a_double_tap_does_not_stretch_the_window(logged_in, freeze_now):
    token = uuid4()
    logged_in.post(reverse("cramp_now"), {"token": token, "when": "now"})
    freeze_now(TAP + timedelta(minutes=5))
    logged_in.post(reverse("cramp_now"), {"token": token, "when": "now"})  # the same form again
    assert CrampEpisode.objects.get().undo_until == TAP + UNDO_WINDOW


def test_a_repeated_undo_says_already_undone_rather_than_not_found(logged_in):
    tap(logged_in)
    episode = CrampEpisode.objects.get()
    undo(logged_in, episode)
    again = undo(logged_in, episode)
    assert again["Location"] == reverse("home")
    assert "That cramp was already undone." in html_of(logged_in.get(again["Location"]))
    assert "That cramp was already undone." in html_of(undo(logged_in, episode, **HTMX))


def test_the_session_remembers_the_last_five_cramps_undone(logged_in, freeze_now):
    undone = []
    for minute in range(6):
        freeze_now(TAP + timedelta(minutes=minute))
        tap(logged_in)
        undone.append(CrampEpisode.objects.get().pk)
        undo(logged_in, undone[-1])
    assert undo(logged_in, undone[0]).status_code == 404  # forgotten: it is just gone
    assert undo(logged_in, undone[1])["Location"] == reverse("home")


def test_an_id_never_undone_here_is_not_found(logged_in):
    assert undo(logged_in, 987654).status_code == 404


def test_another_users_cramp_cannot_be_undone(logged_in, bob):
    tap(logged_in)
    episode = CrampEpisode.objects.get()
    as_bob = Client()
    as_bob.force_login(bob)
    assert undo(as_bob, episode).status_code == 404
    assert undo(as_bob, episode, **HTMX).status_code == 404
    assert CrampEpisode.objects.filter(pk=episode.pk).exists()
    # alice's Undo is hers alone, and still works.
    undo(logged_in, episode)
    assert not CrampEpisode.objects.exists()


def test_undo_needs_a_post(logged_in):
    tap(logged_in)
    assert (
        logged_in.get(reverse("cramp_undo", args=[CrampEpisode.objects.get().pk])).status_code
        == 405
    )
    assert CrampEpisode.objects.exists()


def test_undo_cramp_refuses_with_the_reason(alice, freeze_now):
    night = Night.objects.create(user=alice, date=NIGHT)
    episode = CrampEpisode.objects.create(night=night, started_at=TAP, undo_until=TAP + UNDO_WINDOW)
    with pytest.raises(UndoRefused, match=re.escape(TOO_LATE)):
        undo_cramp(alice, episode, TAP + UNDO_WINDOW)
    episode.undo_until = None
    with pytest.raises(UndoRefused, match=re.escape(DETAILS_SAVED)):
        undo_cramp(alice, episode, TAP)
    episode.undo_until = TAP + UNDO_WINDOW
    assert undo_cramp(alice, episode, TAP + UNDO_WINDOW - timedelta(seconds=1)).night_removed
    assert not CrampEpisode.objects.exists()
