"""A small neural network on a 2-D classification data set: what is minimised is its loss over
all of its weights at once, a few dozen to a few thousand parameters.

The model is a multilayer perceptron 2 → hidden layers → 1 logit, with tanh or ReLU, optional
batch normalisation after each hidden linear layer (statistics of the batch it is given, a
learnable scale γ and shift β, as torch's BatchNorm1d in training mode), and binary cross-entropy
on the logit or mean squared error on the sigmoid of it, plus an L2 penalty on the weight matrices.

Every parameter vector is one row of an (n, dim) array and everything is vectorised over the rows:
a 41×41 slice through parameter space is 1,681 networks evaluated at once. Gradients are
hand-written backpropagation (tests/test_network.py checks them against torch autograd).

A network is a "surface" for optimizers.simulate: it has `dim` and `value_and_grad`, and
`minibatch_source` supplies real mini-batch gradients as landscapes/data.py does.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from landscapes.data import MiniBatches
from texts import tr, translatable

# Names for people, translated where they are shown: tr(DATASETS[key]), tr(LOSSES[key]).
DATASETS = {
    "moons": translatable("Two moons"),
    "circles": translatable("Circles"),
    "xor": "XOR",
    "spiral": translatable("Spiral"),
}
ACTIVATIONS = ("tanh", "relu")
LOSSES = {
    "cross_entropy": translatable("binary cross-entropy"),
    "mse": translatable("mean squared error on the sigmoid"),
}
MIN_SAMPLES, MAX_SAMPLES = 200, 500
MIN_LAYERS, MAX_LAYERS = 1, 3
MIN_WIDTH, MAX_WIDTH = 4, 32
BATCH_NORM_EPS = 1e-5  # torch's BatchNorm1d default
# Inputs lie in this square (each data set is scaled into it), which the decision-boundary map
# shows whole.
INPUT_BOX = ((-2.0, 2.0), (-2.0, 2.0))
# Feature jitter of each data set: enough that the classes touch, as real data does.
_JITTER = {"moons": 0.12, "circles": 0.1, "xor": 0.12, "spiral": 0.08}
# Parameter vectors × samples × units per block of the forward pass: ~16 MB per activation, so a
# slice of thousands of networks stays in memory and mostly in cache.
_BLOCK_ELEMENTS = 2**21


class NetworkError(ValueError):
    """Settings that describe no network (an empty layer, an unknown data set); the message is
    for the student."""


@dataclass(frozen=True)
class Dataset:
    name: str
    inputs: np.ndarray  # (m, 2)
    labels: np.ndarray  # (m,) 0.0 or 1.0

    @property
    def samples(self) -> int:
        return self.labels.shape[0]


def make_dataset(name: str, samples: int = 300, label_noise: float = 0.0, seed: int = 0) -> Dataset:
    """`samples` points of data set `name`, half of each class, from a generator seeded with
    `seed`; a fraction `label_noise` of the labels (chosen at random) is flipped."""
    if name not in DATASETS:
        raise NetworkError(
            tr(
                "Unknown data set {name!r}: choose one of {names}.",
                name=name,
                names=", ".join(DATASETS),
            )
        )
    if not MIN_SAMPLES <= samples <= MAX_SAMPLES:
        raise NetworkError(
            tr("The data set has {low} to {high} points.", low=MIN_SAMPLES, high=MAX_SAMPLES)
        )
    if not 0.0 <= label_noise <= 0.5:
        raise NetworkError(tr("Label noise is a fraction of the labels from 0 to 0.5."))
    rng = np.random.default_rng(seed)
    labels = np.arange(samples) % 2
    rng.shuffle(labels)
    inputs = _SHAPES[name](labels, rng)
    inputs = inputs + _JITTER[name] * rng.standard_normal(inputs.shape)
    # Scaled so the points fill 90% of INPUT_BOX, whatever the shape.
    inputs = 0.9 * INPUT_BOX[0][1] * inputs / np.abs(inputs).max()
    flipped = rng.permutation(samples)[: round(label_noise * samples)]
    labels[flipped] = 1 - labels[flipped]
    return Dataset(name, inputs, labels.astype(float))


def _moons(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    angle = rng.uniform(0.0, np.pi, labels.shape[0])
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    return np.where(labels[:, None] == 0, upper, lower) - [0.5, 0.25]


def _circles(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    angle = rng.uniform(0.0, 2 * np.pi, labels.shape[0])
    radius = np.where(labels == 0, 1.0, 0.45)
    return radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])


def _xor(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # Class 1 in the first and third quadrants, class 0 in the other two.
    corner = rng.integers(0, 2, labels.shape[0]) * 2 - 1
    centres = np.column_stack([corner, np.where(labels == 1, corner, -corner)])
    return centres * 0.5 + rng.uniform(-0.4, 0.4, centres.shape)


def _spiral(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    turn = np.sqrt(rng.uniform(0.05, 1.0, labels.shape[0]))  # more points far out
    angle = 3.0 * np.pi * turn + np.pi * labels
    return turn[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])


_SHAPES = {"moons": _moons, "circles": _circles, "xor": _xor, "spiral": _spiral}


@dataclass(frozen=True)
class Layer:
    """Where one layer's parameters sit in the flat parameter vector."""

    fan_in: int
    width: int
    weight: slice  # (fan_in, width), row-major: inputs @ weight
    bias: slice | None  # (width,); None before batch norm, whose shift does its job
    scale: slice | None  # batch norm's γ (width,)
    shift: slice | None  # batch norm's β (width,)


