"""Chart geometry for server-rendered SVG: bar charts and line charts (forest plots are in
journal/forest_plot.py, on the same frame and text helpers).

Pure Python, no Django: these functions turn numbers into positions and texts, and the
templates in templates/charts/ draw them as inline SVG, which works under a strict CSP (no
inline styles or scripts), in htmx swaps and in WeasyPrint PDFs. Positions are in viewBox
units, rounded to 0.01. There are no fonts on the server, so text widths are estimated,
generously, from the number of characters.

A value may be *provisional* (it rests on few nights, or its period is not over): its bar is
hatched, or its dot is hollow and left out of the line. A value with `sets_scale` off
leaves a bar chart's y axis alone, so one night's rate cannot flatten every other bar; a bar
taller than the axis is cut, with a break drawn across its top.

A page's chart is drawn twice (`at_both_widths`): for a wide screen and, with its own
geometry, for a phone's width, so that on a phone it fits the screen, axis and latest weeks
in view, with text about the size of the page's small print rather than scaled down.
"""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal, NamedTuple

NO_DATA = "no data"

WIDE = 640  # viewBox width of a chart drawn for a wide screen
NARROW = 300  # ... and for a phone: about the CSS pixels of a card on a 390 px screen

Anchor = Literal["start", "end"]  # SVG text-anchor of a marker's label

FONT = 13  # tick and marker labels
_NOTE_UNDER_FONT = 11  # the notes under bars ("2 nights so far")
_NOTE_UNDER_Y = 15  # their baseline, below the axis: in the row of the no-data crosses
_CHAR_WIDTH = 0.6  # average glyph width of a sans-serif font, as a share of its size
EDGE = 4  # space kept clear at the edges of the drawing
TEXT_GAP = 6  # between a tick and its label, or a marker line and its label
_Y_TICKS = 6  # at most this many gridlines: (0, 1) gives 0, 0.2, ..., 1
_LANE_HEIGHT = 16  # one line of text above the plot: the y-axis label, then marker labels
_MAX_LANES = 3
_ABOVE_PLOT = 10  # between the last lane of text and the top gridline's label
_BELOW_PLOT = 36  # no-data crosses and x tick labels
_RIGHT_MARGIN = 16
_BAR_SHARE = 0.7  # of its slot a bar fills; the rest is the gap between bars
_MAX_BAR_WIDTH = 48  # so that a handful of values do not make slabs
_MIN_PLOT_HEIGHT = 40


@dataclass(frozen=True)
class LinearScale:
    """Maps a domain to a pixel range; the range may run backwards, as y does in SVG."""

    domain: tuple[float, float]
    pixels: tuple[float, float]

    def __post_init__(self) -> None:
        if self.domain[0] == self.domain[1]:
            raise ValueError(f"A scale needs a domain of non-zero width, not {self.domain}.")

    def __call__(self, value: float) -> float:
        (d0, d1), (p0, p1) = self.domain, self.pixels
        return p0 + (value - d0) / (d1 - d0) * (p1 - p0)


def nice_ticks(
    low: float, high: float, max_ticks: int = 5, *, min_step: float = 0.0
) -> list[float]:
    """At most `max_ticks` round values, 1, 2 or 5 × 10^k apart (and at least `min_step`),
    from at or below `low` to at or above `high`.

    (0, 7) gives 0, 2, 4, 6, 8; (0, 1) gives 0, 0.5, 1, or 0, 0.2, ..., 1 with max_ticks=6,
    or 0, 1 with min_step=1 (for counts). `max_ticks` is at least 3.
    A single value (low == high) is widened by a tenth of itself either side (by 1 for 0).
    Exact arithmetic keeps 0.1 × 3 from becoming 0.30000000000000004.
    """
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        raise ValueError(f"Ticks need finite low <= high, not {low}, {high}.")
    if max_ticks < 3:  # two cannot cover a range around zero: it takes -step, 0, step
        raise ValueError(f"Ticks need room for at least 3, not {max_ticks}.")
    if not 0 <= min_step < math.inf:
        raise ValueError(f"The smallest step must be finite and not negative, not {min_step}.")
    if low == high:
        pad = abs(low) / 10 or 1.0
        low, high = low - pad, high + pad
    span = Fraction(high) - Fraction(low)
    # No step smaller than span / (max_ticks - 1) can fit; start one power of ten below it.
    smallest = math.log10(span.numerator) - math.log10(span.denominator * (max_ticks - 1))
    exponent = math.floor(smallest) - 1
    if min_step:
        exponent = max(exponent, math.floor(math.log10(min_step)))
    while True:
        for multiple in (1, 2, 5):
            step = multiple * Fraction(10) ** exponent
            if step < min_step:
                continue
            first, last = math.floor(Fraction(low) / step), math.ceil(Fraction(high) / step)
            if last - first < max_ticks:
                return [float(i * step) for i in range(first, last + 1)]
        exponent += 1


