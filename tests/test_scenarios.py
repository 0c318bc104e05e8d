"""Each preset's title makes a claim; each test runs the preset and checks that claim."""

import dataclasses

import numpy as np
import pytest

import landscapes
import optimizers
from analysis.outcome import summarise, tolerance_for
from classroom import scenarios

# The claims were written for an arrival within 1e-3, stricter than the pages' 0.1 % of the map.
STRICT = 1e-3


def _runs(key: str):
    preset = scenarios.get(key)
    surface = landscapes.get(preset.surface)
    return surface, [run for _, run in preset.run()]


def _gd_zigzag():
    _, (gd,) = _runs("gd_zigzag")
    y_signs = np.sign(gd.points[:20, 0, 1])
    assert (y_signs[1:] == -y_signs[:-1]).all(), "y should flip side every step"
    x = gd.points[:, 0, 0]
    assert (np.diff(x) > 0).all() and (x < 0).all(), "x should creep monotonically along the floor"


def _momentum_damps_zigzag():
    surface, (momentum, gd) = _runs("momentum_damps_zigzag")
    momentum_at = summarise(momentum, surface, STRICT).converged_at[0]
    assert 0 < momentum_at <= momentum.steps // 2
    assert summarise(gd, surface, STRICT).converged_at[0] == -1


def _momentum_overshoots():
    _, (momentum, nesterov, gd) = _runs("momentum_overshoots")
    start_x = scenarios.get("momentum_overshoots").start_point()[0]
    assert start_x < 0
    overshoot = {
        name: run.points[:, 0, 0].max()
        for name, run in [("momentum", momentum), ("nesterov", nesterov), ("gd", gd)]
    }
    assert overshoot["momentum"] > 0.5 * abs(start_x)
    assert 0 < overshoot["nesterov"] < overshoot["momentum"]
    assert overshoot["gd"] <= 1e-12, "GD with the same lr never passes the minimum"


def _adam_escapes_saddle():
    _, (adam, gd) = _runs("adam_escapes_saddle")

    def near_saddle(run):
        return int((np.hypot(*run.points[:, 0].T) < 0.5).sum())

    def first_clear(run):
        return int(np.argmax(np.abs(run.points[:, 0, 1]) > 1))

    assert near_saddle(gd) >= 20 and near_saddle(adam) <= near_saddle(gd) // 4
    assert 0 < first_clear(adam) < first_clear(gd) // 2


def _noise_helps():
    _, (noisy, gd) = _runs("noise_helps")
    assert noisy.losses[-1, 0] < gd.losses[-1, 0] - 1.0
    # Not a lucky seed: over many seeds the noisy run usually ends deeper.
    preset = scenarios.get("noise_helps")
    deeper = [
        dataclasses.replace(preset, seed=seed).run()[0][1].losses[-1, 0] < gd.losses[-1, 0] - 1.0
        for seed in range(10)
    ]
    assert sum(deeper) >= 7


def _newton_one_step():
    surface, (newton, gd) = _runs("newton_one_step")
    np.testing.assert_allclose(newton.points[1, 0], surface.minima[0], atol=1e-12)
    assert np.hypot(*(gd.points[1, 0] - surface.minima[0])) > 0.5


def _newton_saddle():
    _, (newton, gd) = _runs("newton_saddle")
    np.testing.assert_allclose(newton.points[1:, 0], 0.0, atol=1e-12)
    assert np.hypot(*gd.points[-1, 0]) > 2


def _lr_too_large():
    _, (gd,) = _runs("lr_too_large")
    assert gd.diverged_at[0] > 0
    assert np.isnan(gd.losses[-1, 0])


def _lr_three_ways():
    surface, (good, small, large) = _runs("lr_three_ways")
    good_at = summarise(good, surface, STRICT).converged_at[0]
    assert 0 < good_at < summarise(large, surface, STRICT).converged_at[0]
    assert summarise(small, surface, STRICT).converged_at[0] == -1
    x = large.points[:10, 0, 0]
    assert (np.sign(x[1:]) == -np.sign(x[:-1])).all(), "η = 0.9 jumps across every step"


def _adagrad_stalls():
    surface, (adagrad, rmsprop) = _runs("adagrad_stalls")
    assert summarise(rmsprop, surface, STRICT).converged_at[0] > 0
    assert summarise(adagrad, surface, STRICT).converged_at[0] == -1
    step_lengths = np.hypot(*np.diff(adagrad.points[:, 0], axis=0).T)
    assert step_lengths[-50:].mean() < 0.1 * step_lengths[:10].mean()


