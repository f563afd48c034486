"""No signal at 3 a.m.: in Chromium with the connection cut (the context set offline), a tap is
kept on the phone and sent once when the connection is back, on the night of the tap's moment;
the app installs, opens offline, keeps a check-in's answers, and forgets everything at log-out.

The server's clock is frozen (freeze_now) and the page's clock set to match (page.clock), since
the phone's moment of the tap is what the server files the cramp by."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from journal.models import CrampEpisode, Night, User
from tests.browser.support import (
    DESKTOP,
    PHONE,
    axe_violations,
    log_in,
    screenshot,
    sideways_overflow,
)
from tests.conftest import london

pytestmark = pytest.mark.django_db(transaction=True)

TAP = london(date(2026, 3, 4), 23, 50)  # ten minutes before midnight, Wednesday 4 March
SENT = TAP + timedelta(minutes=20)  # 00:10 on Thursday: the next night for a midnight boundary
WAITING = "Cramp at 23:50 saved on this phone; it will be sent when you are back online."
LOGGED = "The cramp at 23:50, night of Wed 4 Mar, is in your journal."
TYPED = {
    "Went to bed": "22:40",
    "Tried to sleep": "22:50",
    "Woke for good": "06:30",
    "Got up": "06:45",
}


@pytest.fixture
def ann(freeze_now) -> User:
    """A user whose nights change at midnight, signed up that evening."""
    freeze_now(TAP - timedelta(hours=3))
    user = User.objects.create_user(
        "ann@example.com", "a-long-night-2026", time_zone="Europe/London", night_boundary_hour=0
    )
    freeze_now(TAP)
    return user


def open_at_tap(open_page, live_server, user: User, **options) -> Page:
    """The home page at 23:50 on the phone's clock too, with the service worker in charge."""
    page = open_page(user=user, offline=True, **options)
    page.clock.set_fixed_time(TAP)
    page.goto(live_server.url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return page


def tap_with_no_signal(page: Page) -> None:
    """Cut the connection, wait for the home page to put its offline cramp button in place of
    the journal's own, and tap it: the tap waits on the phone, and the page says so."""
    page.context.set_offline(True)
    offline_home = page.locator("[data-offline-home]")
    expect(offline_home).to_be_visible()
    expect(page.locator("#cramp-panel")).to_be_hidden()  # the online form gives way
    offline_home.get_by_role("button", name="Cramp now").click()
    expect(page.get_by_text(f"{WAITING} Waiting to be sent: 1.")).to_be_visible()


def waiting_on_phone(page: Page) -> list[dict]:
    return page.evaluate("CrampOutbox.all()")


def back_online_at(page: Page, freeze_now, moment) -> None:
    freeze_now(moment)
    page.clock.set_fixed_time(moment)
    page.context.set_offline(False)


def test_a_tap_with_no_connection_waits_then_is_logged_once_on_the_night_of_its_moment(
    open_page, live_server, ann, freeze_now
):
    page = open_at_tap(open_page, live_server, ann)
    tap_with_no_signal(page)
    screenshot(page, "offline-tap-phone-dark")
    assert axe_violations(page, "offline tap") + sideways_overflow(page, "offline tap") == []

    details = page.locator("[data-offline-details]")
    details.get_by_role("radio", name="Left").check()
    details.get_by_role("radio", name="Calf").check()
    details.get_by_role("radio", name="7", exact=True).check()
    details.get_by_label("Or exactly (minutes:seconds)").fill("1:20")
    details.get_by_role("button", name="Save details").click()
    expect(
        page.get_by_text("Details kept with the cramp at 23:50; they are sent with it.")
    ).to_be_visible()
    expect(page.get_by_text("Cramp at 23:50, Wed 4 Mar, details added")).to_be_visible()
    assert not CrampEpisode.objects.exists()

    back_online_at(page, freeze_now, SENT)
    expect(page.get_by_text(f"Sent to your journal: {LOGGED}")).to_be_visible()
    episode = CrampEpisode.objects.get()
    assert episode.started_at == TAP
    assert episode.night.date == date(2026, 3, 4)  # not the night of 00:10, Thursday 5 March
    assert ann.night_of(SENT) == date(2026, 3, 5)
    assert (episode.side, episode.muscle, episode.pain, episode.duration_seconds) == (
        "left",
        "calf",
        7,
        80,
    )
    assert waiting_on_phone(page) == []
    # The journal's own panel is back: at 00:10 it is Thursday's night, which has none yet.
    expect(page.locator("#cramp-panel").get_by_text("Cramps so far this night: 0")).to_be_visible()
    expect(page.get_by_role("button", name="Cramp now")).to_have_count(1)


def test_the_same_waiting_cramp_sent_again_or_twice_at_once_is_one_episode(
    open_page, live_server, ann, freeze_now
):
    page = open_at_tap(open_page, live_server, ann)
    tap_with_no_signal(page)
    [kept] = waiting_on_phone(page)
    back_online_at(page, freeze_now, SENT)
    expect(page.get_by_text(f"Sent to your journal: {LOGGED}")).to_be_visible()

    # A replay after a crash: the phone kept the cramp although the server had it.
    page.evaluate("kept => CrampOutbox.add(kept)", kept)
    resent = page.evaluate("CrampOutbox.send('/cramps/sync/')")
    assert resent["sent"] == [LOGGED]
    assert waiting_on_phone(page) == []
    # The page and the worker sending the same cramp at the same moment.
    statuses = page.evaluate(
        """async (kept) => {
          const { csrf_token } = await (await fetch("/cramps/sync/")).json();
          const body = () => new URLSearchParams([...kept.fields, ["token", kept.id],
            ["tapped_at", kept.tappedAt], ["journal", kept.journal]]);
          const post = () => fetch("/cramps/sync/",
            { method: "POST", body: body(), headers: { "X-CSRFToken": csrf_token } });
          return (await Promise.all([post(), post()])).map((response) => response.status);
        }""",
        kept,
    )
    assert statuses == [200, 200]
    assert CrampEpisode.objects.count() == 1
    assert str(CrampEpisode.objects.get().client_token) == kept["id"]


def test_signed_out_while_waiting_the_cramp_stays_and_is_sent_after_logging_in(
    open_page, live_server, ann, freeze_now
):
    page = open_at_tap(open_page, live_server, ann)
    tap_with_no_signal(page)
    page.context.clear_cookies()  # the session ended while the phone had no signal

    back_online_at(page, freeze_now, SENT)
    expect(
        page.get_by_text("You are logged out, so the cramps waiting on this phone")
    ).to_be_visible()
    assert len(waiting_on_phone(page)) == 1
    assert not CrampEpisode.objects.exists()

    log_in(page.context, live_server, ann)
    page.goto(live_server.url)
    expect(page.get_by_text(f"Sent to your journal: {LOGGED}")).to_be_visible()
    assert CrampEpisode.objects.get().started_at == TAP
    assert waiting_on_phone(page) == []


def test_reloaded_with_no_connection_the_app_opens_its_offline_page_and_still_logs(
    open_page, live_server, ann, freeze_now
):
    page = open_at_tap(open_page, live_server, ann)
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Log a cramp")).to_be_visible()
    expect(page.get_by_text("This phone has no connection.")).to_be_visible()
    page.get_by_role("button", name="Cramp now").click()
    expect(page.get_by_text(f"{WAITING} Waiting to be sent: 1.")).to_be_visible()
    screenshot(page, "offline-page-phone-dark")
    assert axe_violations(page, "offline page") + sideways_overflow(page, "offline page") == []

    back_online_at(page, freeze_now, SENT)
    expect(page.get_by_text(f"Sent to your journal: {LOGGED}")).to_be_visible()
    assert CrampEpisode.objects.get().night.date == date(2026, 3, 4)


def test_a_cramp_can_be_discarded_before_it_is_sent(open_page, live_server, ann, freeze_now):
    page = open_at_tap(open_page, live_server, ann)
    tap_with_no_signal(page)
    page.locator("[data-offline-details]").get_by_role("button", name="Skip").click()
    page.get_by_role("button", name="Discard (the cramp at 23:50)").click()
    expect(page.get_by_text("Discarded the cramp at 23:50: it will not be sent.")).to_be_visible()
    back_online_at(page, freeze_now, SENT)
    page.goto(live_server.url)
    assert waiting_on_phone(page) == []
    assert not CrampEpisode.objects.exists()


def test_a_check_in_typed_offline_is_kept_until_it_is_saved(
    open_page, live_server, ann, freeze_now
):
    page = open_at_tap(open_page, live_server, ann)
    freeze_now(SENT + timedelta(hours=8))  # 08:10 on Thursday
    page.clock.set_fixed_time(SENT + timedelta(hours=8))
    page.goto(f"{live_server.url}/checkin/2026-03-04/")
    for label, clock in TYPED.items():
        page.get_by_label(re.compile(f"^{label}")).fill(clock)
    page.context.set_offline(True)
    page.get_by_role("button", name="Save the check-in").click()
    expect(
        page.get_by_text("Not saved: this phone has no connection.", exact=False)
    ).to_be_visible()
    assert page.get_by_label("Went to bed").input_value() == "22:40"
    screenshot(page, "offline-checkin-not-saved-phone-dark")

    page.reload()  # the page needs the server: the offline page says what became of Save
    expect(
        page.get_by_text("If you pressed Save, nothing was saved yet", exact=False)
    ).to_be_visible()

    page.context.set_offline(False)
    page.goto(f"{live_server.url}/checkin/2026-03-04/")
    expect(
        page.get_by_text("Restored what you typed on this phone at 08:10", exact=False)
    ).to_be_visible()
    assert {
        label: page.get_by_label(re.compile(f"^{label}")).input_value() for label in TYPED
    } == TYPED
    page.get_by_role("button", name="Save the check-in").click()
    expect(page).to_have_url(re.compile(r"/days/2026-03-04/$"))
    night = Night.objects.get(user=ann, date=date(2026, 3, 4))
    assert night.into_bed == london(date(2026, 3, 4), 22, 40)
    assert night.out_of_bed == london(date(2026, 3, 5), 6, 45)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes('draft'))") == []


