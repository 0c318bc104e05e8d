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


def summarise(run: Trajectories, surface: Surface, tolerance: float | None = None) -> Outcome:
    """The outcome of every start of `run`; `tolerance` defaults to tolerance_for(surface)."""
    tolerance = tolerance_for(surface) if tolerance is None else tolerance
    reached = nearest_minimum_index(surface, run.points[-1], tolerance)
    diverged = run.diverged_at >= 0
    reached[diverged] = -1
    # One minimum at a time keeps memory at (steps + 1) x n booleans, even for 40,000 starts.
    within = np.zeros(run.points.shape[:2], dtype=bool)
    for minimum in surface.minima:
        within |= np.hypot(*np.moveaxis(run.points - minimum, -1, 0)) <= tolerance
    return Outcome(
        run=run,
        final_loss=np.where(diverged, np.nan, run.losses[-1]),
        reached_minimum=reached,
        converged_at=first_true(within),
        tolerance=tolerance,
    )
