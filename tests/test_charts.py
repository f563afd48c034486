"""journal.charts geometry and the templates/charts/ SVG templates."""

import math
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from journal.charts import (
    NO_DATA,
    LinearScale,
    Value,
    bar_chart,
    line_chart,
    nice_ticks,
)
from journal.forest_plot import ForestRow, forest_plot

SVG = "{http://www.w3.org/2000/svg}"
TEXTS = {"title": "Cramp nights per week", "description": "Each week's nights with cramps."}


def bars_of(values, **options):
    return bar_chart(values, **TEXTS, y_label="Nights", **options)


def line_of(values, **options):
    return line_chart(values, **TEXTS, y_label="Sleep efficiency", **options)


def forest_of(rows):
    return forest_plot(rows, title="What goes with cramps", description="Risk ratios.")


def row(label, estimate, low, high):
    return ForestRow(label, estimate, low, high, note=f"RR {estimate}")


# Scales and ticks


def test_scale_maps_ends_to_ends_and_is_linear():
    scale = LinearScale(domain=(10, 20), pixels=(200, 0))  # y runs downwards
    assert scale(10) == 200
    assert scale(20) == 0
    assert scale(15) == 100
    assert scale(12.5) == 150
    assert scale(25) == -100  # beyond the domain it carries on in a straight line


def test_scale_needs_a_domain_of_some_width():
    with pytest.raises(ValueError):
        LinearScale(domain=(3, 3), pixels=(0, 100))


@pytest.mark.parametrize(
    ("low", "high", "max_ticks", "expected"),
    [
        # 7 / 4 gaps = 1.75 at least: 1 gives 8 ticks, 2 gives 0..8 = 5 ticks.
        (0, 7, 5, [0, 2, 4, 6, 8]),
        # 1 / 4 = 0.25 at least: 0.5 is the first 1/2/5 step that fits in 5 ticks.
        (0, 1, 5, [0, 0.5, 1]),
        # 1 / 5 = 0.2: fits in 6 ticks, as charts ask for; exact decimals, no 0.6000000001.
        (0, 1, 6, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0.1, 0.3, 5, [0.1, 0.15, 0.2, 0.25, 0.3]),
        (-3.2, 17.9, 5, [-10, 0, 10, 20]),
        (3, 1000, 5, [0, 500, 1000]),
        # A single value is widened by a tenth either side: 4.5 to 5.5.
        (5, 5, 5, [4.5, 5, 5.5]),
        # ... and 0 by 1 either side.
        (0, 0, 5, [-1, -0.5, 0, 0.5, 1]),
    ],
)
def test_nice_ticks_by_hand(low, high, max_ticks, expected):
    assert nice_ticks(low, high, max_ticks) == expected


def test_nice_ticks_with_a_smallest_step():
    # Counts: 0.2 and 0.5 are too small a step, so (0, 1) becomes just 0 and 1.
    assert nice_ticks(0, 1, 6, min_step=1) == [0, 1]
    assert nice_ticks(0, 3, 6, min_step=1) == [0, 1, 2, 3]
    # A step larger than needed anyway is unaffected: 7 / 5 = 1.4 at least gives 2.
    assert nice_ticks(0, 7, 6, min_step=1) == [0, 2, 4, 6, 8]
    with pytest.raises(ValueError):
        nice_ticks(0, 1, min_step=-1)


@pytest.mark.parametrize(
    ("low", "high", "max_ticks"), [(2, 1, 5), (0, math.inf, 5), (math.nan, 1, 5), (-1, 1, 2)]
)
def test_nice_ticks_refuses_impossible_ranges(low, high, max_ticks):
    with pytest.raises(ValueError):
        nice_ticks(low, high, max_ticks)


reasonable = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_subnormal=False)


@given(
    reasonable,
    reasonable,
    st.integers(min_value=3, max_value=12),
    st.sampled_from([0.0, 1.0, 0.25, 1000.0]),
)
def test_nice_ticks_cover_the_range_in_round_steps(a, b, max_ticks, min_step):
    low, high = sorted((a, b))
    ticks = nice_ticks(low, high, max_ticks, min_step=min_step)
    assert 2 <= len(ticks) <= max_ticks
    assert ticks[1] - ticks[0] >= min_step
    assert ticks[0] <= low
    assert ticks[-1] >= high
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, nice, rel_tol=1e-6) for nice in (1, 2, 5, 10))
    for before, after in pairwise(ticks):
        assert after - before == pytest.approx(step, rel=1e-6)


