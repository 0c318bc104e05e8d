"""What happened in a run: where each point ended, when it got there, whether it blew up."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from landscapes import Surface
from optimizers import Trajectories

DEFAULT_TOLERANCE = 1e-3


@dataclass(frozen=True)
class RunSummary:
    """Per start point, arrays of shape (n,)."""

    final_loss: np.ndarray  # NaN where the run diverged
    reached_minimum: (
        np.ndarray
    )  # index into surface.minima of the minimum within tol at the end, -1 if none
    converged_at: np.ndarray  # first step within tol of a known minimum, -1 if never
    diverged_at: np.ndarray  # first step that was not finite or escaped, -1 if never
    singular_at: np.ndarray  # first step with a singular Newton system, -1 if never
    tolerance: float

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


def summarise(
    run: Trajectories, surface: Surface, tolerance: float = DEFAULT_TOLERANCE
) -> RunSummary:
    reached = nearest_minimum_index(surface, run.points[-1], tolerance)
    diverged = run.diverged_at >= 0
    reached[diverged] = -1
    # One minimum at a time keeps memory at (steps + 1) x n booleans, even for 40,000 starts.
    within = np.zeros(run.points.shape[:2], dtype=bool)
    for minimum in surface.minima:
        within |= np.hypot(*np.moveaxis(run.points - minimum, -1, 0)) <= tolerance
    return RunSummary(
        final_loss=np.where(diverged, np.nan, run.losses[-1]),
        reached_minimum=reached,
        converged_at=first_true(within),
        diverged_at=run.diverged_at,
        singular_at=run.singular_at,
        tolerance=tolerance,
    )
