"""Sweep charts: final loss and speed against a swept hyperparameter, and the (lr, μ) map."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.sweeps import LrMomentumMap, Sweep
from figures.numbers import LOG_FLOOR, rounded
from figures.style import axis_style, base_layout
from landscapes import Surface
from texts import tr, translatable

UNSTABLE_COLOR = "#b2182b"
EDGE_COLOR = "#222222"
# How the hover texts name a swept hyperparameter (its key where none is given).
_HOVER_NAMES = {"momentum": translatable("momentum"), "batch_size": translatable("batch_size")}


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
    name = tr(_HOVER_NAMES.get(parameter, parameter))
    unstable_text = tr("unstable: the loss grew or the run escaped")
    best = surface.best_known_value or 0.0
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
                "hovertemplate": f"{label}<br>{name} = %{{x:.3~g}}<br>"
                + tr("final loss %{y:.4~g}")
                + "<extra></extra>",
            },
            row=1,
            col=1,
        )
        unstable_y = np.where(np.isfinite(shown), shown, ceiling * (10 if log_y else 1.1))
        fig.add_trace(
            {
                "type": "scatter",
                "name": tr("{label}: unstable", label=label),
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
                "hovertemplate": f"{label}<br>{name} = %{{x:.3~g}}<br>{unstable_text}<extra></extra>",
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
                "hovertemplate": f"{label}<br>{name} = %{{x:.3~g}}<br>"
                + tr("%{y} steps")
                + "<extra></extra>",
            },
            row=2,
            col=1,
        )
    if sweeps and not any((sweep.steps_to_tolerance >= 0).any() for _, _, sweep in sweeps):
        fig.add_annotation(
            text=tr("No run got within the tolerance of a known minimum."),
            xref="x2 domain",
            yref="y2 domain",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 14, "color": "#666"},
        )
    for index, (label, value) in enumerate(edges):
        fig.add_vline(x=value, line={"color": EDGE_COLOR, "width": 2, "dash": "dash"})
        # Labels at the top inside the plot (the legend is above it), alternating sides of their
        # lines so two close edges stay legible.
        fig.add_annotation(
            x=math.log10(value) if log_x else value,
            xref="x",
            y=1.0,
            yref="paper",
            yanchor="top",
            xanchor="right" if index % 2 == 0 else "left",
            text=f"{label} = {value:.3g}",
            showarrow=False,
            font={"size": 13},
        )
    x_axis = axis_style() | ({"type": "log", "exponentformat": "power"} if log_x else {})
    loss_title = (
        tr("final loss") if best == 0.0 else tr("final loss − f* (f* = {best:.4g})", best=best)
    )
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
            | {"title": {"text": tr("steps to the minimum")}, "rangemode": "tozero"},
        }
    )
    return fig


def _parameter_title(parameter: str) -> str:
    titles = {
        "lr": tr("learning rate η (log scale)"),
        "momentum": tr("momentum μ"),
        "batch_size": tr("batch size (log scale)"),
    }
    return titles.get(parameter, parameter)


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
    best = surface.best_known_value or 0.0
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
            "name": tr("final loss"),
            "z": rounded(log_gap),
            "colorscale": "Viridis",
            "colorbar": {
                "title": {"text": tr("log₁₀ final loss"), "side": "right"},
                "thickness": 14,
                "outlinewidth": 0,
            },
            "customdata": rounded(grid.lrs[None, :].repeat(grid.momenta.size, axis=0)),
            "hovertemplate": "lr = %{customdata:.3~g}, μ = %{y:.3~g}<br>"
            + tr("log₁₀ final loss %{z:.2f}")
            + "<extra></extra>",
        },
        common
        | {
            "name": tr("unstable"),
            "z": np.where(grid.unstable, 1.0, np.nan).tolist(),
            "colorscale": [[0, UNSTABLE_COLOR], [1, UNSTABLE_COLOR]],
            "showscale": False,
            "hovertemplate": "μ = %{y:.3~g}<br>"
            + tr("unstable: the loss grew or the run escaped")
            + "<extra></extra>",
        },
        {
            "type": "scatter",
            "name": tr("unstable (loss grew or escaped)"),
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
                "name": tr("theory: lr = 2(1 + μ)/L"),
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
                "title": {"text": tr("learning rate η (log scale)")},
                "tickvals": decades.tolist(),
                "ticktext": [f"1e{d}" for d in decades],
                "range": [float(x.min()), float(x.max())],
            },
            "yaxis": axis_style() | {"title": {"text": tr("momentum μ")}},
            # Grey behind the legend, so the white theory line shows in it too.
            "legend": base_layout(height)["legend"] | {"bgcolor": "#d6d6d6"},
        }
    )
    return fig
