"""Running an optimizer from many start points at once."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Protocol

import numpy as np

from optimizers.registry import get
from optimizers.schedules import CONSTANT, Schedule
from optimizers.spec import Flag, OptimizerSpec, StepInput

# A point farther than this from the origin has left any surface we draw: it is diverging.
ESCAPE_RADIUS = 1e6
BLOCK = 8192

# (params (n, d), 1-based step, the block's random generator) -> gradient (n, d)
GradientSource = Callable[[np.ndarray, int, np.random.Generator], np.ndarray]


class Objective:
    """What an update rule may evaluate beyond the gradient it is given (a line search's trial
    points), counted: the counts become the run's Evaluations."""

    def __init__(self, surface):
        self._surface = surface
        self.counts = dict.fromkeys(_COST_KINDS, 0)

    def value(self, points: np.ndarray) -> np.ndarray:
        self.counts["function"] += 1
        return self._surface.value_and_grad(points)[0]

    def value_and_grad(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.counts["gradient"] += 1
        return self._surface.value_and_grad(points)

    def hessian(self, points: np.ndarray) -> np.ndarray:
        self.counts["hessian"] += 1
        return self._surface.hessian(points)


class Reduction(Protocol):
    """Something computed from every step while the run goes, so that the history need not be
    kept: e.g. the first step each point came near a minimum, or its highest loss in a window."""

    def start(self, n: int) -> np.ndarray:
        """The value for n points before step 0 (its first axis is the points)."""

    def update(self, value: np.ndarray, step: int, points: np.ndarray, losses: np.ndarray) -> None:
        """Fold step `step` (0 … steps) into `value` in place, for one block of points."""


@dataclass(frozen=True)
class Evaluations:
    """What each step cost, shape (steps,): how many times the objective was evaluated for it."""

    gradient: np.ndarray  # f and ∇f together (one closure call in torch's terms)
    function: np.ndarray  # f alone (a line search's trial points)
    hessian: np.ndarray

    @classmethod
    def zeros(cls, steps: int) -> Evaluations:
        return cls(*(np.zeros(steps, dtype=int) for _ in _COST_KINDS))

    def total(self) -> np.ndarray:
        """Evaluations of f and ∇f up to each step, (steps,): a Hessian counts as one more and a
        value alone as one (a fair count would weigh a Hessian by the parameters, two here)."""
        return np.cumsum(self.gradient + self.function + self.hessian)

    @classmethod
    def concatenate(cls, parts: list[Evaluations]) -> Evaluations:
        """The cost of runs done one after the other (a switch of optimizer mid-run)."""
        return cls(
            *(np.concatenate([getattr(part, name) for part in parts]) for name in _COST_KINDS)
        )


_COST_KINDS = ("gradient", "function", "hessian")


@dataclass(frozen=True)
class Trajectories:
    """Every start's run; n starts of d parameters, k recorded steps (all of them by default)."""

    points: np.ndarray  # (k, n, d) at recorded_steps
    losses: np.ndarray  # (k, n); NaN from the step a point diverged
    diverged_at: np.ndarray  # (n,) first step whose point was not finite or escaped, -1 if never
    # Per flag the optimizer reports (its spec's flags): (n,) first step raised, -1 if never.
    flagged_at: dict[Flag, np.ndarray]
    learning_rates: np.ndarray  # (steps,) the rate each step used
    evaluations: Evaluations
    recorded_steps: np.ndarray  # (k,) the step of each row of points and losses: 0 … steps
    reduced: dict[str, np.ndarray]  # the result of each Reduction the caller asked for, by name

    @property
    def steps(self) -> int:
        return int(self.recorded_steps[-1])

    @property
    def has_history(self) -> bool:
        """Every step is recorded."""
        return len(self.recorded_steps) == self.steps + 1


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
    every: int | None = 1,
    reductions: Mapping[str, Reduction] | None = None,
) -> Trajectories:
    """Run optimizer `key` on `surface` from every start point, all at once.

    `surface` is anything with `dim`, `value_and_grad(points) -> (loss (n,), grad (n, d))` and,
    for optimizers that need it, `hessian(points) -> (n, d, d)`; starts are points of `dim`
    parameters.

    `noise` is the standard deviation of Gaussian noise added to every gradient component, drawn
    from a generator seeded with `seed`, so a run is reproducible. A point whose position or loss
    stops being finite, or that leaves ESCAPE_RADIUS, is frozen at its last good position from
    that step on and reported in `diverged_at`.

    `gradient_source(params, step, rng) -> grad`, if given, supplies the gradient each step uses
    (e.g. from a mini-batch of a data set) in place of the full gradient plus Gaussian noise;
    the recorded losses stay the surface's full loss.

    What is kept: the points and losses of every `every`-th step and of the last (of the first
    and the last with `every=None`), and the result of each of `reductions`, which see every
    step. Memory is O(n) without the history: a basin map of 40,000 starts keeps megabytes.
    """
    spec = get(key)
    starts = np.array(starts, dtype=float).reshape(-1, surface.dim)
    n = starts.shape[0]
    hp = spec.resolve(dict(hyperparams or {}))
    run = _Run(
        surface,
        spec,
        hp,
        (schedule or CONSTANT).learning_rates(hp.lr, steps),
        noise,
        gradient_source,
    )
    recorded = _recorded_steps(steps, every)
    reductions = dict(reductions or {})
    result = Trajectories(
        points=np.empty((len(recorded), *starts.shape)),
        losses=np.empty((len(recorded), n)),
        diverged_at=np.full(n, -1),
        flagged_at={flag: np.full(n, -1) for flag in spec.flags},
        learning_rates=run.rates,
        evaluations=Evaluations.zeros(steps),
        recorded_steps=recorded,
        reduced={name: reduction.start(n) for name, reduction in reductions.items()},
    )
    # Blocks of points small enough to stay in the CPU cache run ~3x faster than one huge block.
    # Each block draws its noise from its own child of the seed, so results do not depend on
    # anything but (seed, number of points).
    seeds = np.random.SeedSequence(seed).spawn(-(-n // BLOCK))
    for block, block_seed in zip(range(0, n, BLOCK), seeds, strict=True):
        part = slice(block, block + BLOCK)
        run.block(starts[part], np.random.default_rng(block_seed), result, part, reductions)
    return result


def _recorded_steps(steps: int, every: int | None) -> np.ndarray:
    if every is None:
        return np.unique([0, steps])
    if every < 1:
        raise ValueError("every must be a whole number of steps ≥ 1, or None")
    return np.unique(np.append(np.arange(0, steps + 1, every), steps))


@dataclass(frozen=True)
class _Run:
    """What every block of one simulation shares."""

    surface: object
    spec: OptimizerSpec
    hp: SimpleNamespace
    rates: np.ndarray
    noise: float
    gradient_source: GradientSource | None

    def block(
        self,
        starts: np.ndarray,
        rng: np.random.Generator,
        result: Trajectories,
        part: slice,
        reductions: Mapping[str, Reduction],
    ) -> None:
        """Fill the `part` columns of result's arrays with the runs from `starts`."""
        surface, spec, hp = self.surface, self.spec, self.hp
        points, losses = result.points[:, part], result.losses[:, part]
        row_of_step = {int(step): row for row, step in enumerate(result.recorded_steps)}
        diverged_at = result.diverged_at[part]
        flagged_at = {flag: first[part] for flag, first in result.flagged_at.items()}
        reduced = [
            (reduction, result.reduced[name][part]) for name, reduction in reductions.items()
        ]

        def record(step: int, params: np.ndarray, loss: np.ndarray) -> None:
            if step in row_of_step:
                points[row_of_step[step]], losses[row_of_step[step]] = params, loss
            for reduction, value in reduced:
                reduction.update(value, step, params, loss)

        params = np.ascontiguousarray(starts)
        alive = np.ones(params.shape[0], dtype=bool)
        state = spec.init(params, hp)
        objective = Objective(surface)
        evaluations = result.evaluations
        with np.errstate(all="ignore"):
            loss, grad = surface.value_and_grad(params)
            alive &= _is_healthy(params, loss)
            diverged_at[~alive] = 0
            record(0, params, np.where(alive, loss, np.nan))
            all_alive = bool(alive.all())
            for step, lr in enumerate(self.rates.tolist(), start=1):
                if self.gradient_source is not None:
                    grad = self.gradient_source(params, step, rng)
                elif self.noise:
                    grad = grad + self.noise * rng.standard_normal(params.shape)
                # The gradient the step uses was evaluated at the end of the step before.
                objective.counts = {"gradient": 1, "function": 0, "hessian": 0}
                hessian = objective.hessian(params) if spec.needs_hessian else None
                inputs = StepInput(params, grad, lr, step, hessian, objective, loss)
                new_params, state = spec.update(inputs, state, hp)
                for flag, first in flagged_at.items():
                    first[getattr(state, flag.name) & (first < 0)] = step
                # Blocks evaluate in lockstep: a step costs what its hungriest block needed.
                for kind, count in objective.counts.items():
                    cost = getattr(evaluations, kind)
                    cost[step - 1] = max(cost[step - 1], count)
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
                record(step, params, loss)


def _is_healthy(params: np.ndarray, loss: np.ndarray) -> np.ndarray:
    return np.isfinite(loss) & (np.abs(params) < ESCAPE_RADIUS).all(axis=1)
