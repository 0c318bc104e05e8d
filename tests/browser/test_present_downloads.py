"""Exports in a real browser: the files a teacher downloads from the Present page decode to what
was on screen (a CSV row per step, a GIF and an MP4 with one frame per step)."""

import csv
import io

import imageio_ffmpeg
import pytest
from browser_harness import AppSession, StreamlitServer
from PIL import Image

from classroom import exports, scenarios
from figures import frame_steps

pytestmark = pytest.mark.browser

PRESET = scenarios.get("newton_one_step")  # 30 steps: quick to draw and to encode


def _download(session: AppSession, label: str, tmp_path):
    button = session.page.get_by_role("button", name=label, exact=True)
    with session.page.expect_download() as download:
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def _make(session: AppSession, label: str) -> None:
    """Click "Make …", then wait for its "Download …" button (the panel is a fragment)."""
    with session.rerun():
        session.page.get_by_role("button", name=f"Make {label}", exact=True).click()
    session.page.get_by_role("button", name=f"Download {label}", exact=True).wait_for()


def test_present_page_downloads_csv_gif_and_mp4(
    server: StreamlitServer, session: AppSession, tmp_path
):
    session.open(f"{server.url}/present?preset={PRESET.key}")
    assert session.exception_texts() == []
    session.expander("Take it into your slides")
    frames = len(frame_steps(PRESET.steps, exports.MAX_FRAMES))

    rows = list(csv.reader(_download(session, "Trajectories (CSV)", tmp_path).open()))
    assert tuple(rows[0]) == exports.CSV_HEADER
    assert len(rows) == 1 + len(PRESET.entries) * (PRESET.steps + 1)

    _make(session, "Animated GIF")
    gif = Image.open(io.BytesIO(_download(session, "Download Animated GIF", tmp_path).read_bytes()))
    assert gif.format == "GIF" and gif.n_frames == frames

    _make(session, "MP4 video")
    mp4 = _download(session, "Download MP4 video", tmp_path)
    assert imageio_ffmpeg.count_frames_and_secs(str(mp4))[0] == frames
    assert session.exception_texts() == []


# What the offline file's chart shows: the step slider's position, the moving marker on the map,
# and the camera's eye.
_OFFLINE_VIEW = """
() => {
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullLayout.scene) return null;
  const eye = gd._fullLayout.scene.camera.eye;
  const marker = gd._fullData.filter((t) => t.type === 'scatter' && t.mode === 'markers').pop();
  return {active: gd._fullLayout.sliders[0].active, eye: [eye.x, eye.y, eye.z],
          head: [marker.x[marker.x.length - 1], marker.y[marker.y.length - 1]],
          canvases: gd.querySelectorAll('.gl-container canvas').length};
}
"""


def test_the_figure_downloads_as_one_html_file_that_plays_offline(
    server: StreamlitServer, session: AppSession, browser, tmp_path
):
    session.open(f"{server.url}/present?preset={PRESET.key}&eye=1.5,-1.5,1")
    session.expander("Take it into your slides")
    path = _download(session, "Interactive figure (HTML, works offline)", tmp_path)

    context = browser.new_context()
    try:
        # No network at all: only the file itself may load.
        context.set_offline(True)
        asked = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file:")
                else (asked.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(error.message))
        page.goto(path.as_uri())
        page.wait_for_function(f"() => ({_OFFLINE_VIEW})() !== null")
        before = page.evaluate(_OFFLINE_VIEW)
        assert before["canvases"] > 0  # the 3D view is drawn (WebGL, from the inlined plotly.js)
        assert before["eye"] == [1.5, -1.5, 1.0]  # the camera the link asked for
        page.locator(".updatemenu-button").filter(has_text="Play").click()
        page.wait_for_function(
            f"(head) => JSON.stringify(({_OFFLINE_VIEW})().head) !== JSON.stringify(head)",
            arg=before["head"],
        )
        assert asked == [] and errors == []
    finally:
        context.close()
