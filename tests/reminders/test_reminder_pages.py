"""Account > Reminders, "not tonight" and pauses, and the unsubscribe link of every email."""

import re
from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from journal.reminders.due import weekday_bits
from journal.reminders.models import Reminder
from tests.conftest import html_of, london
from tests.reminders.support import push_device

pytestmark = pytest.mark.django_db

PAGE = "/account/reminders/"
FRIDAY = date(2027, 1, 15)


@pytest.fixture
def on_friday(client, alice, freeze_now) -> Client:
    """alice signed in at noon on Friday 15 January 2027 (the clock stopped first, so that the
    session is not older than the jump)."""
    freeze_now(london(FRIDAY, 12))
    client.force_login(alice)
    return client


def evening_form(**fields) -> dict:
    return {
        "evening-enabled": "on",
        "evening-at": "21:30",
        "evening-days": ["0", "1", "2", "3", "4"],
        "evening-by_email": "on",
        **fields,
    }


def test_both_reminders_are_off_until_turned_on(alice_client):
    page = html_of(alice_client.get(PAGE))
    assert page.count("Off.") == 2
    assert "Evening reminder" in page and "Morning check-in reminder" in page
    assert 'value="21:30"' in page and 'value="08:00"' in page  # the times proposed
    assert not Reminder.objects.exists()  # looking saves nothing


def test_turning_on_the_evening_reminder_saves_its_time_days_and_channel(on_friday, alice):
    response = on_friday.post("/account/reminders/evening/", evening_form(), follow=True)
    assert "Evening reminder saved: at 21:30 on the days chosen." in html_of(response)
    reminder = Reminder.objects.get(user=alice)
    assert (reminder.kind, reminder.enabled, reminder.at, reminder.by_email) == (
        "evening",
        True,
        time(21, 30),
        True,
    )
    assert reminder.weekdays == weekday_bits({0, 1, 2, 3, 4})
    assert "On. Next: Friday 15 January at 21:30." in html_of(response)


def test_a_reminder_turned_on_with_no_day_or_channel_says_what_is_missing_and_keeps_the_rest(
    alice_client,
):
    response = alice_client.post(
        "/account/reminders/evening/",
        evening_form(**{"evening-days": [], "evening-by_email": "", "evening-at": "22:15"}),
    )
    assert response.status_code == 200  # the page again, with the messages
    page = html_of(response)
    assert "There is a problem" in page
    assert "Choose at least one day, or turn this reminder off." in page
    assert "Choose at least one way for the reminder to reach you." in page
    assert 'value="22:15"' in page  # what was typed is kept
    assert not Reminder.objects.exists()


def test_a_time_that_is_not_one_is_refused_in_plain_words(alice_client):
    response = alice_client.post(
        "/account/reminders/evening/", evening_form(**{"evening-at": "25:99"})
    )
    assert response.status_code == 200  # the page again, with the messages
    assert "Enter a time as hours and minutes, like 22:30." in html_of(response)
    assert 'value="25:99"' in html_of(response)


def test_an_unknown_kind_of_reminder_is_not_found(alice_client):
    assert alice_client.post("/account/reminders/weekly/", evening_form()).status_code == 404


def test_not_tonight_skips_the_next_one_and_resume_brings_it_back(on_friday):
    on_friday.post("/account/reminders/evening/", evening_form())
    assert ">Skip Fri 15 Jan</button>" in html_of(on_friday.get(PAGE))
    response = on_friday.post("/account/reminders/evening/pause/", {"action": "skip"}, follow=True)
    assert "No evening reminder on Fri 15 Jan." in html_of(response)
    assert "Skipping Friday 15 January." in html_of(response)
    assert Reminder.objects.get().skip_date == FRIDAY
    assert "Next: Monday 18 January at 21:30." in html_of(response)

    on_friday.post("/account/reminders/evening/pause/", {"action": "resume"})
    assert Reminder.objects.get().skip_date is None


def test_skip_pressed_twice_still_skips_only_the_next_one(on_friday):
    on_friday.post("/account/reminders/evening/", evening_form())
    for _ in range(2):
        on_friday.post("/account/reminders/evening/pause/", {"action": "skip"})
    assert Reminder.objects.get().skip_date == FRIDAY
    page = html_of(on_friday.get(PAGE))
    assert "Skipping Friday 15 January." in page
    assert ">Skip Fri 15 Jan<" not in page  # already skipped: no button to skip it again


def test_notifications_only_need_a_device_that_gets_them(on_friday, alice, settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "public", "private"
    form = evening_form(**{"evening-by_email": "", "evening-by_push": "on"})
    page = html_of(on_friday.post("/account/reminders/evening/", form))
    assert "No device gets notifications yet: turn them on for this device below" in page
    assert not Reminder.objects.exists()
    push_device(alice, "Phone")
    on_friday.post("/account/reminders/evening/", form)
    assert Reminder.objects.get().by_push


def test_a_pause_lasts_the_days_chosen(on_friday):
    on_friday.post(
        "/account/reminders/evening/", evening_form(**{"evening-days": [str(d) for d in range(7)]})
    )
    response = on_friday.post(
        "/account/reminders/evening/pause/", {"action": "pause", "days": "7"}, follow=True
    )
    assert "The evening reminder is paused for 7 days: back on from Fri 22 Jan." in html_of(
        response
    )
    assert Reminder.objects.get().paused_until == FRIDAY + timedelta(days=6)
    offered = re.findall(r'<option value="(\d+)"', html_of(response))
    assert offered == ["3", "7", "14", "30"]  # the evening one's (the morning one is off)
    assert "Next: Friday 22 January at 21:30." in html_of(response)


def test_pausing_someone_else_s_reminder_is_impossible(alice, bob):
    Reminder.objects.create(user=alice, kind="evening", at=time(21, 30), enabled=True)
    client = Client()
    client.force_login(bob)
    response = client.post("/account/reminders/evening/pause/", {"action": "skip"})
    assert response.status_code == 404  # bob has no evening reminder; alice's is not his
    assert Reminder.objects.get().skip_date is None


def test_the_email_link_asks_first_then_turns_off_that_one_reminder_with_no_log_in(alice):
    evening = Reminder.objects.create(user=alice, kind="evening", at=time(21, 30), enabled=True)
    morning = Reminder.objects.create(user=alice, kind="morning", at=time(8, 0), enabled=True)
    url = reverse("reminder_off", kwargs={"token": evening.unsubscribe_token})
    visitor = Client(enforce_csrf_checks=True)  # a mail program: no session, no CSRF token

    page = visitor.get(url)
    assert page.status_code == 200
    assert "Turn off this reminder?" in html_of(page)
    evening.refresh_from_db()
    assert evening.enabled  # a link checker opening it changes nothing

    done = visitor.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "The evening reminder for alice@example.com is off." in html_of(done)
    evening.refresh_from_db()
    morning.refresh_from_db()
    assert (evening.enabled, morning.enabled) == (False, True)


def test_an_unknown_unsubscribe_token_is_not_found(client):
    url = reverse("reminder_off", kwargs={"token": "00000000-0000-4000-8000-000000000000"})
    assert client.post(url).status_code == 404


def test_notifications_are_offered_only_when_the_server_can_push(alice_client, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    assert 'name="evening-by_push"' not in html_of(alice_client.get(PAGE))
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "public", "private"
    assert 'name="evening-by_push"' in html_of(alice_client.get(PAGE))


def test_account_links_to_the_reminders(alice_client):
    assert f'href="{PAGE}"' in html_of(alice_client.get("/account/"))
