"""The numbers behind the Learn page's mini-figures: each function computes what one idea needs
to be seen (arrays only; figures/learn.py draws them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

import landscapes
import optimizers
from analysis.outcome import summarise, summary_reductions, tolerance_for
from analysis.switching import SWITCH_COLOR, Switch, switched_run
from figures.style import run_colors
from landscapes import Surface, data
from optimizers import Trajectories
from optimizers.rules import newton_steps
from texts import tr, translatable


@dataclass(frozen=True)
class GradientField:
    points: np.ndarray  # (m, 2) where arrows start
    gradients: np.ndarray  # (m, 2) the gradient there (points uphill)


def gradient_field(surface: Surface, per_side: int = 7) -> GradientField:
    (xmin, xmax), (ymin, ymax) = surface.domain
    # Inset by half a cell so no arrow starts on the border.
    xs = np.linspace(xmin, xmax, per_side + 1)[:-1] + (xmax - xmin) / (2 * per_side)
    ys = np.linspace(ymin, ymax, per_side + 1)[:-1] + (ymax - ymin) / (2 * per_side)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    return GradientField(points, surface.grad(points))


@dataclass(frozen=True)
class TaylorSlice:
    """The surface and its first-order Taylor model along the steepest-descent direction from a."""

    point: np.ndarray  # a, shape (2,)
    distances: np.ndarray  # (k,) how far from a along the direction
    true_loss: np.ndarray  # (k,) f(a + t·d)
    linear_loss: np.ndarray  # (k,) f(a) + t·∇f(a)·d = f(a) − t·|∇f(a)|

    def error(self) -> np.ndarray:
        return self.true_loss - self.linear_loss


def taylor_slice(
    surface: Surface, point: tuple[float, float], length: float, marked: float
) -> TaylorSlice:
    """Sampled from 0 to `length`, with the step length `marked` itself among the samples."""
    a = np.asarray(point, dtype=float)
    loss, grad = surface.value_and_grad(a[None])
    slope = float(np.hypot(*grad[0]))
    direction = -grad[0] / slope
    distances = np.union1d(np.linspace(0.0, length, 121), [marked])
    true_loss = surface.f(a + distances[:, None] * direction)
    return TaylorSlice(a, distances, true_loss, loss[0] - slope * distances)


@dataclass(frozen=True)
class BatchRun:
    batch_size: int
    samples: int  # in the whole data set
    run: Trajectories

    @property
    def label(self) -> str:
        """In the language of the page run that reads it (the run itself is the same in all)."""
        return batch_label(self.batch_size, self.samples)


BATCH_LR = 0.05
BATCH_STEPS = 150
BATCH_SIZES = (1, 16, data.SAMPLES)


def batch_size_runs(batch_sizes: tuple[int, ...] = BATCH_SIZES) -> list[BatchRun]:
    """GD with mini-batches of each size on a linear regression of 200 samples: real batches, not
    added noise. Batch size 1 is SGD, the whole data set is full-batch GD."""
    problem = data.get("linear_regression", scaled=True)
    surface = problem.surface
    runs = []
    for size in batch_sizes:
        batches = data.MiniBatches(problem.samples, size)
        run = optimizers.simulate(
            surface,
            "sgd",
            {"lr": BATCH_LR},
            [surface.start],
            BATCH_STEPS,
            gradient_source=problem.minibatch_source(batches),
        )
        runs.append(BatchRun(size, problem.samples, run))
    return runs


def batch_label(size: int, samples: int) -> str:
    """The legend text of a batch size, in the page's language."""
    if size == 1:
        return tr("SGD (batch of 1)")
    if size == samples:
        return tr("full-batch GD (all {samples})", samples=samples)
    return tr("mini-batch of {size}", size=size)


