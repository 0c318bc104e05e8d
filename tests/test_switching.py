import numpy as np
import pytest

import landscapes
import optimizers
from analysis.switching import switched_run

ADAM = {"lr": 0.05}
SGD = {"lr": 1e-3}


def test_adam_then_sgd_continues_from_the_same_point_with_fresh_state():
    surface = landscapes.get("rosenbrock")
    result = switched_run(surface, "adam", ADAM, "sgd", SGD, [surface.start], 80, 200)
    assert result.run.points.shape == (201, 1, 2)
    adam_alone = optimizers.simulate(surface, "adam", ADAM, [surface.start], 80)
    np.testing.assert_array_equal(result.run.points[:81], adam_alone.points)
    np.testing.assert_array_equal(result.switch_points(), adam_alone.points[-1])
    sgd_from_there = optimizers.simulate(surface, "sgd", SGD, adam_alone.points[-1], 120)
    np.testing.assert_array_equal(result.run.points[80:], sgd_from_there.points)
    np.testing.assert_array_equal(result.run.losses[80:], sgd_from_there.losses)
    # The step after the switch is a plain gradient step, by hand.
    point = adam_alone.points[-1]
    np.testing.assert_allclose(result.run.points[81], point - 1e-3 * surface.grad(point))
    np.testing.assert_array_equal(
        result.run.learning_rates, np.r_[np.full(80, 0.05), np.full(120, 1e-3)]
    )


def test_the_second_optimizer_starts_with_fresh_moments():
    # Adam → Adam restarts the moments and the bias correction, so it differs from one Adam run
    # right after the switch, although the first step of a fresh Adam has a known size: ≈ lr.
    surface = landscapes.get("ill_conditioned")
    result = switched_run(surface, "adam", ADAM, "adam", ADAM, [surface.start], 30, 31)
    continuous = optimizers.simulate(surface, "adam", ADAM, [surface.start], 31)
    np.testing.assert_array_equal(result.run.points[:31], continuous.points[:31])
    assert not np.allclose(result.run.points[31], continuous.points[31])
    first_fresh_step = np.abs(result.run.points[31] - result.run.points[30])
    np.testing.assert_allclose(first_fresh_step, 0.05, rtol=1e-5)


def test_divergence_before_the_switch_is_kept_and_after_it_is_shifted():
    bowl = landscapes.get("bowl")
    early = switched_run(bowl, "sgd", {"lr": 3.0}, "sgd", {"lr": 0.1}, [bowl.start], 40, 60)
    first_part = optimizers.simulate(bowl, "sgd", {"lr": 3.0}, [bowl.start], 40)
    assert 0 < early.run.diverged_at[0] == first_part.diverged_at[0] < 40
    assert np.isnan(early.run.losses[40:]).all()

    late = switched_run(bowl, "sgd", {"lr": 0.1}, "sgd", {"lr": 3.0}, [bowl.start], 10, 60)
    second_part = optimizers.simulate(bowl, "sgd", {"lr": 3.0}, late.switch_points(), 50)
    assert late.run.diverged_at[0] == 10 + second_part.diverged_at[0]


def test_switch_step_must_lie_within_the_run():
    bowl = landscapes.get("bowl")
    with pytest.raises(ValueError, match="between 0 and 50"):
        switched_run(bowl, "adam", ADAM, "sgd", SGD, [bowl.start], 51, 50)
    at_zero = switched_run(bowl, "adam", ADAM, "sgd", SGD, [bowl.start], 0, 50)
    only_sgd = optimizers.simulate(bowl, "sgd", SGD, [bowl.start], 50)
    np.testing.assert_array_equal(at_zero.run.points, only_sgd.points)
