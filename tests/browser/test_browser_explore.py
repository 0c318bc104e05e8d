"""The Explore page in a real browser: what the user does (slider, Play/Pause, a click on the map,
a shared link) changes what is drawn, and what is drawn is what the optimizer really does."""

import time

import numpy as np
import pytest
from atlas_view import (
    CLICK_TARGET,
    LR_LABEL,
    assert_same_path,
    current_marker,
    drawn_path,
    expected_path,
    mark_trajectory_chart,
    page_url,
    start_point,
    trajectory_chart_is_marked,
    wait_for_trajectory_chart,
)
from browser_harness import AppSession, StreamlitServer

pytestmark = pytest.mark.browser

SURFACE = "bowl"  # the page's first surface and optimizer, shown when the link has no settings
OPTIMIZER = "sgd"
# After Pause, the marker must stay where it is for this long: many frame durations.
STILL_FOR_S = 1.5


def open_explore(server: StreamlitServer, session: AppSession, query: str = "") -> dict:
    session.open(page_url(server.url, "explore", query))
    wait_for_trajectory_chart(session)
    return session.figure()


def lr(session: AppSession) -> float:
    return float(session.slider_text(LR_LABEL))


def test_learning_rate_slider_redraws_the_true_trajectory(
    server: StreamlitServer, session: AppSession
):
    before = open_explore(server, session)
    start = start_point(session)
    first_lr = lr(session)
    assert_same_path(
        drawn_path(before, OPTIMIZER), expected_path(SURFACE, OPTIMIZER, first_lr, start), SURFACE
    )

    mark_trajectory_chart(session)
    session.nudge_slider(LR_LABEL, "ArrowLeft", times=2)
    second_lr = lr(session)
    assert second_lr < first_lr
    expected = expected_path(SURFACE, OPTIMIZER, second_lr, start)
    # The path of the first key press may be drawn first: wait for the one of the second.
    after = session.wait_for_figure(
        lambda f: (
            drawn_path(f, OPTIMIZER).shape == expected.shape
            and np.allclose(drawn_path(f, OPTIMIZER), expected, atol=1e-3)
        )
    )
    assert_same_path(drawn_path(after, OPTIMIZER), expected, SURFACE)
    # Updated in place, not rebuilt: rebuilding the 3D scene made a slider move cost ~1 s.
    assert trajectory_chart_is_marked(session)
    assert session.exception_texts() == []


def test_play_moves_the_marker_and_pause_stops_it(server: StreamlitServer, session: AppSession):
    figure = open_explore(server, session)
    assert figure["frameCount"] > 10
    chart = session.page.locator(".js-plotly-plot").first
    at_start = current_marker(figure)

    chart.locator(".updatemenu-button").filter(has_text="Play").click()
    playing = session.wait_for_figure_change(figure, current_marker)
    assert current_marker(playing) != at_start
    assert playing["activeStep"] > 0

    chart.locator(".updatemenu-button").filter(has_text="Pause").click()
    paused = wait_until_still(session)
    assert 0 < paused["activeStep"] < figure["frameCount"] - 1, "paused before the last frame"
    deadline = time.monotonic() + STILL_FOR_S
    while time.monotonic() < deadline:
        session.page.evaluate("() => new Promise(requestAnimationFrame)")
        now = session.figure()
        assert current_marker(now) == current_marker(paused)
        assert now["activeStep"] == paused["activeStep"]


def wait_until_still(session: AppSession, frames: int = 10) -> dict:
    """The figure once its marker has not moved for `frames` consecutive browser frames (a frame
    already on its way when Pause was pressed may still land)."""
    figure, same = session.figure(), 0
    while same < frames:
        session.page.evaluate("() => new Promise(requestAnimationFrame)")
        now = session.figure()
        same = same + 1 if current_marker(now) == current_marker(figure) else 0
        figure = now
    return figure


