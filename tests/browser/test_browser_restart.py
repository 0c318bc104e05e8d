"""A server restarted under an open page: the page reconnects by itself, reruns on the new server
(ui/replicas.py), and what the user does next is kept, in the link, and drawn. Before, the first
move after a restart was undone: the new session started with that move and took its settings
from the link, the value the user had just moved away from, and the address became /explore."""

import re
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from atlas_view import (
    LR_LABEL,
    drawn_path,
    expected_path,
    page_url,
    start_point,
    wait_for_trajectory_chart,
)
from browser_harness import AppSession, streamlit_server

pytestmark = pytest.mark.browser

SURFACE, OPTIMIZER = "bowl", "sgd"
LINK_LR = 0.06
# What Streamlit's front end logs while its server is down; expected here, not an app error.
_SERVER_DOWN = re.compile(r"reaching server endpoint|server is not responding|WebSocket")


def _wait_for_path(session: AppSession, lr: float, start) -> None:
    expected = expected_path(SURFACE, OPTIMIZER, lr, start)
    session.wait_for_figure(
        lambda f: (
            drawn_path(f, OPTIMIZER).shape == expected.shape
            and np.allclose(drawn_path(f, OPTIMIZER), expected, atol=1e-3)
        )
    )


def test_after_a_restart_slider_moves_are_kept_in_the_link_and_drawn(session: AppSession):
    with streamlit_server("restart-before") as first:
        port = int(urlsplit(first.url).port)
        session.open(page_url(first.url, "explore", f"lr={LINK_LR:g}"))
        wait_for_trajectory_chart(session)
        start = start_point(session)
        _wait_for_path(session, LINK_LR, start)
        runs_before = session.runs_finished
    with streamlit_server("restart-after", port=port):
        session.wait_for_run(runs_before)  # reconnected, and rerun on the new server
        session.nudge_slider(LR_LABEL, "ArrowRight")
        moved = float(session.slider_text(LR_LABEL))
        assert moved > LINK_LR
        _wait_for_path(session, moved, start)
        # Two quick presses: neither may be lost.
        thumb = session.slider(LR_LABEL)
        with session.rerun():
            thumb.press("ArrowRight")
            thumb.press("ArrowRight")
        twice = float(session.slider_text(LR_LABEL))
        assert twice > moved
        _wait_for_path(session, twice, start)
        session.page.wait_for_url(
            lambda url: parse_qs(urlsplit(url).query).get("lr") == [f"{twice:g}"]
        )
        assert urlsplit(session.page.url).path == "/"
        assert float(session.slider_text(LR_LABEL)) == twice
        assert session.exception_texts() == []
    session.console_errors[:] = [e for e in session.console_errors if not _SERVER_DOWN.search(e)]
