"""Page pieces that are not settings: the clickable trajectory chart, messages, the share link."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import plotly.graph_objects as go
import streamlit as st

from figures.trajectory import CLICK_GRID_NAME
from ui.chart import plotly_chart
from ui.controls import START_DIGITS
from ui.report import Message
from ui.url import PageState


def clickable_chart(fig: go.Figure, key: str) -> None:
    """Draw a trajectory figure; clicking a point of its click grid moves the start there."""
    plotly_chart(fig, key, click_trace=CLICK_GRID_NAME, on_click=_start_from_click)


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
    with st.expander("Share", key="share", on_change="rerun") as share:
        if share.open:
            share_link(state)
    state.reset_button()
    state.show_notes()


def share_link(state: PageState) -> None:
    """The page's address with every setting, in a code box (it has a copy button)."""
    address = urlsplit(st.context.url or "")
    link = urlunsplit((address.scheme, address.netloc, address.path, urlencode(state.query), ""))
    st.caption("Share this view: the link reproduces every setting.")
    st.code(link, language=None, wrap_lines=True)
