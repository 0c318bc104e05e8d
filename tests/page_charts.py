"""The charts a page drew with ui.plotly_chart in an AppTest run, as Plotly figure dicts."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from ui.chart import CHART_COMPONENT


def chart_messages(at: AppTest) -> list[dict]:
    """What every chart received (figure, config, clickTrace, view), in page order; the plotly.js
    loader at the top has no message."""
    return [
        json.loads(element.proto.bytes)
        for element in at.get("bidi_component")
        if element.proto.component_name == CHART_COMPONENT and element.proto.bytes
    ]


def chart_figures(at: AppTest) -> list[dict]:
    """Every chart's figure, in page order."""
    return [message["figure"] for message in chart_messages(at)]