def _amsgrad_calmer():
    surface, (amsgrad, adam) = _runs("amsgrad_calmer")
    amsgrad_at = summarise(amsgrad, surface, tolerance_for(surface)).converged_at[0]
    adam_at = summarise(adam, surface, tolerance_for(surface)).converged_at[0]
    assert 0 < amsgrad_at < adam_at


def _adamw_decay():
    surface, (adamw, adam) = _runs("adamw_decay")
    assert summarise(adam, surface, STRICT).reached_minimum[0] >= 0
    assert summarise(adamw, surface, 0.1).reached_minimum[0] == -1
    assert np.hypot(*adamw.points[-1, 0]) < np.hypot(*adam.points[-1, 0]) - 0.3


class _Scaled:
    """c·f: the same surface with every slope multiplied by c."""

    def __init__(self, surface, c: float):
        self.surface, self.c, self.dim = surface, c, surface.dim

    def value_and_grad(self, points):
        loss, grad = self.surface.value_and_grad(points)
        return self.c * loss, self.c * grad


def _rerun(key: str, entry: int, surface):
    """Entry `entry` of scenario `key` again, on another surface."""
    preset = scenarios.get(key)
    chosen = preset.entries[entry]
    start = [preset.start_point()]
    return optimizers.simulate(surface, chosen.optimizer, chosen.settings(), start, preset.steps)


def _rprop_ignores_slope():
    surface, (rprop, gd) = _runs("rprop_ignores_slope")
    assert summarise(rprop, surface, STRICT).converged_at[0] > 0
    assert summarise(gd, surface, STRICT).converged_at[0] == -1
    # Only signs count: bit for bit the same path on a thousand times steeper or flatter surface,
    # where GD at its rate flies off.
    for c in (1e3, 1e-3):
        np.testing.assert_array_equal(
            _rerun("rprop_ignores_slope", 0, _Scaled(surface, c)).points, rprop.points
        )
    assert _rerun("rprop_ignores_slope", 1, _Scaled(surface, 1e3)).diverged_at[0] > 0


def _lion_equal_steps():
    _, (lion, gd) = _runs("lion_equal_steps")
    lr = scenarios.get("lion_equal_steps").entries[0].settings()["lr"]
    np.testing.assert_allclose(np.abs(np.diff(lion.points[:, 0], axis=0)), lr, rtol=1e-12)
    across_over_along = np.abs(np.diff(gd.points[:2, 0], axis=0))[0]
    assert across_over_along[1] > 10 * across_over_along[0]
    # It does get there, and stays within a diagonal step or so of the minimum.
    assert np.hypot(*lion.points[-20:, 0].T).max() < 2 * lr


def _radam_warm_up():
    surface, (radam, adam) = _runs("radam_warm_up")
    hp = optimizers.get("radam").resolve(scenarios.get("radam_warm_up").entries[0].settings())
    # Steps 1-5: η times the bias-corrected mean of the gradients met along its own path.
    grads = surface.grad(radam.points[:5, 0])
    mean, plain_steps = np.zeros(2), []
    for t, grad in enumerate(grads, start=1):
        mean = hp.beta1 * mean + (1 - hp.beta1) * grad
        plain_steps.append(hp.lr * mean / (1 - hp.beta1**t))
    np.testing.assert_allclose(-np.diff(radam.points[:6, 0], axis=0), plain_steps, rtol=1e-12)

    def lengths(run):
        return np.hypot(*np.diff(run.points[:, 0], axis=0).T)

    radam_steps, adam_steps = lengths(radam), lengths(adam)
    assert (radam_steps[:5] > 2 * adam_steps[:5]).all(), "steeper than 1 here: longer than Adam's"
    assert radam_steps[5] < adam_steps[5] / 20, "step 6, the first rectified one, nearly stops"
    assert (np.diff(radam_steps[5:40]) > 0).all(), "then it speeds up"
    # Both arrive; Adam, which moved about η from the start, first.
    adam_at = summarise(adam, surface, STRICT).converged_at[0]
    assert 0 < adam_at < summarise(radam, surface, STRICT).converged_at[0]