class Box(NamedTuple):
    """The plotting area: left, top, right, bottom."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Value:
    """One value of a bar or line chart; a plain (label, value) pair is the same with defaults."""

    label: str
    value: float | None  # None: nothing to show for this period
    provisional: bool = False  # drawn distinctly: a hatched bar, or a hollow dot off the line
    sets_scale: bool = True  # False: a bar chart's y axis is not stretched to hold it
    notes: tuple[str, ...] = ()  # written under its bar: the first (longest first) that fits
    detail: str = ""  # the table's column of what the value rests on


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    value_text: str
    provisional: bool = False
    cut: bool = False  # taller than the axis: drawn to its top, with a break across it

    @property
    def break_path(self) -> str:
        """SVG path data of the break across a cut bar: a slash a little wider than the bar."""
        return f"M{px(self.x - 3)} {px(self.y + 14)}l{px(self.width + 6)} -6"


@dataclass(frozen=True)
class Point:
    """One value of a line chart."""

    x: float
    y: float
    label: str
    value_text: str


@dataclass(frozen=True)
class NoteUnder:
    """Text under a bar, below the axis, centred on `x`, its baseline at `y`."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Tick:
    position: float  # x of an x tick, y of a y tick
    label: str
    text_x: float  # where its label is anchored (kept inside the drawing)


@dataclass(frozen=True)
class Marker:
    """A vertical line at one value, e.g. "Atorvastatin started", labelled above the plot."""

    x: float
    label: str  # as drawn, shortened to fit
    top: float  # the line runs from beside its label down to the bottom of the plot
    text_x: float
    text_y: float
    anchor: Anchor  # "start": the label is right of the line; "end": left of it


@dataclass(frozen=True)
class TableRow:
    label: str
    value_text: str
    detail: str  # what the value rests on, e.g. "2 of 2 nights logged so far"
    note: str  # the labels of markers at this value


@dataclass(frozen=True)
class Chart:
    """A bar or line chart, laid out.

    `line` is the line of a line chart split into segments where values are missing or
    provisional (empty for a bar chart), and `hollow` the provisional values, drawn as hollow
    dots off the line; `no_data` holds the x of each missing value, marked below the axis.
    `key` explains the drawing in words (e.g. what a hatched bar means), and `hatch_id` names
    the SVG pattern of hatched bars, unique to the chart on its page.
    """

    kind: Literal["bar", "line"]
    title: str
    description: str
    key: str
    width: int
    height: int
    plot: Box
    bars: list[Bar]
    line: list[list[Point]]
    hollow: list[Point]
    notes_under: list[NoteUnder]
    no_data: list[float]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    markers: list[Marker]
    y_label: str
    x_label: str
    detail_heading: str  # heading of the table's column of details; "" for no such column
    table_rows: list[TableRow]

    @property
    def has_notes(self) -> bool:
        return any(row.note for row in self.table_rows)

    @property
    def has_provisional(self) -> bool:
        return bool(self.hollow) or any(bar.provisional for bar in self.bars)

    @property
    def cut_bars_text(self) -> str:
        """The values of the bars cut at the top of the axis, in words (a printed page has no
        table to look them up in); "" when none is cut."""
        cut = [f"{bar.label}, {bar.value_text} {self.y_label}" for bar in self.bars if bar.cut]
        if not cut:
            return ""
        return f"A bar with a break across its top is taller than the axis: {'; '.join(cut)}."

    @property
    def hatch_id(self) -> str:
        """Unique on a page that draws each chart at two widths."""
        words = "-".join(re.findall(r"[a-z0-9]+", self.title.lower())) or "chart"
        return f"hatch-{words}-{self.width}"

    @property
    def slot(self) -> float:
        """The width along x given to each value."""
        return (self.plot.right - self.plot.left) / max(len(self.table_rows), 1)

    def centre(self, index: int) -> float:
        """The x where value number `index` sits."""
        return self.plot.left + (index + 0.5) * self.slot


ChartValues = Sequence[Value | tuple[str, float | None]]


@dataclass(frozen=True)
class Drawings[Drawn]:
    """One chart drawn for a wide screen and, with geometry of its own (x labels thinned,
    marker labels shortened, a forest plot's texts above its intervals), for a phone. The
    page writes both and the stylesheet shows the one that fits; its caption and table are
    the wide one's (the same values)."""

    wide: Drawn
    narrow: Drawn


