"""Switching optimizers mid-run: one optimizer for the first k steps, another from there on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

import optimizers
from landscapes import Surface
from optimizers import Evaluations, Schedule, Trajectories
from optimizers.registry import REFERENCE_COLORS
from texts import tr

# A switching run is drawn in this colour wherever it appears (no optimizer has it).
SWITCH_COLOR = REFERENCE_COLORS[0]


@dataclass(frozen=True)
class Switch:
    """A run that uses optimizer `first` for `step` steps, then `second` from the same point."""

    first: str
    second: str
    step: int

    key = "switch"  # a scene has at most one switching run; figures give it its own colour

    @property
    def title(self) -> str:
        """In the language of the run, like every optimizer's title where it is shown."""
        return tr(
            "{first} → {second} at step {step}",
            first=tr(optimizers.get(self.first).title),
            second=tr(optimizers.get(self.second).title),
            step=self.step,
        )


@dataclass(frozen=True)
class _ScheduleAfter:
    """`schedule` as it goes on after `offset` steps: the second optimizer's rates."""

    schedule: Schedule
    offset: int

    def learning_rates(self, base_lr: float, steps: int) -> np.ndarray:
        return self.schedule.learning_rates(base_lr, self.offset + steps)[self.offset :]


def switched_run(
    surface: Surface,
    switch: Switch,
    hyperparams: Mapping[str, Mapping[str, float] | None],
    starts,
    steps: int,
    noise: float = 0.0,
    seed: int = 0,
    schedule: Schedule | None = None,
) -> Trajectories:
    """Run `switch.first` for `switch.step` steps, then `switch.second` from where it stopped,
    with fresh state; `hyperparams` holds each one's values by key.

    The second optimizer starts as if newly created on those parameters (zero moments, step count
    1), which is what building a new torch optimizer on the same tensors does. The learning-rate
    schedule runs over the whole run: after the switch it goes on where it was, applied to the
    second optimizer's rate. A start that diverged in the first part stays diverged.
    """
    if not 0 <= switch.step <= steps:
        raise ValueError(f"the switch step must be between 0 and {steps}")
    schedule = schedule or Schedule()
    head = optimizers.simulate(
        surface,
        switch.first,
        hyperparams[switch.first],
        starts,
        switch.step,
        noise=noise,
        seed=seed,
        schedule=schedule,
    )
    # A different seed for the second part, so its noise does not repeat the first part's.
    tail = optimizers.simulate(
        surface,
        switch.second,
        hyperparams[switch.second],
        head.points[-1],
        steps - switch.step,
        noise=noise,
        seed=seed + 1,
        schedule=_ScheduleAfter(schedule, switch.step),
    )
    dead_before = head.diverged_at >= 0
    tail_points = np.where(dead_before[None, :, None], head.points[-1], tail.points[1:])
    tail_losses = np.where(dead_before, np.nan, tail.losses[1:])
    flagged_at = {}
    never = np.full(dead_before.shape, -1)
    for flag in {**head.flagged_at, **tail.flagged_at}:
        before = head.flagged_at.get(flag, never)
        after = _shifted(tail.flagged_at.get(flag, never), switch.step)
        flagged_at[flag] = np.where(before >= 0, before, after)
    return Trajectories(
        points=np.concatenate([head.points, tail_points]),
        losses=np.concatenate([head.losses, tail_losses]),
        diverged_at=np.where(
            dead_before, head.diverged_at, _shifted(tail.diverged_at, switch.step)
        ),
        flagged_at=flagged_at,
        learning_rates=np.concatenate([head.learning_rates, tail.learning_rates]),
        evaluations=Evaluations.concatenate([head.evaluations, tail.evaluations]),
        recorded_steps=np.arange(steps + 1),
        reduced={},
    )


def _shifted(step_or_minus_one: np.ndarray, offset: int) -> np.ndarray:
    return np.where(step_or_minus_one >= 0, step_or_minus_one + offset, -1)
