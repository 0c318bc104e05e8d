"""The Basins page in Streamlit's AppTest: two maps render, controls change them, bad input is told."""

from pathlib import Path

import numpy as np
from page_charts import chart_figures
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60
SMALL = {"resolution": "50", "steps": "100"}


def basins_page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/basins.py")
    at.query_params.update({**SMALL, **query})
    return at.run()


def figures_json(at: AppTest) -> list[dict]:
    return chart_figures(at)


def heatmap(fig: dict) -> dict:
    return next(trace for trace in fig["data"] if trace["type"] == "heatmap")


def test_two_maps_of_himmelblau_with_a_legend_per_minimum():
    at = basins_page()
    assert not at.exception
    left, right = figures_json(at)
    for fig in (left, right):
        z = np.array(heatmap(fig)["z"])
        assert z.shape == (50, 50)
        names = [trace.get("name", "") for trace in fig["data"]]
        assert sum(name.startswith("minimum ") for name in names) == 4
        assert "click-to-start" in names
    # GD and momentum send some starts to different minima.
    assert (np.array(heatmap(left)["z"]) != np.array(heatmap(right)["z"])).any()


def test_changing_an_optimizer_changes_only_its_map():
    at = basins_page()
    before = figures_json(at)
    at.selectbox(key="right").set_value("adam").run()
    assert not at.exception
    after = figures_json(at)
    assert heatmap(after[0])["z"] == heatmap(before[0])["z"]
    assert heatmap(after[1])["z"] != heatmap(before[1])["z"]


def test_colouring_by_steps_and_the_start_point_path():
    at = basins_page(surface="double_well", coloring="steps")
    assert not at.exception
    left = figures_json(at)[0]
    assert heatmap(left)["name"] == "steps to the minimum"
    at.number_input(key="start_x").set_value(1.5).run()
    path = next(
        t for t in figures_json(at)[0]["data"] if t.get("name", "").endswith("from the start point")
    )
    assert path["x"][0] == 1.5


def test_a_bad_formula_is_explained_not_raised():
    at = basins_page(surface="custom", formula="x^2 + ")
    assert not at.exception
    assert at.error and "cannot be used" in at.error[0].value


def test_a_link_value_between_the_slider_choices_uses_the_nearest_and_says_so():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"resolution": "75", "steps": "50"})
    at.run()
    at.switch_page("pages/basins.py")
    at.query_params.update({"resolution": "75", "steps": "50"})
    at.run()
    assert not at.exception
    assert at.select_slider(key="resolution").value == 100
    notes = " ".join(warning.value for warning in at.warning)
    assert "resolution=75" in notes and "using 100" in notes


def test_in_korean_the_maps_legends_and_counts_read_in_korean():
    at = basins_page(lang="ko")
    assert not at.exception
    title = at.subheader[0].value  # the surface's title as plain text: Markdown escaped
    assert (
        title.startswith("Himmelblau")
        and "최솟값 네 개" in title
        and title.endswith("의 수렴 영역")
    )
    for fig in figures_json(at):
        names = [trace.get("name", "") for trace in fig["data"]]
        assert sum(name.startswith("최솟값 ") for name in names) == 4
        assert "최솟값 1 (3, 2)" in " ".join(names)
    counts = [caption.value for caption in at.caption if "2,500개 중" in caption.value]
    assert len(counts) == 2 and all("최솟값에 도착했고" in count for count in counts)


def test_a_link_cannot_make_l_bfgs_keep_a_history_the_map_cannot_afford():
    # History 100 on the map's grid took 78 s for one map; the page offers at most 20.
    at = basins_page(left="lbfgs", **{"left.history_size": "100"}, resolution="50", steps="50")
    assert not at.exception
    assert at.select_slider(key="left.history_size").value == 10
    notes = " ".join(warning.value for warning in at.warning)
    assert "`left.history_size=100` must be between 1 and 20; using 10." in notes
