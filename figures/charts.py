"""Step charts (loss and distance to the nearest minimum) and small multiples (one map per path)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from analysis.outcome import distance_to_nearest_minimum
from figures.numbers import LOG_FLOOR, rounded
from figures.style import axis_style, base_layout, narrow_form, sized_by_width
from figures.surface_view import surface_view
from figures.track import Track
from landscapes import Surface
from texts import tr, translatable

SMALL_GRID_RESOLUTION = 40
# What a step chart's x axis can count, and its title.
X_AXES = {"step": translatable("step"), "evaluations": translatable("evaluations of f and ∇f")}
SMALL_MULTIPLE_COLUMNS = 4
NARROW_COLUMNS = 2  # on a phone: four maps in a row would be stamps with unreadable titles
NARROW_GAP = 0.12
# The height of a map's title and gaps, in pixels at the widths the forms are laid out for.
_TITLE_PX = 60
_WIDE_PX = 1100
_PHONE_PX = 360


def loss_chart(
    paths: Sequence[Track],
    *,
    surface: Surface | None = None,
    height: int = 340,
    against: str = "step",
) -> dict:
    """Loss against step (or, with against="evaluations", against the evaluations of f and ∇f
    spent so far) on a log axis. When the surface's minima are known, the curve is the gap
    f − f* to the best of them, which is ≥ 0 and shows convergence as a straight line; otherwise f
    itself, on a log axis only if every value is positive."""
    best = None if surface is None else surface.best_known_value
    if best is None:
        series = [p.losses for p in paths]
        title = tr("loss f")
        value_name = "f"
    else:
        series = [p.losses - best for p in paths]
        title = tr("f − f*  (gap to the best minimum)")
        value_name = f"f − f*  (f* = {best:.4g})"
    return step_chart(paths, series, title, value_name, height, against=against)


def distance_chart(surface: Surface, paths: Sequence[Track], *, height: int = 340) -> dict:
    """Distance from each step's point to the nearest known minimum, on a log axis."""
    if not surface.minima:
        return _note_figure(
            tr(
                "This surface has no known minimum (it falls away forever), so there is no "
                "distance to a minimum to show."
            ),
            height,
        )
    series = [distance_to_nearest_minimum(surface, p.points) for p in paths]
    return step_chart(
        paths,
        series,
        tr("distance to nearest minimum"),
        tr("distance to the nearest known minimum"),
        height,
    )


