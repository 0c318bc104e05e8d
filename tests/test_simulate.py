"""simulate: shapes, one code path for any number of starts, seeded noise, divergence handling."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from optimizers.rules import SINGULAR, newton_steps
from optimizers.simulate import BLOCK

HIMMELBLAU = landscapes.get("himmelblau")


def _grid_starts(surface, n, seed=0):
    (xmin, xmax), (ymin, ymax) = surface.domain
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n)])


@pytest.mark.parametrize("key", optimizers.names())
def test_one_start_has_the_documented_shapes(key):
    run = optimizers.simulate(HIMMELBLAU, key, None, [HIMMELBLAU.start], steps=7)
    assert run.points.shape == (8, 1, 2)
    assert run.losses.shape == (8, 1)
    assert run.diverged_at.shape == (1,)
    spec = optimizers.get(key)
    assert set(run.flagged_at) == set(spec.flags)
    assert all(first.shape == (1,) for first in run.flagged_at.values())
    assert run.learning_rates.shape == (7,)
    # One gradient per step for every rule here, and the Hessian too for those that need it.
    np.testing.assert_array_equal(run.evaluations.gradient, np.ones(7))
    np.testing.assert_array_equal(run.evaluations.hessian, np.full(7, int(spec.needs_hessian)))
    assert run.steps == 7
    np.testing.assert_array_equal(run.points[0, 0], HIMMELBLAU.start)
    np.testing.assert_array_equal(run.learning_rates, optimizers.get(key).defaults()["lr"])


def test_forty_thousand_starts_have_the_documented_shapes():
    starts = _grid_starts(HIMMELBLAU, 40_000)
    run = optimizers.simulate(HIMMELBLAU, "adam", {"lr": 0.05}, starts, steps=3)
    assert run.points.shape == (4, 40_000, 2)
    assert run.losses.shape == (4, 40_000)
    assert run.diverged_at.shape == (40_000,)
    np.testing.assert_array_equal(run.points[0], starts)
    np.testing.assert_allclose(run.losses, HIMMELBLAU.f(run.points.reshape(-1, 2)).reshape(4, -1))


@pytest.mark.parametrize("key", optimizers.names())
def test_running_together_equals_running_alone_across_the_block_boundary(key):
    starts = _grid_starts(HIMMELBLAU, BLOCK + 5, seed=1)
    gradient_family = optimizers.get(key).family is optimizers.Family.GRADIENT
    hyperparams = {"lr": 1e-3 if gradient_family else 0.05}
    together = optimizers.simulate(HIMMELBLAU, key, hyperparams, starts, steps=40)
    for index in (0, 17, BLOCK - 1, BLOCK, BLOCK + 4):
        alone = optimizers.simulate(HIMMELBLAU, key, hyperparams, starts[index], steps=40)
        np.testing.assert_array_equal(together.points[:, index], alone.points[:, 0])
        np.testing.assert_array_equal(together.losses[:, index], alone.losses[:, 0])
        assert together.diverged_at[index] == alone.diverged_at[0]
        for flag, first in together.flagged_at.items():
            assert first[index] == alone.flagged_at[flag][0]


def test_flags_are_reported_per_point_in_every_block():
    # Newton on the monkey saddle: only the origin has a singular Hessian. One origin per block.
    surface = landscapes.get("monkey_saddle")
    starts = np.full((2 * BLOCK + 3, 2), 0.5)
    singular = [3, BLOCK + 1, 2 * BLOCK + 2]
    starts[singular] = 0.0
    run = optimizers.simulate(surface, "newton", {"lr": 0.5}, starts, steps=2)
    assert set(np.flatnonzero(run.flagged_at[SINGULAR] >= 0)) == set(singular)
    assert (run.flagged_at[SINGULAR][singular] == 1).all()


def test_noise_is_reproducible_with_a_seed_and_changes_with_another():
    starts = _grid_starts(HIMMELBLAU, 10)

    def noisy(seed):
        return optimizers.simulate(
            HIMMELBLAU, "sgd", {"lr": 1e-3}, starts, steps=30, noise=2.0, seed=seed
        ).points

    np.testing.assert_array_equal(noisy(7), noisy(7))
    assert not np.allclose(noisy(7), noisy(8))
    clean = optimizers.simulate(HIMMELBLAU, "sgd", {"lr": 1e-3}, starts, steps=30).points
    assert not np.allclose(noisy(7), clean)


def test_noise_has_the_requested_standard_deviation_per_component():
    # On f = x + y the gradient is (1, 1) everywhere, so with SGD every step reveals its noise:
    # (p_k − p_{k+1}) / lr − 1 = noise · ξ, ξ ~ N(0, 1) independently per component.
    surface = landscapes.from_expression("x + y")
    lr, noise, n, steps = 1e-3, 0.7, 2000, 50
    run = optimizers.simulate(
        surface, "sgd", {"lr": lr}, np.zeros((n, 2)), steps, noise=noise, seed=3
    )
    samples = (-np.diff(run.points, axis=0) / lr - 1).reshape(-1, 2)
    assert abs(samples.mean()) < 0.01  # standard error 0.7 / √200000 ≈ 0.0016
    np.testing.assert_allclose(samples.std(axis=0), noise, rtol=0.02)
    assert abs(np.corrcoef(samples.T)[0, 1]) < 0.01
    # Successive draws for the same point (n rows apart) are independent too.
    assert abs(np.corrcoef(samples[:-n, 0], samples[n:, 0])[0, 1]) < 0.01


def test_a_point_that_leaves_where_f_is_defined_is_flagged_frozen_and_its_loss_nan():
    # f = log(x) + y²: GD with lr 0.6 from x = 1 goes to 1 − 0.6 = 0.4, then 0.4 − 0.6/0.4 < 0.
    surface = landscapes.from_expression("log(x) + y^2", domain=((0.5, 3), (-1, 1)))
    starts = [(1.0, 0.5), (2.5, 0.5)]
    run = optimizers.simulate(surface, "sgd", {"lr": 0.6}, starts, steps=6)
    np.testing.assert_array_equal(run.diverged_at, [2, -1])
    np.testing.assert_allclose(run.points[1, 0], (0.4, 0.5 - 0.6 * 1.0))
    assert (run.points[2:, 0] == run.points[1, 0]).all()
    assert np.isfinite(run.losses[:2, 0]).all() and np.isnan(run.losses[2:, 0]).all()
    assert np.isfinite(run.losses[:, 1]).all()


def test_a_start_that_is_already_bad_is_flagged_at_step_zero():
    starts = [(2e6, 0.0), (np.nan, 0.0), (1.0, 1.0)]
    run = optimizers.simulate(landscapes.get("bowl"), "adam", {"lr": 0.1}, starts, steps=3)
    np.testing.assert_array_equal(run.diverged_at, [0, 0, -1])
    assert np.isnan(run.losses[:, :2]).all()
    np.testing.assert_array_equal(run.points[3, 0], (2e6, 0.0))


# Settings that blow runs up. Adadelta's first steps are √(ε/(1−ρ))·lr long, 0.16 at lr 50 and
# torch's ε: a large ε makes them long.
OVERFLOWING = {"adadelta": {"lr": 50.0, "eps": 0.1}}


@pytest.mark.parametrize("key", optimizers.names())
def test_overflowing_runs_raise_no_warnings_and_never_hide_a_nan(key):
    surface = landscapes.from_expression("exp(x^2) + y^4")
    starts = _grid_starts(surface, 50, seed=4)
    settings = OVERFLOWING.get(key, {"lr": 50.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = optimizers.simulate(surface, key, settings, starts, steps=30, noise=3.0)
    # Invariant: a loss is NaN exactly from the step its point diverged, and never otherwise.
    steps = np.arange(31)[:, None]
    diverged = (run.diverged_at >= 0) & (steps >= run.diverged_at)
    np.testing.assert_array_equal(np.isnan(run.losses), diverged)
    assert np.isfinite(run.points).all()
    assert (np.abs(run.points) < optimizers.ESCAPE_RADIUS).all()
    assert (run.diverged_at > 0).any()


def test_unknown_optimizer_and_hyperparameter_are_errors():
    with pytest.raises(KeyError):
        optimizers.simulate(HIMMELBLAU, "shampoo", None, [(0, 0)], 3)
    with pytest.raises(KeyError, match="momentum"):
        optimizers.simulate(HIMMELBLAU, "adam", {"momentum": 0.9}, [(0, 0)], 3)


def test_zero_steps_returns_just_the_starts():
    run = optimizers.simulate(HIMMELBLAU, "adam", None, [(1.0, 2.0)], steps=0)
    assert run.points.shape == (1, 1, 2) and run.learning_rates.shape == (0,)
    assert run.losses[0, 0] == pytest.approx(HIMMELBLAU.f(np.array([[1.0, 2.0]]))[0])


@pytest.mark.parametrize("surface_name", landscapes.names())
def test_every_optimizer_starts_well_on_every_surface(surface_name):
    surface = landscapes.get(surface_name)
    for key in optimizers.names():
        run = optimizers.simulate(surface, key, None, [surface.start], steps=5)
        assert run.points.shape == (6, 1, 2)
        assert run.losses[0, 0] == pytest.approx(surface.f(np.array([surface.start]))[0], rel=1e-12)
        assert run.diverged_at[0] == -1, key


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_slider_setting_keeps_the_invariants(data):
    """Whatever the sliders say: no warning, no exception, a NaN loss only after a divergence."""
    surface = landscapes.get(data.draw(st.sampled_from(landscapes.names()), label="surface"))
    key = data.draw(st.sampled_from(optimizers.names()), label="optimizer")
    hyperparams = {
        hyper.name: data.draw(
            st.sampled_from(hyper.options)
            if isinstance(hyper, optimizers.Choice)
            else st.integers(int(hyper.low), int(hyper.high))
            if hyper.whole
            else st.floats(hyper.low, hyper.high),
            label=hyper.name,
        )
        for hyper in optimizers.get(key).hyperparams
    }
    noise = data.draw(st.sampled_from([0.0, 0.5, 20.0]), label="noise")
    starts = _grid_starts(surface, 20, seed=data.draw(st.integers(0, 99), label="seed"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = optimizers.simulate(surface, key, hyperparams, starts, steps=25, noise=noise)
    steps = np.arange(26)[:, None]
    diverged = (run.diverged_at >= 0) & (steps >= run.diverged_at)
    np.testing.assert_array_equal(np.isnan(run.losses), diverged)
    assert np.isfinite(run.points).all()
    # A frozen point stays exactly where it was last healthy.
    for i in np.flatnonzero(run.diverged_at > 0):
        frozen = run.points[run.diverged_at[i] - 1 :, i]
        assert (frozen == frozen[0]).all()


class _Separable:
    """f = Σ cᵢ·θᵢ² in as many parameters as curvatures: its coordinates move independently."""

    def __init__(self, *curvatures: float):
        self.c = np.array(curvatures)
        self.dim = len(curvatures)

    def value_and_grad(self, points):
        return (self.c * points**2).sum(axis=1), 2 * self.c * points

    def hessian(self, points):
        return np.broadcast_to(np.diag(2 * self.c), (points.shape[0], self.dim, self.dim)).copy()


@pytest.mark.parametrize("key", optimizers.names())
def test_rules_run_on_any_number_of_parameters(key):
    # On a separable bowl whose third parameter starts at its minimum (a zero gradient adds
    # nothing to any sum, norm or dot product, and Newton's system is diagonal), the first two of
    # three parameters move exactly as a 2-parameter run of the same bowl; started elsewhere,
    # all three move.
    three, two = _Separable(1.0, 3.0, 0.5), _Separable(1.0, 3.0)
    starts = np.array([[1.0, -0.5, 0.0], [-0.3, 0.8, 0.0]])
    settings = {"lr": 0.01}
    wide = optimizers.simulate(three, key, settings, starts, steps=25)
    narrow = optimizers.simulate(two, key, settings, starts[:, :2], steps=25)
    assert wide.points.shape == (26, 2, 3)
    np.testing.assert_allclose(wide.points[..., :2], narrow.points, rtol=1e-12, atol=1e-15)
    assert (wide.points[..., 2] == 0).all()
    moved = optimizers.simulate(three, key, settings, starts + np.array([0, 0, 2.0]), steps=25)
    assert (moved.points[-1] != moved.points[0]).all()


def test_newton_solves_a_coupled_system_in_many_dimensions():
    # f = ½ θᵀAθ − bᵀθ with a coupled, positive definite A: one full Newton step lands on A⁻¹b.
    rng = np.random.default_rng(4)
    m = rng.standard_normal((4, 4))
    a, b = m @ m.T + 4 * np.eye(4), rng.standard_normal(4)

    class Quadratic:
        dim = 4

        def value_and_grad(self, points):
            return 0.5 * np.einsum("ni,ij,nj->n", points, a, points) - points @ b, points @ a - b

        def hessian(self, points):
            return np.broadcast_to(a, (points.shape[0], 4, 4)).copy()

    run = optimizers.simulate(Quadratic(), "newton", {"lr": 1.0}, rng.standard_normal((3, 4)), 1)
    np.testing.assert_allclose(run.points[1], np.tile(np.linalg.solve(a, b), (3, 1)), rtol=1e-10)
    assert (run.flagged_at[SINGULAR] == -1).all()


def test_a_singular_system_is_flagged_and_stays_put_in_many_dimensions():
    rank_two = np.diag([2.0, 1.0, 0.0])[None].repeat(2, axis=0)
    rank_two[1, 2, 2] = 3.0  # the second system is regular
    steps, singular = newton_steps(rank_two, np.ones((2, 3)))
    np.testing.assert_array_equal(singular, [True, False])
    np.testing.assert_array_equal(steps[0], 0.0)
    np.testing.assert_allclose(steps[1], [0.5, 1.0, 1 / 3])
