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

# Any interval registers the automatic rerun; each tick costs the server one run of an empty
# fragment (a few milliseconds), so a long one keeps a class's idle sessions cheap.
_TICK = "10m"


@st.fragment(run_every=_TICK)
def _automatic_rerun() -> None:
    """Draws nothing: it exists so that the front end reruns the page after a reconnect."""


def rerun_after_reconnect() -> None:
    """Call once per run, from app.py, before the page runs."""
    _automatic_rerun()
