import csv
import io
import re
from dataclasses import replace

import imageio_ffmpeg
import numpy as np
import plotly.offline
import pytest
import sympy
from PIL import Image, ImageDraw

import figures
import landscapes
import optimizers
import texts
from classroom import exports
from figures import frame_steps
from figures.raster import contour_indices, quantile_edges
from figures.track import Track
from texts import tr


@pytest.fixture(scope="module")
def bowl_tracks():
    bowl = landscapes.get("bowl")
    good = optimizers.simulate(bowl, "sgd", {"lr": 0.1}, [bowl.start], 40)
    diverging = optimizers.simulate(bowl, "sgd", {"lr": 1.5}, [bowl.start], 40)
    return bowl, [
        Track.of(good, "GD", "#1f77b4", bowl),
        Track.of(diverging, "GD too large", "#d62728", bowl),
    ]


def test_csv_rows_are_the_trajectory_and_stop_where_a_run_diverged(bowl_tracks):
    bowl, (good, diverging) = bowl_tracks
    rows = list(csv.reader(io.StringIO(exports.trajectories_csv([good, diverging]))))
    assert tuple(rows[0]) == exports.CSV_HEADER
    gd_rows = [r for r in rows[1:] if r[1] == "GD"]
    assert [int(r[0]) for r in gd_rows] == list(range(41))
    # GD on x² + y² with lr 0.1 multiplies the point by 0.8 each step: closed form.
    _, _, px, py, loss = gd_rows[10]
    expected = np.array(bowl.start) * 0.8**10
    assert float(px) == pytest.approx(expected[0]) and float(py) == pytest.approx(expected[1])
    assert float(loss) == pytest.approx(expected @ expected)
    diverged_at = diverging.diverged_at
    assert diverged_at > 0
    bad_rows = [r for r in rows[1:] if r[1] == "GD too large"]
    assert len(bad_rows) == diverged_at
    assert all(np.isfinite(float(r[4])) for r in bad_rows)


def test_exports_show_every_step_of_300_and_cap_longer_runs_at_max_frames():
    assert list(frame_steps(300, exports.MAX_FRAMES)) == list(range(301))
    long = frame_steps(3000, exports.MAX_FRAMES)
    assert len(long) == exports.MAX_FRAMES and long[0] == 0 and long[-1] == 3000


def _map_indices(surface: landscapes.Surface, size: tuple[int, int]) -> np.ndarray:
    """Palette indices of the background's map, below the header."""
    canvas = exports._Canvas(surface, [], size)
    return np.asarray(canvas.background(surface))[canvas.header :]


def test_background_is_the_shared_rasteriser_with_bands_of_equal_area():
    plane = landscapes.Surface("plane", "f = x", landscapes.x, ((0.0, 1.0), (0.0, 1.0)))
    indices = _map_indices(plane, (96, 40))
    # f = x: 24 quantile bands are vertical stripes 4 pixels wide, lightest on the left, each
    # with its boundary line in its last column.
    column = np.arange(96)
    stripes = np.where((column % 4 == 3) & (column < 95), column // 4 + 24, column // 4)
    assert (indices == stripes).all()
    rows, width = indices.shape
    z = np.tile(np.linspace(0.0, 1.0, width), (rows, 1))
    expected = contour_indices(z, quantile_edges(z, 24), nan_index=23)
    np.testing.assert_array_equal(indices, expected[::-1])


def test_background_shows_undefined_values_in_the_highest_band():
    half = landscapes.Surface(
        "half", "f = log x", sympy.log(landscapes.x), ((-1.0, 1.0), (0.0, 1.0))
    )
    indices = _map_indices(half, (96, 40))
    assert (indices[:, :48] == 23).all()  # log of a negative x
    assert (indices[:, 48:] % 24 == np.arange(48) // 2).all()


def test_gif_decodes_with_one_frame_per_step_and_shows_the_paths(bowl_tracks):
    bowl, tracks = bowl_tracks
    reported = []
    data = exports.animation_gif(bowl, tracks, size=(320, 180), progress=reported.append)
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF" and image.size == (320, 180)
    assert image.n_frames == len(frame_steps(40, exports.MAX_FRAMES)) == 41
    assert reported[-1] == 1.0 and reported == sorted(reported)
    image.seek(image.n_frames - 1)
    last = np.asarray(image.convert("RGB")).reshape(-1, 3)
    # The GD colour must appear in the final frame: its trail was drawn.
    assert (np.abs(last.astype(int) - (0x1F, 0x77, 0xB4)).sum(axis=1) == 0).any()


def test_mp4_decodes_with_one_frame_per_step(bowl_tracks, tmp_path):
    bowl, tracks = bowl_tracks
    data = exports.animation_mp4(bowl, tracks, size=(320, 192))
    path = tmp_path / "run.mp4"
    path.write_bytes(data)
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert frames == 41
    assert seconds == pytest.approx(41 / exports.FPS, abs=0.1)


def test_animation_without_runs_is_refused():
    with pytest.raises(ValueError, match="nothing to animate"):
        exports.animation_gif(landscapes.get("bowl"), [])


def test_figure_html_carries_plotly_js_the_frames_and_the_camera(bowl_tracks):
    surface, tracks = bowl_tracks
    fig = figures.trajectory_figure(surface, tracks)
    html = exports.figure_html(fig, eye=(1.5, -1.5, 1.0)).decode()
    frames = [frame["name"] for frame in fig["frames"]]
    # plotly.js itself is in the file, the version the app draws with; nothing is fetched.
    assert plotly.offline.get_plotlyjs()[-2000:] in html
    assert not re.search(r"<script[^>]+src=", html)
    # The animation's frames and the camera asked for go with the figure.
    assert "Plotly.addFrames" in html
    assert re.findall(r'"name":"(\d+)","traces"', html) == frames
    assert '"eye":{"x":1.5,"y":-1.5,"z":1.0}' in html


def test_figure_html_says_the_language_of_its_texts(bowl_tracks):
    surface, tracks = bowl_tracks
    fig = figures.trajectory_figure(surface, tracks)
    assert '<html lang="en">' in exports.figure_html(fig).decode()
    assert '<html lang="ko">' in exports.figure_html(fig, language="ko").decode()


def test_the_frames_header_and_legend_speak_the_page_language(bowl_tracks):
    surface, tracks = bowl_tracks
    canvas = exports._Canvas(surface, tracks[:1], exports.GIF_SIZE)
    draw = ImageDraw.Draw(Image.new("P", exports.GIF_SIZE))
    drawn, draw_text = [], draw.text
    draw.text = lambda xy, text, **style: (drawn.append(text), draw_text(xy, text, **style))
    diverged = replace(tracks[0], diverged_at=1)
    texts.use("ko")
    try:
        exports._header(draw, canvas, surface.title, [diverged], 2, 10)
        title = tr(surface.title)
        label = tr(diverged.label)
    finally:
        texts.use("en")
    assert drawn == [f"{title} · 2 / 10단계", f"{label} (발산)"]
    assert label == "경사 하강법"
