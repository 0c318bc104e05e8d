"""A network's view of its data: the training points and, per run, the decision boundary (where
the predicted probability of class 1 crosses ½) over the input plane."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from figures.numbers import rounded
from figures.style import axis_style, base_layout
from figures.track import Track
from texts import tr

CLASS_COLORS = ("#1f5fa8", "#c8553d")  # class 0, class 1: blue and rust, apart in greyscale too
# Probability of class 1 as a pale background: blue below ½, rust above, white at the boundary.
_PROBABILITY_SCALE = [[0.0, "#c9d9ee"], [0.5, "#ffffff"], [1.0, "#f1cfc6"]]


def decision_boundary_figure(
    inputs: np.ndarray,
    labels: np.ndarray,
    xs: np.ndarray,
    ys: np.ndarray,
    probability: np.ndarray,
    path: Track,
    subtitle: str,
    *,
    height: int = 330,
) -> go.Figure:
    """One run's view of the data: P(class 1) over the input box (probability[j, k] at (xs[k],
    ys[j])), its ½ contour in the run's colour, and the training points by class."""
    grid = {"x": rounded(xs, 3), "y": rounded(ys, 3), "z": np.asarray(probability, np.float32)}
    traces = [
        grid
        | {
            "type": "heatmap",
            "zmin": 0.0,
            "zmax": 1.0,
            "colorscale": _PROBABILITY_SCALE,
            "showscale": False,
            "hovertemplate": tr("P(class 1)") + " = %{z:.2f}<extra></extra>",
        },
        grid
        | {
            "type": "contour",
            "contours": {"start": 0.5, "end": 0.5, "size": 1.0, "coloring": "none"},
            "line": {"color": path.color, "width": 3},
            "showscale": False,
            "hoverinfo": "skip",
            "name": tr("decision boundary"),
        },
    ]
    for label, color in enumerate(CLASS_COLORS):
        points = inputs[labels == label]
        traces.append(
            {
                "type": "scatter",
                "x": rounded(points[:, 0], 3),
                "y": rounded(points[:, 1], 3),
                "mode": "markers",
                "marker": {"size": 5, "color": color, "line": {"color": "white", "width": 0.5}},
                "name": tr("class {label}", label=label),
                "hoverinfo": "skip",
            }
        )
    box = {"showgrid": False, "constrain": "domain"}
    fig = go.Figure(traces)
    fig.update_layout(
        base_layout(height)
        | {
            "title": {
                "text": f"{path.label}<br><span style='font-size:13px'>{subtitle}</span>",
                "font": {"size": 14, "color": path.color},
                "x": 0.0,
                "xanchor": "left",
            },
            "showlegend": False,
            "margin": {"l": 30, "r": 10, "t": 55, "b": 25},
            "xaxis": axis_style() | box | {"range": [float(xs[0]), float(xs[-1])]},
            "yaxis": axis_style()
            | box
            | {"range": [float(ys[0]), float(ys[-1])], "scaleanchor": "x", "scaleratio": 1},
        }
    )
    return fig
