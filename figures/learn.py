"""Small figures for the Learn page, one idea each. Pure functions from arrays to go.Figure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import optimizers
from figures.basins import BASIN_COLORS
from figures.numbers import rounded
from figures.style import (
    GRADIENT_COLOR,
    axis_style,
    base_layout,
    narrow_form,
    sized_by_width,
)
from figures.surface_view import surface_view
from figures.track import Track
from landscapes import Surface
from texts import tr

MINI_HEIGHT = 380
MINI_GRID = 50
UPHILL_COLOR = "#C0392B"
DESCENT_COLOR = "#1F5FAD"
# Arrows show direction; their length is this fraction of the map's shorter side.
ARROW_FRACTION = 0.1


def _contour(surface: Surface, **where) -> go.Contour:
    """The map as on every other page (surface_view), without hover: these figures are small."""
    return go.Contour(surface_view(surface, MINI_GRID).contour_trace(hover=False), **where)


def _map_layout(fig: go.Figure, surface: Surface, height: int = MINI_HEIGHT) -> go.Figure:
    (xmin, xmax), (ymin, ymax) = surface.domain
    fig.update_layout(base_layout(height) | {"margin": {"l": 10, "r": 10, "t": 30, "b": 10}})
    fig.update_xaxes(
        axis_style() | {"range": [xmin, xmax], "showgrid": False, "constrain": "domain"}
    )
    fig.update_yaxes(axis_style() | {"range": [ymin, ymax], "showgrid": False})
    # Equal scales on x and y: only then does the gradient cross the contours at right angles.
    for name in fig.layout:
        if name.startswith("yaxis"):
            x_name = fig.layout[name].anchor or "x"
            fig.layout[name].update(scaleanchor=x_name, scaleratio=1, constrain="domain")
    return fig


def _minima(surface: Surface, **where) -> go.Scatter:
    (on_map,) = surface_view(surface, MINI_GRID).minima_traces(scene=False)
    return go.Scatter(on_map, **where)


def _arrows(starts: np.ndarray, vectors: np.ndarray, length: float) -> tuple[list, list]:
    """Segments of equal drawn `length` along `vectors`, separated by None (one trace for all)."""
    norms = np.hypot(vectors[:, 0], vectors[:, 1])
    ok = np.isfinite(norms) & (norms > 0)
    ends = starts[ok] + length * vectors[ok] / norms[ok, None]
    xs, ys = [], []
    for (x0, y0), (x1, y1) in zip(starts[ok].tolist(), ends.tolist(), strict=True):
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return xs, ys


def _arrow_trace(xs: list, ys: list, color: str, name: str, **where) -> go.Scatter:
    heads = [0, 11, 0] * (len(xs) // 3)
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines+markers",
        name=name,
        line={"color": color, "width": 2.5},
        marker={"symbol": "arrow", "angleref": "previous", "size": heads, "color": color},
        hoverinfo="skip",
        **where,
    )


def _arrow_length(surface: Surface) -> float:
    (xmin, xmax), (ymin, ymax) = surface.domain
    return ARROW_FRACTION * min(xmax - xmin, ymax - ymin)


def gradient_field_figure(
    surface: Surface, points: np.ndarray, gradients: np.ndarray, highlight: int
) -> go.Figure:
    """Gradient arrows in the (x, y) plane: uphill at one point, and −∇f (descent) everywhere."""
    length = _arrow_length(surface)
    fig = go.Figure([_contour(surface), _minima(surface)])
    fig.add_trace(
        _arrow_trace(*_arrows(points, -gradients, length), DESCENT_COLOR, tr("−∇f (descent)"))
    )
    here = points[highlight : highlight + 1]
    fig.add_trace(
        _arrow_trace(
            *_arrows(here, gradients[highlight : highlight + 1], 2 * length),
            UPHILL_COLOR,
            tr("∇f (uphill) at one point"),
        )
    )
    return _map_layout(fig, surface)


def taylor_figure(
    distances: np.ndarray, true_loss: np.ndarray, linear_loss: np.ndarray, step: float
) -> go.Figure:
    """The loss along the descent direction and its tangent line; the gap at `step` is the error
    of trusting the linear picture for a step of that length."""
    at = int(np.argmin(np.abs(distances - step)))
    fig = go.Figure(
        [
            go.Scatter(
                x=rounded(distances),
                y=rounded(true_loss),
                name=tr("true loss f"),
                mode="lines",
                line={"color": "#222", "width": 3},
            ),
            go.Scatter(
                x=rounded(distances),
                y=rounded(linear_loss),
                name=tr("tangent (first-order Taylor)"),
                mode="lines",
                line={"color": DESCENT_COLOR, "width": 3, "dash": "dash"},
            ),
            go.Scatter(
                x=[distances[at], distances[at]],
                y=[linear_loss[at], true_loss[at]],
                name=tr("error at this step: {error:.3g}", error=true_loss[at] - linear_loss[at]),
                mode="lines+markers",
                line={"color": UPHILL_COLOR, "width": 4},
                marker={"size": 10},
            ),
        ]
    )
    span = np.concatenate([true_loss, linear_loss])
    low, high = np.nanmin(span), np.nanmax(true_loss)
    fig.update_layout(base_layout(MINI_HEIGHT) | {"margin": {"l": 10, "r": 10, "t": 30, "b": 10}})
    fig.update_xaxes(axis_style() | {"title": {"text": tr("distance moved along −∇f")}})
    fig.update_yaxes(
        axis_style() | {"title": {"text": tr("loss")}, "range": [low - 0.05 * (high - low), high]}
    )
    return fig


def side_by_side_figure(
    surface: Surface, paths: Sequence[Track], titles: Sequence[str]
) -> go.Figure:
    """One small map per path, same surface, so the only difference is the setting in the title."""
    fig = make_subplots(
        rows=1, cols=len(paths), subplot_titles=list(titles), horizontal_spacing=0.03
    )
    for column, path in enumerate(paths, start=1):
        shown = path.points[: path.last_step + 1]
        fig.add_trace(_contour(surface), row=1, col=column)
        fig.add_trace(_minima(surface, showlegend=False), row=1, col=column)
        fig.add_trace(
            go.Scatter(
                x=rounded(shown[:, 0]),
                y=rounded(shown[:, 1]),
                mode="lines+markers",
                name=path.label,
                showlegend=False,
                line={"color": path.color, "width": 3},
                marker={"size": 5, "color": path.color},
            ),
            row=1,
            col=column,
        )
    _map_layout(fig, surface, MINI_HEIGHT)
    fig.update_yaxes(showticklabels=False)
    # In a narrow chart the maps touch: the first map's x labels stand for all of them.
    others = {f"xaxis{column}": {"showticklabels": False} for column in range(2, len(paths) + 1)}
    fig.update_layout(meta=sized_by_width(None, narrow=narrow_form(None, layout=others)))
    return fig


def paths_figure(surface: Surface, paths: Sequence[Track]) -> go.Figure:
    """Several paths overlaid on one map (e.g. full batch, mini-batch, single-sample SGD)."""
    fig = go.Figure([_contour(surface), _minima(surface)])
    for path in paths:
        shown = path.points[: path.last_step + 1]
        fig.add_trace(
            go.Scatter(
                x=rounded(shown[:, 0]),
                y=rounded(shown[:, 1]),
                mode="lines",
                name=path.label,
                line={"color": path.color, "width": 2.5},
            )
        )
    return _map_layout(fig, surface)


def basins_figure(surface: Surface, starts: np.ndarray, destination: np.ndarray) -> go.Figure:
    """Each start point coloured by the minimum its run ended in; grey if it reached none."""
    fig = go.Figure([_contour(surface)])
    for index, minimum in enumerate(surface.minima):
        chosen = destination == index
        color = BASIN_COLORS[index % len(BASIN_COLORS)]
        fig.add_trace(
            go.Scatter(
                x=rounded(starts[chosen, 0]),
                y=rounded(starts[chosen, 1]),
                mode="markers",
                name=tr("ends at ({x:.2f}, {y:.2f})", x=minimum[0], y=minimum[1]),
                marker={"size": 8, "color": color, "line": {"color": "#555", "width": 0.6}},
                hoverinfo="skip",
            )
        )
    lost = destination < 0
    if lost.any():
        fig.add_trace(
            go.Scatter(
                x=rounded(starts[lost, 0]),
                y=rounded(starts[lost, 1]),
                mode="markers",
                name=tr("reaches no minimum"),
                marker={"size": 6, "color": "#999", "symbol": "x"},
                hoverinfo="skip",
            )
        )
    fig.add_trace(_minima(surface))
    return _map_layout(fig, surface, MINI_HEIGHT + 60)


def newton_figure(
    surface: Surface, points: np.ndarray, gradient_step: np.ndarray, newton_step: np.ndarray
) -> go.Figure:
    """From each point: the gradient step (across the valley) and the Newton step (to the
    minimum of the local quadratic model), drawn at their true lengths."""
    fig = go.Figure([_contour(surface), _minima(surface)])
    for steps, color, name in (
        (gradient_step, optimizers.get("sgd").color, tr("GD step −η∇f")),
        (newton_step, optimizers.get("newton").color, tr("Newton step −H⁻¹∇f")),
    ):
        xs, ys = [], []
        for start, step in zip(points, steps, strict=True):
            if np.isfinite(step).all():
                xs += [start[0], start[0] + step[0], None]
                ys += [start[1], start[1] + step[1], None]
        fig.add_trace(_arrow_trace(xs, ys, color, name))
    fig.add_trace(
        go.Scatter(
            x=points[:, 0],
            y=points[:, 1],
            mode="markers",
            name=tr("where the step starts"),
            marker={"size": 9, "color": "white", "line": {"color": GRADIENT_COLOR, "width": 2}},
            hoverinfo="skip",
        )
    )
    return _map_layout(fig, surface)


def loss_curves_figure(
    curves: Sequence,
    x_title: str,
    y_title: str | None = None,
    marker_x: float | None = None,
    marker_text: str = "",
) -> go.Figure:
    """Loss curves (objects with label, color, x, loss) on a log scale, optionally with a
    vertical line at `marker_x` (e.g. the step where one optimizer handed over to another). The
    titles are the caller's, in the page's language; the y axis is "loss" if it has none."""
    fig = go.Figure(
        [
            go.Scatter(
                x=rounded(curve.x),
                y=rounded(np.maximum(curve.loss, 1e-12)),
                name=curve.label,
                mode="lines",
                line={"color": curve.color, "width": 3},
            )
            for curve in curves
        ]
    )
    if marker_x is not None:
        fig.add_vline(x=marker_x, line={"color": GRADIENT_COLOR, "dash": "dot"})
        fig.add_annotation(
            x=marker_x,
            y=1,
            yref="paper",
            text=marker_text,
            showarrow=False,
            xanchor="left",
            yanchor="top",
        )
    fig.update_layout(base_layout(MINI_HEIGHT) | {"margin": {"l": 10, "r": 10, "t": 30, "b": 10}})
    fig.update_xaxes(axis_style() | {"title": {"text": x_title}})
    fig.update_yaxes(
        axis_style()
        | {"title": {"text": tr("loss") if y_title is None else y_title}, "type": "log"}
    )
    return fig
