"""Gradient Atlas: page configuration, the language and navigation only.

Pages are listed explicitly with st.navigation (not discovered from pages/) so their order, titles
and icons live here; a new page is one more line in PAGES. Icons are Material Symbols, which
Streamlit ships as a font: emoji need an emoji font that many Linux machines lack.
"""

import streamlit as st

import ui
from texts import tr

st.set_page_config(page_title=ui.APP_TITLE, page_icon=ui.APP_ICON, layout="wide")
# First, so the navigation, the page and every message of this run speak the chosen language.
ui.choose_language()
PAGES = [
    st.Page("pages/explore.py", title=tr("Explore"), icon=":material/explore:", default=True),
    st.Page("pages/compare.py", title=tr("Compare"), icon=":material/compare_arrows:"),
    st.Page("pages/present.py", title=tr("Present"), icon=":material/co_present:"),
    st.Page("pages/learn.py", title=tr("Learn"), icon=":material/school:"),
    st.Page("pages/basins.py", title=tr("Basins"), icon=":material/map:"),
    st.Page("pages/sweeps.py", title=tr("Sweeps"), icon=":material/show_chart:"),
    st.Page("pages/minibatch.py", title=tr("Mini-batches"), icon=":material/casino:"),
    st.Page("pages/networks.py", title=tr("Networks"), icon=":material/hub:"),
]
# Every page draws Plotly charts: the browser fetches plotly.js while the page's script runs.
ui.load_plotly()
# A session whose server process died comes back on another replica with the same view.
ui.rerun_after_reconnect()
st.navigation(PAGES).run()
