"""Review pages in a real browser at a phone's size and a desktop's: every chart fits the
screen with its axis and its latest weeks in view, at a readable size."""

import pytest
from playwright.sync_api import Page

from tests.browser.support import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
CHART_PAGES = ["/trends/", "/trends/?range=3m", "/trends/?range=all", "/trends/factors/"]
# The doctor summary's trend, on the summary page and in its print view (as a shared link).
SUMMARY_PAGES = ["/summary/?months=1", "/summary/?months=12", "/summary/print/?months=12"]

# For each chart drawn on the page (the drawing its box shows): where it and every text in it
# lie, across; its figure's scroll width against its width; the x of its y tick labels' left
# edges and of its last x label's right edge; and the size of its tick text in CSS pixels.
_CHARTS = """() => [...document.querySelectorAll("svg.chart-svg")]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .map((svg) => {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim());
    const figure = svg.closest("figure");
    const yTicks = [...svg.querySelectorAll(".chart-tick text[text-anchor='end']")];
    const xTicks = [...svg.querySelectorAll(".chart-tick text[text-anchor='middle']")];
    return {
      title: svg.querySelector("title").textContent,
      left: box.left, right: box.right,
      textLeft: Math.min(...texts.map((t) => t.getBoundingClientRect().left)),
      textRight: Math.max(...texts.map((t) => t.getBoundingClientRect().right)),
      scrolls: figure.scrollWidth > figure.clientWidth,
      yTickLefts: yTicks.map((t) => t.getBoundingClientRect().left),
      lastXRight: xTicks.length ? xTicks[xTicks.length - 1].getBoundingClientRect().right : 0,
      tickPx: 13 * box.width / svg.viewBox.baseVal.width,
    };
  })"""


@pytest.mark.parametrize(("viewport", "drawing"), [(PHONE, "narrow"), (DESKTOP, "wide")])
def test_every_chart_fits_the_screen_with_its_axis_in_view(
    open_page, live_server, demo_user, viewport, drawing
):
    width = viewport["width"]
    for color_scheme in ("dark", "light"):
        page: Page = open_page(viewport=viewport, color_scheme=color_scheme, user=demo_user)
        for path in CHART_PAGES + SUMMARY_PAGES:
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
            charts = page.evaluate(_CHARTS)
            expected = 1 if "factors" in path or "summary" in path else 7
            assert len(charts) == expected, path
            shown = page.locator(f"svg.chart-svg-{drawing}")
            assert sum(box.is_visible() for box in shown.all()) == expected, path
            for chart in charts:
                where = f"{path} {chart['title']} ({color_scheme})"
                assert chart["left"] >= 0 and chart["right"] <= width, where
                assert chart["textLeft"] >= 0 and chart["textRight"] <= width, where
                assert not chart["scrolls"], where
                assert all(0 <= left < width for left in chart["yTickLefts"]), where
                assert chart["lastXRight"] <= width, where  # the latest week is in view
                assert chart["tickPx"] >= 11.5, where  # not shrunk below small print
            if "factors" not in path:
                assert charts[0]["yTickLefts"], path  # bar and line charts have a y axis


def _luminance(rgb: str) -> float:
    red, green, blue = (int(part) / 255 for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


_STYLE = """(element) => { const s = getComputedStyle(element);
  return {border: s.borderLeftColor, borderWidth: parseFloat(s.borderLeftWidth),
          background: s.backgroundColor, color: s.color}; }"""


@pytest.mark.parametrize("color_scheme", ["dark", "light"])
def test_nights_with_cramps_stand_out_in_the_days_list(
    open_page, live_server, demo_user, color_scheme
):
    page: Page = open_page(viewport=PHONE, color_scheme=color_scheme, user=demo_user)
    page.goto(live_server.url + "/days/")
    cramps = page.locator("li.day-cramps").first
    quiet = page.locator("li.day-no-cramps").first
    badge = cramps.locator(".cramp-badge")
    assert badge.inner_text().endswith(("cramp", "cramps"))  # said in words, not colour alone
    assert quiet.locator(".cramp-badge").count() == 0
    assert quiet.locator(".day-state").inner_text() == "No cramps"
    page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    bar, plain = cramps.evaluate(_STYLE), quiet.evaluate(_STYLE)
    assert bar["borderWidth"] >= 5 and contrast(bar["border"], page_background) >= 3
    assert plain["border"] == "rgba(0, 0, 0, 0)"  # no bar
    label = badge.evaluate(_STYLE)
    assert contrast(label["background"], page_background) >= 3  # the badge's shape shows
    assert contrast(label["color"], label["background"]) >= 4.5  # and its words read
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
