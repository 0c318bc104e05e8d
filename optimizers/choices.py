"""The values a slider offers: nice log-spaced learning rates, decay rates that reach 0.9999.

Every choice list is fixed for a hyperparameter, so a value in a shared link stays a valid choice.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from optimizers.spec import Hyper

# Twelve steps per decade: fine enough for the values the lessons quote (0.06, 0.9), coarse
# enough that the slider moves through five decades without a fiddly drag.
_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0)
# Decay rates live near 1: past 0.99 what matters is 1 - value, so the tail is spaced by tenths.
_COARSE_MANTISSAS = (1.0, 3.0)  # for ranges over many decades, such as ε
_MAX_FINE_DECADES = 6
_DECAY_TAIL = (0.995, 0.998, 0.999, 0.9995, 0.9999)
_LINEAR_STEPS = 100


def log_grid(low: float, high: float) -> tuple[float, ...]:
    """Round values m·10^k between low and high, both included."""
    values = {low, high}
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    mantissas = _MANTISSAS if last - first <= _MAX_FINE_DECADES else _COARSE_MANTISSAS
    for exponent in range(first, last + 1):
        for mantissa in mantissas:
            value = float(f"{mantissa}e{exponent}")
            if low <= value <= high:
                values.add(value)
    return tuple(sorted(values))


@functools.cache
def hyper_choices(hyper: Hyper) -> tuple[float, ...]:
    """What the slider of `hyper` offers; always includes its default, low and high."""
    if hyper.whole:
        return tuple(range(int(hyper.low), int(hyper.high) + 1))
    if hyper.log:
        values = set(log_grid(hyper.low, hyper.high))
    elif hyper.low >= 0 and hyper.high < 1:
        linear = np.round(np.arange(hyper.low, min(hyper.high, 0.99) + 1e-9, 0.01), 2)
        values = {*linear.tolist(), *(v for v in _DECAY_TAIL if v <= hyper.high), hyper.high}
    else:
        step = _nice_step((hyper.high - hyper.low) / _LINEAR_STEPS)
        count = round((hyper.high - hyper.low) / step)
        values = set(np.round(hyper.low + step * np.arange(count + 1), 10).tolist())
    return tuple(sorted(values | {float(hyper.default), float(hyper.low), float(hyper.high)}))


def nearest_choice(choices: tuple[float, ...], value: float) -> float:
    """The choice closest to value, on a log scale when every choice is positive."""
    options = np.array(choices)
    if options[0] > 0 and value > 0:
        return choices[int(np.argmin(np.abs(np.log(options) - math.log(value))))]
    return choices[int(np.argmin(np.abs(options - value)))]


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 5 × 10^k that is at least raw."""
    exponent = math.floor(math.log10(raw))
    return next(m * 10.0**exponent for m in (1, 2, 5, 10) if m * 10.0**exponent >= raw - 1e-12)
