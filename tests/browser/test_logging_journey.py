"""A new user on a phone: sign up, log a cramp at 3 a.m., add a medication and a factor of their
own, check in, and find it all on the day page."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from journal.models import CrampEpisode, DayFactors, User
from tests.conftest import london

pytestmark = pytest.mark.django_db(transaction=True)

NIGHT = date(2026, 3, 4)


def sign_up(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/signup/")
    # The time zone is filled in from the device by static/js/app.js.
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("Your name (optional)").fill("Sam")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-night-2026")
    page.get_by_label("Password confirmation").fill("a-long-night-2026")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Your account is ready")).to_be_visible()


def test_new_user_logs_a_night_cramp_and_checks_in(page: Page, live_server, freeze_now):
    # Sign up the evening before, on the test's clock: the session must still be fresh at 3 a.m.
    freeze_now(london(NIGHT, 21, 0))
    sign_up(page, live_server)

    freeze_now(london(NIGHT.replace(day=5), 3, 0))
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Night of Wednesday 4 March")).to_be_visible()
    page.get_by_role("button", name="Cramp now").click()
    # htmx swaps the details in place: no page load, the address stays the home page.
    expect(page.get_by_text("Cramp logged at 03:00")).to_be_visible()
    assert page.url == f"{live_server.url}/"
    page.get_by_text("Left", exact=True).click()
    page.get_by_text("Calf", exact=True).click()
    page.get_by_text("7", exact=True).click()
    page.get_by_text("2–5 min").click()
    page.get_by_text("Stretching").click()
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Details saved for the cramp at 03:00")).to_be_visible()
    expect(page.get_by_role("button", name="Cramp now")).to_be_visible()

    episode = CrampEpisode.objects.get()
    assert episode.night.date == NIGHT
    assert (episode.side, episode.muscle, episode.pain, episode.duration_seconds) == (
        "left",
        "calf",
        7,
        210,
    )

    freeze_now(london(NIGHT.replace(day=5), 8, 15))
    page.goto(live_server.url)
    page.get_by_role("link", name="Medications and supplements").click()
    page.get_by_role("link", name="Add a medication or supplement").click()
    page.get_by_label("Name").fill("Atorvastatin")
    page.get_by_label("Dose", exact=False).first.fill("20")
    page.get_by_label("Dose unit").fill("mg")
    page.get_by_label("Type of medicine").select_option("statin")
    page.get_by_role("button", name=re.compile("Save|Add")).click()
    expect(page.get_by_text("This type of medicine has been linked with cramps")).to_be_visible()
    expect(page.get_by_text("discuss it with your doctor")).to_be_visible()

    page.goto(live_server.url)
    page.get_by_role("link", name="Your own factors").click()
    page.get_by_label("Name").fill("Tight bedsheets")
    page.get_by_role("button", name="Add factor").click()
    expect(page.get_by_text("Tight bedsheets").first).to_be_visible()

    page.goto(live_server.url)
    page.get_by_role("link", name="Start the check-in").click()
    expect(
        page.get_by_role("heading", name=re.compile("Check-in for the night of Wednesday 4 March"))
    ).to_be_visible()
    page.get_by_label("Went to bed").fill("22:40")
    page.get_by_label("Tried to sleep").fill("23:00")
    page.get_by_label("Minutes to fall asleep").fill("15")
    page.get_by_label("Times woken in the night").fill("1")
    page.get_by_label("Minutes awake in the night, in total").fill("20")
    page.get_by_label("Woke for good").fill("06:50")
    page.get_by_label("Got up").fill("07:10")
    page.get_by_label("Got up").press("Tab")
    # 22:40 → 07:10 is 8 h 30 min in bed; 23:00 → 06:50 is 470 min, less 15 and 20 = 7 h 15 min
    expect(page.locator("#sleep-metrics")).to_contain_text("8 h 30 min")
    expect(page.locator("#sleep-metrics")).to_contain_text("7 h 15 min")
    page.get_by_role("button", name="+250 ml (a cup)").click()
    expect(page.get_by_label("Fluids (ml)")).to_have_value("250")
    page.get_by_role("button", name="+500 ml").click()
    expect(page.get_by_label("Fluids (ml)")).to_have_value("750")
    page.get_by_label("Hours on your feet").fill("9")
    page.get_by_role("group", name="Tight bedsheets").get_by_text("Yes").click()
    page.get_by_role("button", name="Save the check-in").click()

    expect(page.get_by_role("heading", name="Night of Wednesday 4 March 2026")).to_be_visible()
    expect(page.get_by_text("Saved the night of Wednesday 4 March")).to_be_visible()
    expect(page.get_by_text("lasted 3 min 30 s")).to_be_visible()
    expect(page.get_by_text("relieved by: stretching")).to_be_visible()
    expect(page.get_by_role("region", name="Sleep")).to_contain_text("7 h 15 min")
    expect(page.get_by_role("region", name=re.compile("The day"))).to_contain_text(
        "Tight bedsheetsYes"
    )
    day = DayFactors.objects.get(user=User.objects.get(email="sam@example.com"))
    assert (day.fluids_ml, str(day.hours_on_feet)) == (750, "9.0")


@pytest.mark.parametrize("javascript", [False])
def test_cramp_now_works_without_javascript(browser, live_server, freeze_now, javascript):
    freeze_now(london(NIGHT, 21, 0))  # log in the evening before, on the test's clock
    User.objects.create_user("nojs@example.com", "a-long-night-2026", time_zone="Europe/London")
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email address").fill("nojs@example.com")
    page.get_by_label("Password").fill("a-long-night-2026")
    page.get_by_role("button", name="Log in").click()
    freeze_now(london(NIGHT.replace(day=5), 3, 0))
    page.goto(live_server.url)
    page.get_by_role("button", name="Cramp now").click()
    # Without htmx the form posts and the server redirects to the cramp's own page.
    expect(page.get_by_text("Cramp logged at 03:00. Add details if you like.")).to_be_visible()
    assert re.search(r"/cramps/\d+/$", page.url)
    page.get_by_text("Right", exact=True).click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Cramp saved.")).to_be_visible()
    assert CrampEpisode.objects.get().side == "right"
    context.close()
