"""Plotly figure builders: pure functions from simulated arrays to go.Figure (no Streamlit, no
optimizer runs). Every builder takes runs as Tracks; ui.plotly_chart draws the figures with
PLOTLY_CONFIG (slide-sized PNG downloads); plotly_config() is the same with plotly.js's own texts
(the mode bar's) in the page's language."""

from figures.charts import distance_chart, loss_chart, small_multiples
from figures.numbers import MAX_FRAMES, frame_steps
from figures.style import PLOTLY_CONFIG, plotly_config, run_colors
from figures.surface_view import CLICK_GRID_NAME, HeightScale, height_scale, surface_view
from figures.track import Track
from figures.trajectory import trajectory_figure

__all__ = [
    "CLICK_GRID_NAME",
    "MAX_FRAMES",
    "PLOTLY_CONFIG",
    "HeightScale",
    "Track",
    "distance_chart",
    "frame_steps",
    "height_scale",
    "loss_chart",
    "plotly_config",
    "run_colors",
    "small_multiples",
    "surface_view",
    "trajectory_figure",
]
