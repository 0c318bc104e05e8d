"""Colours, fonts and chart config shared by every figure. An optimizer's own colour is on its spec
(OptimizerSpec.color), so it looks the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence

import optimizers
from optimizers.registry import REFERENCE_COLORS

# Pale and desaturated (cream valleys, slate peaks) so the saturated optimizer colours stand out
# on it; lightness rises monotonically, so it also reads in greyscale.
SURFACE_COLORSCALE = [
    [0.0, "#fdfbf3"],
    [0.15, "#f1ead2"],
    [0.35, "#d9d8c8"],
    [0.55, "#b3bccb"],
    [0.75, "#8294ad"],
    [1.0, "#4d5f7f"],
]
CONTOUR_LINE_COLOR = "rgba(60, 70, 90, 0.35)"
GRADIENT_COLOR = "#4a4a4a"
STEP_COLOR = "#111111"
MINIMUM_COLOR = "#FFD400"
HALO_COLOR = "rgba(255, 255, 255, 0.85)"

FONT = {"family": "Inter, 'Source Sans Pro', 'Segoe UI', Arial, sans-serif", "size": 14}

# The charts' Plotly config (ui.plotly_chart): the camera button saves a slide-sized PNG.
PLOTLY_CONFIG: dict = {
    "displaylogo": False,
    "toImageButtonOptions": {
        "format": "png",
        "filename": "gradient-atlas",
        "width": 1920,
        "height": 1080,
        "scale": 1,
    },
}

# An empty template: plotly.py's default one is ~9 KB of JSON per figure that we would override
# anyway. A plain dict, so figures built as plain dicts can carry it too.
BARE_TEMPLATE: dict = {}


def run_colors(optimizer_keys: Sequence[str]) -> list[str]:
    """The colour of each run: its optimizer's, or a reference colour for a second run of the same
    optimizer (GD at three learning rates)."""
    spare = iter(REFERENCE_COLORS)
    seen: set[str] = set()
    colors = []
    for key in optimizer_keys:
        colors.append(next(spare) if key in seen else optimizers.get(key).color)
        seen.add(key)
    return colors


def base_layout(height: int) -> dict:
    return {
        "template": BARE_TEMPLATE,
        "height": height,
        "font": FONT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "closest",
        "hoverlabel": {"font": {"size": 14}},
        "legend": {
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": -0.08,
            "yanchor": "top",
            "font": {"size": 13},
        },
    }


# How far below the plot area an animation's step slider reaches, in pixels (its rail takes
# clicks): a legend goes under it.
STEP_SLIDER_DEPTH = 64


def legend_below(height: int, margin: dict, depth: int) -> dict:
    """The horizontal legend `depth` pixels under the plot area. Plotly places legends in
    fractions of the plot's height, so a fixed fraction lands on the axis title of a short chart
    and far below a tall one."""
    plot_height = height - margin["t"] - margin["b"]
    return base_layout(height)["legend"] | {"y": -depth / plot_height}


def axis_style() -> dict:
    return {
        "showline": True,
        "linecolor": "#444",
        "mirror": True,
        "ticks": "outside",
        "gridcolor": "#e5e5e5",
        "zeroline": False,
    }
