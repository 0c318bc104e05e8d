"""analysis.outcome on hand-made trajectories whose outcome is known by construction."""

import numpy as np

import landscapes
import optimizers
from analysis.outcome import (
    distance_to_nearest_minimum,
    first_true,
    map_heights,
    nearest_minimum_index,
    summarise,
    summary_reductions,
)
from optimizers import Trajectories

# Two minima, at (−1, 0) and (1, 0).
DOUBLE_WELL = landscapes.get("double_well")


def _trajectories(paths, diverged_at=None):
    """Trajectories from explicit paths, shape (steps + 1, n, 2), losses from the surface."""
    points = np.array(paths, dtype=float)
    n = points.shape[1]
    diverged_at = np.full(n, -1) if diverged_at is None else np.array(diverged_at)
    losses = DOUBLE_WELL.f(points.reshape(-1, 2)).reshape(points.shape[:2])
    steps = np.arange(points.shape[0])[:, None]
    losses[(diverged_at >= 0) & (steps >= diverged_at)] = np.nan
    return Trajectories(
        points=points,
        losses=losses,
        diverged_at=diverged_at,
        flagged_at={},
        learning_rates=np.full(points.shape[0] - 1, 0.1),
        evaluations=optimizers.Evaluations.zeros(points.shape[0] - 1),
        recorded_steps=np.arange(points.shape[0]),
        reduced={},
    )


def test_outcomes_of_hand_made_runs():
    paths_per_start = [
        # reaches (1, 0), minimum 1, at step 2 and stays within 1e-3
        [(0.5, 0.5), (0.8, 0.1), (1.0, 0.0), (1.0, 0.0005), (1.0, 0.0)],
        # reaches (−1, 0), minimum 0, at step 3
        [(0.0, 0.8), (-0.5, 0.3), (-0.9, 0.0), (-0.99999, 0.0), (-1.0, 0.0)],
        # passes within tolerance of (1, 0) at step 1, then leaves: converged_at is the first
        # visit, but it has not reached a minimum at the end
        [(0.9, 0.0), (1.0, 0.0005), (1.5, 0.0), (2.0, 0.0), (2.5, 0.0)],
        # diverges at step 2 and is frozen at its last good position, which is on a minimum:
        # a diverged run has not reached anything
        [(1.5, 0.0), (1.0, 0.0), (1.0, 0.0), (1.0, 0.0), (1.0, 0.0)],
        # never near a minimum
        [(0.3, 0.3)] * 5,
    ]
    paths = np.array(paths_per_start).transpose(1, 0, 2)  # (steps + 1, n, 2)
    run = _trajectories(paths, diverged_at=[-1, -1, -1, 2, -1])
    summary = summarise(run, DOUBLE_WELL, tolerance=1e-3)
    np.testing.assert_array_equal(summary.reached_minimum, [1, 0, -1, -1, -1])
    np.testing.assert_array_equal(summary.converged_at, [2, 3, 1, 1, -1])
    np.testing.assert_array_equal(summary.diverged_at, [-1, -1, -1, 2, -1])
    np.testing.assert_array_equal(summary.still_moving, [False, False, True, False, True])
    assert np.isnan(summary.final_loss[3])
    alive = [0, 1, 2, 4]
    np.testing.assert_allclose(summary.final_loss[alive], DOUBLE_WELL.f(paths[-1])[alive])
    assert summary.tolerance == 1e-3


def test_tolerance_decides_what_counts_as_reached():
    run = _trajectories([[(0.0, 0.0)], [(1.002, 0.0)]])
    assert summarise(run, DOUBLE_WELL, tolerance=1e-3).reached_minimum[0] == -1
    assert summarise(run, DOUBLE_WELL, tolerance=3e-3).reached_minimum[0] == 1


def test_a_surface_without_minima_reaches_none():
    run = optimizers.simulate(landscapes.get("saddle"), "sgd", {"lr": 0.1}, [(-1.8, 0.01)], 5)
    summary = summarise(run, landscapes.get("saddle"))
    assert summary.reached_minimum[0] == -1 and summary.converged_at[0] == -1
    assert np.isinf(distance_to_nearest_minimum(landscapes.get("saddle"), run.points)).all()


