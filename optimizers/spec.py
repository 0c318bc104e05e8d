"""What describes an optimizer: its hyperparameters, its update rule as LaTeX and as NumPy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np


@dataclass(frozen=True)
class Hyper:
    """One hyperparameter: what a slider, the docs and the LaTeX panel need to know about it."""

    name: str
    default: float
    low: float
    high: float
    symbol: str  # LaTeX
    label: str
    help: str
    log: bool = False
    digits: int = 3  # significant digits shown, so 0.999 never displays as "1.00"

    def format(self, value: float) -> str:
        return f"{value:.{self.digits}g}"

    def clamp(self, value: float) -> float:
        return float(min(max(value, self.low), self.high))


class StepInput(NamedTuple):
    """Everything an update rule may read at one step. Arrays have shape (n, 2)."""

    params: np.ndarray
    grad: np.ndarray
    lr: float  # the learning rate at this step, after any schedule
    step: int  # 1-based, as torch's state["step"]
    hessian: np.ndarray | None  # (n, 2, 2), only for specs with needs_hessian


@dataclass(frozen=True)
class OptimizerSpec:
    """A pure optimizer: init(params, hp) -> state; update(inputs, state, hp) -> (params, state)."""

    key: str
    title: str
    hyperparams: tuple[Hyper, ...]
    init: Callable[[np.ndarray, SimpleNamespace], Any]
    update: Callable[[StepInput, Any, SimpleNamespace], tuple[np.ndarray, Any]]
    latex: str  # the update rule, with hyperparameters written by their symbols
    summary: str  # one sentence: what it remembers and why that helps
    torch_equivalent: str  # how to get the same trajectory with torch.optim, "" if none
    needs_hessian: bool = False

    def hyper(self, name: str) -> Hyper:
        return next(h for h in self.hyperparams if h.name == name)

    def defaults(self) -> dict[str, float]:
        return {h.name: h.default for h in self.hyperparams}

    def resolve(self, values: dict[str, float] | None) -> SimpleNamespace:
        """Defaults overridden by `values`; unknown names are an error, not silently ignored."""
        values = dict(values or {})
        unknown = set(values) - {h.name for h in self.hyperparams}
        if unknown:
            raise KeyError(f"{self.key} has no hyperparameter(s) {sorted(unknown)}")
        return SimpleNamespace(**{**self.defaults(), **{k: float(v) for k, v in values.items()}})

    def state_arrays_per_parameter(self) -> int:
        """How many numbers of state the optimizer keeps per parameter (Newton's Hessian aside)."""
        state = self.init(np.zeros((1, 2)), self.resolve(None))
        return sum(1 for field in state if isinstance(field, np.ndarray) and field.shape == (1, 2))
