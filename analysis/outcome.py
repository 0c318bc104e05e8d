"""What happened in a run: where each point ended, when it got there, whether it blew up."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from landscapes import Surface
from optimizers import Trajectories

# Distance to a minimum that counts as "reached", as a fraction of the map's width.
TOLERANCE_FRACTION = 1e-3


def tolerance_for(surface: Surface) -> float:
    """Distance to a minimum that counts as "reached": 0.1 % of the map's width."""
    (xmin, xmax), (ymin, ymax) = surface.domain
    return TOLERANCE_FRACTION * max(xmax - xmin, ymax - ymin)


@dataclass(frozen=True)
class Outcome:
    """A run and, per start point, what became of it: arrays of shape (n,)."""

    run: Trajectories
    final_loss: np.ndarray  # NaN where the run diverged
    reached_minimum: np.ndarray  # index into surface.minima within tolerance at the end, else -1
    converged_at: np.ndarray  # first step within tolerance of a known minimum, -1 if never
    tolerance: float
    arrivals: np.ndarray  # (n, minima) first step within tolerance of each minimum, -1 if never

    @property
    def diverged_at(self) -> np.ndarray:
        """First step that was not finite or escaped, -1 if never."""
        return self.run.diverged_at

    @property
    def still_moving(self) -> np.ndarray:
        """Neither diverged nor settled at a known minimum."""
        return (self.diverged_at < 0) & (self.reached_minimum < 0)


def distance_to_nearest_minimum(surface: Surface, points: np.ndarray) -> np.ndarray:
    """Distance from each point (shape (..., 2)) to the closest known minimum; inf if none known."""
    nearest = np.full(points.shape[:-1], np.inf)
    for minimum in surface.minima:
        np.minimum(nearest, np.hypot(*np.moveaxis(points - minimum, -1, 0)), out=nearest)
    return nearest


def nearest_minimum_index(surface: Surface, points: np.ndarray, tolerance: float) -> np.ndarray:
    """Index of the known minimum within `tolerance` of each point (shape (..., 2)), else -1."""
    index = np.full(points.shape[:-1], -1)
    for i, minimum in enumerate(surface.minima):
        index[np.hypot(*np.moveaxis(points - minimum, -1, 0)) <= tolerance] = i
    return index


def first_true(mask: np.ndarray) -> np.ndarray:
    """First index along axis 0 where mask is true, -1 where it never is."""
    return np.where(mask.any(axis=0), mask.argmax(axis=0), -1)


@dataclass(frozen=True)
class Arrivals:
    """A Reduction for simulate: the first step each point came within `tolerance` of each known
    minimum, shape (n, minima), -1 where it never did. Runs ask for it instead of keeping their
    history (see summarise)."""

    minima: tuple[tuple[float, float], ...]
    tolerance: float

    @property
    def name(self) -> str:
        """Its key in Trajectories.reduced: arrivals within another tolerance are another result."""
        return f"arrivals within {self.tolerance!r}"

    def start(self, n: int) -> np.ndarray:
        return np.full((n, len(self.minima)), -1)

    def update(self, first: np.ndarray, step: int, points: np.ndarray, losses) -> None:
        # This runs every step of up to 40,000 starts: one minimum at a time on whole coordinate
        # columns in squared distances is the fastest form measured (3-7x the others).
        x, y = points[:, 0], points[:, 1]
        for index, (mx, my) in enumerate(self.minima):
            arrived = (x - mx) ** 2 + (y - my) ** 2 <= self.tolerance**2
            if arrived.any():
                column = first[:, index]
                np.copyto(column, step, where=arrived & (column < 0))


def arrivals(surface: Surface, tolerance: float | None = None) -> dict[str, Arrivals]:
    """The reductions= argument of optimizers.simulate that summarise needs when the run keeps no
    history (every=None); `tolerance` defaults to tolerance_for(surface)."""
    tolerance = tolerance_for(surface) if tolerance is None else tolerance
    reduction = Arrivals(tuple(surface.minima), tolerance)
    return {reduction.name: reduction}


def arrival_steps(run: Trajectories, surface: Surface, tolerance: float) -> np.ndarray:
    """Arrivals of `run` (n, minima): the ones simulate reduced as it ran, or the same reduction
    over the recorded history."""
    reduction = Arrivals(tuple(surface.minima), tolerance)
    if reduction.name in run.reduced:
        return run.reduced[reduction.name]
    if not run.has_history:
        raise ValueError("a run without its history must be simulated with reductions=arrivals()")
    first = reduction.start(run.points.shape[1])
    for step, points in enumerate(run.points):
        reduction.update(first, step, points, None)
    return first


def summarise(run: Trajectories, surface: Surface, tolerance: float | None = None) -> Outcome:
    """The outcome of every start of `run`; `tolerance` defaults to tolerance_for(surface), and
    must be the one of the run's arrivals() if it was simulated with them."""
    tolerance = tolerance_for(surface) if tolerance is None else tolerance
    reached = nearest_minimum_index(surface, run.points[-1], tolerance)
    diverged = run.diverged_at >= 0
    reached[diverged] = -1
    first = arrival_steps(run, surface, tolerance)
    arrived = first >= 0
    never = np.iinfo(first.dtype).max
    earliest = np.where(arrived, first, never).min(axis=1, initial=never)
    return Outcome(
        run=run,
        final_loss=np.where(diverged, np.nan, run.losses[-1]),
        reached_minimum=reached,
        converged_at=np.where(arrived.any(axis=1), earliest, -1),
        tolerance=tolerance,
        arrivals=first,
    )
