"""Sweeps: the same run from the same start for many learning rates, momenta or batch sizes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

import optimizers
from analysis.outcome import summarise, summary_reductions
from landscapes import Surface, x, y
from landscapes.data import DataProblem, MiniBatches, linear_scaled_lr


@dataclass(frozen=True)
class Sweep:
    """One run per swept value, arrays of shape (m,)."""

    parameter: str  # the hyperparameter swept, e.g. "lr" or "momentum"
    values: np.ndarray
    final_loss: np.ndarray  # NaN where the run escaped
    steps_to_tolerance: np.ndarray  # first step within tolerance of a known minimum, -1 if never
    unstable: np.ndarray  # analysis.outcome's rule, or its loss was still growing at the end
    start_loss: float

    def first_unstable(self) -> float | None:
        """The smallest swept value above which every run is unstable, None if the last is stable."""
        if not self.unstable[-1]:
            return None
        stable = np.flatnonzero(~self.unstable)
        return float(self.values[stable[-1] + 1] if stable.size else self.values[0])


def log_spaced(low: float, high: float, count: int) -> np.ndarray:
    return np.geomspace(low, high, count)


def lr_sweep(
    surface: Surface,
    key: str,
    hyperparams: Mapping[str, float] | None,
    start: tuple[float, float],
    lrs: np.ndarray,
    steps: int,
    tolerance: float,
) -> Sweep:
    """Run `key` from `start` once per learning rate in `lrs` (other hyperparameters fixed: its
    many-run defaults unless given)."""
    lrs = np.asarray(lrs, dtype=float)
    if hyperparams is None:
        hyperparams = optimizers.get(key).many_run_defaults()
    settings = {k: v for k, v in hyperparams.items() if k != "lr"}
    # Where lr acts linearly (see optimizers.Family), one simulation carries a different η per
    # point.
    if optimizers.get(key).family.lr_acts_linearly:
        run = _scaled_gradient_run(surface, key, settings, start, lrs, steps, tolerance)
        return _sweep("lr", lrs, run, surface, tolerance)
    kept = _kept(surface, tolerance, steps)
    runs = [
        optimizers.simulate(surface, key, {**settings, "lr": lr}, [start], steps, **kept)
        for lr in lrs
    ]
    return _sweep("lr", lrs, _stack(runs), surface, tolerance)


def momentum_sweep(
    surface: Surface,
    key: str,
    hyperparams: Mapping[str, float] | None,
    start: tuple[float, float],
    momenta: np.ndarray,
    steps: int,
    tolerance: float,
) -> Sweep:
    """Run a momentum method (`momentum` or `nesterov`) once per momentum μ, lr fixed."""
    momenta = np.asarray(momenta, dtype=float)
    settings = {k: v for k, v in (hyperparams or {}).items() if k != "momentum"}
    kept = _kept(surface, tolerance, steps)
    runs = [
        optimizers.simulate(surface, key, {**settings, "momentum": mu}, [start], steps, **kept)
        for mu in momenta
    ]
    return _sweep("momentum", momenta, _stack(runs), surface, tolerance)


@dataclass(frozen=True)
class LrMomentumMap:
    lrs: np.ndarray  # (columns,)
    momenta: np.ndarray  # (rows,)
    final_loss: np.ndarray  # (rows, columns); NaN where the run escaped
    unstable: np.ndarray  # (rows, columns)
    start_loss: float


def lr_momentum_map(
    surface: Surface,
    key: str,
    start: tuple[float, float],
    lrs: np.ndarray,
    momenta: np.ndarray,
    steps: int,
) -> LrMomentumMap:
    """Final loss of `key` (momentum or nesterov) for every (lr, μ) pair: one run per μ."""
    spec = optimizers.get(key)
    if not (spec.family.lr_acts_linearly and "momentum" in spec.defaults()):
        raise ValueError("the (lr, momentum) map needs a momentum method: momentum or nesterov")
    lrs, momenta = np.asarray(lrs, dtype=float), np.asarray(momenta, dtype=float)
    rows = [
        _sweep(
            "lr",
            lrs,
            _scaled_gradient_run(surface, key, {"momentum": mu}, start, lrs, steps, 0.0),
            surface,
            0.0,
        )
        for mu in momenta
    ]
    return LrMomentumMap(
        lrs,
        momenta,
        np.array([row.final_loss for row in rows]),
        np.array([row.unstable for row in rows]),
        rows[0].start_loss,
    )


def batch_size_sweep(
    problem: DataProblem,
    key: str,
    base_lr: float,
    base_batch_size: int,
    batch_sizes: Sequence[int],
    epochs: int,
    scale_lr: bool,
    warmup_steps: int = 0,
    seed: int = 0,
    tolerance: float | None = None,
) -> Sweep:
    """Train for the same number of epochs at each batch size, with real mini-batches (the
    optimizer's other hyperparameters at its many-run defaults).

    A larger batch takes fewer steps per epoch; with `scale_lr` each step is made longer in
    proportion (the linear-scaling rule), so the distance covered per epoch stays about the same.
    """
    surface = problem.surface
    rows = []
    settings = optimizers.get(key).many_run_defaults()
    for batch_size in batch_sizes:
        batches = MiniBatches(problem.samples, int(batch_size), seed)
        lr = linear_scaled_lr(base_lr, batch_size, base_batch_size) if scale_lr else base_lr
        steps = epochs * batches.steps_per_epoch
        run = optimizers.simulate(
            surface,
            key,
            {**settings, "lr": lr},
            [surface.start],
            steps,
            schedule=optimizers.Schedule(warmup_steps=warmup_steps),
            gradient_source=problem.minibatch_source(batches),
            **_kept(surface, tolerance, steps),
        )
        rows.append((_sweep("batch_size", np.array([batch_size]), run, surface, tolerance), run))
    return Sweep(
        "batch_size",
        np.asarray(batch_sizes, dtype=float),
        np.concatenate([row.final_loss for row, _ in rows]),
        np.concatenate([row.steps_to_tolerance for row, _ in rows]),
        # Sampling noise makes a small batch's loss rise and fall for ever, so here only
        # analysis.outcome's rule counts, not a loss still growing at the end.
        np.array([summarise(run, surface, tolerance).unstable[0] for _, run in rows]),
        rows[0][0].start_loss,
    )


def stability_edge(surface: Surface) -> float | None:
    """2/L for a quadratic surface with positive curvature L at most; None for any other surface.

    Above this learning rate gradient descent diverges on a quadratic: the error along the
    steepest direction is multiplied by |1 − lr·L| > 1 every step.
    """
    if not surface.expr.is_polynomial(x, y) or sp.Poly(surface.expr, x, y).total_degree() > 2:
        return None
    hessian = sp.Matrix(surface.hessian_expr)
    eigenvalues = [float(value) for value in hessian.eigenvals()]
    if min(eigenvalues) <= 0:
        return None
    return 2.0 / max(eigenvalues)


def momentum_stability_edge(surface: Surface, momentum: float) -> float | None:
    """Heavy-ball momentum on a quadratic is stable for lr < 2(1 + μ)/L (Polyak, 1964)."""
    edge = stability_edge(surface)
    return None if edge is None else edge * (1.0 + momentum)


def momentum_needed(surface: Surface, lr: float) -> float | None:
    """The momentum above which heavy ball is stable at `lr` on a quadratic: lr < 2(1 + μ)/L
    turned round, μ > lr·L/2 − 1. None where any μ in [0, 1) will do or none will, or the surface
    is no quadratic bowl."""
    edge = stability_edge(surface)
    if edge is None:
        return None
    momentum = lr / edge - 1.0
    return momentum if 0.0 < momentum < 1.0 else None


def _scaled_gradient_run(
    surface: Surface,
    key: str,
    settings: Mapping[str, float],
    start: tuple[float, float],
    lrs: np.ndarray,
    steps: int,
    tolerance: float | None,
) -> optimizers.Trajectories:
    scale = lrs[:, None]

    def scaled_gradient(params: np.ndarray, step: int, rng: np.random.Generator) -> np.ndarray:
        return scale * surface.grad(params)

    starts = np.repeat(np.asarray(start, dtype=float)[None], lrs.size, axis=0)
    return optimizers.simulate(
        surface,
        key,
        {**settings, "lr": 1.0},
        starts,
        steps,
        gradient_source=scaled_gradient,
        **_kept(surface, tolerance, steps),
    )


@dataclass(frozen=True)
class _HighestLoss:
    """A Reduction for simulate: each point's highest loss over the steps first … last - 1 (NaN
    if it diverged there)."""

    first: int
    last: int

    def start(self, n: int) -> np.ndarray:
        return np.full(n, -np.inf)

    def update(self, high: np.ndarray, step: int, points, losses: np.ndarray) -> None:
        if self.first <= step < self.last:
            np.maximum(high, losses, out=high)


_LAST_QUARTER, _QUARTER_BEFORE = "highest loss of the last quarter", "of the quarter before"


def _kept(surface: Surface, tolerance: float | None, steps: int) -> dict:
    """What a sweep keeps of each run (simulate's every= and reductions=): no history, only the
    reductions summarise needs and the two quarters' highest losses that _sweep reads."""
    quarter = max(steps // 4, 1)
    return {
        "every": None,
        "reductions": {
            **summary_reductions(surface, tolerance),
            _LAST_QUARTER: _HighestLoss(steps + 1 - quarter, steps + 1),
            _QUARTER_BEFORE: _HighestLoss(steps + 1 - 2 * quarter, steps + 1 - quarter),
        },
    }


def _stack(runs: list[optimizers.Trajectories]) -> optimizers.Trajectories:
    """Single-start runs side by side, as if they had been one run from many starts."""
    return optimizers.Trajectories(
        points=np.concatenate([run.points for run in runs], axis=1),
        losses=np.concatenate([run.losses for run in runs], axis=1),
        diverged_at=np.concatenate([run.diverged_at for run in runs]),
        flagged_at={
            flag: np.concatenate([run.flagged_at[flag] for run in runs])
            for flag in runs[0].flagged_at
        },
        learning_rates=runs[0].learning_rates,
        evaluations=runs[0].evaluations,
        recorded_steps=runs[0].recorded_steps,
        reduced={
            name: np.concatenate([run.reduced[name] for run in runs]) for name in runs[0].reduced
        },
    )


def _sweep(
    parameter: str,
    values: np.ndarray,
    run: optimizers.Trajectories,
    surface: Surface,
    tolerance: float | None,
) -> Sweep:
    summary = summarise(run, surface, tolerance)
    # Escaping the map can take many steps just past the edge (the error grows by a factor barely
    # above 1), so a run also counts as unstable when its loss is still growing: the highest loss
    # of the last quarter exceeds that of the quarter before. Comparing highs rather than single
    # values keeps a run that oscillates while settling (momentum near 1) stable.
    growing = run.reduced[_LAST_QUARTER] > run.reduced[_QUARTER_BEFORE]
    return Sweep(
        parameter,
        values,
        summary.final_loss,
        summary.converged_at,
        summary.unstable | growing,
        float(run.losses[0, 0]),
    )