# Bar charts


def test_bar_heights_are_proportional_and_stand_on_zero():
    chart = bars_of([("a", 1), ("b", 2), ("c", None), ("d", 4)])
    left, top, right, bottom = chart.plot
    assert [bar.label for bar in chart.bars] == ["a", "b", "d"]  # no bar for "c"
    heights = [bar.height for bar in chart.bars]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.02)
    assert heights[2] == pytest.approx(4 * heights[0], abs=0.02)
    # Ticks 0, 1, 2, 3, 4: the bar of 4 reaches the top of the plot, every bar the bottom.
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert chart.bars[2].y == pytest.approx(top)
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(bottom)
        assert left <= bar.x and bar.x + bar.width <= right


def test_a_missing_value_is_marked_and_said_in_the_table():
    chart = bars_of([("a", 1), ("b", None), ("c", 0)])
    assert chart.no_data == [pytest.approx(chart.centre(1), abs=0.01)]
    assert [row.value_text for row in chart.table_rows] == ["1", NO_DATA, "0"]
    # A zero is a bar of no height, not "no data"; the 1 fills the plot (ticks 0 to 1).
    full_height = chart.plot.bottom - chart.plot.top
    assert [(bar.label, bar.height) for bar in chart.bars] == [("a", full_height), ("c", 0)]


def test_bars_are_centred_in_equal_slots():
    chart = bars_of([(str(day), day) for day in range(1, 8)])
    centres = [bar.x + bar.width / 2 for bar in chart.bars]
    gaps = {round(after - before, 1) for before, after in pairwise(centres)}
    assert len(gaps) == 1
    assert centres[0] - chart.plot.left == pytest.approx(chart.plot.right - centres[-1], abs=0.02)


def test_only_zeros_show_an_axis_from_0_to_1():
    chart = bars_of([("a", 0), ("b", 0)])
    assert [tick.label for tick in chart.y_ticks] == ["0", "1"]
    assert all(bar.height == 0 for bar in chart.bars)


def test_counts_get_whole_number_gridlines():
    # 0 to 2 in at most 6 ticks would be 0, 0.5, ..., 2; cramps come whole: 0, 1, 2.
    chart = bars_of([("Mon", 0), ("Tue", 2), ("Wed", 1)])
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2"]
    # With a fraction among the values, half steps are fine.
    chart = bars_of([("Mon", 0), ("Tue", 2), ("Wed", 1.5)])
    assert [tick.label for tick in chart.y_ticks] == ["0", "0.5", "1", "1.5", "2"]


def test_gridlines_never_share_a_label():
    # "{:.0f}" would write 0, 0.5, 1, 1.5, 2 as 0, 0, 1, 2, 2: fewer gridlines instead.
    chart = bars_of([("a", 0.3), ("b", 1.7)], value_format="{:.0f}")
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2"]


def test_negative_values_hang_below_zero():
    chart = bars_of([("up", 2), ("down", -1)])
    up, down = chart.bars
    zero = next(tick.position for tick in chart.y_ticks if tick.label == "0")
    assert up.y + up.height == pytest.approx(zero)
    assert down.y == pytest.approx(zero)
    assert down.height == pytest.approx(up.height / 2, abs=0.02)


def test_markers_sit_at_the_centre_of_their_bar():
    values = [(f"w{week}", 1.0) for week in range(10)]
    chart = bars_of(values, markers=[(3, "Atorvastatin started")])
    (marker,) = chart.markers
    bar = chart.bars[3]
    assert marker.x == pytest.approx(bar.x + bar.width / 2, abs=0.02)
    assert marker.label == "Atorvastatin started"
    assert chart.table_rows[3].note == "Atorvastatin started"
    assert chart.has_notes


