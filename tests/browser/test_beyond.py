"""Basins in a real browser: clicking a map (which AppTest cannot do) draws the run from there."""

import pytest
from atlas_view import start_point
from browser_harness import AppSession, StreamlitServer

pytestmark = pytest.mark.browser


def test_clicking_a_basin_map_draws_the_run_from_that_start(
    server: StreamlitServer, session: AppSession
):
    session.open(f"{server.url}/basins?resolution=40&steps=100")
    assert session.exception_texts() == []
    plot_area = session.page.locator(".js-plotly-plot").first.locator(".nsewdrag").first
    box = plot_area.bounding_box()
    # Himmelblau's map spans [-5, 5]²: 80 % across and 85 % down is about (3, -3.5).
    with session.rerun():
        session.page.mouse.click(box["x"] + 0.8 * box["width"], box["y"] + 0.85 * box["height"])
    x, y = start_point(session)
    assert x == pytest.approx(3.0, abs=0.4) and y == pytest.approx(-3.5, abs=0.4)
    for chart in (0, 1):  # both maps draw the run of their optimizer from the clicked start
        traces = session.figure(chart)["traces"]
        path = next(t for t in traces if (t["name"] or "").endswith("from the start point"))
        assert path["x"][0] == pytest.approx(x, abs=1e-3)
        assert path["y"][0] == pytest.approx(y, abs=1e-3)
    session.screenshot("basins-after-click")
