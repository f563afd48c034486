"""The real worker (`manage.py db_worker`, django-tasks-db) as a process of its own against the
test database, on SQLite and on PostgreSQL: a task enqueued here is run there, and the mail it
sends is a file here. The worker keeps the real clock (time-machine moves only this process's),
so the reminders are set for the minute the real clock shows."""

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from time_machine import escape_hatch

from journal.reminders import sending
from journal.reminders.models import Outcome, SentReminder
from journal.tasks import send_due_reminders, send_reminder

pytestmark = pytest.mark.django_db(transaction=True)

WORKER_TIMEOUT = 120  # seconds: a worker that has not finished by then has hung
NO_DAYLIGHT_SAVING = "Asia/Kolkata"  # UTC+05:30 all year


def real_now() -> datetime:
    """The worker's clock: the real one, also when time-machine has moved this process's."""
    if escape_hatch.is_travelling():
        return escape_hatch.datetime.datetime.now(tz=UTC)
    return datetime.now(tz=UTC)


def database_url() -> str:
    """The test database, for a process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(mail_dir: Path, **mail_server: str) -> subprocess.Popen:
    """A worker that runs every task waiting, then exits (--batch). Its mail goes to files in
    `mail_dir`, or to the server given as MAIL_HOST and MAIL_PORT."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MAIL_FILE_PATH": str(mail_dir),
        "SITE_URL": "https://cramps.example.org",
        "DEBUG": "1",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    env.pop("TEST_CLOCK", None)
    env.update(mail_server)
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    return subprocess.Popen(
        [*command, "--no-reload", "--queue-name", "*"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def finish(worker: subprocess.Popen) -> str:
    output, _ = worker.communicate(timeout=WORKER_TIMEOUT)
    assert worker.returncode == 0, output.decode()
    return output.decode()


def mails(mail_dir: Path) -> list:
    return [message_from_bytes(path.read_bytes()) for path in sorted(mail_dir.glob("*.log"))]


def due_this_minute(user, remind, kind: str = "evening"):
    """A reminder of `user` due at the real clock's current minute. The user is moved to a zone
    without daylight saving, so that the real clock is never in the hour an autumn night repeats
    (a reminder then is due the first time that hour comes: an hour ago)."""
    user.time_zone = NO_DAYLIGHT_SAVING
    user.save()
    local = real_now().astimezone(user.tzinfo)
    return remind(user, kind, time(local.hour, local.minute))


def queue_due_reminders() -> list[int]:
    """What the scheduler's task does, here: the reminders due queued, with a task each."""
    assert sending.enqueue_due(real_now()) >= 1
    return list(SentReminder.objects.values_list("pk", flat=True))


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


def test_the_worker_runs_the_periodic_task_and_sends_the_reminder_it_finds(
    alice, bob, remind, mail_dir
):
    due_this_minute(alice, remind)
    due_this_minute(bob, remind, "morning").user.reminders.update(enabled=False)  # bob: off
    result = send_due_reminders.enqueue()
    output = finish(start_worker(mail_dir))

    result.refresh()
    assert result.status == "SUCCESSFUL", output
    assert result.return_value == 1
    [mail] = mails(mail_dir)
    assert mail["To"] == "alice@example.com"
    assert mail["Subject"] == "A good time to stretch before bed"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["List-Unsubscribe"].startswith("<https://cramps.example.org/reminders/off/")
    assert mail.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in mail.get_payload()] == [
        "text/plain",
        "text/html",
    ]
    sent = SentReminder.objects.get()
    assert (sent.user, sent.outcome, sent.emailed) == (alice, Outcome.SENT, True)
    assert real_now() - sent.queued_at < timedelta(minutes=30)  # within the grace period


def test_two_workers_started_at_once_send_each_due_reminder_exactly_once(
    alice, bob, remind, mail_dir
):
    """Processes racing over the same tasks; tests/reminders/test_sending.py holds two senders
    at a barrier to make them take the same reminder at the same moment."""
    due_this_minute(alice, remind)
    due_this_minute(bob, remind)
    for entry in queue_due_reminders():  # each task twice more: a replay, a second scheduler
        send_reminder.enqueue(entry)
        send_reminder.enqueue(entry)
    workers = [start_worker(mail_dir), start_worker(mail_dir)]
    for worker in workers:
        finish(worker)

    assert sorted(mail["To"] for mail in mails(mail_dir)) == [
        "alice@example.com",
        "bob@example.com",
    ]
    assert SentReminder.objects.filter(outcome=Outcome.SENT).count() == 2


@pytest.fixture
def silent_mail_server() -> Iterator[int]:
    """A mail server that takes the connection and never answers: a worker sending to it hangs
    in the middle of sending, where it can be killed. Yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    for client in accepted:
        client.close()
    listener.close()


def test_a_worker_killed_while_sending_leaves_the_reminder_taken_for_the_next_worker(
    alice, remind, mail_dir, silent_mail_server
):
    due_this_minute(alice, remind)
    [entry] = queue_due_reminders()
    hung = start_worker(mail_dir, MAIL_HOST="127.0.0.1", MAIL_PORT=str(silent_mail_server))
    try:
        for _ in range(WORKER_TIMEOUT * 10):  # until it has taken the reminder and is sending
            if SentReminder.objects.get().outcome != Outcome.QUEUED:
                break
            assert hung.poll() is None, hung.communicate()[0].decode()
            threading.Event().wait(0.1)
        assert SentReminder.objects.get().outcome == Outcome.SENDING
    finally:
        hung.kill()  # SIGKILL: no clean-up of any kind
        hung.wait()

    # The task is run again (a replay, or a second scheduler's): the reminder stays taken.
    retried = send_reminder.enqueue(entry)
    finish(start_worker(mail_dir))
    retried.refresh()
    assert retried.return_value == "not sent: already taken by another worker"
    assert mails(mail_dir) == []
    assert SentReminder.objects.get().outcome == Outcome.SENDING
