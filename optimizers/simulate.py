"""Running an optimizer from many start points at once."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from optimizers.registry import get
from optimizers.schedules import CONSTANT, Schedule
from optimizers.spec import StepInput

# A point farther than this from the origin has left any surface we draw: it is diverging.
ESCAPE_RADIUS = 1e6
BLOCK = 8192

# (params (n, 2), 1-based step, the block's random generator) -> gradient (n, 2)
GradientSource = Callable[[np.ndarray, int, np.random.Generator], np.ndarray]


@dataclass(frozen=True)
class Trajectories:
    points: np.ndarray  # (steps + 1, n, 2)
    losses: np.ndarray  # (steps + 1, n); NaN from the step a point diverged
    diverged_at: np.ndarray  # (n,) first step whose point was not finite or escaped, -1 if never
    singular_at: np.ndarray  # (n,) first step whose Newton system was singular, -1 if never
    learning_rates: np.ndarray  # (steps,) the rate each step used

    @property
    def steps(self) -> int:
        return self.points.shape[0] - 1


def simulate(
    surface,
    key: str,
    hyperparams: Mapping[str, float] | None,
    starts,
    steps: int,
    noise: float = 0.0,
    seed: int = 0,
    schedule: Schedule | None = None,
    gradient_source: GradientSource | None = None,
) -> Trajectories:
    """Run optimizer `key` on `surface` from every start point, all at once.

    `noise` is the standard deviation of Gaussian noise added to every gradient component, drawn
    from a generator seeded with `seed`, so a run is reproducible. A point whose position or loss
    stops being finite, or that leaves ESCAPE_RADIUS, is frozen at its last good position from
    that step on and reported in `diverged_at`.

    `gradient_source(params, step, rng) -> grad`, if given, supplies the gradient each step uses
    (e.g. from a mini-batch of a data set) in place of the full gradient plus Gaussian noise;
    the recorded losses stay the surface's full loss.
    """
    spec = get(key)
    hp = spec.resolve(dict(hyperparams or {}))
    starts = np.array(starts, dtype=float).reshape(-1, 2)
    n = starts.shape[0]
    rates = (schedule or CONSTANT).learning_rates(hp.lr, steps)
    points = np.empty((steps + 1, n, 2))
    losses = np.empty((steps + 1, n))
    diverged_at = np.full(n, -1)
    singular_at = np.full(n, -1)
    # Blocks of points small enough to stay in the CPU cache run ~3x faster than one huge block.
    # Each block draws its noise from its own child of the seed, so results do not depend on
    # anything but (seed, number of points).
    seeds = np.random.SeedSequence(seed).spawn(-(-n // BLOCK))
    for block, block_seed in zip(range(0, n, BLOCK), seeds, strict=True):
        part = slice(block, block + BLOCK)
        singular_at[part] = _run_block(
            surface,
            spec,
            hp,
            starts[part],
            rates,
            noise,
            gradient_source,
            np.random.default_rng(block_seed),
            points[:, part],
            losses[:, part],
            diverged_at[part],
        )
    return Trajectories(points, losses, diverged_at, singular_at, rates)


def _run_block(
    surface, spec, hp, starts, rates, noise, gradient_source, rng, points, losses, diverged_at
):
    """Fill points, losses and diverged_at (views into the result) for one block of starts."""
    params = np.ascontiguousarray(starts)
    n = params.shape[0]
    alive = np.ones(n, dtype=bool)
    state = spec.init(params, hp)
    with np.errstate(all="ignore"):
        loss, grad = surface.value_and_grad(params)
        alive &= _is_healthy(params, loss)
        diverged_at[~alive] = 0
        points[0], losses[0] = params, np.where(alive, loss, np.nan)
        all_alive = bool(alive.all())
        for step, lr in enumerate(rates.tolist(), start=1):
            if gradient_source is not None:
                grad = gradient_source(params, step, rng)
            elif noise:
                grad = grad + noise * rng.standard_normal((n, 2))
            hessian = surface.hessian(params) if spec.needs_hessian else None
            new_params, state = spec.update(StepInput(params, grad, lr, step, hessian), state, hp)
            new_loss, new_grad = surface.value_and_grad(new_params)
            # One cheap test per step while all points are healthy. Once one has died, every
            # step must freeze it again: its optimizer state would otherwise move it on.
            if not (
                all_alive
                and np.abs(new_params).max() < ESCAPE_RADIUS
                and math.isfinite(new_loss.sum())
            ):
                dying = alive & ~_is_healthy(new_params, new_loss)
                diverged_at[dying] = step
                alive &= ~dying
                all_alive = bool(alive.all())
                new_params = np.where(alive[:, None], new_params, params)
                new_loss = np.where(alive, new_loss, np.nan)
            params, loss, grad = new_params, new_loss, new_grad
            points[step], losses[step] = params, loss
    return getattr(state, "singular_at", -1)


def _is_healthy(params: np.ndarray, loss: np.ndarray) -> np.ndarray:
    return np.isfinite(loss) & (np.abs(params) < ESCAPE_RADIUS).all(axis=1)
