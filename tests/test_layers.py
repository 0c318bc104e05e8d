"""The architecture holds: the core (landscapes, optimizers, analysis) never imports Streamlit or
Plotly, and the figures and the classroom's maths never import Streamlit."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("landscapes", "optimizers", "analysis.outcome", "analysis.sweeps", "analysis.basins")
CORE += ("analysis.switching", "analysis.starting_rates", "landscapes.network", "analysis.slices")
CORE += ("analysis.network_runs",)
DRAWING = ("figures", "figures.basins", "figures.sweeps", "figures.data_fit", "figures.learn")
DRAWING += ("classroom.scenarios", "classroom.lessons", "classroom.measurements")
DRAWING += (
    "classroom.presenter",
    "classroom.exports",
    "figures.network",
    "classroom.network_lessons",
)


def _imported_by(modules: tuple[str, ...]) -> set[str]:
    """Top-level packages loaded by importing `modules` in a fresh interpreter."""
    code = f"import sys, {', '.join(modules)}; print(' '.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return {name.split(".")[0] for name in out.stdout.split()}


def test_the_core_needs_neither_streamlit_nor_plotly():
    assert not _imported_by(CORE) & {"streamlit", "plotly"}


def test_figures_and_lessons_need_no_streamlit():
    assert "streamlit" not in _imported_by(DRAWING)