def test_log_out_warns_about_cramps_not_sent_then_forgets_everything(
    open_page, live_server, ann, freeze_now
):
    page = open_at_tap(open_page, live_server, ann)
    tap_with_no_signal(page)
    page.context.route("**/cramps/sync/", lambda route: route.abort())  # the server is away
    back_online_at(page, freeze_now, SENT)
    page.goto(f"{live_server.url}/account/")

    page.get_by_role("button", name="Log out").click()
    dialog = page.get_by_role("dialog", name="Cramps not sent yet")
    expect(dialog).to_contain_text("1 cramp logged on this phone has not reached the server yet.")
    screenshot(page, "offline-log-out-warning-phone-dark")
    dialog.get_by_role("button", name="Stay logged in").click()
    expect(page).to_have_url(re.compile(r"/account/$"))
    assert len(waiting_on_phone(page)) == 1

    page.get_by_role("button", name="Log out").click()
    dialog.get_by_role("button", name="Log out anyway").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.wait_for_load_state()
    assert waiting_on_phone(page) == []
    assert page.evaluate("localStorage.length") == 0
    assert not CrampEpisode.objects.exists()


def cached(context: BrowserContext, page: Page) -> dict[str, str]:
    """Every response in every cache the site has, by path, with its body."""
    return page.evaluate(
        """async () => {
          const found = {};
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
              found[new URL(request.url).pathname] = await (await cache.match(request)).text();
            }
          }
          return found;
        }"""
    )


