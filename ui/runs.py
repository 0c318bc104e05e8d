"""Running optimizers for a page, cached by plain arguments so a rerun that changes nothing is free.

The surface travels as a SurfaceChoice (names and numbers), never as the compiled object, so the
cache key is cheap to hash and the same for every session that picks the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import optimizers
from analysis.summary import RunSummary, summarise
from optimizers import Schedule, Trajectories
from ui.controls import RunSettings, SurfaceChoice

# Each entry is one trajectory of at most 1000 steps (~50 KB); 512 of them stay under 30 MB.
_CACHE_ENTRIES = 512


@dataclass(frozen=True)
class Outcome:
    run: Trajectories
    summary: RunSummary


def run_one(
    choice: SurfaceChoice,
    key: str,
    hyperparams: dict[str, float],
    start: tuple[float, float],
    settings: RunSettings,
    schedule: Schedule,
) -> Outcome:
    """One optimizer from one start point, with the page's steps, noise, seed and schedule."""
    return _simulate(
        choice,
        key,
        tuple(sorted(hyperparams.items())),
        (float(start[0]), float(start[1])),
        settings,
        schedule,
    )


@st.cache_data(max_entries=_CACHE_ENTRIES, show_spinner=False)
def _simulate(choice, key, hyperparams, start, settings, schedule) -> Outcome:
    surface = choice.load()
    run = optimizers.simulate(
        surface,
        key,
        dict(hyperparams),
        [start],
        settings.steps,
        noise=settings.noise,
        seed=settings.seed,
        schedule=schedule,
    )
    return Outcome(run, summarise(run, surface, tolerance_for(surface)))


def tolerance_for(surface) -> float:
    """Distance to a minimum that counts as "reached": 0.1 % of the map's width."""
    (xmin, xmax), (ymin, ymax) = surface.domain
    return 1e-3 * max(xmax - xmin, ymax - ymin)
