"""At night on a phone: the header stays slim, "Cramp now" shows without scrolling, the tab bar
along the bottom works from the keyboard, the theme comes from the Account page with or without
JavaScript, and the summary's tables are a readable size on screen while print keeps its own."""

import io
from collections import Counter

import pypdf
import pytest
from django.test import Client
from playwright.sync_api import expect

from journal.models import Theme, User
from tests.browser.support import BACKGROUND, DESKTOP, PHONE, log_in, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

TABS = ["Log", "Month", "Trends", "Summary", "Learn"]
TAP = 44  # px: the smallest touch target


def box(locator) -> dict:
    return locator.bounding_box()


def with_theme(user: User, theme: str) -> User:
    user.theme = theme
    user.save(update_fields=["theme"])
    return user


@pytest.mark.parametrize("theme", [Theme.DARK, Theme.DIM])
def test_on_a_phone_the_header_is_slim_and_cramp_now_needs_no_scrolling(
    open_page, live_server, demo_user, theme
):
    page = open_page(user=with_theme(demo_user, theme))
    page.goto(live_server.url)
    expect(page.locator("body")).to_have_css("background-color", BACKGROUND[theme])
    top_bar, tab_bar = box(page.locator("header.site-header")), box(page.locator("nav.main-nav"))
    # The top bar and the tab bar together take at most 15% of the screen's height.
    assert top_bar["height"] + tab_bar["height"] <= 0.15 * PHONE["height"], (top_bar, tab_bar)
    # The tab bar sits along the bottom of the screen.
    assert tab_bar["y"] + tab_bar["height"] == pytest.approx(PHONE["height"], abs=1)
    button = page.get_by_role("button", name="Cramp now")
    shown = box(button)
    assert page.evaluate("scrollY") == 0
    assert shown["y"] >= top_bar["y"] + top_bar["height"]
    assert shown["y"] + shown["height"] <= tab_bar["y"], "Cramp now is under the tab bar"
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= PHONE["width"]


def test_the_tab_bar_is_labelled_marks_the_current_section_and_has_large_targets(
    open_page, live_server, demo_user
):
    page = open_page(user=demo_user)
    page.goto(f"{live_server.url}/days/")
    nav = page.get_by_role("navigation", name="Main")
    links = nav.get_by_role("link")
    expect(links).to_have_text(TABS)
    # The days list belongs to Log: that tab is the current section, not the current page.
    expect(nav.get_by_role("link", name="Log")).to_have_attribute("aria-current", "true")
    page.goto(f"{live_server.url}/month/")
    expect(nav.get_by_role("link", name="Month")).to_have_attribute("aria-current", "page")
    expect(nav.locator("[aria-current]")).to_have_count(1)
    for index in range(len(TABS)):
        target = box(links.nth(index))
        assert target["height"] >= TAP and target["width"] >= TAP, (TABS[index], target)
    account = page.get_by_role("banner").get_by_role("link", name="Account")
    assert box(account)["height"] >= TAP


def test_the_tab_bar_is_reachable_with_the_keyboard(open_page, live_server, demo_user):
    page = open_page(user=with_theme(demo_user, Theme.DIM))
    page.goto(live_server.url)
    nav = page.get_by_role("navigation", name="Main")
    trends = nav.get_by_role("link", name="Trends")
    tab_to(page, trends)
    assert trends.evaluate("element => element.matches(':focus-visible')")
    assert trends.evaluate("element => getComputedStyle(element).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/trends/")
    expect(nav.get_by_role("link", name="Trends")).to_have_attribute("aria-current", "page")
    # Backwards from the page's content, past Account, the tabs come in their order.
    account = page.get_by_role("banner").get_by_role("link", name="Account")
    tab_to(page, account)
    page.keyboard.press("Shift+Tab")
    expect(nav.get_by_role("link", name="Learn")).to_be_focused()


