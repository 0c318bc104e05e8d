"""Colours, fonts and chart config shared by every figure. An optimizer's own colour is on its spec
(OptimizerSpec.color), so it looks the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence

import optimizers
import texts
from optimizers.registry import REFERENCE_COLORS
from texts import translatable

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

# plotly.js's own texts that our charts can show (the mode bar's button titles, its notes while
# saving a picture, the hints after a double click), handed to plotly.js in the page's language
# by plotly_config. The English ones are plotly.js's keys, exactly as it writes them.
PLOTLY_TEXTS = (
    translatable("Download plot as a PNG"),
    translatable("Download plot"),
    translatable("Zoom"),
    translatable("Pan"),
    translatable("Zoom in"),
    translatable("Zoom out"),
    translatable("Autoscale"),
    translatable("Reset axes"),
    translatable("Box Select"),
    translatable("Lasso Select"),
    translatable("Orbital rotation"),
    translatable("Turntable rotation"),
    translatable("Reset camera to default"),
    translatable("Reset camera to last save"),
    translatable("Toggle show closest data on hover"),
    translatable("Show closest data on hover"),
    translatable("Compare data on hover"),
    translatable("Toggle Spike Lines"),
    translatable("Reset"),
    translatable("Reset view"),
    translatable("Reset views"),
    translatable("Preparing image - this may take a few seconds"),
    translatable("Image download succeeded"),
    translatable("Sorry, there was a problem downloading your image!"),
    translatable("Double-click to zoom back out"),
    translatable("Double-click on legend to isolate one trace"),
)


def plotly_config(language: str | None = None) -> dict:
    """PLOTLY_CONFIG in `language` (None: the run's): in any language but English it also carries
    plotly.js's own texts (PLOTLY_TEXTS) as a locale of that language (plotly.js's config.locales;
    numbers and dates keep plotly.js's English formats)."""
    language = language or texts.language()
    if language == texts.SOURCE:
        return PLOTLY_CONFIG
    translations = texts.catalogue(language)
    dictionary = {text: translations.get(text, text) for text in PLOTLY_TEXTS}
    return PLOTLY_CONFIG | {"locale": language, "locales": {language: {"dictionary": dictionary}}}


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
        # Above the plot area, where Plotly grows the top margin to fit it in however many rows it
        # wraps into at the chart's width. Below the plot it is placed in fractions of the plot's
        # height, and lands on the x-axis title of a short chart or of a narrow one.
        "legend": {
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 1.02,
            "yanchor": "bottom",
            "font": {"size": 13},
        },
    }


def axis_style() -> dict:
    return {
        # Grow the margin to fit the tick labels and the title: a fixed margin cuts them off,
        # or lets them leave the chart, at another width or font size.
        "automargin": True,
        "showline": True,
        "linecolor": "#444",
        "mirror": True,
        "ticks": "outside",
        "gridcolor": "#e5e5e5",
        "zeroline": False,
    }


# A chart narrower than this (a phone, a tablet upright) takes its figure's narrow form.
NARROW_BELOW_PX = 760


def sized_by_width(
    aspect: float | None,
    *,
    min_height: int = 0,
    screen_share: float | None = None,
    fill_window: bool = False,
    narrow: dict | None = None,
) -> dict:
    """A layout's `meta` that lets the chart in the browser size the figure by its own width,
    which only the browser knows (a phone, a projector, a collapsed sidebar): height = width ×
    `aspect`, at least `min_height`, at most `screen_share` of the window's height and, with
    `fill_window`, no taller than the window below the chart's top (all of it on screen). Below
    `narrow["below"]` pixels of width the chart shows the narrow form (narrow_form) instead.
    With `aspect` None the figure keeps its own height (only its narrow form differs).
    ui/plotly_chart.js applies it; the layout's own height is what any other renderer uses."""
    rule = {"aspect": aspect, "minHeight": min_height}
    if screen_share is not None:
        rule["screenShare"] = screen_share
    if fill_window:
        rule["fillWindow"] = True
    return {"responsive": rule | ({"narrow": narrow} if narrow else {})}


def narrow_form(
    aspect: float | None,
    *,
    min_height: int = 0,
    layout: dict,
    data: dict[int, dict] | None = None,
) -> dict:
    """The form a chart narrower than NARROW_BELOW_PX takes: `layout` and each `data[i]` are
    merged into the figure's layout and its i-th trace (nested dicts merge, anything else
    replaces), and the height follows `aspect` as in sized_by_width."""
    form = {"below": NARROW_BELOW_PX, "aspect": aspect, "minHeight": min_height, "layout": layout}
    return form | {"data": {str(i): patch for i, patch in (data or {}).items()}}
