"""Basins: run two optimizers from every point of a grid and colour each start by where it ends."""

import streamlit as st

import figures
import optimizers
import ui
from analysis.basins import DIVERGED, STILL_MOVING, BasinMap, basin_map
from figures.maps import basin_figure
from ui.url import choice_setting, int_setting, number_setting

ui.ensure_app_navigation()

RESOLUTIONS = (50, 100, 150, 200)
STEP_CHOICES = (50, 100, 200, 300, 500)
# Distance to a minimum that counts as "arrived", as a fraction of the map's width.
TOLERANCE_FRACTIONS = (0.001, 0.003, 0.01, 0.03)
SIDES = {"left": ("sgd", "Left map"), "right": ("momentum", "Right map")}
COLORINGS = {"outcome": "Where each start ends", "steps": "How many steps it takes"}
# The first view pits GD against momentum at the same learning rate on Himmelblau, where momentum
# visibly carries starts across ridges; every later change is the user's.
FIRST_VIEW = {"left.lr": 0.004, "right.lr": 0.004}
# A 200² × 500 map is ~0.6 MB once summarised: a few dozen stay well under 30 MB.
_CACHE_ENTRIES = 32

state = ui.PageState("basins")


@st.cache_data(max_entries=_CACHE_ENTRIES, show_spinner=False)
def cached_basin_map(choice, key, hyperparams, resolution, steps, tolerance) -> BasinMap:
    return basin_map(choice.load(), key, dict(hyperparams), resolution, steps, tolerance)


for widget, value in FIRST_VIEW.items():
    st.session_state.setdefault(widget, value)

with st.sidebar:
    choice, surface = ui.surface_picker(state, default="himmelblau")
    if surface is not None:
        chosen = {}
        for side, (default_key, label) in SIDES.items():
            state.seed(choice_setting(side, default_key, optimizers.names()))
            key = st.selectbox(
                label, optimizers.names(), key=side, format_func=lambda k: optimizers.get(k).title
            )
            spec = optimizers.get(key)
            with st.expander(f"{spec.title} settings"):
                chosen[side] = (
                    spec,
                    ui.hyperparameter_controls(state, spec, choice, surface, prefix=f"{side}."),
                )
        state.seed(int_setting("resolution", 100, RESOLUTIONS[0], RESOLUTIONS[-1]))
        resolution = st.select_slider(
            "Starts per side",
            RESOLUTIONS,
            key="resolution",
            help="The grid has this many starts along each axis: 200 means 40,000 runs per map.",
        )
        state.seed(int_setting("steps", 300, STEP_CHOICES[0], STEP_CHOICES[-1]))
        steps = st.select_slider("Steps per run", STEP_CHOICES, key="steps")
        state.seed(number_setting("tolerance", 0.01, 0.001, 0.03, TOLERANCE_FRACTIONS))
        fraction = st.select_slider(
            "Arrived when within … of the map's width",
            TOLERANCE_FRACTIONS,
            key="tolerance",
            format_func=lambda v: f"{v:.1%}",
        )
        state.seed(choice_setting("coloring", "outcome", list(COLORINGS)))
        coloring = st.radio("Colour by", list(COLORINGS), key="coloring", format_func=COLORINGS.get)
        start = ui.start_point(state, choice, surface)
    ui.finish_sidebar(state)

if surface is None:
    st.info("Fix the formula in the sidebar to map its basins.")
    st.stop()

(xmin, xmax), (ymin, ymax) = surface.domain
tolerance = fraction * max(xmax - xmin, ymax - ymin)
st.subheader(f"Basins of attraction on {ui.plain(surface.title)}")
st.caption(
    "Each pixel is a start point. It is coloured by the known minimum its run reached (within "
    f"{tolerance:.3g}), grey if after {steps} steps it is still on its way or stuck (on a saddle, say), dark if it flew off. "
    "Click a pixel to draw the run from there (the start point in the sidebar moves too)."
)
with st.expander("What to look for"):
    st.markdown(
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
if not surface.minima:
    st.warning(
        "This surface has no known minimum: every start is either still moving, stuck (at a saddle, say) or diverged."
    )

columns = st.columns(2)
for column, (side, (spec, hyperparams)) in zip(columns, chosen.items(), strict=True):
    with column:
        settings = ", ".join(
            f"{spec.hyper(name).label} = {spec.hyper(name).format(value)}"
            for name, value in hyperparams.items()
        )
        st.markdown(f"**{spec.title}** ({settings})")
        with st.spinner(f"Running {spec.title} from {resolution**2:,} starts × {steps} steps…"):
            basins = cached_basin_map(
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
        path = figures.path_from_run(
            spec.key, f"{spec.title} from the start point", outcome.run, surface
        )
        fig = basin_figure(surface, basins, by_steps=coloring == "steps", path=path)
        ui.trajectory_chart(fig, key=f"basins_{side}")
        counts = basins.counts(len(surface.minima))
        arrived = sum(count for code, count in counts.items() if code >= 0)
        st.caption(
            f"{arrived:,} of {basins.outcome.size:,} starts reached a minimum, "
            f"{counts[STILL_MOVING]:,} are still moving or stuck, {counts[DIVERGED]:,} diverged."
        )
