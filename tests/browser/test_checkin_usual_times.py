"""The check-in's usual sleep times in a real browser: suggestions beside empty time inputs, and
"Use my usual times" filling them in on the spot (static/js/app.js) or, without JavaScript, by
the server. Nothing is saved either way until Save is pressed."""

import pytest
from playwright.sync_api import Page, expect

from journal.forms.checkin import usual_times
from journal.models import SLEEP_TIMES, Night, User
from tests.browser.support import DESKTOP, NIGHT, PHONE, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def usual_clocks(user: User) -> dict[str, str]:
    """What the page should suggest: the median of the demo's last 14 diaries before NIGHT."""
    usual = usual_times(user, NIGHT)
    assert usual is not None and usual.nights == 14
    return {name: f"{clock:%H:%M}" for name, clock in usual.clocks.items()}


def time_inputs(page: Page) -> dict:
    return {name: page.locator(f"#id_night-{name}") for name in SLEEP_TIMES}


def saved_clocks(user: User) -> list[str]:
    night = Night.objects.get(user=user, date=NIGHT)
    return [f"{getattr(night, name).astimezone(user.tzinfo):%H:%M}" for name in SLEEP_TIMES]


@pytest.mark.parametrize(
    ("viewport", "scheme"), [(PHONE, "dark"), (DESKTOP, "light")], ids=["phone-dark", "desktop"]
)
def test_use_my_usual_times_fills_them_in_on_the_spot(
    open_page, live_server, demo_user, viewport, scheme
):
    usual = usual_clocks(demo_user)
    page = open_page(viewport=viewport, color_scheme=scheme, user=demo_user)
    page.goto(f"{live_server.url}/checkin/{NIGHT}/")  # the demo's journal ends the night before
    inputs = time_inputs(page)
    for name, box in inputs.items():
        expect(box).to_have_value("")
        expect(box).to_have_accessible_description(f"Usually {usual[name]}.")
    shot = f"checkin-usual-times-{'phone-dark' if viewport is PHONE else 'desktop'}"
    screenshot(page, f"{shot}-before")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else 0)

    page.get_by_role("button", name="Use my usual times").click()
    for name, box in inputs.items():
        expect(box).to_have_value(usual[name])
    expect(page.get_by_text("Your usual times are filled in: check them and save.")).to_be_visible()
    expect(page.locator("#sleep-metrics dl")).to_contain_text("Sleep efficiency")  # live metrics
    assert posts == []  # filled in by the page itself
    assert not Night.objects.filter(user=demo_user, date=NIGHT).exists()
    screenshot(page, f"{shot}-after")

    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_role("heading", name="Night of Wednesday 4 March 2026")).to_be_visible()
    assert saved_clocks(demo_user) == [usual[name] for name in SLEEP_TIMES]


def test_use_my_usual_times_without_javascript(browser, live_server, demo_user):
    usual = usual_clocks(demo_user)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    log_in(context, live_server, demo_user)
    page = context.new_page()
    page.goto(f"{live_server.url}/checkin/{NIGHT}/")
    page.get_by_role("button", name="Use my usual times").click()
    expect(page.get_by_text("Your usual times are filled in: check them and save.")).to_be_visible()
    for name, box in time_inputs(page).items():
        expect(box).to_have_value(usual[name])
    assert not Night.objects.filter(user=demo_user, date=NIGHT).exists()
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_role("heading", name="Night of Wednesday 4 March 2026")).to_be_visible()
    assert saved_clocks(demo_user) == [usual[name] for name in SLEEP_TIMES]
    context.close()
