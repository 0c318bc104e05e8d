"""Sweeps: where does an optimizer break? Final loss and speed against the learning rate and μ."""

import numpy as np
import streamlit as st

import optimizers
import ui
from analysis import sweeps
from analysis.starting_rates import starting_lr
from figures.sweeps import lr_momentum_figure, sweep_figure
from optimizers.choices import log_grid, nearest_choice
from texts import tr, translatable
from ui.cached import MAP_LRS, MAP_MOMENTA, MOMENTUM_VALUES
from ui.url import choice_setting, number_setting

ui.ensure_app_navigation()

DEFAULT_OPTIMIZERS = ("sgd", "momentum", "adam")
LR_CHOICES = log_grid(1e-5, 10.0)
LR_COUNTS = (20, 40, 60, 100)
STEP_CHOICES = (50, 100, 200, 300, 500)
# The tabs below; the link names them in English (`view=Momentum μ`), whatever the language.
VIEWS = [
    translatable("Learning rate"),
    translatable("Momentum μ"),
    translatable("Learning rate × μ map"),
]

state = ui.PageState("sweeps")

with st.sidebar:
    choice, surface = ui.surface_picker(state, default="ill_conditioned")
    if surface is not None:
        keys = ui.optimizers_multiselect(
            state,
            DEFAULT_OPTIMIZERS,
            help=tr(
                "Each is swept with its other settings at PyTorch's defaults (but where a note "
                "below says otherwise)."
            ),
        )
        low = ui.select_slider(
            state, "lr_low", tr("Smallest learning rate"), LR_CHOICES, default=1e-4
        )
        high = ui.select_slider(
            state, "lr_high", tr("Largest learning rate"), LR_CHOICES, default=10.0
        )
        count = ui.select_slider(
            state, "lr_count", tr("How many learning rates"), LR_COUNTS, default=60
        )
        steps = ui.select_slider(state, "steps", tr("Steps per run"), STEP_CHOICES, default=300)
        start = ui.start_point(state, choice, surface)
        state.seed(choice_setting("view", VIEWS[0], VIEWS))
        # Drawn in the momentum tab, seeded here so it is part of the link like every setting.
        default_lr = nearest_choice(LR_CHOICES, starting_lr(surface, "sgd"))
        state.follow("momentum_lr", choice, default_lr)
        state.seed(
            number_setting("momentum_lr", default_lr, LR_CHOICES[0], LR_CHOICES[-1], LR_CHOICES),
            default_lr,
        )
    ui.finish_sidebar(state)

if surface is None:
    st.info(tr("Fix the formula in the sidebar to sweep on it."))
    st.stop()
if low >= high:
    st.error(tr("The smallest learning rate must be below the largest one."))
    st.stop()

edge = sweeps.stability_edge(surface)
st.subheader(tr("Where does it break? Sweeps on {surface}", surface=ui.plain(tr(surface.title))))
st.caption(
    tr(
        "Every point is a whole run of {steps} steps from ({x:.3g}, {y:.3g}). A ✕ marks a run "
        "that blew up: it left the map, or its loss was still climbing at the end.",
        steps=steps,
        x=start[0],
        y=start[1],
    )
)
if edge is not None:
    st.info(
        tr(
            "This surface is a quadratic bowl whose steepest curvature is L = {curvature:.4g}. "
            "Gradient descent multiplies the error along that direction by |1 − η·L| each step, "
            "so it converges only for η < 2/L = {edge:.4g} (dashed line). Momentum μ stretches "
            "the limit to 2(1 + μ)/L.",
            curvature=2 / edge,
            edge=edge,
        )
    )
# Only the open tab runs its sweeps: the map alone is over a thousand runs.
lr_tab, momentum_tab, map_tab = ui.setting_tabs("view", VIEWS)

if lr_tab.open:
    with lr_tab:
        if not keys:
            st.info(tr("Pick at least one optimizer in the sidebar."))
        else:
            with st.spinner(
                tr(
                    "Running {optimizers} optimizers × {rates} learning rates…",
                    optimizers=len(keys),
                    rates=count,
                )
            ):
                results = [
                    (
                        tr(optimizers.get(key).title),
                        optimizers.get(key).color,
                        ui.cached.lr_sweep(choice, key, start, low, high, count, steps),
                    )
                    for key in keys
                ]
            edges = [] if edge is None else [("2/L", edge)]
            if edge is not None and "momentum" in keys:
                default_momentum = optimizers.get("momentum").hyper("momentum").default
                edges.append(
                    (
                        f"2(1+{default_momentum:g})/L",
                        sweeps.momentum_stability_edge(surface, default_momentum),
                    )
                )
            ui.plotly_chart(sweep_figure(surface, results, edges=edges), key="lr_sweep")
            for note in filter(None, (optimizers.get(key).many_runs_note() for key in keys)):
                st.caption(note)
            for _, title, sweep in results:
                broke = sweep.first_unstable()
                st.markdown(
                    f"- **{title}**: "
                    + (
                        tr("stable over the whole range.")
                        if broke is None
                        else tr("unstable from η ≈ {lr:.3g} on.", lr=broke)
                    )
                )

if momentum_tab.open:
    with momentum_tab:
        st.caption(
            tr(
                "Momentum (heavy ball) with a fixed learning rate and μ from 0 (plain gradient "
                "descent) to 0.99. Some momentum speeds up a slow valley; too much makes the run "
                "overshoot and circle the minimum for a long time."
            )
        )
        momentum_lr = st.select_slider(
            tr("Learning rate for this sweep"),
            LR_CHOICES,
            key="momentum_lr",
            format_func=lambda v: f"{v:g}",
        )
        with st.spinner(tr("Running {count} momenta…", count=len(MOMENTUM_VALUES))):
            sweep = ui.cached.momentum_sweep(choice, momentum_lr, start, steps)
        needed = sweeps.momentum_needed(surface, momentum_lr)
        momentum_edges = [] if needed is None else [(tr("stable above μ"), needed)]
        momentum = optimizers.get("momentum")
        fig = sweep_figure(
            surface, [(tr(momentum.title), momentum.color, sweep)], edges=momentum_edges
        )
        ui.plotly_chart(fig, key="momentum_sweep")

if map_tab.open:
    with map_tab:
        st.caption(
            tr(
                "Final loss of momentum after {steps} steps for every pair (learning rate, μ): "
                "{lrs} × {momenta} runs. Dark red cells blew up.",
                steps=steps,
                lrs=MAP_LRS,
                momenta=MAP_MOMENTA,
            )
            + (
                " " + tr("The dashed line is the theoretical edge η = 2(1 + μ)/L.")
                if edge is not None
                else ""
            )
        )
        with st.spinner(tr("Running {count} runs…", count=MAP_LRS * MAP_MOMENTA)):
            grid = ui.cached.lr_momentum_map(choice, start, low, high, steps)
        curve = None
        if edge is not None:
            curve_momenta = np.linspace(0.0, 0.99, 100)
            curve = (edge * (1 + curve_momenta), curve_momenta)
        ui.plotly_chart(
            lr_momentum_figure(surface, grid, edge_curve=curve),
            key="lr_momentum_map",
        )
