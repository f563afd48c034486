"""Charts drawn for a phone's width as well as a wide screen's (journal.charts.Drawings): the
narrow geometry, markers that run out of lanes, the forest plot's stacked rows, and the
templates writing both drawings."""

import re
from itertools import pairwise
from typing import TypedDict

import pytest
from django.template.loader import render_to_string

from journal.charts import (
    NARROW,
    TEXT_GAP,
    WIDE,
    Drawings,
    Value,
    at_both_widths,
    bar_chart,
    line_chart,
    text_width,
)
from journal.forest_plot import ForestRow, forest_plot


class Texts(TypedDict):
    title: str
    description: str


TEXTS: Texts = {"title": "Cramps per week", "description": "Cramps a week, by week."}
WEEKS = [Value(f"{day} Jan", 1.0, provisional=day == 26) for day in (5, 12, 19, 26)] * 6


def bars(width, markers=()):
    return bar_chart(WEEKS, **TEXTS, y_label="cramps a week", markers=markers, width=width)


def forest(rows, width):
    return forest_plot(rows, title="Factors", description="Risk ratios.", width=width)


def factor(label, estimate, low, high):
    return ForestRow(label, estimate, low, high, note=f"{estimate} ({low}–{high})")


def label_spans(chart):
    """(lane baseline, left, right) of each marker label drawn."""
    spans = []
    for marker in chart.markers:
        if not marker.label:
            continue
        wide = text_width(marker.label)
        left = marker.text_x if marker.anchor == "start" else marker.text_x - wide
        spans.append((marker.text_y, left, left + wide))
    return spans


def test_a_chart_is_drawn_at_the_wide_and_the_narrow_width():
    drawings = at_both_widths(bars)
    assert isinstance(drawings, Drawings)
    assert (drawings.wide.width, drawings.narrow.width) == (WIDE, NARROW) == (640, 300)
    assert drawings.wide.table_rows == drawings.narrow.table_rows  # the same values
    # Drawn for the width: fewer x labels, the latest week's always among them, none touching.
    wide_labels = [tick.label for tick in drawings.wide.x_ticks]
    narrow_ticks = drawings.narrow.x_ticks
    assert 2 <= len(narrow_ticks) < len(wide_labels)
    assert narrow_ticks[-1].label == WEEKS[-1].label
    for before, after in pairwise(narrow_ticks):
        gap = after.text_x - before.text_x
        assert gap >= (text_width(before.label) + text_width(after.label)) / 2 + TEXT_GAP
    for tick in narrow_ticks:  # centred on their text_x, inside the drawing
        assert tick.text_x - text_width(tick.label) / 2 >= 0
        assert tick.text_x + text_width(tick.label) / 2 <= NARROW


def test_y_tick_labels_stay_inside_a_narrow_drawing():
    chart = bars(NARROW)
    for tick in chart.y_ticks:  # anchored at their end, left of the plot
        assert tick.text_x - text_width(tick.label) >= 0
        assert tick.text_x < chart.plot.left


def test_marker_labels_never_overlap_when_the_lanes_run_out():
    markers = [(2, "Atorvastatin started"), (6, "Magnesium started"), (9, "Magnesium stopped")]
    chart = bars(NARROW, markers)
    spans = label_spans(chart)
    for (lane, _left, right), (other_lane, other_left, _other_right) in pairwise(sorted(spans)):
        if lane == other_lane:
            assert right + TEXT_GAP <= other_left + 0.01
    for _lane, left, right in spans:
        assert left >= 0 and right <= NARROW
    # Every marker keeps its line and its note in the table, drawn label or not.
    centres = [pytest.approx(chart.centre(index), abs=0.01) for index, _ in markers]
    assert [marker.x for marker in chart.markers] == centres
    assert [row.note for row in chart.table_rows if row.note] == [label for _, label in markers]


def test_a_label_with_no_free_lane_is_cut_to_the_room_it_has_or_left_out():
    # Three labels at one change fill the three lanes right of it; a later label to the
    # left of them has no free lane and, in the last, the room up to theirs.
    values = [Value(str(n), 1.0) for n in range(40)]
    crowd = [(12, "Right one"), (12, "Right two"), (12, "Right three")]
    chart = bar_chart(
        values,
        **TEXTS,
        y_label="cramps",
        markers=[*crowd, (9, "Fourth change is long"), (11, "Too close to the others")],
        width=WIDE,
    )
    *right, cut, left_out = chart.markers
    assert len({marker.text_y for marker in right}) == 3
    assert cut.text_y == left_out.text_y == right[-1].text_y  # the last lane
    assert cut.label == "Four…"  # the shortest cut kept: four letters
    assert cut.text_x + text_width(cut.label) + TEXT_GAP <= right[-1].text_x
    assert left_out.label == ""  # "To…" would say nothing
    assert left_out.x == pytest.approx(chart.centre(11), abs=0.01)  # its line stays
    assert chart.table_rows[11].note == "Too close to the others"


