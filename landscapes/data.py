"""Surfaces made from a real model fitted to a small data set, with real mini-batch gradients.

The two parameters of a one-feature model are the map's coordinates: x is the weight w and y the
bias b of ŷ = w·feature + b. The full-batch loss is a Sympy expression, so every view that works
for a built-in surface works here; mini-batch gradients are computed from the samples themselves.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from landscapes.surface import Point, Surface, x, y
from texts import tr, translatable


@dataclass(frozen=True)
class Model:
    title: str
    # The classifier's loss per sample as a function of its logit (a key of _SAMPLE_LOSSES);
    # None for linear regression, whose squared error is expanded in the data's moments instead.
    sample_loss: str | None
    lesson: str = ""  # what this model's surface shows, beside the feature's own lesson


MODELS = {
    "linear_regression": Model(translatable("Linear regression (mean squared error)"), None),
    "logistic_regression": Model(translatable("Logistic regression (log loss)"), "log_loss"),
    "logistic_regression_mse": Model(
        translatable("Logistic regression (squared error)"),
        "squared_error",
        translatable(
            "Here the classifier is scored by the squared error of its probability, (σ(z) − t)², "
            "not by the log loss. Where the sigmoid saturates, a confidently wrong model barely "
            "feels it: the surface flattens into plateaus and is no longer a bowl. The log-loss "
            "model on the same data has a slope all the way to its best fit."
        ),
    ),
}
SAMPLES = 200
FEATURE_MEAN, FEATURE_STD = 50.0, 20.0  # the raw feature, e.g. a temperature in °F
DATA_SEED = 2024
# The true model in standardised units: slope, intercept (and, for regression, the noise level).
_TRUE_SLOPE, _TRUE_INTERCEPT, _REGRESSION_NOISE = 2.0, 1.0, 0.6
# Half-widths of the map around the best fit, in standardised units (w, b).
_HALF_WIDTH = (4.0, 4.0)
# Where runs start, relative to the best fit, in standardised units: far from it in both w and b.
_START_OFFSET = (-3.0, 3.0)


@dataclass(frozen=True, eq=False)
class DataProblem:
    """One model on one data set; `surface` is its full-batch loss over (w, b)."""

    model: str
    scaled: bool  # True: the feature was standardised to mean 0, std 1
    features: np.ndarray  # (SAMPLES,) the feature as the model sees it
    targets: np.ndarray  # (SAMPLES,) real values (regression) or 0/1 labels (classification)
    surface: Surface

    @property
    def samples(self) -> int:
        return self.features.shape[0]

    @property
    def lesson(self) -> str:
        """surface.lesson in the language of the run: the feature's lesson, then the model's."""
        parts = (_LESSONS[self.scaled], MODELS[self.model].lesson)
        return " ".join(tr(part) for part in parts if part)

    @property
    def classifies(self) -> bool:
        return MODELS[self.model].sample_loss is not None

    def gradient(self, params: np.ndarray, indices: np.ndarray | None = None) -> np.ndarray:
        """Mean gradient over the samples `indices` (all if None) at each (w, b) row of params."""
        features = self.features if indices is None else self.features[indices]
        targets = self.targets if indices is None else self.targets[indices]
        z = params[:, :1] * features + params[:, 1:]  # (points, batch)
        sample_loss = MODELS[self.model].sample_loss
        if sample_loss is None:
            slope = 2.0 * (z - targets)
        else:
            slope = _SAMPLE_LOSSES[sample_loss](z, targets, 1)
        return np.column_stack([(slope * features).mean(axis=1), slope.mean(axis=1)])

    def predict(self, params: Point, features: np.ndarray) -> np.ndarray:
        """The model's output at `features`: ŷ for regression, the probability of class 1 else."""
        z = params[0] * features + params[1]
        return _sigmoid(z) if self.classifies else z

    def minibatch_source(self, batches: MiniBatches):
        """A gradient_source for optimizers.simulate: the gradient of step k's mini-batch."""
        if batches.samples != self.samples:
            raise ValueError(
                f"batches cover {batches.samples} samples, the data has {self.samples}"
            )

        def source(params: np.ndarray, step: int, rng: np.random.Generator) -> np.ndarray:
            return self.gradient(params, batches.indices(step))

        return source


@dataclass(frozen=True)
class MiniBatches:
    """Which samples each step sees: a fresh shuffle every epoch, each sample once per epoch.

    As torch's DataLoader(shuffle=True, drop_last=False): the last batch of an epoch holds what is
    left over. The shuffle of epoch e depends only on (seed, e), so step k's batch is reproducible.
    """

    samples: int
    batch_size: int
    seed: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= self.samples:
            raise ValueError(f"batch size must be between 1 and {self.samples}")

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.samples / self.batch_size)

    def epoch(self, step: int) -> int:
        """0-based epoch of the 1-based optimizer step `step`."""
        return (step - 1) // self.steps_per_epoch

    def indices(self, step: int) -> np.ndarray:
        epoch, position = divmod(step - 1, self.steps_per_epoch)
        order = np.random.default_rng((self.seed, epoch)).permutation(self.samples)
        # Sorted, so a batch of every sample sums in the same order as the full data set.
        return np.sort(order[position * self.batch_size : (position + 1) * self.batch_size])


