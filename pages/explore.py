"""Explore: one optimizer on one surface, animated, with its numbers and its maths."""

import streamlit as st

import ui
from classroom.presenter import presenter_query
from texts import tr

ui.ensure_app_navigation()

# Presenter mode (classroom/): ?present=1 on the app's address opens the projector page.
if st.query_params.get("present") == "1":
    st.switch_page("pages/present.py", query_params=presenter_query(st.query_params.to_dict()))

state = ui.PageState("explore")

with st.sidebar:
    choice, surface = ui.surface_picker(state)
    if surface is not None:
        spec = ui.optimizer_picker(state)
        hyperparams = ui.hyperparameter_controls(state, spec, choice, surface)
        start = ui.start_point(state, choice, surface)
        with st.expander(tr("Steps and batch noise")):
            settings = ui.run_settings(state)
        with st.expander(tr("Learning-rate schedule")):
            schedule = ui.schedule_controls(state)
        view = ui.chart_view(state)
    ui.finish_sidebar(state, complete=surface is not None)

if surface is None:
    st.info(tr("Fix the formula in the sidebar to see the optimizer run on it."))
    st.stop()

st.subheader(
    tr("{optimizer} on {surface}", optimizer=tr(spec.title), surface=ui.plain(tr(surface.title)))
)
st.caption(tr(surface.lesson))

scene = ui.Scene.of(choice, {spec.key: hyperparams}, start, settings, schedule)
outcome = scene.outcomes()[spec.key]
ui.show_message(ui.outcome_message(outcome, surface, spec, hyperparams["lr"], settings.noise))
if caption := ui.schedule_caption(outcome.run, schedule):
    st.caption(caption)
trajectory = ui.figure(scene, "trajectory")
ui.trajectory_chart(trajectory, key="trajectory", view=view)

loss_column, distance_column = st.columns(2)
with loss_column:
    ui.plotly_chart(ui.figure(scene, "loss"), key="loss")
with distance_column:
    if surface.minima:
        ui.plotly_chart(ui.figure(scene, "distance"), key="distance")
    else:
        st.info(tr("There is no minimum on the map, so there is no distance to plot."))

# Drawn only while open: the LaTeX and code cost the browser ~0.3 s on every rerun.
with st.expander(tr("The maths"), key="maths", on_change="rerun") as maths:
    if maths.open:
        ui.maths_panel(surface, spec, hyperparams, schedule)

# Exports for slides (classroom/): trajectories as CSV, the map animation as GIF or MP4.
with st.expander(tr("Download for slides: CSV, interactive HTML, animated GIF, MP4")):
    ui.export_panel(surface, scene.tracks(surface), "explore", trajectory, view.eye)
