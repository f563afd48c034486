"""The periodic tasks (journal/tasks.py): what the scheduler runs, and when; the daily clean-up."""

from datetime import date, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from crontask import scheduler
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from journal import tasks
from journal.reminders.models import SentReminder


def schedule_of(task) -> dict[str, str]:
    """The cron fields the scheduler (django-crontask) enqueues `task` at."""
    [trigger] = [job.trigger for job in scheduler.get_jobs() if job.func == task.enqueue]
    assert isinstance(trigger, CronTrigger)
    return {field.name: str(field) for field in trigger.fields}


def test_the_scheduler_enqueues_the_reminders_due_every_minute_and_cleans_up_daily():
    due = schedule_of(tasks.send_due_reminders)
    assert (due["minute"], due["hour"], due["day_of_week"]) == ("*", "*", "*")
    clean = schedule_of(tasks.clean_up)
    assert (clean["minute"], clean["hour"], clean["day"]) == ("17", "3", "*")


@pytest.mark.django_db
def test_the_clean_up_forgets_the_sent_log_and_finished_tasks_after_30_days(alice):
    now = timezone.now()
    old = SentReminder.objects.create(
        user=alice, kind="evening", local_date=date(2020, 1, 1), queued_at=now - timedelta(days=31)
    )
    recent = SentReminder.objects.create(
        user=alice, kind="morning", local_date=date(2020, 1, 2), queued_at=now - timedelta(days=29)
    )
    finished = DBTaskResult.objects.create(
        task_path="journal.tasks.send_due_reminders",
        status="SUCCESSFUL",
        args_kwargs={"args": [], "kwargs": {}},
        finished_at=now - timedelta(days=31),
        backend_name="default",
    )
    assert tasks.clean_up.call() == 1
    assert list(SentReminder.objects.all()) == [recent]
    assert not SentReminder.objects.filter(pk=old.pk).exists()
    assert not DBTaskResult.objects.filter(pk=finished.pk).exists()
