"""Present: the classroom scenarios on a projector. Big buttons pick a scenario, two big sliders
(learning rate, β) change its featured optimizer, Play runs it; no keyboard needed."""

import streamlit as st

import figures
import landscapes
import optimizers
import ui
from classroom import presenter, presets
from classroom.downloads import export_panel
from classroom.exports import Track
from ui.choices import hyper_choices, nearest_choice
from ui.url import choice_setting, number_setting

ui.ensure_app_navigation()

# The hyperparameter a β slider moves, for optimizers that have one.
BETA_NAMES = ("momentum", "beta1")

st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
st.html(
    """<style>
    [data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.5rem; }
    [data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.5rem; font-weight: 600; }
    [data-testid="stMain"] button p { font-size: 1.2rem; font-weight: 600; }
    [data-testid="stMain"] [data-testid="stSliderThumbValue"] { font-size: 1.3rem; }
    [data-testid="stMain"] h2 { font-size: 2.6rem; }
    </style>"""
)


def _choose(key: str) -> None:
    st.session_state["preset"] = key


# Every setting is in the link, as on the other pages: a teacher's link shows the scenario with
# the sliders, the animation step and the 3D camera as they were on the projector.
state = ui.PageState("present")
preset_keys = [option.key for option in presets.PRESETS]
preset = presets.get(state.seed(choice_setting("preset", preset_keys[0], preset_keys)))

# Scenarios down the left, the stage on the right: on a 16:9 projector the figure stays in view.
scenarios, stage = st.columns([1, 4])
for option in presets.PRESETS:
    scenarios.button(
        option.title,
        key=f"preset_{option.key}",
        type="primary" if option.key == preset.key else "secondary",
        on_click=_choose,
        args=(option.key,),
        width="stretch",
        wrap=True,
    )


def big_slider(column, key: str, hyper: optimizers.Hyper, value: float, label: str) -> float:
    """A select slider for `hyper`, starting at the scenario's `value` whenever the scenario
    changes, and in the link."""
    choices = hyper_choices(hyper)
    value = nearest_choice(choices, value)
    state.follow(key, preset.key, value)
    state.seed(number_setting(key, value, choices[0], choices[-1], choices), value)
    return column.select_slider(label, choices, format_func=hyper.format, key=key)


with stage:
    st.header(preset.title)
    st.markdown(preset.watch)

    featured = preset.entries[0]
    spec = optimizers.get(featured.optimizer)
    settings = featured.settings()
    lr_column, beta_column, link_column = st.columns([3, 3, 2], vertical_alignment="bottom")
    overrides = {
        "lr": big_slider(
            lr_column,
            "present_lr",
            spec.hyper("lr"),
            settings["lr"],
            f"{featured.title}: learning rate η",
        )
    }
    beta = next((h for h in spec.hyperparams if h.name in BETA_NAMES), None)
    if beta is not None:
        overrides[beta.name] = big_slider(
            beta_column,
            "present_beta",
            beta,
            settings.get(beta.name, beta.default),
            f"{featured.title}: {beta.label}",
        )
    view = ui.chart_view(state)
    link_column.link_button(
        "Open with every control",
        presenter.link_url(preset),
        help="Opens this scenario on the Explore or Compare page, in a new tab.",
        width="stretch",
        wrap=True,
    )

    surface = landscapes.get(preset.surface)
    results = preset.run(overrides)
    paths = presenter.preset_paths(preset, results, surface)
    figure = figures.trajectory_figure(
        surface, paths, clickable=False, height=presenter.FIGURE_HEIGHT
    )
    ui.trajectory_chart(presenter.projector_style(figure), key="projector", view=view)

    for path in paths:
        if path.diverged:
            st.error(f"{path.label} diverged at step {path.diverged_at}: it left the map.")

    with st.expander("Take it into your slides"):
        export_panel(
            surface,
            [
                Track(path.label, figures.optimizer_color(path.key), run)
                for path, (_, run) in zip(paths, results, strict=True)
            ],
            key="present",
        )

with st.sidebar:
    ui.finish_sidebar(state)