def test_gradient_descent_on_the_bowl_converges_when_the_closed_form_says():
    # x_t = (1 − 2·lr)^t·x₀ on x² + y²: with lr 0.25 the distance halves every step.
    bowl = landscapes.get("bowl")
    run = optimizers.simulate(bowl, "sgd", {"lr": 0.25}, [(1.0, 0.0)], 20)
    summary = summarise(run, bowl, tolerance=1e-3)
    # 0.5^t ≤ 1e-3 first at t = 10.
    assert summary.converged_at[0] == 10
    assert summary.reached_minimum[0] == 0


def test_distance_and_index_of_the_nearest_minimum():
    points = np.array([[0.9, 0.0], [-1.0, 0.3], [0.0, 0.0]])
    np.testing.assert_allclose(
        distance_to_nearest_minimum(DOUBLE_WELL, points), [0.1, 0.3, 1.0], rtol=1e-12
    )
    np.testing.assert_array_equal(nearest_minimum_index(DOUBLE_WELL, points, 0.2), [1, -1, -1])


def test_first_true_per_column():
    mask = np.array([[0, 0, 1], [1, 0, 1], [1, 0, 0]], dtype=bool)
    np.testing.assert_array_equal(first_true(mask), [1, -1, 0])


def test_a_run_that_flies_off_uphill_or_blows_up_is_unstable_one_going_downhill_is_not():
    low, high = map_heights(DOUBLE_WELL)
    blowup = low + 200 * (high - low)  # a loss 200 times the map's range above its floor
    far = (2.0 + 4 * 1.5, 0.0)  # 1.5 map widths beyond the right edge
    paths_per_start = [
        # leaves the map by 1.5 widths, uphill (the double well grows like x⁴ out there)
        [(0.5, 0.5), (3.0, 0.0), far],
        # climbs far above the map and comes back: unstable though it ends near the start
        [(0.5, 0.5), (np.sqrt(np.sqrt(blowup)), 0.0), (0.5, 0.6)],
        # reaches the minimum (1, 0) after a wild excursion: reached wins
        [(0.5, 0.5), (np.sqrt(np.sqrt(blowup)), 0.0), (1.0, 0.0)],
        # a quiet run that is still on its way
        [(0.5, 0.5), (0.6, 0.4), (0.7, 0.3)],
    ]
    run = _trajectories(np.array(paths_per_start).transpose(1, 0, 2))
    summary = summarise(run, DOUBLE_WELL, tolerance=1e-3)
    np.testing.assert_array_equal(summary.unstable, [True, True, False, False])
    np.testing.assert_allclose(summary.beyond_map[[0, 3]], [1.5, 0.0])
    assert summary.highest_loss[1] > 100 * (high - low)
    np.testing.assert_array_equal(summary.still_moving, [False, False, False, True])


def test_leaving_the_map_downhill_is_descent_not_instability():
    saddle = landscapes.get("saddle")  # x² − y²: unbounded below along y
    run = optimizers.simulate(saddle, "sgd", {"lr": 0.1}, [(0.5, 0.1)], 60)
    summary = summarise(run, saddle)
    assert summary.beyond_map[0] > 1 and run.losses[-1, 0] < run.losses[0, 0]
    assert not summary.unstable[0]


def test_the_highest_loss_reduced_without_history_equals_the_one_from_it():
    beale = landscapes.get("beale")
    starts = [(1.0, 1.5), (-2.0, 2.0), (3.0, 0.5)]
    full = optimizers.simulate(beale, "adam", {"lr": 10.0}, starts, 200)
    bare = optimizers.simulate(
        beale, "adam", {"lr": 10.0}, starts, 200, every=None, reductions=summary_reductions(beale)
    )
    with_history, without = summarise(full, beale), summarise(bare, beale)
    np.testing.assert_array_equal(with_history.highest_loss, np.nanmax(full.losses, axis=0))
    np.testing.assert_array_equal(without.highest_loss, with_history.highest_loss)
    np.testing.assert_array_equal(without.unstable, with_history.unstable)
