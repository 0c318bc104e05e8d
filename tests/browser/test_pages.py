"""Each page loads in a real browser with its charts drawn, and bad input stays a message."""

from io import BytesIO
from pathlib import Path

import pytest
from atlas_view import PAGES, page_url
from browser_harness import AppSession, StreamlitServer
from PIL import Image

pytestmark = pytest.mark.browser

# A blank or single-colour WebGL canvas has a handful of colours; a drawn, shaded surface has
# thousands.
MIN_COLOURS_IN_3D_VIEW = 500


@pytest.mark.parametrize("page", PAGES)
def test_page_draws_3d_surface_and_contour_without_errors(
    server: StreamlitServer, session: AppSession, page: str
):
    session.open(page_url(server.url, page))
    chart = session.page.locator(".js-plotly-plot").first
    scene = chart.locator(".gl-container canvas").first
    scene.wait_for()
    chart.locator(".contourlayer path").first.wait_for()

    assert session.exception_texts() == []
    traces = session.figure()["traces"]
    assert {"surface", "contour"} <= {trace["type"] for trace in traces}
    shot = Image.open(BytesIO(scene.screenshot()))
    colours = shot.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) >= MIN_COLOURS_IN_3D_VIEW, "the 3D view looks empty"
    session.screenshot(page)  # console errors are checked when the session closes


def test_hostile_formula_is_refused_in_the_page(
    server: StreamlitServer, session: AppSession, tmp_path: Path
):
    witness = tmp_path / "ran"
    session.open(page_url(server.url, "explore"))
    session.choose("Surface", "Custom formula…")
    session.type_text("Formula in x and y", f"__import__('os').system('touch {witness}')")

    alert = session.page.locator("[data-testid='stAlert']").filter(
        has_text="This formula cannot be used"
    )
    alert.wait_for()
    assert session.exception_texts() == []
    assert not witness.exists(), "the formula was executed"
    session.screenshot("explore-hostile-formula")
