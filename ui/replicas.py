"""Sessions that survive losing their server process (deploy/serve runs several behind HAProxy).

When a replica dies, Streamlit's front end reconnects by itself and the balancer sends it to a live
replica, which has never seen this session. The front end asks for a script run after a reconnect
only when the page has an automatic rerun registered (it assumes the same process kept the
session); without one, the page keeps showing the old view while the new replica holds no session,
so download links point at files of the dead process and a fragment button does nothing. A
fragment that reruns itself now and then registers such an automatic rerun: after a reconnect the
page runs again on the new replica and rebuilds its view from the URL, which holds every setting.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.state.common import is_element_id, user_key_from_element_id
from streamlit.runtime.state.session_state_proxy import get_session_state

# Any interval registers the automatic rerun; each tick costs the server one run of an empty
# fragment (a few milliseconds), so a long one keeps a class's idle sessions cheap.
_TICK = "10m"


@st.fragment(run_every=_TICK)
def _automatic_rerun() -> None:
    """Draws nothing: it exists so that the front end reruns the page after a reconnect."""


def rerun_after_reconnect() -> None:
    """Call once per run, from app.py, before the page runs."""
    _automatic_rerun()


def shown_in_browser() -> set[str]:
    """Keys of widgets whose values the browser sent with this run although this session has not
    drawn them yet: a page open before its server restarted (or its replica died) reconnects to
    a new session and sends what every widget shows. Streamlit hides such a value from
    st.session_state until its widget is drawn (it cannot decode it before), and a value the
    script sets first would replace it: the user's last move would be undone."""
    widgets = get_session_state()._state._new_widget_state
    return {
        user_key_from_element_id(element_id)
        for element_id in widgets.states
        if is_element_id(element_id) and element_id not in widgets.widget_metadata
    } - {None}
