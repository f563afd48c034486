"""Background work, run by the worker (`manage.py db_worker`; README "Reminders and the
worker"). Thin: each task calls a domain module. Tasks are enqueued with `enqueue_on_commit`,
so a task never sees data that the request or task enqueuing it then rolled back."""

from datetime import date, timedelta

from crontask import cron
from django.core.management import call_command
from django.db import transaction
from django.tasks import Task, task
from django.utils import timezone

from journal.reminders import sending

KEEP_DAYS = 30


def enqueue_on_commit(work: Task, *args) -> None:
    transaction.on_commit(lambda: work.enqueue(*args))


@cron("* * * * *")  # every minute, from the scheduler (`manage.py crontask`)
@task
def send_due_reminders() -> int:
    """Enqueue the reminders due now; how many."""
    return sending.enqueue_due(timezone.now())


@cron("17 3 * * *")  # daily, at a quiet hour (UTC)
@task
def clean_up() -> int:
    """Forget finished tasks and the sent-reminder log after KEEP_DAYS; how many log rows."""
    call_command("prune_db_task_results", queue_name="*", min_age_days=KEEP_DAYS, verbosity=0)
    return sending.forget_sent_before(timezone.now() - timedelta(days=KEEP_DAYS))


@task
def send_reminder(reminder_id: int, local_date: str) -> str:
    return sending.send(reminder_id, date.fromisoformat(local_date), timezone.now())
