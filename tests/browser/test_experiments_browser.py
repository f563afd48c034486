"""Experiments in Chromium: started from a Learn tip in two taps on a phone, followed on the
home page and in the check-in, and a finished experiment's result in each theme."""

import random
from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect

from journal.experiments.design import Condition, last_night, schedule
from journal.experiments.models import Experiment, ExperimentAnswer
from journal.models import CrampEpisode, Night, User
from journal.nights import local_moment
from tests.browser.support import DESKTOP, PHONE, axe_violations, screenshot, sideways_overflow
from tests.conftest import london
from tests.experiments.support import experiment_for

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = date(2027, 3, 1)


@pytest.fixture
def sam(transactional_db, freeze_now) -> User:
    freeze_now(london(TODAY, 19, 30))
    return User.objects.create_user("sam@example.com", "sam-password-1", time_zone="Europe/London")


def test_from_a_tip_in_two_taps_then_the_home_page_and_the_check_in(open_page, live_server, sam):
    page = open_page(user=sam)
    page.goto(f"{live_server.url}/learn/prevention/")
    tip = page.locator("#tip-bedtime-stretch")
    tip.get_by_role("link", name="Try it for yourself").click()
    expect(page.get_by_role("heading", name="Try it: stretching before bed")).to_be_visible()
    screenshot(page, "experiment-new-phone-dark")
    assert axe_violations(page, "new") + sideways_overflow(page, "new") == []
    page.get_by_role("button", name="Start the experiment").click()

    expect(page.get_by_role("heading", name="Experiment: stretching before bed")).to_be_visible()
    experiment = Experiment.objects.get(user=sam)
    first = schedule(experiment.design(TODAY))[0]
    kind = "Stretching nights" if first.condition == Condition.CHANGE else "Usual nights"
    expect(page.get_by_text(f"{kind}: 1 of 14")).to_be_visible()
    screenshot(page, "experiment-started-phone-dark")
    assert axe_violations(page, "started") + sideways_overflow(page, "started") == []

    page.get_by_role("link", name="Log").first.click()
    expect(page.get_by_text(f"{kind}: 1 of 14.")).to_be_visible()
    screenshot(page, "experiment-home-phone-dark")

    page.goto(f"{live_server.url}/checkin/{TODAY.isoformat()}/")
    question = page.get_by_role("group", name="Your experiment: stretching before bed")
    question.get_by_label("Yes").check()
    question.scroll_into_view_if_needed()
    screenshot(page, "experiment-checkin-phone-dark")
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_text("Saved the night of")).to_be_visible()
    answer = ExperimentAnswer.objects.get()
    assert (answer.night, answer.did_it) == (TODAY, True)


def finished_experiment(user: User) -> Experiment:
    """Stretching over four blocks from 4 January 2027, a clear effect planted, every night
    answered but the plan not followed on a few."""
    start = date(2027, 1, 4)
    experiment = experiment_for(user, start=start, seed=5)
    draw = random.Random(4)
    for block in schedule(experiment.design(start)):
        for night in block.nights:
            did_it = (block.condition == Condition.CHANGE) != (draw.random() < 0.1)
            row = Night.objects.create(user=user, date=night)
            if draw.random() < (0.1 if did_it else 0.85):
                moment = local_moment(night + timedelta(days=1), time(3, 10), user.tzinfo)
                CrampEpisode.objects.create(night=row, started_at=moment, pain=draw.randint(3, 8))
            ExperimentAnswer.objects.create(experiment=experiment, night=night, did_it=did_it)
    return experiment


@pytest.mark.parametrize(
    ("scheme", "viewport", "name"),
    [
        ("light", DESKTOP, "desktop-light"),
        ("dark", DESKTOP, "desktop-dark"),
        ("light", PHONE, "phone-light"),
        ("dark", PHONE, "phone-dim"),
    ],
)
def test_a_finished_experiment_in_each_theme(
    open_page, live_server, sam, freeze_now, scheme, viewport, name
):
    if name == "phone-dim":
        sam.theme = "dim"
        sam.save()
    experiment = finished_experiment(sam)
    freeze_now(london(last_night(experiment.design(TODAY)) + timedelta(days=2), 9, 0))
    page = open_page(user=sam, color_scheme=scheme, viewport=viewport)
    page.goto(f"{live_server.url}/experiments/{experiment.pk}/")
    expect(page.get_by_role("heading", name="Result")).to_be_visible()
    expect(page.get_by_text("that stretching before bed helps you")).to_be_visible()
    screenshot(page, f"experiment-result-{name}")
    assert axe_violations(page, name) + sideways_overflow(page, name) == []
    page.goto(f"{live_server.url}/experiments/")
    screenshot(page, f"experiments-{name}")
    assert axe_violations(page, name) + sideways_overflow(page, name) == []
