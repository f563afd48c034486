"""Finding the reminders due, queuing each once and sending each once
(journal/reminders/sending.py), with the clock stopped at hand-picked instants and Django's test
mail outbox."""

import email.policy
import threading
from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.db import connection

from journal.models import DayFactors, Night
from journal.reminders import sending
from journal.reminders.mail import reminder_email
from journal.reminders.messages import message_for
from journal.reminders.models import Outcome, Reminder, SentReminder
from tests.conftest import london

pytestmark = pytest.mark.django_db

FRIDAY = date(2027, 1, 15)
EVENING = london(FRIDAY, 21, 30)
MORNING = london(FRIDAY, 8, 0)


def queued(reminder: Reminder, day: date = FRIDAY) -> int:
    """The reminder of `day` queued, as enqueue_due queues it; its entry's id."""
    entry = SentReminder.objects.create(
        user=reminder.user, kind=reminder.kind, local_date=day, queued_at=EVENING
    )
    return entry.pk


def test_only_reminders_turned_on_are_due(alice, bob, remind):
    remind(alice, "evening", time(21, 30))
    remind(bob, "evening", time(16, 30), enabled=False)  # 21:30 in London, but off
    assert sending.due_now(EVENING) == [sending.Due(alice.pk, "evening", FRIDAY)]
    assert sending.due_now(EVENING - timedelta(minutes=1)) == []


def test_a_user_who_changes_time_zone_is_reminded_on_the_new_clock(alice, remind):
    remind(alice, "evening", time(21, 30))
    alice.time_zone = "America/New_York"
    alice.save()
    assert sending.due_now(EVENING) == []
    new_york_evening = EVENING + timedelta(hours=5)  # 21:30 EST
    assert sending.due_now(new_york_evening) == [sending.Due(alice.pk, "evening", FRIDAY)]


