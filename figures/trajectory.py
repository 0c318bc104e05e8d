"""The main view: a 3D surface (left) and its contour map (right) with every path drawn on both and
one Play/Pause + step slider moving a marker along all of them together.

Payload rule: the surface, the map picture and the full paths are sent once, as static traces and a
layout image; animation frames update only the four moving traces that come last (comet heads in
3D and on the map, the step each head takes next, the steepest-descent direction), so the JSON
grows with frames × paths, never with steps². Frames are subsampled by `frame_steps`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.data import (
    MAX_FRAMES,
    HeightScale,
    frame_steps,
    height_scale,
    rounded,
    rounded_to,
)
from figures.raster import banded_map_png
from figures.style import (
    CONTOUR_LINE_COLOR,
    GRADIENT_COLOR,
    HALO_COLOR,
    MINIMUM_COLOR,
    STEP_COLOR,
    STEP_SLIDER_DEPTH,
    SURFACE_COLORSCALE,
    axis_style,
    base_layout,
    legend_below,
)
from figures.track import Track
from landscapes import Surface

GRID_RESOLUTION = 60
CLICK_GRID_RESOLUTION = 30
# Name and meta of the invisible marker grid over the contour: a page reading a point selection
# keeps only points of the trace with this name; their x, y are the clicked start point.
CLICK_GRID_NAME = "click-to-start"
TAIL_FRAMES = 6
_NO_POINTS = np.zeros((0, 2))
HEAD_SIZE_2D = 14
HEAD_SIZE_3D = 11
# Arrows show directions only (gradients on Rosenbrock span 5 orders of magnitude): their drawn
# length is this fraction of the shorter side of the domain.
ARROW_FRACTION = 0.12
FRAME_MS = 50
CONTOUR_LEVELS = 18
MAP_PIXELS = 480
_SCENE_DOMAIN = [0.0, 0.47]
_MAP_DOMAIN = [0.55, 0.93]


def trajectory_figure(
    surface: Surface,
    paths: Sequence[Track],
    *,
    clickable: bool = True,
    height: int = 600,
    max_frames: int = MAX_FRAMES,
) -> go.Figure:
    """3D surface + contour map with all `paths`, animated together by one slider.

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

    moving = view.moving_traces(paths, shown, 0)
    moving_indices = list(range(len(static), len(static) + len(moving)))
    frames = [
        {
            "name": str(int(step)),
            "traces": moving_indices,
            "data": [_positions(trace) for trace in view.moving_traces(paths, shown, i)],
        }
        for i, step in enumerate(shown)
    ]
    layout = view.layout(height, shown)
    # Every trace above is built from known-good literals; Plotly's per-property validation of
    # ~1,000 frame traces would cost more than the rest of a page rerun.
    return go.Figure({"data": static + moving, "layout": layout, "frames": frames}, _validate=False)


def groups_meta(paths: Sequence[Track], points_per_path: int) -> dict:
    """`meta` of a trace that holds the points of several paths, `points_per_path` each: the
    legend group of every point. A legend click hides a path's own traces; the chart component
    (ui/plotly_chart.js) then blanks that path's points in these shared traces and their frames."""
    return {"groups": [path.label for path in paths for _ in range(points_per_path)]}


def _positions(trace: dict) -> dict:
    """What a frame needs of a moving trace: Plotly.animate merges it into the trace, so the
    styling sent once with the figure stays."""
    return {key: trace[key] for key in ("type", "x", "y", "z") if key in trace}


@functools.lru_cache(maxsize=32)
def surface_view(surface: Surface, resolution: int = GRID_RESOLUTION) -> SurfaceView:
    """The view of a surface, built once: every rerun of a page on the same surface reuses its
    grid, height scale and map picture."""
    return SurfaceView(surface, resolution)


