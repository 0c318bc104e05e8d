"""Optimizer rules checked by hand arithmetic, closed forms and the registry's promises.

The hand-checked steps run on f(x, y) = x² + 3y² from (1, 0.5): the gradient is (2x, 6y), so
g₀ = (2, 3) and every later gradient follows from the previous point.
"""

import math

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers.rules import SINGULAR

QUADRATIC = landscapes.from_expression("x^2 + 3*y^2")
START = (1.0, 0.5)


def _grad(point):
    return (2 * point[0], 6 * point[1])


def _two_steps(key, hyperparams):
    run = optimizers.simulate(QUADRATIC, key, hyperparams, [START], steps=2)
    return run.points[1, 0], run.points[2, 0]


def _assert_steps(key, hyperparams, p1, p2):
    got1, got2 = _two_steps(key, hyperparams)
    np.testing.assert_allclose(got1, p1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got2, p2, rtol=1e-12, atol=1e-15)


def test_sgd_two_steps():
    # p1 = (1, 0.5) − 0.1·(2, 3); g1 = (1.6, 1.2); p2 = p1 − 0.1·g1
    _assert_steps("sgd", {"lr": 0.1}, (0.8, 0.2), (0.64, 0.08))


def test_momentum_two_steps():
    # b1 = g0 = (2, 3); p1 = (0.8, 0.2); g1 = (1.6, 1.2); b2 = 0.9·(2, 3) + g1 = (3.4, 3.9)
    _assert_steps("momentum", {"lr": 0.1, "momentum": 0.9}, (0.8, 0.2), (0.46, -0.19))


def test_nesterov_two_steps():
    # b1 = (2, 3); step g0 + 0.9·b1 = (3.8, 5.7); p1 = (0.62, −0.07); g1 = (1.24, −0.42)
    # b2 = 0.9·(2, 3) + g1 = (3.04, 2.28); step g1 + 0.9·b2 = (3.976, 1.632)
    _assert_steps(
        "nesterov", {"lr": 0.1, "momentum": 0.9}, (0.62, -0.07), (0.62 - 0.3976, -0.07 - 0.1632)
    )


def test_adagrad_two_steps():
    lr, eps = 0.5, 0.1  # a large eps, so putting it inside the root would show
    p1 = (1 - lr * 2 / (2 + eps), 0.5 - lr * 3 / (3 + eps))
    g1 = _grad(p1)
    p2 = tuple(
        p - lr * g / (math.sqrt(g0**2 + g**2) + eps)
        for p, g, g0 in zip(p1, g1, (2, 3), strict=True)
    )
    _assert_steps("adagrad", {"lr": lr, "eps": eps}, p1, p2)


def test_rmsprop_two_steps():
    lr, alpha, eps = 0.05, 0.8, 0.1
    # v1 = (1 − α)·g0² = 0.2·(4, 9)
    p1 = (1 - lr * 2 / (math.sqrt(0.8) + eps), 0.5 - lr * 3 / (math.sqrt(1.8) + eps))
    g1 = _grad(p1)
    v2 = tuple(0.8 * 0.2 * g0**2 + 0.2 * g**2 for g, g0 in zip(g1, (2, 3), strict=True))
    p2 = tuple(p - lr * g / (math.sqrt(v) + eps) for p, g, v in zip(p1, g1, v2, strict=True))
    _assert_steps("rmsprop", {"lr": lr, "alpha": alpha, "eps": eps}, p1, p2)