@dataclass(frozen=True, eq=False)
class NetworkProblem:
    """One network on one data set. Parameters are rows of an (n, dim) array."""

    data: Dataset
    hidden: tuple[int, ...]
    activation: str
    loss_kind: str
    batch_norm: bool
    l2: float
    layers: tuple[Layer, ...]  # the hidden layers, then the output layer

    @property
    def dim(self) -> int:
        return self.layers[-1].bias.stop

    @property
    def title(self) -> str:
        """In the language of the run (read it where it is shown, not into a cache)."""
        values = dict(
            dataset=tr(DATASETS[self.data.name]),
            widths=" → ".join(str(w) for w in (2, *self.hidden, 1)),
            activation=self.activation,
            loss=tr(LOSSES[self.loss_kind]),
            l2=self.l2,
            count=self.dim,
        )
        if self.batch_norm:
            return tr(
                "{dataset}: MLP {widths} ({activation}, batch norm), {loss}, L2 {l2:g}; "
                "{count} parameters",
                **values,
            )
        return tr(
            "{dataset}: MLP {widths} ({activation}), {loss}, L2 {l2:g}; {count} parameters",
            **values,
        )

    def initial_params(self, seed: int) -> np.ndarray:
        """(dim,) weights as torch.nn.Linear draws them, U(±1/√fan_in) for weights and biases,
        and γ = 1, β = 0, from a generator seeded with `seed`."""
        rng = np.random.default_rng(seed)
        params = np.empty(self.dim)
        for layer in self.layers:
            bound = 1.0 / math.sqrt(layer.fan_in)
            params[layer.weight] = rng.uniform(-bound, bound, layer.fan_in * layer.width)
            if layer.bias is not None:
                params[layer.bias] = rng.uniform(-bound, bound, layer.width)
            if layer.scale is not None:
                params[layer.scale], params[layer.shift] = 1.0, 0.0
        return params

    def weight_mask(self) -> np.ndarray:
        """(dim,) True for the entries of weight matrices: what L2 penalises (biases and batch
        norm's γ, β are not, as usual: a penalty on γ would fight the normalisation)."""
        mask = np.zeros(self.dim, dtype=bool)
        for layer in self.layers:
            mask[layer.weight] = True
        return mask

    # --- loss and gradient ------------------------------------------------------------------
    def loss(self, params: np.ndarray, indices: np.ndarray | None = None) -> np.ndarray:
        """(n,) loss over the samples `indices` (all if None) for each row of params."""
        return self._blocks(params, indices, with_grad=False)[0]

    def grad(self, params: np.ndarray, indices: np.ndarray | None = None) -> np.ndarray:
        return self._blocks(params, indices, with_grad=True)[1]

    def value_and_grad(
        self, params: np.ndarray, indices: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Loss (n,) and gradient (n, dim) in one pass, full batch unless `indices` are given."""
        return self._blocks(params, indices, with_grad=True)

    def minibatch_source(self, batches: MiniBatches):
        """A gradient_source for optimizers.simulate: the gradient of step k's mini-batch (with
        batch norm, normalised by that batch's own statistics)."""
        if batches.samples != self.data.samples:
            raise ValueError(
                f"batches cover {batches.samples} samples, the data has {self.data.samples}"
            )

        def source(params: np.ndarray, step: int, rng: np.random.Generator) -> np.ndarray:
            return self.grad(params, batches.indices(step))

        return source

    def hessian_vector_product(self, params: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """(n, dim) H·v of the full-batch loss at each row of params, by central differences of
        the exact gradient (error ~1e-8 relative; ReLU's kinks make any Hessian a local one)."""
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit = vectors / np.where(norms > 0, norms, 1.0)
        h = 1e-4 * np.maximum(1.0, np.linalg.norm(params, axis=1, keepdims=True) / 10)
        both = self.grad(np.concatenate([params + h * unit, params - h * unit]))
        forward, backward = np.split(both, 2)
        return (forward - backward) / (2 * h) * norms

    # --- predictions --------------------------------------------------------------------------
    def probabilities(self, params: np.ndarray, inputs: np.ndarray) -> np.ndarray:
        """(n, len(inputs)) probability of class 1 at `inputs` for each row of params; batch norm
        uses the statistics of the whole training set (what "eval mode" would have learnt)."""
        out = np.empty((params.shape[0], inputs.shape[0]))
        for block in self._row_blocks(params.shape[0], self.data.samples + inputs.shape[0]):
            rows = params[block]
            _, stats = self._forward(rows, self.data.inputs)
            logits, _ = self._forward(rows, inputs, stats)
            out[block] = _sigmoid(logits[-1][..., 0])
        return out

    def accuracy(self, params: np.ndarray) -> np.ndarray:
        """(n,) share of the training points classified right (probability above ½ is class 1)."""
        out = np.empty(params.shape[0])
        for block in self._row_blocks(params.shape[0], self.data.samples):
            logits = self._forward(params[block], self.data.inputs)[0][-1][..., 0]
            out[block] = ((logits > 0) == (self.data.labels > 0.5)).mean(axis=1)
        return out

    # --- the passes ---------------------------------------------------------------------------
    def _row_blocks(self, n: int, samples: int) -> list[slice]:
        size = max(1, _BLOCK_ELEMENTS // (samples * max(self.hidden)))
        return [slice(start, start + size) for start in range(0, n, size)]

    def _blocks(
        self, params: np.ndarray, indices: np.ndarray | None, with_grad: bool
    ) -> tuple[np.ndarray, np.ndarray | None]:
        params = np.asarray(params, dtype=float).reshape(-1, self.dim)
        inputs = self.data.inputs if indices is None else self.data.inputs[indices]
        labels = self.data.labels if indices is None else self.data.labels[indices]
        loss = np.empty(params.shape[0])
        grad = np.empty(params.shape) if with_grad else None
        with np.errstate(all="ignore"):
            for block in self._row_blocks(params.shape[0], labels.shape[0]):
                rows = params[block]
                outputs, stats = self._forward(rows, inputs)
                logits = outputs[-1][..., 0]
                loss[block] = self._data_loss(logits, labels)
                if with_grad:
                    grad[block] = self._backward(rows, outputs, stats, logits, labels)
            if self.l2:
                weights = params * self.weight_mask()
                loss += 0.5 * self.l2 * np.einsum("nd,nd->n", weights, weights)
                if with_grad:
                    grad += self.l2 * weights
        return loss, grad

    def _unpack(self, params: np.ndarray, where: slice, *shape: int) -> np.ndarray:
        return params[:, where].reshape(params.shape[0], *shape)

    def _forward(
        self, params: np.ndarray, inputs: np.ndarray, stats: list | None = None
    ) -> tuple[list[np.ndarray], list]:
        """Every layer's output, from the inputs (n, m, 2) to the logits (n, m, 1), and each
        batch-norm layer's (μ, σ, x̂): normalised by the batch's own statistics, or by the μ, σ
        of an earlier pass's `stats`."""
        outputs = [np.broadcast_to(inputs, (params.shape[0], *inputs.shape))]
        used = []
        for index, layer in enumerate(self.layers):
            weight = self._unpack(params, layer.weight, layer.fan_in, layer.width)
            pre = outputs[-1] @ weight
            if layer.bias is not None:
                pre = pre + params[:, None, layer.bias]
            if layer is self.layers[-1]:
                outputs.append(pre)
                break
            if self.batch_norm:
                if stats is None:
                    mean = pre.mean(axis=1, keepdims=True)
                    sigma = np.sqrt(pre.var(axis=1, keepdims=True) + BATCH_NORM_EPS)
                else:
                    mean, sigma, _ = stats[index]
                normalised = (pre - mean) / sigma
                used.append((mean, sigma, normalised))
                pre = normalised * params[:, None, layer.scale] + params[:, None, layer.shift]
            outputs.append(np.tanh(pre) if self.activation == "tanh" else np.maximum(pre, 0.0))
        return outputs, used

    def _data_loss(self, logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        if self.loss_kind == "cross_entropy":
            # log(1 + e^z) − y·z, the stable form of −y·log σ(z) − (1 − y)·log(1 − σ(z)).
            return (np.logaddexp(0.0, logits) - labels * logits).mean(axis=1)
        return ((_sigmoid(logits) - labels) ** 2).mean(axis=1)

    def _backward(self, params, outputs, stats, logits, labels) -> np.ndarray:
        m = labels.shape[0]
        if self.loss_kind == "cross_entropy":
            upstream = (_sigmoid(logits) - labels) / m
        else:
            p = _sigmoid(logits)
            upstream = 2.0 * (p - labels) * p * (1.0 - p) / m
        upstream = upstream[..., None]  # (n, m, 1): d loss / d logits
        grad = np.empty(params.shape)
        for index in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[index]
            below = outputs[index]
            if layer is not self.layers[-1]:
                # Through the activation, then batch norm, to the linear layer's output.
                out = outputs[index + 1]
                upstream = upstream * (1.0 - out**2 if self.activation == "tanh" else out > 0)
                if self.batch_norm:
                    _, sigma, normalised = stats[index]
                    grad[:, layer.scale] = np.einsum("nmw,nmw->nw", upstream, normalised)
                    grad[:, layer.shift] = upstream.sum(axis=1)
                    d_norm = upstream * params[:, None, layer.scale]
                    upstream = (
                        d_norm
                        - d_norm.mean(axis=1, keepdims=True)
                        - normalised * (d_norm * normalised).mean(axis=1, keepdims=True)
                    ) / sigma
            grad[:, layer.weight] = (below.transpose(0, 2, 1) @ upstream).reshape(
                params.shape[0], -1
            )
            if layer.bias is not None:
                grad[:, layer.bias] = upstream.sum(axis=1)
            if index:
                weight = self._unpack(params, layer.weight, layer.fan_in, layer.width)
                upstream = upstream @ weight.transpose(0, 2, 1)
        return grad


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # no overflow for large |z|


def _layers(hidden: tuple[int, ...], batch_norm: bool) -> tuple[Layer, ...]:
    layers, offset = [], 0

    def take(count: int) -> slice:
        nonlocal offset
        offset += count
        return slice(offset - count, offset)

    for index, (fan_in, width) in enumerate(zip((2, *hidden), (*hidden, 1), strict=True)):
        normalised = batch_norm and index < len(hidden)
        weight = take(fan_in * width)
        bias = None if normalised else take(width)
        scale, shift = (take(width), take(width)) if normalised else (None, None)
        layers.append(Layer(fan_in, width, weight, bias, scale, shift))
    return tuple(layers)


def check_hidden(hidden) -> tuple[int, ...]:
    """The layer widths as a tuple, or a NetworkError saying what is wrong with them."""
    try:
        widths = tuple(int(w) for w in hidden)
    except (TypeError, ValueError):
        raise NetworkError(tr("Hidden layers are whole numbers of units.")) from None
    if not MIN_LAYERS <= len(widths) <= MAX_LAYERS:
        raise NetworkError(
            tr("The network has {low} to {high} hidden layers.", low=MIN_LAYERS, high=MAX_LAYERS)
        )
    if any(w < 1 for w in widths):
        raise NetworkError(
            tr("A hidden layer with no units cuts the network in two: give it units.")
        )
    if any(not MIN_WIDTH <= w <= MAX_WIDTH for w in widths):
        raise NetworkError(
            tr("Each hidden layer has {low} to {high} units.", low=MIN_WIDTH, high=MAX_WIDTH)
        )
    return widths


def parse_hidden(text: str) -> tuple[int, ...]:
    """Layer widths typed as "24, 16"; a NetworkError says what is wrong with the text."""
    parts = [part.strip() for part in str(text).replace(";", ",").split(",")]
    if any(part == "" for part in parts):
        raise NetworkError(
            tr(
                "A hidden layer is empty (two commas in a row, or one at an end): give every "
                "layer a number of units, e.g. 24, 16."
            )
        )
    if not all(part.isdigit() for part in parts):
        raise NetworkError(tr("Hidden layers are whole numbers of units separated by commas."))
    return check_hidden(int(part) for part in parts)


@dataclass(frozen=True)
class NetworkSetup:
    """The arguments of network_problem as plain values: hashable, cacheable, for links."""

    dataset: str = "moons"
    hidden: tuple[int, ...] = (24, 16)
    activation: str = "tanh"
    loss: str = "cross_entropy"
    batch_norm: bool = False
    l2: float = 0.0
    seed: int = 0
    samples: int = 300
    label_noise: float = 0.0

    def problem(self) -> NetworkProblem:
        return network_problem(
            self.dataset,
            self.hidden,
            self.activation,
            self.loss,
            self.batch_norm,
            self.l2,
            self.seed,
            samples=self.samples,
            label_noise=self.label_noise,
        )


@functools.lru_cache(maxsize=64)
def network_problem(
    dataset: str,
    hidden: tuple[int, ...],
    activation: str,
    loss: str,
    batch_norm: bool,
    l2: float,
    seed: int,
    *,
    samples: int = 300,
    label_noise: float = 0.0,
) -> NetworkProblem:
    """The network `hidden` (widths of 1 to 3 hidden layers) on data set `dataset` drawn with
    `seed`; raises NetworkError with a student-facing message for settings that make no network."""
    hidden = check_hidden(hidden)
    if activation not in ACTIVATIONS:
        raise NetworkError(tr("The activation is one of {names}.", names=", ".join(ACTIVATIONS)))
    if loss not in LOSSES:
        raise NetworkError(tr("The loss is one of {names}.", names=", ".join(LOSSES)))
    if not (math.isfinite(l2) and l2 >= 0):
        raise NetworkError(tr("The L2 strength is a number ≥ 0."))
    data = make_dataset(dataset, samples, label_noise, seed)
    return NetworkProblem(
        data, hidden, activation, loss, bool(batch_norm), float(l2), _layers(hidden, batch_norm)
    )
