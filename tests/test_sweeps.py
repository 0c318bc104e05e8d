import numpy as np
import pytest

import landscapes
import optimizers
from analysis import sweeps
from landscapes import data

LRS = sweeps.log_spaced(1e-4, 10.0, 60)
SWEEP_STEP = LRS[1] / LRS[0]


def _quadratics():
    return [
        landscapes.get("bowl"),
        landscapes.get("ill_conditioned"),
        landscapes.from_expression("3*x^2 + 2*x*y + y^2"),
        data.get("linear_regression", False).surface,
    ]


def test_stability_edge_is_two_over_the_largest_curvature():
    assert sweeps.stability_edge(landscapes.get("bowl")) == pytest.approx(1.0)
    assert sweeps.stability_edge(landscapes.get("ill_conditioned")) == pytest.approx(2 / 30)
    # Hessian [[6, 2], [2, 2]]: largest eigenvalue 4 + √8.
    edge = sweeps.stability_edge(landscapes.from_expression("3*x^2 + 2*x*y + y^2"))
    assert edge == pytest.approx(2 / (4 + np.sqrt(8)))
    for name in ("rosenbrock", "saddle", "himmelblau"):
        assert sweeps.stability_edge(landscapes.get(name)) is None


@pytest.mark.parametrize("surface", _quadratics(), ids=lambda s: s.name)
def test_gradient_descent_breaks_at_two_over_l_within_one_sweep_step(surface):
    edge = sweeps.stability_edge(surface)
    sweep = sweeps.lr_sweep(surface, "sgd", None, surface.start, LRS, steps=300, tolerance=1e-3)
    measured = sweep.first_unstable()
    assert edge <= measured < edge * SWEEP_STEP
    assert not sweep.unstable[edge > LRS].any()
    assert sweep.unstable[edge < LRS].all()


def test_heavy_ball_momentum_breaks_at_two_times_one_plus_mu_over_l():
    surface = landscapes.get("ill_conditioned")
    sweep = sweeps.lr_sweep(
        surface, "momentum", {"momentum": 0.5}, surface.start, LRS, steps=400, tolerance=1e-3
    )
    edge = sweeps.momentum_stability_edge(surface, 0.5)
    assert edge == pytest.approx(1.5 * 2 / 30)
    assert edge <= sweep.first_unstable() < edge * SWEEP_STEP


@pytest.mark.parametrize(("key", "settings"), [("sgd", {}), ("nesterov", {"momentum": 0.8})])
def test_one_vectorised_sweep_equals_one_run_per_learning_rate(key, settings):
    # lr enters these rules linearly, so scaling the gradient instead is the same run up to
    # rounding; rates near the edge are left out, where Rosenbrock amplifies rounding chaotically.
    surface = landscapes.get("rosenbrock")
    lrs = sweeps.log_spaced(1e-5, 1e-3, 7)
    sweep = sweeps.lr_sweep(surface, key, settings, surface.start, lrs, steps=150, tolerance=1e-2)
    for lr, loss in zip(lrs, sweep.final_loss, strict=True):
        run = optimizers.simulate(surface, key, {**settings, "lr": lr}, [surface.start], 150)
        np.testing.assert_allclose(loss, run.losses[-1, 0], rtol=1e-9, equal_nan=True)


def test_adaptive_optimizers_are_swept_one_run_per_learning_rate():
    surface = landscapes.get("bowl")
    lrs = np.array([0.01, 0.1])
    sweep = sweeps.lr_sweep(surface, "adam", {"beta1": 0.8}, surface.start, lrs, 50, 1e-3)
    for lr, loss in zip(lrs, sweep.final_loss, strict=True):
        run = optimizers.simulate(surface, "adam", {"beta1": 0.8, "lr": lr}, [surface.start], 50)
        assert loss == run.losses[-1, 0]
    assert sweep.start_loss == pytest.approx(1.6**2 + 1.2**2)


def test_steps_to_tolerance_is_one_at_the_exact_newton_step_of_a_round_bowl():
    # On x² + y², GD with lr = 0.5 lands on the minimum in one step; smaller rates take longer.
    surface = landscapes.get("bowl")
    sweep = sweeps.lr_sweep(surface, "sgd", None, surface.start, [0.1, 0.25, 0.5], 100, 1e-6)
    assert sweep.steps_to_tolerance[2] == 1
    assert sweep.steps_to_tolerance[0] > sweep.steps_to_tolerance[1] > 1


