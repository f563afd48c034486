"""The theme: chosen on the Account page, set on <html> by the server, dim in the night hours."""

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from journal.models import Theme, User
from journal.nights import local_moment
from journal.themes import in_night_hours
from tests.conftest import html_of, london

AUCKLAND = ZoneInfo("Pacific/Auckland")  # UTC+13 in the southern summer
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30
LONDON = ZoneInfo("Europe/London")


def html_theme(response) -> str:
    match = re.search(r'<html lang="en-GB" data-theme="(\w+)"', html_of(response))
    assert match is not None, "no theme on the page"
    return match[1]


# --- The rule, as a pure function ------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "inside"),
    [
        (time(21, 59), False),
        (time(22, 0), True),  # the start hour is in
        (time(23, 59), True),
        (time(0, 0), True),  # across midnight
        (time(6, 59), True),
        (time(7, 0), False),  # the end hour is out
        (time(12, 0), False),
    ],
)
def test_night_hours_across_midnight(clock, inside):
    moment = local_moment(date(2026, 1, 14), clock, LONDON)
    assert in_night_hours(moment, LONDON, (22, 7)) is inside


@pytest.mark.parametrize(
    ("clock", "inside"), [(time(0, 59), False), (time(1, 0), True), (time(8, 59), True)]
)
def test_night_hours_within_one_day(clock, inside):
    """A night worker's hours after midnight: 01:00 until 08:59."""
    moment = local_moment(date(2026, 1, 14), clock, LONDON)
    assert in_night_hours(moment, LONDON, (1, 9)) is inside


def test_night_hours_are_read_on_the_users_clock_far_from_utc():
    # 09:00 UTC on 14 January is 22:00 in Auckland: the night has begun there, not in London.
    moment = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)
    assert in_night_hours(moment, AUCKLAND, (22, 7))
    assert not in_night_hours(moment, LONDON, (22, 7))
    # 17:59 UTC is 06:59 the next morning in Auckland, still night; 18:00 is 07:00.
    assert in_night_hours(datetime(2026, 1, 14, 17, 59, tzinfo=UTC), AUCKLAND, (22, 7))
    assert not in_night_hours(datetime(2026, 1, 14, 18, 0, tzinfo=UTC), AUCKLAND, (22, 7))


def test_night_hours_in_a_half_hour_zone():
    # 22:00 in Kolkata is 16:30 UTC.
    assert not in_night_hours(datetime(2026, 6, 1, 16, 29, tzinfo=UTC), KOLKATA, (22, 7))
    assert in_night_hours(datetime(2026, 6, 1, 16, 30, tzinfo=UTC), KOLKATA, (22, 7))


def test_night_hours_follow_the_clock_across_a_daylight_saving_change():
    # London springs forward at 01:00 UTC on 29 March 2026: 00:59 GMT, then 02:00 BST.
    # Night hours ending at 02:00 end at that jump, an hour of UTC earlier than the night before.
    assert in_night_hours(datetime(2026, 3, 29, 0, 59, tzinfo=UTC), LONDON, (22, 2))
    assert not in_night_hours(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), LONDON, (22, 2))
    assert in_night_hours(datetime(2026, 3, 28, 1, 59, tzinfo=UTC), LONDON, (22, 2))


def test_night_hours_need_an_aware_moment_and_two_different_hours():
    with pytest.raises(ValueError, match="aware"):
        in_night_hours(datetime(2026, 1, 14, 23, 0), LONDON, (22, 7))
    with pytest.raises(ValueError, match="different hour"):
        in_night_hours(datetime(2026, 1, 14, 23, 0, tzinfo=UTC), LONDON, (22, 22))


@pytest.mark.parametrize(
    ("dim_at_night", "clock", "shown"),
    [
        (False, time(23, 0), Theme.LIGHT),
        (True, time(23, 0), Theme.DIM),
        (True, time(8, 0), Theme.LIGHT),
    ],
)
def test_the_theme_at_a_moment(dim_at_night, clock, shown):
    user = User(theme=Theme.LIGHT, time_zone="Europe/London", dim_at_night=dim_at_night)
    assert user.theme_at(local_moment(date(2026, 1, 14), clock, LONDON)) == shown


# --- On the pages, with the clock stopped ----------------------------------------------------


def test_the_html_element_carries_the_chosen_theme(client, alice):
    client.force_login(alice)
    assert html_theme(client.get(reverse("home"))) == "system"
    for theme in Theme.values:
        alice.theme = theme
        alice.save(update_fields=["theme"])
        assert html_theme(client.get(reverse("month"))) == theme


def test_anonymous_pages_follow_the_device(client):
    assert html_theme(client.get(reverse("login"))) == "system"


