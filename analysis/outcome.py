"""What happened in a run: where each point ended, when it got there, whether it blew up."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from landscapes import Surface
from optimizers import Trajectories

# Distance to a minimum that counts as "reached", as a fraction of the map's width.
TOLERANCE_FRACTION = 1e-3
# A run is unstable when it ends more than this many map widths beyond the map's edge ...
FAR_OFF_WIDTHS = 1.0
# ... or its loss climbs higher above the map's lowest point than this many times the map's whole
# range of heights (orders of magnitude above anything a descent from the map should see).
LOSS_BLOWUP_FACTOR = 100.0
_HEIGHTS_RESOLUTION = 41


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

    unstable: np.ndarray  # did not end at a minimum and diverged, flew off or blew up (see below)
    beyond_map: np.ndarray  # distance from the map's edge at the end, in map widths (0 inside)
    highest_loss: np.ndarray  # the highest loss over the run (NaN if it diverged)

    @property
    def diverged_at(self) -> np.ndarray:
        """First step that was not finite or escaped, -1 if never."""
        return self.run.diverged_at

    @property
    def still_moving(self) -> np.ndarray:
        """Neither unstable nor settled at a known minimum."""
        return ~self.unstable & (self.reached_minimum < 0)


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


@dataclass(frozen=True)
class HighestLoss:
    """A Reduction for simulate: each point's highest loss over the run (NaN once it diverged)."""

    name = "highest loss"

    def start(self, n: int) -> np.ndarray:
        return np.full(n, -np.inf)

    def update(self, high: np.ndarray, step: int, points, losses: np.ndarray) -> None:
        np.fmax(high, losses, out=high)


def summary_reductions(surface: Surface, tolerance: float | None = None) -> dict:
    """The reductions= argument of optimizers.simulate that summarise needs when the run keeps no
    history (every=None); `tolerance` defaults to tolerance_for(surface)."""
    tolerance = tolerance_for(surface) if tolerance is None else tolerance
    reduction = Arrivals(tuple(surface.minima), tolerance)
    return {reduction.name: reduction, HighestLoss.name: HighestLoss()}


@functools.lru_cache(maxsize=64)
def map_heights(surface: Surface) -> tuple[float, float]:
    """The lowest and highest finite loss on a grid over the map (the lowest includes f*)."""
    _, _, z = surface.grid(_HEIGHTS_RESOLUTION)
    finite = z[np.isfinite(z)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    if surface.best_known_value is not None:
        low = min(low, surface.best_known_value)
    return low, high


def beyond_map(surface: Surface, points: np.ndarray) -> np.ndarray:
    """How far each point (shape (n, 2)) lies outside the map, in map widths along the axis it
    left by; 0 inside."""
    (xmin, xmax), (ymin, ymax) = surface.domain
    px, py = points[:, 0], points[:, 1]
    with np.errstate(invalid="ignore"):
        beyond_x = np.maximum(np.maximum(xmin - px, px - xmax), 0.0) / (xmax - xmin)
        beyond_y = np.maximum(np.maximum(ymin - py, py - ymax), 0.0) / (ymax - ymin)
    return np.fmax(beyond_x, beyond_y)


def highest_losses(run: Trajectories) -> np.ndarray:
    """The highest loss of each point over the run: reduced as it ran, or read off its history."""
    if HighestLoss.name in run.reduced:
        return run.reduced[HighestLoss.name]
    with np.errstate(invalid="ignore"):
        return np.fmax.reduce(run.losses, axis=0)


def unstable_runs(
    surface: Surface, run: Trajectories, reached_minimum: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The one rule for "unstable", with the two measures it reads (beyond_map, highest_loss).

    A run that did not end at a known minimum is unstable when it diverged (not finite, or past
    simulate's escape radius), when it ends more than FAR_OFF_WIDTHS map widths beyond the map
    higher than it started, or when its loss climbed more than LOSS_BLOWUP_FACTOR times the map's
    range of heights above the map's lowest point, even if it came back later: all three mean the
    steps are too large for this surface, not too few. (A run that leaves the map going downhill,
    on a surface unbounded below, is descending, not unstable.)
    """
    beyond = beyond_map(surface, run.points[-1])
    highest = highest_losses(run)
    low, high = map_heights(surface)
    with np.errstate(invalid="ignore"):
        flew_off = (beyond > FAR_OFF_WIDTHS) & (run.losses[-1] > run.losses[0])
        blew_up = highest - low > LOSS_BLOWUP_FACTOR * (high - low)
    diverged = run.diverged_at >= 0
    unstable = (diverged | flew_off | blew_up) & (reached_minimum < 0)
    return unstable, beyond, np.where(diverged, np.nan, highest)


def arrival_steps(run: Trajectories, surface: Surface, tolerance: float) -> np.ndarray:
    """Arrivals of `run` (n, minima): the ones simulate reduced as it ran, or the same reduction
    over the recorded history."""
    reduction = Arrivals(tuple(surface.minima), tolerance)
    if reduction.name in run.reduced:
        return run.reduced[reduction.name]
    if not run.has_history:
        raise ValueError(
            "a run without its history must be simulated with reductions=summary_reductions()"
        )
    first = reduction.start(run.points.shape[1])
    for step, points in enumerate(run.points):
        reduction.update(first, step, points, None)
    return first


def summarise(run: Trajectories, surface: Surface, tolerance: float | None = None) -> Outcome:
    """The outcome of every start of `run`; `tolerance` defaults to tolerance_for(surface), and
    must be the one of the run's summary_reductions() if it was simulated with them."""
    tolerance = tolerance_for(surface) if tolerance is None else tolerance
    reached = nearest_minimum_index(surface, run.points[-1], tolerance)
    diverged = run.diverged_at >= 0
    reached[diverged] = -1
    first = arrival_steps(run, surface, tolerance)
    arrived = first >= 0
    never = np.iinfo(first.dtype).max
    earliest = np.where(arrived, first, never).min(axis=1, initial=never)
    unstable, beyond, highest = unstable_runs(surface, run, reached)
    return Outcome(
        run=run,
        final_loss=np.where(diverged, np.nan, run.losses[-1]),
        reached_minimum=reached,
        converged_at=np.where(arrived.any(axis=1), earliest, -1),
        tolerance=tolerance,
        arrivals=first,
        unstable=unstable,
        beyond_map=beyond,
        highest_loss=highest,
    )