def test_momentum_sweep_matches_single_runs_and_mu_zero_is_gradient_descent():
    surface = landscapes.get("ill_conditioned")
    momenta = np.array([0.0, 0.5, 0.9])
    sweep = sweeps.momentum_sweep(
        surface, "momentum", {"lr": 0.02}, surface.start, momenta, 100, 1e-3
    )
    gd = optimizers.simulate(surface, "sgd", {"lr": 0.02}, [surface.start], 100)
    assert sweep.final_loss[0] == gd.losses[-1, 0]
    assert sweep.parameter == "momentum"
    # On this valley momentum speeds up the slow direction: higher μ ends lower (up to 0.9).
    assert sweep.final_loss[2] < sweep.final_loss[1] < sweep.final_loss[0]


def test_lr_momentum_map_rows_are_lr_sweeps_and_show_the_widened_edge():
    surface = landscapes.get("bowl")
    lrs = sweeps.log_spaced(0.1, 5.0, 25)
    momenta = np.array([0.0, 0.5, 0.9])
    grid = sweeps.lr_momentum_map(surface, "momentum", surface.start, lrs, momenta, steps=300)
    assert grid.final_loss.shape == grid.unstable.shape == (3, 25)
    for row, mu in enumerate(momenta):
        edge = 2 * (1 + mu) / 2  # L = 2 on the round bowl
        assert not grid.unstable[row, lrs < edge].any()
        assert grid.unstable[row, lrs > edge * 1.05].all()
        single = sweeps.lr_sweep(
            surface, "momentum", {"momentum": mu}, surface.start, lrs, 300, 1e-3
        )
        np.testing.assert_array_equal(grid.unstable[row], single.unstable)


def test_lr_momentum_map_needs_a_momentum_method():
    with pytest.raises(ValueError, match="momentum or nesterov"):
        sweeps.lr_momentum_map(landscapes.get("bowl"), "adam", (1.0, 1.0), LRS, [0.5], 10)


def test_momentum_near_one_circling_slowly_is_not_called_unstable():
    # With μ = 0.99 the run spirals in slowly and its loss rises and falls along the way; only the
    # rates beyond the heavy-ball edge 2(1 + μ)/L may count as unstable.
    surface = landscapes.get("ill_conditioned")
    lrs = sweeps.log_spaced(1e-4, 10.0, 40)
    grid = sweeps.lr_momentum_map(surface, "momentum", surface.start, lrs, [0.99], steps=300)
    edge = sweeps.momentum_stability_edge(surface, 0.99)
    np.testing.assert_array_equal(grid.unstable[0], lrs > edge)


def test_batch_size_sweep_runs_the_same_epochs_with_real_batches():
    problem = data.get("linear_regression", True)
    sizes = [10, 200]
    fixed = sweeps.batch_size_sweep(problem, "sgd", 0.05, 10, sizes, epochs=3, scale_lr=False)
    scaled = sweeps.batch_size_sweep(problem, "sgd", 0.05, 10, sizes, epochs=3, scale_lr=True)
    # Batch 10 at its base rate is the same run either way.
    assert fixed.final_loss[0] == scaled.final_loss[0]
    # Batch 200 is full-batch GD: 3 epochs are 3 steps, with lr 0.05 or 0.05·20 = 1.0 = 2/L.
    full = optimizers.simulate(problem.surface, "sgd", {"lr": 0.05}, [problem.surface.start], 3)
    assert fixed.final_loss[1] == pytest.approx(full.losses[-1, 0], rel=1e-12)
    # At exactly 2/L on this round bowl (L = 2) GD jumps to the mirror point and back: no progress.
    assert scaled.final_loss[1] == pytest.approx(scaled.start_loss, rel=1e-9)
    assert not fixed.unstable.any() and not scaled.unstable.any()
    wild = sweeps.batch_size_sweep(problem, "sgd", 0.5, 10, [200], epochs=40, scale_lr=True)
    assert wild.unstable[0]  # lr 10 on a bowl with 2/L = 1 leaves the map


def test_an_adaptive_rate_whose_loss_blew_up_and_came_back_is_unstable():
    # RMSprop at lr 10 on Beale climbs to losses near 1e16 (the map tops out below 2e5) and
    # wanders back near its start, where a last-quarter comparison alone sees nothing growing.
    beale = landscapes.get("beale")
    sweep = sweeps.lr_sweep(beale, "rmsprop", None, beale.start, [0.05, 10.0], 300, 0.009)
    np.testing.assert_array_equal(sweep.unstable, [False, True])
