"""Finding the reminders due and sending each at most once (journal/reminders/sending.py), with
the clock stopped at hand-picked instants and Django's test mail outbox."""

import email.policy
from datetime import date, time, timedelta

import pytest
from django.core import mail

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


def test_only_reminders_turned_on_are_due(alice, bob, remind, freeze_now):
    freeze_now(EVENING)
    evening = remind(alice, "evening", time(21, 30))
    remind(bob, "evening", time(16, 30), enabled=False)  # 21:30 in London, but off
    assert sending.due_now(EVENING) == [sending.Due(evening.pk, alice.pk, "evening", FRIDAY)]
    assert sending.due_now(EVENING - timedelta(minutes=1)) == []


def test_a_sent_reminder_goes_once_by_email_with_one_click_unsubscribe(alice, remind, settings):
    settings.SITE_URL = "https://cramps.example.org"
    reminder = remind(alice, "evening", time(21, 30))
    assert sending.send(reminder.pk, FRIDAY, EVENING) == "Sent"
    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "A good time to stretch before bed"
    assert "calf and hamstring stretching" in message.body
    assert "some evidence, mixed" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    token = reminder.unsubscribe_token
    assert unsubscribe == f"<https://cramps.example.org/reminders/off/{token}/>"
    assert "https://cramps.example.org/#" not in message.body
    assert "https://cramps.example.org/\n" in message.body  # the link to open the app
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert "Turn off this reminder" in html and str(reminder.unsubscribe_token) in html
    assert "Turn off this reminder (no log-in needed)" in message.body

    # Again for the same date, as a second worker or a replayed task would: nothing more.
    assert sending.send(reminder.pk, FRIDAY, EVENING) == "not sent: already claimed for this date"
    assert len(mail.outbox) == 1
    claim = SentReminder.objects.get()
    assert (claim.kind, claim.local_date, claim.outcome, claim.emailed, claim.pushed) == (
        "evening",
        FRIDAY,
        Outcome.SENT,
        True,
        0,
    )
    assert sending.due_now(EVENING) == []


def test_a_claim_left_by_a_worker_killed_mid_send_is_never_sent_again(alice, remind):
    reminder = remind(alice, "evening", time(21, 30))
    SentReminder.objects.create(user=alice, kind="evening", local_date=FRIDAY, claimed_at=EVENING)
    assert sending.send(reminder.pk, FRIDAY, EVENING + timedelta(minutes=2)).startswith(
        "not sent: already claimed"
    )
    assert mail.outbox == []


def test_a_task_that_runs_after_the_grace_period_sends_nothing_and_claims_nothing(alice, remind):
    reminder = remind(alice, "evening", time(21, 30))
    assert sending.send(reminder.pk, FRIDAY, EVENING + timedelta(hours=4)).startswith(
        "not sent: no longer due"
    )
    assert mail.outbox == []
    assert not SentReminder.objects.exists()


def test_turned_off_or_paused_between_enqueuing_and_sending_sends_nothing(alice, remind):
    reminder = remind(alice, "evening", time(21, 30), enabled=False)
    assert sending.send(reminder.pk, FRIDAY, EVENING) == "not sent: the reminder was turned off"
    reminder.enabled, reminder.paused_until = True, FRIDAY
    reminder.save()
    assert sending.send(reminder.pk, FRIDAY, EVENING).startswith("not sent: no longer due")
    assert mail.outbox == []


def test_the_morning_reminder_links_to_last_night_s_check_in(alice, remind):
    reminder = remind(alice, "morning", time(8, 0))
    assert sending.send(reminder.pk, FRIDAY, MORNING) == "Sent"
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
    assert sending.send(reminder.pk, FRIDAY, MORNING) == Outcome.NOT_NEEDED.label
    assert mail.outbox == []


def test_a_check_in_of_another_night_does_not_stop_the_morning_reminder(alice, remind):
    reminder = remind(alice, "morning", time(8, 0))
    Night.objects.create(user=alice, date=date(2027, 1, 13))
    DayFactors.objects.create(user=alice, date=date(2027, 1, 13))
    Night.objects.create(user=alice, date=date(2027, 1, 14))  # a cramp logged, no check-in
    assert sending.send(reminder.pk, FRIDAY, MORNING) == "Sent"


def test_a_mail_server_that_refuses_leaves_the_reminder_claimed_not_sent_twice(
    alice, remind, settings
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }
    reminder = remind(alice, "evening", time(21, 30))
    assert sending.send(reminder.pk, FRIDAY, EVENING) == Outcome.NO_CHANNEL.label
    claim = SentReminder.objects.get()
    assert not claim.emailed
    assert sending.send(reminder.pk, FRIDAY, EVENING).startswith("not sent: already claimed")


def test_enqueue_due_runs_one_task_per_due_reminder_after_commit(
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
