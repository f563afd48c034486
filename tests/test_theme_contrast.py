"""The themes' colours, read from static/css/app.css: every pair of writing and background the
pages use meets WCAG AA, and the dim theme stays dim, warm and free of white."""

import re
from pathlib import Path

import pytest

APP_CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "app.css"
THEMES = ("light", "dark", "dim")

# Writing on a background, where the pages put it, and the contrast WCAG AA asks of it:
# 4.5:1 for text (1.4.3), 3:1 for what is not text, such as the focus ring (1.4.11).
TEXT_PAIRS = [
    ("text", "bg", "body text"),
    ("text", "surface", "text in cards, fields and the top bar"),
    ("text", "notice", "notices and attention panels"),
    ("text", "shade-1", "a month day with one cramp"),
    ("text", "shade-2", "a month day with two cramps"),
    ("muted", "bg", "secondary text"),
    ("muted", "surface", "help text, the tab bar's other tabs"),
    ("muted", "notice", "secondary text in a notice"),
    ("muted", "shade-1", "the day number of a month day with one cramp"),
    ("accent", "bg", "links"),
    ("accent", "surface", "links in cards, the current tab, secondary buttons"),
    ("accent", "notice", "links in a notice"),
    ("accent-text", "accent", "a month day with three cramps or more"),
    ("button-text", "button", "filled buttons: Cramp now, Save, the current page on a desktop"),
    ("danger", "bg", "error messages"),
    ("danger", "surface", "error messages in cards"),
]
NON_TEXT_PAIRS = [
    ("focus", "bg", "the focus ring"),
    ("focus", "surface", "the focus ring in a card"),
]


def strip_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def declarations(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block))


def theme_blocks(css: str) -> dict[str, dict[str, str]]:
    """The custom properties set by `:root` and each `:root[data-theme="..."]` block."""
    blocks: dict[str, dict[str, str]] = {}
    for theme, block in re.findall(r':root(?:\[data-theme="(\w+)"\])?\s*\{([^{}]*)\}', css):
        key = theme or "root"
        assert key not in blocks, f"two blocks for {key}"
        blocks[key] = declarations(block)
    return blocks


def palette(theme: str) -> dict[str, tuple[float, float, float]]:
    """Every colour variable of a theme, as sRGB in 0..1, with var() and color-mix() worked out
    the way the browser does (a theme's block over the light one in :root)."""
    blocks = theme_blocks(strip_comments(APP_CSS.read_text()))
    values = {**blocks["root"], **(blocks[theme] if theme != "light" else {})}
    colours = {}
    for name, value in values.items():
        if (colour := resolve(value, values)) is not None:
            colours[name.removeprefix("--")] = colour
    return colours


def resolve(value: str, values: dict[str, str]) -> tuple[float, float, float] | None:
    value = value.strip()
    if match := re.fullmatch(r"#([0-9a-f]{6})", value, re.I):
        digits = match[1]
        red, green, blue = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
        return red, green, blue
    if match := re.fullmatch(r"var\((--[\w-]+)\)", value):
        return resolve(values[match[1]], values)
    mix = r"color-mix\(in srgb,\s*(.+?)\s+(\d+)%,\s*(.+)\)"
    if match := re.fullmatch(mix, value):
        first, second, share = resolve(match[1], values), resolve(match[3], values), int(match[2])
        assert first is not None and second is not None, f"not a mix of colours: {value}"
        red, green, blue = (
            (a * share + b * (100 - share)) / 100 for a, b in zip(first, second, strict=True)
        )
        return red, green, blue
    return None  # not a colour: a length, a radius


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in colour]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_arithmetic_matches_wcag():
    white, black = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)
    assert contrast(white, black) == pytest.approx(21)
    assert contrast((0x76 / 255,) * 3, white) == pytest.approx(4.54, abs=0.01)  # #767676


def test_every_theme_block_is_read():
    blocks = theme_blocks(strip_comments(APP_CSS.read_text()))
    assert set(blocks) == {"root", "dark", "dim", "system"}
    for theme in THEMES:
        assert {pair[0] for pair in TEXT_PAIRS} | {pair[1] for pair in TEXT_PAIRS} <= set(
            palette(theme)
        )


def test_automatic_dark_is_the_dark_theme():
    """The device-chosen dark palette (in a prefers-color-scheme query) repeats the dark block."""
    css = strip_comments(APP_CSS.read_text())
    blocks = theme_blocks(css)
    assert blocks["system"] == blocks["dark"]
    assert re.search(r'prefers-color-scheme:\s*dark\)\s*\{\s*:root\[data-theme="system"\]', css)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("writing", "background", "where"), TEXT_PAIRS)
def test_text_meets_wcag_aa(theme, writing, background, where):
    colours = palette(theme)
    ratio = contrast(colours[writing], colours[background])
    assert ratio >= 4.5, f"{theme}: {writing} on {background} ({where}) is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("writing", "background", "where"), NON_TEXT_PAIRS)
def test_controls_meet_wcag_aa(theme, writing, background, where):
    colours = palette(theme)
    ratio = contrast(colours[writing], colours[background])
    assert ratio >= 3, f"{theme}: {writing} on {background} ({where}) is {ratio:.2f}:1"


def test_dim_gives_very_little_light():
    colours = palette("dim")
    # The page and its cards are near black: a tenth of the dark theme's cards at most.
    for name in ("bg", "surface", "notice", "button", "shade-1", "shade-2"):
        assert luminance(colours[name]) <= 0.02, name
    # Nothing, writing included, is brighter than about a third of white; the dark theme's
    # writing is four fifths.
    brightest = max(colours, key=lambda name: luminance(colours[name]))
    assert luminance(colours[brightest]) <= 0.4, brightest
    assert luminance(palette("dark")["text"]) > 0.75


def test_dim_is_warm():
    """Every colour leans to red and amber: red at least green, green at least blue."""
    for name, (red, green, blue) in palette("dim").items():
        assert red >= green >= blue, f"{name} is not warm: {red:.2f} {green:.2f} {blue:.2f}"
