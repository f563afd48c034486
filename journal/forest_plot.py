"""Forest plots: each factor's ratio and 95% interval on a log scale, drawn by
templates/charts/forest_plot.html like the other charts (see journal/charts.py).

On a wide drawing the labels are a column left of the plot; on a narrow one (a phone's) each
row's label and note sit above its interval, which spans the drawing, and the gridlines are
drawn only beside the intervals, never through the text.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from journal.charts import (
    EDGE,
    FONT,
    TEXT_GAP,
    WIDE,
    Box,
    LinearScale,
    Tick,
    fit_text,
    px,
    text_width,
)

_LABEL_FONT = 14  # forest plot row labels
_NOTE_FONT = 12  # forest plot notes
_FOREST_TOP = 8
_FOREST_LABEL_Y, _FOREST_INTERVAL_Y, _FOREST_NOTE_Y = 18, 22, 35  # from the top of the row
_FOREST_ROW = 44  # a row holds a label, then a note, with the interval between them
_FOREST_SIDE = 24  # between the label column and the plot, and right of the plot
_FOREST_BELOW = 46  # tick labels, then the "fewer / more" hints
_FOREST_LIMITS = (2, 5, 10, 20, 50, 100)  # the x axis runs from 1/limit to limit
_FOREST_MAX_TICKS = 9
_STACKED_UNDER = 480  # a drawing narrower than this puts each row's texts above its interval
_STACKED_TOP = 24  # room for the axis label above the first row
_STACKED_LABEL_Y, _STACKED_INTERVAL_Y, _STACKED_NOTE_Y = 16, 46, 31
_STACKED_ROW = 60
_GRID_REACH = 11  # a stacked row's gridlines run this far above and below its interval
_HINT_FONTS = (FONT, 12, 11)  # the "fewer / more" hints take the largest that fits


@dataclass(frozen=True)
class ForestRow:
    label: str
    estimate: float | None
    low: float | None
    high: float | None
    note: str  # e.g. "RR 2.1 (1.4–3.2)" or "not enough data yet: 4 more nights with"
    emphasised: bool = False  # drawn thicker and in the accent colour (the page's claim)


@dataclass(frozen=True)
class PlacedForestRow:
    """A forest plot row, laid out. x values are None when the row has no estimate."""

    label: str
    note: str
    short_label: str  # as drawn, shortened to fit the label column
    short_note: str
    top: float
    y: float  # of the interval line
    label_y: float
    note_y: float
    x_estimate: float | None
    x_low: float | None
    x_high: float | None
    low_clipped: bool  # the interval runs on past the edge of the axis
    high_clipped: bool
    emphasised: bool


@dataclass(frozen=True)
class ForestPlot:
    title: str
    description: str
    width: int
    height: int
    plot: Box
    rows: list[PlacedForestRow]
    x_ticks: list[Tick]  # on a log scale, symmetric around 1
    no_difference_x: float  # x of the line at 1
    axis_label: str
    lower_hint: str  # under the axis, left of 1
    higher_hint: str  # right of 1
    label_heading: str  # column headings of the table
    note_heading: str
    axis_label_y: float  # baseline of the axis label: under the axis, or above the rows
    hint_font: int
    grid_path: str  # SVG path data of the gridlines at the ticks
    reference_path: str  # ... and of the line at 1


def forest_plot(
    rows: Sequence[ForestRow],
    *,
    title: str,
    description: str,
    width: int = WIDE,
    axis_label: str = "Risk ratio",
    lower_hint: str = "← fewer cramp nights",
    higher_hint: str = "more cramp nights →",
    label_heading: str = "Factor",
    note_heading: str = "Result",
) -> ForestPlot:
    """Each row's estimate and 95% interval on a log scale, where 2 and 0.5 are equally far
    from 1. The axis runs from 1/L to L for the smallest L in 2, 5, 10, 20, 50, 100 that
    holds every value; an interval reaching past 100 (or below 0.01) is cut with an arrow.
    """
    for row in rows:
        _check_forest_row(row)
    stacked = width < _STACKED_UNDER
    if stacked:
        label_column = px(width - 2 * EDGE)
        top, row_height = _STACKED_TOP, _STACKED_ROW
        plot = Box(_FOREST_SIDE, top, width - _FOREST_SIDE, top + len(rows) * row_height)
    else:
        label_column = _forest_label_column(rows, axis_label, width)
        top, row_height = _FOREST_TOP, _FOREST_ROW
        plot = Box(
            label_column + _FOREST_SIDE, top, width - _FOREST_SIDE, top + len(rows) * row_height
        )
    limit = _forest_limit(rows)
    scale = LinearScale((-math.log10(limit), math.log10(limit)), (plot.left, plot.right))

    def x_of(value: float) -> float:
        return px(scale(math.log10(min(max(value, 1 / limit), limit))))

    ticks = [
        Tick(position=x_of(value), label=f"{value:g}", text_x=x_of(value))
        for value in _forest_tick_values(limit, plot.right - plot.left)
    ]
    placed = [
        _place_forest_row(row, top + index * row_height, label_column, x_of, limit, stacked)
        for index, row in enumerate(rows)
    ]
    no_difference_x = x_of(1.0)
    # Gridlines beside each interval when the texts sit above it; else the plot's full height.
    spans = (
        [(row.y - _GRID_REACH, row.y + _GRID_REACH) for row in placed]
        if stacked
        else [(plot.top, plot.bottom)]
    )
    hint_room = (no_difference_x - TEXT_GAP - EDGE, width - no_difference_x - TEXT_GAP - EDGE)
    hint_font = next(
        (
            size
            for size in _HINT_FONTS
            if text_width(lower_hint, size) <= hint_room[0]
            and text_width(higher_hint, size) <= hint_room[1]
        ),
        _HINT_FONTS[-1],
    )
    return ForestPlot(
        title=title,
        description=description,
        width=width,
        height=int(plot.bottom + _FOREST_BELOW),
        plot=plot,
        rows=placed,
        x_ticks=ticks,
        no_difference_x=no_difference_x,
        axis_label=fit_text(axis_label, width - 2 * EDGE if stacked else label_column, FONT),
        lower_hint=fit_text(lower_hint, hint_room[0], hint_font),
        higher_hint=fit_text(higher_hint, hint_room[1], hint_font),
        label_heading=label_heading,
        note_heading=note_heading,
        axis_label_y=_STACKED_TOP - 10 if stacked else plot.bottom + 18,
        hint_font=hint_font,
        grid_path=_vertical_lines([tick.position for tick in ticks], spans),
        reference_path=_vertical_lines([no_difference_x], spans),
    )


def _vertical_lines(xs: Sequence[float], spans: Sequence[tuple[float, float]]) -> str:
    """SVG path data of a vertical line at each x over each span of y."""
    return "".join(f"M{x} {px(y1)}V{px(y2)}" for x in xs for y1, y2 in spans)


def _check_forest_row(row: ForestRow) -> None:
    if row.estimate is None:
        if row.low is not None or row.high is not None:
            raise ValueError(f"Row {row.label!r} has an interval but no estimate.")
        return
    if row.low is None or row.high is None:
        raise ValueError(f"Row {row.label!r} has an estimate but no interval.")
    if not (0 < row.low <= row.estimate <= row.high and math.isfinite(row.high)):
        raise ValueError(
            f"Row {row.label!r} needs 0 < low <= estimate <= high, "
            f"not {row.low}, {row.estimate}, {row.high}."
        )


def _forest_label_column(rows: Sequence[ForestRow], axis_label: str, width: int) -> float:
    """Width of the column of labels and notes: the widest text, at most 45% of the width."""
    widest = max(
        (max(text_width(row.label, _LABEL_FONT), text_width(row.note, _NOTE_FONT)) for row in rows),
        default=0.0,
    )
    return px(min(max(widest, text_width(axis_label)), width * 0.45))


def _forest_limit(rows: Sequence[ForestRow]) -> int:
    """The smallest limit L for an axis from 1/L to L that holds every value (at most 100)."""
    farthest = max(
        (
            max(value, 1 / value)
            for row in rows
            for value in (row.estimate, row.low, row.high)
            if value is not None
        ),
        default=1.0,
    )
    return next((limit for limit in _FOREST_LIMITS if limit >= farthest), _FOREST_LIMITS[-1])


def _forest_tick_values(limit: int, plot_width: float) -> list[float]:
    """1, 2 and 5 × 10^k from 1/limit to limit: symmetric, as 1/2 = 0.5 and 1/5 = 0.2.
    Past nine ticks, or when their labels would touch in `plot_width`, only the powers of
    ten and the ends are kept."""
    bound = Fraction(limit)
    decades = [Fraction(10) ** exponent for exponent in range(-2, 3)]
    values = [multiple * decade for decade in decades for multiple in (1, 2, 5)]
    within = [value for value in values if 1 / bound <= value <= bound]
    widest = max(text_width(f"{float(value):g}") for value in within)
    crowded = plot_width / (len(within) - 1) < widest + TEXT_GAP
    if len(within) > _FOREST_MAX_TICKS or crowded:
        within = [value for value in within if value in decades or value in (1 / bound, bound)]
    return [float(value) for value in within]


def _place_forest_row(
    row: ForestRow,
    top: float,
    label_column: float,
    x_of: Callable[[float], float],
    limit: int,
    stacked: bool,
) -> PlacedForestRow:
    label_y, interval_y, note_y = (
        (_STACKED_LABEL_Y, _STACKED_INTERVAL_Y, _STACKED_NOTE_Y)
        if stacked
        else (_FOREST_LABEL_Y, _FOREST_INTERVAL_Y, _FOREST_NOTE_Y)
    )
    return PlacedForestRow(
        label=row.label,
        note=row.note,
        short_label=fit_text(row.label, label_column, _LABEL_FONT),
        short_note=fit_text(row.note, label_column, _NOTE_FONT),
        top=top,
        y=top + interval_y,
        label_y=top + label_y,
        note_y=top + note_y,
        x_estimate=None if row.estimate is None else x_of(row.estimate),
        x_low=None if row.low is None else x_of(row.low),
        x_high=None if row.high is None else x_of(row.high),
        low_clipped=row.low is not None and row.low < 1 / limit,
        high_clipped=row.high is not None and row.high > limit,
        emphasised=row.emphasised,
    )
