"""Starting learning rates that show each optimizer moving within a few hundred steps.

The registry's defaults are torch's (1e-3 for SGD and Adam): right for a neural network, far too
small to see anything on a 2-D picture. A good starting rate depends on the surface, so it is
derived here, in one place, from the surface and the optimizer's family:

- plain gradient methods (GD, momentum, Nesterov) step by lr·gradient, so they are stable only
  below 2/L, where L is the steepest curvature the run meets; start at a safe fraction of that;
- adaptive methods (AdaGrad, RMSprop, Adam and friends) move about lr per coordinate per step
  whatever the slope, so their rate is a fraction of the map's width (the spec's map_fraction);
- second-order methods take the full quadratic-model step, their default lr of 1, when they
  know the Hessian (Newton); a quasi-Newton method that builds its model from the last few steps
  (L-BFGS) starts at half of it: at 1 its first, crude models throw it far across Himmelblau,
  the double well and Rosenbrock before it comes back (unstable by analysis.outcome's rule), at
  1/2 it reaches every built-in minimum without.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

import optimizers
from landscapes import Surface
from optimizers import Family
from optimizers.choices import hyper_choices, nearest_choice

# A quarter of the stability edge 2/L: GD settles smoothly. Momentum gets the same rate, so the
# Compare page shows what the momentum buffer changes at equal lr (it also stays stable: its edge
# is 2(1 + μ)/L).
_EDGE_FRACTION = 0.25
_QUASI_NEWTON_FRACTION = 0.5


def starting_lr(surface: Surface, key: str) -> float:
    """A learning rate, from the lr slider's choices, that shows `key` at work on `surface`."""
    (xmin, xmax), (ymin, ymax) = surface.domain
    return rate_for(key, lambda: steepest_curvature(surface), max(xmax - xmin, ymax - ymin))


def rate_for(key: str, curvature: Callable[[], float], width: float) -> float:
    """The rule above for any problem: `curvature()` is the steepest curvature a run meets
    (asked only for plain gradient methods) and `width` the size of the region it moves in."""
    spec = optimizers.get(key)
    lr = spec.hyper("lr")
    if spec.family is Family.GRADIENT:
        raw = _EDGE_FRACTION * 2 / curvature()
    elif spec.family is Family.ADAPTIVE:
        raw = spec.map_fraction * width
    elif spec.needs_hessian:
        raw = lr.default
    else:
        raw = _QUASI_NEWTON_FRACTION * lr.default
    return nearest_choice(hyper_choices(lr), lr.clamp(raw))


def starting_values(surface: Surface, key: str) -> dict[str, float]:
    """All hyperparameters of `key`: registry defaults, with the learning rate from starting_lr."""
    return {**optimizers.get(key).defaults(), "lr": starting_lr(surface, key)}


@functools.lru_cache(maxsize=128)
def steepest_curvature(surface: Surface) -> float:
    """Largest Hessian eigenvalue magnitude at the start point and the known minima (at least 1e-6).

    Those are the places where a run spends its time; a descent that is stable there is stable
    along the way on every built-in surface.
    """
    points = np.array([surface.start, *surface.minima], dtype=float)
    eigenvalues = np.linalg.eigvalsh(surface.hessian(points))
    finite = np.abs(eigenvalues[np.isfinite(eigenvalues)])
    return float(max(finite.max(initial=0.0), 1e-6))