def _adadelta_no_lr():
    surface, (adadelta,) = _runs("adadelta_no_lr")
    assert scenarios.get("adadelta_no_lr").entries[0].settings() == {"lr": 1.0}
    assert summarise(adadelta, surface, STRICT).converged_at[0] > 0
    steps = np.abs(np.diff(adadelta.points[:, 0], axis=0))
    hp = optimizers.get("adadelta").resolve(None)
    np.testing.assert_allclose(steps[0], np.sqrt(hp.eps / (1 - hp.rho)), rtol=1e-3)
    assert steps.max() > 3 * steps[0].max(), "its own step lengthens"
    steep = _rerun("adadelta_no_lr", 0, _Scaled(surface, 1e3))
    np.testing.assert_allclose(steep.points, adadelta.points, atol=0.01)


def _newton_line_search_saddle():
    _, (searching, plain) = _runs("newton_line_search_saddle")
    np.testing.assert_allclose(plain.points[1:, 0], 0.0, atol=1e-12)
    healthy = searching.losses[~np.isnan(searching.losses[:, 0]), 0]
    assert (np.diff(healthy) <= 0).all(), "a line search never lets f rise"
    assert healthy[-1] < -10 and np.hypot(*searching.points[-1, 0]) > 2


def _lbfgs_rosenbrock():
    surface, (lbfgs, adam) = _runs("lbfgs_rosenbrock")
    arrived = summarise(lbfgs, surface, STRICT).converged_at[0]
    assert 12 <= arrived <= 48, "a few dozen steps"
    assert summarise(adam, surface, STRICT).converged_at[0] == -1
    # Several evaluations per step: more evaluations than steps to get there.
    assert lbfgs.evaluations.total()[arrived - 1] > arrived


def _muon_fixed_length():
    _, (muon, momentum) = _runs("muon_fixed_length")
    lr = scenarios.get("muon_fixed_length").entries[0].settings()["lr"]
    lengths = np.hypot(*np.diff(muon.points[:, 0], axis=0).T)
    np.testing.assert_allclose(lengths, 0.70 * lr, rtol=0.04)
    momentum_lengths = np.hypot(*np.diff(momentum.points[:, 0], axis=0).T)
    assert momentum_lengths[-1] < momentum_lengths.max() / 10


CLAIMS = {
    "newton_line_search_saddle": _newton_line_search_saddle,
    "lbfgs_rosenbrock": _lbfgs_rosenbrock,
    "muon_fixed_length": _muon_fixed_length,
    "rprop_ignores_slope": _rprop_ignores_slope,
    "lion_equal_steps": _lion_equal_steps,
    "radam_warm_up": _radam_warm_up,
    "adadelta_no_lr": _adadelta_no_lr,
    "amsgrad_calmer": _amsgrad_calmer,
    "adamw_decay": _adamw_decay,
    "gd_zigzag": _gd_zigzag,
    "momentum_damps_zigzag": _momentum_damps_zigzag,
    "momentum_overshoots": _momentum_overshoots,
    "adam_escapes_saddle": _adam_escapes_saddle,
    "noise_helps": _noise_helps,
    "newton_one_step": _newton_one_step,
    "newton_saddle": _newton_saddle,
    "lr_too_large": _lr_too_large,
    "lr_three_ways": _lr_three_ways,
    "adagrad_stalls": _adagrad_stalls,
}


@pytest.mark.parametrize("key", [preset.key for preset in scenarios.SCENARIOS])
def test_preset_shows_what_its_title_claims(key):
    CLAIMS[key]()


def test_every_preset_names_real_surfaces_optimizers_and_settings():
    for preset in scenarios.SCENARIOS:
        assert preset.surface in landscapes.names()
        for entry in preset.entries:
            # resolve() rejects hyperparameter names the optimizer does not have.
            optimizers.get(entry.optimizer).resolve(entry.settings())
    assert len({p.key for p in scenarios.SCENARIOS}) == len(scenarios.SCENARIOS)


def test_overrides_change_only_the_featured_entry():
    preset = scenarios.get("momentum_overshoots")
    plain = preset.run()
    changed = preset.run({"lr": 0.01})
    assert not np.allclose(plain[0][1].points, changed[0][1].points)
    for (_, before), (_, after) in zip(plain[1:], changed[1:], strict=True):
        np.testing.assert_array_equal(before.points, after.points)
