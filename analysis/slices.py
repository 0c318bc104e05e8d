"""Looking at a network's loss in two of its hundreds of dimensions: planes through parameter
space, the loss over a grid of one, where training paths lie relative to it, and how rough and
how sharp the landscape is.

Two planes, as in Li et al. 2018 ("Visualizing the Loss Landscape of Neural Nets"):
- two filter-normalised random directions around a point (the trained weights): each neuron's
  incoming weights in a direction get the norm of that neuron's weights at the point, so the
  picture does not depend on how the weights happen to be scaled; biases and batch norm's γ, β
  get a zero direction;
- the first two principal directions of the training paths themselves, which hold most of the
  paths' movement; the share of the variance they explain says how faithful the picture is.
A path is drawn at its projection onto the plane; `Plane.distance` says how far off it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from landscapes.network import NetworkProblem
from landscapes.sampled import SampledSurface
from texts import translatable

# Shown as tr(PLANES[kind]).
PLANES = {
    "pca": translatable("principal directions of the paths"),
    "random": translatable("filter-normalised random directions (Li et al.)"),
}
# The random plane spans at least ±1 along each direction: a whole filter norm either way.
RANDOM_EXTENT = 1.0
# The box around the projected paths grows by this share on each side.
MARGIN = 0.15
POWER_ITERATIONS = 60
SUBSPACE = 4  # vectors iterated together by `sharpness`


@dataclass(frozen=True, eq=False)
class Plane:
    """origin + a·directions[0] + b·directions[1], in parameter space."""

    kind: str  # a key of PLANES
    origin: np.ndarray  # (dim,)
    directions: np.ndarray  # (2, dim)
    explained: tuple[float, float] | None = None  # PCA: share of the paths' variance per axis

    def at(self, coordinates: np.ndarray) -> np.ndarray:
        """(k, dim) parameters at plane coordinates (k, 2)."""
        return self.origin + np.asarray(coordinates) @ self.directions

    def coordinates(self, params: np.ndarray) -> np.ndarray:
        """(k, 2) coordinates of the nearest point of the plane (least squares: random
        directions are not exactly orthogonal)."""
        gram = self.directions @ self.directions.T
        return np.linalg.solve(gram, self.directions @ (params - self.origin).T).T

    def distance(self, params: np.ndarray) -> np.ndarray:
        """(k,) Euclidean distance in parameter space from each row to the plane."""
        return np.linalg.norm(params - self.at(self.coordinates(params)), axis=1)

    def in_plane(self, vectors: np.ndarray) -> np.ndarray:
        """(k, 2) a vector field in parameter space as the plane's coordinates see it: for the
        gradient, the gradient of a, b ↦ L(origin + a·d₁ + b·d₂) (the chain rule)."""
        return vectors @ self.directions.T


def filter_normalised_direction(
    problem: NetworkProblem, around: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A Gaussian direction with each neuron's incoming weights rescaled to the norm of the same
    neuron's weights in `around`; zero on biases and batch-norm parameters."""
    direction = np.zeros(problem.dim)
    for layer in problem.layers:
        shape = (layer.fan_in, layer.width)  # column j: neuron j's incoming weights
        weights = around[layer.weight].reshape(shape)
        drawn = rng.standard_normal(shape)
        scale = np.linalg.norm(weights, axis=0) / np.maximum(np.linalg.norm(drawn, axis=0), 1e-30)
        direction[layer.weight] = (drawn * scale).ravel()
    return direction


def random_plane(problem: NetworkProblem, around: np.ndarray, seed: int) -> Plane:
    rng = np.random.default_rng(seed)
    directions = np.array([filter_normalised_direction(problem, around, rng) for _ in range(2)])
    return Plane("random", np.asarray(around, dtype=float), directions)


def pca_plane(paths: Sequence[np.ndarray]) -> Plane:
    """The plane through the mean of every point of `paths` ((k, dim) each) along their first
    two principal directions."""
    stacked = np.concatenate([np.asarray(p, dtype=float) for p in paths])
    origin = stacked.mean(axis=0)
    _, singular, vt = np.linalg.svd(stacked - origin, full_matrices=False)
    variance = singular**2
    total = variance.sum()
    directions = vt[:2]
    if directions.shape[0] < 2 or total == 0:
        raise ValueError("the paths do not move in two directions: nothing to project onto")
    # A sign convention, so the same paths always give the same picture: the start is at −a, −b.
    start = directions @ (stacked[0] - origin)
    directions = directions * np.where(start > 0, -1.0, 1.0)[:, None]
    explained = (float(variance[0] / total), float(variance[1] / total))
    return Plane("pca", origin, directions, explained)


