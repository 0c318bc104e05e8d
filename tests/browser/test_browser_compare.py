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
