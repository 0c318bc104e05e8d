"""Finding the minima of a surface nobody has tabulated (a formula a user typed)."""

from __future__ import annotations

import numpy as np

from landscapes.surface import Point, Surface

_GRID = 61
_NEWTON_STEPS = 40
_MAX_MINIMA = 12


def locate_minima(surface: Surface) -> tuple[Point, ...]:
    """Local minima inside the domain: grid cells lower than their 8 neighbours, refined by Newton.

    Returns at most a dozen, lowest first; a refined point counts only if its gradient vanishes,
    its Hessian is positive definite and it stays inside the domain.
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
            step = np.linalg.solve(surface.hessian(points), surface.grad(points)[..., None])[..., 0]
            points = np.where(np.isfinite(step), points - step, points)
        hessians = surface.hessian(points)
        grad_norm = np.linalg.norm(surface.grad(points), axis=1)
        eigenvalues = np.linalg.eigvalsh(hessians)
    (xmin, xmax), (ymin, ymax) = surface.domain
    scale = max(xmax - xmin, ymax - ymin)
    good = (
        (grad_norm < 1e-8 * max(1.0, np.abs(z).max()))
        & (eigenvalues.min(axis=1) > 0)
        & (points[:, 0] >= xmin)
        & (points[:, 0] <= xmax)
        & (points[:, 1] >= ymin)
        & (points[:, 1] <= ymax)
    )
    found: list[np.ndarray] = []
    for point in points[good][np.argsort(surface.f(points[good]))]:
        if all(np.hypot(*(point - other)) > 1e-6 * scale for other in found):
            found.append(point)
    return tuple((float(px), float(py)) for px, py in found[:_MAX_MINIMA])