def test_a_label_left_of_its_line_is_cut_to_the_room_on_its_left():
    values = [Value(str(n), 1.0) for n in range(40)]
    crowd = [(28, "Right one"), (28, "Right two"), (28, "Right three")]
    chart = bar_chart(
        values, **TEXTS, y_label="cramps", markers=[*crowd, (39, "Far right change")], width=WIDE
    )
    *right, last = chart.markers
    assert last.anchor == "end" and last.text_y == right[-1].text_y
    assert last.label == "Far rig…"
    crowd_end = right[-1].text_x + text_width(right[-1].label)
    assert last.text_x - text_width(last.label) >= crowd_end + TEXT_GAP - 0.01


def test_line_charts_take_the_same_widths():
    values = [(f"{day} Jan", 50.0 + day) for day in range(1, 30)]
    narrow = line_chart(values, **TEXTS, y_label="%", width=NARROW)
    assert narrow.width == NARROW
    assert max(point.x for segment in narrow.line for point in segment) <= NARROW


# --- The forest plot at a phone's width ------------------------------------------------------

ROWS = [
    factor("Fluids under your daily target (2,000 ml)", 1.71, 1.17, 2.5),
    factor("8 hours or more on your feet", 1.56, 0.95, 2.57),
    ForestRow("Any alcohol", None, None, None, "Not enough data yet: 3 more nights with"),
]


def test_a_narrow_forest_plot_puts_each_rows_texts_above_its_interval():
    plot = forest(ROWS, NARROW)
    assert plot.plot.left < 30 and plot.plot.right > NARROW - 30  # the axis spans the drawing
    for placed in plot.rows:
        assert placed.top < placed.label_y < placed.note_y < placed.y
        assert placed.short_label == placed.label or len(placed.short_label) > 30
    assert plot.rows[1].short_label == "8 hours or more on your feet"  # cut in the wide plot
    assert plot.axis_label_y < plot.rows[0].label_y  # above the rows, not beside the ticks
    # Gridlines run beside each interval only, never through a label or note.
    for segment in re.findall(r"M([\d.]+) ([\d.]+)V([\d.]+)", plot.grid_path):
        top, bottom = float(segment[1]), float(segment[2])
        for placed in plot.rows:
            assert not top <= placed.note_y <= bottom
            assert not top <= placed.label_y <= bottom
    reference = re.findall(r"M([\d.]+) ", plot.reference_path)
    assert {float(x) for x in reference} == {plot.no_difference_x}
    assert len(reference) == len(ROWS)


def test_a_wide_forest_plot_keeps_its_label_column():
    plot = forest(ROWS, WIDE)
    assert plot.plot.left > 200
    assert all(placed.label_y < placed.y < placed.note_y for placed in plot.rows)
    ticks = len(plot.x_ticks)
    assert plot.grid_path.count("M") == ticks  # each gridline the plot's full height
    assert f"{plot.plot.top}V{plot.plot.bottom}" in plot.grid_path
    assert plot.axis_label_y > plot.plot.bottom


def test_narrow_forest_ticks_are_thinned_when_their_labels_would_touch():
    rows = [factor("Wide", 3, 0.06, 15)]  # an axis from 1/20 to 20
    wide = [tick.label for tick in forest(rows, WIDE).x_ticks]
    narrow = [tick.label for tick in forest(rows, NARROW).x_ticks]
    assert wide == ["0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "20"]
    assert narrow == ["0.05", "0.1", "1", "10", "20"]


def test_the_fewer_and_more_hints_shrink_to_fit_rather_than_being_cut():
    wide, narrow = forest(ROWS, WIDE), forest(ROWS, NARROW)
    assert wide.hint_font == 13 and narrow.hint_font < 13
    assert narrow.lower_hint == "← fewer cramp nights"
    assert narrow.higher_hint == "more cramp nights →"
    room = narrow.no_difference_x - TEXT_GAP
    assert text_width(narrow.lower_hint, narrow.hint_font) <= room


# --- The templates write both drawings -------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "draw"),
    [
        ("charts/bar_chart.html", bars),
        (
            "charts/line_chart.html",
            lambda width: line_chart(WEEKS, **TEXTS, y_label="cramps", width=width),
        ),
        ("charts/forest_plot.html", lambda width: forest(ROWS, width)),
    ],
)
def test_a_template_given_both_drawings_writes_both_with_one_caption_and_table(template, draw):
    drawings = at_both_widths(draw)
    html = render_to_string(template, {"chart": drawings.wide, "narrow": drawings.narrow})
    assert html.count('class="chart-svg chart-svg-wide"') == 1
    narrow = '<div class="chart-narrow" hidden><svg class="chart-svg chart-svg-narrow"'
    assert html.count(narrow) == 1  # shown only by the stylesheet
    assert f'viewBox="0 0 {WIDE} ' in html and f'viewBox="0 0 {NARROW} ' in html
    assert html.count("<figcaption>") == 1
    assert html.count("Show as a table") == 1
    ids = re.findall(r'<pattern id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # hatched bars of each drawing fill from their own pattern
    alone = render_to_string(template, {"chart": drawings.wide})  # the summary and the PDF
    assert 'class="chart-svg"' in alone and "chart-svg-narrow" not in alone
