"""The Networks page in a real browser: a moved learning-rate slider redraws the path that
simulate gives, projected on the slice; the page draws at the screen sizes a class uses."""

import numpy as np
import pytest
from atlas_view import drawn_path, page_url, wait_for_trajectory_chart
from browser_harness import AppSession, StreamlitServer

import optimizers
from analysis import network_runs
from landscapes.network import NetworkSetup

pytestmark = pytest.mark.browser

QUICK = "net_optimizers=adam,sgd&net_steps=100&resolution=21"
LABEL = f"{optimizers.get('adam').title}: learning rate η"
SCREENS = ((1280, 720), (1920, 1080), (390, 844))


def expected(adam_lr: float, sgd_lr: float) -> tuple[np.ndarray, float]:
    """Adam's path on the slice as the core computes it, and the slice's larger side."""
    experiment = network_runs.Experiment(
        NetworkSetup(), (("adam", adam_lr), ("sgd", sgd_lr)), 32, 100, 0, "pca", 21
    )
    scape = experiment.landscape(experiment.runs())
    span = max(np.ptp(scape.cut.xs), np.ptp(scape.cut.ys))
    return scape.paths[0].coordinates, span


def test_a_moved_learning_rate_redraws_the_path_simulate_gives(
    server: StreamlitServer, session: AppSession
):
    session.open(page_url(server.url, "networks", QUICK))
    wait_for_trajectory_chart(session)
    rates = session.expander("Learning rates")
    sgd_lr = float(session.slider_text(f"{optimizers.get('sgd').title}: learning rate η", rates))
    first = float(session.slider_text(LABEL, rates))
    path, span = expected(first, sgd_lr)
    np.testing.assert_allclose(drawn_path(session.figure(), "adam"), path, atol=2e-4 * span)

    session.nudge_slider(LABEL, "ArrowRight", within=rates)
    second = float(session.slider_text(LABEL, rates))
    assert second > first
    path, span = expected(second, sgd_lr)
    session.wait_for_figure(
        lambda f: (
            drawn_path(f, "adam").shape == path.shape
            and np.allclose(drawn_path(f, "adam"), path, atol=2e-4 * span)
        )
    )
    assert session.exception_texts() == []


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=lambda size: str(size))
def test_the_page_draws_at_classroom_screen_sizes(
    server: StreamlitServer, session: AppSession, width: int, height: int
):
    session.page.set_viewport_size({"width": width, "height": height})
    session.open(page_url(server.url, "networks", QUICK))
    wait_for_trajectory_chart(session)
    traces = session.wait_for_charts()
    assert len(traces) == 1 + 2 + 2 and all(traces)
    assert session.exception_texts() == []
    # Nothing wider than the screen: no sideways scrolling on a phone.
    overflow = session.page.evaluate(
        "() => document.querySelector('[data-testid=stMain]').scrollWidth - window.innerWidth"
    )
    assert overflow <= 0
    session.screenshot(f"networks-{width}x{height}")