def _adam_by_hand(lr, beta1, beta2, eps, weight_decay=0.0, amsgrad=False):
    """Two Adam steps written out per coordinate, with torch's bias correction and eps placement."""
    p0, g0 = START, _grad(START)
    m1 = [(1 - beta1) * g for g in g0]
    v1 = [(1 - beta2) * g * g for g in g0]
    # Bias correction at t = 1 turns m1 back into g0 and v1 into g0², so the step is lr·g/(|g|+ε).
    p1 = [
        p * (1 - lr * weight_decay) - lr * g / (abs(g) + eps) for p, g in zip(p0, g0, strict=True)
    ]
    g1 = _grad(p1)
    m2 = [beta1 * m + (1 - beta1) * g for m, g in zip(m1, g1, strict=True)]
    v2 = [beta2 * v + (1 - beta2) * g * g for v, g in zip(v1, g1, strict=True)]
    if amsgrad:
        v2 = [max(a, b) for a, b in zip(v1, v2, strict=True)]
    p2 = [
        p * (1 - lr * weight_decay)
        - lr * (m / (1 - beta1**2)) / (math.sqrt(v / (1 - beta2**2)) + eps)
        for p, m, v in zip(p1, m2, v2, strict=True)
    ]
    return p1, p2


# beta1 ≠ beta2 far apart and a large eps, so swapped betas or eps inside the root would show.
ADAM_HP = {"lr": 0.1, "beta1": 0.8, "beta2": 0.9, "eps": 0.1}


def test_adam_two_steps():
    _assert_steps("adam", ADAM_HP, *_adam_by_hand(0.1, 0.8, 0.9, 0.1))


def test_adamw_two_steps_decay_the_parameters_apart_from_the_gradient():
    hp = {**ADAM_HP, "weight_decay": 0.5}
    _assert_steps("adamw", hp, *_adam_by_hand(0.1, 0.8, 0.9, 0.1, weight_decay=0.5))
    assert not np.allclose(_two_steps("adamw", hp)[1], _two_steps("adam", ADAM_HP)[1])


def test_amsgrad_two_steps_keep_the_largest_second_moment():
    # lr 0.9 lands x near 0, so x's second moment shrinks at step 2 and AMSGrad keeps the old one.
    hp = {**ADAM_HP, "lr": 0.9}
    _assert_steps("amsgrad", hp, *_adam_by_hand(0.9, 0.8, 0.9, 0.1, amsgrad=True))
    amsgrad, adam = _two_steps("amsgrad", hp)[1], _two_steps("adam", hp)[1]
    assert amsgrad[0] != pytest.approx(adam[0])
    assert amsgrad[1] == pytest.approx(adam[1], rel=1e-14)


def test_nadam_two_steps():
    lr, beta1, beta2, eps, psi = 0.1, 0.8, 0.9, 0.1, 0.5  # ψ large, so μ_t changes visibly

    def mu(t):
        return beta1 * (1 - 0.5 * 0.96 ** (t * psi))

    g0 = _grad(START)
    m1 = [(1 - beta1) * g for g in g0]
    v1 = [(1 - beta2) * g * g for g in g0]
    # At t = 1 the gradient's weight (1 − μ₁)/(1 − μ₁) is 1 and √(v₁/(1 − β₂)) = |g₀|.
    p1 = [
        p - lr * g / (abs(g) + eps) - lr * mu(2) / (1 - mu(1) * mu(2)) * m / (abs(g) + eps)
        for p, g, m in zip(START, g0, m1, strict=True)
    ]
    g1 = _grad(p1)
    m2 = [beta1 * m + (1 - beta1) * g for m, g in zip(m1, g1, strict=True)]
    v2 = [beta2 * v + (1 - beta2) * g * g for v, g in zip(v1, g1, strict=True)]
    product2 = mu(1) * mu(2)
    p2 = [
        p
        - (lr * (1 - mu(2)) / (1 - product2) * g + lr * mu(3) / (1 - product2 * mu(3)) * m)
        / (math.sqrt(v / (1 - beta2**2)) + eps)
        for p, g, m, v in zip(p1, g1, m2, v2, strict=True)
    ]
    hp = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps, "momentum_decay": psi}
    _assert_steps("nadam", hp, p1, p2)


