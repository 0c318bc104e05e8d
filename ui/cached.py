"""The pages' cached computations other than Explore's and Compare's scenes (ui/runs.py): basin
maps, sweeps, mini-batch training and the Learn page's lessons.

Arguments are plain values (a SurfaceChoice, keys, numbers, tuples), so cache keys are cheap to
hash and shared by every session that asks for the same thing. Every cache has a bound, so many
users cannot grow memory without limit. The language is no argument: every session shares one
result whatever its language, and the page gives the texts it shows of one (a Track's label, a
Row's title) in its own language where it shows them.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import figures
import landscapes
import optimizers
from analysis import network_runs as network_runs_module
from analysis import sweeps
from analysis.basins import BasinMap, basin_map
from analysis.outcome import tolerance_for
from classroom import lessons, measurements, scenarios
from figures.track import Track
from landscapes import data
from landscapes.network import NetworkSetup
from ui.controls import SurfaceChoice

# A 200² × 500 map is ~0.6 MB once summarised: a few dozen stay well under 30 MB.
_BASIN_ENTRIES = 32
_SWEEP_ENTRIES = 64
_LESSON_ENTRIES = 32
MOMENTUM_VALUES = np.round(np.linspace(0.0, 0.99, 34), 4)
MAP_LRS, MAP_MOMENTA = 40, 30


@st.cache_data(max_entries=_BASIN_ENTRIES, show_spinner=False)
def basins(choice: SurfaceChoice, key, hyperparams, resolution, steps, tolerance) -> BasinMap:
    """`hyperparams` as sorted (name, value) items."""
    return basin_map(choice.load(), key, dict(hyperparams), resolution, steps, tolerance)


@st.cache_data(max_entries=_SWEEP_ENTRIES, show_spinner=False)
def lr_sweep(choice: SurfaceChoice, key, start, low, high, count, steps) -> sweeps.Sweep:
    surface = choice.load()
    lrs = sweeps.log_spaced(low, high, count)
    return sweeps.lr_sweep(surface, key, None, start, lrs, steps, tolerance_for(surface))


@st.cache_data(max_entries=_SWEEP_ENTRIES, show_spinner=False)
def momentum_sweep(choice: SurfaceChoice, lr, start, steps) -> sweeps.Sweep:
    surface = choice.load()
    return sweeps.momentum_sweep(
        surface, "momentum", {"lr": lr}, start, MOMENTUM_VALUES, steps, tolerance_for(surface)
    )


@st.cache_data(max_entries=_SWEEP_ENTRIES, show_spinner=False)
def lr_momentum_map(choice: SurfaceChoice, start, low, high, steps) -> sweeps.LrMomentumMap:
    lrs = sweeps.log_spaced(low, high, MAP_LRS)
    momenta = np.round(np.linspace(0.0, 0.99, MAP_MOMENTA), 4)
    return sweeps.lr_momentum_map(choice.load(), "momentum", start, lrs, momenta, steps)


@st.cache_data(max_entries=_SWEEP_ENTRIES, show_spinner=False)
def batch_size_sweep(
    model, key, lr, base_batch, batch_sizes, epochs, scale_lr, warmup, seed
) -> sweeps.Sweep:
    """Training at every batch size of `batch_sizes` on the standardised data."""
    problem = data.get(model, True)
    return sweeps.batch_size_sweep(
        problem,
        key,
        lr,
        base_batch,
        batch_sizes,
        epochs,
        scale_lr,
        warmup,
        seed,
        tolerance_for(problem.surface),
    )


@st.cache_data(max_entries=_SWEEP_ENTRIES, show_spinner=False)
def minibatch_run(
    model, scaled, key, lr, batch_size, steps, warmup, seed
) -> optimizers.Trajectories:
    """`key` trained with real mini-batches of `batch_size` samples (all of them: full batch)."""
    problem = data.get(model, scaled)
    batches = data.MiniBatches(problem.samples, batch_size, seed)
    return optimizers.simulate(
        problem.surface,
        key,
        {"lr": lr},
        [problem.surface.start],
        steps,
        schedule=optimizers.Schedule(warmup_steps=warmup),
        gradient_source=problem.minibatch_source(batches),
    )


# cache_resource: the Learn page's figures only read these, and every session shares them.
@st.cache_resource(max_entries=_LESSON_ENTRIES, show_spinner=False)
def scenario_tracks(key: str) -> list[Track]:
    return scenarios.get(key).tracks()


@st.cache_resource(max_entries=_LESSON_ENTRIES, show_spinner=False)
def gradient_field(name: str) -> lessons.GradientField:
    return lessons.gradient_field(landscapes.get(name))


@st.cache_resource(show_spinner=False)
def batch_tracks() -> list[Track]:
    runs = lessons.batch_size_runs()
    surface = data.get("linear_regression", scaled=True).surface
    colors = figures.run_colors(["sgd"] * len(runs))
    return [
        Track.of(batch.run, batch.label, color, surface)
        for color, batch in zip(colors, runs, strict=True)
    ]


@st.cache_resource(show_spinner=False)
def scaling_curves() -> list[lessons.LossCurve]:
    return lessons.batch_scaling_curves()


@st.cache_resource(show_spinner=False)
def switching_curves() -> list[lessons.LossCurve]:
    return lessons.switching_curves()


@st.cache_resource(max_entries=_LESSON_ENTRIES, show_spinner=False)
def lesson_basins(name: str, key: str, lr: float) -> lessons.Basins:
    return lessons.basins(landscapes.get(name), key, lr)


@st.cache_resource(show_spinner=False)
def saved_comparison() -> dict[str, measurements.Row]:
    return measurements.load_table()


@st.cache_resource(max_entries=_LESSON_ENTRIES, show_spinner=False)
def measured_comparison_row(key: str) -> measurements.Row:
    """A comparison-table row measured now, for an optimizer the saved table does not have."""
    return measurements.measure_row(key)


# A run of 1,000 steps of a 2,000-weight network keeps 16 MB of weights: a few experiments only.
_NETWORK_ENTRIES = 8


@st.cache_data(max_entries=_NETWORK_ENTRIES, show_spinner=False)
def network_runs(experiment: network_runs_module.Experiment) -> list[optimizers.Trajectories]:
    return experiment.runs()


@st.cache_data(max_entries=_NETWORK_ENTRIES, show_spinner=False)
def network_landscape(experiment: network_runs_module.Experiment) -> network_runs_module.Landscape:
    return experiment.landscape(network_runs(experiment))


@st.cache_data(max_entries=_SWEEP_ENTRIES, show_spinner=False)
def network_starting_lr(setup: NetworkSetup, key: str, seed: int) -> float:
    return network_runs_module.starting_lr(setup.problem(), key, seed)


@st.cache_data(max_entries=_SWEEP_ENTRIES, show_spinner=False)
def decision_grids(
    experiment: network_runs_module.Experiment, step: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(class 1) over the input box for every run at `step` (its last good step if earlier)."""
    runs = network_runs(experiment)
    params = [run.points[min(step, network_runs_module.last_good_step(run)), 0] for run in runs]
    return network_runs_module.decision_grid(experiment.setup.problem(), np.array(params))
