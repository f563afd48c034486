"""The installable app's server side: the manifest, the service worker and offline page, and the
address that takes cramps a phone kept while it had no connection (journal/offline.py). The
browser's side is in tests/browser/test_offline_browser.py."""

import json
import re
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from uuid import uuid4

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from journal.models import CrampEpisode, Night, User
from journal.offline import WAITING_LIMIT, journal_key
from journal.themes import THEME_COLOURS
from tests.conftest import html_of, london

SYNC = "/cramps/sync/"
TAP = london(date(2026, 3, 4), 23, 50)  # ten minutes before midnight, on Wednesday 4 March


def send(client: Client, user: User, *, tapped_at=TAP, token=None, **fields):
    """POST one waiting cramp as outbox.js does."""
    body = {
        "token": str(token or uuid4()),
        "when": "now",
        "at_time": "",
        "tapped_at": tapped_at.isoformat() if hasattr(tapped_at, "isoformat") else tapped_at,
        "journal": journal_key(user),
        **fields,
    }
    return client.post(SYNC, body)


@pytest.fixture
def midnight_alice(alice):
    """alice, whose nights change at midnight (the default is noon), so that the night a cramp
    belongs to depends on which side of midnight the moment falls."""
    alice.night_boundary_hour = 0
    alice.save()
    return alice


@pytest.fixture
def signed_in(client, midnight_alice):
    client.force_login(midnight_alice)
    return client


# --- Installable --------------------------------------------------------------------------------


