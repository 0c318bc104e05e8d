"""Maps and sweep charts: basins of attraction, learning-rate and momentum sweeps, the (lr, μ) map,
data-fit plots and the optimizer-switch marker. Pure functions from analysis results to figures."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.basins import DIVERGED, STILL_MOVING, BasinMap
from analysis.sweeps import LrMomentumMap, Sweep
from figures.data import rounded
from figures.style import MINIMUM_COLOR, axis_style, base_layout
from figures.track import Track
from figures.trajectory import CLICK_GRID_NAME, SurfaceView
from landscapes import Surface
from landscapes.data import DataProblem

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
DIVERGED_COLOR = "#3b3b3b"
UNSTABLE_COLOR = "#b2182b"
EDGE_COLOR = "#222222"
LOG_FLOOR = 1e-12
_CONTOUR_RESOLUTION = 60


def outcome_label(surface: Surface, code: int) -> str:
    if code == STILL_MOVING:
        return "still moving or stuck"
    if code == DIVERGED:
        return "diverged"
    mx, my = surface.minima[code]
    return f"minimum {code + 1} at ({mx:.3g}, {my:.3g})"


def basin_color(code: int) -> str:
    if code == STILL_MOVING:
        return STILL_MOVING_COLOR
    if code == DIVERGED:
        return DIVERGED_COLOR
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
    view = SurfaceView(surface, _CONTOUR_RESOLUTION)
    traces = [_steps_heatmap(basins) if by_steps else _outcome_heatmap(basins)]
    traces.append(_contour_lines(view))
    if not by_steps:
        traces += _outcome_legend(surface, basins)
    traces += _minima_markers(surface)
    if path is not None:
        traces += _flat(view.static_path_traces(path) + view.endpoint_traces([path]))
    traces.append(
        view.click_grid()
        | {
            "hovertemplate": "x = %{x:.3~f}, y = %{y:.3~f}<br>"
            "<i>click to draw the run from here</i><extra></extra>"
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
            "legend": base_layout(height)["legend"] | {"y": -0.17},
        }
    )
    return fig


def _outcome_heatmap(basins: BasinMap) -> dict:
    # Codes become categories 0 … K+1 (minima, then still moving, then diverged) drawn with a
    # stepped colour scale: one flat colour per category.
    minima = int(max(basins.outcome.max(), -1)) + 1
    codes = [*range(minima), STILL_MOVING, DIVERGED]
    category = np.where(basins.outcome >= 0, basins.outcome, minima - 1 - basins.outcome)
    scale = []
    for index, code in enumerate(codes):
        scale += [
            [index / len(codes), basin_color(code)],
            [(index + 1) / len(codes), basin_color(code)],
        ]
    return {
        "type": "heatmap",
        "name": "basins",
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
        "name": "steps to the minimum",
        "x": rounded(basins.xs),
        "y": rounded(basins.ys),
        "z": rounded(steps),
        "colorscale": "Viridis",
        "reversescale": True,
        # The same scale for every map of the same run length, so two maps compare by colour.
        "zmin": 0,
        "zmax": basins.steps,
        "colorbar": {
            "title": {"text": f"steps to within {basins.tolerance:g}", "side": "right"},
            "thickness": 14,
            "outlinewidth": 0,
        },
        "hovertemplate": "x = %{x:.3~f}, y = %{y:.3~f}<br>%{z} steps<extra></extra>",
    }


def _contour_lines(view: SurfaceView) -> dict:
    return view.contour_trace(hover=False) | {
        "contours": {"coloring": "none", "showlines": True},
        "line": {"color": "rgba(255, 255, 255, 0.55)", "width": 1},
        "name": "contour lines",
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


def _minima_markers(surface: Surface) -> list[dict]:
    if not surface.minima:
        return []
    minima = np.array(surface.minima)
    return [
        {
            "type": "scatter",
            "name": "known minimum",
            "x": rounded(minima[:, 0]),
            "y": rounded(minima[:, 1]),
            "mode": "markers+text",
            "text": [str(i + 1) for i in range(len(minima))],
            "textposition": "top center",
            "textfont": {"size": 13, "color": "black"},
            "marker": {
                "symbol": "star",
                "size": 15,
                "color": MINIMUM_COLOR,
                "line": {"color": "black", "width": 1.5},
            },
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]


def _flat(traces: list[dict]) -> list[dict]:
    """The 2D part of trajectory traces (the map here has no 3D scene)."""
    return [trace for trace in traces if trace["type"] == "scatter"]


def sweep_figure(
    surface: Surface,
    sweeps: Sequence[tuple[str, str, Sweep]],
    *,
    edges: Sequence[tuple[str, float]] = (),
    height: int = 560,
) -> go.Figure:
    """Final loss (top, log) and steps to the minimum (bottom) against the swept value.

    `sweeps` are (label, colour, sweep); unstable runs are marked with a ✕ (at the top if
    they escaped). `edges` are (label, value) vertical lines, e.g. the theoretical 2/L.
    """
    parameter = sweeps[0][2].parameter if sweeps else "lr"
    log_x = parameter in {"lr", "batch_size"}
    best = float(np.nanmin(surface.minimum_values)) if surface.minima else 0.0
    gaps = [sweep.final_loss - best for _, _, sweep in sweeps]
    finite = np.concatenate([g[np.isfinite(g)] for g in gaps] or [np.zeros(0)])
    log_y = finite.size == 0 or finite.min() > -1e-9
    ceiling = float(finite.max()) if finite.size else 1.0
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.6, 0.4]
    )
    for (label, color, sweep), gap in zip(sweeps, gaps, strict=True):
        stable = ~sweep.unstable
        shown = np.maximum(gap, LOG_FLOOR) if log_y else gap
        fig.add_trace(
            {
                "type": "scatter",
                "name": label,
                "legendgroup": label,
                "x": rounded(sweep.values),
                "y": rounded(np.where(stable, shown, np.nan)),
                "mode": "lines+markers",
                "line": {"color": color, "width": 3},
                "marker": {"size": 6},
                "hovertemplate": f"{label}<br>{parameter} = %{{x:.3~g}}<br>final loss %{{y:.4~g}}<extra></extra>",
            },
            row=1,
            col=1,
        )
        unstable_y = np.where(np.isfinite(shown), shown, ceiling * (10 if log_y else 1.1))
        fig.add_trace(
            {
                "type": "scatter",
                "name": f"{label}: unstable",
                "legendgroup": label,
                "showlegend": bool(sweep.unstable.any()),
                "x": rounded(sweep.values[sweep.unstable]),
                "y": rounded(unstable_y[sweep.unstable]),
                "mode": "markers",
                "marker": {
                    "symbol": "x",
                    "size": 11,
                    "color": color,
                    "line": {"color": "white", "width": 1},
                },
                "hovertemplate": f"{label}<br>{parameter} = %{{x:.3~g}}<br>unstable: the loss grew or the run escaped<extra></extra>",
            },
            row=1,
            col=1,
        )
        steps = np.where(sweep.steps_to_tolerance >= 0, sweep.steps_to_tolerance, np.nan)
        fig.add_trace(
            {
                "type": "scatter",
                "name": label,
                "legendgroup": label,
                "showlegend": False,
                "x": rounded(sweep.values),
                "y": rounded(steps),
                "mode": "lines+markers",
                "line": {"color": color, "width": 3},
                "marker": {"size": 6},
                "hovertemplate": f"{label}<br>{parameter} = %{{x:.3~g}}<br>%{{y}} steps<extra></extra>",
            },
            row=2,
            col=1,
        )
    if sweeps and not any((sweep.steps_to_tolerance >= 0).any() for _, _, sweep in sweeps):
        fig.add_annotation(
            text="No run got within the tolerance of a known minimum.",
            xref="x2 domain",
            yref="y2 domain",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 14, "color": "#666"},
        )
    for index, (label, value) in enumerate(edges):
        fig.add_vline(x=value, line={"color": EDGE_COLOR, "width": 2, "dash": "dash"})
        # Labels above the plot, alternating sides of their lines so two close edges stay legible.
        fig.add_annotation(
            x=math.log10(value) if log_x else value,
            xref="x",
            y=1.0,
            yref="paper",
            yanchor="bottom",
            xanchor="right" if index % 2 == 0 else "left",
            text=f"{label} = {value:.3g}",
            showarrow=False,
            font={"size": 13},
        )
    x_axis = axis_style() | ({"type": "log", "exponentformat": "power"} if log_x else {})
    loss_title = "final loss" if best == 0.0 else f"final loss − f* (f* = {best:.4g})"
    fig.update_layout(
        base_layout(height)
        | {
            "margin": {"l": 70, "r": 20, "t": 30, "b": 50},
            "xaxis": x_axis,
            "xaxis2": x_axis | {"title": {"text": _parameter_title(parameter)}},
            "yaxis": axis_style()
            | {
                "title": {"text": loss_title},
                "type": "log" if log_y else "linear",
                "exponentformat": "power",
            },
            "yaxis2": axis_style()
            | {"title": {"text": "steps to the minimum"}, "rangemode": "tozero"},
            "legend": base_layout(height)["legend"] | {"y": -0.14},
        }
    )
    return fig


def _parameter_title(parameter: str) -> str:
    return {
        "lr": "learning rate η (log scale)",
        "momentum": "momentum μ",
        "batch_size": "batch size (log scale)",
    }.get(parameter, parameter)


def lr_momentum_figure(
    surface: Surface,
    grid: LrMomentumMap,
    *,
    edge_curve: tuple[np.ndarray, np.ndarray] | None = None,
    height: int = 480,
) -> go.Figure:
    """Final loss for every (lr, μ) as a heat map (log colour); unstable cells in dark red.

    `edge_curve` = (lrs, momenta) draws the theoretical stability edge on top.
    """
    best = float(np.nanmin(surface.minimum_values)) if surface.minima else 0.0
    gap = np.maximum(grid.final_loss - best, LOG_FLOOR)
    log_gap = np.where(
        grid.unstable, np.nan, np.log10(gap, where=np.isfinite(gap), out=np.full(gap.shape, np.nan))
    )
    x = np.log10(grid.lrs)
    decades = np.arange(math.floor(x.min()), math.ceil(x.max()) + 1)
    common = {"type": "heatmap", "x": rounded(x), "y": rounded(grid.momenta)}
    traces = [
        common
        | {
            "name": "final loss",
            "z": rounded(log_gap),
            "colorscale": "Viridis",
            "colorbar": {
                "title": {"text": "log₁₀ final loss", "side": "right"},
                "thickness": 14,
                "outlinewidth": 0,
            },
            "customdata": rounded(grid.lrs[None, :].repeat(grid.momenta.size, axis=0)),
            "hovertemplate": "lr = %{customdata:.3~g}, μ = %{y:.3~g}<br>log₁₀ final loss %{z:.2f}<extra></extra>",
        },
        common
        | {
            "name": "unstable",
            "z": np.where(grid.unstable, 1.0, np.nan).tolist(),
            "colorscale": [[0, UNSTABLE_COLOR], [1, UNSTABLE_COLOR]],
            "showscale": False,
            "hovertemplate": "μ = %{y:.3~g}<br>unstable: the loss grew or the run escaped<extra></extra>",
        },
        {
            "type": "scatter",
            "name": "unstable (loss grew or escaped)",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"symbol": "square", "size": 14, "color": UNSTABLE_COLOR},
        },
    ]
    if edge_curve is not None:
        edge_lrs, edge_momenta = edge_curve
        inside = (edge_lrs >= grid.lrs.min()) & (edge_lrs <= grid.lrs.max())
        traces.append(
            {
                "type": "scatter",
                "name": "theory: lr = 2(1 + μ)/L",
                "x": rounded(np.log10(edge_lrs[inside])),
                "y": rounded(edge_momenta[inside]),
                "mode": "lines",
                "line": {"color": "white", "width": 3, "dash": "dash"},
                "hoverinfo": "skip",
            }
        )
    fig = go.Figure(traces)
    fig.update_layout(
        base_layout(height)
        | {
            "margin": {"l": 70, "r": 20, "t": 10, "b": 50},
            "xaxis": axis_style()
            | {
                "title": {"text": "learning rate η (log scale)"},
                "tickvals": decades.tolist(),
                "ticktext": [f"1e{d}" for d in decades],
                "range": [float(x.min()), float(x.max())],
            },
            "yaxis": axis_style() | {"title": {"text": "momentum μ"}},
            # Grey behind the legend, so the white theory line shows in it too.
            "legend": base_layout(height)["legend"] | {"y": -0.16, "bgcolor": "#d6d6d6"},
        }
    )
    return fig


def data_fit_figure(
    problem: DataProblem, fits: Sequence[tuple[str, str, tuple[float, float]]], *, height: int = 380
) -> go.Figure:
    """The data set and the model at each (label, colour, (w, b)) in `fits`."""
    features = problem.features
    grid = np.linspace(features.min(), features.max(), 60)
    regression = problem.model == "linear_regression"
    traces = [
        {
            "type": "scatter",
            "name": f"{problem.samples} samples",
            "x": rounded(features),
            "y": rounded(problem.targets),
            "mode": "markers",
            "marker": {"size": 6, "color": "rgba(80, 80, 80, 0.45)"},
            "hoverinfo": "skip",
        }
    ]
    for index, (label, color, params) in enumerate(fits):
        traces.append(
            {
                "type": "scatter",
                "name": label,
                "x": rounded(grid),
                "y": rounded(problem.predict(params, grid)),
                "mode": "lines",
                "line": {
                    "color": color,
                    "width": 3,
                    "dash": "dot" if index == 0 else "solid",
                },
                "hovertemplate": f"{label}<br>w = {params[0]:.3g}, b = {params[1]:.3g}<extra></extra>",
            }
        )
    feature_title = "feature (standardised)" if problem.scaled else "feature (as measured)"
    fig = go.Figure(traces)
    fig.update_layout(
        base_layout(height)
        | {
            "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
            "xaxis": axis_style() | {"title": {"text": feature_title}},
            "yaxis": axis_style()
            | {"title": {"text": "target" if regression else "label / probability of class 1"}},
            "legend": base_layout(height)["legend"] | {"y": -0.2},
        }
    )
    return fig


def parameter_map_figure(
    surface: Surface, paths: Sequence[Track], *, title: str = "", height: int = 420
) -> go.Figure:
    """Contour map of the loss over (w, b) with the paths, on independent axis scales.

    Unlike the main view, w and b are not drawn to the same scale: for a raw feature their ranges
    differ a hundredfold and an equal-scale map would be a sliver.
    """
    view = SurfaceView(surface, _CONTOUR_RESOLUTION)
    traces = [view.contour_trace(), *_flat(view.minima_traces())]
    for path in paths:
        traces += _flat(view.static_path_traces(path))
    traces += _flat(view.endpoint_traces(paths))
    fig = go.Figure(traces)
    (xmin, xmax), (ymin, ymax) = surface.domain
    fig.update_layout(
        base_layout(height)
        | {
            "title": {"text": title, "font": {"size": 15}, "x": 0.0, "xanchor": "left"},
            "margin": {"l": 60, "r": 20, "t": 40 if title else 10, "b": 40},
            "xaxis": axis_style()
            | {"range": [xmin, xmax], "title": {"text": "weight w"}, "showgrid": False},
            "yaxis": axis_style()
            | {"range": [ymin, ymax], "title": {"text": "bias b"}, "showgrid": False},
            "uirevision": surface.name,
            "legend": base_layout(height)["legend"] | {"y": -0.14},
        }
    )
    return fig


def add_switch_marker(
    fig: go.Figure, surface: Surface, point: tuple[float, float], label: str
) -> go.Figure:
    """Mark where one optimizer handed over to another, on the map and on the 3D surface of a
    trajectory_figure. Appended as static traces, so the animation frames are unaffected."""
    view = SurfaceView(surface, _CONTOUR_RESOLUTION)
    at = np.array([point], dtype=float)
    x, y = view.xy(at)
    marker = {
        "symbol": "diamond",
        "size": 15,
        "color": "white",
        "line": {"color": "black", "width": 2.5},
    }
    common = {"name": label, "legendgroup": "switch", "hovertemplate": f"{label}<extra></extra>"}
    fig.add_trace(
        {"type": "scatter", "x": x, "y": y, "mode": "markers", "marker": marker, **common}
    )
    fig.add_trace(
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
        }
    )
    return fig


__all__ = [
    "BASIN_COLORS",
    "CLICK_GRID_NAME",
    "add_switch_marker",
    "basin_figure",
    "data_fit_figure",
    "lr_momentum_figure",
    "outcome_label",
    "parameter_map_figure",
    "sweep_figure",
]
