"""The export panel a page shows under its figure: CSV at once, the figure as an HTML file made
when clicked, GIF and MP4 on request with a progress bar. It runs as a fragment, so making a file
does not rerun the whole page."""

from __future__ import annotations

import hashlib
import json
import re

import streamlit as st

import texts
from classroom import exports
from figures.track import Track
from landscapes import Surface
from texts import tr, translatable
from ui.chart import SerialisedFigure

_MADE = "_export_{kind}_{key}"
_FORMATS = {
    "gif": (translatable("Animated GIF"), "image/gif", exports.animation_gif),
    "mp4": (translatable("MP4 video"), "video/mp4", exports.animation_mp4),
}


@st.fragment
def export_panel(
    surface: Surface,
    tracks: list[Track],
    key: str,
    figure: dict | SerialisedFigure | None = None,
    eye: tuple[float, float, float] | None = None,
) -> None:
    """Download buttons for the runs in `tracks`, and for the `figure` shown above (seen from the
    3D camera `eye` the user left it at) when there is one; `key` keeps two panels on one page
    apart."""
    stem = _file_stem(surface, tracks)
    fingerprint = _fingerprint(surface, tracks)
    csv_column, *animation_columns = st.columns(3)
    if figure is not None:
        language = texts.language()
        st.download_button(
            tr("Interactive figure (HTML, works offline)"),
            # Made when clicked, in its own thread (so the language is passed): the file holds
            # plotly.js (~5 MB).
            lambda: exports.figure_html(_plain(figure), eye, language),
            file_name=f"{stem}.html",
            mime="text/html",
            on_click="ignore",
            key=f"{key}_html",
            help=tr(
                "One file with the animation and the turnable 3D view, for a course page or a "
                "slide deck: it opens in any browser without this app or a network."
            ),
        )
    csv_column.download_button(
        tr("Trajectories (CSV)"),
        exports.trajectories_csv(tracks),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{key}_csv",
        help=tr("One row per step and optimizer: step, optimizer, x, y, loss."),
        width="stretch",
    )
    for column, (kind, (name, mime, make)) in zip(animation_columns, _FORMATS.items(), strict=True):
        made_key = _MADE.format(kind=kind, key=key)
        label = tr(name)
        with column:
            if _fresh(made_key, fingerprint) is None and st.button(
                tr("Make {format}", format=label), key=f"{key}_{kind}_make", width="stretch"
            ):
                bar = st.progress(0.0, text=tr("Drawing the {format}…", format=label))
                data = make(
                    surface,
                    tracks,
                    progress=lambda done, bar=bar, label=label: bar.progress(
                        done, text=tr("Drawing the {format}… {done:.0%}", format=label, done=done)
                    ),
                )
                bar.empty()
                st.session_state[made_key] = (fingerprint, data)
            data = _fresh(made_key, fingerprint)
            if data is not None:
                st.download_button(
                    tr("Download {format}", format=label),
                    data,
                    file_name=f"{stem}.{kind}",
                    mime=mime,
                    on_click="ignore",
                    key=f"{key}_{kind}_download",
                    type="primary",
                    width="stretch",
                )


def _plain(figure: dict | SerialisedFigure) -> dict:
    """The figure as Plotly's JSON (data, layout, frames)."""
    return json.loads(figure.json) if isinstance(figure, SerialisedFigure) else figure


def _fresh(made_key: str, fingerprint: str) -> bytes | None:
    """The file made earlier for exactly what is shown now, if any."""
    made = st.session_state.get(made_key)
    return made[1] if made is not None and made[0] == fingerprint else None


def _fingerprint(surface: Surface, tracks: list[Track]) -> str:
    """Changes whenever what the animation would show changes, its language too (the header and
    the legend are in it), so a stale file is never offered."""
    digest = hashlib.sha1(f"{texts.language()}|{surface.title}".encode())
    for track in tracks:
        digest.update(f"{track.label}|{track.color}".encode())
        digest.update(track.points.tobytes())
    return digest.hexdigest()


def _file_stem(surface: Surface, tracks: list[Track]) -> str:
    words = [surface.name, *(track.label for track in tracks[:3])]
    return re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-") or "gradient-atlas"