def at_both_widths[Drawn](draw: Callable[[int], Drawn]) -> Drawings[Drawn]:
    """`draw(width)` at the WIDE and the NARROW width."""
    return Drawings(draw(WIDE), draw(NARROW))


def bar_chart(
    values: ChartValues,
    *,
    title: str,
    description: str,
    y_label: str,
    x_label: str = "",
    key: str = "",
    detail_heading: str = "",
    value_format: str = "{:g}",
    markers: Sequence[tuple[int, str]] = (),
    width: int = WIDE,
    height: int = 260,
) -> Chart:
    """One bar per value, from zero; a value of None is a period with no data.

    Markers are (index into `values`, label). `value_format` formats values and y ticks.
    The y axis holds the values that set the scale (all of them if none does); a bar beyond
    it is cut at the edge of the plot.
    """
    values = _values(values)
    present = _present(values)
    scaled = [v.value for v in values if v.value is not None and v.sets_scale] or present
    low, high = min([0.0, *scaled]), max([0.0, *scaled])
    if low == high:
        high = 1.0  # nothing but zeros: show 0 to 1 rather than a range around 0
    chart, y = _chart_frame(
        "bar",
        values,
        _y_tick_values(low, high, scaled, value_format),
        title=title,
        description=description,
        key=key,
        y_label=y_label,
        x_label=x_label,
        detail_heading=detail_heading,
        value_format=value_format,
        markers=markers,
        width=width,
        height=height,
    )
    bar_width = min(chart.slot * _BAR_SHARE, _MAX_BAR_WIDTH)
    bars = []
    for index, value in enumerate(values):
        if value.value is None:
            continue
        end = y(value.value)
        drawn = min(max(end, chart.plot.top), chart.plot.bottom)
        top, bottom = sorted((px(drawn), px(y(0.0))))
        bars.append(
            Bar(
                x=px(chart.centre(index) - bar_width / 2),
                y=top,
                width=px(bar_width),
                height=px(bottom - top),
                label=value.label,
                value=value.value,
                value_text=value_format.format(value.value),
                provisional=value.provisional,
                cut=drawn != end,
            )
        )
    return replace(chart, bars=bars, notes_under=_notes_under(values, chart))


def line_chart(
    values: ChartValues,
    *,
    title: str,
    description: str,
    y_label: str,
    x_label: str = "",
    key: str = "",
    detail_heading: str = "",
    y_range: tuple[float, float] | None = None,
    value_format: str = "{:g}",
    markers: Sequence[tuple[int, str]] = (),
    width: int = WIDE,
    height: int = 260,
) -> Chart:
    """A line through the values, broken where a value is None (no data) or provisional (a
    hollow dot of its own).

    `y_range` is the least range the y axis shows (e.g. (0, 100) for a percentage); values
    outside it widen it. Without it the axis covers the values.
    """
    values = _values(values)
    present = _present(values)
    extent = [*present, *(y_range or ())]
    low, high = (min(extent), max(extent)) if extent else (0.0, 1.0)
    chart, y = _chart_frame(
        "line",
        values,
        _y_tick_values(low, high, present, value_format),
        title=title,
        description=description,
        key=key,
        y_label=y_label,
        x_label=x_label,
        detail_heading=detail_heading,
        value_format=value_format,
        markers=markers,
        width=width,
        height=height,
    )
    segments: list[list[Point]] = [[]]
    hollow: list[Point] = []
    for index, value in enumerate(values):
        if value.value is None or value.provisional:
            segments.append([])
        if value.value is None:
            continue
        point = Point(
            px(chart.centre(index)),
            px(y(value.value)),
            value.label,
            value_format.format(value.value),
        )
        (hollow if value.provisional else segments[-1]).append(point)
    return replace(chart, line=[segment for segment in segments if segment], hollow=hollow)


