"""Keyboard only: "cramp now" at 3 a.m. and the morning check-in without touching the mouse.

Every move is a key press: Tab (or Shift+Tab) to a control, arrows within a group of choices,
Space for a checkbox, Enter on a button, digits in a field. `tab_to` fails if Tab never reaches
the control, so a control that the keyboard cannot reach fails the test.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from journal.models import CrampEpisode, DayFactors, Night, User
from tests.browser.support import (
    MORNING,
    NIGHT,
    THREE_AM,
    focus_outline,
    is_focused,
    log_in,
    tab_to,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def keyboard_user(page: Page, live_server, freeze_now) -> User:
    # Signed in on the clock the test then moves forward a little, not on the real one (which
    # could be more than a session's length away from it).
    freeze_now(THREE_AM)
    user = User.objects.create_user(
        "keys@example.com", "a-long-night-2026", time_zone="Europe/London"
    )
    log_in(page.context, live_server, user)
    return user


def assert_focus_is_visible(control: Locator) -> None:
    assert is_focused(control)
    assert control.evaluate("element => element.matches(':focus-visible')")
    style, width = focus_outline(control)
    assert style != "none" and width >= 2, f"focus outline {style} {width}px"


def wait_for_htmx(page: Page) -> None:
    """Until htmx has settled the swap: it moves the focus to `autofocus` only then."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def choose(page: Page, group: Locator, choice: str, *, presses: int) -> int:
    """Tab into a group of radio buttons (onto its chosen one) and arrow along to `choice`;
    return how many presses of Tab it took to get there."""
    tabs = tab_to(page, group.get_by_role("radio", checked=True))
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    expect(group.get_by_role("radio", name=choice, exact=True)).to_be_checked()
    return tabs


def uses_am_pm(page: Page) -> bool:
    """Whether this browser's time fields have an AM/PM part (they follow the browser's own
    language, which Playwright's locale does not change): read from the accessibility tree,
    where each field's hours, minutes and AM/PM are spin buttons."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    return any(
        node.get("role", {}).get("value") == "spinbutton"
        and node.get("name", {}).get("value", "").startswith("AM/PM")
        for node in nodes
    )


def type_time(page: Page, field: Locator, clock: str, *, am_pm: bool) -> None:
    """Tab to a time field and type the time as a person would, in the field's own format."""
    hour, minute = (int(part) for part in clock.split(":"))
    tab_to(page, field)
    if am_pm:
        keys = f"{hour % 12 or 12:02d}{minute:02d}{'P' if hour >= 12 else 'A'}"
    else:
        keys = f"{hour:02d}{minute:02d}"
    page.keyboard.type(keys)
    expect(field).to_have_value(clock)


def test_cramp_now_and_its_details_with_the_keyboard(
    page: Page, live_server, freeze_now, keyboard_user
):
    freeze_now(THREE_AM)
    page.goto(live_server.url)
    cramp_now = page.get_by_role("button", name="Cramp now")
    tab_to(page, cramp_now)
    assert_focus_is_visible(cramp_now)
    page.keyboard.press("Enter")
    # The button is gone with the swap: the focus moves to the message that replaced it, so
    # the next Tab lands on what the tap offers (It's over, Stop without a length, Undo), then
    # the first question, rather than back at the top of the page.
    expect(page.get_by_text("Cramp logged at 03:00")).to_be_focused()
    wait_for_htmx(page)
    its_over = page.get_by_role("button", name="It’s over")
    assert tab_to(page, its_over) == 1
    assert_focus_is_visible(its_over)
    assert tab_to(page, page.get_by_role("button", name="Undo")) == 2

    side = page.get_by_role("group", name=re.compile("^Side"))
    assert choose(page, side, "Left", presses=1) == 1
    choose(page, page.get_by_role("group", name=re.compile("^Muscle")), "Calf", presses=1)
    # Not recorded, 0, 1, ... 7
    choose(page, page.get_by_role("group", name=re.compile("^Pain")), "7", presses=8)
    # Not sure, under 1 min, 1–2 min, 2–5 min
    choose(page, page.get_by_role("group", name=re.compile("^How long")), "2–5 min", presses=3)
    stretching = page.get_by_role("checkbox", name="Stretching")
    tab_to(page, stretching)
    page.keyboard.press("Space")
    expect(stretching).to_be_checked()
    save = page.get_by_role("button", name="Save details")
    tab_to(page, save)
    assert_focus_is_visible(save)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Details saved for the cramp at 03:00")).to_be_focused()
    wait_for_htmx(page)
    # ...and from there the next Tab is the button, ready for the next cramp.
    assert tab_to(page, cramp_now) == 1

    episode = CrampEpisode.objects.get()
    assert episode.night.date == NIGHT
    assert (episode.side, episode.muscle, episode.pain, episode.duration_seconds) == (
        "left",
        "calf",
        7,
        210,
    )
    assert episode.relieved_by_stretching


def test_morning_check_in_with_the_keyboard(page: Page, live_server, freeze_now, keyboard_user):
    freeze_now(MORNING)
    page.goto(live_server.url)
    start = page.get_by_role("link", name="Start the check-in")
    tab_to(page, start)
    assert_focus_is_visible(start)
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name=re.compile("Check-in for the night of Wednesday 4 March"))
    ).to_be_visible()

    am_pm = uses_am_pm(page)
    type_time(page, page.get_by_label("Went to bed"), "22:40", am_pm=am_pm)
    type_time(page, page.get_by_label("Tried to sleep"), "23:00", am_pm=am_pm)
    for label, value in [
        ("Minutes to fall asleep", "15"),
        ("Times woken in the night", "1"),
        ("Minutes awake in the night, in total", "20"),
    ]:
        tab_to(page, page.get_by_label(label))
        page.keyboard.type(value)
    type_time(page, page.get_by_label("Woke for good"), "06:50", am_pm=am_pm)
    type_time(page, page.get_by_label("Got up"), "07:10", am_pm=am_pm)
    choose(page, page.get_by_role("group", name=re.compile("^Sleep quality")), "Fair", presses=3)
    expect(page.locator("#sleep-metrics")).to_contain_text("7 h 15 min")

    fluids = page.get_by_label("Fluids (ml)")
    tab_to(page, fluids)
    page.keyboard.type("1800")
    tab_to(page, page.get_by_label("Hours on your feet"))
    page.keyboard.type("9")

    save = page.get_by_role("button", name="Save the check-in")
    tab_to(page, save)
    assert_focus_is_visible(save)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved the night of Wednesday 4 March")).to_be_visible()

    night = Night.objects.get(date=date(2026, 3, 4))
    assert (night.sleep_latency_min, night.awakenings, night.awake_after_onset_min) == (15, 1, 20)
    assert night.quality == 3
    day = DayFactors.objects.get(date=date(2026, 3, 4))
    assert (day.fluids_ml, str(day.hours_on_feet)) == (1800, "9.0")
