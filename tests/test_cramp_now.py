"""The bedside "cramp now" flow: one tap, the right night, details, no double logging."""

import re
from datetime import date, timedelta
from uuid import uuid4

import pytest
from django.urls import reverse

from journal.models import CrampEpisode, Night
from tests.conftest import london

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "cramp-panel"}


def tap(client, token=None, **data):
    return client.post(reverse("cramp_now"), {"token": token or uuid4(), "when": "now", **data})


def token_on(page) -> str:
    match = re.search(r'name="token" value="([0-9a-f-]{36})"', page.content.decode())
    assert match is not None, "no token on the page"
    return match.group(1)


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def test_a_tap_at_three_in_the_morning_lands_on_the_previous_evenings_night(
    logged_in, alice, freeze_now
):
    now = freeze_now(london(date(2026, 3, 5), 3, 0))
    response = tap(logged_in, token=token_on(logged_in.get(reverse("home"))))
    episode = CrampEpisode.objects.get()
    assert episode.started_at == now
    assert episode.night.date == date(2026, 3, 4)
    assert episode.night.user == alice
    assert response["Location"] == reverse("episode_edit", args=[episode.pk])
    page = logged_in.get(response["Location"])
    assert "Cramp logged at 03:00" in page.content.decode()


def test_a_tap_after_the_noon_boundary_starts_the_new_night(logged_in, freeze_now):
    freeze_now(london(date(2026, 3, 5), 12, 30))
    tap(logged_in)
    assert CrampEpisode.objects.get().night.date == date(2026, 3, 5)


def test_the_home_page_names_the_current_night(logged_in, freeze_now):
    freeze_now(london(date(2026, 3, 5), 3, 0))
    assert "Night of Wednesday 4 March" in logged_in.get(reverse("home")).content.decode()


def test_same_form_sent_twice_logs_one_cramp_but_two_real_cramps_log_two(logged_in, freeze_now):
    freeze_now(london(date(2026, 3, 5), 3, 0))
    token = token_on(logged_in.get(reverse("home")))
    first = tap(logged_in, token=token)
    second = tap(logged_in, token=token)  # a double tap of the same button
    assert CrampEpisode.objects.count() == 1
    assert first["Location"] == second["Location"]
    freeze_now(london(date(2026, 3, 5), 3, 7))
    tap(logged_in, token=token_on(logged_in.get(reverse("home"))))  # a new cramp, new form
    assert CrampEpisode.objects.count() == 2


@pytest.mark.parametrize(
    ("when", "at_time", "expected"),
    [
        ("5", "", london(date(2026, 3, 5), 2, 55)),
        ("30", "", london(date(2026, 3, 5), 2, 30)),
        ("at", "02:50", london(date(2026, 3, 5), 2, 50)),
        ("at", "23:40", london(date(2026, 3, 4), 23, 40)),  # before midnight, same night
    ],
)
def test_started_earlier(logged_in, freeze_now, when, at_time, expected):
    freeze_now(london(date(2026, 3, 5), 3, 0))
    tap(logged_in, when=when, at_time=at_time)
    episode = CrampEpisode.objects.get()
    assert episode.started_at == expected
    assert episode.night.date == date(2026, 3, 4)


def test_the_big_button_means_now_even_with_a_time_typed(logged_in, freeze_now):
    now = freeze_now(london(date(2026, 3, 5), 3, 0))
    tap(logged_in, when="now", at_time="01:00")
    assert CrampEpisode.objects.get().started_at == now


def test_at_a_time_without_a_time_says_so_and_logs_nothing(logged_in):
    response = tap(logged_in, when="at", at_time="")
    assert response.status_code == 400
    assert "Enter the time the cramp started." in response.content.decode()
    assert not CrampEpisode.objects.exists()