def _chart_frame(
    kind: Literal["bar", "line"],
    values: Sequence[Value],
    tick_values: list[float],
    *,
    title: str,
    description: str,
    key: str,
    y_label: str,
    x_label: str,
    detail_heading: str,
    value_format: str,
    markers: Sequence[tuple[int, str]],
    width: int,
    height: int,
) -> tuple[Chart, LinearScale]:
    """A chart with its axes, ticks, markers and table but no bars or line yet, and its y scale.

    The plot area leaves room on the left for the widest y tick label and above for the
    y-axis label and the marker labels.
    """
    tick_labels = [value_format.format(value) for value in tick_values]
    left = px(EDGE + max(text_width(label) for label in tick_labels) + TEXT_GAP)
    right = width - _RIGHT_MARGIN
    slot = (right - left) / max(len(values), 1)
    centres = [left + (index + 0.5) * slot for index in range(len(values))]
    placed_markers, lanes = _place_markers(markers, centres, y_label, width)
    plot = Box(left, _LANE_HEIGHT * lanes + _ABOVE_PLOT, right, height - _BELOW_PLOT)
    if plot.bottom - plot.top < _MIN_PLOT_HEIGHT:
        raise ValueError(f"A chart {height} high has no room to plot; make it taller.")
    y = LinearScale((tick_values[0], tick_values[-1]), (plot.bottom, plot.top))
    notes: dict[int, list[str]] = {}
    for index, label in markers:
        notes.setdefault(index, []).append(label)
    chart = Chart(
        kind=kind,
        title=title,
        description=description,
        key=key,
        width=width,
        height=height,
        plot=plot,
        bars=[],
        line=[],
        hollow=[],
        notes_under=[],
        no_data=[px(centres[index]) for index, v in enumerate(values) if v.value is None],
        x_ticks=[
            Tick(px(centres[index]), label, _label_x(centres[index], label, width))
            for index, label in _thinned_labels([v.label for v in values], slot)
        ],
        y_ticks=[
            Tick(px(y(value)), label, left - TEXT_GAP)
            for value, label in zip(tick_values, tick_labels, strict=True)
        ],
        markers=placed_markers,
        y_label=fit_text(y_label, width - 2 * EDGE),
        x_label=x_label,
        detail_heading=detail_heading,
        table_rows=[
            TableRow(
                label=v.label,
                value_text=NO_DATA if v.value is None else value_format.format(v.value),
                detail=v.detail,
                note="; ".join(notes.get(index, [])),
            )
            for index, v in enumerate(values)
        ],
    )
    return chart, y


def _values(values: ChartValues) -> list[Value]:
    return [value if isinstance(value, Value) else Value(*value) for value in values]


def _notes_under(values: Sequence[Value], chart: Chart) -> list[NoteUnder]:
    """Each bar's note in the row under the axis, the longest of its choices that fits
    between its neighbours' (or a no-data cross) and still sits under the bar; left to right.
    A bar whose shortest choice does not fit has no note (the table has every detail)."""
    taken = {index for index, value in enumerate(values) if value.notes or value.value is None}
    placed: list[NoteUnder] = []
    right_of_last = float(EDGE)
    for index, value in enumerate(values):
        if value.value is None or not value.notes:
            continue
        x = chart.centre(index)
        before = [other for other in taken if other < index]
        after = [other for other in taken if other > index]
        low = right_of_last
        if before:  # not over the slot of the nearest bar with a note, or a no-data cross
            low = max(low, chart.centre(max(before)) + chart.slot / 2 + TEXT_GAP / 2)
        high: float = chart.width - EDGE
        if after:
            high = chart.centre(min(after)) - chart.slot / 2 - TEXT_GAP / 2
        for text in value.notes:
            half = text_width(text, _NOTE_UNDER_FONT) / 2
            centre = min(max(x, low + half), high - half)
            if centre - half >= low - 0.01 and abs(centre - x) <= half:
                placed.append(NoteUnder(px(centre), chart.plot.bottom + _NOTE_UNDER_Y, text))
                right_of_last = centre + half + TEXT_GAP
                break
    return placed


def _y_tick_values(low: float, high: float, present: list[float], value_format: str) -> list[float]:
    """Gridlines for the y axis: whole steps when every value is a whole number (no "1.5"
    on an axis of counts), and no two that `value_format` writes alike (as "{:.0f}" would
    write 0 and 0.5), taking fewer gridlines until that holds."""
    min_step = 1.0 if all(value.is_integer() for value in present) else 0.0
    candidates = [
        nice_ticks(low, high, max_ticks, min_step=min_step) for max_ticks in range(_Y_TICKS, 2, -1)
    ]
    return next(
        (ticks for ticks in candidates if _distinct_labels(ticks, value_format)), candidates[-1]
    )


def _distinct_labels(ticks: list[float], value_format: str) -> bool:
    labels = {value_format.format(tick) for tick in ticks}
    return len(labels) == len(ticks)


def _present(values: Sequence[Value]) -> list[float]:
    present = [v.value for v in values if v.value is not None]
    if not all(math.isfinite(value) for value in present):
        raise ValueError("Chart values must be finite numbers (or None for no data).")
    return present