def test_overlapping_marker_labels_go_on_separate_lines():
    values = [(f"w{week}", 1.0) for week in range(10)]
    chart = bars_of(values, markers=[(3, "Atorvastatin started"), (4, "Magnesium started")])
    assert len({marker.text_y for marker in chart.markers}) == 2
    assert chart.plot.top > max(marker.text_y for marker in chart.markers)


def test_a_marker_near_the_right_edge_is_labelled_on_its_left():
    values = [(f"w{week}", 1.0) for week in range(10)]
    (marker,) = bars_of(values, markers=[(9, "Stopped")]).markers
    assert marker.anchor == "end"
    assert marker.text_x < marker.x


def test_a_marker_outside_the_values_is_refused():
    with pytest.raises(ValueError):
        bars_of([("a", 1)], markers=[(1, "Too late")])


def test_non_finite_values_are_refused():
    with pytest.raises(ValueError):
        bars_of([("a", math.inf)])


def test_x_labels_are_thinned_so_they_do_not_overlap_and_the_latest_is_kept():
    labels = [f"{day} Jan" if day < 32 else f"{day - 31} Feb" for day in range(1, 53)]
    chart = bars_of([(label, 1.0) for label in labels])
    shown = [tick.label for tick in chart.x_ticks]
    assert 3 < len(shown) < len(labels)
    assert shown[-1] == labels[-1]
    positions = [tick.position for tick in chart.x_ticks]
    # A 6-character label at 13 px is about 47 px wide.
    assert min(after - before for before, after in pairwise(positions)) > 47


def test_few_values_are_all_labelled():
    chart = bars_of([("Mon", 1), ("Tue", 2), ("Wed", 3)])
    assert [tick.label for tick in chart.x_ticks] == ["Mon", "Tue", "Wed"]


def test_no_values_at_all_still_make_a_chart():
    chart = bars_of([])
    assert chart.bars == []
    assert chart.table_rows == []


@given(
    st.lists(
        st.tuples(st.text(max_size=12), st.none() | reasonable),
        max_size=60,
    )
)
def test_every_bar_lies_inside_the_plot_area(values):
    chart = bars_of(values)
    left, top, right, bottom = chart.plot
    tolerance = 1e-9
    for bar in chart.bars:
        assert bar.height >= 0
        assert bar.width > 0
        assert left - tolerance <= bar.x
        assert bar.x + bar.width <= right + tolerance
        assert top - tolerance <= bar.y
        assert bar.y + bar.height <= bottom + tolerance


# Provisional values: few nights, or a period not over yet


def test_a_value_that_does_not_set_the_scale_is_cut_at_the_top_of_the_axis():
    chart = bars_of([("a", 2), ("b", 4), Value("c", 35, provisional=True, sets_scale=False)])
    a, b, c = chart.bars
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert (c.provisional, c.cut) == (True, True)
    assert c.y == pytest.approx(chart.plot.top) and c.y + c.height == pytest.approx(b.y + b.height)
    assert not (a.cut or b.cut or a.provisional or b.provisional)
    assert chart.cut_bars_text == (
        "A bar with a break across its top is taller than the axis: c, 35 Nights."
    )
    # A provisional value that rests on enough nights still sets the scale.
    chart = bars_of([("a", 2), Value("b", 8, provisional=True)])
    assert chart.y_ticks[-1].label == "8" and not chart.bars[1].cut
    assert chart.cut_bars_text == ""


def test_when_no_value_sets_the_scale_all_of_them_do():
    chart = bars_of([Value("a", 3, provisional=True, sets_scale=False), ("b", None)])
    assert chart.y_ticks[-1].label == "3" and not chart.bars[0].cut


