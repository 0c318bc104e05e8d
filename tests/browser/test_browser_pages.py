"""Every page loads in a real browser, its charts are drawn, and bad input stays a message."""

from io import BytesIO
from pathlib import Path

import pytest
from atlas_view import CONTOUR_MAP, SCENE_CANVAS, page_url, wait_for_trajectory_chart
from browser_harness import AppSession, StreamlitServer
from PIL import Image

pytestmark = pytest.mark.browser

# A blank or single-colour WebGL canvas has a handful of colours; a drawn, shaded surface has
# thousands.
MIN_COLOURS_IN_3D_VIEW = 500


def test_every_page_in_the_navigation_loads_without_errors(
    server: StreamlitServer, session: AppSession
):
    session.open(server.url)
    links = session.page.locator("[data-testid='stSidebarNav'] a")
    # A link's text is its icon, then its title on the last line.
    pages = dict(
        links.evaluate_all("(as) => as.map((a) => [a.innerText.split('\\n').pop(), a.href])")
    )
    assert {"Explore", "Compare"} <= set(pages), f"navigation lists {sorted(pages)}"
    for title, href in pages.items():
        session.open(href)
        assert session.exception_texts() == [], f"{title} shows an exception"
        # Charts in closed expanders or other tabs are drawn too, at zero size.
        traces = session.wait_for_charts()
        assert traces and all(traces), f"{title}: charts without traces: {traces}"
        session.screenshot(f"page-{title.lower().replace(' ', '-')}")
    # console errors of every page are checked when the session closes


@pytest.mark.parametrize("page", ["explore", "compare"])
def test_trajectory_chart_draws_3d_surface_and_contour_map(
    server: StreamlitServer, session: AppSession, page: str
):
    session.open(page_url(server.url, page))
    chart = wait_for_trajectory_chart(session)

    assert session.exception_texts() == []
    assert "surface" in {trace["type"] for trace in session.figure()["traces"]}
    assert chart.locator(CONTOUR_MAP).first.bounding_box()["width"] > 100
    shot = Image.open(BytesIO(chart.locator(SCENE_CANVAS).first.screenshot()))
    colours = shot.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) >= MIN_COLOURS_IN_3D_VIEW, "the 3D view looks empty"
    session.screenshot(page)


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


def test_a_chart_in_a_tab_opened_later_fills_the_tab(server: StreamlitServer, session: AppSession):
    session.open(f"{server.url}/learn")
    session.wait_for_charts()
    session.page.get_by_role("tab", name="Adam", exact=True).click()
    chart = session.page.locator("[role='tabpanel']:visible .js-plotly-plot").first
    # Drawn while its tab was hidden (no width to measure), it must take the tab's width now.
    session.page.wait_for_function(
        "(gd) => Math.abs(gd._fullLayout.width - gd.getBoundingClientRect().width) < 2",
        arg=chart.element_handle(),
    )