def test_radam_two_steps_are_momentum_steps():
    # ρ_t ≤ 5 for t ≤ 5: the step is lr·m̂_t, not divided by √v (so eps and β₂ play no part).
    lr, beta1 = 0.1, 0.8
    g0 = _grad(START)
    m1 = [(1 - beta1) * g for g in g0]
    p1 = [p - lr * m / (1 - beta1) for p, m in zip(START, m1, strict=True)]
    g1 = _grad(p1)
    m2 = [beta1 * m + (1 - beta1) * g for m, g in zip(m1, g1, strict=True)]
    p2 = [p - lr * m / (1 - beta1**2) for p, m in zip(p1, m2, strict=True)]
    _assert_steps("radam", {**ADAM_HP, "lr": lr, "beta1": beta1}, p1, p2)


@pytest.mark.parametrize("beta2", [0.9, 0.999, 0.9999])
def test_radam_rectifies_from_step_six(beta2):
    # On the plane f = x + y the gradient is (1, 1) everywhere, so m̂_t = 1: steps 1-5 move by lr,
    # later ones by lr·r_t·√(1 − β₂ᵗ)/(√v_t + ε) with v_t = 1 − β₂ᵗ.
    lr, eps, steps = 0.01, 1e-3, 12
    plane = landscapes.from_expression("x + y")
    hp = {"lr": lr, "beta1": 0.9, "beta2": beta2, "eps": eps}
    run = optimizers.simulate(plane, "radam", hp, [(0.0, 0.0)], steps)
    rho_inf = 2 / (1 - beta2) - 1
    expected = []
    for t in range(1, steps + 1):
        rho = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
        assert (rho > 5) == (t >= 6)
        if rho <= 5:
            expected.append(lr)
        else:
            r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            scale = math.sqrt(1 - beta2**t)
            expected.append(lr * r * scale / (scale + eps))
    np.testing.assert_allclose(-np.diff(run.points[:, 0, 0]), expected, rtol=1e-9)
    np.testing.assert_allclose(-np.diff(run.points[:, 0, 1]), expected, rtol=1e-9)


def test_adamax_two_steps_divide_by_a_decaying_maximum():
    lr, beta1, beta2, eps = 0.1, 0.8, 0.9, 0.1
    g0 = _grad(START)
    u1 = [abs(g) + eps for g in g0]
    m1 = [(1 - beta1) * g for g in g0]
    p1 = [p - lr / (1 - beta1) * m / u for p, m, u in zip(START, m1, u1, strict=True)]
    g1 = _grad(p1)
    u2 = [max(beta2 * u, abs(g) + eps) for u, g in zip(u1, g1, strict=True)]
    # Both sides of the max are taken: x's new |g| + ε wins, y keeps its decayed maximum.
    assert u2[0] == abs(g1[0]) + eps and u2[1] == beta2 * u1[1]
    m2 = [beta1 * m + (1 - beta1) * g for m, g in zip(m1, g1, strict=True)]
    p2 = [p - lr / (1 - beta1**2) * m / u for p, m, u in zip(p1, m2, u2, strict=True)]
    _assert_steps("adamax", ADAM_HP, p1, p2)


def test_adadelta_two_steps():
    lr, rho, eps = 2.0, 0.8, 0.01  # a large ε, which sets the first step's length
    g0 = _grad(START)
    v1 = [(1 - rho) * g * g for g in g0]
    d1 = [math.sqrt(eps) / math.sqrt(v + eps) * g for v, g in zip(v1, g0, strict=True)]
    u1 = [(1 - rho) * d * d for d in d1]
    p1 = [p - lr * d for p, d in zip(START, d1, strict=True)]
    g1 = _grad(p1)
    v2 = [rho * v + (1 - rho) * g * g for v, g in zip(v1, g1, strict=True)]
    d2 = [math.sqrt(u + eps) / math.sqrt(v + eps) * g for u, v, g in zip(u1, v2, g1, strict=True)]
    p2 = [p - lr * d for p, d in zip(p1, d2, strict=True)]
    _assert_steps("adadelta", {"lr": lr, "rho": rho, "eps": eps}, p1, p2)