def test_notes_under_bars_take_the_longest_text_that_fits():
    notes = ("2 nights so far", "2 so far", "2")
    wide = bars_of([("a", 1), Value("b", 1, notes=notes)], width=400)
    assert [note.text for note in wide.notes_under] == ["2 nights so far"]
    # Eight values in 640: the last may reach into its neighbours' room when they have none.
    values = [(f"w{n}", 1) for n in range(7)]
    alone = bars_of([*values, Value("w7", 1, notes=notes)])
    assert [note.text for note in alone.notes_under] == ["2 nights so far"]
    (note,) = alone.notes_under
    assert note.x + len(note.text) * 11 * 0.6 / 2 <= alone.width - 4 + 0.01  # inside the drawing
    # With a note under every bar, each keeps to its own slot.
    crowded = bars_of([Value(f"w{n}", 1, notes=("7 nights", "7")) for n in range(30)])
    assert {note.text for note in crowded.notes_under} == {"7"}
    positions = [note.x for note in crowded.notes_under]
    assert len(positions) == 30 and all(
        b - a >= crowded.slot - 0.02 for a, b in pairwise(positions)
    )
    # Nothing fits in a slot narrower than one character: no note (the table has them).
    assert bars_of([Value(f"d{n}", 1, notes=("7",)) for n in range(200)]).notes_under == []


def test_the_table_lists_each_values_detail():
    chart = bars_of(
        [Value("a", 1, detail="7 of 7 nights logged"), Value("b", None, detail="0 of 7")],
        detail_heading="Nights logged",
    )
    html = render_to_string("charts/bar_chart.html", {"chart": chart})
    assert '<th scope="col">Nights logged</th>' in html
    assert "<td>7 of 7 nights logged</td>" in html and "<td>0 of 7</td>" in html
    assert "Nights logged" not in render_to_string(
        "charts/bar_chart.html", {"chart": bars_of([("a", 1)])}
    )


def test_provisional_bars_are_hatched_with_a_pattern_and_explained_in_the_legend():
    chart = bars_of(
        [("a", 1), Value("b", 9, provisional=True, sets_scale=False, notes=("2 so far",))],
        key="Hatched: too few nights.",
    )
    html = render_to_string("charts/bar_chart.html", {"chart": chart})
    svg = svg_of(html)
    (pattern,) = svg.findall(f".//{SVG}pattern")
    assert pattern.get("id") == chart.hatch_id == "hatch-cramp-nights-per-week-640"
    hatched = svg.findall(f".//{SVG}rect[@class='chart-bar-provisional']")
    assert [rect.get("fill") for rect in hatched] == [f"url(#{chart.hatch_id})"]
    assert len(svg.findall(f".//{SVG}rect[@class='chart-bar']")) == 1
    assert len(svg.findall(f".//{SVG}path[@class='chart-break']")) == 1
    notes = svg.findall(f".//{SVG}g[@class='chart-note-under']/{SVG}text")
    assert [text.text for text in notes] == ["2 so far"]
    assert "Hatched: too few nights." in html and 'class="chart-swatch"' in html
    assert "taller than the axis: b, 9 Nights." in html
    assert "style=" not in html
    # Without provisional values: no pattern, no swatch.
    plain = render_to_string("charts/bar_chart.html", {"chart": bars_of([("a", 1)])})
    assert "<pattern" not in plain and "chart-swatch" not in plain


def test_a_provisional_point_is_hollow_and_off_the_line():
    chart = line_of([("a", 80), ("b", 85), Value("c", 60, provisional=True), ("d", 82)])
    assert [[point.label for point in segment] for segment in chart.line] == [["a", "b"], ["d"]]
    assert [point.label for point in chart.hollow] == ["c"]
    assert chart.has_provisional
    svg = svg_of(render_to_string("charts/line_chart.html", {"chart": chart}))
    assert len(svg.findall(f".//{SVG}circle[@class='chart-point-hollow']")) == 1
    assert len(svg.findall(f".//{SVG}circle[@class='chart-point']")) == 3


# Line charts


def test_the_line_breaks_where_values_are_missing():
    chart = line_of([("a", 80), ("b", 85), ("c", None), ("d", 70), ("e", None), ("f", 75)])
    assert [[point.label for point in segment] for segment in chart.line] == [
        ["a", "b"],
        ["d"],
        ["f"],
    ]
    assert chart.bars == []
    assert len(chart.no_data) == 2


def test_line_points_are_placed_on_the_y_scale():
    chart = line_of([("a", 50), ("b", 100)], y_range=(0, 100))
    assert [tick.label for tick in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]
    (segment,) = chart.line
    middle = (chart.plot.top + chart.plot.bottom) / 2
    assert segment[0].y == pytest.approx(middle, abs=0.01)
    assert segment[1].y == pytest.approx(chart.plot.top)


