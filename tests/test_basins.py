import numpy as np
import pytest

import landscapes
import optimizers
from analysis import basins
from analysis.outcome import first_true, nearest_minimum_index, summarise, summary_reductions
from analysis.starting_rates import starting_lr


def _mirror(outcome: np.ndarray) -> np.ndarray:
    """The double well's outcome map seen in a mirror: left and right minima swap."""
    swapped = np.where(outcome >= 0, 1 - outcome, outcome)
    return swapped[:, ::-1]


def test_gradient_descent_basins_on_the_double_well_are_mirror_symmetric():
    surface = landscapes.get("double_well")
    assert surface.minima == ((-1.0, 0.0), (1.0, 0.0))
    result = basins.basin_map(
        surface, "sgd", {"lr": 0.05}, resolution=24, steps=300, tolerance=1e-3
    )
    np.testing.assert_array_equal(result.outcome, _mirror(result.outcome))
    np.testing.assert_array_equal(result.steps_to_tolerance, result.steps_to_tolerance[:, ::-1])
    # Without momentum GD cannot cross the ridge at x = 0: each half drains into its own well.
    left = result.xs < 0
    assert (result.outcome[:, left] == 0).all() and (result.outcome[:, ~left] == 1).all()


def test_momentum_crosses_the_ridge_and_breaks_the_simple_split():
    surface = landscapes.get("double_well")
    result = basins.basin_map(
        surface, "momentum", {"lr": 0.05, "momentum": 0.9}, resolution=24, steps=300, tolerance=1e-3
    )
    np.testing.assert_array_equal(result.outcome, _mirror(result.outcome))
    left = result.xs < 0
    assert (result.outcome[:, left] == 1).any()


def test_each_start_matches_its_own_simulation_and_summary():
    surface = landscapes.get("himmelblau")
    result = basins.basin_map(surface, "adam", {"lr": 0.1}, resolution=9, steps=200, tolerance=1e-2)
    xs, ys = result.xs, result.ys
    for j, i in [(0, 0), (4, 4), (2, 7), (8, 3)]:
        run = optimizers.simulate(surface, "adam", {"lr": 0.1}, [(xs[i], ys[j])], 200)
        summary = summarise(run, surface, 1e-2)
        expected = summary.reached_minimum[0] if summary.reached_minimum[0] >= 0 else -1
        assert result.outcome[j, i] == expected
        assert result.steps_to_tolerance[j, i] == summary.converged_at[0]
    assert sum(result.counts(len(surface.minima)).values()) == 81


def test_divergence_and_still_moving_are_told_apart():
    surface = landscapes.get("bowl")
    too_large = basins.basin_map(
        surface, "sgd", {"lr": 1.5}, resolution=5, steps=100, tolerance=1e-3
    )
    counts = too_large.counts(1)
    # Only the exact centre (the minimum itself, gradient 0) survives lr above 2/L = 1.
    assert counts[basins.UNSTABLE] == 24 and counts[0] == 1
    too_small = basins.basin_map(
        surface, "sgd", {"lr": 1e-4}, resolution=5, steps=10, tolerance=1e-3
    )
    assert too_small.counts(1)[basins.STILL_MOVING] == 24
    assert (too_small.steps_to_tolerance[too_small.outcome == basins.STILL_MOVING] == -1).all()


def test_a_surface_without_minima_has_only_still_moving_or_diverged_starts():
    result = basins.basin_map(
        landscapes.get("saddle"), "sgd", {"lr": 0.1}, resolution=6, steps=50, tolerance=1e-3
    )
    assert set(np.unique(result.outcome)) <= {basins.STILL_MOVING, basins.UNSTABLE}
    assert (result.steps_to_tolerance == -1).all()


def test_start_grid_rows_run_along_x():
    xs, ys, starts = basins.start_grid(landscapes.get("ill_conditioned"), 4)
    assert (xs[0], xs[-1], ys[0], ys[-1]) == (-3.0, 3.0, -1.5, 1.5)
    np.testing.assert_array_equal(starts.reshape(4, 4, 2)[2, 1], (xs[1], ys[2]))


