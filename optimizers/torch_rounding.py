"""torch's CPU arithmetic, rounded the way torch rounds it, for the rules whose branches a
one-ulp difference can flip (a line search's tests, bfloat16's coarse grid).

NumPy has no fused multiply-add and Python 3.11 has no math.fma, so it is built from error-free
transforms: every step below is exact or its rounding error is kept, and the result is rounded
once at the end.
"""

from __future__ import annotations

import math

import numpy as np

# Veltkamp's constant 2^27 + 1 splits a float64 into two halves of 26 bits whose products are exact.
_SPLITTER = 134217729.0


def fused_multiply_add(a, x, y) -> np.ndarray:
    """a·x + y rounded once, as torch's CPU `y.add_(x, alpha=a)` and `lerp` compute it (one
    FMA instruction), elementwise over the broadcast arrays."""
    a, x, y = (np.asarray(value, dtype=float) for value in (a, x, y))
    shape = np.broadcast_shapes(a.shape, x.shape, y.shape)
    if math.prod(shape) <= _SCALAR_LIMIT:
        # A few numbers (one point's two parameters): Python floats take a fraction of the time
        # of two dozen NumPy calls on tiny arrays, with the same arithmetic.
        zeros = np.zeros(shape)
        pairs = map(_fused, *((value + zeros).ravel().tolist() for value in (a, x, y)))
        return np.array([f if math.isfinite(f) else p for f, p in pairs]).reshape(shape)
    fused, plain = _fused(a, x, y)
    return np.where(np.isfinite(fused), fused, plain)


_SCALAR_LIMIT = 8


def _fused(a, x, y):
    """(a·x + y rounded once, a·x + y rounded twice) for floats or arrays: Dekker's two-product
    gives a·x = p + e exactly, Knuth's two-sum gives p + y = s + t exactly, and s + (t + e)
    rounds the exact sum. Where a·x overflows or a term is not finite there is no error to
    recover, and the twice-rounded sum is the answer."""
    product = a * x
    a_high, a_low = _split(a)
    x_high, x_low = _split(x)
    product_error = ((a_high * x_high - product) + a_high * x_low + a_low * x_high) + a_low * x_low
    total = product + y
    back = total - product
    sum_error = (product - (total - back)) + (y - back)
    return total + (sum_error + product_error), total


def _split(value):
    """Veltkamp's split: value = high + low exactly, each half short enough that products of
    halves are exact."""
    scaled = _SPLITTER * value
    high = scaled - (scaled - value)
    return high, value - high


def lerp(start, end, weight: float) -> np.ndarray:
    """torch.lerp(start, end, weight) on the CPU: one FMA from the nearer end."""
    if abs(weight) < 0.5:
        return fused_multiply_add(weight, end - start, start)
    return fused_multiply_add(weight - 1.0, end - start, end)


def to_bfloat16(value) -> np.ndarray:
    """Round to bfloat16 (kept in float32) the way torch converts: a float64 becomes a float32
    first, then the nearest bfloat16, ties to even."""
    return bfloat16_of_single(np.asarray(value, dtype=np.float64).astype(np.float32))


_HALF_ULP = np.uint32(0x7FFF)
_LOW_BIT = np.uint32(1)
_SIXTEEN = np.uint32(16)
_HIGH_HALF = np.uint32(0xFFFF0000)


def bfloat16_of_single(single: np.ndarray) -> np.ndarray:
    """float32 values rounded to the nearest bfloat16 (its top 16 bits), ties to even, as
    float32; NaN stays NaN (rounding its bits could turn it into an infinity)."""
    bits = single.view(np.uint32)
    rounded = ((bits + (_HALF_ULP + ((bits >> _SIXTEEN) & _LOW_BIT))) & _HIGH_HALF).view(np.float32)
    return np.where(single == single, rounded, single)


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise a·b of (n, d) arrays, each product rounded before it is summed (no fused
    multiply-add), as torch's dot does: for two parameters a₀b₀ + a₁b₁ exactly as torch. NumPy
    sums a short row left to right and a long one pairwise, BLAS in its own order: for a
    network's hundreds of weights the last bits may differ from torch's."""
    return (a * b).sum(axis=1)