def test_values_outside_y_range_widen_the_axis():
    chart = line_of([("a", 120)], y_range=(0, 100), value_format="{:.0f}%")
    assert chart.y_ticks[-1].label == "150%"  # 0..120 in at most 6 ticks: steps of 50
    assert chart.table_rows[0].value_text == "120%"


def test_without_y_range_the_axis_covers_the_values():
    chart = line_of([("a", 72), ("b", 88)])
    labels = [float(tick.label) for tick in chart.y_ticks]
    assert labels[0] <= 72 and labels[-1] >= 88
    assert labels[0] > 0  # a line chart need not start at zero


# Forest plots


def test_forest_scale_is_logarithmic_and_symmetric_around_one():
    plot = forest_of([row("Up", 2, 2, 2), row("Down", 0.5, 0.5, 0.5), row("Even", 1, 1, 1)])
    up, down, even = plot.rows
    assert even.x_estimate == plot.no_difference_x
    assert up.x_estimate - plot.no_difference_x == pytest.approx(
        plot.no_difference_x - down.x_estimate, abs=0.02
    )
    # Every value within 1/2..2: the axis runs from 0.5 to 2, with 1 in the middle.
    assert [tick.label for tick in plot.x_ticks] == ["0.5", "1", "2"]
    assert plot.no_difference_x == pytest.approx((plot.plot.left + plot.plot.right) / 2)


def test_forest_ticks_are_symmetric_too():
    plot = forest_of([row("Wide", 3, 0.15, 9)])
    assert [tick.label for tick in plot.x_ticks] == ["0.1", "0.2", "0.5", "1", "2", "5", "10"]
    positions = [tick.position for tick in plot.x_ticks]
    for tick, mirror in zip(positions, reversed(positions), strict=True):
        assert tick - plot.no_difference_x == pytest.approx(plot.no_difference_x - mirror, abs=0.02)


def test_a_row_without_an_estimate_has_no_whiskers():
    plot = forest_of(
        [row("Some", 2, 1.2, 3.5), ForestRow("Alcohol", None, None, None, "4 more nights with")]
    )
    some, alcohol = plot.rows
    assert (alcohol.x_estimate, alcohol.x_low, alcohol.x_high) == (None, None, None)
    assert alcohol.short_note == "4 more nights with"
    assert some.x_low < some.x_estimate < some.x_high
    assert not some.emphasised and not alcohol.emphasised  # only when the caller says so


def test_an_interval_beyond_the_axis_is_cut_with_an_arrow():
    plot = forest_of([row("Huge", 11, 0.65, 186.6)])
    (huge,) = plot.rows
    assert plot.x_ticks[-1].label == "100"
    assert huge.high_clipped and not huge.low_clipped
    assert huge.x_high == plot.plot.right


def test_long_labels_are_shortened_in_the_drawing_but_not_in_the_table():
    label = "Hours driving before bed, including long motorway journeys at night"
    plot = forest_of([row(label, 2, 1, 4)])
    (placed,) = plot.rows
    assert placed.short_label.endswith("…")
    assert len(placed.short_label) < len(label)
    assert placed.label == label


@pytest.mark.parametrize(
    "bad",
    [
        ForestRow("No interval", 2, None, None, ""),
        ForestRow("No estimate", None, 1, 2, ""),
        ForestRow("Outside", 5, 1, 2, ""),
        ForestRow("Zero", 1, 0, 2, ""),
    ],
)
def test_impossible_forest_rows_are_refused(bad):
    with pytest.raises(ValueError):
        forest_of([bad])


# Templates


def example_bar_chart():
    return bars_of(
        [("5 Jan", 1), ("12 Jan", None), ("19 Jan", 2.5), ("26 Jan", 0)],
        markers=[(2, 'Started "Atorvastatin" & co')],
    )


def example_line_chart():
    return line_of([("5 Jan", 81.5), ("12 Jan", None), ("19 Jan", 77.25)], y_range=(50, 100))


def example_forest_plot():
    return forest_of(
        [row("Feet", 2.4, 1.26, 4.57), ForestRow("Alcohol", None, None, None, "4 more nights")]
    )


