"""A refused check-in on a phone, in a real browser: the page opens on the error summary with the
focus on it (by htmx with JavaScript, by the autofocus attribute without), clear of the top of
the screen, and each of its links moves the focus to its field with the label in sight."""

import pytest
from playwright.sync_api import Page, expect

from journal.models import DayFactors, Night
from tests.browser.support import (
    DESKTOP,
    NIGHT,
    PHONE,
    axe_violations,
    log_in,
    screenshot,
    sideways_overflow,
)

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = {"#id_night-awakenings": "40", "#id_day-hours_on_feet": "30", "#id_day-fluids": "9000"}


def fill_in_wrongly(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/checkin/{NIGHT}/")
    for selector, value in TYPED.items():
        page.fill(selector, value)
    page.get_by_role("button", name="Save the check-in").click()


def in_view(page: Page, selector: str) -> bool:
    """Wholly on the screen: neither above its top nor below its bottom (to the pixel)."""
    return page.locator(selector).evaluate(
        "e => { const box = e.getBoundingClientRect();"
        " return box.top >= -1 && box.bottom <= innerHeight + 1; }"
    )


def check_the_summary_and_follow_a_link(page: Page) -> None:
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    assert in_view(page, "[data-error-summary]")
    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [
            "Times woken in the night: Enter a whole number from 0 to 30.",
            "Fluids (ml): Enter a whole number from 0 to 8,000 ml.",
            "Hours on your feet: Enter a number of hours from 0 to 24, like 1.5.",
        ]
    )
    for selector, value in TYPED.items():  # everything typed is kept
        expect(page.locator(selector)).to_have_value(value)
    assert not Night.objects.filter(date=NIGHT).exists()
    assert not DayFactors.objects.filter(date=NIGHT).exists()

    links.nth(1).click()
    fluids = page.locator("#id_day-fluids")
    expect(fluids).to_be_focused()
    assert in_view(page, "#id_day-fluids")
    assert in_view(page, "label[for='id_day-fluids']")  # what the field is, in sight


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_a_refused_check_in_on_a_phone_focuses_the_summary(
    open_page, live_server, demo_user, scheme
):
    page = open_page(viewport=PHONE, color_scheme=scheme, user=demo_user)
    fill_in_wrongly(page, live_server)
    expect(page.locator("[data-error-summary]")).to_be_focused()
    screenshot(page, f"checkin-errors-phone-{scheme}")
    check_the_summary_and_follow_a_link(page)
    # Last: axe-core leaves style attributes behind, which htmx would copy on its next swap.
    assert axe_violations(page, f"check-in with errors ({scheme})") == []
    assert sideways_overflow(page, "check-in with errors") == []


def test_without_javascript_too(browser, browser_context_args, live_server, demo_user):
    context = browser.new_context(
        **{**browser_context_args, "java_script_enabled": False, "viewport": PHONE}
    )
    log_in(context, live_server, demo_user)
    page = context.new_page()
    fill_in_wrongly(page, live_server)
    # The browser moves the focus to an autofocus element when it next renders: wait for it.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    check_the_summary_and_follow_a_link(page)
    context.close()


def test_unusual_values_on_a_desktop_ask_for_the_box_beside_save(open_page, live_server, demo_user):
    page = open_page(viewport=DESKTOP, color_scheme="light", user=demo_user)
    page.goto(f"{live_server.url}/checkin/{NIGHT}/")
    page.fill("#id_day-fluids", "4500")
    page.get_by_role("button", name="Save the check-in").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Check this value before saving")
    screenshot(page, "checkin-unusual-desktop")
    summary.get_by_role("link", name="“Yes, this value is right”").click()
    confirm = page.get_by_label("Yes, this value is right")
    expect(confirm).to_be_focused()
    confirm.check()
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_role("heading", name="Night of Wednesday 4 March 2026")).to_be_visible()
    assert DayFactors.objects.get(user=demo_user, date=NIGHT).fluids_ml == 4500
