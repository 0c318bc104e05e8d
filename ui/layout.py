"""Page pieces that are not settings: the clickable trajectory chart, messages, the share link."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import plotly.graph_objects as go
import streamlit as st

from figures.surface_view import CLICK_GRID_NAME
from texts import tr
from ui.chart import SerialisedFigure, plotly_chart
from ui.controls import MAX_STEPS, START_DIGITS
from ui.report import Message
from ui.url import PageState, int_setting, point_setting

_VIEW_STEP = "at"  # URL parameters of a ChartView
_VIEW_EYE = "eye"
MAX_EYE = 10.0  # Plotly's default eye is about 2 from the centre; 10 is far out


@dataclass(frozen=True)
class ChartView:
    """What a trajectory chart shows beyond its figure: the animation step on screen and the 3D
    camera's eye (None: the figure's own). Part of the link, so a shared link shows the same."""

    step: int = 0
    eye: tuple[float, float, float] | None = None


def chart_view(state: PageState, default_step: int = 0) -> ChartView:
    """The chart's view from the link, or as the user left it (the chart reports it); it opens
    on `default_step` (e.g. the last step: the runs' outcome) until then."""
    step = state.seed(int_setting(_VIEW_STEP, default_step, 0, MAX_STEPS))
    eye = state.seed(point_setting(_VIEW_EYE, -MAX_EYE, MAX_EYE))
    return ChartView(step, eye)


def trajectory_chart(
    fig: dict | go.Figure | SerialisedFigure, key: str, view: ChartView | None = None
) -> None:
    """Draw a trajectory figure; clicking a point of its click grid (if it has one) moves the
    start there. With a `view`, the chart opens on it and reports the step and camera the user
    leaves it at, for the link."""
    plotly_chart(
        fig,
        key,
        click_trace=CLICK_GRID_NAME,
        on_click=_start_from_click,
        view=None if view is None else {"step": view.step, "eye": view.eye},
        on_view=None if view is None else _store_view,
    )


def _store_view(reported: dict) -> None:
    # A widget callback: the values are in place when the script seeds and publishes them.
    st.session_state[_VIEW_STEP] = int(reported["step"])
    eye = reported.get("eye")
    st.session_state[_VIEW_EYE] = None if eye is None else tuple(round(float(v), 3) for v in eye)


def _start_from_click(point: dict) -> None:
    # A widget callback runs before the script, so it may still set the start widgets' values.
    st.session_state["start_x"] = round(float(point["x"]), START_DIGITS)
    st.session_state["start_y"] = round(float(point["y"]), START_DIGITS)


def show_message(message: Message) -> None:
    getattr(st, message.level)(message.text)


def finish_sidebar(state: PageState, complete: bool = True) -> None:
    """The end of every page's settings: write them to the URL, offer the link and a reset, and
    show any notes about link values that could not be used (see PageState.publish)."""
    state.publish(complete=complete)
    # Drawn only while open: the code box costs the browser ~0.2 s on a page's first load.
    with st.expander(tr("Share"), key="share", on_change="rerun") as share:
        if share.open:
            share_link(state)
    state.reset_button()
    state.show_notes()


def share_link(state: PageState) -> None:
    """The page's address with every setting, in a code box (it has a copy button)."""
    address = urlsplit(st.context.url or "")
    link = urlunsplit((address.scheme, address.netloc, address.path, urlencode(state.query), ""))
    st.caption(tr("Share this view: the link reproduces every setting."))
    st.code(link, language=None, wrap_lines=True)
