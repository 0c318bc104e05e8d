"""Every page runs inside app.py's navigation, even when a shared link opens it first."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# The browser tab's title and icon on every page (app.py; a page that sets its own page config
# repeats them).
APP_TITLE = "Gradient Atlas"
APP_ICON = "🧭"


def ensure_app_navigation() -> None:
    """Rerun through app.py if Streamlit ran this page file on its own.

    A fresh server treats a folder named pages/ as an old-style multipage app until app.py's first
    st.navigation call: a shared link to /compare that is the server's first request would run
    pages/compare.py alone, without page config and with a menu of file names. Clearing that mode
    and rerunning sends the run through app.py, which then opens the page the link asked for.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
