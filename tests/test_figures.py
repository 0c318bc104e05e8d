"""Figure builders, checked on the figure JSON a browser would receive."""

from __future__ import annotations

import base64
import functools
import io
import json
import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

import figures
import landscapes
import optimizers
import texts
from figures.numbers import rounded
from figures.raster import (
    LINE_SHADE,
    NAN_RGB,
    banded_map_png,
    colors_at,
    contour_indices,
    equal_edges,
    hex_to_rgb,
    quantile_edges,
)
from figures.style import HALO_COLOR, PLOTLY_TEXTS, SURFACE_COLORSCALE
from figures.surface_view import CLICK_GRID_RESOLUTION, HeightScale, SurfaceView
from figures.trajectory import TAIL_FRAMES
from optimizers.registry import REFERENCE_COLORS, SPARE_COLORS

STEPS = 300
COMPARE_KEYS = ("sgd", "momentum", "rmsprop", "adam")
# Rates that keep every default run on its map for all 300 steps: the longest paths, the most bytes.
STABLE_LR = {"sgd": 0.01, "momentum": 0.005, "rmsprop": 0.01, "adam": 0.02}
EXPLORE_BUDGET = 400_000
COMPARE_BUDGET = 800_000


@functools.cache
def path(surface_name: str, key: str, lr: float | None = None, steps: int = STEPS) -> figures.Path:
    surface = landscapes.get(surface_name)
    rate = STABLE_LR[key] if lr is None else lr
    run = optimizers.simulate(surface, key, {"lr": rate}, [surface.start], steps)
    return figures.Track.of(run, f"{key} η={rate:g}", optimizers.get(key).color, surface)


@functools.cache
def compare_figure(surface_name: str = "ill_conditioned"):
    surface = landscapes.get(surface_name)
    return validated(
        figures.trajectory_figure(surface, [path(surface_name, k) for k in COMPARE_KEYS])
    )


def validated(figure: dict) -> go.Figure:
    """A figure built as a plain dict, through Plotly's validation: pages skip it for speed, the
    tests do not."""
    return go.Figure(figure)


def numbers(values) -> np.ndarray:
    """A trace's numbers as floats, whether sent as a list or as a plotly.js typed array."""
    if isinstance(values, dict):
        flat = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        shape = [int(n) for n in values["shape"].split(",")] if "shape" in values else [-1]
        return flat.reshape(shape).astype(float)
    return np.array(values, dtype=float)


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def moving_indices(fig) -> list[int]:
    return list(fig.frames[0].traces)


