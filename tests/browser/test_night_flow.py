"""At 3 a.m. on a phone in the dark theme: "Cramp now", then Undo a mistaken tap, or time the
cramp with "It's over"; a timer left running is still there after a reload and in a new tab.
With htmx (the panel swaps in place) and without JavaScript (plain forms and redirects)."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from journal.models import CrampEpisode, User
from tests.browser.support import (
    DESKTOP,
    PHONE,
    axe_violations,
    log_in,
    screenshot,
    sideways_overflow,
)
from tests.conftest import london

pytestmark = pytest.mark.django_db(transaction=True)

TAP = london(date(2026, 3, 5), 3, 10)  # in the night of Wednesday 4 March
RUNNING = "A cramp timer has been running since 03:10 (night of Wed 4 Mar)."


@pytest.fixture
def sam(freeze_now) -> User:
    """A user signed up the evening before, so the session is fresh at 3 a.m."""
    freeze_now(TAP - timedelta(hours=5))
    user = User.objects.create_user(
        "sam@example.com", "a-long-night-2026", time_zone="Europe/London"
    )
    freeze_now(TAP)
    return user


def cramp_now(page: Page, live_server) -> None:
    page.goto(live_server.url)
    page.get_by_role("button", name="Cramp now").click()
    expect(page.get_by_text("Cramp logged at 03:10, night of Wed 4 Mar.")).to_be_visible()


def looks_right(page: Page, where: str) -> None:
    problems = axe_violations(page, where) + sideways_overflow(page, where)
    assert problems == []


def test_tap_then_undo_removes_the_cramp_in_place(open_page, live_server, sam):
    page = open_page(user=sam)
    cramp_now(page, live_server)
    assert page.url == f"{live_server.url}/"  # htmx swapped the panel: no page load
    expect(page.get_by_text("Undo removes this cramp, until 03:20 (10 minutes).")).to_be_visible()
    looks_right(page, "confirmation")
    screenshot(page, "night-confirmation-phone-dark")
    assert CrampEpisode.objects.count() == 1

    page.get_by_role("button", name="Undo").click()
    expect(
        page.get_by_text(
            "Undone: the cramp at 03:10 is no longer logged for the night of Wed 4 Mar."
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name="Cramp now")).to_be_visible()
    screenshot(page, "night-undone-phone-dark")
    assert not CrampEpisode.objects.exists()


def test_a_double_tap_logs_one_cramp_and_keeps_its_timer(open_page, live_server, sam):
    page = open_page(user=sam)
    page.goto(live_server.url)
    page.get_by_role("button", name="Cramp now").dblclick()
    expect(page.get_by_text("Cramp logged at 03:10, night of Wed 4 Mar.")).to_be_visible()
    page.get_by_role("button", name="It’s over").click()  # a third tap, at once
    expect(page.get_by_text("taken as a double tap: the timer is still running")).to_be_visible()
    episode = CrampEpisode.objects.get()
    assert (episode.timer_started_at, episode.duration_seconds) == (TAP, None)


def test_tap_then_its_over_shows_the_length(open_page, live_server, sam, freeze_now):
    page = open_page(user=sam)
    cramp_now(page, live_server)
    expect(page.get_by_text("Timing it from 03:10")).to_be_visible()
    freeze_now(TAP + timedelta(minutes=2, seconds=14))
    page.get_by_role("button", name="It’s over").click()
    expect(page.get_by_text("It lasted 2 min 14 s, timed from 03:10.")).to_be_visible()
    expect(page.get_by_label("Or exactly (minutes:seconds)")).to_have_value("2:14")
    expect(page.get_by_role("button", name="It’s over")).to_have_count(0)
    assert CrampEpisode.objects.get().duration_seconds == 134
    screenshot(page, "night-its-over-phone-dark")
    # Undo is still offered: timing it is not a detail saved.
    expect(page.get_by_role("button", name="Undo")).to_be_visible()


def test_a_running_timer_survives_a_reload_and_a_closed_tab(
    open_page, live_server, sam, freeze_now
):
    page = open_page(user=sam)
    cramp_now(page, live_server)
    freeze_now(TAP + timedelta(minutes=4))
    page.reload()
    expect(page.get_by_text(RUNNING)).to_be_visible()
    # app.js counts on from the server's 240 seconds, once a second.
    expect(page.locator(".timer-elapsed")).to_have_text(re.compile(r"^4 min( \d+ s)? so far$"))
    looks_right(page, "running timer")
    screenshot(page, "night-running-timer-phone-dark")
    page.context.close()  # the tab, and its browser session, are gone

    page = open_page(user=sam)
    page.goto(live_server.url)
    expect(page.get_by_text(RUNNING)).to_be_visible()
    freeze_now(TAP + timedelta(minutes=5))
    page.get_by_role("button", name="It’s over").click()
    expect(page.get_by_text("It lasted 5 min, timed from 03:10.")).to_be_visible()
    assert CrampEpisode.objects.get().duration_seconds == 300


def test_desktop_light_confirmation_and_running_timer(open_page, live_server, sam, freeze_now):
    page = open_page(user=sam, viewport=DESKTOP, color_scheme="light")
    cramp_now(page, live_server)
    looks_right(page, "confirmation, desktop light")
    screenshot(page, "night-confirmation-desktop-light")
    freeze_now(TAP + timedelta(minutes=1))
    page.reload()
    expect(page.get_by_text("A cramp timer has been running since 03:10")).to_be_visible()
    looks_right(page, "running timer, desktop light")
    screenshot(page, "night-running-timer-desktop-light")


def test_without_javascript_undo_and_its_over_work_by_plain_forms(
    browser: Browser, browser_context_args, live_server, sam, freeze_now
):
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "java_script_enabled": False}
    )
    log_in(context, live_server, sam)
    page = context.new_page()
    try:
        page.goto(live_server.url)
        page.get_by_role("button", name="Cramp now").click()
        # The cramp's own page, with Undo and the timer on it.
        expect(page.get_by_role("heading", name="Cramp at 03:10")).to_be_visible()
        screenshot(page, "night-no-javascript-phone-dark")
        freeze_now(TAP + timedelta(seconds=45))
        page.get_by_role("button", name="It’s over").click()
        expect(page.get_by_text("It lasted 45 s, timed from 03:10.")).to_be_visible()
        expect(page.get_by_label("Or exactly (minutes:seconds)")).to_have_value("0:45")
        page.get_by_role("button", name="Undo").click()
        expect(page.get_by_text("Undone: the cramp at 03:10")).to_be_visible()
        assert page.url == f"{live_server.url}/"
        assert not CrampEpisode.objects.exists()
    finally:
        context.close()
