"""Account > Reminders in Chromium: set up with the keyboard-friendly form on a phone, the
error summary when something is missing, and the page in each theme on phone and desktop."""

import re

import pytest
from playwright.sync_api import expect

from journal.models import User
from journal.reminders.due import weekday_bits
from journal.reminders.models import Reminder
from tests.browser.support import DESKTOP, PHONE, axe_violations, screenshot, sideways_overflow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pat(transactional_db) -> User:
    return User.objects.create_user("pat@example.com", "pat-password-1", time_zone="Europe/London")


def test_the_evening_reminder_set_up_on_a_phone(open_page, live_server, pat):
    page = open_page(user=pat)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("heading", name="Reminders").scroll_into_view_if_needed()
    screenshot(page, "account-reminders-phone-dark")
    page.get_by_role("link", name="Set up reminders").click()
    evening = page.locator("#reminder-evening")
    expect(evening.get_by_text("Off.")).to_be_visible()

    evening.get_by_label("Send this reminder").check()
    evening.get_by_label("Time").fill("21:45")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):  # all are proposed
        evening.get_by_label(day).uncheck()
    evening.get_by_role("button", name="Save the evening reminder").click()

    expect(page.get_by_text("Evening reminder saved: at 21:45 on the days chosen.")).to_be_visible()
    expect(page.locator("#reminder-evening").get_by_text("On. Next:")).to_contain_text("at 21:45")
    reminder = Reminder.objects.get(user=pat)
    assert (reminder.enabled, reminder.at.strftime("%H:%M"), reminder.by_email) == (
        True,
        "21:45",
        True,
    )
    assert reminder.weekdays == weekday_bits({5, 6})
    screenshot(page, "reminders-phone-dark")
    assert axe_violations(page, "reminders") + sideways_overflow(page, "reminders") == []


def test_a_reminder_turned_on_with_nothing_to_send_it_by_opens_on_the_error_summary(
    open_page, live_server, pat
):
    page = open_page(user=pat)
    page.goto(f"{live_server.url}/account/reminders/")
    morning = page.locator("#reminder-morning")
    morning.get_by_label("Send this reminder").check()
    morning.get_by_label("By email").uncheck()
    morning.get_by_label("Time").fill("07:10")
    morning.get_by_role("button", name="Save the morning check-in reminder").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose at least one way for the reminder to reach you.")
    expect(summary).to_be_focused()
    expect(page.locator("#reminder-morning").get_by_label("Time")).to_have_value("07:10")
    screenshot(page, "reminders-refused-phone-dark")
    assert axe_violations(page, "reminders refused") == []
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("scheme", "viewport", "name"),
    [
        ("light", DESKTOP, "desktop-light"),
        ("dark", DESKTOP, "desktop-dark"),
        ("light", PHONE, "phone-light"),
        ("dark", PHONE, "phone-dim"),
    ],
)
def test_the_reminders_page_in_each_theme(open_page, live_server, pat, scheme, viewport, name):
    if name == "phone-dim":
        pat.theme = "dim"
        pat.save()
    Reminder.objects.create(user=pat, kind="evening", at="21:30", enabled=True, weekdays=127)
    page = open_page(user=pat, color_scheme=scheme, viewport=viewport)
    page.goto(f"{live_server.url}/account/reminders/")
    expect(
        page.locator("#reminder-evening").get_by_role(
            "button", name=re.compile(r"^Skip \w{3} \d+ \w{3}$")
        )
    ).to_be_visible()
    screenshot(page, f"reminders-{name}")
    assert axe_violations(page, name) + sideways_overflow(page, name) == []


def test_the_link_in_a_reminder_email_turns_it_off_in_a_browser_with_no_log_in(
    open_page, live_server, pat
):
    reminder = Reminder.objects.create(user=pat, kind="evening", at="21:30", enabled=True)
    page = open_page()  # not logged in: opened from the email on any device
    page.goto(f"{live_server.url}/reminders/off/{reminder.unsubscribe_token}/")
    expect(page.get_by_role("heading", name="Turn off this reminder?")).to_be_visible()
    page.get_by_role("button", name="Turn off the evening reminder").click()
    expect(page.get_by_role("status")).to_have_text(
        "The evening reminder for pat@example.com is off. No other reminder or setting has changed."
    )
    screenshot(page, "reminder-off-phone-dark")
    assert axe_violations(page, "reminder off") + sideways_overflow(page, "reminder off") == []
    reminder.refresh_from_db()
    assert not reminder.enabled
