"""Basin maps: every start of a grid coloured by where its run ended, or by how fast it got there."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from analysis.basins import STILL_MOVING, UNSTABLE, BasinMap
from figures.numbers import rounded
from figures.style import axis_style, base_layout
from figures.surface_view import SurfaceView, surface_view
from figures.track import Track
from landscapes import Surface
from texts import tr

# Pale, distinct fills (Paul Tol's "light" and "pale" sets), so an optimizer's saturated path
# stays visible on top. Surfaces with more minima than colours (Rastrigin) reuse them.
BASIN_COLORS = (
    "#77AADD",
    "#EE8866",
    "#44BB99",
    "#EEDD88",
    "#AAAA00",
    "#FFAABB",
    "#99DDFF",
    "#BBCC33",
    "#CCDDAA",
    "#DDDDDD",
    "#BBCCEE",
    "#FFCCCC",
)
STILL_MOVING_COLOR = "#f2f2f2"
UNSTABLE_COLOR = "#3b3b3b"


def outcome_label(surface: Surface, code: int) -> str:
    if code == STILL_MOVING:
        return tr("still moving or stuck")
    if code == UNSTABLE:
        return tr("unstable")
    mx, my = surface.minima[code]
    return tr("minimum {number} at ({x:.3g}, {y:.3g})", number=code + 1, x=mx, y=my)


def basin_color(code: int) -> str:
    if code == STILL_MOVING:
        return STILL_MOVING_COLOR
    if code == UNSTABLE:
        return UNSTABLE_COLOR
    return BASIN_COLORS[code % len(BASIN_COLORS)]


def basin_figure(
    surface: Surface,
    basins: BasinMap,
    *,
    by_steps: bool = False,
    path: Track | None = None,
    height: int = 560,
) -> go.Figure:
    """Every grid start coloured by where its run ended (or, `by_steps`, by how fast it got there).

    A near-invisible marker grid named CLICK_GRID_NAME lets a page read a clicked start; `path`
    (the run from that start) is drawn on top.
    """
    view = surface_view(surface)
    traces = [_steps_heatmap(basins) if by_steps else _outcome_heatmap(basins)]
    traces.append(_contour_lines(view))
    if not by_steps:
        traces += _outcome_legend(surface, basins)
    if surface.minima:
        traces += view.minima_traces(scene=False, numbered=True)
    if path is not None:
        traces += view.static_path_traces(path, scene=False)
        traces += view.endpoint_traces([path], scene=False)
    traces.append(
        view.click_grid()
        | {
            "hovertemplate": "x = %{x:.3~f}, y = %{y:.3~f}<br><i>"
            + tr("click to draw the run from here")
            + "</i><extra></extra>"
        }
    )
    fig = go.Figure(traces)
    (xmin, xmax), (ymin, ymax) = surface.domain
    fig.update_layout(
        base_layout(height)
        | {
            "margin": {"l": 50, "r": 20, "t": 10, "b": 40},
            "xaxis": axis_style()
            | {"range": [xmin, xmax], "title": {"text": "x"}, "constrain": "domain"},
            "yaxis": axis_style()
            | {
                "range": [ymin, ymax],
                "title": {"text": "y"},
                "scaleanchor": "x",
                "scaleratio": 1,
                "constrain": "domain",
            },
            "plot_bgcolor": STILL_MOVING_COLOR,
            "uirevision": surface.name,
        }
    )
    return fig


def _outcome_heatmap(basins: BasinMap) -> dict:
    # Codes become categories 0 … K+1 (minima, then still moving, then diverged) drawn with a
    # stepped colour scale: one flat colour per category.
    minima = int(max(basins.outcome.max(), -1)) + 1
    codes = [*range(minima), STILL_MOVING, UNSTABLE]
    category = np.where(basins.outcome >= 0, basins.outcome, minima - 1 - basins.outcome)
    scale = []
    for index, code in enumerate(codes):
        scale += [
            [index / len(codes), basin_color(code)],
            [(index + 1) / len(codes), basin_color(code)],
        ]
    return {
        "type": "heatmap",
        "name": tr("basins"),
        "x": rounded(basins.xs),
        "y": rounded(basins.ys),
        "z": category.tolist(),
        "zmin": -0.5,
        "zmax": len(codes) - 0.5,
        "colorscale": scale,
        "showscale": False,
        "hoverinfo": "skip",
    }


def _steps_heatmap(basins: BasinMap) -> dict:
    steps = np.where(basins.steps_to_tolerance >= 0, basins.steps_to_tolerance, np.nan)
    return {
        "type": "heatmap",
        "name": tr("steps to the minimum"),
        "x": rounded(basins.xs),
        "y": rounded(basins.ys),
        "z": rounded(steps),
        "colorscale": "Viridis",
        "reversescale": True,
        # The same scale for every map of the same run length, so two maps compare by colour.
        "zmin": 0,
        "zmax": basins.steps,
        "colorbar": {
            "title": {
                "text": tr("steps to within {tolerance:g}", tolerance=basins.tolerance),
                "side": "right",
            },
            "thickness": 14,
            "outlinewidth": 0,
        },
        "hovertemplate": "x = %{x:.3~f}, y = %{y:.3~f}<br>" + tr("%{z} steps") + "<extra></extra>",
    }


def _contour_lines(view: SurfaceView) -> dict:
    return view.contour_trace(hover=False) | {
        "contours": {"coloring": "none", "showlines": True},
        "line": {"color": "rgba(255, 255, 255, 0.55)", "width": 1},
        "name": tr("contour lines"),
        "showlegend": False,
    }


def _outcome_legend(surface: Surface, basins: BasinMap) -> list[dict]:
    """Legend entries (empty traces) for the outcomes that occur, with how many starts each got."""
    counts = basins.counts(len(surface.minima))
    total = basins.outcome.size
    return [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {
                "symbol": "square",
                "size": 14,
                "color": basin_color(code),
                "line": {"color": "#888", "width": 1},
            },
            "name": f"{outcome_label(surface, code)}: {100 * count / total:.0f}%",
        }
        for code, count in counts.items()
        if count
    ]
