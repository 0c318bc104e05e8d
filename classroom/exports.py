"""Files a teacher takes into slides: trajectories as CSV, the contour animation as GIF or MP4,
and the page's figure as one self-contained HTML file.

Everything is drawn locally with NumPy and Pillow (no browser, no network): the contour map, in
the app's own colours, is rasterised once into a paletted image, trails are drawn onto it step by
step, and each frame adds the current points and a header with the step and the legend. Paletted frames need no colour quantisation, which keeps a
300-step GIF well under the 10-second budget.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import plotly.io
from PIL import Image, ImageDraw, ImageFont

import texts
from figures.numbers import frame_steps
from figures.raster import band_palette, colors_at, contour_indices, hex_to_rgb, quantile_edges
from figures.style import MINIMUM_COLOR, SURFACE_COLORSCALE, plotly_config
from figures.track import Track
from landscapes import Surface
from texts import tr

CSV_HEADER = ("step", "optimizer", "x", "y", "loss")
GIF_SIZE = (800, 450)
# H.264 encoders work on 16×16 blocks: both sides are multiples of 16, so nothing is rescaled.
MP4_SIZE = (1280, 720)
FPS = 25
MAX_FRAMES = 301
LAST_FRAME_HOLD_MS = 1500
PROGRESS_EVERY = 10

_BANDS = 24
# Darker than the band they border, so the contour lines survive a washed-out projector.
_CONTOUR_DARKEN = 0.8
# The header above the map (title, step, legend) takes this share of the height.
_HEADER_SHARE = 0.15
# The frames' text in every language the app speaks (Pillow's own font has no Hangul): a subset
# of Noto Sans CJK KR shipped with the app, rebuilt by scripts/build-export-font.
EXPORT_FONT = Path(__file__).with_name("fonts") / "NotoSansKR-Subset.otf"
_WHITE, _BLACK = (255, 255, 255), (0, 0, 0)

Progress = Callable[[float], None]


def trajectories_csv(tracks: list[Track]) -> str:
    """One row per step and run: step, optimizer, x, y, loss.

    A run that diverged ends at its last finite step (simulate freezes it there, which would
    otherwise look like convergence).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for track in tracks:
        for step in range(track.last_step + 1):
            px, py = track.points[step]
            writer.writerow(
                (step, track.label, _number(px), _number(py), _number(track.losses[step]))
            )
    return out.getvalue()


