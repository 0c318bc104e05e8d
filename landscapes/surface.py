"""A loss surface: a Sympy expression in x, y compiled once to vectorised NumPy functions."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import sympy as sp

x, y = sp.symbols("x y", real=True)
_COMPILED_CACHE_SIZE = 128

Domain = tuple[tuple[float, float], tuple[float, float]]
Point = tuple[float, float]


class OverTheDomain:
    """What every surface derives from its f, its domain and its known minima: a formula's
    (Surface) and a grid's (landscapes.sampled.SampledSurface) alike."""

    domain: Domain
    minima: tuple[Point, ...]

    def f(self, points: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def grid(self, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Axis vectors xs, ys and values z[j, i] = f(xs[i], ys[j]) over the domain."""
        (xmin, xmax), (ymin, ymax) = self.domain
        xs = np.linspace(xmin, xmax, resolution)
        ys = np.linspace(ymin, ymax, resolution)
        gx, gy = np.meshgrid(xs, ys)
        z = self.f(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
        return xs, ys, z

    @property
    def minimum_values(self) -> np.ndarray:
        return self.f(np.array(self.minima, dtype=float).reshape(-1, 2))

    @property
    def best_known_value(self) -> float | None:
        """f*: the lowest value at a known minimum; None if no minimum is known."""
        values = self.minimum_values
        return float(np.nanmin(values)) if np.isfinite(values).any() else None


@dataclass(frozen=True, eq=False)
class Surface(OverTheDomain):
    """What is minimised. Points are arrays of shape (n, 2); x is column 0, y column 1."""

    dim: ClassVar[int] = 2  # parameters per point
    name: str
    title: str
    expr: sp.Expr
    domain: Domain
    minima: tuple[Point, ...] = ()
    start: Point = (0.0, 0.0)
    lesson: str = ""
    gradient_expr: tuple[sp.Expr, sp.Expr] = field(init=False, repr=False)
    hessian_expr: tuple[tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]] = field(
        init=False, repr=False
    )
    _value_and_grad: Callable = field(init=False, repr=False)
    _f: Callable = field(init=False, repr=False)
    _hessian: Callable = field(init=False, repr=False)

    def __post_init__(self) -> None:
        compiled = _compile(self.expr)
        for name, value in compiled.items():
            object.__setattr__(self, name, value)

    # Results are written into preallocated arrays: that broadcasts the bare Python scalars
    # lambdify returns for constant components (e.g. the Hessian of a quadratic) and is cheaper
    # than np.broadcast_to for the one-point case.
    def f(self, points: np.ndarray) -> np.ndarray:
        px, py = _columns(points)
        value = np.empty(px.shape[0])
        with np.errstate(all="ignore"):
            value[:] = self._f(px, py)
        return value

    def value_and_grad(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Loss (n,) and gradient (n, 2) in one pass."""
        px, py = _columns(points)
        value = np.empty(px.shape[0])
        grad = np.empty((px.shape[0], 2))
        with np.errstate(all="ignore"):
            value[:], grad[:, 0], grad[:, 1] = self._value_and_grad(px, py)
        return value, grad

    def grad(self, points: np.ndarray) -> np.ndarray:
        return self.value_and_grad(points)[1]

    def hessian(self, points: np.ndarray) -> np.ndarray:
        px, py = _columns(points)
        out = np.empty((px.shape[0], 2, 2))
        with np.errstate(all="ignore"):
            out[:, 0, 0], out[:, 0, 1], out[:, 1, 1] = self._hessian(px, py)
        out[:, 1, 0] = out[:, 0, 1]
        return out


@functools.lru_cache(maxsize=_COMPILED_CACHE_SIZE)
def _compile(expr: sp.Expr) -> dict:
    """Derivatives and NumPy functions of an expression, computed once per distinct expression."""
    gradient, hessian = derivatives(expr)
    (fxx, fxy), (_, fyy) = hessian
    return {
        "gradient_expr": gradient,
        "hessian_expr": hessian,
        "_f": sp.lambdify((x, y), expr, modules="numpy", cse=True),
        # Loss and gradient are always needed at the same points, so one compiled function with
        # shared subexpressions computes both.
        "_value_and_grad": sp.lambdify((x, y), [expr, *gradient], modules="numpy", cse=True),
        "_hessian": sp.lambdify((x, y), [fxx, fxy, fyy], modules="numpy", cse=True),
    }


@functools.lru_cache(maxsize=_COMPILED_CACHE_SIZE)
def derivatives(expr: sp.Expr) -> tuple[tuple[sp.Expr, sp.Expr], tuple[tuple[sp.Expr, ...], ...]]:
    """The gradient (fx, fy) and Hessian ((fxx, fxy), (fyx, fyy)) of an expression in x, y."""
    fx, fy = derivative(expr, x), derivative(expr, y)
    # The mixed partials agree (Schwarz), so fyx is fxy: the Hessian is the costliest part.
    fxy = derivative(fx, y)
    return (fx, fy), ((derivative(fx, x), fxy), (fxy, derivative(fy, y)))


def derivative(expr: sp.Expr, symbol: sp.Symbol) -> sp.Expr:
    """d expr / d symbol by Sympy's own rule for each kind of node, for real x and y.

    Unlike sp.diff, each distinct subexpression is differentiated once and partial results are
    never asked whether they are zero (an assumption query that can cost more than the
    derivative itself): 5-10 times faster on long typed formulas. On the real plane
    |u|' = sign(u)·u' whatever u is, where sp.diff, unable to prove u real (abs(log(x))), leaves
    an unevaluated derivative that NumPy cannot compute.
    """
    done: dict[sp.Basic, sp.Expr] = {}

    def d(node: sp.Basic) -> sp.Expr:
        if node not in done:
            done[node] = _derivative_of_node(node, symbol, d)
        return done[node]

    return d(expr)


def _derivative_of_node(node: sp.Basic, symbol: sp.Symbol, d: Callable) -> sp.Expr:
    # `if d(part)` tests for the exact zero only (Sympy's 0 is falsy, every other expression is
    # truthy), as sp.diff's own product rule does.
    if node.is_Atom:
        return sp.S.One if node == symbol else sp.S.Zero
    if node.is_Add:
        return sp.Add(*map(d, node.args))
    if node.is_Mul:
        factors = node.args
        return sp.Add(
            *(
                sp.Mul(*factors[:i], d(factor), *factors[i + 1 :])
                for i, factor in enumerate(factors)
                if d(factor)
            )
        )
    if node.is_Pow:
        base, exponent = node.args
        growth = d(base) * exponent / base
        if d(exponent):
            growth += d(exponent) * sp.log(base)
        return node * growth
    if isinstance(node, sp.Abs):
        return sp.sign(node.args[0]) * d(node.args[0])
    if isinstance(node, sp.sign):
        # A Dirac delta: 0 everywhere but on a set of measure zero, which is all a sampled
        # surface can see (and NumPy could not evaluate it).
        return sp.S.Zero
    if (
        isinstance(node, sp.Function)
        and type(node)._eval_derivative is sp.Function._eval_derivative
    ):
        # The chain rule through fdiff, as sp.diff applies it to sin, exp, log, ... too.
        return sp.Add(
            *(node.fdiff(i) * d(argument) for i, argument in enumerate(node.args, 1) if d(argument))
        )
    return sp.diff(node, symbol).replace(sp.DiracDelta, lambda *args: sp.S.Zero)


def _columns(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not (isinstance(points, np.ndarray) and points.dtype == float):
        points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {points.shape}")
    return points[:, 0], points[:, 1]