def test_installable_and_no_page_of_the_journal_is_kept_after_log_out(
    browser_type, browser_type_launch_args, browser_context_args, live_server, ann, tmp_path
):
    # Chromium does not offer to install from a private window, which a new context is.
    context = browser_type.launch_persistent_context(
        tmp_path, **browser_type_launch_args, **browser_context_args
    )
    try:
        log_in(context, live_server, ann)
        page = context.new_page()
        response = page.goto(live_server.url)
        policy = response.headers["content-security-policy"]
        assert "unsafe-inline" not in policy and "script-src 'self'" in policy
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getAppManifest")["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

        for path in ("/days/", "/month/", "/account/"):
            page.goto(live_server.url + path)
        shell = cached(context, page)
        assert "/offline/" in shell and "/static/css/app.css" in shell
        assert not any(path in shell for path in ("/", "/days/", "/month/", "/account/"))

        page.get_by_role("button", name="Log out").click()
        expect(page).to_have_url(re.compile(r"/login/"))
        for path, body in cached(context, page).items():
            assert path == "/offline/" or path.startswith("/static/"), path
            assert "ann@example.com" not in body and "data-journal" not in body, path
    finally:
        context.close()


@pytest.mark.parametrize(
    ("theme", "viewport"), [("dim", PHONE), ("light", PHONE), ("dark", DESKTOP)]
)
def test_the_offline_page_in_each_theme(open_page, live_server, ann, theme, viewport):
    ann.theme = theme
    ann.save()
    page = open_at_tap(open_page, live_server, ann, viewport=viewport, color_scheme="light")
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Log a cramp")).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    width = "phone" if viewport == PHONE else "desktop"
    screenshot(page, f"offline-page-{width}-{theme}")
    assert axe_violations(page, theme) + sideways_overflow(page, theme) == []


def test_background_sync_sends_a_waiting_cramp_with_the_app_closed(
    open_page, live_server, ann, freeze_now
):
    page = open_at_tap(open_page, live_server, ann)
    context = page.context
    tap_with_no_signal(page)
    # DevTools stands in for the browser waking the worker when the connection is back.
    devtools = context.new_cdp_session(page)
    registrations: list[dict] = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    devtools.send("ServiceWorker.enable")
    for _ in range(50):  # the registration is reported soon after enabling
        if registrations:
            break
        page.wait_for_timeout(100)
    [registration] = [r for r in registrations if not r.get("isDeleted")]
    page.goto("about:blank")  # the app is closed: no page of it can send
    freeze_now(SENT)
    context.set_offline(False)
    devtools.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "tag": "send-cramps",
            "lastChance": False,
        },
    )
    for _ in range(50):
        if CrampEpisode.objects.exists():
            break
        page.wait_for_timeout(100)
    episode = CrampEpisode.objects.get()
    assert (episode.started_at, episode.night.date) == (TAP, date(2026, 3, 4))
