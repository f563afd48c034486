"""Real-browser tests: Debian's Chromium driven by Playwright against the live test server."""

import os
import re
import shutil
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page

from journal.demo import demo_email, seed_demo
from journal.models import User
from tests.browser.support import MORNING, PHONE, log_in

# Playwright's sync API runs an event loop in this thread; the test code still talks to the
# database synchronously, which Django allows once told so.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"No Chromium at {CHROMIUM}: run scripts/ensure-system-packages (make test does)."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "timezone_id": "Europe/London",
        "locale": "en-GB",
        "color_scheme": "dark",
    }


# What Chromium (and htmx) log for a request made with the connection cut, or signed out, which
# offline tests do on purpose; a CSP violation or a script error still fails them.
NO_CONNECTION = re.compile(
    r"^Failed to load resource: (net::ERR_(INTERNET_DISCONNECTED|FAILED)"
    r"|the server responded with a status of 401 \(Unauthorized\))$"
    r"|^htmx:(sendError|afterRequest), \[object \w+\]$"  # htmx's own log of the same
)


def watch_console(page: Page, *, offline: bool = False) -> list[str]:
    """Collect the page's console errors (a CSP violation shows up there); with `offline`, not
    those of requests that failed for want of a connection."""
    errors: list[str] = []

    def collect(message):
        if message.type == "error" and not (offline and NO_CONNECTION.match(message.text)):
            errors.append(message.text)

    page.on("console", collect)
    page.set_default_timeout(10_000)
    return errors


@pytest.fixture
def page(page):
    """A page that fails the test on any console error (a CSP violation shows up there)."""
    errors = watch_console(page)
    yield page
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def open_page(browser, browser_context_args, live_server) -> Iterator[Callable[..., Page]]:
    """Open a page in a context of its own: a viewport, a colour scheme and, if given, logged in
    as `user` (once for the context). Console errors in any of them fail the test (with
    `offline`, but for requests that found no connection)."""
    opened = []

    def open_page(
        *, viewport=PHONE, color_scheme="dark", user: User | None = None, offline: bool = False
    ) -> Page:
        context = browser.new_context(
            **{**browser_context_args, "viewport": viewport, "color_scheme": color_scheme}
        )
        if user is not None:
            log_in(context, live_server, user)
        new_page = context.new_page()
        opened.append((context, watch_console(new_page, offline=offline)))
        return new_page

    yield open_page
    errors = [error for context, context_errors in opened for error in context_errors]
    for context, _ in opened:
        context.close()
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def demo_user(transactional_db, freeze_now) -> User:
    """Three months of generated journal (journal/demo.py) ending the night of 3 March 2026,
    with the clock frozen at 08:15 on 5 March."""
    freeze_now(MORNING)
    seed_demo(months=3)
    return User.objects.get(email=demo_email(1))
