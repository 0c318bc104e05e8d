"""A model fitted to data: the samples with the model's line, and the loss map over its two
parameters (weight w, bias b) with the training paths."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.numbers import rounded
from figures.style import axis_style, base_layout
from figures.surface_view import surface_view
from figures.track import Track
from landscapes import Surface
from landscapes.data import DataProblem
from texts import tr


def data_fit_figure(
    problem: DataProblem, fits: Sequence[tuple[str, str, tuple[float, float]]], *, height: int = 380
) -> go.Figure:
    """The data set and the model at each (label, colour, (w, b)) in `fits`."""
    features = problem.features
    grid = np.linspace(features.min(), features.max(), 60)
    regression = not problem.classifies
    traces = [
        {
            "type": "scatter",
            "name": tr("{count} samples", count=problem.samples),
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
    feature_title = tr("feature (standardised)") if problem.scaled else tr("feature (as measured)")
    fig = go.Figure(traces)
    fig.update_layout(
        base_layout(height)
        | {
            "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
            "xaxis": axis_style() | {"title": {"text": feature_title}},
            "yaxis": axis_style()
            | {
                "title": {
                    "text": tr("target") if regression else tr("label / probability of class 1")
                }
            },
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
    view = surface_view(surface)
    traces = [view.contour_trace(), *view.minima_traces(scene=False)]
    for path in paths:
        traces += view.static_path_traces(path, scene=False)
    traces += view.endpoint_traces(paths, scene=False)
    fig = go.Figure(traces)
    (xmin, xmax), (ymin, ymax) = surface.domain
    fig.update_layout(
        base_layout(height)
        | {
            "title": {"text": title, "font": {"size": 15}, "x": 0.0, "xanchor": "left"},
            "margin": {"l": 60, "r": 20, "t": 40 if title else 10, "b": 40},
            "xaxis": axis_style()
            | {"range": [xmin, xmax], "title": {"text": tr("weight w")}, "showgrid": False},
            "yaxis": axis_style()
            | {"range": [ymin, ymax], "title": {"text": tr("bias b")}, "showgrid": False},
            "uirevision": surface.name,
        }
    )
    return fig
