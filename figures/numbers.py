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
    """Values as a (nested) list with `digits` significant digits and None for NaN/inf: rounding
    through the decimal string keeps the JSON short (1.234, never 1.2340000000000002)."""
    array = np.asarray(values, dtype=float)
    flat = [float(f"{v:.{digits}g}") if math.isfinite(v) else None for v in array.ravel().tolist()]
    if array.ndim <= 1:
        return flat
    return np.array(flat, dtype=object).reshape(array.shape).tolist()


def rounded_to(values, resolution: float) -> list:
    """Values rounded to a multiple of 10^k just below `resolution` (e.g. coordinates to 1/10⁴ of
    the domain), None for NaN/inf."""
    decimals = max(0, -math.floor(math.log10(resolution)))
    array = np.asarray(values, dtype=float)
    return [round(v, decimals) if math.isfinite(v) else None for v in array.ravel().tolist()]