RENDERINGS = [
    ("charts/bar_chart.html", example_bar_chart),
    ("charts/line_chart.html", example_line_chart),
    ("charts/forest_plot.html", example_forest_plot),
]


def svg_of(html: str) -> ET.Element:
    """The chart's drawing (not the legend's swatch)."""
    start = html.index('<svg class="chart-svg"')
    return ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


@pytest.mark.parametrize(("template", "make"), RENDERINGS)
def test_templates_give_accessible_well_formed_svg_without_inline_styles(template, make):
    html = render_to_string(template, {"chart": make()})
    svg = svg_of(html)
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+ \d+", svg.get("viewBox"))
    assert svg.find(f"{SVG}title").text == make().title
    assert svg.find(f"{SVG}desc").text == make().description
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html
    assert "<figcaption>" in html
    assert "<summary>Show as a table</summary>" in html


@pytest.mark.parametrize(("template", "make"), RENDERINGS)
def test_numbers_stay_unlocalised_in_other_languages(template, make):
    with translation.override("de"):
        html = render_to_string(template, {"chart": make()})
    svg = svg_of(html)
    numeric = ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height")
    for element in svg.iter():
        for name in numeric:
            if name in element.attrib and element.attrib[name] != "100%":
                float(element.attrib[name])


def test_bar_chart_template_draws_a_rect_per_value_and_crosses_for_no_data():
    chart = example_bar_chart()
    html = render_to_string("charts/bar_chart.html", {"chart": chart})
    svg = svg_of(html)
    rects = svg.findall(f".//{SVG}rect")
    assert len(rects) == 3  # four values, one of them missing
    assert rects[1].find(f"{SVG}title").text == "19 Jan: 2.5"
    crosses = svg.findall(f".//{SVG}g[@class='chart-no-data']/{SVG}path")
    assert len(crosses) == 1
    assert "A cross under the axis marks a period with nothing logged." in html
    # The table has every value, the missing one as "no data", and the marker as a note.
    assert '<td class="chart-number">no data</td>' in html
    assert "Started &quot;Atorvastatin&quot; &amp; co" in html


def test_line_chart_template_draws_a_polyline_per_segment_and_a_dot_per_value():
    svg = svg_of(render_to_string("charts/line_chart.html", {"chart": example_line_chart()}))
    assert len(svg.findall(f".//{SVG}polyline")) == 2
    assert len(svg.findall(f".//{SVG}circle")) == 2


def test_forest_template_draws_whiskers_only_for_rows_with_an_estimate():
    html = render_to_string("charts/forest_plot.html", {"chart": example_forest_plot()})
    svg = svg_of(html)
    rows = svg.findall(f".//{SVG}g[@class='chart-row']")
    assert len(rows) == 2
    assert len(rows[0].findall(f"{SVG}path")) == 2  # interval and estimate
    assert rows[1].findall(f"{SVG}path") == []
    assert rows[1].find(f"{SVG}title").text == "Alcohol: 4 more nights"
    assert '<th scope="row">Alcohol</th><td>4 more nights</td>' in html


def test_forest_template_colours_only_the_rows_marked_emphasised():
    # Both intervals lie above 1; only the row the caller marks (the page's claim) stands out.
    rows = [row("Marked", 2.4, 1.26, 4.57), row("Unmarked", 2.4, 1.26, 4.57)]
    rows[0] = ForestRow(**{**rows[0].__dict__, "emphasised": True})
    svg = svg_of(render_to_string("charts/forest_plot.html", {"chart": forest_of(rows)}))
    marked, unmarked = svg.findall(f".//{SVG}g[@class='chart-row']")
    assert "chart-whisker-clear" in marked.find(f"{SVG}path").get("class")
    assert "chart-whisker-clear" not in unmarked.find(f"{SVG}path").get("class")


def test_empty_charts_render():
    assert "Nothing logged yet." in render_to_string(
        "charts/bar_chart.html", {"chart": bars_of([])}
    )
    assert "Nothing to compare yet." in render_to_string(
        "charts/forest_plot.html", {"chart": forest_of([])}
    )
