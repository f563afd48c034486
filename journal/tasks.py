"""Background work, run by the worker (`manage.py db_worker`; README "Reminders and the
worker"). Thin: each task calls a domain module. Tasks are enqueued with `enqueue_on_commit`,
once the transaction that decided them has committed, so a task never sees data that was then
rolled back."""

from datetime import timedelta

from crontask import cron
from django.core.management import call_command
from django.db import transaction
from django.tasks import Task, TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

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
    """Forget finished tasks, tasks whose worker was killed while running them, and the
    sent-reminder log, after KEEP_DAYS; how many log rows."""
    cutoff = timezone.now() - timedelta(days=KEEP_DAYS)
    call_command("prune_db_task_results", queue_name="*", min_age_days=KEEP_DAYS, verbosity=0)
    DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).delete()
    return sending.forget_sent_before(cutoff)


@task
def send_reminder(entry_id: int) -> str:
    """Send the reminder queued as SentReminder `entry_id`, unless another worker took it."""
    return sending.send(entry_id, timezone.now())
