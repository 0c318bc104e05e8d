"""The Compare page in a real browser: every optimizer's drawn path is the one the core computes
for the rate on its own slider, and moving one optimizer's slider redraws that path only."""

import numpy as np
import pytest
from atlas_view import (
    LR_LABEL,
    assert_same_path,
    drawn_path,
    expected_path,
    page_url,
    start_point,
    wait_for_trajectory_chart,
)
from browser_harness import AppSession, StreamlitServer

import optimizers

pytestmark = pytest.mark.browser

SURFACE = "bowl"
DEFAULT_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")  # what the page compares by default
MOVED = "adam"


def test_one_optimizers_slider_redraws_only_its_own_path(
    server: StreamlitServer, session: AppSession
):
    session.open(page_url(server.url, "compare"))
    wait_for_trajectory_chart(session)
    before = session.figure()
    start = start_point(session)
    panels = {key: session.expander(optimizers.get(key).title) for key in DEFAULT_OPTIMIZERS}
    rates = {key: float(session.slider_text(LR_LABEL, panel)) for key, panel in panels.items()}
    for key in DEFAULT_OPTIMIZERS:
        expected = expected_path(SURFACE, key, rates[key], start)
        assert_same_path(drawn_path(before, key), expected, SURFACE)

    session.nudge_slider(LR_LABEL, "ArrowLeft", within=panels[MOVED])
    after = session.wait_for_figure_change(before, lambda f: drawn_path(f, MOVED).tolist())

    new_rate = float(session.slider_text(LR_LABEL, panels[MOVED]))
    assert new_rate < rates[MOVED]
    assert_same_path(
        drawn_path(after, MOVED), expected_path(SURFACE, MOVED, new_rate, start), SURFACE
    )
    for key in DEFAULT_OPTIMIZERS:
        if key != MOVED:
            np.testing.assert_array_equal(drawn_path(after, key), drawn_path(before, key))
    assert session.exception_texts() == []


# For every trace that holds the points of several paths (meta.groups), the legend group of each
# point that is drawn (not blanked), now and in a frame from the middle of the animation.
DRAWN_GROUPS = """
() => {
  const gd = document.querySelector('.js-plotly-plot');
  const frames = gd._transitionData._frames;
  const middle = frames[Math.floor(frames.length / 2)];
  const drawn = (trace, groups) => groups.filter((_, i) => trace.x[i] != null);
  const now = [], later = [];
  gd.data.forEach((trace, index) => {
    const groups = trace.meta && trace.meta.groups;
    if (!groups) return;
    now.push(...drawn(trace, groups));
    const k = middle.traces.indexOf(index);
    if (k >= 0) later.push(...drawn(middle.data[k], groups));
  });
  return {now: [...new Set(now)].sort(), later: [...new Set(later)].sort()};
}
"""


def test_hiding_a_path_in_the_legend_hides_its_moving_marker_and_arrows(
    server: StreamlitServer, session: AppSession
):
    session.open(page_url(server.url, "compare"))
    chart = wait_for_trajectory_chart(session)
    titles = sorted(optimizers.get(key).title for key in DEFAULT_OPTIMIZERS)
    hidden = optimizers.get(MOVED).title
    assert session.page.evaluate(DRAWN_GROUPS) == {"now": titles, "later": titles}

    legend_item = chart.locator(".legend .traces").filter(has_text=hidden).locator(".legendtoggle")
    legend_item.click()
    shown = sorted(set(titles) - {hidden})
    session.page.wait_for_function(
        f"() => JSON.stringify(({DRAWN_GROUPS})().later) === JSON.stringify({shown!r})".replace(
            "'", '"'
        )
    )
    assert session.page.evaluate(DRAWN_GROUPS) == {"now": shown, "later": shown}

    legend_item.click()
    session.page.wait_for_function(f"() => ({DRAWN_GROUPS})().now.length === {len(titles)}")
    assert session.page.evaluate(DRAWN_GROUPS) == {"now": titles, "later": titles}
