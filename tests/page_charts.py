"""AppTest helpers: open a page of the app with a link's query, and read the charts it drew with
ui.plotly_chart as Plotly figure dicts."""

from __future__ import annotations

import json
from pathlib import Path

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


APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str, query: dict[str, str], timeout: float = 60) -> AppTest:
    """The app opened on `page` ("explore", "compare", …) with a link's `query`, as a shared link
    would open it: through app.py's navigation."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params.update(query)
    at.run()
    if page != "explore":
        at.switch_page(f"pages/{page}.py")
        at.query_params.update(query)
        at.run()
    return at