def small_multiples(
    surface: Surface, paths: Sequence[Track], *, columns: int = SMALL_MULTIPLE_COLUMNS
) -> dict:
    """One small contour map per path, side by side, on identical axes; in a narrow chart (a
    phone) NARROW_COLUMNS to a row. The figure's height follows the chart's width, so that equal
    x/y scales fill each map's cell."""
    if not paths:
        return _note_figure(tr("Pick at least one optimizer to see its map."), 200)
    columns = min(columns, len(paths))
    view = surface_view(surface, SMALL_GRID_RESOLUTION)
    contour = view.contour_trace() | {
        "hoverinfo": "skip",
        "hovertemplate": None,
        "customdata": None,
    }
    minima = view.minima_traces()[1:]  # the map marker, not the 3D one
    traces, layout = [], {"annotations": []}
    for i, path in enumerate(paths):
        suffix = "" if i == 0 else str(i + 1)
        axes = {"showgrid": False, "constrain": "domain"}
        layout[f"xaxis{suffix}"] = (
            axis_style() | axes | {"range": [view.xmin, view.xmax], "anchor": f"y{suffix}"}
        )
        # Equal scales so the maps look like the big one; each y follows its own x.
        layout[f"yaxis{suffix}"] = (
            axis_style()
            | axes
            | {
                "range": [view.ymin, view.ymax],
                "anchor": f"x{suffix}",
                "scaleanchor": f"x{suffix}",
                "scaleratio": 1,
            }
        )
        layout["annotations"].append(
            {
                "text": path.label,
                "font": {"color": path.color, "size": 15},
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
        for trace in [
            contour,
            *minima,
            *view.static_path_traces(path),
            *view.endpoint_traces([path]),
        ]:
            if trace["type"] != "scatter3d":
                placed = {"showlegend": False, "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
                traces.append(trace | placed)
    wide = _grid_places(layout["annotations"], columns)
    for key, place in wide.items():
        layout[key] = place if key == "annotations" else layout[key] | place
    ratio = (view.ymax - view.ymin) / (view.xmax - view.xmin)
    narrow_columns = min(NARROW_COLUMNS, columns)
    narrow = narrow_form(
        _grid_aspect(len(paths), narrow_columns, ratio, _PHONE_PX),
        min_height=200,
        # On a phone a gap of 3% would let the tick labels of neighbouring maps run together.
        layout=_grid_places(wide["annotations"], narrow_columns, NARROW_GAP),
    )
    aspect = _grid_aspect(len(paths), columns, ratio, _WIDE_PX)
    layout |= base_layout(round(aspect * _WIDE_PX)) | {
        "margin": {"l": 40, "r": 10, "t": 40, "b": 30},
        "meta": sized_by_width(aspect, min_height=200, narrow=narrow),
    }
    return {"data": traces, "layout": layout}


def _grid_places(titles: list[dict], columns: int, gap: float = 0.03) -> dict:
    """The layout that puts one map per title `columns` to a row in reading order, as plotly's
    make_subplots lays out such a grid: each axis's domain and each title centred on top of its
    map. `gap` is the space between columns as a fraction of the width."""
    rows = math.ceil(len(titles) / columns)
    row_gap = 0.12 / rows
    width, height = (1 - (columns - 1) * gap) / columns, (1 - (rows - 1) * row_gap) / rows
    layout: dict = {"annotations": []}
    for i, title in enumerate(titles):
        row, col = divmod(i, columns)
        suffix = "" if i == 0 else str(i + 1)
        left, top = col * (width + gap), 1 - row * (height + row_gap)
        layout[f"xaxis{suffix}"] = {"domain": [left, left + width]}
        layout[f"yaxis{suffix}"] = {"domain": [top - height, top]}
        layout["annotations"].append(title | {"x": left + width / 2, "y": top})
    return layout


def _grid_aspect(count: int, columns: int, ratio: float, width: float) -> float:
    """Height per width of a grid of maps with equal x/y scales, each under its title."""
    rows = math.ceil(count / columns)
    return rows * (ratio / columns + _TITLE_PX / width)


def step_chart(
    paths: Sequence[Track],
    series: list[np.ndarray],
    title: str,
    value_name: str,
    height: int = 340,
    log: bool | None = None,
    against: str = "step",
) -> dict:
    """Each path's `series` (one value per step) against step, or against its evaluations so
    far with against="evaluations", as Plotly's figure JSON (a plain dict, like
    trajectory_figure's); on a log axis unless `log` is False, or (None) when a value is clearly
    negative."""
    if against not in X_AXES:
        raise ValueError(f"against must be one of {sorted(X_AXES)}")
    xs = [np.arange(p.steps + 1) if against == "step" else p.evaluations for p in paths]
    x_title = tr(X_AXES[against])
    finite = np.concatenate([s[np.isfinite(s)] for s in series] or [np.zeros(0)])
    # Values that reach the floor are a run sitting on the minimum; anything clearly negative means
    # the reference is not a lower bound, and a log axis would hide it.
    if log is None:
        log = finite.size > 0 and finite.min() > -1e-9 * max(1.0, float(np.abs(finite).max()))
    shown_series = [np.maximum(values, LOG_FLOOR) if log else values for values in series]
    ceiling = _ceiling(paths, shown_series, log)
    traces = []
    for path, shown, x in zip(paths, shown_series, xs, strict=True):
        color = path.color
        # Steps are the trace's own indices: only evaluations need their x sent.
        along = {} if against == "step" else {"x": x[: path.last_step + 1].tolist()}
        traces.append(
            along
            | {
                "type": "scatter",
                "name": path.label,
                "y": rounded(shown[: path.last_step + 1]),
                "mode": "lines",
                "line": {"color": color, "width": 3},
                "legendgroup": path.label,
                "hovertemplate": f"{path.label}<br>{x_title} %{{x}}<br>"
                f"{value_name} = %{{y:.4~g}}<extra></extra>",
            }
        )
        if path.diverged:
            last = shown[path.last_step]
            traces.append(
                {
                    "type": "scatter",
                    "name": tr(
                        "{optimizer}: diverged at step {step}",
                        optimizer=path.label,
                        step=path.diverged_at,
                    ),
                    "x": [int(x[path.last_step])],
                    # A run that blew up leaves through the top of the chart: its ✕ sits there.
                    "y": rounded([min(last, ceiling) if ceiling else last]),
                    "mode": "markers",
                    "cliponaxis": False,
                    "marker": {
                        "symbol": "x",
                        "size": 16,
                        "color": color,
                        "line": {"color": "white", "width": 1},
                    },
                    "legendgroup": path.label,
                    "showlegend": False,
                    "hovertemplate": f"{path.label}<br>"
                    + tr("diverged at step {step}", step=path.diverged_at)
                    + "<extra></extra>",
                }
            )
    steps = max((int(x[-1]) for x in xs), default=1)
    yaxis = {
        "title": {"text": title},
        "type": "log" if log else "linear",
        "exponentformat": "power",
    }
    if ceiling:
        low = max(float(finite.min()), LOG_FLOOR) if log else float(finite.min())
        yaxis["range"] = [np.log10(low) - 0.3, np.log10(ceiling)] if log else [low, ceiling]
    layout = base_layout(height) | {
        "margin": {"l": 70, "r": 20, "t": 20, "b": 50},
        "xaxis": axis_style() | {"title": {"text": x_title}, "range": [0, steps]},
        "yaxis": axis_style() | yaxis,
    }
    return {"data": traces, "layout": layout}


def _ceiling(paths: Sequence[Track], shown_series: list[np.ndarray], log: bool) -> float | None:
    """Top of the y axis when some run diverged: a little above the highest value of the runs
    that did not and of every start, so a blow-up to 10¹⁵ does not flatten every other curve.
    None (autorange) when nothing diverged."""
    if not any(p.diverged for p in paths):
        return None
    calm = [
        s[: p.last_step + 1] for p, s in zip(paths, shown_series, strict=True) if not p.diverged
    ]
    starts = [s[:1] for s in shown_series]
    values = np.concatenate(calm + starts)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    top = float(values.max())
    if log:
        return top * 10.0  # one decade of headroom
    spread = top - float(values.min())
    return top + 0.5 * (spread or abs(top) or 1.0)


def _note_figure(text: str, height: int) -> dict:
    layout = base_layout(height) | {
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "annotations": [
            {
                "text": text,
                "showarrow": False,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
            }
        ],
    }
    return {"data": [], "layout": layout}
