"""A 2-D surface known only at the points of a grid: a slice through a network's parameter space,
whose every value is a network evaluated on its data. Between grid points it is interpolated
bilinearly, so every figure drawn for a formula (3D surface, map, exports) draws it too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from landscapes.surface import Domain, OverTheDomain, Point


@dataclass(frozen=True, eq=False)
class SampledSurface(OverTheDomain):
    """values[j, i] is f at (xs[i], ys[j]); outside the grid f is NaN (nothing is known there)."""

    dim: ClassVar[int] = 2
    name: str
    title: str
    xs: np.ndarray  # (nx,) increasing
    ys: np.ndarray  # (ny,) increasing
    values: np.ndarray  # (ny, nx)
    start: Point = (0.0, 0.0)
    lesson: str = ""
    minima: tuple[Point, ...] = ()

    @property
    def domain(self) -> Domain:
        return (float(self.xs[0]), float(self.xs[-1])), (float(self.ys[0]), float(self.ys[-1]))

    def value_and_grad(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The bilinear interpolant and its gradient (constant along each cell's edges)."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        i, u = _cell(self.xs, points[:, 0])
        j, v = _cell(self.ys, points[:, 1])
        inside = (i >= 0) & (j >= 0)
        i, j = np.where(inside, i, 0), np.where(inside, j, 0)
        z = self.values
        z00, z01, z10, z11 = z[j, i], z[j, i + 1], z[j + 1, i], z[j + 1, i + 1]
        value = (1 - v) * ((1 - u) * z00 + u * z01) + v * ((1 - u) * z10 + u * z11)
        dx = ((1 - v) * (z01 - z00) + v * (z11 - z10)) / (self.xs[i + 1] - self.xs[i])
        dy = ((1 - u) * (z10 - z00) + u * (z11 - z01)) / (self.ys[j + 1] - self.ys[j])
        grad = np.column_stack([dx, dy])
        value[~inside] = np.nan
        grad[~inside] = np.nan
        return value, grad

    def f(self, points: np.ndarray) -> np.ndarray:
        return self.value_and_grad(points)[0]

    def grad(self, points: np.ndarray) -> np.ndarray:
        return self.value_and_grad(points)[1]


def _cell(edges: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the grid cell holding each value (-1 outside) and the fraction across it."""
    index = np.clip(np.searchsorted(edges, at, side="right") - 1, 0, len(edges) - 2)
    fraction = (at - edges[index]) / (edges[index + 1] - edges[index])
    outside = ~((edges[0] <= at) & (at <= edges[-1]))
    return np.where(outside, -1, index), fraction
