"""Presenter mode: a preset's runs as figure paths, restyled for a projector, and links that open
a preset on the Explore or Compare page with every setting in the query string."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import numpy as np
import plotly.graph_objects as go

import figures
from classroom.presets import PRESETS, Entry, Preset
from figures.style import OPTIMIZER_COLORS
from landscapes import Surface
from optimizers import Trajectories

FONT_SIZE = 24
# The 3D axes carry three sets of tick labels in a small box: full size would overlap.
SCENE_TICK_SIZE = 15
# Thin lines vanish on a washed-out projector; markers grow less, or they hide the paths.
LINE_SCALE = 1.8
MARKER_SCALE = 1.3
FIGURE_HEIGHT = 680


def color_keys(optimizer_keys: Sequence[str]) -> list[str]:
    """The key that decides each run's colour: its optimizer's, unless an earlier run already has
    that optimizer (e.g. GD at three learning rates), then an unused palette colour."""
    spare = [key for key in OPTIMIZER_COLORS if key not in optimizer_keys]
    used: set[str] = set()
    keys = []
    for key in optimizer_keys:
        chosen = key if key not in used else spare.pop(0)
        used.add(chosen)
        keys.append(chosen)
    return keys


def preset_paths(
    preset: Preset, results: list[tuple[Entry, Trajectories]], surface: Surface
) -> list[figures.Path]:
    return [
        figures.path_from_run(color_key, entry.title, run, surface)
        for color_key, (entry, run) in zip(
            color_keys([e.optimizer for e in preset.entries]), results, strict=True
        )
    ]


def projector_style(fig: go.Figure) -> go.Figure:
    """Large type, thick lines and a big Play button, in place; returns fig."""
    fig.update_layout(
        font={"size": FONT_SIZE},
        # Above the plots: with large type, a legend below would cover the step slider.
        legend={"font": {"size": FONT_SIZE}, "y": 1.0, "yanchor": "bottom"},
        hoverlabel={"font": {"size": FONT_SIZE}},
        margin={"t": 110},
    )
    fig.update_xaxes(tickfont_size=SCENE_TICK_SIZE + 3, title_font_size=FONT_SIZE)
    fig.update_yaxes(tickfont_size=SCENE_TICK_SIZE + 3, title_font_size=FONT_SIZE)
    fig.update_scenes(
        xaxis_tickfont_size=SCENE_TICK_SIZE,
        yaxis_tickfont_size=SCENE_TICK_SIZE,
        zaxis_tickfont_size=SCENE_TICK_SIZE,
    )
    for menu in fig.layout.updatemenus:
        menu.font = {"size": FONT_SIZE + 4}
        menu.pad = {"t": 10, "r": 20}
    for slider in fig.layout.sliders:
        slider.currentvalue = {
            "prefix": "step ",
            "font": {"size": FONT_SIZE + 4, "color": "#111"},
        }
        slider.pad = {"t": 40}
    for trace in fig.data:
        if trace.type in ("scatter", "scatter3d"):
            if trace.line is not None and trace.line.width is not None:
                trace.line.width = trace.line.width * LINE_SCALE
            size = trace.marker.size if trace.marker is not None else None
            if size is not None:
                trace.marker.size = (np.asarray(size) * MARKER_SCALE).tolist()
    return fig


def link_target(preset: Preset) -> tuple[str, dict[str, str]]:
    """(page url path, query parameters) that reproduce the preset on the Explore or Compare page.

    Compare shows several optimizers but one noise level and one set of settings per optimizer;
    a preset that needs more (one optimizer at three learning rates, noisy next to noiseless)
    opens its first, featured entry in Explore instead.
    """
    start_x, start_y = preset.start_point()
    query: dict[str, str] = {
        "surface": preset.surface,
        "start_x": _number(start_x),
        "start_y": _number(start_y),
        "steps": str(preset.steps),
    }
    if preset.schedule is not None:
        query |= {"schedule": preset.schedule.kind, "t_max": str(preset.schedule.t_max)}
    keys = [entry.optimizer for entry in preset.entries]
    noises = {entry.noise for entry in preset.entries}
    if len(preset.entries) > 1 and len(set(keys)) == len(keys) and len(noises) == 1:
        query["optimizers"] = ",".join(keys)
        for entry in preset.entries:
            query |= {f"{entry.optimizer}.{k}": _number(v) for k, v in entry.hyperparams}
        page = "compare"
    else:
        featured = preset.entries[0]
        query["optimizer"] = featured.optimizer
        query |= {k: _number(v) for k, v in featured.hyperparams}
        page = "explore"
    noise = preset.entries[0].noise
    if noise:
        query |= {"noise": _number(noise), "seed": str(preset.seed)}
    return page, query


def link_url(preset: Preset) -> str:
    """A relative link ("compare?surface=…"): it resolves against the app's own address."""
    page, query = link_target(preset)
    return f"{page}?{urlencode(query)}"


def _number(value: float) -> str:
    return f"{value:.10g}"


def demo_preset(optimizer_key: str) -> Preset:
    """The scenario that shows an optimizer best: one it leads, else one it takes part in."""
    featured = [p for p in PRESETS if p.entries[0].optimizer == optimizer_key]
    taking_part = [p for p in PRESETS if any(e.optimizer == optimizer_key for e in p.entries)]
    if not (featured or taking_part):
        raise KeyError(f"no preset shows {optimizer_key!r}")
    return (featured or taking_part)[0]


def presenter_query(query: dict[str, str]) -> dict[str, str]:
    """What the Present page keeps of a `?present=1` link: the scenario, if one is named."""
    return {"preset": query["preset"]} if "preset" in query else {}


def present_url(preset: Preset) -> str:
    return f"present?{urlencode({'preset': preset.key})}"
