"""The contour map as a picture: filled bands with their boundary lines, drawn into a small
palette PNG that the figure shows as a layout image under the paths.

Why not a Plotly Contour trace: plotly.js drops Contour and Heatmap traces from the plot while an
animation runs (plotly/plotly.js#4491, plotly/plotly.py#2151), so the map would vanish whenever a
student presses Play. A layout image is not a trace and stays put; as a bonus a banded palette PNG
is a fraction of the size of the z grid a Contour trace sends.
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np

# Boundary pixels are the band's colour darkened by this factor: a line that is visible on every
# band, yet does not compete with the optimizer paths.
LINE_SHADE = 0.72
NAN_RGB = (255, 255, 255)


def colors_at(colorscale: list[list], positions: np.ndarray) -> np.ndarray:
    """RGB (n, 3) floats of a Plotly colorscale ([[0, '#rrggbb'], …, [1, '#rrggbb']]) at positions
    in [0, 1], interpolated linearly in RGB as plotly.js does."""
    stops = np.array([stop for stop, _ in colorscale])
    rgb = np.array([[int(color[i : i + 2], 16) for i in (1, 3, 5)] for _, color in colorscale])
    positions = np.clip(positions, 0.0, 1.0)
    return np.column_stack([np.interp(positions, stops, rgb[:, c]) for c in range(3)])


def band_indices(z: np.ndarray, low: float, high: float, bands: int) -> np.ndarray:
    """Band number 0..bands-1 of each value (equal bands over [low, high]); -1 where z is NaN."""
    with np.errstate(invalid="ignore"):
        index = np.floor((z - low) / (high - low) * bands)
    index = np.clip(np.nan_to_num(index, nan=-1.0), -1, bands - 1).astype(int)
    index[np.isnan(z)] = -1
    return index


def banded_map_png(
    z: np.ndarray, low: float, high: float, bands: int, colorscale: list[list]
) -> str:
    """A data: URI of a PNG showing z (rows = y from bottom to top) as filled bands with a darker
    line wherever the band changes between neighbouring pixels."""
    band = band_indices(z, low, high, bands)
    boundary = np.zeros(band.shape, dtype=bool)
    boundary[:, :-1] |= band[:, :-1] != band[:, 1:]
    boundary[:-1, :] |= band[:-1, :] != band[1:, :]
    fill = colors_at(colorscale, (np.arange(bands) + 0.5) / bands)
    palette = np.vstack([fill, fill * LINE_SHADE, [NAN_RGB]]).round().astype(np.uint8)
    pixel = np.where(boundary, band + bands, band)
    pixel[band < 0] = 2 * bands
    # PNG rows run top to bottom; z rows run bottom (ymin) to top.
    return "data:image/png;base64," + base64.b64encode(_palette_png(pixel[::-1], palette)).decode()


def _palette_png(indices: np.ndarray, palette: np.ndarray) -> bytes:
    """An 8-bit indexed-colour PNG (the format is small enough to write by hand: no extra package)."""
    height, width = indices.shape
    rows = np.hstack([np.zeros((height, 1), dtype=np.uint8), indices.astype(np.uint8)])
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", palette.tobytes()),
            _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)),
            _chunk(b"IEND", b""),
        ]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
