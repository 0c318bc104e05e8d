import numpy as np
import pytest

import landscapes
import optimizers
from analysis.switching import Switch, switched_run

ADAM = {"lr": 0.05}
SGD = {"lr": 1e-3}
BOTH = {"adam": ADAM, "sgd": SGD}


def test_adam_then_sgd_continues_from_the_same_point_with_fresh_state():
    surface = landscapes.get("rosenbrock")
    result = switched_run(surface, Switch("adam", "sgd", 80), BOTH, [surface.start], 200)
    assert result.points.shape == (201, 1, 2)
    adam_alone = optimizers.simulate(surface, "adam", ADAM, [surface.start], 80)
    np.testing.assert_array_equal(result.points[:81], adam_alone.points)
    sgd_from_there = optimizers.simulate(surface, "sgd", SGD, adam_alone.points[-1], 120)
    np.testing.assert_array_equal(result.points[80:], sgd_from_there.points)
    np.testing.assert_array_equal(result.losses[80:], sgd_from_there.losses)
    # The step after the switch is a plain gradient step, by hand.
    point = adam_alone.points[-1]
    np.testing.assert_allclose(result.points[81], point - 1e-3 * surface.grad(point))
    np.testing.assert_array_equal(
        result.learning_rates, np.r_[np.full(80, 0.05), np.full(120, 1e-3)]
    )


def test_the_second_optimizer_starts_with_fresh_moments():
    # Adam → Adam restarts the moments and the bias correction, so it differs from one Adam run
    # right after the switch, although the first step of a fresh Adam has a known size: ≈ lr.
    surface = landscapes.get("ill_conditioned")
    result = switched_run(surface, Switch("adam", "adam", 30), {"adam": ADAM}, [surface.start], 31)
    continuous = optimizers.simulate(surface, "adam", ADAM, [surface.start], 31)
    np.testing.assert_array_equal(result.points[:31], continuous.points[:31])
    assert not np.allclose(result.points[31], continuous.points[31])
    first_fresh_step = np.abs(result.points[31] - result.points[30])
    np.testing.assert_allclose(first_fresh_step, 0.05, rtol=1e-5)


def test_divergence_before_the_switch_is_kept_and_after_it_is_shifted():
    bowl = landscapes.get("bowl")
    early_settings = {"momentum": {"lr": 3.0}, "sgd": {"lr": 0.1}}
    early = switched_run(bowl, Switch("momentum", "sgd", 40), early_settings, [bowl.start], 60)
    first_part = optimizers.simulate(bowl, "momentum", {"lr": 3.0}, [bowl.start], 40)
    assert 0 < early.diverged_at[0] == first_part.diverged_at[0] < 40
    assert np.isnan(early.losses[40:]).all()

    late_settings = {"momentum": {"lr": 0.1}, "sgd": {"lr": 3.0}}
    late = switched_run(bowl, Switch("momentum", "sgd", 10), late_settings, [bowl.start], 60)
    second_part = optimizers.simulate(bowl, "sgd", {"lr": 3.0}, late.points[10], 50)
    assert late.diverged_at[0] == 10 + second_part.diverged_at[0]


def test_switch_step_must_lie_within_the_run():
    bowl = landscapes.get("bowl")
    with pytest.raises(ValueError, match="between 0 and 50"):
        switched_run(bowl, Switch("adam", "sgd", 51), BOTH, [bowl.start], 50)
    at_zero = switched_run(bowl, Switch("adam", "sgd", 0), BOTH, [bowl.start], 50)
    only_sgd = optimizers.simulate(bowl, "sgd", SGD, [bowl.start], 50)
    np.testing.assert_array_equal(at_zero.points, only_sgd.points)


def test_the_schedule_runs_on_through_the_switch():
    # Step decay halves the rate every 20 steps over the whole run; after the switch at step 30
    # the second optimizer's rate follows the same schedule from step 30 on.
    bowl = landscapes.get("bowl")
    halving = optimizers.Schedule("step", gamma=0.5, step_size=20)
    run = switched_run(bowl, Switch("adam", "sgd", 30), BOTH, [bowl.start], 60, schedule=halving)
    np.testing.assert_array_equal(run.learning_rates[:30], halving.learning_rates(0.05, 60)[:30])
    np.testing.assert_array_equal(run.learning_rates[30:], halving.learning_rates(1e-3, 60)[30:])
    tail = optimizers.simulate(
        bowl, "sgd", SGD, run.points[30], 30, schedule=optimizers.Schedule("constant")
    )
    # The tail's first step uses the decayed rate: 1e-3 · 0.5 (steps 20-39 are halved once).
    np.testing.assert_allclose(run.points[31], run.points[30] - 0.5e-3 * bowl.grad(run.points[30]))
    assert not np.allclose(run.points[-1], tail.points[-1])