def test_adadelta_steps_do_not_depend_on_the_slopes_scale():
    # Steepness enters only through g/√(v + ε): at torch's defaults the path on 1000·f is f's
    # to within what ε (1e-6 against v ≈ g²) changes, while it travels most of the way in.
    steep = landscapes.from_expression("1000*(x^2 + 3*y^2)")
    flat = optimizers.simulate(QUADRATIC, "adadelta", None, [START], 300).points
    steep = optimizers.simulate(steep, "adadelta", None, [START], 300).points
    np.testing.assert_allclose(steep, flat, atol=1e-5)
    assert np.hypot(*flat[-1, 0]) < 0.1 * np.hypot(*START)


RPROP_HP = {"lr": 0.6, "eta_minus": 0.4, "eta_plus": 1.3, "step_size_min": 1e-3}


def test_rprop_two_steps_grow_one_step_size_and_skip_a_flipped_slope():
    # p1 = (1, 0.5) − 0.6·sign(2, 3) = (0.4, −0.1); g1 = (0.8, −0.6): x's slope kept its sign, so
    # its step grows to 0.6·1.3; y's flipped, so its step shrinks to 0.6·0.4 and y stays put.
    _assert_steps("rprop", RPROP_HP, (0.4, -0.1), (0.4 - 0.6 * 1.3, -0.1))


def test_rprop_step_sizes_stay_within_their_bounds():
    spec = optimizers.get("rprop")
    low, high = 0.02, 0.3
    for name in ("rosenbrock", "himmelblau", "rastrigin", "six_hump_camel"):
        surface = landscapes.get(name)
        hp = spec.resolve({**RPROP_HP, "step_size_min": low, "step_size_max": high})
        params = np.array([surface.start, (0.3, -0.7), (-1.1, 0.4)])
        state = spec.init(params, hp)
        seen = []
        for step in range(1, 200):
            inputs = optimizers.StepInput(params, surface.grad(params), hp.lr, step, None)
            params, state = spec.update(inputs, state, hp)
            seen.append(state.step_size)
        seen = np.array(seen)
        assert seen.min() >= low and seen.max() <= high, name
        # Both bounds bind: lr 0.6 is clamped to 0.3 at once, and near a minimum sizes shrink.
        assert seen[0].max() == high and seen.min() == low, name


def test_rprop_moves_only_by_its_step_sizes_whatever_the_slope():
    # The path on 1000·f is f's, bit for bit: only signs of the gradient are ever used.
    steep = landscapes.from_expression("1000*(x^2 + 3*y^2)")
    path = optimizers.simulate(QUADRATIC, "rprop", RPROP_HP, [START], 60).points
    np.testing.assert_array_equal(
        optimizers.simulate(steep, "rprop", RPROP_HP, [START], 60).points, path
    )


def test_lion_two_steps():
    lr, beta1, beta2, decay = 0.6, 0.8, 0.9, 0.25
    # c₁ = (1 − β₁)·g₀ has g₀'s signs (+, +); m₁ = (1 − β₂)·g₀ = (0.2, 0.3).
    p1 = [p - lr * (1 + decay * p) for p in START]
    g1 = _grad(p1)
    m1 = [(1 - beta2) * g for g in _grad(START)]
    c2 = [beta1 * m + (1 - beta1) * g for m, g in zip(m1, g1, strict=True)]
    # y passed 0, so g₁'s y is negative, but the momentum outweighs it: y keeps going down.
    assert g1[1] < 0 < c2[1] and c2[0] > 0
    p2 = [p - lr * (1 + decay * p) for p in p1]
    hp = {"lr": lr, "beta1": beta1, "beta2": beta2, "weight_decay": decay}
    _assert_steps("lion", hp, p1, p2)


@pytest.mark.parametrize("name", ["rosenbrock", "himmelblau", "six_hump_camel", "beale"])
def test_lion_moves_every_coordinate_by_exactly_lr(name):
    surface = landscapes.get(name)
    lr = 0.03
    starts = [surface.start, (0.3, -0.7), (-1.1, 0.4)]
    run = optimizers.simulate(surface, "lion", {"lr": lr, "beta1": 0.7}, starts, 300)
    # To rounding: θ − lr·(±1) is rounded to θ's own precision.
    np.testing.assert_allclose(np.abs(np.diff(run.points, axis=0)), lr, rtol=1e-12)


