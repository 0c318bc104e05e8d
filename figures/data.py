"""The small numeric helpers the figure builders share:
frame subsampling, the height transform for surfaces with a huge range, rounding for a small payload."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from landscapes import Surface

# An animation longer than this many frames gains nothing visible and costs bytes and browser time.
MAX_FRAMES = 101
SIGNIFICANT_DIGITS = 4
# A surface whose range exceeds this many times its median height (above the minimum) hides its
# valleys under a linear colour scale: Rosenbrock (~17) and Beale (~430) do, the bowls (~3),
# Himmelblau (~8) and the double well (~9) do not.
LOG_HEIGHT_RATIO = 12.0
# On a log-scaled surface the drawn height spans this many decades of f above its minimum.
LOG_DECADES = 4


def frame_steps(steps: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """Steps shown as animation frames: every step if there are at most `max_frames`, otherwise every
    k-th step with k = ceil(steps / (max_frames - 1)), and always the last step."""
    stride = max(1, math.ceil(steps / max(max_frames - 1, 1)))
    shown = np.arange(0, steps + 1, stride)
    return shown if shown[-1] == steps else np.append(shown, steps)


@dataclass(frozen=True)
class HeightScale:
    """How f is turned into drawn height and colour: unchanged, or a signed log1p of the height
    above `floor` in units of `unit` when the surface's range would flatten its valleys."""

    floor: float
    unit: float  # 0 for linear

    @property
    def is_log(self) -> bool:
        return self.unit > 0

    def __call__(self, f: np.ndarray) -> np.ndarray:
        f = np.asarray(f, dtype=float)
        if not self.is_log:
            return f
        above = (f - self.floor) / self.unit
        # Signed, so the transform stays monotone for values below the floor (a run that leaves
        # the plotted domain on a surface unbounded below).
        return np.sign(above) * np.log1p(np.abs(above))

    def ticks(self, top: float) -> tuple[list[float], list[str]]:
        """Colour-bar ticks at round values of f (in drawn height), for the log scale."""
        values = [self.floor]
        decade = 10.0 ** math.ceil(math.log10(self.unit))
        while decade <= top - self.floor:
            values.append(self.floor + decade)
            decade *= 10
        return rounded(self(np.array(values))), [_tick_label(v) for v in values]


def _tick_label(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1 else f"{value:.3g}"


def height_scale(surface: Surface, f_grid: np.ndarray) -> HeightScale:
    finite = f_grid[np.isfinite(f_grid)]
    floor = float(finite.min())
    if surface.minima:
        floor = min(floor, float(np.nanmin(surface.minimum_values)))
    spread = float(finite.max()) - floor
    typical = float(np.median(finite)) - floor
    if spread > 0 and spread > LOG_HEIGHT_RATIO * typical:
        return HeightScale(floor, spread / 10.0**LOG_DECADES)
    return HeightScale(floor, 0.0)


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
