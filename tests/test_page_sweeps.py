"""The Sweeps page in Streamlit's AppTest: sweeps render, the 2/L edge is drawn, controls act."""

from pathlib import Path

import pytest
from page_charts import chart_figures
from streamlit.testing.v1 import AppTest

import texts

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60


def sweeps_page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/sweeps.py")
    at.query_params.update({"steps": "100", "lr_count": "20", **query})
    return at.run()


def trace(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


def test_ill_conditioned_bowl_shows_the_two_over_l_edge_and_where_gd_breaks():
    at = sweeps_page()
    assert not at.exception
    assert len(chart_figures(at)) == 1  # only the open tab runs
    fig = chart_figures(at)[0]
    edges = [shape["x0"] for shape in fig["layout"]["shapes"]]
    assert edges[0] == pytest.approx(2 / 30)
    assert any(a["text"].startswith("2/L = 0.0667") for a in fig["layout"]["annotations"])
    gd = trace(fig, "Gradient descent (SGD)")
    assert len(gd["x"]) == 20
    # Stable points are drawn only below the edge, unstable ✕ only above it.
    stable_lrs = [x for x, y in zip(gd["x"], gd["y"], strict=True) if y is not None]
    unstable_lrs = trace(fig, "Gradient descent (SGD): unstable")["x"]
    assert max(stable_lrs) < 2 / 30 < min(unstable_lrs)
    assert "unstable from η ≈" in at.markdown[-3].value


def test_more_learning_rates_and_other_optimizers_change_the_sweep():
    at = sweeps_page()
    at.select_slider(key="lr_count").set_value(40).run()
    at.multiselect(key="optimizers").set_value(["rmsprop"]).run()
    assert not at.exception
    fig = chart_figures(at)[0]
    assert len(trace(fig, "RMSprop")["x"]) == 40
    assert not any(t.get("name") == "Gradient descent (SGD)" for t in fig["data"])


def test_momentum_sweep_reacts_to_its_learning_rate():
    at = sweeps_page(view="Momentum μ")
    assert not at.exception
    before = chart_figures(at)[0]
    at.select_slider(key="momentum_lr").set_value(0.1).run()
    assert not at.exception
    after = chart_figures(at)[0]
    assert trace(after, "Momentum")["x"][-1] == 0.99
    assert trace(after, "Momentum")["y"] != trace(before, "Momentum")["y"]
    # η = 0.1 > 2/L: plain GD (μ = 0) is unstable; the theory says μ > 0.1·30/2 − 1 = 0.5 is needed.
    assert trace(after, "Momentum: unstable")["x"][0] == 0.0
    assert after["layout"]["shapes"][0]["x0"] == pytest.approx(0.5)


def test_lr_momentum_map_with_the_theoretical_edge():
    at = sweeps_page(view="Learning rate × μ map")
    assert not at.exception
    fig = chart_figures(at)[0]
    heat = fig["data"][0]
    assert heat["type"] == "heatmap" and len(heat["z"]) == 30 and len(heat["z"][0]) == 40
    assert any(t.get("name", "").startswith("theory") for t in fig["data"])


def test_no_edge_on_a_non_quadratic_and_a_reversed_range_is_explained():
    at = sweeps_page(surface="rosenbrock")
    assert not at.exception
    fig = chart_figures(at)[0]
    assert not fig["layout"].get("shapes")
    at = sweeps_page(lr_low="1", lr_high="0.01")
    assert not at.exception
    assert "must be below" in at.error[0].value


def test_in_korean_the_tabs_are_named_in_korean_and_the_link_keeps_the_english_view():
    at = sweeps_page(lang="ko", view="Momentum μ")
    assert not at.exception
    views = ["Learning rate", "Momentum μ", "Learning rate × μ map"]
    assert [tab.label for tab in at.tabs] == [texts.catalogue("ko")[view] for view in views]
    assert at.query_params["view"] == "Momentum μ"
    # The momentum tab is the open one: its caption is drawn, in Korean.
    assert any("0.99" in caption.value and "모멘텀" in caption.value for caption in at.caption)
    assert at.subheader[0].value.startswith("어디서 무너질까?")
