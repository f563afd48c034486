from datetime import time

import pytest

from journal.reminders.due import EVERY_DAY
from journal.reminders.models import Reminder, ReminderKind


@pytest.fixture
def remind():
    """Turn on a reminder for a user: remind(user, "evening", time(21, 30), by_email=True...)."""

    def make(user, kind: str, at: time, **fields) -> Reminder:
        fields = {"enabled": True, "weekdays": EVERY_DAY, "by_email": True, **fields}
        return Reminder.objects.create(user=user, kind=ReminderKind(kind), at=at, **fields)

    return make
