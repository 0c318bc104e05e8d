"""The one list of optimizers that sliders, docs, the LaTeX panel and the simulator all read."""

from __future__ import annotations

from optimizers.rules import SPECS
from optimizers.spec import OptimizerSpec

_BY_KEY = {spec.key: spec for spec in SPECS}


def names() -> list[str]:
    return list(_BY_KEY)


def get(key: str) -> OptimizerSpec:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown optimizer {key!r}; known: {', '.join(_BY_KEY)}") from None
