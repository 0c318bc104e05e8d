"""Compare: several optimizers from the same start on the same surface, side by side."""

import streamlit as st

import optimizers
import ui
from texts import tr, translatable
from ui.url import choice_setting

ui.ensure_app_navigation()

DEFAULT_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
# The tabs below; the link names them in English, whatever the page's language.
VIEWS = [translatable("Overlaid"), translatable("Side by side")]
# The loss chart's x axis: steps, or evaluations of f and ∇f (a line search spends several per
# step), and the figure each draws.
LOSS_AXES = {"step": translatable("steps"), "evaluations": translatable("evaluations")}
LOSS_FIGURES = {"step": "loss", "evaluations": "loss_by_evaluations"}

state = ui.PageState("compare")

with st.sidebar:
    choice, surface = ui.surface_picker(state)
    if surface is not None:
        keys = ui.optimizers_multiselect(state, DEFAULT_OPTIMIZERS)
        specs = [optimizers.get(key) for key in keys]
        hyperparams = {}
        for spec in specs:
            with st.expander(tr(spec.title)):
                hyperparams[spec.key] = ui.hyperparameter_controls(
                    state, spec, choice, surface, prefix=f"{spec.key}."
                )
        start = ui.start_point(state, choice, surface)
        with st.expander(tr("Steps and batch noise")):
            settings = ui.run_settings(state)
        with st.expander(tr("Learning-rate schedule")):
            schedule = ui.schedule_controls(state)
        with st.expander(tr("Switch optimizers mid-run")):
            switch = ui.switch_controls(state, keys, settings.steps)
        state.seed(choice_setting("view", VIEWS[0], VIEWS))  # the tabs below, in the link too
        state.seed(choice_setting("loss_x", "step", list(LOSS_AXES)))  # the loss chart's toggle
        chart_view = ui.chart_view(state)
    ui.finish_sidebar(state, complete=surface is not None)

if surface is None:
    st.info(tr("Fix the formula in the sidebar to compare optimizers on it."))
    st.stop()
if not specs:
    st.info(tr("Pick at least one optimizer in the sidebar."))
    st.stop()

st.subheader(
    tr("{count} optimizers on {surface}", count=len(specs), surface=ui.plain(tr(surface.title)))
)
st.caption(tr(surface.lesson))

scene = ui.Scene.of(choice, hyperparams, start, settings, schedule, switch)
outcomes = scene.outcomes()

# Only the open tab's figure is built and sent: the browser never parses a hidden view.
overlay, side_by_side = ui.setting_tabs("view", VIEWS)
if overlay.open:
    with overlay:
        shown = ui.figure(scene, "trajectory")
        ui.trajectory_chart(shown, key="trajectory", view=chart_view)
else:
    with side_by_side:
        shown = ui.figure(scene, "small_multiples")
        ui.plotly_chart(shown, key="small_multiples")

loss_column, table_column = st.columns(2)
with loss_column:
    against = st.radio(
        tr("Loss against"),
        list(LOSS_AXES),
        key="loss_x",
        format_func=ui.drawn_texts(LOSS_AXES, lambda axis: tr(LOSS_AXES[axis])),
        horizontal=True,
        help=tr(
            "A line search evaluates f and ∇f several times per step: against evaluations, "
            "every optimizer pays the same price per unit of the x axis."
        ),
    )
    ui.plotly_chart(ui.figure(scene, LOSS_FIGURES[against]), key="loss")
with table_column:
    st.markdown(tr("**Ranking**: reached the minimum first (fewest steps), then lowest loss"))
    st.dataframe(
        ui.ranking_table([(scene.title(key), outcome) for key, outcome in outcomes.items()]),
        hide_index=True,
        column_config={tr("Final loss"): st.column_config.NumberColumn(format="%.4g")},
    )
    st.caption(
        tr(
            "Evaluations count every computation of f and ∇f together as one, f alone (a line "
            "search's trial point) as one and a Hessian as one more, though a Hessian costs as "
            "much as n gradients for n parameters (two here)."
        )
    )

# Exports for slides (classroom/): trajectories as CSV, the map animation as GIF or MP4.
with st.expander(tr("Download for slides: CSV, interactive HTML, animated GIF, MP4")):
    ui.export_panel(surface, scene.tracks(surface), "compare", shown, chart_view.eye)
