"""The view of a surface, built once per surface and shared by every figure that shows it: the
grid and its height scale, the map picture, the 2-D and 3-D coordinates of points as they go into
the JSON, and the static traces every map draws (surface, contour, known minima, a run's path and
its start/end/divergence marks, the click grid).

Figures take these traces from `surface_view(surface)`; a figure without a 3D scene asks for the
map's traces only (`scene=False`).
"""

from __future__ import annotations

import base64
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from figures.numbers import rounded, rounded_to
from figures.raster import banded_map_png
from figures.style import CONTOUR_LINE_COLOR, HALO_COLOR, MINIMUM_COLOR, SURFACE_COLORSCALE
from figures.track import Track
from landscapes import Surface
from texts import tr, translatable

GRID_RESOLUTION = 60
CLICK_GRID_RESOLUTION = 30
# Name and meta of the invisible marker grid over the contour: a page reading a point selection
# keeps only points of the trace with this name; their x, y are the clicked start point.
CLICK_GRID_NAME = "click-to-start"
# Arrows show directions only (gradients on Rosenbrock span 5 orders of magnitude): their drawn
# length is this fraction of the shorter side of the domain.
ARROW_FRACTION = 0.12
CONTOUR_LEVELS = 18
# The legend's names of a run's start, end and divergence markers, by legend group.
ENDPOINT_NAMES = {
    "start": translatable("start"),
    "end": translatable("end"),
    "diverged": translatable("diverged"),
}
MAP_PIXELS = 480
# A surface whose range exceeds this many times its median height (above the minimum) hides its
# valleys under a linear colour scale: Rosenbrock (~17) and Beale (~430) do, the bowls (~3),
# Himmelblau (~8) and the double well (~9) do not.
LOG_HEIGHT_RATIO = 12.0
# On a log-scaled surface the drawn height spans this many decades of f above its minimum.
LOG_DECADES = 4
LONGEST_WHOLE_TICK = 1e6
FLOAT32_MAX = float(np.finfo(np.float32).max)


@dataclass(frozen=True)
class HeightScale:
    """How f is turned into drawn height and colour: unchanged, or a signed log1p of the height
    above `floor` in units of `unit` when the surface's range would flatten its valleys."""

    floor: float
    unit: float  # 0 for linear

    @property
    def is_log(self) -> bool:
        return self.unit > 0

    def __call__(self, f: np.ndarray) -> np.ndarray:
        f = np.asarray(f, dtype=float)
        if not self.is_log:
            return f
        above = (f - self.floor) / self.unit
        # Signed, so the transform stays monotone for values below the floor (a run that leaves
        # the plotted domain on a surface unbounded below).
        return np.sign(above) * np.log1p(np.abs(above))

    def ticks(self, top: float) -> tuple[list[float], list[str]]:
        """Colour-bar ticks at round values of f (in drawn height), for the log scale."""
        values = [self.floor]
        decade = 10.0 ** math.ceil(math.log10(self.unit))
        while decade <= top - self.floor:
            values.append(self.floor + decade)
            decade *= 10
        return rounded(self(np.array(values))), [_tick_label(v) for v in values]


def _tick_label(value: float) -> str:
    # Whole numbers up to a million, then powers of ten: cosh(x)**50 reaches 1e50, and fifty
    # digits on the colour bar squeeze the map beside it.
    if abs(value) >= LONGEST_WHOLE_TICK or abs(value) < 1:
        return f"{value:.3g}"
    return f"{value:,.0f}"


