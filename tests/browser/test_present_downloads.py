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