def test_a_reminder_is_queued_once_however_many_minutes_the_workers_are_behind(
    alice, remind, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    remind(alice, "evening", time(21, 30))
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        assert sending.enqueue_due(EVENING) == 1
        for minute in range(1, 30):  # nothing has run it yet
            assert sending.enqueue_due(EVENING + timedelta(minutes=minute)) == 0
    assert len(enqueued) == 1
    [entry] = SentReminder.objects.all()
    assert (entry.local_date, entry.outcome, entry.queued_at) == (FRIDAY, Outcome.QUEUED, EVENING)


def test_queued_reminders_are_sent_after_the_commit_one_task_each(
    alice, bob, remind, settings, freeze_now, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    freeze_now(EVENING)
    remind(alice, "evening", time(21, 30))
    remind(bob, "evening", time(16, 30))  # 21:30 in London is 16:30 in New York
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sending.enqueue_due(EVENING) == 2
    assert mail.outbox == []  # nothing runs before the commit
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "alice@example.com",
        "bob@example.com",
    ]
    assert set(SentReminder.objects.values_list("outcome", flat=True)) == {Outcome.SENT}


def test_a_reminder_goes_once_by_email_with_one_click_unsubscribe(alice, remind, settings):
    settings.SITE_URL = "https://cramps.example.org"
    reminder = remind(alice, "evening", time(21, 30))
    entry = queued(reminder)
    assert sending.send(entry, EVENING) == "Sent"
    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "A good time to stretch before bed"
    assert "Stretch your calves and hamstrings before bed" in message.body
    assert "“Some evidence, mixed; low risk”" in message.body  # Learn's own label
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    token = reminder.unsubscribe_token
    assert unsubscribe == f"<https://cramps.example.org/reminders/off/{token}/>"
    assert "https://cramps.example.org/\n" in message.body  # the link to open the app
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert "Turn off this reminder" in html and str(token) in html
    assert "Turn off this reminder (no log-in needed)" in message.body

    # The same task again, as a replay or a second worker would run it: nothing more.
    assert sending.send(entry, EVENING) == "not sent: already taken by another worker"
    assert len(mail.outbox) == 1
    sent = SentReminder.objects.get()
    assert (sent.outcome, sent.emailed, sent.pushed) == (Outcome.SENT, True, 0)


@pytest.mark.django_db(transaction=True)
def test_two_workers_taking_the_same_reminder_at_the_same_moment_send_it_once(alice, remind):
    """Two threads, each with its own database connection, released together."""
    entry = queued(remind(alice, "evening", time(21, 30)))
    start = threading.Barrier(2)
    results: list[str] = []

    def worker():
        start.wait()
        try:
            results.append(sending.send(entry, EVENING))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["Sent", "not sent: already taken by another worker"]
    assert len(mail.outbox) == 1


def test_a_reminder_left_sending_by_a_killed_worker_is_never_sent_again(alice, remind):
    entry = queued(remind(alice, "evening", time(21, 30)))
    SentReminder.objects.filter(pk=entry).update(outcome=Outcome.SENDING)
    assert sending.send(entry, EVENING + timedelta(minutes=2)).startswith("not sent: already")
    assert mail.outbox == []


def test_a_task_that_runs_after_the_grace_period_sends_nothing(alice, remind):
    entry = queued(remind(alice, "evening", time(21, 30)))
    assert sending.send(entry, EVENING + timedelta(hours=4)) == Outcome.TOO_LATE.label
    assert mail.outbox == []
    assert SentReminder.objects.get().outcome == Outcome.TOO_LATE


def test_turned_off_or_paused_between_queuing_and_sending_sends_nothing(alice, remind):
    reminder = remind(alice, "evening", time(21, 30), enabled=False)
    assert sending.send(queued(reminder), EVENING) == Outcome.TURNED_OFF.label
    reminder.enabled, reminder.paused_until = True, FRIDAY
    reminder.save()
    assert sending.send(queued(reminder, FRIDAY + timedelta(days=1)), EVENING) == (
        Outcome.TOO_LATE.label
    )
    assert mail.outbox == []


def test_the_morning_reminder_links_to_last_night_s_check_in(alice, remind):
    reminder = remind(alice, "morning", time(8, 0))
    assert sending.send(queued(reminder), MORNING) == "Sent"
    [message] = mail.outbox
    assert message.subject == "Morning check-in: how was the night?"
    assert "the night of Thu 14 Jan" in message.body
    assert "/checkin/2027-01-14/" in message.body


@pytest.mark.parametrize("how", ["sleep diary", "day record"])
def test_the_morning_reminder_is_not_sent_when_the_check_in_is_done(alice, remind, how):
    reminder = remind(alice, "morning", time(8, 0))
    if how == "sleep diary":
        Night.objects.create(
            user=alice,
            date=date(2027, 1, 14),
            into_bed=london(date(2027, 1, 14), 22, 40),
            tried_to_sleep=london(date(2027, 1, 14), 22, 50),
            final_awakening=london(FRIDAY, 6, 30),
            out_of_bed=london(FRIDAY, 6, 45),
        )
    else:  # a check-in with no sleep times: it saves the night and the day's record
        Night.objects.create(user=alice, date=date(2027, 1, 14))
        DayFactors.objects.create(user=alice, date=date(2027, 1, 14))
    assert sending.send(queued(reminder), MORNING) == Outcome.NOT_NEEDED.label
    assert mail.outbox == []


def test_a_check_in_of_another_night_does_not_stop_the_morning_reminder(alice, remind):
    reminder = remind(alice, "morning", time(8, 0))
    Night.objects.create(user=alice, date=date(2027, 1, 13))
    DayFactors.objects.create(user=alice, date=date(2027, 1, 13))
    Night.objects.create(user=alice, date=date(2027, 1, 14))  # a cramp logged, no check-in
    assert sending.send(queued(reminder), MORNING) == "Sent"


def test_a_mail_server_that_refuses_is_recorded_as_a_failure_and_not_retried(
    alice, remind, settings
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }
    entry = queued(remind(alice, "evening", time(21, 30)))
    assert sending.send(entry, EVENING) == Outcome.FAILED.label
    assert not SentReminder.objects.get().emailed
    assert sending.send(entry, EVENING).startswith("not sent: already")


def test_notifications_chosen_but_no_device_left_is_no_way_to_reach_the_user(alice, remind):
    entry = queued(remind(alice, "evening", time(21, 30), by_email=False, by_push=True))
    assert sending.send(entry, EVENING) == Outcome.NO_CHANNEL.label


def test_the_unsubscribe_header_stays_one_plain_line_however_long_the_address(alice, settings):
    """Python's mail policies fold long headers, and one with no space in it (a long address)
    would come out as encoded words that mail programs do not read as a link."""
    settings.SITE_URL = "https://cramp-journal.a-rather-long-hospital-domain.example.org"
    reminder = Reminder.objects.create(user=alice, kind="evening", at=time(21, 30))
    message = reminder_email(reminder, message_for(reminder, FRIDAY))
    for policy in (email.policy.SMTP, email.policy.default):
        sent = message.message(policy=policy).as_bytes()
        address = f"{settings.SITE_URL}/reminders/off/{reminder.unsubscribe_token}/"
        assert f"List-Unsubscribe: <{address}>".encode() in sent
