"""Presenter mode: figures restyled for a projector, and links that open a scenario on the Explore
or Compare page with every setting in the query string."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import numpy as np

from classroom.scenarios import Scenario

FONT_SIZE = 24
# The 3D axes carry three sets of tick labels in a small box: full size would overlap.
SCENE_TICK_SIZE = 15
# Thin lines vanish on a washed-out projector; markers grow less, or they hide the paths.
LINE_SCALE = 1.8
MARKER_SCALE = 1.3
FIGURE_HEIGHT = 680
# On a phone (the figure's narrow form) the type is the app's usual size again.
PHONE_TYPE = {
    "font": {"size": 14},
    "legend": {"font": {"size": 13}},
    "xaxis": {"tickfont": {"size": 12}, "title": {"font": {"size": 14}}},
    "yaxis": {"tickfont": {"size": 12}, "title": {"font": {"size": 14}}},
}


def projector_style(figure: dict) -> dict:
    """A trajectory figure with large type, thick lines and a big Play button, as a new figure
    dict (the traces' own dicts are left as they are: parts of them come from cached views). A
    figure sized by its chart's width (figures.style.sized_by_width) fills the window below its
    top, so the whole figure with its Play button and step slider is on the projector without
    scrolling."""
    layout = dict(figure["layout"])
    for key in ("font", "hoverlabel"):
        layout[key] = _merged(
            layout.get(key), {"size": FONT_SIZE} if key == "font" else {"font": {"size": FONT_SIZE}}
        )
    layout["legend"] = _merged(layout.get("legend"), {"font": {"size": FONT_SIZE}})
    rule = (layout.get("meta") or {}).get("responsive")
    if rule is not None:
        rule = {key: value for key, value in rule.items() if key != "screenShare"}
        rule["fillWindow"] = True
        if "narrow" in rule:
            narrow = dict(rule["narrow"]["layout"])
            for key, value in PHONE_TYPE.items():
                narrow[key] = narrow.get(key, {}) | value
            rule["narrow"] = rule["narrow"] | {"layout": narrow}
        layout["meta"] = layout["meta"] | {"responsive": rule}
    for key in layout:
        if re.fullmatch(r"[xy]axis\d*", key):
            style = {
                "tickfont": {"size": SCENE_TICK_SIZE + 3},
                "title": {"font": {"size": FONT_SIZE}},
            }
            layout[key] = _merged(layout[key], style)
        elif re.fullmatch(r"scene\d*", key):
            ticks = {"tickfont": {"size": SCENE_TICK_SIZE}}
            layout[key] = _merged(
                layout[key], {axis: ticks for axis in ("xaxis", "yaxis", "zaxis")}
            )
    layout["updatemenus"] = [
        menu | {"font": {"size": FONT_SIZE + 4}, "pad": {"t": 10, "r": 20}}
        for menu in layout.get("updatemenus", [])
    ]
    layout["sliders"] = [
        slider
        | {
            # The figure's own prefix ("step ", in the page's language), in large type.
            "currentvalue": {
                "prefix": slider.get("currentvalue", {}).get("prefix", ""),
                "font": {"size": FONT_SIZE + 4, "color": "#111"},
            },
            "pad": {"t": 40},
        }
        for slider in layout.get("sliders", [])
    ]
    return figure | {"layout": layout, "data": [_thickened(trace) for trace in figure["data"]]}


def _merged(base: dict | None, patch: dict) -> dict:
    """base with patch merged in, nested dicts merged key by key, as Plotly's update_layout;
    neither is changed."""
    merged = dict(base or {})
    for key, value in patch.items():
        old = merged.get(key)
        merged[key] = (
            _merged(old, value) if isinstance(value, dict) and isinstance(old, dict) else value
        )
    return merged


def _thickened(trace: dict) -> dict:
    """A scatter trace's lines LINE_SCALE and its markers MARKER_SCALE times as large."""
    if trace.get("type") not in ("scatter", "scatter3d"):
        return trace
    thick = dict(trace)
    line, marker = trace.get("line"), trace.get("marker")
    if line and line.get("width") is not None:
        thick["line"] = line | {"width": line["width"] * LINE_SCALE}
    if marker and marker.get("size") is not None:
        thick["marker"] = marker | {"size": (np.asarray(marker["size"]) * MARKER_SCALE).tolist()}
    return thick


def link_target(scenario: Scenario) -> tuple[str, dict[str, str]]:
    """(page url path, query parameters) that reproduce the scenario on the Explore or Compare page.

    Compare shows several optimizers but one noise level and one set of settings per optimizer;
    a scenario that needs more (one optimizer at three learning rates, noisy next to noiseless)
    opens its first, featured entry in Explore instead.
    """
    start_x, start_y = scenario.start_point()
    query: dict[str, str] = {
        "surface": scenario.surface,
        "start_x": _number(start_x),
        "start_y": _number(start_y),
        "steps": str(scenario.steps),
    }
    if scenario.schedule is not None:
        query |= {"schedule": scenario.schedule.kind, "t_max": str(scenario.schedule.t_max)}
    keys = [entry.optimizer for entry in scenario.entries]
    noises = {entry.noise for entry in scenario.entries}
    if len(scenario.entries) > 1 and len(set(keys)) == len(keys) and len(noises) == 1:
        query["optimizers"] = ",".join(keys)
        for entry in scenario.entries:
            query |= {f"{entry.optimizer}.{k}": _number(v) for k, v in entry.hyperparams}
        page = "compare"
    else:
        featured = scenario.entries[0]
        query["optimizer"] = featured.optimizer
        query |= {k: _number(v) for k, v in featured.hyperparams}
        page = "explore"
    noise = scenario.entries[0].noise
    if noise:
        query |= {"noise": _number(noise), "seed": str(scenario.seed)}
    return page, query


def link_url(scenario: Scenario, language: str | None = None) -> str:
    """A relative link ("compare?surface=…"): it resolves against the app's own address; with
    `language` (a link's `lang`) the page opens in it, as Present was."""
    page, query = link_target(scenario)
    if language is not None:
        query["lang"] = language
    return f"{page}?{urlencode(query)}"


def _number(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:.10g}"


def presenter_query(query: dict[str, str]) -> dict[str, str]:
    """What the Present page keeps of a `?present=1` link: the scenario, if one is named."""
    return {"preset": query["preset"]} if "preset" in query else {}


def present_url(scenario: Scenario) -> str:
    return f"present?{urlencode({'preset': scenario.key})}"
