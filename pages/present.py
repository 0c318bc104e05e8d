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
    st.query_params["preset"] = key
    for widget in ("present_lr", "present_beta"):
        st.session_state.pop(widget, None)


requested = st.query_params.get("preset", presets.PRESETS[0].key)
try:
    preset = presets.get(requested)
except KeyError:
    st.warning(f"There is no scenario called “{requested[:40]}”; showing the first one.")
    preset = presets.PRESETS[0]

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

with stage:
    st.header(preset.title)
    st.markdown(preset.watch)

    featured = preset.entries[0]
    spec = optimizers.get(featured.optimizer)
    settings = featured.settings()
    lr_hyper = spec.hyper("lr")
    lr_choices = hyper_choices(lr_hyper)
    lr_column, beta_column, link_column = st.columns([3, 3, 2], vertical_alignment="bottom")
    overrides = {
        "lr": lr_column.select_slider(
            f"{featured.title}: learning rate η",
            lr_choices,
            value=nearest_choice(lr_choices, settings["lr"]),
            format_func=lr_hyper.format,
            key="present_lr",
        )
    }
    beta = next((h for h in spec.hyperparams if h.name in BETA_NAMES), None)
    if beta is not None:
        beta_choices = hyper_choices(beta)
        overrides[beta.name] = beta_column.select_slider(
            f"{featured.title}: {beta.label}",
            beta_choices,
            value=nearest_choice(beta_choices, settings.get(beta.name, beta.default)),
            format_func=beta.format,
            key="present_beta",
        )
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
    ui.plotly_chart(presenter.projector_style(figure), key="projector")

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
