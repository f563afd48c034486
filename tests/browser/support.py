"""Helpers shared by the browser tests: logging a context in, axe-core checks, keyboard moves and
screenshots. Fixtures that use them live in conftest.py."""

from datetime import date
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Locator, Page

from journal.models import User
from tests.conftest import london

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# The morning after the night of Wednesday 4 March 2026 (the night test_logging_journey.py
# logs too), in Europe/London: the clock every test here freezes before it starts.
NIGHT = date(2026, 3, 4)
THREE_AM = london(date(2026, 3, 5), 3, 0)
MORNING = london(date(2026, 3, 5), 8, 15)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# What each theme paints the page with (--bg in static/css/app.css), to prove the theme applied.
BACKGROUND = {"dark": "rgb(14, 17, 23)", "light": "rgb(251, 250, 247)", "dim": "rgb(10, 6, 4)"}

# axe-core impacts that fail a test; "minor" and "moderate" findings are reported by axe but
# are judgement calls (for example best-practice landmark advice) and do not fail the suite.
FAILING_IMPACTS = ("serious", "critical")

# Rules disabled for every page, each with the reason. Keep this empty unless a rule is wrong
# for this app; fix the page instead whenever that is possible.
DISABLED_RULES: dict[str, str] = {}

_axe = Axe()


def log_in(context: BrowserContext, live_server, user: User) -> None:
    """Give the browser context a session for `user` without going through the login form."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def axe_violations(page: Page, where: str) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now, one line per element."""
    options = {
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in DISABLED_RULES},
    }
    results = _axe.run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{where}: {violation['id']} ({violation['impact']}) at {node['target']}: "
                f"{node.get('failureSummary', '').replace(chr(10), ' ')}"
            )
    return found


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ for a reviewer to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True, animations="disabled", caret="hide")
    return path


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator, *, most: int = 40, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until `target` has the focus; return how many presses it took."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, most + 1):
        page.keyboard.press(key)
        if is_focused(target):
            return presses
    raise AssertionError(f"{most} presses of {key} never reached {target}")


def focus_outline(locator: Locator) -> tuple[str, float]:
    """The focused element's outline style and width in CSS pixels."""
    style, width = locator.evaluate(
        "element => { const s = getComputedStyle(element);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    return style, width


# The elements that stick out past the right edge of the viewport, outermost first, skipping
# those inside a box that scrolls sideways on purpose (a chart or a wide table in its card).
_OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (element) => {
    for (let e = element.parentElement; e; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  };
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || scrolls(element)) continue;
    if (found.some((outer) => outer.contains(element))) continue;
    found.push(element);
  }
  return found.slice(0, 5).map((e) =>
    `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} ` +
    `(right edge ${Math.round(e.getBoundingClientRect().right)} px of ${width})`);
}"""


def sideways_overflow(page: Page, where: str) -> list[str]:
    """WCAG 1.4.10 (reflow), which axe-core does not check: at a phone's width nothing should make
    the whole page scroll sideways."""
    if page.evaluate("document.documentElement.scrollWidth <= innerWidth"):
        return []
    elements = page.evaluate(_OVERFLOWING)
    return [f"{where}: the page scrolls sideways because of {', '.join(elements) or '?'}"]