def test_the_manifest_opens_on_the_cramp_button_full_screen_in_the_dark_theme(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == reverse("home") == "/"
    assert (manifest["scope"], manifest["display"]) == ("/", "standalone")
    assert manifest["name"] == "Cramp Journal" and manifest["short_name"]
    assert manifest["theme_color"] == manifest["background_color"] == THEME_COLOURS["dark"]


def test_the_manifest_icons_are_the_sizes_they_say_and_maskable_ones_fill_their_square(client, db):
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    purposes = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert {("192x192", "maskable"), ("512x512", "maskable"), ("any", "any")} <= purposes
    for icon in icons:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        body = b"".join(response.streaming_content)
        if icon["type"] == "image/svg+xml":
            assert body.startswith(b"<svg")
            continue
        image = Image.open(BytesIO(body)).convert("RGBA")
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert image.size == (width, height), icon["src"]
        corner = image.getpixel((0, 0))
        if icon["purpose"] == "maskable":
            # A launcher's mask may cut anywhere outside the middle 80%: the ground must be there.
            assert corner[3] == 255, f"{icon['src']} has a transparent corner"
        else:
            assert corner[3] == 0, f"{icon['src']} should show its round shape"


@pytest.mark.parametrize("path", ["/", "/login/", "/learn/", "/account/", "/offline/"])
def test_every_page_links_the_manifest_and_paints_the_browser_bar(alice_client, path):
    html = html_of(alice_client.get(path))
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(r'<meta name="theme-color"[^>]* content="#[0-9a-f]{6}">', html)


def test_the_browser_bar_takes_the_theme_shown(alice, alice_client):
    alice.theme = "dim"
    alice.save()
    html = html_of(alice_client.get("/"))
    assert f'<meta name="theme-color" content="{THEME_COLOURS["dim"]}">' in html


def test_theme_colours_are_the_backgrounds_of_the_stylesheet():
    css = Path(finders.find("css/app.css")).read_text()
    blocks = {
        "light": css.split(":root {", 1)[1],
        "dark": css.split(':root[data-theme="dark"] {', 1)[1],
        "dim": css.split(':root[data-theme="dim"] {', 1)[1],
    }
    for theme, block in blocks.items():
        background = re.search(r"--bg: (#[0-9a-f]{6});", block.split("}", 1)[0])
        assert background and background[1] == THEME_COLOURS[theme], theme


# --- The service worker and the offline page -----------------------------------------------------


def test_the_service_worker_is_served_at_the_root_with_the_shell_it_keeps(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"  # a new version is picked up at once
    source = response.content.decode()
    settings = json.loads(re.match(r"const CRAMP_JOURNAL = (\{.*\});\n", source)[1])
    assert settings["offlinePage"] == "/offline/"
    assert settings["sendTo"] == SYNC
    for url in settings["shell"]:
        assert client.get(url).status_code == 200, url
    assert 'addEventListener("fetch"' in source


def test_the_service_worker_is_under_the_strict_content_security_policy(client, db):
    policy = client.get("/sw.js")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_offline_page_is_the_same_for_everyone_and_holds_no_journal(client, alice, bob):
    anonymous = html_of(client.get("/offline/"))
    client.force_login(alice)
    as_alice = html_of(client.get("/offline/"))
    client.force_login(bob)
    as_bob = html_of(client.get("/offline/"))
    assert anonymous == as_alice == as_bob
    assert "alice@" not in as_alice and "csrf" not in as_alice.lower()
    assert journal_key(alice) not in as_alice
    assert "Cramp now" in anonymous and "data-offline-page" in anonymous


def test_the_worker_stays_the_same_from_request_to_request_and_day_to_day(client, db, freeze_now):
    """A phone fetches the worker again on every visit, and reinstalls it when a byte differs."""

    def version():
        return re.search(r'"version": "(\w+)"', client.get("/sw.js").content.decode())[1]

    freeze_now(TAP)
    first = version()
    freeze_now(TAP + timedelta(days=40, hours=5))
    assert version() == first
    client.force_login(User.objects.create_user("carol@example.com", "carol-password-1"))
    assert version() == first


# --- Sending a waiting cramp ---------------------------------------------------------------------


def test_signed_out_the_address_answers_401_instead_of_a_log_in_page(client, db):
    for response in (client.get(SYNC), client.post(SYNC, {})):
        assert response.status_code == 401
        assert response.json()["status"] == "signed out"


def test_a_post_without_the_csrf_token_is_refused(midnight_alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(midnight_alice)
    assert send(client, midnight_alice).status_code == 403
    assert not CrampEpisode.objects.exists()


def test_the_phone_gets_a_token_that_lets_it_send(midnight_alice, freeze_now):
    freeze_now(TAP + timedelta(minutes=20))
    client = Client(enforce_csrf_checks=True)
    client.force_login(midnight_alice)
    fetched = client.get(SYNC).json()
    assert fetched["journal"] == journal_key(midnight_alice)
    body = {
        "token": str(uuid4()),
        "when": "now",
        "tapped_at": TAP.isoformat(),
        "journal": fetched["journal"],
    }
    response = client.post(SYNC, body, headers={"x-csrftoken": fetched["csrf_token"]})
    assert response.status_code == 201


def test_a_tap_goes_on_the_night_of_its_moment_not_of_its_arrival(
    signed_in, midnight_alice, freeze_now
):
    freeze_now(TAP + timedelta(minutes=20))  # sent at 00:10, in the next night
    response = send(signed_in, midnight_alice)
    assert response.status_code == 201
    episode = CrampEpisode.objects.get()
    assert episode.started_at == TAP
    assert episode.night.date == date(2026, 3, 4)
    assert midnight_alice.night_of(TAP + timedelta(minutes=20)) == date(2026, 3, 5)
    assert response.json()["message"] == (
        "The cramp at 23:50, night of Wed 4 Mar, is in your journal."
    )
    assert episode.undo_until is None and episode.timer_started_at is None


def test_the_same_tap_sent_again_is_logged_once(signed_in, midnight_alice, freeze_now):
    freeze_now(TAP + timedelta(minutes=20))
    token = uuid4()
    first = send(signed_in, midnight_alice, token=token)
    again = send(signed_in, midnight_alice, token=token)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "already logged"
    assert first.json()["url"] == again.json()["url"]
    assert CrampEpisode.objects.count() == 1


def test_an_earlier_start_is_counted_back_from_the_tap(signed_in, midnight_alice, freeze_now):
    freeze_now(TAP + timedelta(hours=2))
    send(signed_in, midnight_alice, when="15")
    send(signed_in, midnight_alice, when="at", at_time="23:55")  # after 23:50: the day before
    starts = list(CrampEpisode.objects.values_list("started_at", flat=True))
    assert starts == [TAP - timedelta(days=1) + timedelta(minutes=5), TAP - timedelta(minutes=15)]


@pytest.mark.parametrize(  # 5 minutes, as the README says
    ("ahead", "status"),
    [(timedelta(minutes=5), 201), (timedelta(minutes=5, seconds=1), 422)],
)
def test_a_tap_from_the_future_is_refused_beyond_the_tolerance(
    signed_in, midnight_alice, freeze_now, ahead, status
):
    freeze_now(TAP - ahead)
    response = send(signed_in, midnight_alice)
    assert response.status_code == status
    if status == 422:
        assert response.json()["message"].startswith(
            "This phone says the cramp was at 23:50 on 4 March 2026, which has not come yet"
        )
        assert not CrampEpisode.objects.exists()


@pytest.mark.parametrize(  # 30 days, as the README says
    ("waited", "status"),
    [(timedelta(days=30), 201), (timedelta(days=30, seconds=1), 422)],
)
def test_a_tap_that_waited_too_long_is_refused(
    signed_in, midnight_alice, freeze_now, waited, status
):
    freeze_now(TAP + waited)
    response = send(signed_in, midnight_alice)
    assert response.status_code == status
    if status == 422:
        assert "waited on the phone for longer than 30 days" in response.json()["message"]


@pytest.mark.parametrize("moment", ["2026-03-04T23:50:00", "yesterday", ""])
def test_a_moment_without_its_zone_is_refused(signed_in, midnight_alice, moment):
    response = send(signed_in, midnight_alice, tapped_at=moment)
    assert response.status_code == 422
    assert not CrampEpisode.objects.exists()


def test_details_typed_on_the_phone_are_saved_with_it(signed_in, midnight_alice, freeze_now):
    freeze_now(TAP + timedelta(minutes=20))
    response = send(
        signed_in,
        midnight_alice,
        details="1",
        side="left",
        muscle="calf",
        pain="7",
        duration_exact="2:30",
        relief=["relieved_by_stretching", "relieved_by_walking"],
        woke_me="on",
    )
    assert response.status_code == 201
    episode = CrampEpisode.objects.get()
    assert (episode.side, episode.muscle, episode.pain) == ("left", "calf", 7)
    assert episode.duration_seconds == 150
    assert episode.relieved_by_stretching and episode.relieved_by_walking
    assert not episode.relieved_by_massage


def test_without_details_nothing_is_saved_for_them(signed_in, midnight_alice, freeze_now):
    freeze_now(TAP + timedelta(minutes=20))
    send(signed_in, midnight_alice, side="left", pain="7")  # no "details": not saved by the user
    episode = CrampEpisode.objects.get()
    assert (episode.side, episode.pain, episode.duration_seconds) == ("", None, None)


def test_details_not_understood_leave_the_cramp_logged_and_say_so(
    signed_in, midnight_alice, freeze_now
):
    freeze_now(TAP + timedelta(minutes=20))
    response = send(signed_in, midnight_alice, details="1", pain="7", duration_exact="2:75")
    assert response.status_code == 201
    assert response.json()["message"].endswith(
        "Its details were not understood: add them on its page."
    )
    episode = CrampEpisode.objects.get()
    assert (episode.pain, episode.duration_seconds) == (None, None)


def test_a_tap_kept_for_another_journal_is_not_logged_in_this_one(
    signed_in, midnight_alice, bob, freeze_now
):
    freeze_now(TAP + timedelta(minutes=20))
    response = send(signed_in, midnight_alice, journal=journal_key(bob))
    assert response.status_code == 409
    assert not CrampEpisode.objects.exists()


def test_another_users_token_is_refused_and_their_cramp_untouched(
    signed_in, midnight_alice, bob, freeze_now
):
    freeze_now(TAP + timedelta(minutes=20))
    bobs = CrampEpisode.objects.create(
        night=Night.objects.create(user=bob, date=date(2026, 3, 4)),
        started_at=TAP,
        client_token=uuid4(),
    )
    response = send(signed_in, midnight_alice, token=bobs.client_token)
    assert response.status_code == 422
    assert response.json()["message"] == "This cramp's id is already in use. Log it again, please."
    assert CrampEpisode.objects.get() == bobs
    assert not Night.objects.filter(user=midnight_alice).exists()


def test_a_full_night_refuses_with_the_reason(signed_in, midnight_alice, freeze_now):
    freeze_now(TAP + timedelta(minutes=20))
    night = Night.objects.create(user=midnight_alice, date=date(2026, 3, 4))
    for minutes in range(20):
        CrampEpisode.objects.create(night=night, started_at=TAP - timedelta(minutes=minutes + 1))
    response = send(signed_in, midnight_alice)
    assert response.status_code == 422
    assert response.json()["message"].startswith("A night can hold at most 20 cramps.")


def test_many_in_a_night_are_not_asked_about_again(signed_in, midnight_alice, freeze_now):
    freeze_now(TAP + timedelta(minutes=20))
    night = Night.objects.create(user=midnight_alice, date=date(2026, 3, 4))
    for minutes in range(10):
        CrampEpisode.objects.create(night=night, started_at=TAP - timedelta(minutes=minutes + 1))
    assert send(signed_in, midnight_alice).status_code == 201
    assert night.episodes.count() == 11


def test_the_journal_key_differs_between_users_and_is_on_their_pages(alice, bob, client):
    assert journal_key(alice) != journal_key(bob)
    client.force_login(alice)
    assert f'data-journal="{journal_key(alice)}"' in html_of(client.get("/"))
    client.logout()
    assert "data-journal" not in html_of(client.get("/login/"))


# --- Log-out ------------------------------------------------------------------------------------


def test_log_out_tells_the_browser_to_forget_what_the_site_kept(alice_client):
    response = alice_client.post("/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in alice_client.session


def test_the_offline_page_reads_nothing_from_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/offline/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/sw.js").status_code == 200


def test_sending_a_cramp_costs_the_same_queries_whatever_the_history(
    signed_in, midnight_alice, freeze_now
):
    def queries_to_send(tap) -> int:
        """Queries to send a tap with details, on a night with nothing logged yet."""
        freeze_now(tap + timedelta(minutes=20))
        with CaptureQueriesContext(connection) as captured:
            response = send(signed_in, midnight_alice, tapped_at=tap, details="1", pain="3")
            assert response.status_code == 201
        return len(captured.captured_queries)

    first = queries_to_send(TAP)
    for days in range(1, 61):
        night = Night.objects.create(user=midnight_alice, date=date(2026, 3, 4) - timedelta(days))
        CrampEpisode.objects.create(night=night, started_at=TAP - timedelta(days=days))
    assert queries_to_send(TAP + timedelta(days=1)) == first <= 26  # savepoints included


def test_a_refused_moment_is_told_on_the_users_own_clock(client, bob, freeze_now):
    bob.night_boundary_hour = 0
    bob.save()
    client.force_login(bob)
    freeze_now(TAP - timedelta(hours=1))
    response = send(client, bob)  # 23:50 in London is 18:50 in New York
    assert response.json()["message"] == (
        "This phone says the cramp was at 18:50 on 4 March 2026, which has not come yet: "
        "check the phone's date and time, then add the cramp on its day's page."
    )
    freeze_now(TAP + WAITING_LIMIT + timedelta(days=1))
    client.force_login(bob)  # a month on, the session has ended
    assert send(client, bob).json()["message"] == (
        "This cramp, from 4 March 2026, waited on the phone for longer than 30 days, so it "
        "was not sent. Add it on its day's page if it is right."
    )