def test_click_on_contour_map_moves_the_start(server: StreamlitServer, session: AppSession):
    before = open_explore(server, session)
    old_start = np.array(start_point(session))
    # A grid point in the corner opposite the default start, away from the path and its markers.
    target, (px, py) = session.page.evaluate(CLICK_TARGET, [0.8, 0.2])
    assert np.linalg.norm(np.array(target) - old_start) > 1.0

    with session.rerun():
        session.page.mouse.click(px, py)
    after = session.wait_for_figure_change(before, lambda f: drawn_path(f, OPTIMIZER)[0].tolist())

    new_start = start_point(session)
    np.testing.assert_allclose(new_start, target, atol=1e-3)
    assert_same_path(
        drawn_path(after, OPTIMIZER),
        expected_path(SURFACE, OPTIMIZER, lr(session), new_start),
        SURFACE,
    )


def test_shared_link_reproduces_the_view_in_a_fresh_browser(server: StreamlitServer, new_session):
    teacher = new_session()
    open_explore(server, teacher)
    teacher.choose("Surface", "Ill-conditioned bowl")
    teacher.nudge_slider(LR_LABEL, "ArrowRight", times=2)
    teacher_view = teacher.figure()
    # The link the page offers for sharing, in a code box with a copy button.
    share = teacher.expander("Share", reruns=True)
    share_box = share.locator("[data-testid='stCode'] code").filter(has_text=server.url)
    link = share_box.first.text_content().strip()
    assert "surface=ill_conditioned" in link

    student = new_session()  # its own browser context: no cookies or state from the teacher
    student.open(link)
    wait_for_trajectory_chart(student)
    student_view = student.figure()

    assert student.slider_text(LR_LABEL) == teacher.slider_text(LR_LABEL)
    assert start_point(student) == start_point(teacher)
    np.testing.assert_array_equal(
        drawn_path(student_view, OPTIMIZER), drawn_path(teacher_view, OPTIMIZER)
    )
    assert_same_path(
        drawn_path(student_view, OPTIMIZER),
        expected_path("ill_conditioned", OPTIMIZER, lr(student), start_point(student)),
        "ill_conditioned",
    )


_CAMERA_EYE = """
() => { const eye = document.querySelector('.js-plotly-plot')._fullLayout.scene.camera.eye;
        return [eye.x, eye.y, eye.z]; }
"""


def test_a_link_opens_on_the_step_and_camera_the_teacher_left(server: StreamlitServer, new_session):
    teacher = new_session()
    figure = open_explore(server, teacher, "surface=ill_conditioned")
    chart = teacher.page.locator(".js-plotly-plot").first
    chart.locator(".updatemenu-button").filter(has_text="Play").click()
    teacher.wait_for_figure_change(figure, current_marker)
    chart.locator(".updatemenu-button").filter(has_text="Pause").click()
    paused = wait_until_still(teacher)
    # Turning the 3D view ends in the same relayout event as a drag with the mouse.
    eye = [1.5, 1.2, 0.9]
    teacher.page.evaluate(
        """async ([x, y, z]) => { const Plotly = await window.__gradientAtlasPlotly;
        await Plotly.relayout(document.querySelector('.js-plotly-plot'),
                              {'scene.camera.eye': {x, y, z}}); }""",
        eye,
    )
    teacher.page.wait_for_function("() => location.search.includes('eye=1.5%2C1.2%2C0.9')")
    link = teacher.page.url
    step = teacher.page.evaluate(
        "(index) => document.querySelector('.js-plotly-plot').layout.sliders[0].steps[index].label",
        paused["activeStep"],
    )
    assert f"at={step}&" in link + "&"

    student = new_session()
    student.open(link)
    wait_for_trajectory_chart(student)
    student.page.wait_for_function(
        "(step) => document.querySelector('.js-plotly-plot')._fullLayout.sliders[0].active === step",
        arg=paused["activeStep"],
    )
    np.testing.assert_allclose(student.page.evaluate(_CAMERA_EYE), eye, atol=1e-3)
    opened = student.figure()
    assert current_marker(opened) == current_marker(paused)

    # New paths from a moved slider are shown at the same step, as the link says.
    student.nudge_slider(LR_LABEL, "ArrowLeft")
    moved = student.wait_for_figure_change(opened, lambda f: drawn_path(f, OPTIMIZER).tolist())
    student.page.wait_for_function(
        "(step) => document.querySelector('.js-plotly-plot')._fullLayout.sliders[0].active === step",
        arg=paused["activeStep"],
    )
    head = drawn_path(moved, OPTIMIZER)[int(step)]
    np.testing.assert_allclose(current_marker(student.figure()), head, atol=1e-9)
