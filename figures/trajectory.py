"""The main view: a 3D surface (left) and its contour map (right) with every path drawn on both and
one Play/Pause + step slider moving a marker along all of them together.

Payload rule: the surface, the map picture and the full paths are sent once, as static traces and a
layout image; animation frames update only the four moving traces that come last (comet heads in
3D and on the map, the step each head takes next, the steepest-descent direction), so the JSON
grows with frames × paths, never with steps². Frames are subsampled by `frame_steps`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from figures.numbers import MAX_FRAMES, frame_steps
from figures.style import (
    GRADIENT_COLOR,
    STEP_COLOR,
    axis_style,
    base_layout,
    narrow_form,
    sized_by_width,
)
from figures.surface_view import SurfaceView, groups_meta, surface_view
from figures.track import Track
from landscapes import Surface
from texts import tr

TAIL_FRAMES = 6
HEAD_SIZE_2D = 14
HEAD_SIZE_3D = 11
FRAME_MS = 50
MAP_TICKS = 7  # on the map's longer side
Z_LABEL_CLEARANCE = 0.1  # of the height range: no z label this close to the bottom
# Side by side: the 3D view on the left, the map and its colour bar on the right.
_SCENE_DOMAIN = [0.0, 0.47]
_MAP_DOMAIN = [0.55, 0.93]
_PLOTS_BOTTOM = 0.12  # room for the map's x axis above the Play button and step slider
WIDE_ASPECT = 0.5  # height per width: a square-ish 3D view and map side by side
MIN_HEIGHT = 420
# Stacked in a narrow chart (figures.style.NARROW_BELOW_PX): side by side on a phone, the map would
# be a stamp and the 3D view cut off. The stacked form's parts in pixels on a phone of this width; as fractions of the plot's height
# they hold at other widths too, the map keeping its own proportions within its part.
_PHONE_PX = 360
_STACKED_SCENE_PX = 320
_STACKED_COLORBAR_PX = 70  # the bar, its tick labels and a gap above the map
_STACKED_AXIS_PX = 55  # the map's tick labels and x title
_STACKED_MARGINS_PX = 190  # the legend above, the Play button and step slider below
_MAX_MAP_RATIO = 1.3  # a tall domain's map is narrower than the chart instead of taller


def trajectory_figure(
    surface: Surface,
    paths: Sequence[Track],
    *,
    clickable: bool = True,
    height: int = 600,
    max_frames: int = MAX_FRAMES,
) -> dict:
    """3D surface + contour map with all `paths`, animated together by one slider, as Plotly's
    figure JSON (a plain dict: Plotly's validation of ~1,000 frame traces built from known-good
    literals would cost more than the rest of a page rerun).

    Axis ranges are fixed to the domain (and the surface's heights), so nothing jumps while
    playing. With `clickable`, a near-invisible grid of markers named CLICK_GRID_NAME covers the
    map so that a click on the map reports a start point (ui.trajectory_chart): Plotly reports
    clicks on data points only, not on the map picture."""
    view = surface_view(surface)
    steps = max((p.steps for p in paths), default=0)
    shown = frame_steps(steps, max_frames)

    static = [view.surface_trace(), *view.minima_traces()]
    for path in paths:
        static += view.static_path_traces(path)
    static += view.endpoint_traces(paths)
    if clickable:
        static.append(view.click_grid())

    positions = _frame_positions(view, paths, shown)
    moving = _moving_traces(paths, positions[0])
    moving_indices = list(range(len(static), len(static) + len(moving)))
    frames = [
        {"name": str(int(step)), "traces": moving_indices, "data": frame}
        for step, frame in zip(shown, positions, strict=True)
    ]
    layout = _layout(view, height, shown)
    layout["meta"] = sized_by_width(
        WIDE_ASPECT, min_height=MIN_HEIGHT, screen_share=0.8, narrow=_stacked_form(view)
    )
    return {"data": static + moving, "layout": layout, "frames": frames}


def _frame_positions(view: SurfaceView, paths: Sequence[Track], shown: np.ndarray) -> list:
    """Per frame, what it changes of the four moving traces (_moving_traces): their positions.
    Plotly.animate merges them into the traces, so the styling sent once with the figure stays.
    Computed for all frames at once: per-frame NumPy calls would cost more than the figure."""
    frames, per_tail = len(shown), TAIL_FRAMES + 1
    # Row i: the steps of frame i's comet tail, oldest first, ending at its head.
    tails = shown[np.clip(np.arange(frames)[:, None] + np.arange(-TAIL_FRAMES, 1), 0, None)]
    steps = [np.minimum(tails, path.last_step) for path in paths]  # each (frames, per_tail)
    heads = [s[:, -1] for s in steps]
    pairs = list(zip(paths, heads, strict=True))

    def by_path(arrays: list[np.ndarray], *shape: int, points: bool = True) -> np.ndarray:
        """Each path's (frames, *shape) array side by side, frame by frame, then path by path:
        as points (-1, 2), or values (-1,)."""
        stacked = np.stack(arrays, 1) if arrays else np.zeros((frames, 0, *shape))
        return stacked.reshape(-1, 2) if points else stacked.ravel()

    comet = by_path([p.points[s] for p, s in zip(paths, steps, strict=True)], per_tail, 2)
    comet_f = by_path(
        [p.losses[s] for p, s in zip(paths, steps, strict=True)], per_tail, points=False
    )
    at = by_path([p.points[h] for p, h in pairs], 2)
    # The step each head takes next (none once its path has ended) and the steepest descent.
    taken = by_path(
        [
            np.where(
                (h < p.last_step)[:, None],
                p.points[np.minimum(h + 1, p.steps)] - p.points[h],
                np.nan,
            )
            for p, h in pairs
        ],
        2,
    )
    descent = by_path([-p.grads[h] for p, h in pairs], 2)
    comet_xyz = view.xyz(comet, comet_f)
    comet_x, comet_y = view.xy(comet)
    taken_x, taken_y = view.arrows_xy(at, taken)
    descent_x, descent_y = view.arrows_xy(at, descent)
    by_frame = _split(frames)
    return [
        [
            {"type": "scatter3d", **{k: by_frame(v, i) for k, v in comet_xyz.items()}},
            {"type": "scatter", "x": by_frame(comet_x, i), "y": by_frame(comet_y, i)},
            {"type": "scatter", "x": by_frame(taken_x, i), "y": by_frame(taken_y, i)},
            {"type": "scatter", "x": by_frame(descent_x, i), "y": by_frame(descent_y, i)},
        ]
        for i in range(frames)
    ]


def _split(frames: int):
    """by_frame(values, i): frame i's share of a list holding every frame's values in turn."""

    def by_frame(values: list, i: int) -> list:
        size = len(values) // frames
        return values[i * size : (i + 1) * size]

    return by_frame


def _moving_traces(paths: Sequence[Track], first: list[dict]) -> list[dict]:
    """Four traces whatever the number of paths, so a frame stays a handful of small objects:
    every path's head with a comet tail of its last TAIL_FRAMES positions (3D, then map), the
    step each head takes next, and the steepest-descent direction at each head; at the
    positions of the first frame."""
    comet_3d_at, comet_map_at, taken_at, descent_at = first
    colors = [p.color for p in paths for _ in range(TAIL_FRAMES + 1)]
    skip = {
        "hoverinfo": "skip",
        "showlegend": False,
        "meta": groups_meta(paths, TAIL_FRAMES + 1),
    }
    comet_3d = comet_3d_at | {
        "mode": "markers",
        "marker": {
            "size": _comet_sizes(HEAD_SIZE_3D) * len(paths),
            "color": colors,
            "opacity": 1.0,
            "line": {"color": "white", "width": 1},
        },
        "scene": "scene",
        **skip,
    }
    comet_map = comet_map_at | {
        "mode": "markers",
        "marker": {
            "size": _comet_sizes(HEAD_SIZE_2D) * len(paths),
            "color": colors,
            "line": {"color": "white", "width": 1.5},
        },
        **skip,
    }
    steps_taken = taken_at | {
        "name": tr("step taken"),
        "mode": "lines+markers",
        "line": {"color": STEP_COLOR, "width": 2.5},
        "marker": {
            "symbol": "arrow",
            "angleref": "previous",
            "size": [0, 16, 0] * len(paths),
            # The shaft is one colour for all paths (one trace); the head has the path's.
            "color": [p.color for p in paths for _ in range(3)],
            "line": {"color": STEP_COLOR, "width": 1},
        },
        "hoverinfo": "skip",
        "meta": groups_meta(paths, 3),
    }
    descent = descent_at | {
        "name": tr("−∇f: steepest descent"),
        "mode": "lines+markers",
        "line": {"color": GRADIENT_COLOR, "width": 2.5, "dash": "dot"},
        "marker": {
            "symbol": "arrow",
            "angleref": "previous",
            "size": [0, 13, 0] * len(paths),
            "color": GRADIENT_COLOR,
        },
        "hoverinfo": "skip",
        "meta": groups_meta(paths, 3),
    }
    return [comet_3d, comet_map, steps_taken, descent]


def _layout(view: SurfaceView, height: int, shown: np.ndarray) -> dict:
    xspan, yspan = view.xmax - view.xmin, view.ymax - view.ymin
    ztitle = tr("f (log scale)") if view.scale.is_log else "f"
    zaxis = {"title": {"text": ztitle}, "range": list(view.zrange)}
    if view.scale.is_log:
        tickvals, ticktext = view.scale.ticks(float(np.nanmax(view.f)))
        # The 3D axis is short: every other round value keeps its labels apart.
        tickvals, ticktext = tickvals[::2], ticktext[::2]
    else:
        tickvals = _round_ticks(*view.zrange)
        ticktext = [f"{value:.6g}" for value in tickvals]
    # The lowest height's label stands in the corner where the y axis's last label is drawn (in
    # WebGL, where no overlap test sees it): it is left out.
    low, high = view.zrange
    kept = [i for i, value in enumerate(tickvals) if value > low + Z_LABEL_CLEARANCE * (high - low)]
    zaxis |= {"tickvals": [tickvals[i] for i in kept], "ticktext": [ticktext[i] for i in kept]}
    scene_axis = {
        "showbackground": True,
        "backgroundcolor": "#f6f6f6",
        "gridcolor": "#ddd",
        # Five ticks a side: more crowd the labels where the y and z axes meet.
        "nticks": 5,
    }
    layout = base_layout(height) | {
        # Keeps the user's camera and zoom when a slider reruns the page with the same surface.
        "uirevision": view.surface.name,
        "margin": {"l": 10, "r": 60, "t": 20, "b": 40},
        "scene": {
            "domain": {"x": _SCENE_DOMAIN, "y": [_PLOTS_BOTTOM, 1.0]},
            "xaxis": scene_axis | {"title": {"text": "x"}, "range": [view.xmin, view.xmax]},
            "yaxis": scene_axis | {"title": {"text": "y"}, "range": [view.ymin, view.ymax]},
            "zaxis": scene_axis | zaxis,
            "aspectmode": "manual",
            "aspectratio": {"x": 1.0, "y": yspan / xspan, "z": 0.65},
            # Far enough back that the tick labels at the front corners stay in the view.
            "camera": {"eye": {"x": -0.56, "y": -1.23, "z": 1.74}},
            "uirevision": view.surface.name,
        },
        "xaxis": axis_style()
        | {
            "domain": _MAP_DOMAIN,
            "range": [view.xmin, view.xmax],
            "title": {"text": "x"},
            "nticks": _map_ticks(xspan / yspan),
            "constrain": "domain",
            "showgrid": False,
            # The map picture is the frame: an axis line would sit a few pixels off it
            # under Streamlit's theme.
            "showline": False,
        },
        "yaxis": axis_style()
        | {
            "domain": [_PLOTS_BOTTOM, 1.0],
            "range": [view.ymin, view.ymax],
            "title": {"text": "y"},
            "nticks": _map_ticks(yspan / xspan),
            # Equal scales: only then is the gradient drawn at right angles to the contours.
            "scaleanchor": "x",
            "scaleratio": 1,
            "constrain": "domain",
            "showgrid": False,
            "showline": False,
        },
        "images": [view.map_image()],
        "updatemenus": [_play_pause()],
        "sliders": [_step_slider(shown)],
    }
    return layout


def _stacked_form(view: SurfaceView) -> dict:
    """The narrow chart's form: the 3D view over the map, each the chart's full width, and the
    colour bar lying flat between them (standing at the map's side it would take a third of a
    phone's width). The map's part is as tall as the domain's proportions need. The surface,
    whose colour bar it is, is the figure's first trace."""
    ratio = min((view.ymax - view.ymin) / (view.xmax - view.xmin), _MAX_MAP_RATIO)
    map_px = ratio * _PHONE_PX
    plot_px = _STACKED_AXIS_PX + map_px + _STACKED_COLORBAR_PX + _STACKED_SCENE_PX
    map_top = (_STACKED_AXIS_PX + map_px) / plot_px
    scene_bottom = 1.0 - _STACKED_SCENE_PX / plot_px
    return narrow_form(
        (plot_px + _STACKED_MARGINS_PX) / _PHONE_PX,
        min_height=MIN_HEIGHT,
        layout={
            "margin": {"l": 10, "r": 10},
            "scene": {"domain": {"x": [0.0, 1.0], "y": [scene_bottom, 1.0]}},
            "xaxis": {"domain": [0.0, 1.0]},
            "yaxis": {"domain": [_STACKED_AXIS_PX / plot_px, map_top]},
        },
        data={
            0: {
                "colorbar": {
                    "orientation": "h",
                    "x": 0.5,
                    "xanchor": "center",
                    "y": scene_bottom,
                    "yanchor": "top",
                    "len": 0.9,
                    "thickness": 10,
                    # Laid flat, its tick labels sit side by side: few enough to leave gaps.
                    "nticks": 4,
                    "title": {"side": "right"},
                }
            }
        },
    )


def add_switch_marker(fig: dict, surface: Surface, point: tuple[float, float], label: str) -> dict:
    """Mark where one optimizer handed over to another, on the map and on the 3D surface of a
    trajectory_figure. Appended as static traces, so the animation frames are unaffected."""
    view = surface_view(surface)
    at = np.array([point], dtype=float)
    x, y = view.xy(at)
    marker = {
        "symbol": "diamond",
        "size": 15,
        "color": "white",
        "line": {"color": "black", "width": 2.5},
    }
    common = {"name": label, "legendgroup": "switch", "hovertemplate": f"{label}<extra></extra>"}
    fig["data"] += [
        {"type": "scatter", "x": x, "y": y, "mode": "markers", "marker": marker, **common},
        {
            "type": "scatter3d",
            "x": x,
            "y": y,
            "z": view.heights(at, surface.f(at)),
            "mode": "markers",
            "marker": {
                "symbol": "diamond",
                "size": 7,
                "color": "white",
                "line": {"color": "black", "width": 2},
            },
            "scene": "scene",
            "showlegend": False,
            **common,
        },
    ]
    return fig


def _round_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round values (steps of 1, 2 or 5 × 10^k) from low to high."""
    raw = (high - low) / count
    if not np.isfinite(raw) or raw <= 0:
        return [low]
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(power * m for m in (1, 2, 5, 10) if power * m >= raw)
    values = np.arange(np.ceil(low / step) * step, high + step * 1e-9, step)
    return [float(f"{v + 0.0:.10g}") for v in values]  # + 0.0: no "-0"


def _map_ticks(proportion: float) -> int:
    """At most this many ticks on a map's side that is `proportion` times as long as the other
    (equal scales): Plotly counts ticks for the axis before equal scales shorten it, and on a
    slim map's short side the labels then run into each other."""
    return max(2, round(MAP_TICKS * min(1.0, proportion)))


def _comet_sizes(head: float) -> list[float]:
    """Marker sizes of one comet: the tail's dots grow towards the head, which is largest."""
    return [round(head * (0.25 + 0.35 * i / TAIL_FRAMES), 1) for i in range(TAIL_FRAMES)] + [head]


def _frame_args(duration: int) -> dict:
    # Scatter3d traces only update with redraw; the transition must be 0 for 3D.
    return {
        "frame": {"duration": duration, "redraw": True},
        "transition": {"duration": 0},
        "mode": "immediate",
    }


def _play_pause() -> dict:
    return {
        "type": "buttons",
        "direction": "left",
        "showactive": False,
        "x": 0.0,
        "xanchor": "left",
        "y": 0.0,
        "yanchor": "top",
        "pad": {"t": 0, "r": 10},
        "buttons": [
            {
                "label": "▶ " + tr("Play"),
                "method": "animate",
                "args": [None, _frame_args(FRAME_MS) | {"fromcurrent": True}],
            },
            {"label": "❚❚ " + tr("Pause"), "method": "animate", "args": [[None], _frame_args(0)]},
        ],
    }


def _step_slider(shown: np.ndarray) -> dict:
    return {
        "active": 0,
        "x": 0.2,
        "len": 0.8,
        "y": 0.0,
        "yanchor": "top",
        "pad": {"t": 0, "b": 0},
        # At the slider's right end, clear of the Play/Pause buttons on its left.
        "currentvalue": {
            "prefix": tr("step") + " ",
            "xanchor": "right",
            "font": {"size": 15, "color": "#222"},
        },
        # A hundred step labels cannot be read under the slider: the current value says the step.
        "ticklen": 0,
        "minorticklen": 0,
        "tickcolor": "rgba(0,0,0,0)",
        "font": {"size": 1, "color": "rgba(0,0,0,0)"},
        "steps": [
            {"label": str(int(s)), "method": "animate", "args": [[str(int(s))], _frame_args(0)]}
            for s in shown
        ],
    }