@dataclass(frozen=True, eq=False)
class Slice:
    """The full-batch loss, and the norm of its full gradient, over a grid of a plane."""

    plane: Plane
    xs: np.ndarray
    ys: np.ndarray
    loss: np.ndarray  # (ny, nx)
    grad_norm: np.ndarray  # (ny, nx) ‖∇L‖ in all dim directions, not just the plane's two

    @property
    def roughness(self) -> float:
        """Mean ‖∇L‖ over the slice: how steep the landscape is, on average, around the paths."""
        return float(np.nanmean(self.grad_norm))

    def surface(self, name: str, title: str, lesson: str = "") -> SampledSurface:
        return SampledSurface(name, title, self.xs, self.ys, self.loss, lesson=lesson)


def slice_box(plane: Plane, coordinates: Sequence[np.ndarray]) -> tuple[tuple[float, float], ...]:
    """A box of the plane holding every projected path (k, 2) with a margin; the random plane's
    box also holds ±RANDOM_EXTENT around its origin."""
    points = np.concatenate([np.asarray(c).reshape(-1, 2) for c in coordinates])
    points = points[np.isfinite(points).all(axis=1)]
    if plane.kind == "random":
        points = np.vstack([points, [[-RANDOM_EXTENT] * 2, [RANDOM_EXTENT] * 2]])
    low, high = points.min(axis=0), points.max(axis=0)
    pad = MARGIN * np.maximum(high - low, 1e-6)
    return tuple((float(a), float(b)) for a, b in zip(low - pad, high + pad, strict=True))


def loss_slice(
    problem: NetworkProblem, plane: Plane, box, resolution: int, with_gradient: bool = True
) -> Slice:
    """The loss (and the gradient's norm, unless not `with_gradient`) at resolution² points."""
    (xmin, xmax), (ymin, ymax) = box
    xs, ys = np.linspace(xmin, xmax, resolution), np.linspace(ymin, ymax, resolution)
    gx, gy = np.meshgrid(xs, ys)
    params = plane.at(np.column_stack([gx.ravel(), gy.ravel()]))
    if with_gradient:
        loss, grad = problem.value_and_grad(params)
        norm = np.linalg.norm(grad, axis=1)
    else:
        loss, norm = problem.loss(params), np.full(params.shape[0], np.nan)
    return Slice(plane, xs, ys, loss.reshape(gx.shape), norm.reshape(gx.shape))


def sharpness(
    problem: NetworkProblem,
    params: np.ndarray,
    iterations: int = POWER_ITERATIONS,
    seed: int = 0,
) -> np.ndarray:
    """(n,) the Hessian eigenvalue of largest magnitude of the full-batch loss at each row of
    params: at a minimum, the curvature of its steepest direction (a sharp minimum has a large
    one).

    Power iteration on Hessian-vector products, on a block of SUBSPACE vectors at once with a
    Rayleigh-Ritz step each time (subspace iteration): plain power iteration stalls for hundreds
    of steps when the top two eigenvalues are close, which they often are here."""
    params = np.asarray(params, dtype=float).reshape(-1, problem.dim)
    n = params.shape[0]
    rng = np.random.default_rng(seed)
    basis = np.linalg.qr(rng.standard_normal((n, problem.dim, SUBSPACE)))[0]  # (n, dim, k)
    repeated = np.repeat(params, SUBSPACE, axis=0)
    for _ in range(iterations):
        vectors = basis.transpose(0, 2, 1).reshape(n * SUBSPACE, problem.dim)
        products = problem.hessian_vector_product(repeated, vectors)
        products = products.reshape(n, SUBSPACE, problem.dim).transpose(0, 2, 1)
        # Rayleigh-Ritz: the Hessian restricted to the block, diagonalised.
        small = basis.transpose(0, 2, 1) @ products
        values, rotation = np.linalg.eigh(0.5 * (small + small.transpose(0, 2, 1)))
        basis = np.linalg.qr(products @ rotation)[0]
    return values[np.arange(n), np.abs(values).argmax(axis=1)]
