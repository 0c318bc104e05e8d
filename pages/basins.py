"""Basins: run two optimizers from every point of a grid and colour each start by where it ends."""

import streamlit as st

import figures
import optimizers
import ui
from analysis.basins import STILL_MOVING, UNSTABLE
from figures.basins import basin_figure
from texts import tr, translatable

ui.ensure_app_navigation()

RESOLUTIONS = (50, 100, 150, 200)
STEP_CHOICES = (50, 100, 200, 300, 500)
# Distance to a minimum that counts as "arrived", as a fraction of the map's width.
TOLERANCE_FRACTIONS = (0.001, 0.003, 0.01, 0.03)
SIDES = {
    "left": ("sgd", translatable("Left map")),
    "right": ("momentum", translatable("Right map")),
}
COLORINGS = {
    "outcome": translatable("Where each start ends"),
    "steps": translatable("How many steps it takes"),
}
# The first view pits GD against momentum at the same learning rate on Himmelblau, where momentum
# visibly carries starts across ridges; every later change is the user's.
FIRST_VIEW = {"left.lr": 0.004, "right.lr": 0.004}

state = ui.PageState("basins")

for widget, value in FIRST_VIEW.items():
    st.session_state.setdefault(widget, value)

with st.sidebar:
    choice, surface = ui.surface_picker(state, default="himmelblau")
    if surface is not None:
        chosen = {}
        for side, (default_key, label) in SIDES.items():
            spec = ui.optimizer_picker(state, key=side, label=tr(label), default=default_key)
            with st.expander(tr("{optimizer} settings", optimizer=tr(spec.title))):
                chosen[side] = (
                    spec,
                    ui.hyperparameter_controls(
                        state, spec, choice, surface, prefix=f"{side}.", many_runs=True
                    ),
                )
        resolution = ui.select_slider(
            state,
            "resolution",
            tr("Starts per side"),
            RESOLUTIONS,
            default=100,
            help=tr(
                "The grid has this many starts along each axis: 200 means 40,000 runs per map."
            ),
        )
        steps = ui.select_slider(state, "steps", tr("Steps per run"), STEP_CHOICES, default=300)
        fraction = ui.select_slider(
            state,
            "tolerance",
            tr("Arrived when within … of the map's width"),
            TOLERANCE_FRACTIONS,
            default=0.01,
            format_func=lambda v: f"{v:.1%}",
        )
        coloring = ui.radio(
            state,
            "coloring",
            tr("Colour by"),
            list(COLORINGS),
            format_func=lambda key: tr(COLORINGS[key]),
        )
        start = ui.start_point(state, choice, surface)
    ui.finish_sidebar(state)

if surface is None:
    st.info(tr("Fix the formula in the sidebar to map its basins."))
    st.stop()

(xmin, xmax), (ymin, ymax) = surface.domain
tolerance = fraction * max(xmax - xmin, ymax - ymin)
st.subheader(tr("Basins of attraction on {surface}", surface=ui.plain(tr(surface.title))))
st.caption(
    tr(
        "Each pixel is a start point. It is coloured by the known minimum its run reached (within "
        "{tolerance:.3g}), grey if after {steps} steps it is still on its way or stuck (on a "
        "saddle, say), dark if it flew off. Click a pixel to draw the run from there (the start "
        "point in the sidebar moves too).",
        tolerance=tolerance,
        steps=steps,
    )
)
with st.expander(tr("What to look for")):
    st.markdown(
        tr(
            "- Gradient descent only ever goes downhill, so its basins are the valleys around each "
            "minimum, split along the ridges and saddles between them. Every start on the same side "
            "of a ridge ends in the same minimum.\n"
            "- Momentum keeps moving after the slope turns, so a start near a ridge can be carried "
            "over it into the next valley. Its basins fray into interleaved bands: the minimum you "
            "reach now depends on the start in a way that is hard to predict. Raise μ or η to see "
            "more of it.\n"
            "- Colour by steps to see how long the trip takes: starts on a ridge or near a saddle "
            "linger there, because the gradient is almost zero."
        )
    )
if not surface.minima:
    st.warning(
        tr(
            "This surface has no known minimum: every start is either still moving, stuck (at a "
            "saddle, say) or diverged."
        )
    )

columns = st.columns(2)
for column, (side, (spec, hyperparams)) in zip(columns, chosen.items(), strict=True):
    with column:
        settings = ", ".join(
            f"{tr(spec.hyper(name).label)} = {spec.hyper(name).format(value)}"
            for name, value in hyperparams.items()
        )
        title = tr(spec.title)
        st.markdown(f"**{title}** ({settings})")
        if spec.many_runs_note():
            st.caption(
                tr(
                    "{note} Raise it in the sidebar if you can wait.",
                    note=spec.many_runs_note(),
                )
            )
        with st.spinner(
            tr(
                "Running {optimizer} from {starts:,} starts × {steps} steps…",
                optimizer=title,
                starts=resolution**2,
                steps=steps,
            )
        ):
            basins = ui.cached.basins(
                choice, spec.key, tuple(sorted(hyperparams.items())), resolution, steps, tolerance
            )
        outcome = ui.run_one(
            choice,
            spec.key,
            hyperparams,
            start,
            ui.RunSettings(steps, 0.0, 0),
            optimizers.Schedule(),
        )
        path = figures.Track.of(
            outcome.run,
            tr("{optimizer} from the start point", optimizer=title),
            spec.color,
            surface,
        )
        fig = basin_figure(surface, basins, by_steps=coloring == "steps", path=path)
        ui.trajectory_chart(fig, key=f"basins_{side}")
        counts = basins.counts(len(surface.minima))
        arrived = sum(count for code, count in counts.items() if code >= 0)
        st.caption(
            tr(
                "{arrived:,} of {total:,} starts reached a minimum, {moving:,} are still moving "
                "or stuck, {unstable:,} were unstable (diverged, flew off the map or blew up).",
                arrived=arrived,
                total=basins.outcome.size,
                moving=counts[STILL_MOVING],
                unstable=counts[UNSTABLE],
            )
        )
