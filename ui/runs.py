"""Running optimizers for a page and drawing them, cached by plain arguments.

The surface travels as a SurfaceChoice (names and numbers), never as the compiled object, so cache
keys are cheap to hash and the same for every session that picks the same settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

import figures
import optimizers
import texts
from analysis.outcome import Outcome, summarise
from analysis.switching import SWITCH_COLOR, Switch, switched_run
from figures.trajectory import add_switch_marker
from landscapes import Surface
from optimizers import Schedule
from texts import tr
from ui.chart import SerialisedFigure
from ui.controls import RunSettings, SurfaceChoice

# One trajectory of at most 1000 steps is ~50 KB; 512 of them stay under 30 MB.
_RUN_CACHE_ENTRIES = 512
# A built figure holds 1 MB (one optimizer, 300 steps) to 13 MB (all nine, 1000 steps) of Python
# objects: 16 cover a few sessions going back and forth and cap memory near 200 MB.
_FIGURE_CACHE_ENTRIES = 16


@dataclass(frozen=True)
class Scene:
    """Everything that decides what a page draws, as plain hashable values.

    `optimizers` pairs each optimizer key with its hyperparameters as sorted (name, value) items.
    """

    choice: SurfaceChoice
    optimizers: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    start: tuple[float, float]
    settings: RunSettings
    schedule: Schedule
    switch: Switch | None = None

    @classmethod
    def of(
        cls,
        choice: SurfaceChoice,
        hyperparams: Mapping[str, Mapping[str, float]],
        start,
        settings: RunSettings,
        schedule: Schedule,
        switch: Switch | None = None,
    ) -> Scene:
        """`hyperparams` maps each optimizer key to its values, in the order to draw them.

        A `switch` adds one more run, keyed `switch.key`, made of two of those optimizers.
        """
        return cls(
            choice,
            tuple((key, tuple(sorted(values.items()))) for key, values in hyperparams.items()),
            (float(start[0]), float(start[1])),
            settings,
            schedule,
            switch,
        )

    def outcomes(self) -> dict[str, Outcome]:
        outcomes = {
            key: _simulate(self.choice, key, values, self.start, self.settings, self.schedule)
            for key, values in self.optimizers
        }
        if self.switch is not None:
            both = tuple(
                (key, values)
                for key, values in self.optimizers
                if key in (self.switch.first, self.switch.second)
            )
            outcomes[self.switch.key] = _simulate(
                self.choice, self.switch, both, self.start, self.settings, self.schedule
            )
        return outcomes

    def title(self, key: str) -> str:
        """What the legend and tables call run `key`."""
        if self.switch is not None and key == self.switch.key:
            return self.switch.title
        return tr(optimizers.get(key).title)

    def color(self, key: str) -> str:
        """The colour of run `key` in every chart and export."""
        if self.switch is not None and key == self.switch.key:
            return SWITCH_COLOR
        return optimizers.get(key).color

    def tracks(self, surface: Surface) -> list[figures.Track]:
        return [
            figures.Track.of(outcome.run, self.title(key), self.color(key), surface)
            for key, outcome in self.outcomes().items()
        ]


def run_one(
    choice: SurfaceChoice,
    key: str,
    hyperparams: Mapping[str, float],
    start,
    settings: RunSettings,
    schedule: Schedule,
) -> Outcome:
    """One optimizer from one start point, with the page's steps, noise, seed and schedule."""
    return Scene.of(choice, {key: hyperparams}, start, settings, schedule).outcomes()[key]


@st.cache_data(max_entries=_RUN_CACHE_ENTRIES, show_spinner=False)
def _simulate(choice, run: str | Switch, hyperparams, start, settings, schedule) -> Outcome:
    """`run` is an optimizer key with `hyperparams` its sorted (name, value) items, or a Switch
    with `hyperparams` the (key, items) of its two optimizers."""
    surface = choice.load()
    common = {"noise": settings.noise, "seed": settings.seed, "schedule": schedule}
    if isinstance(run, Switch):
        by_key = {key: dict(values) for key, values in hyperparams}
        trajectories = switched_run(surface, run, by_key, [start], settings.steps, **common)
    else:
        trajectories = optimizers.simulate(
            surface, run, dict(hyperparams), [start], settings.steps, **common
        )
    return summarise(trajectories, surface)


FIGURES = {
    "trajectory": lambda surface, paths: figures.trajectory_figure(surface, paths),
    "small_multiples": figures.small_multiples,
    "loss": lambda surface, paths: figures.loss_chart(paths, surface=surface),
    "loss_by_evaluations": lambda surface, paths: figures.loss_chart(
        paths, surface=surface, against="evaluations"
    ),
    "distance": figures.distance_chart,
}


# cache_resource hands every session the same object without a copy. Building a figure costs
# far more than the simulation behind it, and serialising it more than the rest of a rerun:
# both are done once per scene.
def figure(scene: Scene, kind: str) -> SerialisedFigure:
    """The figure `kind` (a key of FIGURES) of a scene, as the browser receives it, in the
    run's language."""
    return _figure(scene, kind, texts.language())


# The language is part of the key: a figure's titles, legend and hover texts are in it.
@st.cache_resource(max_entries=_FIGURE_CACHE_ENTRIES, show_spinner=False)
def _figure(scene: Scene, kind: str, language: str) -> SerialisedFigure:
    surface = scene.choice.load()
    fig = FIGURES[kind](surface, scene.tracks(surface))
    if kind == "trajectory" and scene.switch is not None:
        path = scene.outcomes()[scene.switch.key].run.points[:, 0]
        add_switch_marker(
            fig,
            surface,
            tuple(path[scene.switch.step]),
            tr("switch at step {step}", step=scene.switch.step),
        )
    return SerialisedFigure.of(fig)
