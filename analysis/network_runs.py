"""Training a small network with the registry's optimizers, and everything the Networks page
shows about the runs: the slice they are drawn on, each path's projection and distance from it,
accuracy along the way, and how sharp the place is where each run ends.

Training is optimizers.simulate on the network problem with real mini-batch gradients: the same
specs that move points on a 2-D map, nothing re-implemented.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

import optimizers
from analysis import slices
from analysis.starting_rates import rate_for
from landscapes.data import MiniBatches
from landscapes.network import INPUT_BOX, NetworkProblem, NetworkSetup
from optimizers import Trajectories
from texts import tr, translatable

# The weights start at about ±1/√fan_in: an adaptive method's starting rate is its spec's
# map_fraction of this width, as on a map.
WEIGHT_WIDTH = 1.0
BOUNDARY_RESOLUTION = 60
# The lessons' contrasts: the same experiment twice with one setting changed.
CONTRASTS = {
    "none": translatable("nothing (one experiment)"),
    "batch_norm": translatable("batch norm off vs on"),
    "l2": translatable("L2 off vs on"),
    "loss": translatable("mean squared error vs cross-entropy"),
    "batch": translatable("batch size 8 vs 256"),
}
CONTRAST_L2 = 0.01  # "L2 on" when the experiment itself has none
CONTRAST_BATCHES = (8, 256)


def trainable_keys() -> list[str]:
    """The registry's optimizers that can train a network: every one that needs no Hessian (a
    network of hundreds of weights has no Hessian per mini-batch to give)."""
    return [key for key in optimizers.names() if not optimizers.get(key).needs_hessian]


def starting_lr(problem: NetworkProblem, key: str, seed: int) -> float:
    """The app's starting-rate rule (analysis.starting_rates) on the network: a quarter of the
    stability edge 2/L at the initial weights for plain gradient methods."""

    def curvature() -> float:
        start = problem.initial_params(seed)
        return max(abs(float(slices.sharpness(problem, start)[0])), 1e-6)

    return rate_for(key, curvature, WEIGHT_WIDTH)


def train(
    problem: NetworkProblem,
    key: str,
    hyperparams: dict[str, float],
    batch_size: int,
    steps: int,
    seed: int,
) -> Trajectories:
    """Optimizer `key` from the initial weights of `seed`, on mini-batches of `batch_size`
    shuffled by `seed` (batch size = the data set's size: full-batch training)."""
    batches = MiniBatches(problem.data.samples, batch_size, seed)
    return optimizers.simulate(
        problem,
        key,
        hyperparams,
        [problem.initial_params(seed)],
        steps,
        gradient_source=problem.minibatch_source(batches),
    )


@dataclass(frozen=True, eq=False)
class ProjectedPath:
    """One training run as the slice shows it. Arrays are per recorded step."""

    coordinates: np.ndarray  # (k, 2) the nearest point of the plane
    distance: np.ndarray  # (k,) how far the weights are from the plane
    plane_gradient: np.ndarray  # (k, 2) the true gradient as the plane's coordinates see it
    losses: np.ndarray  # (k,) the network's real full-batch loss, NaN after divergence
    accuracy: np.ndarray  # (k,) share of training points classified right
    diverged_at: int
    sharpness: float  # the largest Hessian eigenvalue at the last good step


@dataclass(frozen=True, eq=False)
class Landscape:
    cut: slices.Slice
    paths: list[ProjectedPath]


def landscape(
    problem: NetworkProblem,
    runs: Sequence[Trajectories],
    plane_kind: str,
    resolution: int,
    seed: int,
) -> Landscape:
    """The slice through the runs' parameter space (`plane_kind` a key of slices.PLANES; the
    random plane is centred on where the first run ends) and each run projected on it."""
    weights = [_good_steps(run) for run in runs]
    if plane_kind == "pca":
        plane = slices.pca_plane(weights)
    else:
        plane = slices.random_plane(problem, weights[0][-1], seed)
    paths = []
    ends = np.array([w[-1] for w in weights])
    sharpness = slices.sharpness(problem, ends)
    for run, sharp in zip(runs, sharpness, strict=True):
        points = run.points[:, 0]
        gradient = problem.grad(points)
        paths.append(
            ProjectedPath(
                coordinates=plane.coordinates(points),
                distance=plane.distance(points),
                plane_gradient=plane.in_plane(gradient),
                losses=run.losses[:, 0],
                accuracy=problem.accuracy(points),
                diverged_at=int(run.diverged_at[0]),
                sharpness=float(sharp),
            )
        )
    box = slices.slice_box(plane, [p.coordinates for p in paths])
    return Landscape(slices.loss_slice(problem, plane, box, resolution), paths)


def last_good_step(run: Trajectories) -> int:
    """The last step whose weights were healthy (simulate freezes a diverged run there)."""
    diverged = int(run.diverged_at[0])
    return run.steps if diverged < 0 else max(diverged - 1, 0)


def _good_steps(run: Trajectories) -> np.ndarray:
    """(k, dim) the weights up to the last step that was not diverged."""
    return run.points[: last_good_step(run) + 1, 0]


@dataclass(frozen=True)
class Experiment:
    """Everything that decides a Networks page's runs and slice, as plain hashable values."""

    setup: NetworkSetup
    optimizers: tuple[tuple[str, float], ...]  # (key, learning rate), in the order drawn
    batch_size: int
    steps: int
    seed: int  # the initial weights and the batches' shuffle
    plane: str  # a key of slices.PLANES
    resolution: int

    @property
    def effective_batch(self) -> int:
        """The batch size used: at most the whole data set (which is full-batch training)."""
        return min(self.batch_size, self.setup.samples)

    def runs(self) -> list[Trajectories]:
        problem = self.setup.problem()
        return [
            train(problem, key, {"lr": lr}, self.effective_batch, self.steps, self.seed)
            for key, lr in self.optimizers
        ]

    def landscape(self, runs: Sequence[Trajectories]) -> Landscape:
        return landscape(self.setup.problem(), runs, self.plane, self.resolution, self.seed)


def contrast(experiment: Experiment, kind: str) -> list[tuple[str, Experiment]]:
    """The experiment as it is ("none"), or the two versions a lesson compares, labelled (in the
    run's language: the labels are headings and table columns)."""
    setup = experiment.setup

    def with_setup(**changes) -> Experiment:
        return dataclasses.replace(experiment, setup=dataclasses.replace(setup, **changes))

    if kind == "none":
        return [("", experiment)]
    if kind == "batch_norm":
        return [
            (tr("without batch norm"), with_setup(batch_norm=False)),
            (tr("with batch norm"), with_setup(batch_norm=True)),
        ]
    if kind == "l2":
        strength = setup.l2 or CONTRAST_L2
        return [
            (tr("L2 off"), with_setup(l2=0.0)),
            (f"L2 = {strength:g}", with_setup(l2=strength)),
        ]
    if kind == "loss":
        return [
            (tr("mean squared error"), with_setup(loss="mse")),
            (tr("cross-entropy"), with_setup(loss="cross_entropy")),
        ]
    if kind == "batch":
        return [
            (tr("batches of {size}", size=size), dataclasses.replace(experiment, batch_size=size))
            for size in CONTRAST_BATCHES
        ]
    raise ValueError(f"unknown contrast {kind!r}; known: {', '.join(CONTRASTS)}")


def decision_grid(
    problem: NetworkProblem, params: np.ndarray, resolution: int = BOUNDARY_RESOLUTION
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """xs, ys over the input box and P(class 1) (n, resolution, resolution) for each row."""
    (xmin, xmax), (ymin, ymax) = INPUT_BOX
    xs, ys = np.linspace(xmin, xmax, resolution), np.linspace(ymin, ymax, resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    probabilities = problem.probabilities(np.asarray(params).reshape(-1, problem.dim), grid)
    return xs, ys, probabilities.reshape(-1, resolution, resolution)
