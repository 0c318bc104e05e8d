"""What the Gradient Atlas pages look like to a browser test: their addresses, the labels a user
reads, and how to find a trajectory in the chart's data. Expected paths come from the core
(simulate), not from the page, so a test compares what is drawn with what should be drawn."""

from __future__ import annotations

import time

import numpy as np
from browser_harness import AppSession

import landscapes
import optimizers

PAGES = {
    "explore": "",
    "compare": "compare",
    "present": "present",
    "learn": "learn",
    "basins": "basins",
    "sweeps": "sweeps",
    "minibatch": "minibatch",
    "networks": "networks",
}  # url path under the server root
LR_LABEL = optimizers.get("sgd").hyperparams[0].label
START_LABELS = ("x", "y")
START_TOLERANCE = 1e-3  # the inputs show three decimals
SETTLE_S = 5.0
DEFAULT_STEPS = 300
PATH_DECIMALS_PER_SPAN = 4  # the figures round coordinates to 1e-4 of the domain's span
# The trajectory chart: a WebGL 3D scene, and the contour map, which the figures draw as a banded
# PNG under the 2D axes (plotly.js drops Contour traces while animating).
SCENE_CANVAS = ".gl-container canvas"
CONTOUR_MAP = ".imagelayer image"


def wait_for_trajectory_chart(session: AppSession):
    """The first chart, once its 3D scene and contour map are in the page."""
    chart = session.page.locator(".js-plotly-plot").first
    chart.locator(SCENE_CANVAS).first.wait_for()
    chart.locator(CONTOUR_MAP).first.wait_for()
    return chart


def mark_trajectory_chart(session: AppSession) -> None:
    """Tag the trajectory chart and its 3D canvas, to tell later whether they were rebuilt."""
    session.page.evaluate(
        """() => { const chart = document.querySelector('.js-plotly-plot');
        chart.__atlasMark = true; chart.querySelector('.gl-container canvas').__atlasMark = true; }"""
    )


def trajectory_chart_is_marked(session: AppSession) -> bool:
    """Whether the chart and 3D canvas tagged by mark_trajectory_chart are still the ones shown."""
    return session.page.evaluate(
        """() => { const chart = document.querySelector('.js-plotly-plot');
        return Boolean(chart.__atlasMark && chart.querySelector('.gl-container canvas').__atlasMark); }"""
    )


# Page coordinates of the click-grid marker nearest to the given fractions of the contour map's
# x and y ranges, from Plotly's own axis mapping (what the user sees is where we click).
CLICK_TARGET = """
([fx, fy]) => {
  const gd = document.querySelector('.js-plotly-plot');
  const grid = gd._fullData.find((t) => t.meta === 'click-to-start' || t.name === 'click-to-start');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const want = [xa.range[0] + fx * (xa.range[1] - xa.range[0]),
                ya.range[0] + fy * (ya.range[1] - ya.range[0])];
  let best = 0;
  for (let i = 0; i < grid.x.length; i++) {
    const d = (grid.x[i] - want[0]) ** 2 + (grid.y[i] - want[1]) ** 2;
    if (d < (grid.x[best] - want[0]) ** 2 + (grid.y[best] - want[1]) ** 2) best = i;
  }
  const box = gd.getBoundingClientRect();
  const x = grid.x[best], y = grid.y[best];
  return [[x, y], [box.left + xa._offset + xa.l2p(x), box.top + ya._offset + ya.l2p(y)]];
}
"""


def page_url(base: str, page: str, query: str = "") -> str:
    return f"{base}/{PAGES[page]}" + (f"?{query}" if query else "")


def drawn_path(figure: dict, optimizer: str) -> np.ndarray:
    """The full path of `optimizer` on the contour map, shape (steps + 1, 2)."""
    title = optimizers.get(optimizer).title
    for trace in figure["traces"]:
        if trace["type"] == "scatter" and trace["mode"] == "lines" and trace["name"] == title:
            return np.column_stack([trace["x"], trace["y"]]).astype(float)
    names = [trace["name"] for trace in figure["traces"]]
    raise AssertionError(f"no contour path named {title!r} in the chart; traces: {names}")


def current_marker(figure: dict) -> tuple[float, float]:
    """Where the animation's marker is on the contour map: the head of the first animated 2D trace."""
    for index in figure["animated"]:
        trace = figure["traces"][index]
        if trace["type"] == "scatter":
            return trace["x"][-1], trace["y"][-1]
    raise AssertionError("the chart has no animated marker on the contour map")


def start_point(session: AppSession) -> tuple[float, float]:
    """The start in the x and y inputs, once they agree with where the drawn paths start: just
    after a page loads, an input can show its minimum for a moment before its value."""
    x_label, y_label = START_LABELS
    deadline = time.monotonic() + SETTLE_S
    while True:
        shown = session.number(x_label), session.number(y_label)
        figure = session.figure()
        paths = [t for t in (figure or {}).get("traces", []) if t["mode"] == "lines" and t["x"]]
        drawn = (paths[0]["x"][0], paths[0]["y"][0]) if paths else None
        if drawn is not None and np.allclose(shown, drawn, atol=START_TOLERANCE):
            return shown
        if time.monotonic() > deadline:
            return shown  # what the test then compares fails with the numbers in its message
        session.page.evaluate("() => new Promise(requestAnimationFrame)")


def expected_path(
    surface: str, optimizer: str, lr: float, start, steps: int = DEFAULT_STEPS
) -> np.ndarray:
    run = optimizers.simulate(landscapes.get(surface), optimizer, {"lr": lr}, [start], steps)
    last = steps if run.diverged_at[0] < 0 else max(int(run.diverged_at[0]) - 1, 0)
    return run.points[: last + 1, 0]


def assert_same_path(drawn: np.ndarray, expected: np.ndarray, surface: str) -> None:
    (xmin, xmax), (ymin, ymax) = landscapes.get(surface).domain
    # Rounding to 1e-4 of the span moves a point by at most half a unit in the last kept digit.
    tolerance = max(xmax - xmin, ymax - ymin) * 10.0**-PATH_DECIMALS_PER_SPAN
    assert drawn.shape == expected.shape, f"drawn {drawn.shape} points, expected {expected.shape}"
    error = float(np.max(np.abs(drawn - expected)))
    assert error <= tolerance, f"drawn path is {error:.3g} away from the expected one"