def _place_markers(
    markers: Sequence[tuple[int, str]], centres: list[float], y_label: str, width: int
) -> tuple[list[Marker], int]:
    """Label each marker above the plot in the first lane (line of text) where it overlaps
    nothing; the y-axis label takes the start of the first lane. With every lane taken, a
    label goes in the last one, cut to the room it has there, or left out when that leaves
    too little of it to read (its line stays; the table has every marker). Returns the lanes
    used."""
    lanes: list[list[tuple[float, float]]] = [[(EDGE, EDGE + text_width(y_label))]]
    placed = []
    for index, label in markers:
        if not 0 <= index < len(centres):
            raise ValueError(f"Marker {label!r} is at {index}, outside the {len(centres)} values.")
        x = centres[index]
        text, anchor = _marker_text(x, label, width)
        if anchor == "start":
            text_x = x + TEXT_GAP
            span = (text_x, text_x + text_width(text))
        else:
            text_x = x - TEXT_GAP
            span = (text_x - text_width(text), text_x)
        lane = next(
            (number for number, taken in enumerate(lanes) if not _overlaps(span, taken)),
            len(lanes),
        )
        if lane == _MAX_LANES:
            lane = _MAX_LANES - 1
            text, span = _squeezed(label, text_x, anchor, lanes[lane], width)
        if lane == len(lanes):
            lanes.append([])
        lanes[lane].append(span)
        text_y = _LANE_HEIGHT * (lane + 1) - 2
        placed.append(
            Marker(
                x=px(x),
                label=text,
                top=text_y - FONT + 2,
                text_x=px(text_x),
                text_y=text_y,
                anchor=anchor,
            )
        )
    return placed, len(lanes)


_MIN_SQUEEZED = 4  # a label cut to fewer characters than this (before "…") is left out


def _squeezed(
    label: str, text_x: float, anchor: Anchor, taken: list[tuple[float, float]], width: int
) -> tuple[str, tuple[float, float]]:
    """The label cut to the free room beside its line in a lane where `taken` are the spans
    of the other labels, and its span; ("", an empty span) when too little of it would fit."""
    if anchor == "start":
        ends = [start - TEXT_GAP for start, end in taken if end + TEXT_GAP > text_x]
        room = min([*ends, width - EDGE]) - text_x
    else:
        ends = [end + TEXT_GAP for start, end in taken if start - TEXT_GAP < text_x]
        room = text_x - max([*ends, EDGE])
    text = fit_text(label, room)
    if text != label and len(text) <= _MIN_SQUEEZED:
        text = ""
    if not text:
        return "", (text_x, text_x)
    wide = text_width(text)
    return text, (text_x, text_x + wide) if anchor == "start" else (text_x - wide, text_x)


def _marker_text(x: float, label: str, width: int) -> tuple[str, Anchor]:
    """The label and its anchor: right of the line if it fits, else left, else shortened."""
    room_right = width - EDGE - x - TEXT_GAP
    room_left = x - EDGE - TEXT_GAP
    if text_width(label) <= room_right:
        return label, "start"
    if text_width(label) <= room_left:
        return label, "end"
    if room_right >= room_left:
        return fit_text(label, room_right), "start"
    return fit_text(label, room_left), "end"


def _overlaps(span: tuple[float, float], taken: list[tuple[float, float]]) -> bool:
    return any(span[0] < end + TEXT_GAP and start < span[1] + TEXT_GAP for start, end in taken)


def _thinned_labels(labels: list[str], slot: float) -> list[tuple[int, str]]:
    """Every n-th label, counted back from the last (the latest period is always labelled),
    with n just large enough that the widest label does not touch its neighbours."""
    if not labels:
        return []
    widest = max(text_width(label) for label in labels)
    every = max(1, math.ceil((widest + 2 * TEXT_GAP) / slot))
    return [(index, labels[index]) for index in range(len(labels) - 1, -1, -every)][::-1]


def _label_x(x: float, label: str, width: int) -> float:
    """The centre of a label at `x`, moved inwards if it would run off the drawing."""
    half = text_width(label) / 2
    return px(min(max(x, EDGE + half), width - EDGE - half))


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * size * _CHAR_WIDTH


def fit_text(text: str, max_width: float, size: float = FONT) -> str:
    """The text, shortened with an ellipsis if it would be wider than `max_width`."""
    max_chars = int(max_width // (size * _CHAR_WIDTH))
    if len(text) <= max_chars:
        return text
    return text[: max(max_chars - 1, 0)].rstrip() + "…"


def px(value: float) -> float:
    return round(value, 2)