def animation_gif(
    surface: Surface,
    tracks: list[Track],
    size: tuple[int, int] = GIF_SIZE,
    progress: Progress | None = None,
) -> bytes:
    frames = list(_frames(surface, tracks, size, progress))
    durations = [1000 // FPS] * (len(frames) - 1) + [LAST_FRAME_HOLD_MS]
    out = io.BytesIO()
    frames[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=0,
        optimize=False,
    )
    return out.getvalue()


def animation_mp4(
    surface: Surface,
    tracks: list[Track],
    size: tuple[int, int] = MP4_SIZE,
    progress: Progress | None = None,
) -> bytes:
    """H.264 in an MP4 container, yuv420p so PowerPoint, Keynote and browsers all play it."""
    import imageio_ffmpeg  # ships its own ffmpeg binary; imported here so CSV/GIF never need it

    handle, path = tempfile.mkstemp(suffix=".mp4")
    os.close(handle)
    try:
        writer = imageio_ffmpeg.write_frames(
            path,
            size,
            fps=FPS,
            codec="libx264",
            quality=7,
            macro_block_size=16,
            output_params=["-preset", "veryfast"],
        )
        writer.send(None)
        for frame in _frames(surface, tracks, size, progress):
            writer.send(np.ascontiguousarray(np.asarray(frame.convert("RGB"))))
        writer.close()
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.remove(path)


def figure_html(
    fig: dict, eye: tuple[float, float, float] | None = None, language: str = texts.SOURCE
) -> bytes:
    """The figure (as Plotly's JSON: data, layout, frames) as one HTML file that needs no server
    and no network: plotly.js (plotly.py's full bundle, the version the app draws with) is inside
    it, with the animation frames, so Play and the step slider work, and the 3D view turns, from a
    course page or a slide deck. `eye` is the 3D camera the user left the chart at (None: the
    figure's own). The figure's texts are in `language` (the page's), which the file says, so a
    browser picks that language's glyphs and a screen reader its voice."""
    # Plotly's own sizing in the file (the layout's height, the window's width), not the app's.
    layout = {k: v for k, v in fig.get("layout", {}).items() if k not in ("meta", "width")}
    layout["autosize"] = True
    if eye is not None:
        scene = layout.get("scene", {})
        camera = scene.get("camera", {}) | {"eye": dict(zip("xyz", eye, strict=True))}
        layout["scene"] = scene | {"camera": camera}
    shown = fig | {"layout": layout}
    html = plotly.io.to_html(
        shown,
        include_plotlyjs=True,
        full_html=True,
        config=plotly_config(language) | {"responsive": True},
        auto_play=False,
        default_width="100%",
        validate=False,
    )
    return html.replace("<html>", f'<html lang="{language}">', 1).encode()


def _number(value: float) -> str:
    return "" if not np.isfinite(value) else format(float(value), ".10g")


class _Canvas:
    """Maps the surface's domain to pixels and owns the palette indices of every colour used."""

    def __init__(self, surface: Surface, tracks: list[Track], size: tuple[int, int]):
        self.width, self.height = size
        self.header = round(_HEADER_SHARE * self.height)
        (self.xmin, self.xmax), (self.ymin, self.ymax) = surface.domain
        # The scale's two ends are the lowest and the highest band's colours.
        band_colors = colors_at(SURFACE_COLORSCALE, np.linspace(0, 1, _BANDS))
        colors = [tuple(rgb) for rgb in band_palette(band_colors, _CONTOUR_DARKEN).tolist()]
        self.white, self.black, self.minimum = len(colors), len(colors) + 1, len(colors) + 2
        colors += [_WHITE, _BLACK, hex_to_rgb(MINIMUM_COLOR)]
        self.track_index = [len(colors) + i for i in range(len(tracks))]
        colors += [hex_to_rgb(track.color) for track in tracks]
        self.palette = [channel for color in colors for channel in color]
        self.scale = self.height / 450
        self.font = ImageFont.truetype(EXPORT_FONT, size=round(17 * self.scale))

    def pixels(self, points: np.ndarray) -> np.ndarray:
        """Points (..., 2) in surface coordinates to pixel coordinates, y pointing down."""
        map_height = self.height - self.header
        px = (points[..., 0] - self.xmin) / (self.xmax - self.xmin) * (self.width - 1)
        py = (self.ymax - points[..., 1]) / (self.ymax - self.ymin) * (map_height - 1)
        return np.stack([px, py + self.header], axis=-1)

    def background(self, surface: Surface) -> Image.Image:
        xs = np.linspace(self.xmin, self.xmax, self.width)
        ys = np.linspace(self.ymin, self.ymax, self.height - self.header)
        gx, gy = np.meshgrid(xs, ys)
        z = surface.f(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
        # Bands of equal area (quantiles) read well on any surface, whether its values span
        # one decade (a bowl) or ten (Beale's cliffs). Where f is undefined (NaN) the frames show
        # the highest band's colour.
        bands = contour_indices(z, quantile_edges(z, _BANDS), nan_index=_BANDS - 1)
        indices = np.full((self.height, self.width), self.white, dtype=np.uint8)
        # Image rows run top to bottom, z rows from ymin up.
        indices[self.header :] = bands[::-1]
        image = Image.fromarray(indices, mode="P")
        image.putpalette(self.palette)
        draw = ImageDraw.Draw(image)
        for mx, my in self.pixels(np.array(surface.minima, dtype=float).reshape(-1, 2)):
            self.star(draw, mx, my)
        return image

    def star(self, draw: ImageDraw.ImageDraw, cx: float, cy: float) -> None:
        """A known minimum: a yellow five-pointed star with a black rim, as in the app."""
        angles = np.pi / 2 + np.arange(10) * np.pi / 5
        radii = np.where(np.arange(10) % 2 == 0, 9.0, 4.0) * self.scale
        corners = np.column_stack([cx + radii * np.cos(angles), cy - radii * np.sin(angles)])
        draw.polygon([tuple(c) for c in corners.tolist()], fill=self.minimum, outline=self.black)

    def cross(self, draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
        """Drawn over a point whose run diverged."""
        width = max(2, round(3 * self.scale))
        for sign in (1, -1):
            corners = [(cx - radius, cy - sign * radius), (cx + radius, cy + sign * radius)]
            draw.line(corners, fill=self.black, width=width)


def _frames(
    surface: Surface, tracks: list[Track], size: tuple[int, int], progress: Progress | None
) -> Iterator[Image.Image]:
    if not tracks:
        raise ValueError("nothing to animate: no optimizer runs were given")
    canvas = _Canvas(surface, tracks, size)
    steps = min(track.steps for track in tracks)
    shown = frame_steps(steps, MAX_FRAMES)
    trails = canvas.background(surface)
    trail_draw = ImageDraw.Draw(trails)
    pixels = [canvas.pixels(track.points) for track in tracks]
    line_width = max(2, round(3 * canvas.scale))
    radius = 6 * canvas.scale
    previous = 0
    for count, step in enumerate(shown):
        # Trails are drawn once, onto a persistent image: the cost per frame stays constant.
        for track_pixels, color in zip(pixels, canvas.track_index, strict=True):
            segment = track_pixels[previous : step + 1]
            if len(segment) > 1:
                trail_draw.line(_on_screen(segment, canvas), fill=color, width=line_width)
        previous = step
        frame = trails.copy()
        draw = ImageDraw.Draw(frame)
        for track, track_pixels, color in zip(tracks, pixels, canvas.track_index, strict=True):
            cx, cy = track_pixels[step]
            gone = 0 <= track.diverged_at <= step
            _marker(draw, canvas, cx, cy, radius, color, crossed=gone)
        _header(draw, canvas, surface.title, tracks, step, steps)
        yield frame
        if progress and (count % PROGRESS_EVERY == 0 or count == len(shown) - 1):
            progress((count + 1) / len(shown))


def _marker(draw, canvas: _Canvas, cx, cy, radius, color, crossed: bool) -> None:
    box = (cx - radius, cy - radius, cx + radius, cy + radius)
    draw.ellipse(box, fill=color, outline=canvas.black, width=max(1, round(2 * canvas.scale)))
    if crossed:
        canvas.cross(draw, cx, cy, 1.6 * radius)


def _header(draw, canvas: _Canvas, title: str, tracks: list[Track], step: int, steps: int) -> None:
    """White band above the map: title and step on one line, the legend on the next, in the
    page's language. Drawn on every frame, it also hides any trail that left the map at the top."""
    draw.rectangle((0, 0, canvas.width, canvas.header - 1), fill=canvas.white)
    draw.line((0, canvas.header - 1, canvas.width, canvas.header - 1), fill=canvas.black)
    margin = 10 * canvas.scale
    line_height = (canvas.header - 2 * margin) / 2
    heading = tr("{surface} · step {step} / {steps}", surface=tr(title), step=step, steps=steps)
    draw.text((margin, margin), heading, fill=canvas.black, font=canvas.font)
    x, y = margin, margin + line_height
    swatch = 22 * canvas.scale
    for track, color in zip(tracks, canvas.track_index, strict=True):
        diverged = 0 <= track.diverged_at <= step
        label = tr(track.label)  # as it is if the page's tracks are in its language already
        text = tr("{run} (diverged)", run=label) if diverged else label
        middle = y + line_height / 2
        draw.line(
            (x, middle, x + swatch, middle), fill=color, width=max(3, round(4 * canvas.scale))
        )
        draw.text((x + swatch + 5 * canvas.scale, y), text, fill=canvas.black, font=canvas.font)
        x = (
            draw.textbbox((x + swatch + 5 * canvas.scale, y), text, font=canvas.font)[2]
            + 2 * margin
        )


def _on_screen(segment: np.ndarray, canvas: _Canvas) -> list[tuple[float, float]]:
    """Polyline points, with any vertex far off-screen pulled towards the centre.

    Pillow rasterises lines pixel by pixel, so a diverging path at 1e6 would take seconds. A far
    vertex seen from anywhere on screen lies in nearly the same direction as its pulled-in copy
    (four image sizes away), so what the viewer sees does not change.
    """
    limit = 4.0 * max(canvas.width, canvas.height)
    centre = np.array([canvas.width / 2, (canvas.header + canvas.height) / 2])  # of the map
    points = segment - centre
    far = np.abs(points).max(axis=1) > limit
    if far.any():
        points = points.copy()
        points[far] *= (limit / np.abs(points[far]).max(axis=1))[:, None]
    return [tuple(p) for p in (points + centre).tolist()]


NETWORK_CSV_HEADER = ("step", "optimizer", "loss", "accuracy", "distance_from_plane", "a", "b")


def network_runs_csv(tracks: list[Track], accuracy: list, distance: list) -> str:
    """One row per step and run of a network's training: its real full-batch loss, accuracy on
    the training points, distance of its weights from the drawn plane and plane coordinates a, b.
    A run that diverged ends at its last finite step."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NETWORK_CSV_HEADER)
    for track, shares, away in zip(tracks, accuracy, distance, strict=True):
        for step in range(track.last_step + 1):
            a, b = track.points[step]
            numbers = (track.losses[step], shares[step], away[step], a, b)
            writer.writerow((step, track.label, *map(_number, numbers)))
    return out.getvalue()