# --- frames ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("steps", [0, 1, 7, 100, 101, 299, 300, 301, 1000, 5000])
def test_frame_steps_follow_the_documented_rule(steps):
    shown = figures.frame_steps(steps)
    stride = max(1, -(-steps // (figures.MAX_FRAMES - 1)))  # ceil(steps / (MAX_FRAMES - 1))
    assert shown[0] == 0 and shown[-1] == steps
    assert len(shown) <= figures.MAX_FRAMES
    assert np.all(np.diff(shown[:-1]) == stride)
    assert 0 < shown[-1] - shown[-2] <= stride if steps else len(shown) == 1
    if steps < figures.MAX_FRAMES:
        np.testing.assert_array_equal(shown, np.arange(steps + 1))


@given(st.integers(0, 20_000), st.integers(2, 400))
def test_frame_steps_start_at_0_end_at_the_last_step_and_keep_within_max_frames(steps, max_frames):
    shown = figures.frame_steps(steps, max_frames)
    assert shown[0] == 0 and shown[-1] == steps
    assert len(shown) <= max_frames and np.all(np.diff(shown) > 0)
    if steps < max_frames:
        np.testing.assert_array_equal(shown, np.arange(steps + 1))


def test_figure_has_one_frame_per_shown_step_named_by_the_step_and_a_matching_slider():
    fig = compare_figure()
    shown = figures.frame_steps(STEPS)
    assert [frame.name for frame in fig.frames] == [str(s) for s in shown]
    slider = fig.layout.sliders[0]
    assert [list(step.args[0]) for step in slider.steps] == [[str(s)] for s in shown]
    assert [step.label for step in slider.steps] == [str(s) for s in shown]


def test_every_frame_updates_the_same_moving_traces_and_never_the_surface_or_static_paths():
    fig = compare_figure()
    moving = moving_indices(fig)
    static_count = len(fig.data) - len(moving)
    # The moving traces are the last ones, so the surface, the map and the full paths keep their
    # indices whatever the frames do.
    assert moving == list(range(static_count, len(fig.data)))
    assert fig.data[0].type == "surface"
    for frame in fig.frames:
        assert list(frame.traces) == moving
        assert len(frame.data) == len(moving)
        for index, trace in zip(frame.traces, frame.data, strict=True):
            assert trace.type == fig.data[index].type in {"scatter", "scatter3d"}
    assert not any(t.type in {"surface", "contour", "heatmap"} for f in fig.frames for t in f.data)


def test_frames_carry_only_positions_so_their_size_grows_with_frames_not_steps_squared():
    fig = spec(compare_figure())
    for frame in fig["frames"]:
        for trace in frame["data"]:
            assert set(trace) <= {"type", "x", "y", "z"}
    sizes = [len(json.dumps(frame)) for frame in fig["frames"]]
    # A frame carrying the path so far would grow ~100x from the first to the last frame.
    assert max(sizes) < 1.5 * min(sizes)


def test_frame_heads_sit_on_each_path_point_of_their_step():
    fig = compare_figure()
    comet_3d, comet_map = moving_indices(fig)[:2]
    assert (fig.data[comet_3d].type, fig.data[comet_map].type) == ("scatter3d", "scatter")
    paths = [path("ill_conditioned", k) for k in COMPARE_KEYS]
    per_path = TAIL_FRAMES + 1  # each path's comet: its tail, then its head
    for frame in fig.frames[::10]:
        step = int(frame.name)
        for view in frame.data[:2]:
            for i, p in enumerate(paths):
                head = (i + 1) * per_path - 1
                np.testing.assert_allclose((view.x[head], view.y[head]), p.points[step], atol=1e-3)


def test_animation_is_3d_safe_redraw_with_no_transition():
    fig = compare_figure()
    play, pause = fig.layout.updatemenus[0].buttons
    assert play.args[1]["frame"]["redraw"] is True
    assert play.args[1]["transition"]["duration"] == 0
    assert 30 <= play.args[1]["frame"]["duration"] <= 80
    assert list(pause.args[0]) == [None]
    for step in fig.layout.sliders[0].steps:
        assert step.args[1]["frame"]["redraw"] is True
        assert step.args[1]["transition"]["duration"] == 0


# --- axes and the map ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ill_conditioned", "rosenbrock", "saddle"])
def test_axis_ranges_are_fixed_to_the_domain_and_the_surface_heights(name):
    surface = landscapes.get(name)
    fig = validated(figures.trajectory_figure(surface, [path(name, "sgd", steps=20)]))
    (xmin, xmax), (ymin, ymax) = surface.domain
    assert tuple(fig.layout.xaxis.range) == (xmin, xmax)
    assert tuple(fig.layout.yaxis.range) == (ymin, ymax)
    assert tuple(fig.layout.scene.xaxis.range) == (xmin, xmax)
    assert tuple(fig.layout.scene.yaxis.range) == (ymin, ymax)
    z = numbers(fig.data[0].z)
    zlow, zhigh = fig.layout.scene.zaxis.range
    assert zlow <= np.nanmin(z) and np.nanmax(z) <= zhigh
    assert fig.layout.yaxis.scaleanchor == "x"  # equal scales: gradients cross contours at 90°


def test_map_image_spans_the_domain_and_colours_low_ground_light_and_high_ground_dark():
    surface = landscapes.get("bowl")
    fig = validated(figures.trajectory_figure(surface, []))
    image = fig.layout.images[0]
    (xmin, xmax), (ymin, ymax) = surface.domain
    assert (image.x, image.y, image.sizex, image.sizey) == (xmin, ymax, xmax - xmin, ymax - ymin)
    assert (image.xref, image.yref, image.layer) == ("x", "y", "below")
    width, height, pixels = _decode_png(image.source)
    center = pixels[height // 2, width // 2]
    corner = pixels[0, 0]
    # The bowl's minimum is the centre: the lightest band; a corner is among the darkest.
    assert sum(center) > sum(corner) + 200
    lightest = colors_at(SURFACE_COLORSCALE, np.array([0.0]))[0]
    assert np.abs(np.array(center) - lightest).max() < 12


def _decode_png(uri: str) -> tuple[int, int, np.ndarray]:
    """Width, height and RGB pixels of the map's palette PNG."""
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert (image.format, image.mode) == ("PNG", "P")
    return image.width, image.height, np.asarray(image.convert("RGB")).astype(int)


def test_map_png_has_a_palette_index_per_pixel_band_lines_where_bands_change_and_nan_white():
    nan = np.nan
    z = np.array(  # rows from the lowest y up
        [
            [0.1, 0.1, 0.5, 0.5, 0.9, 0.9],
            [0.1, 0.1, 0.5, 0.5, 0.9, nan],
            [0.1, 0.1, 0.1, 0.5, 0.9, 0.9],
        ]
    )
    colorscale = [[0.0, "#000000"], [1.0, "#ff8000"]]
    image = Image.open(
        io.BytesIO(base64.b64decode(banded_map_png(z, 0.0, 1.0, 3, colorscale)[22:]))
    )
    assert (image.format, image.mode, image.size) == ("PNG", "P", (6, 3))
    # Bands 0, 1, 2 on their own; 3, 4, 5 where the next pixel to the right or above is in
    # another band; 6 for NaN. The picture's top row is the highest y.
    expected = [
        [0, 0, 3, 4, 2, 2],
        [0, 3, 4, 4, 5, 6],
        [0, 3, 1, 4, 2, 5],
    ]
    np.testing.assert_array_equal(np.asarray(image), expected)
    fill = colors_at(colorscale, np.array([1, 3, 5]) / 6)
    palette = np.array(image.getpalette()[: 7 * 3]).reshape(-1, 3)
    np.testing.assert_array_equal(palette[:3], fill.round())
    np.testing.assert_array_equal(palette[3:6], (fill * LINE_SHADE).round())
    np.testing.assert_array_equal(palette[6], NAN_RGB)


def _bands(indices: np.ndarray, bands: int) -> np.ndarray:
    """Band of each pixel, whether on a boundary line or not."""
    return indices % bands


def test_equal_edges_split_the_range_and_quantile_edges_split_the_values_evenly():
    z = 10.0 ** np.arange(8)[None, :]  # one row; values spanning seven decades
    np.testing.assert_array_equal(equal_edges(0.0, 1e7, 4), [2.5e6, 5e6, 7.5e6])
    equal = contour_indices(z, equal_edges(0.0, 1e7, 4), nan_index=8)
    np.testing.assert_array_equal(_bands(equal[0], 4), [0, 0, 0, 0, 0, 0, 0, 3])
    with_nan = np.append(z, [[np.nan]], axis=1)
    even = contour_indices(with_nan, quantile_edges(with_nan, 4), nan_index=8)
    assert even[0, -1] == 8
    np.testing.assert_array_equal(_bands(even[0, :-1], 4), [0, 0, 1, 1, 2, 2, 3, 3])
    # Band k holds edges[k - 1] <= z < edges[k]: a value on an edge starts the band above.
    on_edges = contour_indices(np.array([[0.0], [1.0], [2.0], [3.0]]), equal_edges(0, 3, 3), 6)
    np.testing.assert_array_equal(_bands(on_edges[:, 0], 3), [0, 1, 2, 2])


def test_hex_colours_parse_and_anything_else_is_refused():
    assert hex_to_rgb("#FFD400") == (255, 212, 0) == hex_to_rgb("ffd400")
    with pytest.raises(ValueError, match="rrggbb"):
        hex_to_rgb("#fff")


# --- clicking a start point ---------------------------------------------------------------------


def test_click_grid_is_a_scatter_covering_the_whole_domain():
    surface = landscapes.get("himmelblau")
    fig = validated(figures.trajectory_figure(surface, []))
    grids = [t for t in fig.data if t.name == figures.CLICK_GRID_NAME]
    assert len(grids) == 1
    grid = grids[0]
    assert grid.type == "scatter" and grid.meta == figures.CLICK_GRID_NAME
    x, y = np.array(grid.x), np.array(grid.y)
    assert len(x) == CLICK_GRID_RESOLUTION**2
    (xmin, xmax), (ymin, ymax) = surface.domain
    assert (x.min(), x.max(), y.min(), y.max()) == (xmin, xmax, ymin, ymax)
    assert grid.marker.opacity < 0.05  # clickable, but not seen
    # It answers hovers with the true f at its points.
    gx, gy = np.meshgrid(
        np.linspace(xmin, xmax, CLICK_GRID_RESOLUTION),
        np.linspace(ymin, ymax, CLICK_GRID_RESOLUTION),
    )
    exact = surface.f(np.column_stack([gx.ravel(), gy.ravel()]))
    np.testing.assert_allclose(numbers(grid.customdata), exact, rtol=1e-3, atol=1e-9)


def test_no_click_grid_when_not_clickable():
    fig = validated(figures.trajectory_figure(landscapes.get("bowl"), [], clickable=False))
    assert all(t.name != figures.CLICK_GRID_NAME for t in fig.data)


# --- heights: the log transform ----------------------------------------------------------------


@given(
    st.lists(st.floats(-1e8, 1e8, allow_nan=False), min_size=2, max_size=50),
    st.floats(-100, 100),
    st.floats(1e-6, 1e3),
)
def test_height_transform_is_monotone_everywhere(values, floor, unit):
    values = np.unique(values)
    for scale in (HeightScale(floor, unit), HeightScale(floor, 0.0)):
        assert np.all(np.diff(scale(values)) >= 0)
    # Strictly so for values that differ by more than float round-off.
    apart = np.array([floor - 10 * unit, floor - unit, floor, floor + unit, floor + 10 * unit])
    assert np.all(np.diff(HeightScale(floor, unit)(apart)) > 0)


@pytest.mark.parametrize(
    ("name", "log"),
    [("rosenbrock", True), ("beale", True), ("bowl", False), ("himmelblau", False)],
)
def test_log_heights_for_surfaces_whose_range_hides_their_valleys(name, log):
    surface = landscapes.get(name)
    view = SurfaceView(surface)
    assert view.scale.is_log is log
    fig = validated(figures.trajectory_figure(surface, []))
    title = fig.layout.scene.zaxis.title.text
    assert ("log" in title) is log
    assert ("log" in fig.data[0].colorbar.title.text) is log


def test_trajectory_heights_use_the_surface_transform():
    surface = landscapes.get("rosenbrock")
    adam = path("rosenbrock", "adam", lr=0.05)
    fig = validated(figures.trajectory_figure(surface, [adam]))
    view = SurfaceView(surface)
    line_3d = next(t for t in fig.data if t.type == "scatter3d" and t.name == adam.label)
    expected = np.clip(view.scale(adam.losses) + view.lift, *view.zrange)
    np.testing.assert_allclose(np.array(line_3d.z, dtype=float), expected, rtol=1e-3, atol=1e-3)
    # The surface uses the same transform, with the true f kept for hovering.
    f = surface.grid(60)[2]
    np.testing.assert_allclose(numbers(fig.data[0].z), view.scale(f), rtol=1e-3)
    np.testing.assert_allclose(numbers(fig.data[0].customdata), f, rtol=1e-3)


def test_log_colorbar_ticks_name_round_values_of_f():
    surface = landscapes.get("rosenbrock")
    scale = SurfaceView(surface).scale
    tickvals, ticktext = scale.ticks(2500.0)
    assert ticktext == ["0", "1", "10", "100", "1,000"]
    np.testing.assert_allclose(tickvals, scale(np.array([0, 1, 10, 100, 1000.0])), rtol=1e-3)


# --- colours --------------------------------------------------------------------------------------


def test_one_optimizer_has_one_colour_in_every_trace_and_chart():
    surface = landscapes.get("ill_conditioned")
    paths = [path("ill_conditioned", k) for k in COMPARE_KEYS]
    charts = [
        compare_figure(),
        validated(figures.loss_chart(paths, surface=surface)),
        validated(figures.distance_chart(surface, paths)),
    ]
    for p in paths:
        expected = p.color
        for chart in charts:
            colours = {
                t.line.color
                for t in chart.data
                if t.legendgroup == p.label and t.mode and "lines" in t.mode
            } - {HALO_COLOR}  # the white underlay that keeps a path visible on any band
            assert colours == {expected}, (p.label, colours)
    lines = [
        t
        for t in validated(figures.small_multiples(surface, paths)).data
        if t.name in {p.label for p in paths}
    ]
    assert [t.line.color for t in lines] == [p.color for p in paths]


def test_optimizer_colours_are_distinct_and_no_reference_run_uses_one():
    colours = [optimizers.get(k).color for k in optimizers.names()]
    assert len(set(colours)) == len(colours)
    assert not set(colours) & set(REFERENCE_COLORS)
    assert not set(REFERENCE_COLORS) & set(SPARE_COLORS)
    assert not set(colours) & set(SPARE_COLORS)


def test_a_second_run_of_the_same_optimizer_gets_a_reference_colour():
    colours = figures.run_colors(["sgd", "sgd", "adam", "sgd"])
    assert colours[0] == optimizers.get("sgd").color and colours[2] == optimizers.get("adam").color
    assert colours[1] in REFERENCE_COLORS and colours[3] in REFERENCE_COLORS
    assert len(set(colours)) == 4


def test_legend_sits_above_the_plots_not_over_the_axes():
    # Above the plot area Plotly grows the top margin to fit it; below, it lands on axis titles.
    legend = compare_figure().layout.legend
    assert legend.orientation == "h" and legend.y > 1 and legend.yanchor == "bottom"


def test_a_narrow_chart_stacks_the_3d_view_over_the_map_each_full_width():
    fig = compare_figure()
    rule = fig.layout.meta["responsive"]
    wide, narrow = fig.layout, rule["narrow"]["layout"]
    # Side by side when wide: the 3D view ends left of where the map starts.
    assert wide.scene.domain.x[1] < wide.xaxis.domain[0]
    assert narrow["scene"]["domain"]["x"] == [0.0, 1.0] and narrow["xaxis"]["domain"] == [0.0, 1.0]
    # Stacked when narrow: the map's part ends below where the 3D view's begins, and the colour
    # bar (of the surface, trace 0) lies flat between them.
    assert narrow["yaxis"]["domain"][1] < narrow["scene"]["domain"]["y"][0]
    assert fig.data[0].type == "surface"
    bar = rule["narrow"]["data"]["0"]["colorbar"]
    assert bar["orientation"] == "h"
    assert narrow["yaxis"]["domain"][1] < bar["y"] <= narrow["scene"]["domain"]["y"][0]
    assert rule["narrow"]["aspect"] > rule["aspect"]  # taller than wide when stacked


# --- divergence -----------------------------------------------------------------------------------


def test_a_diverged_path_stops_at_its_divergence_step_and_is_marked_there():
    surface = landscapes.get("bowl")
    run = optimizers.simulate(surface, "sgd", {"lr": 3.0}, [surface.start], 100)
    blown = figures.Track.of(run, "GD η=3", optimizers.get("sgd").color, surface)
    assert blown.diverged_at > 0
    fig = validated(figures.trajectory_figure(surface, [blown]))
    line = next(t for t in fig.data if t.type == "scatter" and t.name == blown.label)
    assert len(line.x) == blown.diverged_at  # steps 0 .. diverged_at - 1
    # The ✕ is where the path last crosses the edge of the map on its way out.
    cross = next(t for t in fig.data if t.type == "scatter" and t.name == "diverged")
    (xmin, xmax), (ymin, ymax) = surface.domain
    seen = blown.points[: blown.diverged_at]
    inside = (
        (seen[:, 0] >= xmin) & (seen[:, 0] <= xmax) & (seen[:, 1] >= ymin) & (seen[:, 1] <= ymax)
    )
    last_inside = int(np.flatnonzero(inside).max())
    a, b = blown.points[last_inside], blown.points[last_inside + 1]
    mark = np.array([cross.x[0], cross.y[0]])
    on_edge = np.isclose(np.abs(mark), [xmax, ymax], rtol=1e-3)
    assert on_edge.any(), mark
    cross_product = (b - a)[0] * (mark - a)[1] - (b - a)[1] * (mark - a)[0]
    assert abs(cross_product) < 1e-2 * np.linalg.norm(b - a)  # on the segment a → b
    assert "diverged at step" in cross.hovertext[0]
    assert not any(t.name == "end" for t in fig.data)  # the ✕ replaces the end marker
    loss = validated(figures.loss_chart([blown], surface=surface))
    assert len(loss.data[0].y) == blown.diverged_at
    cross_on_loss = next(t for t in loss.data if t.marker.symbol == "x")
    # The blow-up leaves through the top of the chart instead of squashing it: the axis stops a
    # decade above the start's loss and the ✕ sits on that edge.
    top = np.log10(10 * blown.losses[0])
    assert loss.layout.yaxis.range[1] == pytest.approx(top, rel=1e-6)
    assert np.log10(cross_on_loss.y[0]) == pytest.approx(top, abs=1e-3)
    assert np.nanmax(blown.losses) > 1e6 * blown.losses[0]
    # Frames after the divergence keep the head on the last real position.
    last = fig.frames[-1].data[1]
    np.testing.assert_allclose(
        (last.x[-1], last.y[-1]), blown.points[blown.diverged_at - 1], rtol=1e-3
    )


def _text_fields(node, where=()):
    """(where, text) of every string a person reads in a figure (titles, names, hover texts,
    button and slider labels), `where` the keys and indices leading to it."""
    if isinstance(node, dict):
        for key, child in node.items():
            if isinstance(child, str) and key in {
                "text",
                "name",
                "hovertemplate",
                "label",
                "prefix",
            }:
                yield (*where, key), child
            elif not isinstance(child, str):
                yield from _text_fields(child, (*where, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            if isinstance(child, str) and where and where[-1] == "hovertext":
                yield (*where, index), child
            else:
                yield from _text_fields(child, (*where, index))


def test_figures_read_in_the_run_language_with_the_same_hover_tokens():
    surface = landscapes.get("bowl")
    run = optimizers.simulate(surface, "sgd", {"lr": 3.0}, [surface.start], 100)
    blown = figures.Track.of(run, "GD η=3", optimizers.get("sgd").color, surface)
    paths = [blown, path("bowl", "adam", steps=50)]

    def build() -> list[dict]:
        return [
            figures.trajectory_figure(surface, paths),
            figures.loss_chart(paths, surface=surface),
            figures.loss_chart(paths, surface=surface, against="evaluations"),
            figures.distance_chart(surface, paths),
            figures.small_multiples(surface, paths),
        ]

    english = build()
    texts.use("ko")
    try:
        korean = build()
    finally:
        texts.use("en")
    # Nothing of the Korean figures stays behind in a cache (surface_view's is per surface).
    assert build() == english
    english_texts, korean_texts = dict(_text_fields(english)), dict(_text_fields(korean))
    assert english_texts.keys() == korean_texts.keys()
    # Only the words change: Plotly's %{…} tokens and the HTML of every hover text stay.
    tokens = re.compile(r"%\{[^}]*\}|<[^>]*>")
    for where, text in english_texts.items():
        assert tokens.findall(korean_texts[where]) == tokens.findall(text), where
    catalogue = texts.catalogue("ko")
    names = {text for where, text in korean_texts.items() if where[-1] == "name"}
    assert {catalogue[name] for name in ("start", "end", "diverged", "known minimum")} <= names
    slider = korean[0]["layout"]["sliders"][0]["currentvalue"]["prefix"]
    assert slider == catalogue["step"] + " "
    assert korean[1]["layout"]["xaxis"]["title"]["text"] == catalogue["step"]


# --- charts ---------------------------------------------------------------------------------------


def test_loss_chart_plots_the_gap_to_the_best_minimum_on_a_log_axis():
    surface = landscapes.get("six_hump_camel")  # f* ≈ −1.03: f itself cannot go on a log axis
    camel = path("six_hump_camel", "adam")
    fig = validated(figures.loss_chart([camel], surface=surface))
    assert fig.layout.yaxis.type == "log"
    best = surface.minimum_values.min()
    expected = np.maximum(camel.losses - best, figures.charts.LOG_FLOOR)
    np.testing.assert_allclose(np.array(fig.data[0].y, dtype=float), expected, rtol=1e-3)
    assert fig.data[0].x is None  # steps are implicit 0, 1, 2 … (fewer bytes)


def test_loss_chart_without_minima_and_negative_losses_uses_a_linear_axis():
    surface = landscapes.get("saddle")
    run = optimizers.simulate(surface, "adam", {"lr": 0.05}, [surface.start], 50)
    saddle_path = figures.Track.of(run, "Adam", optimizers.get("adam").color, surface)
    assert np.nanmin(saddle_path.losses) < 0
    assert (
        validated(figures.loss_chart([saddle_path], surface=surface)).layout.yaxis.type == "linear"
    )


def test_distance_chart_measures_to_the_nearest_known_minimum():
    surface = landscapes.get("himmelblau")
    run = optimizers.simulate(surface, "adam", {"lr": 0.1}, [surface.start], 200)
    p = figures.Track.of(run, "Adam", optimizers.get("adam").color, surface)
    fig = validated(figures.distance_chart(surface, [p]))
    minima = np.array(surface.minima)
    expected = np.min(np.linalg.norm(p.points[:, None, :] - minima[None], axis=2), axis=1)
    np.testing.assert_allclose(
        np.array(fig.data[0].y, dtype=float), np.maximum(expected, 1e-12), rtol=1e-3
    )
    assert fig.layout.yaxis.type == "log"


def test_distance_chart_explains_when_there_is_no_known_minimum():
    surface = landscapes.get("saddle")
    fig = validated(figures.distance_chart(surface, [path("saddle", "sgd", steps=10)]))
    assert not fig.data
    assert "no known minimum" in fig.layout.annotations[0].text


def test_small_multiples_draw_one_map_per_path_with_identical_axes():
    surface = landscapes.get("rosenbrock")
    paths = [path("rosenbrock", k) for k in COMPARE_KEYS]
    fig = validated(figures.small_multiples(surface, paths))
    titles = [a.text for a in fig.layout.annotations]
    assert titles == [p.label for p in paths]
    (xmin, xmax), (ymin, ymax) = surface.domain
    for i in range(1, len(paths) + 1):
        suffix = "" if i == 1 else str(i)
        assert tuple(fig.layout[f"xaxis{suffix}"].range) == (xmin, xmax)
        assert tuple(fig.layout[f"yaxis{suffix}"].range) == (ymin, ymax)
    assert sum(t.type == "contour" for t in fig.data) == len(paths)


# --- payload ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bowl", "rosenbrock", "beale"])
def test_default_explore_page_figures_fit_the_byte_budget(name):
    surface = landscapes.get(name)
    one = [path(name, "adam")]
    size = sum(
        len(fig.to_json())
        for fig in (
            validated(figures.trajectory_figure(surface, one)),
            validated(figures.loss_chart(one, surface=surface)),
            validated(figures.distance_chart(surface, one)),
        )
    )
    assert size < EXPLORE_BUDGET, size


@pytest.mark.parametrize("name", ["ill_conditioned", "rosenbrock"])
def test_default_compare_page_figures_fit_the_byte_budget(name):
    surface = landscapes.get(name)
    paths = [path(name, k) for k in COMPARE_KEYS]
    size = sum(
        len(fig.to_json())
        for fig in (
            compare_figure(name),
            validated(figures.small_multiples(surface, paths)),
            validated(figures.loss_chart(paths, surface=surface)),
            validated(figures.distance_chart(surface, paths)),
        )
    )
    assert size < COMPARE_BUDGET, size


def test_numbers_are_rounded_to_four_significant_digits():
    assert rounded([np.pi, -123456.0, 1e-7 / 3, np.nan, np.inf]) == [
        3.142,
        -123500.0,
        3.333e-8,
        None,
        None,
    ]
    text = compare_figure().to_json()
    # No float in the JSON carries more than 4 significant digits plus sign/point/exponent.
    assert "0000000" not in text and "9999999" not in text


def test_png_export_is_slide_sized():
    options = figures.PLOTLY_CONFIG["toImageButtonOptions"]
    assert (options["width"], options["height"], options["format"]) == (1920, 1080, "png")


def test_plotly_config_hands_plotlys_own_texts_over_in_the_page_language():
    assert figures.plotly_config() == figures.PLOTLY_CONFIG
    # Each text is one plotly.js looks up (its English is the key plotly.js translates by).
    bundle = (Path(__file__).parents[1] / "ui" / "vendor" / "plotly-atlas.min.js").read_text()
    assert [text for text in PLOTLY_TEXTS if f'"{text}"' not in bundle] == []
    texts.use("ko")
    try:
        config = figures.plotly_config()
    finally:
        texts.use("en")
    assert config["locale"] == "ko"
    dictionary = config["locales"]["ko"]["dictionary"]
    assert dictionary == {text: texts.catalogue("ko")[text] for text in PLOTLY_TEXTS}
    assert {key: config[key] for key in figures.PLOTLY_CONFIG} == figures.PLOTLY_CONFIG


@pytest.mark.parametrize("surface_name", ["bowl", "rosenbrock", "ill_conditioned"])
def test_3d_height_labels_are_round_and_keep_clear_of_the_bottom_corner(surface_name):
    # The lowest height's label would stand where the y axis's last label is drawn (WebGL, out of
    # reach of the browser's overlap test).
    zaxis = compare_figure(surface_name).layout.scene.zaxis
    low, high = zaxis.range
    assert len(zaxis.tickvals) >= 2
    assert all(value > low + 0.1 * (high - low) and value <= high for value in zaxis.tickvals)
    if "log" not in zaxis.title.text:  # evenly spaced round values
        steps = np.diff(zaxis.tickvals)
        np.testing.assert_allclose(steps, steps[0])
        pairs = zip(zaxis.ticktext, zaxis.tickvals, strict=True)
        assert all(float(text) == value for text, value in pairs)
