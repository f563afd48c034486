"""axe-core on every page the journeys visit, in every theme, at a phone and a desktop size.

Each parameter opens one browser context, looks at the public pages anonymously, logs in once and
walks the journal's pages, collecting every serious or critical violation before failing, so one
run lists everything to fix. At the phone size each page must also fit the width without
scrolling sideways (WCAG 1.4.10, reflow, which axe-core does not test), and the two phone runs save
screenshots of the main pages in test-artifacts/screenshots/ for a reviewer.

Light and dark each come about two ways: from the device (the context's colour scheme with the
account's theme left on "follow the device") and from the account's Theme setting overriding the
device. Each way is checked at one size; the colour variables are the same either way. Dim can
only be chosen in Account, and is checked at both sizes.
"""

import pytest
from playwright.sync_api import Page, expect

from journal.models import Theme
from tests.browser.support import (
    BACKGROUND,
    DESKTOP,
    NIGHT,
    PHONE,
    axe_violations,
    log_in,
    screenshot,
    sideways_overflow,
)

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    ("signup", "/signup/"),
    ("login", "/login/"),
    ("learn-public", "/learn/"),
]
# name, address, and whether a phone screenshot of it is worth keeping
JOURNAL_PAGES = [
    ("home", "/", True),
    ("checkin", f"/checkin/{NIGHT.replace(day=3)}/", True),
    ("checkin-usual-times", f"/checkin/{NIGHT}/", False),  # empty, with the usual times offered
    ("day", f"/days/{NIGHT.replace(day=3)}/", True),
    ("days", "/days/", False),
    ("month", "/month/", False),
    ("last-month", "/month/2026/2/", True),
    ("trends", "/trends/", True),
    ("trends-factors", "/trends/factors/", True),
    ("learn", "/learn/", True),
    ("learn-prevention", "/learn/prevention/", True),
    ("learn-checklist", "/learn/checklist/", False),
    ("summary", "/summary/", True),
    ("medications", "/medications/", False),
    ("factors", "/factors/", False),
    ("account", "/account/", False),
    ("data", "/data/", True),
]
# The print view of the summary is always light (its own stylesheet, for paper), so the light
# runs check it, at both sizes; the dark runs would repeat them exactly.
LIGHT_ONLY_PAGES = [("summary-print", "/summary/print/")]

COMBINATIONS = [
    # viewport, the device's colour scheme, the account's theme, the theme that should show
    pytest.param(PHONE, "dark", Theme.SYSTEM, "dark", id="phone-dark-from-device"),
    pytest.param(PHONE, "light", Theme.SYSTEM, "light", id="phone-light-from-device"),
    pytest.param(DESKTOP, "light", Theme.DARK, "dark", id="desktop-dark-from-setting"),
    pytest.param(DESKTOP, "dark", Theme.LIGHT, "light", id="desktop-light-from-setting"),
    pytest.param(PHONE, "light", Theme.DIM, "dim", id="phone-dim-from-setting"),
    pytest.param(DESKTOP, "light", Theme.DIM, "dim", id="desktop-dim-from-setting"),
]


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"


@pytest.mark.parametrize(("viewport", "color_scheme", "theme", "shows"), COMBINATIONS)
def test_journey_pages_have_no_serious_accessibility_violations(
    open_page, live_server, demo_user, viewport, color_scheme, theme, shows
):
    demo_user.theme = theme
    demo_user.save(update_fields=["theme"])
    page = open_page(viewport=viewport, color_scheme=color_scheme)
    on_phone = viewport == PHONE
    problems: list[str] = []

    def check(name: str, theme_shown: str, *, keep: bool = False) -> None:
        problems.extend(axe_violations(page, f"{name} ({theme_shown})"))
        if on_phone:
            problems.extend(sideways_overflow(page, name))
        if keep and on_phone:
            screenshot(page, f"{name}-{theme_shown}")

    # Before logging in the theme can only come from the device.
    for name, path in PUBLIC_PAGES:
        visit(page, live_server.url + path)
        check(name, color_scheme, keep=name == "signup")
    # The sign-up form sent empty: the mistakes shown next to the fields.
    visit(page, f"{live_server.url}/signup/")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    check("signup-mistakes", color_scheme)

    log_in(page.context, live_server, demo_user)
    visit(page, live_server.url)
    expect(page.locator("html")).to_have_attribute("data-theme", theme)
    expect(page.locator("body")).to_have_css("background-color", BACKGROUND[shows])

    for name, path, keep in JOURNAL_PAGES:
        visit(page, live_server.url + path)
        check(name, shows, keep=keep)
    if shows == "light":
        for name, path in LIGHT_ONLY_PAGES:
            visit(page, live_server.url + path)
            check(name, shows)

    # The bedside panel after "Cramp now", swapped in by htmx.
    visit(page, live_server.url)
    page.get_by_role("button", name="Cramp now").click()
    expect(page.get_by_text("Cramp logged at 08:15")).to_be_focused()
    check("cramp-details", shows, keep=True)

    assert not problems, f"{len(problems)} violations:\n" + "\n".join(problems)