def test_resolution_is_bounded():
    with pytest.raises(ValueError, match="between 2 and 200"):
        basins.start_grid(landscapes.get("bowl"), 201)


@pytest.mark.parametrize("name", landscapes.names())
@pytest.mark.parametrize("key", ["momentum", "adam"])
def test_the_map_kept_without_history_equals_the_one_read_from_the_full_history(name, key):
    surface = landscapes.get(name)
    settings = {"lr": starting_lr(surface, key)}
    (xmin, xmax), (ymin, ymax) = surface.domain
    tolerance = 0.01 * max(xmax - xmin, ymax - ymin)
    mapped = basins.basin_map(surface, key, settings, 12, 150, tolerance)
    _, _, starts = basins.start_grid(surface, 12)
    run = optimizers.simulate(surface, key, settings, starts, 150)
    assert run.has_history
    # From the history, as the map was made before it stopped keeping it: the final point's
    # minimum, and the first step each start came within tolerance of the minimum it ends at.
    ended = nearest_minimum_index(surface, run.points[-1], tolerance)
    ended[ended < 0] = basins.STILL_MOVING
    ended[summarise(run, surface, tolerance).unstable] = basins.UNSTABLE
    targets = np.vstack([np.reshape(surface.minima, (-1, 2)), [(np.nan, np.nan)]])
    target = targets[np.where(ended >= 0, ended, -1)]
    near = np.hypot(*np.moveaxis(run.points - target, -1, 0)) <= tolerance
    np.testing.assert_array_equal(mapped.outcome.ravel(), ended)
    np.testing.assert_array_equal(mapped.steps_to_tolerance.ravel(), first_true(near))


def test_a_run_without_history_summarises_as_the_same_run_with_it():
    surface = landscapes.get("himmelblau")
    _, _, starts = basins.start_grid(surface, 15)
    full = optimizers.simulate(surface, "sgd", {"lr": 0.01}, starts, 200)
    light = optimizers.simulate(
        surface,
        "sgd",
        {"lr": 0.01},
        starts,
        200,
        every=None,
        reductions=summary_reductions(surface),
    )
    assert light.points.shape == (2, 225, 2) and not light.has_history
    np.testing.assert_array_equal(light.points[-1], full.points[-1])
    a, b = summarise(full, surface), summarise(light, surface)
    for field in ("final_loss", "reached_minimum", "converged_at", "arrivals", "unstable"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    with pytest.raises(ValueError, match="without its history"):
        summarise(light, surface, tolerance=0.5)


def test_every_kth_step_keeps_those_steps_and_the_last():
    bowl = landscapes.get("bowl")
    full = optimizers.simulate(bowl, "adam", {"lr": 0.1}, [bowl.start], 25)
    sparse = optimizers.simulate(bowl, "adam", {"lr": 0.1}, [bowl.start], 25, every=10)
    np.testing.assert_array_equal(sparse.recorded_steps, [0, 10, 20, 25])
    np.testing.assert_array_equal(sparse.points, full.points[[0, 10, 20, 25]])
    assert sparse.steps == full.steps == 25


def test_starts_whose_loss_blew_up_count_as_unstable_not_still_moving():
    # Adam at lr 10 on Beale: most starts fly far up the walls (losses of 1e7 and more, where the
    # whole map stays below 2e5) and wander back; they must not be "still moving".
    beale = landscapes.get("beale")
    mapped = basins.basin_map(beale, "adam", {"lr": 10.0}, resolution=6, steps=200, tolerance=0.09)
    _, _, starts = basins.start_grid(beale, 6)
    run = optimizers.simulate(beale, "adam", {"lr": 10.0}, starts, 200)
    _, _, grid = beale.grid(41)
    blew_up = np.nanmax(run.losses, axis=0) > 100 * (grid.max() - grid.min())
    ended = mapped.outcome.ravel()
    assert blew_up.sum() >= 18
    assert (ended[blew_up] != basins.STILL_MOVING).all()
    assert (ended[blew_up & (ended < 0)] == basins.UNSTABLE).all()