def test_lion_stands_still_along_a_coordinate_whose_gradient_is_exactly_zero():
    # On x² + y² from (0, 1): x's gradient and momentum stay exactly 0, so sign(c) = 0 there.
    run = optimizers.simulate(landscapes.get("bowl"), "lion", {"lr": 0.1}, [(0.0, 1.0)], 5)
    np.testing.assert_array_equal(run.points[:, 0, 0], 0.0)
    np.testing.assert_allclose(run.points[:, 0, 1], [1.0, 0.9, 0.8, 0.7, 0.6, 0.5])


def test_newton_two_damped_steps():
    # H = diag(2, 6); with damping 1 the step is lr·(2x/3, 6y/7).
    p1 = (1 - 0.5 * 2 / 3, 0.5 - 0.5 * 3 / 7)
    p2 = (p1[0] * (1 - 0.5 * 2 / 3), p1[1] * (1 - 0.5 * 6 / 7))
    _assert_steps("newton", {"lr": 0.5, "damping": 1.0}, p1, p2)


def test_lbfgs_two_steps():
    lr = 0.5
    # Step 1: d₀ = −g₀ = (−2, −3), t = min(1, 1/‖g₀‖₁)·lr = 0.1.
    p1 = (1 - 0.1 * 2, 0.5 - 0.1 * 3)
    g0, g1 = _grad(START), _grad(p1)
    # Step 2: the pair y = g₁ − g₀, s = t·d₀, then the two-loop recursion with one pair.
    y = [b - a for a, b in zip(g0, g1, strict=True)]
    s = [0.1 * -g for g in g0]
    ys = y[0] * s[0] + y[1] * s[1]
    rho, scale = 1 / ys, ys / (y[0] ** 2 + y[1] ** 2)
    q = [-g for g in g1]
    alpha = rho * (s[0] * q[0] + s[1] * q[1])
    r = [scale * (qi - alpha * yi) for qi, yi in zip(q, y, strict=True)]
    beta = rho * (y[0] * r[0] + y[1] * r[1])
    d1 = [ri + (alpha - beta) * si for ri, si in zip(r, s, strict=True)]
    p2 = tuple(p + lr * d for p, d in zip(p1, d1, strict=True))
    _assert_steps("lbfgs", {"lr": lr}, p1, p2)
    # On a quadratic, one pair along with the scaled identity already points at the minimum
    # better than the gradient does.
    assert math.hypot(*p2) < math.hypot(*p1)


def _muon_length(ns_steps: int) -> float:
    """The step's length over lr in exact arithmetic: Newton–Schulz maps the one singular value
    σ = 1 of a normalised row to aσ + bσ³ + cσ⁵, ns_steps times."""
    from optimizers.muon import NS_COEFFICIENTS

    a, b, c = NS_COEFFICIENTS
    sigma = 1.0
    for _ in range(ns_steps):
        sigma = a * sigma + b * sigma**3 + c * sigma**5
    return sigma


def test_muon_two_steps_are_normalised_momentum_steps():
    lr, mu, ns_steps = 0.1, 0.5, 5
    hp = {"lr": lr, "momentum": mu, "nesterov": "False", "weight_decay": 0.0, "ns_steps": 5}
    g0 = np.array(_grad(START))
    # B₁ = (1 − μ)·g₀: the step goes along g₀, lr·σ₅ long.
    p1 = np.array(START) - lr * _muon_length(ns_steps) * g0 / np.linalg.norm(g0)
    buffer = mu * (1 - mu) * g0 + (1 - mu) * np.array(_grad(p1))
    p2 = p1 - lr * _muon_length(ns_steps) * buffer / np.linalg.norm(buffer)
    got1, got2 = _two_steps("muon", hp)
    # bfloat16 Newton–Schulz: the length is right to a few per cent, the direction closer.
    np.testing.assert_allclose(got1, p1, rtol=0.04 * lr)
    np.testing.assert_allclose(got2, p2, rtol=0.08 * lr)


