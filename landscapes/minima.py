"""Finding the minima of a surface nobody has tabulated (a formula a user typed)."""

from __future__ import annotations

import numpy as np

from landscapes.surface import Point, Surface

_GRID = 61
_NEWTON_STEPS = 40
_MAX_MINIMA = 12
_HALVINGS = 40


def locate_minima(surface: Surface) -> tuple[Point, ...]:
    """Local minima inside the domain: grid cells lower than their 8 neighbours, refined by Newton.

    Returns at most a dozen, lowest first; a refined point counts only if its gradient vanishes,
    its Hessian is positive semi-definite and it stays inside the domain.
    """
    xs, ys, z = surface.grid(_GRID)
    inner = z[1:-1, 1:-1]
    is_lowest = np.ones_like(inner, dtype=bool)
    for dj in (-1, 0, 1):
        for di in (-1, 0, 1):
            if dj or di:
                neighbour = z[1 + dj : _GRID - 1 + dj, 1 + di : _GRID - 1 + di]
                is_lowest &= inner < neighbour
    rows, cols = np.nonzero(is_lowest)
    candidates = np.column_stack([xs[cols + 1], ys[rows + 1]])
    if not len(candidates):
        return ()
    points = candidates.copy()
    with np.errstate(all="ignore"):
        for _ in range(_NEWTON_STEPS):
            points = _descent_step(surface, points)
        hessians = surface.hessian(points)
        grad_norm = np.linalg.norm(surface.grad(points), axis=1)
        eigenvalues = np.linalg.eigvalsh(hessians)
    (xmin, xmax), (ymin, ymax) = surface.domain
    scale = max(xmax - xmin, ymax - ymin)
    good = (
        (grad_norm < 1e-8 * max(1.0, np.abs(z).max()))
        # ≥ 0, not > 0: a flat-bottomed minimum such as x⁴ + y² has a singular Hessian there.
        & (eigenvalues.min(axis=1) >= 0)
        & (points[:, 0] >= xmin)
        & (points[:, 0] <= xmax)
        & (points[:, 1] >= ymin)
        & (points[:, 1] <= ymax)
    )
    found: list[np.ndarray] = []
    for point in points[good][np.argsort(surface.f(points[good]))]:
        # Stopping at the dozen keeps this loop short: a rippled surface has hundreds of minima.
        if len(found) == _MAX_MINIMA:
            break
        if all(np.hypot(*(point - other)) > 1e-6 * scale for other in found):
            found.append(point)
    return tuple((float(px), float(py)) for px, py in found)


def _descent_step(surface: Surface, points: np.ndarray) -> np.ndarray:
    """One Newton step from each point where it lowers f, else the longest of a halving series of
    steps (along the Newton direction where the Hessian curves up, along −∇f elsewhere) that
    does. Plain Newton from a grid point far from the minimum (grid cells 300 wide on a
    20,000-wide map) can jump to a maximum or a saddle; this only goes downhill."""
    value, grad = surface.value_and_grad(points)
    hessians = surface.hessian(points)
    newton = _newton_step(hessians, grad)
    curves_up = np.all(np.linalg.eigvalsh(np.nan_to_num(hessians)) > 0, axis=1)
    direction = np.where((curves_up & np.isfinite(newton).all(axis=1))[:, None], newton, grad)
    if not curves_up.all():
        # A gradient step as long as the map's grid cell, to start the halving from.
        (xmin, xmax), (ymin, ymax) = surface.domain
        cell = max(xmax - xmin, ymax - ymin) / _GRID
        norm = np.linalg.norm(grad, axis=1, keepdims=True)
        scaled = grad * np.where(norm > 0, cell / np.where(norm > 0, norm, 1.0), 0.0)
        direction = np.where(curves_up[:, None], direction, scaled)
    result = points.copy()
    pending = np.ones(len(points), dtype=bool)
    length = 1.0
    for _ in range(_HALVINGS):
        trial = points - length * direction
        lower = pending & (surface.f(trial) <= value)
        result[lower] = trial[lower]
        pending &= ~lower
        if not pending.any():
            break
        length /= 2
    return result


def _newton_step(hessians: np.ndarray, grads: np.ndarray) -> np.ndarray:
    """H⁻¹∇f per point by the 2×2 inverse; inf/NaN where H is singular (np.linalg.solve would
    raise for the whole batch, e.g. for x⁴ + y² on a grid through x = 0)."""
    a, b, c = hessians[:, 0, 0], hessians[:, 0, 1], hessians[:, 1, 1]
    determinant = a * c - b * b
    gx, gy = grads[:, 0], grads[:, 1]
    return np.column_stack([(c * gx - b * gy) / determinant, (a * gy - b * gx) / determinant])
