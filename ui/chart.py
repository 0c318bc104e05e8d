"""Plotly charts that update in place.

st.plotly_chart gives a chart a new identity whenever its figure changes, so every rerun rebuilds
it from scratch: on a 2-core laptop with software WebGL that costs ~0.6 s for a 3D scene. This
chart keeps one Plotly instance per key and hands it each new figure through Plotly.react, and
every page draws its charts with it so that a page loads one copy of plotly.js."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import plotly
import plotly.graph_objects as go
import plotly.io
import streamlit as st
import streamlit.components.v1
import streamlit.components.v2

import figures

CHART_COMPONENT = "gradient_atlas_plotly_chart"
# plotly.js with only the trace types the figures use (1.8 MB against the full 4.8 MB), at the
# version plotly.py writes its figures for: scripts/build-plotly-bundle makes it.
_PLOTLY_DIR = Path(__file__).with_name("vendor")
PLOTLY_BUNDLE = _PLOTLY_DIR / "plotly-atlas.min.js"
_SCRIPT = Path(__file__).with_name("plotly_chart.js")
_LOADER = Path(__file__).with_name("plotly_loader.js")


@functools.cache
def _bundle_url() -> str:
    # The bundle is served by Streamlit's component file route; declared during a script run,
    # which it needs.
    served = streamlit.components.v1.declare_component("plotly_js", path=str(_PLOTLY_DIR))
    return f"component/{served.name}/{PLOTLY_BUNDLE.name}"


@functools.cache
def _loader() -> str:
    return _LOADER.read_text().replace("__PLOTLY_SRC__", _bundle_url())


@functools.cache
def _component():
    script = _SCRIPT.read_text().replace("__LOAD_PLOTLY__", _loader())
    return streamlit.components.v2.component(CHART_COMPONENT, js=script, isolate_styles=False)


def load_plotly() -> None:
    """Start loading plotly.js in the browser before any chart needs it (call it at the top of
    the page): a page's first chart appears that much sooner."""
    # st.html runs it as soon as it arrives, ~0.15 s sooner on Compare (bench) than a loader
    # component, which mounts with the page's charts.
    st.html(f"<script>{_loader()}</script>", unsafe_allow_javascript=True)


@dataclass(frozen=True)
class SerialisedFigure:
    """A figure as the JSON the browser receives. Serialising a figure costs more than the rest
    of a rerun that changes nothing (~20 ms for Explore's), so a cached figure is kept this way
    and every rerun and every session showing it reuses the text."""

    json: str

    @classmethod
    def of(cls, fig: dict | go.Figure) -> SerialisedFigure:
        return cls(plotly.io.to_json(fig, validate=False))


def figure_message(
    fig: dict | go.Figure | SerialisedFigure,
    click_trace: str | None = None,
    view: dict | None = None,
) -> bytes:
    """What the browser receives: the figure, the chart config, the clickable trace's name and
    the view to open on."""
    figure_json = (fig if isinstance(fig, SerialisedFigure) else SerialisedFigure.of(fig)).json
    rest = json.dumps({"config": figures.plotly_config(), "clickTrace": click_trace, "view": view})
    return ('{"figure":' + figure_json + "," + rest[1:]).encode()


def plotly_chart(
    fig: dict | go.Figure | SerialisedFigure,
    key: str,
    *,
    click_trace: str | None = None,
    on_click: Callable[[dict], None] | None = None,
    view: dict | None = None,
    on_view: Callable[[dict], None] | None = None,
) -> None:
    """Draw `fig` as the chart named `key` (one per page).

    A click on a point of the trace named `click_trace` calls on_click({"x": ..., "y": ...})
    before the rerun. A `view` ({"step": animation step, "eye": [x, y, z] or None}) is applied
    when the chart is first drawn, and later figures open on the step the user left; on_view(view)
    is called with the step and camera eye where the user leaves the animation and the 3D view."""
    callbacks = {}
    if on_click is not None:
        callbacks["on_click_change"] = lambda: on_click(st.session_state[key]["click"])
    if on_view is not None:
        callbacks["on_view_change"] = lambda: on_view(st.session_state[key]["view"])
    _component()(key=key, data=figure_message(fig, click_trace, view), **callbacks)