@pytest.mark.parametrize("ns_steps, length", [(5, 0.70), (4, 1.09)])
def test_muon_steps_have_one_length_whatever_the_slope(ns_steps, length):
    """A 1×2 matrix has one singular value, so Muon only normalises: every step of a run from
    steep and flat starts alike is ≈ length·lr long (bfloat16 spreads it by a few per cent)."""
    surface = landscapes.get("rosenbrock")
    lr = 1e-3
    hp = {"lr": lr, "weight_decay": 0.0, "ns_steps": ns_steps}
    run = optimizers.simulate(surface, "muon", hp, [(-1.5, 2.5), (1.0, 1.2), (0.0, 0.0)], 50)
    steps = np.linalg.norm(np.diff(run.points, axis=0), axis=2)
    assert _muon_length(ns_steps) == pytest.approx(length, rel=0.01)
    np.testing.assert_allclose(steps, _muon_length(ns_steps) * lr, rtol=0.04)


def test_losses_are_the_surface_values_of_the_points():
    run = optimizers.simulate(QUADRATIC, "adam", ADAM_HP, [START, (-0.3, 0.2)], steps=20)
    expected = run.points[..., 0] ** 2 + 3 * run.points[..., 1] ** 2
    np.testing.assert_allclose(run.losses, expected, rtol=1e-14)


def test_gradient_descent_on_a_quadratic_matches_the_closed_form():
    # f = x²/2 + 15y²: curvatures 1 and 30, so x_t = (1 − lr)^t x₀ and y_t = (1 − 30·lr)^t y₀.
    surface = landscapes.get("ill_conditioned")
    lr, steps, start = 0.05, 120, np.array([-2.5, 1.0])
    run = optimizers.simulate(surface, "sgd", {"lr": lr}, [start], steps)
    t = np.arange(steps + 1)[:, None]
    expected = start * np.array([1 - lr, 1 - 30 * lr]) ** t
    np.testing.assert_allclose(run.points[:, 0], expected, rtol=1e-12, atol=1e-300)


def test_gradient_descent_is_stable_just_below_two_over_l():
    surface = landscapes.get("ill_conditioned")  # L = 30
    run = optimizers.simulate(surface, "sgd", {"lr": 0.99 * 2 / 30}, [(-2.5, 1.0)], 1500)
    assert run.diverged_at[0] == -1
    y = run.points[:, 0, 1]
    # |1 − 30·lr| = 0.98: the y-coordinate flips sign every step while shrinking.
    assert (np.sign(y[1:50]) == -np.sign(y[:49])).all()
    assert abs(y[-1]) < 1e-12
    assert run.losses[-1, 0] < 1e-12


def test_gradient_descent_at_exactly_two_over_l_oscillates_forever():
    surface = landscapes.get("bowl")  # f = x² + y², L = 2
    run = optimizers.simulate(surface, "sgd", {"lr": 1.0}, [(0.5, -0.25)], 101)
    np.testing.assert_allclose(run.points[1::2, 0], [(-0.5, 0.25)] * 51)
    np.testing.assert_allclose(run.points[0::2, 0], [(0.5, -0.25)] * 51)


def test_gradient_descent_diverges_just_above_two_over_l_and_is_flagged_at_the_right_step():
    surface = landscapes.get("ill_conditioned")
    y0 = 1.0
    run = optimizers.simulate(surface, "sgd", {"lr": 1.01 * 2 / 30}, [(-2.5, y0)], 1000)
    # |y_t| = 1.02^t·y₀ (x shrinks): the first step beyond the escape radius.
    growth = 30 * 1.01 * 2 / 30 - 1
    expected = math.ceil(math.log(optimizers.ESCAPE_RADIUS / y0) / math.log(growth))
    assert run.diverged_at[0] == expected
    assert np.isfinite(run.losses[:expected, 0]).all()
    assert np.isnan(run.losses[expected:, 0]).all()
    # Frozen at the last good position, not clipped, not moved on.
    assert (run.points[expected:, 0] == run.points[expected - 1, 0]).all()
    assert abs(run.points[expected - 1, 0, 1]) < optimizers.ESCAPE_RADIUS


