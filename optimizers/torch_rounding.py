"""torch's CPU arithmetic, rounded the way torch rounds it, for the rules whose branches a
one-ulp difference can flip (a line search's tests, bfloat16's coarse grid).

NumPy has no fused multiply-add and Python 3.11 has no math.fma, so it is built from error-free
transforms: every step below is exact or its rounding error is kept, and the result is rounded
once at the end.
"""

from __future__ import annotations

import numpy as np

# Veltkamp's constant 2^27 + 1 splits a float64 into two halves of 26 bits whose products are exact.
_SPLITTER = 134217729.0


def fused_multiply_add(a, x, y) -> np.ndarray:
    """a·x + y rounded once, as torch's CPU `y.add_(x, alpha=a)` and `lerp` compute it (one
    FMA instruction): Dekker's two-product gives a·x = p + e exactly, Knuth's two-sum gives
    p + y = s + t exactly, and s + (t + e) rounds the exact sum."""
    a, x, y = np.asarray(a, dtype=float), np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    product = a * x
    a_high, a_low = _split(a)
    x_high, x_low = _split(x)
    product_error = ((a_high * x_high - product) + a_high * x_low + a_low * x_high) + a_low * x_low
    total = product + y
    back = total - product
    sum_error = (product - (total - back)) + (y - back)
    fused = total + (sum_error + product_error)
    # Where a·x overflows or a term is not finite there is no error to recover.
    return np.where(np.isfinite(fused), fused, product + y)


def _split(value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scaled = _SPLITTER * value
    high = scaled - (scaled - value)
    return high, value - high


def lerp(start, end, weight: float) -> np.ndarray:
    """torch.lerp(start, end, weight) on the CPU: one FMA from the nearer end."""
    if abs(weight) < 0.5:
        return fused_multiply_add(weight, end - start, start)
    return fused_multiply_add(weight - 1.0, end - start, end)


def to_bfloat16(value) -> np.ndarray:
    """Round to bfloat16 (kept in float64) the way torch converts: a float64 becomes a float32
    first, then the nearest bfloat16, ties to even."""
    single = np.asarray(value, dtype=np.float64).astype(np.float32)
    bits = single.view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    result = rounded.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(single), single, result).astype(np.float64)


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise a·b of (n, d) arrays, summed left to right and rounded after every operation, as
    torch's dot sums vectors this short (no fused multiply-add)."""
    total = a[:, 0] * b[:, 0]
    for column in range(1, a.shape[1]):
        total = total + a[:, column] * b[:, column]
    return total
