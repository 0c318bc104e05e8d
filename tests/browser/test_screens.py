"""The screens a class uses: Present on a projector shows the whole figure with its Play/Pause
button and step slider without scrolling, and phones and tablets get the 3D view and the map
stacked, each the chart's full width, with nothing cut off. Every test leaves a screenshot of what
it measured in test-artifacts/ (screen-<page>-<width>x<height>.png)."""

import numpy as np
import pytest
from atlas_view import CLICK_TARGET, page_url, start_point, wait_for_trajectory_chart
from browser_harness import ARTIFACTS, AppSession, StreamlitServer
from playwright.sync_api import Browser

import ui
from classroom import scenarios

pytestmark = pytest.mark.browser

PROJECTORS = ((1280, 720), (1366, 768), (1920, 1080))
HANDHELDS = ((390, 844), (768, 1024))
MIN_FIGURE_SHARE = 0.6  # of the projector's screen area
# Of the chart's width: the 3D view and the map each take the whole row but for the map's y-axis
# labels (the margin they need is the whole figure's).
MIN_FULL_WIDTH = 0.8
TRAJECTORY_PAGES = ("explore", "compare", "present")

# Boxes (page coordinates, the page unscrolled) of the trajectory chart and its parts.
PARTS = """
() => {
  const gd = document.querySelector('.js-plotly-plot');
  const box = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
            width: r.width, height: r.height};
  };
  const main = document.querySelector('[data-testid=stMain]');
  return {
    chart: box(gd), scene: box(gd.querySelector('.gl-container canvas')),
    map: box(gd.querySelector('.imagelayer image')),
    colorbar: box(gd.querySelector('.colorbar')), legend: box(gd.querySelector('.legend')),
    play: box(gd.querySelector('.updatemenu-button')),
    slider: box(gd.querySelector('.slider-rail-rect')),
    window: {width: innerWidth, height: innerHeight},
    scrolled: main.scrollTop, overflow: main.scrollWidth - innerWidth,
    sidebarOpen: document.querySelector('[data-testid=stSidebar]')
      ?.getAttribute('aria-expanded') === 'true',
  };
}
"""


def _inside(part: dict, window: dict) -> bool:
    return (
        part["left"] >= 0
        and part["top"] >= 0
        and part["right"] <= window["width"]
        and part["bottom"] <= window["height"]
    )


def _apart(a: dict, b: dict) -> bool:
    return (
        min(a["right"], b["right"]) <= max(a["left"], b["left"]) + 1
        or min(a["bottom"], b["bottom"]) <= max(a["top"], b["top"]) + 1
    )