@dataclass(frozen=True)
class LossCurve:
    text: str  # the legend text, a template of the catalogue filled from `values`
    color: str  # "#rrggbb"
    x: np.ndarray  # what the loss is plotted against (steps or samples seen)
    loss: np.ndarray
    values: dict[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The legend text in the language of the page run that reads it; values that are texts
        (an optimizer's title) are translated too. Curves are cached for every language."""
        values = {k: tr(v) if isinstance(v, str) else v for k, v in self.values.items()}
        return tr(self.text, **values)


SCALING_SAMPLES = 1600  # eight passes over the 200 samples
# (batch size, learning rate): the third pair scales the rate with the batch (×4, ×4).
SCALING_PAIRS = ((8, 0.05), (32, 0.05), (32, data.linear_scaled_lr(0.05, 32, 8)))


def batch_scaling_curves() -> list[LossCurve]:
    """Loss above the best fit against samples seen, for the same data budget: a 4× larger batch
    takes 4× fewer steps, so at the same rate it learns less per sample; at 4× the rate it keeps
    up."""
    problem = data.get("linear_regression", scaled=True)
    surface = problem.surface
    best = surface.best_known_value
    curves = []
    colors = run_colors(["sgd"] * len(SCALING_PAIRS))
    for (size, lr), color in zip(SCALING_PAIRS, colors, strict=True):
        steps = SCALING_SAMPLES // size
        run = optimizers.simulate(
            surface,
            "sgd",
            {"lr": lr},
            [surface.start],
            steps,
            gradient_source=problem.minibatch_source(data.MiniBatches(problem.samples, size)),
        )
        text = translatable("batch {size}, η = {lr:g}")
        samples = np.arange(steps + 1) * size
        values = {"size": size, "lr": lr}
        curves.append(LossCurve(text, color, samples, run.losses[:, 0] - best, values))
    return curves


SWITCH_SURFACE, SWITCH_STEP, SWITCH_STEPS = "ill_conditioned", 10, 150
SWITCH_SETTINGS = {"adam": {"lr": 0.3}, "sgd": {"lr": 0.06}}


def switching_curves() -> list[LossCurve]:
    """Adam alone, GD alone, and Adam for the first SWITCH_STEP steps then GD: the recipe of
    fast early progress from Adam and a precise finish from plain gradient descent."""
    surface = landscapes.get(SWITCH_SURFACE)
    steps = np.arange(SWITCH_STEPS + 1)
    curves = []
    for key in SWITCH_SETTINGS:
        run = optimizers.simulate(surface, key, SWITCH_SETTINGS[key], [surface.start], SWITCH_STEPS)
        spec = optimizers.get(key)
        text, values = translatable("{optimizer} only"), {"optimizer": spec.title}
        curves.append(LossCurve(text, spec.color, steps, run.losses[:, 0], values))
    switch = Switch("adam", "sgd", SWITCH_STEP)
    switched = switched_run(surface, switch, SWITCH_SETTINGS, [surface.start], SWITCH_STEPS)
    text, values = translatable("Adam, then GD from step {step}"), {"step": SWITCH_STEP}
    curves.append(LossCurve(text, SWITCH_COLOR, steps, switched.losses[:, 0], values))
    return curves


@dataclass(frozen=True)
class Basins:
    starts: np.ndarray  # (m, 2)
    destination: np.ndarray  # (m,) index into surface.minima reached, -1 if none


def basins(surface: Surface, key: str, lr: float, per_side: int = 25, steps: int = 300) -> Basins:
    """Where optimizer `key` ends from each start of a grid: which minimum depends on the start."""
    (xmin, xmax), (ymin, ymax) = surface.domain
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, per_side), np.linspace(ymin, ymax, per_side))
    starts = np.column_stack([gx.ravel(), gy.ravel()])
    tolerance = 10 * tolerance_for(surface)
    run = optimizers.simulate(
        surface,
        key,
        {"lr": lr},
        starts,
        steps,
        every=None,
        reductions=summary_reductions(surface, tolerance),
    )
    return Basins(starts, summarise(run, surface, tolerance).reached_minimum)


@dataclass(frozen=True)
class FirstSteps:
    points: np.ndarray  # (m, 2)
    gradient_step: np.ndarray  # (m, 2) −lr·∇f
    newton_step: np.ndarray  # (m, 2) −H⁻¹∇f


def first_steps(surface: Surface, points: np.ndarray, lr: float) -> FirstSteps:
    """One GD step and one Newton step from each point (NaN where the Hessian is singular)."""
    grad = surface.grad(points)
    with np.errstate(all="ignore"):
        newton, singular = newton_steps(surface.hessian(points), grad)
    return FirstSteps(points, -lr * grad, np.where(singular[:, None], np.nan, -newton))
