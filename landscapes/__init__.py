"""What is minimised: built-in surfaces and safely parsed user formulas, compiled to NumPy."""

from __future__ import annotations

import dataclasses
import functools
import itertools

import numpy as np
import sympy as sp

from landscapes.budget import OverBudget, run_within_cpu_time
from landscapes.catalogue import build, catalogue_names
from landscapes.minima import locate_minima
from landscapes.network import NetworkError, network_problem
from landscapes.parser import ExpressionError, allowed_vocabulary, parse_expression
from landscapes.surface import Domain, Surface, derivatives, x, y
from texts import tr, translatable

__all__ = [
    "DEFAULT_DOMAIN",
    "MAX_DOMAIN_EXTENT",
    "MIN_DOMAIN_WIDTH",
    "ExpressionError",
    "NetworkError",
    "Surface",
    "allowed_vocabulary",
    "from_expression",
    "get",
    "locate_minima",
    "names",
    "network_problem",
    "x",
    "y",
]

DEFAULT_DOMAIN: Domain = ((-3.0, 3.0), (-3.0, 3.0))
MAX_DOMAIN_EXTENT = 1e4
# Coordinates are typed and shown to 0.001 (start inputs, hover, results line): a narrower range
# would label every tick alike, and ranges near float resolution break Plotly's axis scaling
# (x from 0 to 5e-324 drew a blank chart).
MIN_DOMAIN_WIDTH = 0.01
# Compiling a formula, and printing it in the maths panel, take time in proportion to the length
# of its second derivatives, which grow like the cube of the number of factors in a product. The
# standard test functions need at most 1,455 parts (cross-in-tray).
MAX_SECOND_DERIVATIVE_PARTS = 5000
# For everything a typed formula sets off, from parsing to the minima. Within the limits above
# the slowest formulas take about half of it (tests/test_parser.py builds them); only Sympy's
# automatic simplification, which no limit on the text can bound, runs away past it.
FORMULA_CPU_SECONDS = 1.0
_CHECK_RESOLUTION = 41


def names() -> list[str]:
    return catalogue_names()


@functools.cache
def get(name: str) -> Surface:
    if name not in catalogue_names():
        raise KeyError(f"unknown surface {name!r}; known: {', '.join(catalogue_names())}")
    return build(name)


def from_expression(text: str, domain: Domain | None = None) -> Surface:
    """A surface from a user-typed formula; raises ExpressionError with a student-facing message."""
    domain = _checked_domain(DEFAULT_DOMAIN if domain is None else domain)
    return _compile_expression(text, domain)


# Bounded: every distinct formula a user types compiles once, and memory stays capped.
@functools.lru_cache(maxsize=64)
def _compile_expression(text: str, domain: Domain) -> Surface:
    try:
        return run_within_cpu_time(FORMULA_CPU_SECONDS, lambda: _surface_from(text, domain))
    except OverBudget:
        raise ExpressionError(
            tr(
                "Sympy needs more than {seconds:g} s to work with this formula: try a simpler one "
                "(square roots, logs, abs or divisions inside tanh, sinh, cosh or abs are the "
                "usual cause).",
                seconds=FORMULA_CPU_SECONDS,
            )
        ) from None


def _surface_from(text: str, domain: Domain) -> Surface:
    expr = parse_expression(text)
    _check_second_derivatives_are_short(expr)
    surface = Surface(
        name="custom",
        title=f"f(x, y) = {text.strip()}",
        expr=expr,
        domain=domain,
        start=_default_start(domain),
        lesson=translatable("Your own surface: try several optimizers and start points on it."),
    )
    _check_defined_on_domain(surface)
    return dataclasses.replace(surface, minima=locate_minima(surface))


def _checked_domain(domain) -> Domain:
    try:
        (xmin, xmax), (ymin, ymax) = ((float(a), float(b)) for a, b in domain)
    except (TypeError, ValueError):
        raise ExpressionError(
            tr("The domain must be two ranges: (x min, x max), (y min, y max).")
        ) from None
    bounds = (xmin, xmax, ymin, ymax)
    if not all(np.isfinite(bounds)) or max(map(abs, bounds)) > MAX_DOMAIN_EXTENT:
        raise ExpressionError(
            tr("The domain must be finite, within ±{limit:g}.", limit=MAX_DOMAIN_EXTENT)
        )
    if xmin >= xmax or ymin >= ymax:
        raise ExpressionError(tr("The domain is empty: each minimum must be below its maximum."))
    if min(xmax - xmin, ymax - ymin) < MIN_DOMAIN_WIDTH:
        raise ExpressionError(
            tr(
                "The domain is too narrow to draw: each range must be at least {width:g} wide "
                "(coordinates are shown to 0.001).",
                width=MIN_DOMAIN_WIDTH,
            )
        )
    return (xmin, xmax), (ymin, ymax)


def _default_start(domain: Domain) -> tuple[float, float]:
    (xmin, xmax), (ymin, ymax) = domain
    return xmin + 0.2 * (xmax - xmin), ymin + 0.8 * (ymax - ymin)


def _check_second_derivatives_are_short(expr: sp.Expr) -> None:
    _, ((fxx, fxy), (_, fyy)) = derivatives(expr)
    parts = itertools.chain.from_iterable(map(sp.preorder_traversal, (fxx, fxy, fyy)))
    # Counting stops past the limit: a refused formula's derivatives may be far longer.
    counted = sum(1 for _ in itertools.islice(parts, MAX_SECOND_DERIVATIVE_PARTS + 1))
    if counted > MAX_SECOND_DERIVATIVE_PARTS:
        raise ExpressionError(
            tr(
                "The formula's second derivatives are too long to compile quickly (over {limit} "
                "parts): products of many factors make them grow fast. Try fewer factors or a "
                "shorter formula.",
                limit=MAX_SECOND_DERIVATIVE_PARTS,
            )
        )


def _check_defined_on_domain(surface: Surface) -> None:
    xs, ys, z = surface.grid(_CHECK_RESOLUTION)
    bad = ~np.isfinite(z)
    if bad.any():
        j, i = np.argwhere(bad)[0]
        raise ExpressionError(
            tr(
                "The formula is not defined everywhere on the domain, e.g. at "
                "(x={x:.3g}, y={y:.3g}) it is {value}. Choose another domain or formula.",
                x=xs[i],
                y=ys[j],
                value=z[j, i],
            )
        )
    # Relative, not exact: sin(x)^2 + cos(x)^2 is constant but varies by rounding errors.
    if np.ptp(z) <= 1e-12 * max(1.0, np.abs(z).max()):
        raise ExpressionError(
            tr("The formula is constant on the domain: it must depend on x or y.")
        )