def _open(session: AppSession, server: StreamlitServer, page: str, size: tuple[int, int]) -> dict:
    session.open(page_url(server.url, page))
    wait_for_trajectory_chart(session)
    session.wait_for_charts()
    session.page.evaluate(
        "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )
    assert session.exception_texts() == []
    assert session.page.title() == ui.APP_TITLE
    return session.page.evaluate(PARTS)


def _screenshot(session: AppSession, page: str, size: tuple[int, int], whole: bool) -> None:
    """What the screen shows, or (`whole`) the whole page as far as one scrolls."""
    name = f"screen-{page}-{size[0]}x{size[1]}"
    if whole:
        session.screenshot(name)
    else:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        session.page.screenshot(path=ARTIFACTS / f"{name}.png")


@pytest.mark.parametrize("size", PROJECTORS, ids=lambda size: f"{size[0]}x{size[1]}")
def test_present_shows_the_whole_figure_and_its_controls_without_scrolling(
    server: StreamlitServer, session: AppSession, size: tuple[int, int]
):
    width, height = size
    session.page.set_viewport_size({"width": width, "height": height})
    parts = _open(session, server, "present", size)
    window = parts["window"]
    assert parts["scrolled"] == 0 and parts["overflow"] <= 0
    for name in ("chart", "scene", "map", "play", "slider", "colorbar", "legend"):
        assert _inside(parts[name], window), f"{name} is not all on screen: {parts[name]}"
    share = parts["chart"]["width"] * parts["chart"]["height"] / (width * height)
    assert share >= MIN_FIGURE_SHARE, f"the figure takes {share:.0%} of the screen"
    assert _apart(parts["scene"], parts["map"])  # side by side
    _screenshot(session, "present", size, whole=False)


@pytest.mark.parametrize("size", PROJECTORS, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("page", ("explore", "compare"))
def test_explore_and_compare_fit_a_projector_side_by_side(
    server: StreamlitServer, session: AppSession, size: tuple[int, int], page: str
):
    session.page.set_viewport_size({"width": size[0], "height": size[1]})
    parts = _open(session, server, page, size)
    assert parts["overflow"] <= 0
    assert parts["chart"]["height"] <= size[1]  # the whole chart fits on the screen at once
    assert _apart(parts["scene"], parts["map"])
    assert parts["scene"]["right"] <= parts["map"]["left"]
    _screenshot(session, page, size, whole=False)


def test_a_scenario_picked_from_the_list_replaces_the_figure_and_closes_the_list(
    server: StreamlitServer, session: AppSession
):
    session.page.set_viewport_size({"width": 1280, "height": 720})
    _open(session, server, "present", (1280, 720))
    other = scenarios.all_scenarios()[1]
    session.page.get_by_role("button", name="Scenarios").click()
    choice = session.page.get_by_role("button", name=other.title, exact=True)
    with session.rerun():
        choice.click()
    session.page.get_by_role("heading", name=other.title).wait_for()
    choice.wait_for(state="hidden")  # the list closed: the figure is in view again
    parts = session.page.evaluate(PARTS)
    assert _inside(parts["chart"], parts["window"])


@pytest.mark.parametrize("size", HANDHELDS, ids=lambda size: f"{size[0]}x{size[1]}")
def test_phones_and_tablets_stack_the_3d_view_over_the_map(
    server: StreamlitServer, browser: Browser, size: tuple[int, int]
):
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True
    )
    try:
        session = AppSession(context.new_page())
        for page in TRAJECTORY_PAGES:
            parts = _open(session, server, page, size)
            chart, scene, map_ = parts["chart"], parts["scene"], parts["map"]
            assert not parts["sidebarOpen"], f"{page}: the sidebar is open at first"
            assert parts["overflow"] <= 0, f"{page}: wider than the screen"
            assert chart["left"] >= 0 and chart["right"] <= width, f"{page}: chart cut off"
            assert map_["top"] >= scene["bottom"], f"{page}: 3D view and map not stacked"
            for name, part in (("3D view", scene), ("map", map_)):
                assert part["left"] >= chart["left"] - 1 and part["right"] <= chart["right"] + 1
                assert part["width"] >= MIN_FULL_WIDTH * chart["width"], f"{page}: {name} narrow"
            # The colour bar and the legend take their own room, off the 3D view and the map.
            for name in ("colorbar", "legend"):
                assert _apart(parts[name], scene) and _apart(parts[name], map_), (page, name)
            _screenshot(session, page, size, whole=True)
        assert session.console_errors == []
    finally:
        context.close()


def test_tapping_the_map_on_a_phone_moves_the_start(server: StreamlitServer, browser: Browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        session = AppSession(context.new_page())
        session.open(page_url(server.url, "explore"))
        wait_for_trajectory_chart(session)
        old_start = np.array(start_point(session))
        # Scroll the map into view as a thumb would, then tap where a grid point is drawn.
        session.page.locator(".imagelayer image").first.scroll_into_view_if_needed()
        target, (px, py) = session.page.evaluate(CLICK_TARGET, [0.8, 0.2])
        assert np.linalg.norm(np.array(target) - old_start) > 1.0
        with session.rerun():
            session.page.touchscreen.tap(px, py)
        np.testing.assert_allclose(start_point(session), target, atol=1e-3)
        assert session.exception_texts() == [] and session.console_errors == []
    finally:
        context.close()