class SurfaceView:
    """Everything derived from the surface once (grid, height scale, ranges, rounding)."""

    def __init__(self, surface: Surface, resolution: int = GRID_RESOLUTION):
        self.surface = surface
        (self.xmin, self.xmax), (self.ymin, self.ymax) = surface.domain
        self.xs, self.ys, f = surface.grid(resolution)
        self.f = f
        self.scale: HeightScale = height_scale(surface, f)
        self.z = self.scale(f)
        finite = self.z[np.isfinite(self.z)]
        zlo, zhi = float(finite.min()), float(finite.max())
        pad = 0.04 * (zhi - zlo or 1.0)
        self.zrange = (zlo - pad, zhi + pad)
        # Paths float this far above the surface so the mesh does not swallow them.
        self.lift = 0.012 * (zhi - zlo or 1.0)
        span = max(self.xmax - self.xmin, self.ymax - self.ymin)
        self.resolution = span * 10.0**-4
        self.arrow_length = ARROW_FRACTION * min(self.xmax - self.xmin, self.ymax - self.ymin)

    # --- coordinates as they go into the JSON -------------------------------------------------
    def xy(self, points: np.ndarray) -> tuple[list, list]:
        return rounded_to(points[:, 0], self.resolution), rounded_to(points[:, 1], self.resolution)

    def heights(self, points: np.ndarray, f: np.ndarray) -> list:
        """Drawn height of points on the surface; None outside the domain (3D plots do not clip)."""
        z = np.clip(self.scale(f) + self.lift, *self.zrange)
        z[~self.inside(points)] = np.nan
        return rounded(z)

    def xyz(self, points: np.ndarray, f: np.ndarray) -> dict:
        """x, y, z of points in the 3D scene, all None outside the domain: a 3D scene does not
        clip, so a run that leaves the map would otherwise be drawn far outside the box."""
        outside = ~self.inside(points)
        x, y = self.xy(np.where(outside[:, None], np.nan, points))
        return {"x": x, "y": y, "z": self.heights(points, f)}

    def inside(self, points: np.ndarray) -> np.ndarray:
        px, py = points[:, 0], points[:, 1]
        return (self.xmin <= px) & (px <= self.xmax) & (self.ymin <= py) & (py <= self.ymax)

    # --- static traces --------------------------------------------------------------------------
    def surface_trace(self) -> dict:
        trace = {
            "type": "surface",
            "name": "surface",
            "x": rounded_to(self.xs, self.resolution),
            "y": rounded_to(self.ys, self.resolution),
            "z": _compact(self.z),
            "scene": "scene",
            "colorscale": SURFACE_COLORSCALE,
            "cmin": self.zrange[0],
            "cmax": self.zrange[1],
            "showscale": True,
            "colorbar": self.colorbar(),
            "opacity": 0.8,
            "lighting": {"ambient": 0.75, "diffuse": 0.5, "specular": 0.05, "roughness": 0.9},
            "contours": {"z": {"show": False}},
            "hovertemplate": self.hover_template(),
        }
        return trace | self.raw_f_customdata()

    def contour_trace(self, hover: bool = True) -> dict:
        """The map as a Contour trace, for figures that are not animated (plotly.js drops Contour
        traces while an animation plays; the animated figure uses map_image instead)."""
        trace = {
            "type": "contour",
            "name": "contour",
            "x": rounded_to(self.xs, self.resolution),
            "y": rounded_to(self.ys, self.resolution),
            "z": _compact(self.z),
            "colorscale": SURFACE_COLORSCALE,
            "zmin": self.zrange[0],
            "zmax": self.zrange[1],
            "showscale": False,
            "ncontours": CONTOUR_LEVELS,
            "contours": {"coloring": "fill", "showlines": True},
            "line": {"color": CONTOUR_LINE_COLOR, "width": 1},
        }
        if not hover:
            return trace | {"hoverinfo": "skip"}
        return trace | self.raw_f_customdata() | {"hovertemplate": self.hover_template()}

    def map_image(self, xref: str = "x", yref: str = "y") -> dict:
        """The contour map (filled bands + level lines) as a layout image spanning the domain."""
        xspan, yspan = self.xmax - self.xmin, self.ymax - self.ymin
        return {
            "source": self.map_png,
            "xref": xref,
            "yref": yref,
            "x": self.xmin,
            "y": self.ymax,
            "sizex": xspan,
            "sizey": yspan,
            "xanchor": "left",
            "yanchor": "top",
            "sizing": "stretch",
            "layer": "below",
        }

    @functools.cached_property
    def map_png(self) -> str:
        """The map picture as a data: URI (the slowest part of a view: computed once per view)."""
        xspan, yspan = self.xmax - self.xmin, self.ymax - self.ymin
        width = max(2, round(MAP_PIXELS * min(1.0, xspan / yspan)))
        height = max(2, round(MAP_PIXELS * min(1.0, yspan / xspan)))
        # Sample at pixel centres so the picture lines up with the axes exactly.
        px = self.xmin + (np.arange(width) + 0.5) * xspan / width
        py = self.ymin + (np.arange(height) + 0.5) * yspan / height
        gx, gy = np.meshgrid(px, py)
        z = self.scale(self.surface.f(np.column_stack([gx.ravel(), gy.ravel()])))
        return banded_map_png(z.reshape(gx.shape), *self.zrange, CONTOUR_LEVELS, SURFACE_COLORSCALE)

    def raw_f_customdata(self) -> dict:
        # With a log scale the drawn height is not f: hover reads the true f from customdata.
        return {"customdata": _compact(self.f)} if self.scale.is_log else {}

    def hover_template(self) -> str:
        f = "%{customdata:.4~g}" if self.scale.is_log else "%{z:.4~g}"
        return f"x = %{{x:.3~f}}<br>y = %{{y:.3~f}}<br>f = {f}<extra></extra>"

    def colorbar(self) -> dict:
        bar = {
            "title": {"text": "f (log scale)" if self.scale.is_log else "f", "side": "right"},
            "x": 1.0,
            "xanchor": "left",
            "len": 0.85,
            "thickness": 16,
            "outlinewidth": 0,
        }
        if self.scale.is_log:
            tickvals, ticktext = self.scale.ticks(float(np.nanmax(self.f)))
            bar |= {"tickvals": tickvals, "ticktext": ticktext}
        return bar

    def minima_traces(self) -> list[dict]:
        # Drawn (empty) even without minima: the map's axes need a trace to exist.
        minima = np.array(self.surface.minima, dtype=float).reshape(-1, 2)
        x, y = self.xy(minima)
        # A few big stars read from the back of a room; Rastrigin's 25 would bury the paths.
        size = 17 if len(minima) <= 6 else 11
        marker = {
            "symbol": "star",
            "size": size,
            "color": MINIMUM_COLOR,
            "line": {"color": "black", "width": 1.5},
        }
        common = {"name": "known minimum", "legendgroup": "minimum", "hoverinfo": "skip"}
        return [
            {
                "type": "scatter3d",
                **self.xyz(minima, self.surface.f(minima)),
                "mode": "markers",
                "marker": marker | {"size": 6, "symbol": "diamond"},
                "showlegend": False,
                "scene": "scene",
                **common,
            },
            {"type": "scatter", "x": x, "y": y, "mode": "markers", "marker": marker, **common},
        ]

    def static_path_traces(self, path: Track) -> list[dict]:
        """The full path, drawn once: a white halo under a coloured line on the map, and in 3D."""
        visible = path.points[: path.last_step + 1]
        x, y = self.xy(visible)
        color = path.color
        group = {"legendgroup": path.label}
        losses = rounded(path.losses[: path.last_step + 1])
        hover = {
            "customdata": losses,
            "hovertemplate": f"{path.label}<br>step %{{pointNumber}}<br>"
            "x = %{x:.3~f}<br>y = %{y:.3~f}<br>f = %{customdata:.4~g}<extra></extra>",
        }
        return [
            {
                "type": "scatter",
                "x": x,
                "y": y,
                "mode": "lines",
                "line": {"color": HALO_COLOR, "width": 7},
                "hoverinfo": "skip",
                "showlegend": False,
                **group,
            },
            {
                "type": "scatter",
                "name": path.label,
                "x": x,
                "y": y,
                "mode": "lines",
                "line": {"color": color, "width": 3.5},
                **group,
                **hover,
            },
            {
                "type": "scatter3d",
                "name": path.label,
                **self.xyz(visible, path.losses[: path.last_step + 1]),
                "mode": "lines",
                "line": {"color": color, "width": 6},
                "scene": "scene",
                "showlegend": False,
                **group,
                **hover,
            },
        ]

    def endpoint_traces(self, paths: Sequence[Track]) -> list[dict]:
        """Start (open circle), end (filled square) and divergence (✕, where the run was last
        seen on the map) markers, on both views; one trace per kind keeps one legend entry each."""
        if not paths:
            return []
        finished = [p for p in paths if not p.diverged]
        diverged = [p for p in paths if p.diverged]
        kinds = [
            ("start", paths, [p.points[0] for p in paths], "circle-open", 13, "circle"),
            ("end", finished, [p.points[p.last_step] for p in finished], "square", 12, "square"),
            ("diverged", diverged, [self.last_seen(p) for p in diverged], "x", 20, "x"),
        ]
        traces = []
        for name, members, where, symbol, size, symbol3d in kinds:
            if not members:
                continue
            points = np.array(where, dtype=float)
            colors = [p.color for p in members]
            x, y = self.xy(points)
            marker = {"symbol": symbol, "size": size, "color": colors}
            if symbol == "circle-open":
                marker["line"] = {"color": colors, "width": 3}
            else:
                marker["line"] = {"color": "white" if symbol == "x" else "black", "width": 1.5}
            # meta.groups: whose point each one is (see groups_meta).
            common = {"name": name, "legendgroup": name, "meta": groups_meta(members, 1)}
            hover = {"hoverinfo": "skip"}
            if symbol == "x":
                hover = {
                    "hovertext": [
                        f"{p.label}: left the map or blew up; diverged at step {p.diverged_at}"
                        for p in members
                    ],
                    "hoverinfo": "text",
                }
            traces.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": y,
                    "mode": "markers",
                    "marker": marker,
                    "cliponaxis": False,
                    **common,
                    **hover,
                }
            )
            traces.append(
                {
                    "type": "scatter3d",
                    **self.xyz(points, self.surface.f(points)),
                    "mode": "markers",
                    "marker": {"symbol": symbol3d, "size": 7, "color": colors},
                    "scene": "scene",
                    "showlegend": False,
                    **common,
                    **hover,
                }
            )
        return traces

    def last_seen(self, path: Track) -> np.ndarray:
        """Where a run was last on the map: the point where its path last crosses the domain's
        edge outwards, or its last position if it never leaves (it blew up inside)."""
        visible = path.points[: path.last_step + 1]
        inside = self.inside(visible)
        exits = np.flatnonzero(inside[:-1] & ~inside[1:])
        if not inside[-1] and exits.size:
            a, b = visible[exits[-1]], visible[exits[-1] + 1]
            return a + self.exit_fraction(a, b) * (b - a)
        return visible[-1]

    def exit_fraction(self, a: np.ndarray, b: np.ndarray) -> float:
        """How far along the segment a → b (a inside the domain, b outside) it meets the edge."""
        fractions = [1.0]
        for axis, (low, high) in enumerate(((self.xmin, self.xmax), (self.ymin, self.ymax))):
            delta = b[axis] - a[axis]
            if delta > 0:
                fractions.append((high - a[axis]) / delta)
            elif delta < 0:
                fractions.append((low - a[axis]) / delta)
        return min(fractions)

    def click_grid(self) -> dict:
        gx, gy = np.meshgrid(
            np.linspace(self.xmin, self.xmax, CLICK_GRID_RESOLUTION),
            np.linspace(self.ymin, self.ymax, CLICK_GRID_RESOLUTION),
        )
        points = np.column_stack([gx.ravel(), gy.ravel()])
        x, y = self.xy(points)
        cell_px = 14
        return {
            "type": "scatter",
            "name": CLICK_GRID_NAME,
            "meta": CLICK_GRID_NAME,
            "x": x,
            "y": y,
            "mode": "markers",
            # Opacity 0 would make the markers unclickable in some browsers; 0.01 is invisible.
            "marker": {"size": cell_px, "color": "black", "opacity": 0.01},
            "selected": {"marker": {"opacity": 0.01}},
            "unselected": {"marker": {"opacity": 0.01}},
            "showlegend": False,
            "customdata": _compact(self.surface.f(points)),
            "hovertemplate": "x = %{x:.3~f}<br>y = %{y:.3~f}<br>f = %{customdata:.4~g}"
            "<br><i>click to start here</i><extra></extra>",
        }

    # --- moving traces (the only ones frames touch) -------------------------------------------
    def moving_traces(self, paths: Sequence[Track], shown: np.ndarray, frame: int) -> list[dict]:
        """Four traces whatever the number of paths, so a frame stays a handful of small objects:
        every path's head with a comet tail of its last TAIL_FRAMES positions (3D, then map), the
        step each head takes next, and the steepest-descent direction at each head."""
        tail = shown[np.clip(np.arange(frame - TAIL_FRAMES, frame + 1), 0, None)]
        steps = [np.minimum(tail, path.last_step) for path in paths]
        pairs = list(zip(paths, steps, strict=True))
        points = np.concatenate([p.points[s] for p, s in pairs] or [_NO_POINTS])
        losses = np.concatenate([p.losses[s] for p, s in pairs] or [np.zeros(0)])
        x, y = self.xy(points)
        colors = [p.color for p in paths for _ in tail]
        skip = {"hoverinfo": "skip", "showlegend": False, "meta": groups_meta(paths, len(tail))}
        comet_3d = {
            "type": "scatter3d",
            **self.xyz(points, losses),
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
        comet_map = {
            "type": "scatter",
            "x": x,
            "y": y,
            "mode": "markers",
            "marker": {
                "size": _comet_sizes(HEAD_SIZE_2D) * len(paths),
                "color": colors,
                "line": {"color": "white", "width": 1.5},
            },
            **skip,
        }
        step_x, step_y, descent_x, descent_y = [], [], [], []
        for path, path_steps in pairs:
            here = int(path_steps[-1])
            at = path.points[here]
            step = path.points[here + 1] - at if here < path.last_step else None
            for xs, ys, vector in (
                (step_x, step_y, step),
                (descent_x, descent_y, -path.grads[here]),
            ):
                ax, ay = self.arrow_xy(at, vector)
                xs += ax
                ys += ay
        steps_taken = {
            "type": "scatter",
            "name": "step taken",
            "x": step_x,
            "y": step_y,
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
        descent = {
            "type": "scatter",
            "name": "−∇f: steepest descent",
            "x": descent_x,
            "y": descent_y,
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

    def arrow_xy(self, start: np.ndarray, vector) -> tuple[list, list]:
        """An arrow of fixed length from `start` along `vector` (as [tail, head, gap] so arrows can
        share a trace); three Nones when there is no direction (zero, undefined or not finite)."""
        norm = float(np.hypot(*vector)) if vector is not None else 0.0
        if not (np.isfinite(norm) and norm > 0 and np.isfinite(start).all()):
            return [None] * 3, [None] * 3
        end = start + self.arrow_length * np.asarray(vector) / norm
        x, y = self.xy(np.array([start, end]))
        return [*x, None], [*y, None]

    # --- layout ---------------------------------------------------------------------------------
    def layout(self, height: int, shown: np.ndarray) -> dict:
        xspan, yspan = self.xmax - self.xmin, self.ymax - self.ymin
        ztitle = "f (log scale)" if self.scale.is_log else "f"
        zaxis = {"title": {"text": ztitle}, "range": list(self.zrange), "nticks": 5}
        if self.scale.is_log:
            tickvals, ticktext = self.scale.ticks(float(np.nanmax(self.f)))
            # The 3D axis is short: every other round value keeps its labels apart.
            zaxis |= {"tickvals": tickvals[::2], "ticktext": ticktext[::2]}
        scene_axis = {
            "showbackground": True,
            "backgroundcolor": "#f6f6f6",
            "gridcolor": "#ddd",
            # Five ticks a side: more crowd the labels where the y and z axes meet.
            "nticks": 5,
        }
        margin = {"l": 10, "r": 60, "t": 20, "b": 40}
        layout = base_layout(height) | {
            # Keeps the user's camera and zoom when a slider reruns the page with the same surface.
            "uirevision": self.surface.name,
            "margin": margin,
            # Below the step slider: a legend any higher could not be clicked.
            "legend": legend_below(height, margin, STEP_SLIDER_DEPTH),
            "scene": {
                "domain": {"x": _SCENE_DOMAIN, "y": [0.12, 1.0]},
                "xaxis": scene_axis | {"title": {"text": "x"}, "range": [self.xmin, self.xmax]},
                "yaxis": scene_axis | {"title": {"text": "y"}, "range": [self.ymin, self.ymax]},
                "zaxis": scene_axis | zaxis,
                "aspectmode": "manual",
                "aspectratio": {"x": 1.0, "y": yspan / xspan, "z": 0.65},
                # Far enough back that the tick labels at the front corners stay in the view.
                "camera": {"eye": {"x": -0.56, "y": -1.23, "z": 1.74}},
                "uirevision": self.surface.name,
            },
            "xaxis": axis_style()
            | {
                "domain": _MAP_DOMAIN,
                "range": [self.xmin, self.xmax],
                "title": {"text": "x"},
                "constrain": "domain",
                "showgrid": False,
                # The map picture is the frame: an axis line would sit a few pixels off it
                # under Streamlit's theme.
                "showline": False,
            },
            "yaxis": axis_style()
            | {
                "domain": [0.12, 1.0],
                "range": [self.ymin, self.ymax],
                "title": {"text": "y"},
                # Equal scales: only then is the gradient drawn at right angles to the contours.
                "scaleanchor": "x",
                "scaleratio": 1,
                "constrain": "domain",
                "showgrid": False,
                "showline": False,
            },
            "images": [self.map_image()],
            "updatemenus": [_play_pause()],
            "sliders": [_step_slider(shown)],
        }
        return layout


def _compact(values: np.ndarray) -> np.ndarray:
    """Big grids as float32 arrays: Plotly sends them as base64 (4 bytes a number, fewer than as
    rounded text) and copies one array instead of thousands of Python floats when it builds and
    serialises the figure."""
    return np.asarray(values, dtype=np.float32)


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
                "label": "▶ Play",
                "method": "animate",
                "args": [None, _frame_args(FRAME_MS) | {"fromcurrent": True}],
            },
            {"label": "❚❚ Pause", "method": "animate", "args": [[None], _frame_args(0)]},
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
            "prefix": "step ",
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