def height_scale(surface: Surface, f_grid: np.ndarray) -> HeightScale:
    finite = f_grid[np.isfinite(f_grid)]
    floor = float(finite.min())
    if surface.best_known_value is not None:
        floor = min(floor, surface.best_known_value)
    spread = float(finite.max()) - floor
    typical = float(np.median(finite)) - floor
    if spread > 0 and spread > LOG_HEIGHT_RATIO * typical:
        return HeightScale(floor, spread / 10.0**LOG_DECADES)
    return HeightScale(floor, 0.0)


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
            "name": tr("surface"),
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
            "name": tr("contour"),
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
            "title": {"text": tr("f (log scale)") if self.scale.is_log else "f", "side": "right"},
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

    def minima_traces(self, scene: bool = True, numbered: bool = False) -> list[dict]:
        """The known minima as stars on the map (`numbered` 1, 2, … when a legend refers to them
        by number), and as diamonds in the 3D scene."""
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
        common = {"name": tr("known minimum"), "legendgroup": "minimum", "hoverinfo": "skip"}
        on_map = {"type": "scatter", "x": x, "y": y, "mode": "markers", "marker": marker, **common}
        if numbered:
            on_map |= {
                "mode": "markers+text",
                "text": [str(i + 1) for i in range(len(minima))],
                "textposition": "top center",
                "textfont": {"size": 13, "color": "black"},
                "showlegend": False,
            }
        if not scene:
            return [on_map]
        in_scene = {
            "type": "scatter3d",
            **self.xyz(minima, self.surface.f(minima)),
            "mode": "markers",
            "marker": marker | {"size": 6, "symbol": "diamond"},
            "showlegend": False,
            "scene": "scene",
            **common,
        }
        return [in_scene, on_map]

    def static_path_traces(self, path: Track, scene: bool = True) -> list[dict]:
        """The full path, drawn once: a white halo under a coloured line on the map, and in 3D."""
        visible = path.points[: path.last_step + 1]
        x, y = self.xy(visible)
        color = path.color
        group = {"legendgroup": path.label}
        losses = rounded(path.losses[: path.last_step + 1])
        hover = {
            "customdata": losses,
            "hovertemplate": f"{path.label}<br>{tr('step')} %{{pointNumber}}<br>"
            "x = %{x:.3~f}<br>y = %{y:.3~f}<br>f = %{customdata:.4~g}<extra></extra>",
        }
        on_map = [
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
        ]
        if not scene:
            return on_map
        return [
            *on_map,
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

    def endpoint_traces(self, paths: Sequence[Track], scene: bool = True) -> list[dict]:
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
        for group, members, where, symbol, size, symbol3d in kinds:
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
            common = {
                "name": tr(ENDPOINT_NAMES[group]),
                "legendgroup": group,
                "meta": groups_meta(members, 1),
            }
            hover = {"hoverinfo": "skip"}
            if symbol == "x":
                hover = {
                    "hovertext": [
                        tr(
                            "{optimizer}: left the map or blew up; diverged at step {step}",
                            optimizer=p.label,
                            step=p.diverged_at,
                        )
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
            if not scene:
                continue
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
            "hovertemplate": "x = %{x:.3~f}<br>y = %{y:.3~f}<br>f = %{customdata:.4~g}<br><i>"
            + tr("click to start here")
            + "</i><extra></extra>",
        }

    def arrows_xy(self, starts: np.ndarray, vectors: np.ndarray) -> tuple[list, list]:
        """Arrows of fixed length from each of `starts` (n, 2) along `vectors` (n, 2), each as
        [tail, head, gap] so that arrows can share a trace; three Nones where there is no
        direction (zero, undefined or not finite)."""
        norms = np.hypot(vectors[:, 0], vectors[:, 1])
        drawn = np.isfinite(norms) & (norms > 0) & np.isfinite(starts).all(axis=1)
        with np.errstate(all="ignore"):
            ends = starts + self.arrow_length * vectors / norms[:, None]
        gaps = np.full(starts.shape, np.nan)
        arrows = np.stack([starts, ends, gaps], axis=1)  # (n, 3, 2)
        arrows[~drawn] = np.nan
        return self.xy(arrows.reshape(-1, 2))


def groups_meta(paths: Sequence[Track], points_per_path: int) -> dict:
    """`meta` of a trace that holds the points of several paths, `points_per_path` each: the
    legend group of every point. A legend click hides a path's own traces; the chart component
    (ui/plotly_chart.js) then blanks that path's points in these shared traces and their frames."""
    return {"groups": [path.label for path in paths for _ in range(points_per_path)]}


def _compact(values: np.ndarray) -> dict:
    """Big grids as plotly.js typed arrays, base64-encoded: float32 (4 bytes a number, fewer than
    as rounded text), and one string to build and serialise instead of thousands of floats.
    Grids with values beyond float32's range stay float64 (8 bytes a number) rather than turn
    into infinities."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        wide = np.nanmax(np.abs(values), initial=0.0) > FLOAT32_MAX
    array = np.ascontiguousarray(values, dtype="<f8" if wide else "<f4")
    spec = {"dtype": "f8" if wide else "f4", "bdata": base64.b64encode(array.tobytes()).decode()}
    return spec | ({"shape": ", ".join(map(str, array.shape))} if array.ndim > 1 else {})
