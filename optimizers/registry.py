"""The one list of optimizers that every page, the docs, the LaTeX panel and the simulator read.

The built-in optimizers register themselves (optimizers/rules.py) exactly as any other would:

    optimizers.register(OptimizerSpec(key="sign", ...))

after which every page offers it.
"""

from __future__ import annotations

import dataclasses

from optimizers.spec import OptimizerSpec

# Colours for optimizers registered without one: colour-blind-safe hues (Paul Tol's vibrant and
# muted sets) that no built-in optimizer and no reference run (REFERENCE_COLORS) use.
SPARE_COLORS = ("#EE3377", "#0077BB", "#CC6677", "#33BBEE", "#117733", "#EE7733", "#AA4499")

# Runs that are not an optimizer of their own are drawn in these: a run that switches optimizer
# mid-way, a full-batch reference, the same optimizer again at another rate. No optimizer may
# take one, so a colour always says which optimizer drew a path.
REFERENCE_COLORS = ("#999933", "#44AA99", "#661100", "#6699CC", "#888888")

_BY_KEY: dict[str, OptimizerSpec] = {}


def register(spec: OptimizerSpec) -> OptimizerSpec:
    """Add `spec` to the registry (after the ones already there) and return it as registered:
    with a spare colour if it named none."""
    if spec.key in _BY_KEY:
        raise ValueError(f"an optimizer {spec.key!r} is registered already")
    used = {other.color for other in _BY_KEY.values()}
    if spec.color is None:
        free = [color for color in SPARE_COLORS if color not in used]
        if not free:
            raise ValueError(f"no spare colour left for {spec.key!r}: give it a colour")
        spec = dataclasses.replace(spec, color=free[0])
    elif spec.color in used or spec.color in REFERENCE_COLORS:
        raise ValueError(f"{spec.key!r} would share its colour {spec.color} with another run")
    _BY_KEY[spec.key] = spec
    return spec


def unregister(key: str) -> None:
    """Remove optimizer `key` (a plug-in that is switched off, a test's toy optimizer)."""
    get(key)
    del _BY_KEY[key]


def names() -> list[str]:
    return list(_BY_KEY)


def get(key: str) -> OptimizerSpec:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown optimizer {key!r}; known: {', '.join(_BY_KEY)}") from None