def test_pages_turn_dim_in_the_night_hours_and_back_in_the_morning(db, client, freeze_now):
    user = User.objects.create_user(
        "kiri@example.com", "a-long-night-2026", time_zone="Pacific/Auckland"
    )
    user.theme, user.dim_at_night = Theme.DARK, True
    user.save()
    freeze_now(datetime(2026, 1, 14, 8, 59, tzinfo=UTC))  # 21:59 in Auckland
    client.force_login(user)
    assert html_theme(client.get(reverse("home"))) == "dark"
    freeze_now(datetime(2026, 1, 14, 9, 0, tzinfo=UTC))  # 22:00
    assert html_theme(client.get(reverse("home"))) == "dim"
    assert html_theme(client.get(reverse("account"))) == "dim"
    freeze_now(datetime(2026, 1, 14, 17, 30, tzinfo=UTC))  # 06:30 the next morning
    assert html_theme(client.get(reverse("trends"))) == "dim"
    freeze_now(datetime(2026, 1, 14, 18, 0, tzinfo=UTC))  # 07:00
    assert html_theme(client.get(reverse("home"))) == "dark"


def test_no_dimming_unless_asked(client, alice, freeze_now):
    freeze_now(london(date(2026, 1, 14), 23, 30))
    client.force_login(alice)
    assert html_theme(client.get(reverse("home"))) == "system"


# --- The Account page's theme form -----------------------------------------------------------


def theme_form(**changes) -> dict:
    return {"theme": "light", "night_hours_start": "22", "night_hours_end": "7", **changes}


def test_the_account_page_offers_every_theme_and_the_night_hours(client, alice):
    client.force_login(alice)
    page = html_of(client.get(reverse("account")))
    form = page[page.index(f'action="{reverse("account_theme")}"') :].split("</form>")[0]
    for value, label in Theme.choices:
        assert f'value="{value}"' in form and label in form
    assert 'name="dim_at_night"' in form
    assert '<option value="22" selected>22:00</option>' in form
    assert '<option value="7" selected>07:00</option>' in form
    # The theme is no longer part of the other settings, nor a button in the header.
    assert page.count('name="theme"') == len(Theme.choices)
    assert "Switch theme" not in page


def test_saving_the_theme(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account_theme"),
        theme_form(theme="dim", dim_at_night="on", night_hours_start="23", night_hours_end="6"),
        follow=True,
    )
    assert response.redirect_chain == [(reverse("account"), 302)]
    alice.refresh_from_db()
    assert (alice.theme, alice.dim_at_night) == ("dim", True)
    assert (alice.night_hours_start, alice.night_hours_end) == (23, 6)
    assert "Theme saved. Pages are dim from 23:00 until 06:00 (Europe/London time)." in html_of(
        response
    )
    assert html_theme(response) == "dim"


def test_saving_the_theme_leaves_the_other_settings_alone(client, alice):
    alice.night_boundary_hour, alice.fluid_target_ml = 15, 2500
    alice.save()
    client.force_login(alice)
    client.post(reverse("account_theme"), theme_form(theme="dark"))
    alice.refresh_from_db()
    assert (alice.theme, alice.dim_at_night) == ("dark", False)
    assert (alice.night_boundary_hour, alice.fluid_target_ml) == (15, 2500)


def test_an_invalid_theme_is_refused_in_the_apps_words(client, alice):
    client.force_login(alice)
    response = client.post(reverse("account_theme"), theme_form(theme="pink"))
    assert response.status_code == 200
    assert response.context["theme_form"].errors == {"theme": ["Choose one of the themes listed."]}
    assert "Choose one of the themes listed." in html_of(response)
    alice.refresh_from_db()
    assert alice.theme == "system"


def test_night_hours_that_start_and_end_together_are_refused_and_not_shown(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account_theme"),
        theme_form(theme="dark", dim_at_night="on", night_hours_start="22", night_hours_end="22"),
    )
    assert response.status_code == 200
    assert response.context["theme_form"].errors == {
        "night_hours_end": [
            "Choose an hour other than 22:00: the night hours end at a different hour from the "
            "one they start at."
        ]
    }
    page = html_of(response)
    # What was chosen stays chosen in the form, but the page keeps the theme actually saved.
    assert re.search(r'<input type="radio" name="theme" value="dark"[^>]* checked>', page)
    assert html_theme(response) == "system"
    alice.refresh_from_db()
    assert (alice.theme, alice.dim_at_night, alice.night_hours_end) == ("system", False, 7)


def test_an_hour_not_on_the_list_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(reverse("account_theme"), theme_form(night_hours_start="24"))
    assert response.context["theme_form"].errors == {
        "night_hours_start": ["Choose the hour your night starts from the list."]
    }


def test_the_theme_form_only_takes_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("account_theme")).status_code == 405
