"""Reusable Streamlit building blocks: controls generated from the registries, URL state, runs.

A page reads top to bottom like it looks:

    state = ui.PageState("explore")
    with st.sidebar:
        choice, surface = ui.surface_picker(state)
        ...
        ui.finish_sidebar(state)  # URL, share link, reset, notes about the link
"""

from ui.chart import load_plotly, plotly_chart
from ui.controls import (
    CUSTOM,
    RunSettings,
    SurfaceChoice,
    hyperparameter_controls,
    optimizer_picker,
    optimizers_multiselect,
    run_settings,
    schedule_controls,
    start_point,
    surface_picker,
    switch_controls,
)
from ui.layout import (
    chart_view,
    finish_sidebar,
    share_link,
    show_message,
    trajectory_chart,
)
from ui.markdown import plain
from ui.maths import maths_panel
from ui.navigation import ensure_app_navigation
from ui.presets import starting_lr, starting_values
from ui.report import Message, outcome_message, ranking, ranking_table, schedule_caption
from ui.runs import Outcome, Scene, figure, run_one
from ui.url import PageState

__all__ = [
    "CUSTOM",
    "Message",
    "Outcome",
    "PageState",
    "RunSettings",
    "Scene",
    "SurfaceChoice",
    "chart_view",
    "ensure_app_navigation",
    "figure",
    "finish_sidebar",
    "hyperparameter_controls",
    "load_plotly",
    "maths_panel",
    "optimizer_picker",
    "optimizers_multiselect",
    "outcome_message",
    "plain",
    "plotly_chart",
    "ranking",
    "ranking_table",
    "run_one",
    "run_settings",
    "schedule_caption",
    "schedule_controls",
    "share_link",
    "show_message",
    "start_point",
    "starting_lr",
    "starting_values",
    "surface_picker",
    "switch_controls",
    "trajectory_chart",
]