def test_newton_lands_on_a_quadratic_minimum_in_one_step():
    surface = landscapes.from_expression("2*(x - 1)^2 + (x - 1)*(y + 2) + 5*(y + 2)^2")
    starts = [(2.5, -0.5), (-3.0, 3.0), (1.0, -2.0)]
    run = optimizers.simulate(surface, "newton", {"lr": 1.0}, starts, steps=1)
    np.testing.assert_allclose(run.points[1], [(1.0, -2.0)] * 3, atol=1e-12)
    assert (run.flagged_at[SINGULAR] == -1).all()


def test_newton_is_attracted_to_a_saddle():
    # x² − y² has no minimum; Newton solves ∇f = 0 and goes straight to the saddle point.
    run = optimizers.simulate(landscapes.get("saddle"), "newton", {"lr": 1.0}, [(0.3, -0.2)], 3)
    np.testing.assert_allclose(run.points[1:, 0], np.zeros((3, 2)), atol=1e-15)
    # Gradient descent from the same start escapes along y instead.
    gd = optimizers.simulate(landscapes.get("saddle"), "sgd", {"lr": 0.1}, [(0.3, -0.2)], 30)
    assert abs(gd.points[-1, 0, 1]) > 10 * 0.2


def test_newton_flags_a_singular_hessian_and_stays_put():
    # The monkey saddle's Hessian vanishes at the origin; x⁴ + y² has H = diag(12x², 2), singular
    # on the line x = 0.
    monkey = optimizers.simulate(landscapes.get("monkey_saddle"), "newton", None, [(0, 0)], 4)
    assert monkey.flagged_at[SINGULAR][0] == 1
    assert (monkey.points[:, 0] == 0).all()
    quartic = landscapes.from_expression("x^4 + y^2")
    starts = [(0.0, 1.0), (0.5, 1.0)]
    run = optimizers.simulate(quartic, "newton", {"lr": 1.0}, starts, 3)
    np.testing.assert_array_equal(run.flagged_at[SINGULAR], [1, -1])
    assert (run.points[:, 0] == (0.0, 1.0)).all()
    # From (0.5, 1): Newton on x⁴ moves x to 2x/3 each step; y is quadratic and lands on 0.
    np.testing.assert_allclose(run.points[1:, 1], [(0.5 * (2 / 3) ** t, 0.0) for t in (1, 2, 3)])


def test_damping_makes_a_singular_newton_system_solvable():
    quartic = landscapes.from_expression("x^4 + y^2")
    run = optimizers.simulate(quartic, "newton", {"lr": 1.0, "damping": 1.0}, [(0.0, 1.0)], 1)
    assert run.flagged_at[SINGULAR][0] == -1
    np.testing.assert_allclose(run.points[1, 0], (0.0, 1 - 2 / (2 + 1)))


def test_registry_lists_every_optimizer_and_refuses_unknown_keys():
    assert optimizers.names() == [
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
        "amsgrad",
        "nadam",
        "radam",
        "adamax",
        "adadelta",
        "rprop",
        "lion",
        "newton",
        "lbfgs",
        "muon",
    ]
    with pytest.raises(KeyError, match="unknown optimizer 'shampoo'"):
        optimizers.get("shampoo")


def test_unknown_hyperparameters_are_an_error_not_ignored():
    with pytest.raises(KeyError, match="beta1"):
        optimizers.get("sgd").resolve({"beta1": 0.9})