def test_on_a_desktop_the_sections_are_a_top_navigation(open_page, live_server, demo_user):
    page = open_page(viewport=DESKTOP, user=demo_user)
    page.goto(live_server.url)
    header, nav = box(page.locator("header.site-header")), box(page.locator("nav.main-nav"))
    assert nav["y"] >= header["y"] and nav["y"] + nav["height"] <= header["y"] + header["height"]
    assert header["height"] <= 0.1 * DESKTOP["height"]
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(TABS)


def test_the_theme_is_chosen_on_the_account_page_and_needs_no_javascript(
    browser, live_server, demo_user
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, color_scheme="light")
    log_in(context, live_server, demo_user)
    page = context.new_page()
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("data-theme", "system")
    expect(page.locator("body")).to_have_css("background-color", BACKGROUND["light"])
    # No theme button in the header any more: Account holds the choice.
    expect(page.get_by_role("banner").get_by_role("button")).to_have_count(0)
    page.get_by_role("banner").get_by_role("link", name="Account").click()
    page.get_by_role("radio", name="Dim").check()
    page.get_by_role("button", name="Save theme").click()
    expect(page.get_by_text("Theme saved.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-theme", "dim")
    expect(page.locator("body")).to_have_css("background-color", BACKGROUND["dim"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log").click()
    expect(page.get_by_role("button", name="Cramp now")).to_be_in_viewport(ratio=1)
    expect(page.locator("body")).to_have_css("background-color", BACKGROUND["dim"])
    context.close()
    demo_user.refresh_from_db()
    assert demo_user.theme == Theme.DIM


# Text sizes in the summary's document, by computed size in px, as shares of its characters.
_TEXT_SIZES = """() => {
  const sizes = {};
  const walker = document.createTreeWalker(
    document.querySelector(".summary-document"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode, length = text.textContent.trim().length;
    if (!length || text.parentElement.closest("svg")) continue;
    const size = parseFloat(getComputedStyle(text.parentElement).fontSize);
    sizes[size] = (sizes[size] || 0) + length;
  }
  return sizes;
}"""
_TABLE_CELL_SIZE = """() => parseFloat(getComputedStyle(
  document.querySelector(".summary-table td")).fontSize)"""
PRINT_TABLE_PX = 8.5 * 96 / 72  # the tables' 8.5 pt on paper


@pytest.mark.parametrize("path", ["/summary/", "/summary/print/"])
def test_the_summary_reads_at_screen_sizes_on_a_phone_and_prints_at_its_own(
    open_page, live_server, demo_user, path
):
    page = open_page(user=demo_user)
    page.goto(live_server.url + path)
    sizes = {float(size): count for size, count in page.evaluate(_TEXT_SIZES).items()}
    small = {size: count for size, count in sizes.items() if size < 14}
    assert not small, f"text under 14 px on a phone: {small} of {sum(sizes.values())} characters"
    assert page.evaluate(_TABLE_CELL_SIZE) >= 14
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.emulate_media(media="print")
    assert page.evaluate(_TABLE_CELL_SIZE) == pytest.approx(PRINT_TABLE_PX, abs=0.01)


def test_the_pdf_keeps_its_print_sizes(demo_user):
    client = Client()
    client.force_login(demo_user)
    response = client.get("/summary/pdf/", {"months": 3})
    characters: Counter[float] = Counter()

    def count(text, cm, tm, font, size):
        if text.strip():
            characters[round(size * (tm[0] or 1), 2)] += len(text.strip())

    for pdf_page in pypdf.PdfReader(io.BytesIO(response.content)).pages:
        pdf_page.extract_text(visitor_text=count)
    # Most of the PDF is its tables, at 8.5 pt; nothing is at the screen's 14 px and more but
    # the title and the headings.
    assert characters.most_common(1)[0][0] == pytest.approx(PRINT_TABLE_PX, abs=0.01)
    at_screen_sizes = sum(n for size, n in characters.items() if size >= 14)
    assert at_screen_sizes < 0.05 * sum(characters.values()), characters
