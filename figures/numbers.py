"""The numbers figures send: animation frames subsampled, values rounded for a small payload, and
the floor a log axis draws 0 at."""

from __future__ import annotations

import math

import numpy as np

# An animation longer than this many frames gains nothing visible and costs bytes and browser time.
MAX_FRAMES = 101
SIGNIFICANT_DIGITS = 4
# Log axes cannot show 0: a run that hits a minimum exactly (Newton on a quadratic) is drawn here.
LOG_FLOOR = 1e-12


def frame_steps(steps: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """Steps shown as animation frames: every step if there are at most `max_frames`, otherwise every
    k-th step with k = ceil(steps / (max_frames - 1)), and always the last step."""
    stride = max(1, math.ceil(steps / max(max_frames - 1, 1)))
    shown = np.arange(0, steps + 1, stride)
    return shown if shown[-1] == steps else np.append(shown, steps)


def rounded(values, digits: int = SIGNIFICANT_DIGITS) -> list:
    """Values as a (nested) list with `digits` significant digits and None for NaN/inf, short in
    the JSON (1.234, never 1.2340000000000002)."""
    array = np.asarray(values, dtype=float)
    finite = np.isfinite(array)
    nonzero = finite & (array != 0)
    magnitude = np.floor(np.log10(np.abs(array), out=np.zeros_like(array), where=nonzero))
    result, exact = _round_to_decimals(array, digits - 1 - magnitude.astype(int))
    # Beyond 10^±22 (rare: a loss near 0 or a run flying off) through the decimal string.
    for index in zip(*np.nonzero(~exact & finite), strict=True):
        result[index] = float(f"{array[index]:.{digits}g}")
    return _listed(result, finite)


def rounded_to(values, resolution: float) -> list:
    """Values rounded to a multiple of 10^k just below `resolution` (e.g. coordinates to 1/10⁴ of
    the domain), None for NaN/inf."""
    decimals = max(0, -math.floor(math.log10(resolution)))
    array = np.asarray(values, dtype=float).ravel()
    # Not exact only where |value| > 2^52 / 10^decimals: such a value has no decimals to round.
    result, _ = _round_to_decimals(array, np.full(array.shape, decimals))
    return _listed(result, np.isfinite(array))


# 10^k is exact in binary for |k| ≤ 22: then m / 10^k (or m · 10^k) is correctly rounded, so the
# result is the double nearest to the decimal, which Python and JSON print in its short form.
_EXACT_POWER = 22
_EXACT_INTEGER = 2.0**52


def _round_to_decimals(array: np.ndarray, decimals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value rounded to its own number of decimals (negative: to tens, hundreds, …),
    vectorised, and where that was exact; a value whose rounding would not be is left as it is."""
    power = 10.0 ** np.minimum(np.abs(decimals), _EXACT_POWER)
    fine = decimals >= 0
    with np.errstate(all="ignore"):
        scaled = np.where(fine, array * power, array / power)
        whole = np.rint(scaled)
        result = np.where(fine, whole / power, whole * power)
    exact = (np.abs(decimals) <= _EXACT_POWER) & (np.abs(scaled) < _EXACT_INTEGER)
    return np.where(exact, result, array), exact


def _listed(array: np.ndarray, finite: np.ndarray) -> list:
    """array.tolist() with None where a value is not finite (JSON has no NaN or inf)."""
    if finite.all():
        return array.tolist()
    shown = array.astype(object)
    shown[~finite] = None
    return shown.tolist()
