"""Switching optimizers mid-run: one optimizer for the first k steps, another from there on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

import optimizers
from landscapes import Surface


@dataclass(frozen=True)
class SwitchedRun:
    """One trajectory made of two runs; step `switch_step` is where the second optimizer took over."""

    run: optimizers.Trajectories  # points (steps + 1, n, 2) as if it were a single run
    first: str  # optimizer key of steps 1 … switch_step
    second: str  # optimizer key of the steps after
    switch_step: int

    def switch_points(self) -> np.ndarray:
        """(n, 2) where each start was when the optimizer changed."""
        return self.run.points[self.switch_step]


def switched_run(
    surface: Surface,
    first: str,
    first_hyperparams: Mapping[str, float] | None,
    second: str,
    second_hyperparams: Mapping[str, float] | None,
    starts,
    switch_step: int,
    steps: int,
    noise: float = 0.0,
    seed: int = 0,
) -> SwitchedRun:
    """Run `first` for `switch_step` steps, then `second` from where it stopped, with fresh state.

    The second optimizer starts as if newly created on those parameters (zero moments, step count
    1), which is what building a new torch optimizer on the same tensors does. A start that
    diverged in the first part stays diverged.
    """
    if not 0 <= switch_step <= steps:
        raise ValueError(f"the switch step must be between 0 and {steps}")
    head = optimizers.simulate(
        surface, first, first_hyperparams, starts, switch_step, noise=noise, seed=seed
    )
    # A different seed for the second part, so its noise does not repeat the first part's.
    tail = optimizers.simulate(
        surface,
        second,
        second_hyperparams,
        head.points[-1],
        steps - switch_step,
        noise=noise,
        seed=seed + 1,
    )
    dead_before = head.diverged_at >= 0
    tail_points = np.where(dead_before[None, :, None], head.points[-1], tail.points[1:])
    tail_losses = np.where(dead_before, np.nan, tail.losses[1:])
    run = optimizers.Trajectories(
        points=np.concatenate([head.points, tail_points]),
        losses=np.concatenate([head.losses, tail_losses]),
        diverged_at=np.where(
            dead_before, head.diverged_at, _shifted(tail.diverged_at, switch_step)
        ),
        singular_at=np.where(
            np.asarray(head.singular_at) >= 0,
            head.singular_at,
            _shifted(np.asarray(tail.singular_at), switch_step),
        ),
        learning_rates=np.concatenate([head.learning_rates, tail.learning_rates]),
    )
    return SwitchedRun(run, first, second, switch_step)


def _shifted(step_or_minus_one: np.ndarray, offset: int) -> np.ndarray:
    return np.where(step_or_minus_one >= 0, step_or_minus_one + offset, -1)