def linear_scaled_lr(base_lr: float, batch_size: int, base_batch_size: int) -> float:
    """The linear-scaling rule (Goyal et al., 2017): k times the batch, k times the step size."""
    return base_lr * batch_size / base_batch_size


@functools.cache
def get(model: str, scaled: bool) -> DataProblem:
    if model not in MODELS:
        raise KeyError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    raw, targets = _synthetic_data(model)
    mean, std = raw.mean(), raw.std()
    features = (raw - mean) / std if scaled else raw
    # The map and the start are placed around the best fit in standardised units and mapped to
    # raw units, so both versions start from the same model line: only the parametrisation differs.
    best = np.array(_best_fit(model, features, targets))
    best_standard = best if scaled else np.array([best[0] * std, best[1] + best[0] * mean])
    corners = best_standard + np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]]) * _HALF_WIDTH
    placed = np.vstack([corners, best_standard + _START_OFFSET])
    if not scaled:
        # ŵ·(x − mean)/std + b̂ = (ŵ/std)·x + (b̂ − ŵ·mean/std)
        placed = np.column_stack([placed[:, 0] / std, placed[:, 1] - placed[:, 0] * mean / std])
    corners, start = placed[:4], placed[4]
    domain = tuple(
        (float(lo), float(hi)) for lo, hi in zip(corners.min(0), corners.max(0), strict=True)
    )
    surface = Surface(
        name=f"{model}_{'scaled' if scaled else 'raw'}",
        title=f"{MODELS[model].title}, {'standardised' if scaled else 'raw'} feature",
        expr=_loss_expression(model, features, targets),
        domain=domain,
        minima=((float(best[0]), float(best[1])),),
        start=(float(start[0]), float(start[1])),
        lesson=" ".join(filter(None, (_LESSONS[scaled], MODELS[model].lesson))),
    )
    return DataProblem(model, scaled, features, targets, surface)


