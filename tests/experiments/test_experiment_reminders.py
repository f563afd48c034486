"""Reminders during an experiment: the evening one says what tonight's block asks (never the
stretching tip on a night without it), the morning one mentions the experiment's question."""

from datetime import date, time, timedelta

import pytest

from journal.experiments.design import Condition, schedule
from journal.experiments.models import Experiment, ExperimentPause
from journal.reminders.messages import message_for
from journal.reminders.models import Reminder
from tests.conftest import london
from tests.experiments.support import experiment_for

pytestmark = pytest.mark.django_db

START = date(2027, 3, 1)


@pytest.fixture
def stretching(alice, freeze_now) -> Experiment:
    freeze_now(london(START, 9, 0))
    return experiment_for(alice, start=START)


def evening(alice) -> Reminder:
    return Reminder.objects.create(user=alice, kind="evening", at=time(21, 30), enabled=True)


def test_on_a_night_with_the_change_the_evening_reminder_asks_for_it(alice, stretching):
    block = schedule(stretching.design(START))[0]
    assert block.condition == Condition.CHANGE  # seed 1
    message = message_for(evening(alice), START + timedelta(days=4))
    assert message.subject == "Tonight: stretching nights, 5 of 14"
    assert message.text.startswith("Stretch your calves and hamstrings for a few minutes")
    assert "Your experiment: stretching before bed." in message.text


def test_on_a_usual_night_it_never_says_to_stretch(alice, stretching):
    message = message_for(evening(alice), START + timedelta(days=15))  # block 2: usual
    assert message.subject == "Tonight: usual nights, 2 of 14"
    assert message.text.startswith("Go to bed without stretching.")
    assert "Stretch your calves" not in message.text


def test_paused_or_after_the_end_the_usual_reminder_comes_back(alice, stretching):
    ExperimentPause.objects.create(experiment=stretching, first=START)  # from tonight
    assert message_for(evening(alice), START).subject == ("A good time to stretch before bed")
    stretching.pauses.all().delete()
    after = message_for(Reminder.objects.get(user=alice), START + timedelta(days=56))
    assert after.subject == "A good time to stretch before bed"


def test_the_morning_reminder_mentions_the_experiment(alice, stretching):
    morning = Reminder.objects.create(user=alice, kind="morning", at=time(8, 0), enabled=True)
    during = message_for(morning, START + timedelta(days=3))
    assert during.text.endswith("the day before, and your experiment.")
    before = message_for(morning, START)  # about the night before the start
    assert before.text.endswith("cramps, and the day before.")
