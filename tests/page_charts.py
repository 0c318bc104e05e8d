"""The charts a page drew with ui.plotly_chart in an AppTest run, as Plotly figure dicts."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from ui.chart import CHART_COMPONENT


def chart_figures(at: AppTest) -> list[dict]:
    """Every chart's figure, in page order (the plotly.js loader at the top has no figure)."""
    return [
        json.loads(element.proto.bytes)["figure"]
        for element in at.get("bidi_component")
        if element.proto.component_name == CHART_COMPONENT and element.proto.bytes
    ]
