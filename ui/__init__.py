"""Reusable Streamlit building blocks: controls generated from the registries, URL state, runs.

A page reads top to bottom like it looks:

    state = ui.PageState("explore")
    with st.sidebar:
        choice, surface = ui.surface_picker(state)
        ...
        steps = ui.slider(state, "steps", "Steps", 10, 1000, default=300)  # bound to the URL
        ...
        ui.finish_sidebar(state)  # URL, share link, reset, notes about the link
"""

from ui import cached
from ui.chart import load_plotly, plotly_chart
from ui.controls import (
    CUSTOM,
    RunSettings,
    SurfaceChoice,
    hyper_slider,
    hyperparameter_controls,
    optimizer_picker,
    optimizers_multiselect,
    run_settings,
    schedule_controls,
    start_point,
    surface_picker,
    switch_controls,
)
from ui.downloads import export_panel
from ui.language import choose_language
from ui.layout import (
    chart_view,
    finish_sidebar,
    share_link,
    show_message,
    trajectory_chart,
)
from ui.markdown import plain
from ui.maths import maths_panel
from ui.navigation import APP_ICON, APP_TITLE, ensure_app_navigation
from ui.replicas import rerun_after_reconnect
from ui.report import Message, outcome_message, ranking, ranking_table, schedule_caption
from ui.runs import Scene, figure, run_one
from ui.url import PageState
from ui.widgets import (
    drawn_texts,
    radio,
    select_slider,
    selectbox,
    setting_tabs,
    slider,
    whole_number_input,
)

__all__ = [
    "APP_ICON",
    "APP_TITLE",
    "CUSTOM",
    "Message",
    "PageState",
    "RunSettings",
    "Scene",
    "SurfaceChoice",
    "cached",
    "chart_view",
    "choose_language",
    "drawn_texts",
    "ensure_app_navigation",
    "export_panel",
    "figure",
    "finish_sidebar",
    "hyper_slider",
    "hyperparameter_controls",
    "load_plotly",
    "maths_panel",
    "optimizer_picker",
    "optimizers_multiselect",
    "outcome_message",
    "plain",
    "plotly_chart",
    "radio",
    "ranking",
    "ranking_table",
    "rerun_after_reconnect",
    "run_one",
    "run_settings",
    "schedule_caption",
    "schedule_controls",
    "select_slider",
    "selectbox",
    "setting_tabs",
    "share_link",
    "show_message",
    "slider",
    "start_point",
    "surface_picker",
    "switch_controls",
    "trajectory_chart",
    "whole_number_input",
]
