"""Plotly figure builders: pure functions from simulated arrays to go.Figure (no Streamlit, no
optimizer runs). ui.plotly_chart draws them with PLOTLY_CONFIG (slide-sized PNG downloads)."""

from figures.charts import distance_chart, loss_chart, small_multiples
from figures.data import MAX_FRAMES, HeightScale, Path, frame_steps, height_scale, path_from_run
from figures.style import PLOTLY_CONFIG, optimizer_color
from figures.trajectory import CLICK_GRID_NAME, trajectory_figure

__all__ = [
    "CLICK_GRID_NAME",
    "MAX_FRAMES",
    "PLOTLY_CONFIG",
    "HeightScale",
    "Path",
    "distance_chart",
    "frame_steps",
    "height_scale",
    "loss_chart",
    "optimizer_color",
    "path_from_run",
    "small_multiples",
    "trajectory_figure",
]
