"""Present: the classroom scenarios on a projector. Big buttons pick a scenario, two big sliders
(learning rate, β) change its featured optimizer, Play runs it; no keyboard needed. The figure
fills the window below the controls (classroom.presenter.projector_style): the scenario list
opens from a button and what to watch is under the figure, so nothing needs scrolling."""

import streamlit as st

import figures
import landscapes
import optimizers
import ui
from analysis.outcome import summarise
from classroom import presenter, scenarios
from texts import tr
from ui import language
from ui.url import choice_setting

ui.ensure_app_navigation()

# The hyperparameter a β slider moves, for optimizers that have one.
BETA_NAMES = ("momentum", "beta1")

st.set_page_config(
    page_title=ui.APP_TITLE,
    page_icon=ui.APP_ICON,
    layout="wide",
    initial_sidebar_state="collapsed",
)
# Large type for the back of the room; less space above and beside the stage for the figure.
st.html(
    """<style>
    [data-testid="stMainBlockContainer"] { padding: 3.5rem 2rem 2rem; }
    [data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.5rem; }
    [data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.4rem; font-weight: 600; }
    [data-testid="stMain"] button p { font-size: 1.2rem; font-weight: 600; }
    [data-testid="stMain"] [data-testid="stSliderThumbValue"] { font-size: 1.3rem; }
    [data-testid="stMain"] h2 { font-size: 2.2rem; padding: 0; }
    </style>"""
)
SCENARIO_MENU = "scenarios"


def _choose(key: str) -> None:
    st.session_state["preset"] = key
    st.session_state[SCENARIO_MENU] = False  # close the list: the figure is behind it


# Every setting is in the link, as on the other pages: a teacher's link shows the scenario with
# the sliders, the animation step and the 3D camera as they were on the projector.
state = ui.PageState("present")
options = scenarios.all_scenarios()
option_keys = [option.key for option in options]
# The link's name for the scenario is "preset", as links shared before the rename say.
scenario = scenarios.get(state.seed(choice_setting("preset", option_keys[0], option_keys)))

title_column, menu_column = st.columns([4, 1], vertical_alignment="center")
title_column.header(tr(scenario.title))
with menu_column.popover(
    tr("Scenarios"), icon=":material/list:", key=SCENARIO_MENU, on_change="rerun", width="stretch"
):
    for option in options:
        st.button(
            tr(option.title),
            key=f"preset_{option.key}",
            type="primary" if option.key == scenario.key else "secondary",
            on_click=_choose,
            args=(option.key,),
            width="stretch",
            wrap=True,
        )

featured = scenario.entries[0]
spec = optimizers.get(featured.optimizer)
settings = featured.settings()
lr_column, beta_column, link_column = st.columns([3, 3, 2], vertical_alignment="bottom")
overrides = {
    "lr": ui.hyper_slider(
        state,
        "present_lr",
        spec.hyper("lr"),
        settings["lr"],
        follows=scenario.key,
        label=tr("{optimizer}: learning rate η", optimizer=tr(featured.title)),
        where=lr_column,
        with_help=False,  # a projector has no mouse to hover with
    )
}
beta = next((h for h in spec.hyperparams if h.name in BETA_NAMES), None)
if beta is not None:
    overrides[beta.name] = ui.hyper_slider(
        state,
        "present_beta",
        beta,
        settings.get(beta.name, beta.default),
        follows=scenario.key,
        label=f"{tr(featured.title)}: {tr(beta.label)}",
        where=beta_column,
        with_help=False,
    )
view = ui.chart_view(state)
link_column.link_button(
    tr("Open with every control"),
    presenter.link_url(scenario, language.link_language()),
    help=tr("Opens this scenario on the Explore or Compare page, in a new tab."),
    width="stretch",
    wrap=True,
)

surface = landscapes.get(scenario.surface)
runs = scenario.run(overrides)
tracks = scenarios.in_language(scenario.tracks(runs=runs))
figure = figures.trajectory_figure(surface, tracks, clickable=False, height=presenter.FIGURE_HEIGHT)
figure = presenter.projector_style(figure)
ui.trajectory_chart(figure, key="projector", view=view)

with st.expander(tr("What to watch"), expanded=True):
    st.markdown(tr(scenario.watch))
# The rankings' words for a run that diverged, flew off or blew up (analysis.outcome's rule).
for track, (_, run) in zip(tracks, runs, strict=True):
    (row,) = ui.ranking([(track.label, summarise(run, surface))])
    if row.unstable:
        st.error(f"{track.label}: {row.outcome}.")

with st.expander(tr("Take it into your slides")):
    ui.export_panel(surface, tracks, "present", figure, view.eye)

with st.sidebar:
    ui.finish_sidebar(state)
