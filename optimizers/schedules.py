"""Learning-rate schedules, as torch.optim.lr_scheduler defines them.

The learning rate used by optimizer step k (k = 0, 1, ...) is what torch's optimizer holds when the
scheduler's step() is called once after every optimizer step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KINDS = {
    "constant": "Constant",
    "step": "Step decay",
    "exponential": "Exponential decay",
    "cosine": "Cosine annealing",
}


@dataclass(frozen=True)
class Schedule:
    kind: str = "constant"
    gamma: float = 0.5  # step: factor every step_size steps; exponential: factor every step
    step_size: int = 50
    t_max: int = 100  # cosine: steps from the base rate down to eta_min
    eta_min: float = 0.0
    warmup_steps: int = 0  # linear warm-up, multiplied onto the schedule
    warmup_start_factor: float = 0.1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown schedule {self.kind!r}; known: {', '.join(KINDS)}")
        if self.step_size < 1 or self.t_max < 1 or self.warmup_steps < 0:
            raise ValueError("step_size and t_max must be ≥ 1 and warmup_steps ≥ 0")
        if not (0 < self.warmup_start_factor <= 1) or self.gamma <= 0 or self.eta_min < 0:
            raise ValueError("need 0 < warmup_start_factor ≤ 1, gamma > 0 and eta_min ≥ 0")

    def learning_rates(self, base_lr: float, steps: int) -> np.ndarray:
        """The learning rate of each of `steps` optimizer steps, shape (steps,)."""
        k = np.arange(steps, dtype=float)
        if self.kind == "step":
            rates = base_lr * self.gamma ** np.floor(k / self.step_size)
        elif self.kind == "exponential":
            rates = base_lr * self.gamma**k
        elif self.kind == "cosine":
            rates = (
                self.eta_min + (base_lr - self.eta_min) * (1 + np.cos(np.pi * k / self.t_max)) / 2
            )
        else:
            rates = np.full(steps, float(base_lr))
        return rates * self.warmup_factors(steps)

    def warmup_factors(self, steps: int) -> np.ndarray:
        if self.warmup_steps == 0:
            return np.ones(steps)
        done = np.minimum(np.arange(steps), self.warmup_steps) / self.warmup_steps
        return self.warmup_start_factor + (1 - self.warmup_start_factor) * done

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
