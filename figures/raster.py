"""Contour maps as pictures: filled bands with their boundary lines, as palette indices. The app's
map and the classroom exports' GIF/MP4 frames are both drawn by `contour_indices`; they differ
only in their band edges (equal or quantile) and palettes.

Why the app's map is a picture and not a Plotly Contour trace: plotly.js drops Contour and Heatmap
traces from the plot while an animation runs (plotly/plotly.js#4491, plotly/plotly.py#2151), so
the map would vanish whenever a student presses Play. A layout image is not a trace and stays put;
as a bonus a banded palette PNG is a fraction of the size of the z grid a Contour trace sends.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

# Boundary pixels of the app's map are the band's colour darkened by this factor: a line that is
# visible on every band, yet does not compete with the optimizer paths.
LINE_SHADE = 0.72
NAN_RGB = (255, 255, 255)
# zlib level 8 comes within 1.5% of level 9's size on every built-in map, at half its time.
_PNG_COMPRESS_LEVEL = 8


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """(r, g, b) of a "#rrggbb" colour."""
    text = color.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colours must be '#rrggbb', got {color!r}")
    return tuple(int(text[i : i + 2], 16) for i in (0, 2, 4))


def colors_at(colorscale: list[list], positions: np.ndarray) -> np.ndarray:
    """RGB (n, 3) floats of a Plotly colorscale ([[0, '#rrggbb'], …, [1, '#rrggbb']]) at positions
    in [0, 1], interpolated linearly in RGB as plotly.js does."""
    stops = np.array([stop for stop, _ in colorscale])
    rgb = np.array([hex_to_rgb(color) for _, color in colorscale], dtype=float)
    positions = np.clip(positions, 0.0, 1.0)
    return np.column_stack([np.interp(positions, stops, rgb[:, c]) for c in range(3)])


def equal_edges(low: float, high: float, bands: int) -> np.ndarray:
    """The bands - 1 inner edges that split [low, high] into bands of equal height."""
    return low + (high - low) * np.arange(1, bands) / bands


def quantile_edges(z: np.ndarray, bands: int) -> np.ndarray:
    """The bands - 1 inner edges that give each band the same share of z's finite values."""
    return np.quantile(z[np.isfinite(z)], np.linspace(0, 1, bands + 1)[1:-1])


def contour_indices(z: np.ndarray, edges: np.ndarray, nan_index: int) -> np.ndarray:
    """Palette index (uint8) of every value of the grid z, whose rows run from the lowest y to the
    highest and columns from the lowest x.

    The len(edges) + 1 bands are numbered from 0, band k holding edges[k - 1] <= z < edges[k]. A
    pixel's index is its band k, or k + bands on a boundary (its band differs from that of the
    next pixel in its row or in the row above), or nan_index where z is NaN: a palette lists the
    band fills, then their line colours (band_palette), then any further colours."""
    bands = len(edges) + 1
    band = np.searchsorted(edges, z, side="right")
    nan = np.isnan(z)
    band[nan] = -1  # a band of its own, outlined like any other
    boundary = np.zeros(band.shape, dtype=bool)
    boundary[:, :-1] |= band[:, :-1] != band[:, 1:]
    boundary[:-1, :] |= band[:-1, :] != band[1:, :]
    indices = np.where(boundary, band + bands, band)
    indices[nan] = nan_index
    return indices.astype(np.uint8)


def band_palette(fill: np.ndarray, line_shade: float) -> np.ndarray:
    """The first 2 × bands palette rows (uint8 RGB) for contour_indices: the bands' fill colours,
    then the same colours darkened by line_shade for their boundary pixels."""
    return np.vstack([fill, fill * line_shade]).round().astype(np.uint8)


def banded_map_png(
    z: np.ndarray, low: float, high: float, bands: int, colorscale: list[list]
) -> str:
    """A data: URI of a PNG showing z (rows = y from bottom to top) as equal bands over
    [low, high] with a darker line wherever the band changes between neighbouring pixels."""
    fill = colors_at(colorscale, (np.arange(bands) + 0.5) / bands)
    palette = np.vstack([band_palette(fill, LINE_SHADE), np.array([NAN_RGB], dtype=np.uint8)])
    indices = contour_indices(z, equal_edges(low, high, bands), nan_index=2 * bands)
    # PNG rows run top to bottom; z rows run bottom (ymin) to top.
    image = Image.fromarray(np.ascontiguousarray(indices[::-1]), mode="P")
    image.putpalette(palette.tobytes())
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=_PNG_COMPRESS_LEVEL)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
