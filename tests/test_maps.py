"""Map and sweep figure builders (figures/basins, sweeps, data_fit, the switch marker), checked on
their JSON."""

import json

import numpy as np
import plotly.io
import pytest

import figures
import landscapes
import optimizers
from analysis import basins, sweeps
from analysis.switching import SWITCH_COLOR, Switch, switched_run
from figures import trajectory_figure
from figures.basins import basin_figure
from figures.data_fit import data_fit_figure, parameter_map_figure
from figures.sweeps import lr_momentum_figure, sweep_figure
from figures.trajectory import add_switch_marker
from landscapes import data


def _traces(fig) -> list[dict]:
    return json.loads(fig.to_json())["data"]


def test_basin_figure_draws_each_outcome_category_and_a_legend_with_shares():
    surface = landscapes.get("bowl")
    result = basins.basin_map(surface, "sgd", {"lr": 1.5}, resolution=5, steps=50, tolerance=1e-3)
    traces = _traces(basin_figure(surface, result))
    heat = traces[0]
    # Categories: minimum 0 → 0, still moving → 1, unstable → 2.
    expected = np.full((5, 5), 2)
    expected[2, 2] = 0
    np.testing.assert_array_equal(heat["z"], expected)
    names = [t.get("name") for t in traces]
    assert "minimum 1 at (0, 0): 4%" in names and "unstable: 96%" in names
    assert "still moving or stuck: 0%" not in names  # only outcomes that occur get a legend entry
    assert names[-1] == "click-to-start"


def test_basin_figure_by_steps_leaves_unreached_starts_blank():
    surface = landscapes.get("bowl")
    result = basins.basin_map(surface, "sgd", {"lr": 0.1}, resolution=3, steps=20, tolerance=1e-3)
    heat = _traces(basin_figure(surface, result, by_steps=True))[0]
    assert heat["z"][1][1] == 0  # the centre start is the minimum
    assert heat["z"][0][0] is None  # a corner does not get within 1e-3 in 20 steps


def test_basin_figure_draws_a_picked_run_on_top():
    surface = landscapes.get("double_well")
    result = basins.basin_map(surface, "sgd", {"lr": 0.05}, resolution=4, steps=30, tolerance=1e-2)
    run = optimizers.simulate(surface, "sgd", {"lr": 0.05}, [(0.5, 0.5)], 30)
    traces = _traces(
        basin_figure(
            surface,
            result,
            path=figures.Track.of(run, "picked", optimizers.get("sgd").color, surface),
        )
    )
    line = next(t for t in traces if t.get("name") == "picked")
    assert (line["x"][0], line["y"][0]) == (0.5, 0.5) and len(line["x"]) == 31
    assert all(t["type"] != "scatter3d" for t in traces)


def test_sweep_figure_marks_unstable_runs_and_the_edge():
    surface = landscapes.get("bowl")
    lrs = np.array([0.5, 0.9, 1.1, 1.5])
    sweep = sweeps.lr_sweep(surface, "sgd", None, surface.start, lrs, 100, 1e-3)
    fig = json.loads(
        sweep_figure(
            surface, [("GD", optimizers.get("sgd").color, sweep)], edges=[("2/L", 1.0)]
        ).to_json()
    )
    stable = next(t for t in fig["data"] if t["name"] == "GD" and t.get("yaxis", "y") == "y")
    assert stable["y"][2:] == [None, None]
    assert next(t for t in fig["data"] if t["name"] == "GD: unstable")["x"] == [1.1, 1.5]
    assert fig["layout"]["shapes"][0]["x0"] == 1.0
    assert fig["layout"]["annotations"][0]["x"] == pytest.approx(0.0)  # log10(1.0) on a log axis


def test_lr_momentum_figure_separates_unstable_cells():
    surface = landscapes.get("bowl")
    lrs, momenta = np.array([0.1, 0.9, 3.0]), np.array([0.0, 0.9])
    grid = sweeps.lr_momentum_map(surface, "momentum", surface.start, lrs, momenta, 200)
    traces = _traces(lr_momentum_figure(surface, grid, edge_curve=(1.0 * (1 + momenta), momenta)))
    loss, unstable = traces[0], traces[1]
    # lr 3 is beyond both rows' edges (2(1 + μ)/L = 1 and 1.9), lr 0.9 below both.
    assert [row[2] for row in unstable["z"]] == [1.0, 1.0]
    assert [row[2] for row in loss["z"]] == [None, None]
    assert not any(row[1] for row in unstable["z"])
    assert traces[-1]["name"].startswith("theory")


def test_data_fit_figure_draws_the_model_lines():
    problem = data.get("linear_regression", True)
    best = problem.surface.minima[0]
    traces = _traces(data_fit_figure(problem, [("best", optimizers.get("sgd").color, best)]))
    assert len(traces[0]["x"]) == data.SAMPLES
    line = traces[1]
    slope = (line["y"][-1] - line["y"][0]) / (line["x"][-1] - line["x"][0])
    assert slope == pytest.approx(best[0], rel=1e-3)


def test_parameter_map_figure_keeps_independent_axis_scales():
    problem = data.get("linear_regression", False)
    run = optimizers.simulate(problem.surface, "sgd", {"lr": 1e-4}, [problem.surface.start], 10)
    fig = json.loads(
        parameter_map_figure(
            problem.surface,
            [figures.Track.of(run, "GD", optimizers.get("sgd").color, problem.surface)],
        ).to_json()
    )
    assert "scaleanchor" not in fig["layout"]["yaxis"]
    assert fig["layout"]["xaxis"]["range"] == list(problem.surface.domain[0])


def test_switch_marker_sits_at_the_switch_point_and_leaves_frames_alone():
    surface = landscapes.get("himmelblau")
    switch = Switch("adam", "sgd", 40)
    run = switched_run(
        surface, switch, {"adam": {"lr": 0.1}, "sgd": {"lr": 0.01}}, [surface.start], 100
    )
    fig = trajectory_figure(surface, [figures.Track.of(run, "Adam → SGD", SWITCH_COLOR, surface)])
    frames_before = json.loads(plotly.io.to_json(fig))["frames"]
    point = tuple(run.points[40, 0])
    add_switch_marker(fig, surface, point, "switch to SGD at step 40")
    after = json.loads(plotly.io.to_json(fig))
    flat, solid = after["data"][-2], after["data"][-1]
    assert flat["type"] == "scatter" and solid["type"] == "scatter3d"
    np.testing.assert_allclose([flat["x"][0], flat["y"][0]], point, atol=1e-3)
    assert after["frames"] == frames_before


def test_sweep_figure_says_so_when_no_run_arrives():
    surface = landscapes.get("rosenbrock")
    sweep = sweeps.momentum_sweep(
        surface, "momentum", {"lr": 3e-4}, surface.start, [0.0, 0.5], 50, 1e-3
    )
    fig = json.loads(
        sweep_figure(surface, [("Momentum", optimizers.get("momentum").color, sweep)]).to_json()
    )
    assert fig["layout"]["annotations"][0]["text"].startswith("No run got within")
