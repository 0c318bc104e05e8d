"""What describes an optimizer: every fact any page needs about it, in one place.

A spec carries its hyperparameters, its update rule as LaTeX and as NumPy, its colour, its family
(which decides its starting learning rate, whether lr acts linearly in sweeps, and what to say
when a run diverges) and the events it reports per point (Newton's singular system).

Its texts (title, summary, a hyperparameter's label and help, a flag's messages) are English,
marked `translatable(...)` where a spec is written and shown as `tr(spec.summary)`: the
catalogue (texts/) holds their translations. Names (Adam, RMSprop, ...) and symbols stay as
they are and need no mark.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np

from texts import tr


@dataclass(frozen=True)
class Hyper:
    """One hyperparameter: what a slider, the docs and the LaTeX panel need to know about it."""

    name: str
    default: float
    low: float
    high: float
    symbol: str  # LaTeX
    label: str  # translatable: shown as tr(label)
    help: str  # translatable
    log: bool = False
    digits: int = 3  # significant digits shown, so 0.999 never displays as "1.00"
    whole: bool = False  # a count (a history's length, a number of iterations): whole numbers only

    def format(self, value: float) -> str:
        if self.whole:
            return str(int(value))
        return f"{value:.{self.digits}g}"

    def value(self, value: float | int) -> float | int:
        """The value as the rule uses it: an int for a count (which refuses 2.5), else a float."""
        if not self.whole:
            return float(value)
        if value != int(value):
            raise ValueError(f"{self.name} must be a whole number, not {value}")
        return int(value)

    def clamp(self, value: float) -> float:
        return float(min(max(value, self.low), self.high))


@dataclass(frozen=True)
class Choice:
    """A hyperparameter that takes one of a few named values (torch's line_search_fn, nesterov):
    a select box, not a slider."""

    name: str
    default: str
    options: tuple[str, ...]
    symbol: str  # LaTeX
    label: str  # translatable: shown as tr(label)
    help: str  # translatable
    # How each option reads in a select box (translatable), in the order of `options`; empty:
    # the options themselves, torch's own values (strong_wolfe, True) that code would write.
    titles: tuple[str, ...] = ()

    def format(self, value: str) -> str:
        return value

    def title(self, option: str) -> str:
        """How `option` reads (in English: tr(choice.title(option)) shows it)."""
        return self.titles[self.options.index(option)] if self.titles else option

    def python(self, value: str) -> str:
        """The value as torch takes it: None for "none", True/False, else a string literal."""
        if value == "none":
            return "None"
        return value if value in ("True", "False") else repr(value)


Hyperparameter = Hyper | Choice


class Family(enum.Enum):
    """How a step relates to the gradient."""

    # The step is lr times a sum of past gradients (torch keeps lr outside any momentum buffer):
    # stable only below an edge set by the curvature, and lr acts linearly, so a sweep can run
    # many rates in one simulation.
    GRADIENT = "plain gradient"
    # Each coordinate moves about lr per step whatever the slope's size: the rate is a distance.
    ADAPTIVE = "adaptive"
    # The step solves a linear system with the Hessian: lr = 1 is the full quadratic-model step.
    SECOND_ORDER = "second order"

    @property
    def lr_acts_linearly(self) -> bool:
        """lr = η on f is the same run as lr = 1 with every gradient multiplied by η."""
        return self is Family.GRADIENT


@dataclass(frozen=True)
class Flag:
    """A per-point event an optimizer reports, such as Newton's singular system.

    The optimizer's state has a field `name`: a boolean (n,) mask of the points that raised it at
    the step just taken; simulate records the first step each point raised it.
    """

    name: str
    message: str  # translatable; Markdown for the results line; {step}: the first step raised
    short: str  # translatable; for a table cell, e.g. "singular Hessian at step {step}"


class StepInput(NamedTuple):
    """Everything an update rule may read at one step. Arrays have shape (n, d)."""

    params: np.ndarray
    grad: np.ndarray
    lr: float  # the learning rate at this step, after any schedule
    step: int  # 1-based, as torch's state["step"]
    hessian: np.ndarray | None  # (n, d, d), only for specs with needs_hessian
    # For rules that evaluate more (a line search): value(points), value_and_grad(points),
    # hessian(points), each call counted in the run's Evaluations.
    objective: Any = None
    loss: np.ndarray | None = None  # (n,) f at params (the true loss, not a noisy one)


@dataclass(frozen=True)
class OptimizerSpec:
    """A pure optimizer: init(params, hp) -> state; update(inputs, state, hp) -> (params, state).

    Register it with optimizers.register(spec) and every page offers it.
    """

    key: str
    title: str  # translatable unless a name ("Adam"): shown as tr(title)
    hyperparams: tuple[Hyperparameter, ...]
    init: Callable[[np.ndarray, SimpleNamespace], Any]
    update: Callable[[StepInput, Any, SimpleNamespace], tuple[np.ndarray, Any]]
    latex: str  # the update rule, with hyperparameters written by their symbols
    summary: str  # translatable; one sentence: what it remembers and why that helps
    family: Family
    torch_equivalent: str = ""  # how to get the same trajectory with torch.optim, "" if none
    color: str | None = None  # "#rrggbb" in every chart; None: register() gives a spare one
    # Adaptive methods start at this fraction of the map's width per step (see
    # analysis.starting_rates); how far one step goes at a given lr differs between them.
    map_fraction: float = 0.01
    needs_hessian: bool = False
    flags: tuple[Flag, ...] = ()
    # (name, value) pairs used in place of the defaults where a page runs thousands of starts or
    # runs at once (a basin grid, a sweep, the measured table) and the default would be slow;
    # the pages say so.
    many_runs: tuple[tuple[str, float | str], ...] = ()
    # (name, highest) pairs: the most a hyperparameter may be on those pages, where every run pays
    # its cost per step (L-BFGS's history of 100 pairs on a basin grid took 78 s for one map).
    many_runs_at_most: tuple[tuple[str, float], ...] = ()

    def hyper(self, name: str) -> Hyperparameter:
        return next(h for h in self.hyperparams if h.name == name)

    def defaults(self) -> dict[str, float | str]:
        return {h.name: h.default for h in self.hyperparams}

    def many_run_defaults(self) -> dict[str, float | str]:
        """The defaults where thousands of runs go at once (see `many_runs`)."""
        return {**self.defaults(), **dict(self.many_runs)}

    def many_run_hyperparams(self) -> tuple[Hyperparameter, ...]:
        """The hyperparameters as pages with many runs offer them (see `many_runs_at_most`)."""
        highest = dict(self.many_runs_at_most)
        return tuple(
            dataclasses.replace(hyper, high=highest[hyper.name]) if hyper.name in highest else hyper
            for hyper in self.hyperparams
        )

    def many_runs_note(self) -> str:
        """Markdown saying how the many-run defaults differ from torch's, "" if they do not (in
        the language of the page run)."""
        changed = [
            tr(
                "{hyperparameter} = {value} (torch's default {default})",
                hyperparameter=tr(self.hyper(name).label),
                value=self.hyper(name).format(value),
                default=self.hyper(name).format(self.hyper(name).default),
            )
            for name, value in self.many_runs
        ]
        if not changed:
            return ""
        limits = [
            tr(
                "{hyperparameter} at most {high}",
                hyperparameter=tr(self.hyper(name).label),
                high=self.hyper(name).format(high),
            )
            for name, high in self.many_runs_at_most
        ]
        return tr(
            "{optimizer} runs here with {changes}, so that thousands of runs stay quick.",
            optimizer=tr(self.title),
            changes=", ".join(changed + limits),
        )

    def resolve(self, values: dict[str, float | str] | None) -> SimpleNamespace:
        """Defaults overridden by `values`; unknown names or options are an error, not silently
        ignored."""
        values = dict(values or {})
        unknown = set(values) - {h.name for h in self.hyperparams}
        if unknown:
            raise KeyError(f"{self.key} has no hyperparameter(s) {sorted(unknown)}")
        resolved = self.defaults()
        for name, value in values.items():
            hyper = self.hyper(name)
            if isinstance(hyper, Choice):
                if value not in hyper.options:
                    raise ValueError(f"{self.key}'s {name} must be one of {hyper.options}")
                resolved[name] = value
            else:
                resolved[name] = hyper.value(value)
        return SimpleNamespace(**resolved)

    def state_numbers_per_parameter(self) -> int:
        """How many numbers of state the optimizer keeps per parameter (Newton's Hessian aside):
        a state array of shape (n, d) counts one, one of shape (n, m, d) (a history of m
        vectors) counts m; numbers kept per point, not per parameter, do not count."""
        params = np.zeros((1, 2))
        state = self.init(params, self.resolve(None))
        return sum(
            int(np.prod(field.shape[1:-1]))
            for field in state
            if isinstance(field, np.ndarray)
            and field.ndim >= 2
            and field.shape[0] == 1
            and field.shape[-1] == params.shape[1]
        )
