"""Learning-rate schedules, as torch.optim.lr_scheduler defines them.

The learning rate used by optimizer step k (k = 0, 1, ...) is what torch's optimizer holds when the
scheduler's step() is called once after every optimizer step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from texts import translatable

# The schedules' names as a person reads them (tr(KINDS[kind]) where they are shown).
KINDS = {
    "constant": translatable("Constant"),
    "step": translatable("Step decay"),
    "exponential": translatable("Exponential decay"),
    "cosine": translatable("Cosine annealing"),
}


@dataclass(frozen=True)
class Schedule:
    kind: str = "constant"
    gamma: float = 0.5  # step: factor every step_size steps; exponential: factor every step
    step_size: int = 50
    t_max: int = 100  # cosine: steps from the base rate down to eta_min
    eta_min: float = 0.0
    warmup_steps: int = 0  # linear warm-up (LinearLR), chained before the main schedule
    warmup_start_factor: float = 0.1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown schedule {self.kind!r}; known: {', '.join(KINDS)}")
        if self.step_size < 1 or self.t_max < 1 or self.warmup_steps < 0:
            raise ValueError("step_size and t_max must be ≥ 1 and warmup_steps ≥ 0")
        if not (0 < self.warmup_start_factor <= 1) or self.gamma <= 0 or self.eta_min < 0:
            raise ValueError("need 0 < warmup_start_factor ≤ 1, gamma > 0 and eta_min ≥ 0")

    def learning_rates(self, base_lr: float, steps: int) -> np.ndarray:
        """The learning rate of each of `steps` optimizer steps, shape (steps,).

        The rates follow the recurrences torch's schedulers apply to the optimizer's lr, in the
        order of `torch_code()` (warm-up first), not the closed forms in torch's docs. Chained,
        the two differ: with a warm-up, CosineAnnealingLR with eta_min > 0 anneals the warmed-up
        rate towards eta_min (it is not warm-up × cosine), and a cosine restart after t_max adds
        a share of the full base rate even while the warm-up is still scaling it down. Following
        the recurrences keeps the numbers equal to what torch's optimizer would use.
        """
        rates = np.empty(steps)
        lr = base_lr * (self.warmup_start_factor if self.warmup_steps else 1.0)
        for k in range(steps):
            rates[k] = lr
            lr = self._main_step(self._warmup_step(lr, k + 1), k + 1, base_lr)
        return rates

    def _warmup_step(self, lr: float, epoch: int) -> float:
        """LinearLR.get_lr (end_factor 1) at its `epoch`-th scheduler step."""
        if epoch > self.warmup_steps:
            return lr
        rise = 1.0 - self.warmup_start_factor
        return lr * (
            1.0 + rise / (self.warmup_steps * self.warmup_start_factor + (epoch - 1) * rise)
        )

    def _main_step(self, lr: float, epoch: int, base_lr: float) -> float:
        """StepLR / ExponentialLR / CosineAnnealingLR.get_lr at their `epoch`-th scheduler step."""
        if self.kind == "step":
            return lr * self.gamma if epoch % self.step_size == 0 else lr
        if self.kind == "exponential":
            return lr * self.gamma
        if self.kind == "cosine":
            if (epoch - 1 - self.t_max) % (2 * self.t_max) == 0:
                # The recurrence would divide by 1 + cos(π) = 0 here; torch restarts additively.
                return lr + (base_lr - self.eta_min) * (1 - math.cos(math.pi / self.t_max)) / 2
            return (1 + math.cos(math.pi * epoch / self.t_max)) / (
                1 + math.cos(math.pi * (epoch - 1) / self.t_max)
            ) * (lr - self.eta_min) + self.eta_min
        return lr

    def torch_code(self) -> str:
        """The torch.optim.lr_scheduler call(s) that produce the same learning rates."""
        main = {
            "constant": None,
            "step": f"StepLR(opt, step_size={self.step_size}, gamma={self.gamma:g})",
            "exponential": f"ExponentialLR(opt, gamma={self.gamma:g})",
            "cosine": f"CosineAnnealingLR(opt, T_max={self.t_max}, eta_min={self.eta_min:g})",
        }[self.kind]
        warmup = (
            f"LinearLR(opt, start_factor={self.warmup_start_factor:g}, "
            f"total_iters={self.warmup_steps})"
            if self.warmup_steps
            else None
        )
        parts = [p for p in (warmup, main) if p]
        if not parts:
            return "no scheduler"
        if len(parts) == 1:
            return parts[0]
        return f"ChainedScheduler([{', '.join(parts)}])"


CONSTANT = Schedule()