_LESSONS = {
    False: translatable(
        "The feature is used as measured (mean 50, spread 20). A small change of the weight w "
        "moves every prediction by about 50 times as much as the same change of the bias b, so "
        "the bowl is a long thin valley. Gradient descent must take tiny steps to stay stable "
        "across it (above 2/L it bounces from wall to wall and flies off) and then crawls along it."
    ),
    True: translatable(
        "The feature was standardised (mean 0, spread 1). Weight and bias now affect the "
        "predictions equally: the long thin valley is gone and the gradient points at the best fit."
    ),
}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # tanh form: no overflow warning for large |z|, unlike 1 / (1 + exp(-z)).
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _synthetic_data(model: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(DATA_SEED)
    raw = rng.normal(FEATURE_MEAN, FEATURE_STD, SAMPLES)
    signal = _TRUE_SLOPE * (raw - FEATURE_MEAN) / FEATURE_STD + _TRUE_INTERCEPT
    if MODELS[model].sample_loss is None:
        return raw, signal + _REGRESSION_NOISE * rng.standard_normal(SAMPLES)
    return raw, (rng.random(SAMPLES) < _sigmoid(signal)).astype(float)


def _loss_expression(model: str, features: np.ndarray, targets: np.ndarray) -> sp.Expr:
    sample_loss = MODELS[model].sample_loss
    if sample_loss is None:

        def mean(values: np.ndarray) -> sp.Float:
            return sp.Float(float(values.mean()))

        # mean((w·f + b − t)²) expanded into the data's moments: exact and six terms long.
        return (
            mean(features**2) * x**2
            + 2 * mean(features) * x * y
            + y**2
            - 2 * mean(features * targets) * x
            - 2 * mean(targets) * y
            + mean(targets**2)
        )
    # mean(ℓ(w·f + b, t)). A sum of one term per sample takes Sympy ~15 s to differentiate and
    # compile; one symbolic function for the whole mean takes ms.
    samples = (tuple(features.tolist()), tuple(targets.tolist()))
    return _sample_mean(sample_loss, samples, order=0, power=0)(x, y)


def _log_loss(z: np.ndarray, t: np.ndarray, order: int) -> np.ndarray:
    """d^order/dz^order of the binary cross-entropy on the logit, log(1 + e^z) − t·z."""
    if order == 0:
        return np.logaddexp(0.0, z) - t * z
    s = np.tanh(0.5 * z)  # σ(z) = (1 + s) / 2, σ′ = (1 − s²) / 4
    if order == 1:
        return 0.5 * (1.0 + s) - t
    if order == 2:
        return 0.25 * (1.0 - s**2)
    return -0.25 * s * (1.0 - s**2)


def _squared_error(z: np.ndarray, t: np.ndarray, order: int) -> np.ndarray:
    """d^order/dz^order of (σ(z) − t)², the squared error of the predicted probability."""
    p = _sigmoid(z)
    e, q, r = p - t, p * (1.0 - p), 1.0 - 2.0 * p  # σ′ = q, σ″ = q·r, σ‴ = q·(r² − 2q)
    if order == 0:
        return e**2
    if order == 1:
        return 2.0 * e * q
    if order == 2:
        return 2.0 * q * (q + e * r)
    return 2.0 * q * (3.0 * q * r + e * (r**2 - 2.0 * q))


_SAMPLE_LOSSES = {"log_loss": _log_loss, "squared_error": _squared_error}
_SAMPLE_LOSS_LATEX = {
    "log_loss": r"\log\left(1 + e^{{{z}}}\right) - t_i \left({z}\right)",
    "squared_error": r"\left(\sigma\left({z}\right) - t_i\right)^2",
}


def sample_loss_mean(
    loss: str, order: int, power: int, w, b, features: list, targets: list
) -> np.ndarray:
    """mean over samples i of ℓ⁽ᵒʳᵈᵉʳ⁾(w·fᵢ + b, tᵢ)·fᵢ^power for arrays w and b of one shape:
    what the compiled surfaces call for a _SampleMean."""
    features, targets = np.asarray(features), np.asarray(targets)
    z = np.multiply.outer(w, features) + np.expand_dims(b, -1)
    derivative = _SAMPLE_LOSSES[loss](z, targets, order)
    return np.mean(derivative * features**power if power else derivative, axis=-1)


class _SampleMean(sp.Function):
    """mean over samples i of ℓ⁽ᵒʳᵈᵉʳ⁾(x·fᵢ + y, tᵢ)·fᵢ^power, evaluated by NumPy at once.

    Subclasses carry the loss ℓ and the samples (fᵢ, tᵢ); derivatives are again such means, one
    order up.
    """

    nargs = 2
    loss = "log_loss"
    samples: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())
    order = 0
    power = 0

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        by_weight = argindex == 1
        derivative = _sample_mean(self.loss, self.samples, self.order + 1, self.power + by_weight)
        return derivative(*self.args)

    def _numpycode(self, printer) -> str:
        # The compiled surface imports sample_loss_mean from this module by name.
        function = printer._module_format(f"{__name__}.{sample_loss_mean.__name__}")
        w, b = (printer._print(arg) for arg in self.args)
        features, targets = (list(values) for values in self.samples)
        return (
            f"{function}({self.loss!r}, {self.order}, {self.power}, {w}, {b}, "
            f"{features!r}, {targets!r})"
        )

    def _latex(self, printer) -> str:
        w, b = (printer._print(arg) for arg in self.args)
        inner = _SAMPLE_LOSS_LATEX[self.loss].format(z=f"{w} f_i + {b}")
        if self.order:
            inner = rf"\frac{{d^{{{self.order}}}}}{{dz^{{{self.order}}}}}\left[{inner}\right]"
        weight = f"f_i^{{{self.power}}}" if self.power else ""
        return rf"\frac{{1}}{{{len(self.samples[0])}}}\sum_{{i}} {inner}{weight}"


@functools.cache
def _sample_mean(
    loss: str, samples: tuple[tuple[float, ...], tuple[float, ...]], order: int, power: int
) -> type[_SampleMean]:
    if order > 3:
        raise NotImplementedError("only derivatives up to the third are needed and provided")
    name = f"SampleMean_{loss}_{order}{power}_{abs(hash(samples)):x}"
    attributes = {"loss": loss, "samples": samples, "order": order, "power": power}
    return type(name, (_SampleMean,), attributes)


def _best_fit(model: str, features: np.ndarray, targets: np.ndarray) -> Point:
    design = np.column_stack([features, np.ones_like(features)])
    sample_loss = MODELS[model].sample_loss
    if sample_loss is None:
        weight, bias = np.linalg.lstsq(design, targets)[0]
        return float(weight), float(bias)
    # Newton's method on the log loss from the least-squares line (it is convex: a few steps),
    # then, for another loss, on that loss from there (near its minimum it is convex too).
    params = np.linalg.lstsq(design, 2 * targets - 1)[0]
    for loss in dict.fromkeys(("log_loss", sample_loss)):
        for _ in range(50):
            z = design @ params
            slope, curvature = (_SAMPLE_LOSSES[loss](z, targets, order) for order in (1, 2))
            hessian = design.T @ (design * curvature[:, None])
            params = params - np.linalg.solve(hessian, design.T @ slope)
    return float(params[0]), float(params[1])