def test_htmx_tap_returns_the_details_panel_only(logged_in, freeze_now):
    freeze_now(london(date(2026, 3, 5), 3, 0))
    response = logged_in.post(reverse("cramp_now"), {"token": uuid4(), "when": "now"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Cramp logged at 03:00" in html
    assert "Save details" in html
    assert 'name="notes"' not in html  # the bedside form keeps to the few 3 a.m. questions
    assert response["Vary"] == "HX-Request, Cookie" or "HX-Request" in response["Vary"]


def test_bedside_details_are_saved_and_a_long_cramp_shows_the_doctor_note(logged_in, freeze_now):
    freeze_now(london(date(2026, 3, 5), 3, 0))
    tap(logged_in)
    episode = CrampEpisode.objects.get()
    response = logged_in.post(
        reverse("episode_edit", args=[episode.pk]),
        {
            "side": "left",
            "muscle": "calf",
            "pain": "8",
            "duration_quick": "900",
            "relief": ["relieved_by_stretching", "relieved_by_walking"],
            "woke_me": "on",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert "Details saved for the cramp at 03:00" in html
    assert "Worth mentioning to a doctor" in html
    assert 'value="now"' in html  # the big button is back, ready for the next cramp
    episode.refresh_from_db()
    assert (episode.side, episode.muscle, episode.pain) == ("left", "calf", 8)
    assert episode.duration_seconds == 900
    assert episode.relief_methods == ["Stretching", "Standing or walking"]
    assert episode.started_at == london(date(2026, 3, 5), 3, 0)  # not in the bedside form


def test_details_errors_are_shown_next_to_the_field_and_keep_the_input(logged_in, freeze_now):
    freeze_now(london(date(2026, 3, 5), 3, 0))
    tap(logged_in)
    episode = CrampEpisode.objects.get()
    response = logged_in.post(
        reverse("episode_edit", args=[episode.pk]),
        {
            "side": "right",
            "duration_exact": "75:00",
            "relief": ["relieved_by_nothing", "relieved_by_heat"],
        },
        **HTMX,
    )
    form = response.context["details"]
    assert form.errors["duration_exact"] == ["A cramp's length must be between 0:01 and 60:00."]
    assert "can’t be combined" in form.errors["relief"][0]
    html = response.content.decode()
    assert 'value="75:00"' in html
    assert 'value="right" id="id_side_2" checked' in html or re.search(
        r'value="right"[^>]*checked', html
    )
    episode.refresh_from_db()
    assert episode.side == ""


def test_more_than_ten_cramps_in_a_night_asks_first(logged_in, alice, freeze_now):
    now = freeze_now(london(date(2026, 3, 5), 3, 0))
    night = Night.objects.create(user=alice, date=date(2026, 3, 4))
    CrampEpisode.objects.bulk_create(
        CrampEpisode(night=night, started_at=now - timedelta(minutes=n + 1)) for n in range(10)
    )
    token = uuid4()
    response = tap(logged_in, token=token)
    assert response.status_code == 200
    assert "10 cramps are already logged this night" in response.content.decode()
    assert night.episodes.count() == 10
    tap(logged_in, token=token, confirm_many="on")
    assert night.episodes.count() == 11


def test_the_twenty_first_cramp_is_refused_with_a_message(logged_in, alice, freeze_now):
    now = freeze_now(london(date(2026, 3, 5), 3, 0))
    night = Night.objects.create(user=alice, date=date(2026, 3, 4))
    CrampEpisode.objects.bulk_create(
        CrampEpisode(night=night, started_at=now - timedelta(minutes=n + 1)) for n in range(20)
    )
    response = tap(logged_in, confirm_many="on")
    assert night.episodes.count() == 20
    page = logged_in.get(response["Location"])
    assert "at most 20 cramps" in page.content.decode()
    data = {"token": uuid4(), "when": "now", "confirm_many": "on"}
    response = logged_in.post(reverse("cramp_now"), data, **HTMX)
    assert response["HX-Redirect"] == reverse("home")  # the whole page reloads with the message
    assert night.episodes.count() == 20


def test_home_page_queries_do_not_grow_with_history(
    logged_in, alice, freeze_now, django_assert_num_queries
):
    freeze_now(london(date(2026, 3, 5), 3, 0))

    def add_nights(first: date, count: int):
        for offset in range(count):
            night = Night.objects.create(user=alice, date=first - timedelta(days=offset))
            CrampEpisode.objects.create(night=night, started_at=london(night.date, 23))

    add_nights(date(2026, 3, 4), 2)  # the current night (the 4th, at 3 a.m. on the 5th)
    # session, user, the two nights with their cramp counts, a running cramp timer, the tips
    # panel's nine reads (journal.learn.tips, the experiment under way among them), the
    # experiment for the page's own line, then the session save (savepoint, update, release)
    # that keeps the idle timeout sliding
    with django_assert_num_queries(17):
        page = logged_in.get(reverse("home"))
    assert "Cramps so far this night: 1" in page.content.decode()
    add_nights(date(2026, 3, 2), 60)
    with django_assert_num_queries(17):
        logged_in.get(reverse("home"))