@pytest.mark.parametrize("key", optimizers.names())
def test_spec_is_complete(key):
    spec = optimizers.get(key)
    assert spec.title and spec.summary
    for hyper in spec.hyperparams:
        # Every slider is explained by a symbol in the update rule and has a sane range.
        assert hyper.symbol in spec.latex, hyper.name
        if isinstance(hyper, optimizers.Choice):
            assert hyper.default in hyper.options, hyper.name
            # A select box reads one title per option, or the options themselves.
            assert len(hyper.titles) in (0, len(hyper.options)), hyper.name
        else:
            assert hyper.low <= hyper.default <= hyper.high, hyper.name
        assert hyper.help and hyper.label
    assert spec.hyperparams[0].name == "lr"


def test_memory_per_parameter_matches_the_lesson():
    counts = {key: optimizers.get(key).state_numbers_per_parameter() for key in optimizers.names()}
    assert counts == {
        "sgd": 0,
        "momentum": 1,
        "nesterov": 1,
        "adagrad": 1,
        "rmsprop": 1,
        "adam": 2,
        "adamw": 2,
        "amsgrad": 3,
        "nadam": 2,  # and one number for all: the product of the momenta so far
        "radam": 2,
        "adamax": 2,
        "adadelta": 2,
        "rprop": 2,
        "lion": 1,
        "newton": 0,
        "lbfgs": 2 * 100 + 2,  # d, the last gradient and m = 100 pairs (y, s)
        "muon": 1,
    }


def test_hyper_format_keeps_the_digits_that_matter_and_clamp_keeps_the_range():
    beta2 = optimizers.get("adam").hyper("beta2")
    assert beta2.format(0.999) == "0.999"
    assert beta2.format(0.9999) == "0.9999"
    assert beta2.clamp(2.0) == beta2.high
    assert beta2.clamp(0.0) == beta2.low


@pytest.mark.parametrize("name", ["rosenbrock", "saddle", "monkey_saddle", "himmelblau", "beale"])
def test_newton_with_a_line_search_never_increases_f(name):
    surface = landscapes.get(name)
    (xmin, xmax), (ymin, ymax) = surface.domain
    rng = np.random.default_rng(7)
    starts = np.column_stack([rng.uniform(xmin, xmax, 50), rng.uniform(ymin, ymax, 50)])
    run = optimizers.simulate(surface, "newton", {"line_search": "backtracking"}, starts, 40)
    finite = np.isfinite(run.losses[1:]) & np.isfinite(run.losses[:-1])
    assert (run.losses[1:][finite] <= run.losses[:-1][finite]).all()
    # Trial points cost function evaluations, counted per step beside the gradient and Hessian.
    assert run.evaluations.function.sum() > 0
    assert (run.evaluations.hessian == 1).all() and (run.evaluations.gradient == 1).all()


def test_newton_with_a_line_search_rolls_off_the_saddle_it_would_sit_on():
    saddle = landscapes.get("saddle")
    plain = optimizers.simulate(saddle, "newton", None, [saddle.start], 20)
    searching = optimizers.simulate(
        saddle, "newton", {"line_search": "backtracking"}, [saddle.start], 8
    )
    np.testing.assert_allclose(plain.points[-1, 0], (0.0, 0.0), atol=1e-12)
    assert abs(searching.points[-1, 0, 1]) > 1.0  # off along the way down
    assert searching.losses[-1, 0] < -1.0


def test_a_whole_number_hyperparameter_gives_an_int_and_refuses_fractions():
    spec = optimizers.get("lbfgs")
    resolved = spec.resolve({"history_size": 7.0})
    assert resolved.history_size == 7 and isinstance(resolved.history_size, int)
    with pytest.raises(ValueError, match="history_size must be a whole number"):
        spec.resolve({"history_size": 7.5})
    assert spec.hyper("max_eval").format(25) == "25"


def test_a_choice_hyperparameter_refuses_unknown_options():
    with pytest.raises(ValueError, match="line_search"):
        optimizers.get("newton").resolve({"line_search": "wolfe"})
