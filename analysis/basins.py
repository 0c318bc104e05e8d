"""Basins of attraction: run an optimizer from every start on a grid and record where each ends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

import optimizers
from analysis.outcome import first_true, nearest_minimum_index
from landscapes import Surface

STILL_MOVING = -1  # neither diverged nor within tolerance of a known minimum at the end
DIVERGED = -2
MAX_RESOLUTION = 200
_STEP_CHUNK = 16


@dataclass(frozen=True)
class BasinMap:
    """Outcome of a run from every start of a grid; arrays are indexed [j, i] = (ys[j], xs[i])."""

    xs: np.ndarray
    ys: np.ndarray
    outcome: np.ndarray  # index into surface.minima, STILL_MOVING or DIVERGED
    steps_to_tolerance: np.ndarray  # first step within tolerance of the minimum reached, else -1
    steps: int
    tolerance: float

    def counts(self, minima: int) -> dict[int, int]:
        """How many starts ended in each outcome: every minimum, STILL_MOVING and DIVERGED."""
        found = np.bincount(self.outcome.ravel() - DIVERGED, minlength=minima - DIVERGED)
        return {
            code: int(found[code - DIVERGED]) for code in (*range(minima), STILL_MOVING, DIVERGED)
        }


def start_grid(surface: Surface, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Axis vectors and the (resolution², 2) start points covering the surface's domain."""
    if not 2 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be between 2 and {MAX_RESOLUTION}")
    (xmin, xmax), (ymin, ymax) = surface.domain
    xs, ys = np.linspace(xmin, xmax, resolution), np.linspace(ymin, ymax, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def basin_map(
    surface: Surface,
    key: str,
    hyperparams: Mapping[str, float] | None,
    resolution: int,
    steps: int,
    tolerance: float,
) -> BasinMap:
    """Run `key` from every grid start in one vectorised simulation and classify each start.

    The full history (steps × starts × 2 numbers, ~480 MB for 200² starts and 500 steps) is
    summarised here and dropped, so only the small maps outlive the call.
    """
    xs, ys, starts = start_grid(surface, resolution)
    run = optimizers.simulate(surface, key, hyperparams, starts, steps)
    outcome = nearest_minimum_index(surface, run.points[-1], tolerance)
    outcome[outcome < 0] = STILL_MOVING
    outcome[run.diverged_at >= 0] = DIVERGED
    steps_to_tolerance = _first_step_near(run.points, surface, outcome, tolerance)
    shape = (ys.size, xs.size)
    return BasinMap(
        xs, ys, outcome.reshape(shape), steps_to_tolerance.reshape(shape), steps, tolerance
    )


def _first_step_near(
    points: np.ndarray, surface: Surface, outcome: np.ndarray, tolerance: float
) -> np.ndarray:
    """First step within `tolerance` of the minimum each start ends at (-1 if it ends at none).

    Only the minimum a run ends at is checked, which keeps this one pass over the history instead
    of one per minimum: a run that brushes past another minimum on its way does not count there.
    """
    # Starts that end at no minimum get a target at NaN, which is never near anything.
    targets = np.vstack([np.reshape(surface.minima, (-1, 2)), [(np.nan, np.nan)]])
    target = targets[np.where(outcome >= 0, outcome, -1)]
    near = np.empty(points.shape[:2], dtype=bool)
    # Chunks of steps keep the temporaries small (a few MB) instead of the history's size.
    for first in range(0, points.shape[0], _STEP_CHUNK):
        offset = points[first : first + _STEP_CHUNK] - target
        near[first : first + _STEP_CHUNK] = np.einsum("snk,snk->sn", offset, offset) <= tolerance**2
    return first_true(near)
