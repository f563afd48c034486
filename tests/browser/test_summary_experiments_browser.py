"""The doctor summary's experiments in Chromium: a finished experiment and one under way, on
the summary page in each colour scheme at a phone's width and a desktop's, and in the print
view on a phone (screenshots of the section for a reviewer; axe, no sideways scroll)."""

from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from journal.experiments.changes import ChangeKind
from journal.experiments.design import Condition, schedule
from journal.models import ExperimentAnswer, User
from tests.browser.support import (
    DESKTOP,
    NIGHT,
    PHONE,
    SCREENSHOTS,
    axe_violations,
    sideways_overflow,
)
from tests.experiments.support import experiment_for

pytestmark = pytest.mark.django_db(transaction=True)


def experiments_of(user: User) -> None:
    """Stretching in four blocks of a week, finished in January, one night in three not done as
    planned (so both analyses show); and a warm bath under way since 23 February, followed."""
    finished = experiment_for(
        user, start=date(2025, 12, 15), seed=5, block_nights=7, washout_nights=2
    )
    for block in schedule(finished.design(NIGHT)):
        for number, night in enumerate(block.nights):
            planned = block.condition == Condition.CHANGE
            ExperimentAnswer.objects.create(
                experiment=finished, night=night, did_it=planned != (number % 3 == 2)
            )
    under_way = experiment_for(user, change=ChangeKind.WARM_BATH, start=date(2026, 2, 23), seed=2)
    for block in schedule(under_way.design(NIGHT)):
        for night in block.nights:
            if night <= NIGHT:
                ExperimentAnswer.objects.create(
                    experiment=under_way, night=night, did_it=block.condition == Condition.CHANGE
                )


def shot(page: Page, section: Locator, name: str) -> None:
    """The section alone, cut from a full-page screenshot: the app's bottom bar, fixed to the
    viewport, stays at the page's foot instead of over the section."""
    box = section.bounding_box()
    assert box is not None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=SCREENSHOTS / f"{name}.png", full_page=True, clip=box, animations="disabled"
    )


@pytest.mark.parametrize(
    ("viewport", "width"), [(PHONE, "phone"), (DESKTOP, "desktop")], ids=["phone", "desktop"]
)
def test_the_experiments_section_in_each_scheme(open_page, live_server, demo_user, viewport, width):
    experiments_of(demo_user)
    for scheme in ("dark", "light"):
        page = open_page(viewport=viewport, color_scheme=scheme, user=demo_user)
        page.goto(f"{live_server.url}/summary/")
        section = page.locator("section.summary-experiments")
        expect(section.get_by_role("heading", name="Stretching before bed")).to_be_visible()
        expect(section).to_contain_text("Intention to treat (by block):")
        expect(section).to_contain_text("Too early to tell")
        shot(page, section, f"summary-experiments-{width}-{scheme}")
        where = f"summary experiments, {width}, {scheme}"
        assert axe_violations(page, where) + sideways_overflow(page, where) == []
    printed = open_page(viewport=viewport, color_scheme="light", user=demo_user)
    printed.goto(f"{live_server.url}/summary/print/")
    section = printed.locator("section.summary-experiments")
    shot(printed, section, f"summary-experiments-print-{width}")
    assert sideways_overflow(printed, f"print view, {width}") == []
