"""Basins of attraction: run an optimizer from every start on a grid and record where each ends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

import optimizers
from analysis.outcome import summarise, summary_reductions
from landscapes import Surface

STILL_MOVING = -1  # neither unstable nor within tolerance of a known minimum at the end
UNSTABLE = -2  # diverged, flew off the map or blew up (analysis.outcome.unstable_runs)
MAX_RESOLUTION = 200


@dataclass(frozen=True)
class BasinMap:
    """Outcome of a run from every start of a grid; arrays are indexed [j, i] = (ys[j], xs[i])."""

    xs: np.ndarray
    ys: np.ndarray
    outcome: np.ndarray  # index into surface.minima, STILL_MOVING or UNSTABLE
    steps_to_tolerance: np.ndarray  # first step within tolerance of the minimum reached, else -1
    steps: int
    tolerance: float

    def counts(self, minima: int) -> dict[int, int]:
        """How many starts ended in each outcome: every minimum, STILL_MOVING and UNSTABLE."""
        found = np.bincount(self.outcome.ravel() - UNSTABLE, minlength=minima - UNSTABLE)
        return {
            code: int(found[code - UNSTABLE]) for code in (*range(minima), STILL_MOVING, UNSTABLE)
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

    The run keeps no history (steps × starts × 2 numbers would be ~480 MB for 200² starts and 500
    steps): the first step each start came near each minimum is reduced as it goes, and the map
    needs only that and the final points.
    """
    xs, ys, starts = start_grid(surface, resolution)
    run = optimizers.simulate(
        surface,
        key,
        hyperparams,
        starts,
        steps,
        every=None,
        reductions=summary_reductions(surface, tolerance),
    )
    outcome = summarise(run, surface, tolerance)
    # Where it ended: the minimum reached, else still moving or unstable.
    ended = np.where(outcome.reached_minimum >= 0, outcome.reached_minimum, STILL_MOVING)
    ended[outcome.unstable] = UNSTABLE
    # Only the minimum a run ends at counts: a run that brushes past another minimum on its way
    # does not count there.
    # A column of -1 stands for "no minimum", so starts that end at none index it.
    padded = np.column_stack([outcome.arrivals, np.full(ended.shape, -1)])
    steps_to_tolerance = padded[np.arange(ended.size), np.where(ended >= 0, ended, -1)]
    shape = (ys.size, xs.size)
    return BasinMap(
        xs, ys, ended.reshape(shape), steps_to_tolerance.reshape(shape), steps, tolerance
    )
