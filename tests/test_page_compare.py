"""The Compare page in Streamlit's AppTest: several optimizers, one surface, one ranking."""

from pathlib import Path

import numpy as np
from page_charts import chart_figures
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 30
DEFAULT_TITLES = ["Gradient descent (SGD)", "Momentum", "RMSprop", "Adam"]


def open_compare(**query: str) -> AppTest:
    """Compare opened from a link: the link is read when the page first runs in the session."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.query_params.clear()
    at.query_params.update(query)
    return at.switch_page("pages/compare.py").run()


def paths(at: AppTest) -> dict[str, np.ndarray]:
    spec = chart_figures(at)[0]
    return {
        t["name"]: np.column_stack([t["x"], t["y"]]).astype(float)
        for t in spec["data"]
        if t["type"] == "scatter"
        and t.get("name") in {o.title for o in map(optimizers.get, optimizers.names())}
    }


def table(at: AppTest):
    return at.dataframe[0].value


def test_default_compare_overlays_four_optimizers_from_one_start_and_ranks_them():
    at = open_compare()
    assert not at.exception
    drawn = paths(at)
    assert sorted(drawn) == sorted(DEFAULT_TITLES)
    starts = {tuple(path[0]) for path in drawn.values()}
    assert starts == {landscapes.get("bowl").start}
    assert len(chart_figures(at)) == 2  # overlay and loss curves; side by side is closed
    ranked = table(at)
    assert sorted(ranked["Optimizer"]) == sorted(DEFAULT_TITLES)
    losses = ranked["Final loss"].to_numpy()
    reached = (ranked["Steps to minimum"] != "—").to_numpy()
    # Runs that reached the minimum come first, ordered by how fast they got there.
    assert list(reached) == sorted(reached, reverse=True)
    steps = ranked["Steps to minimum"][reached].astype(int).to_numpy()
    assert list(steps) == sorted(steps)
    assert np.all(np.isfinite(losses))


def test_every_surface_renders_with_every_optimizer_selected():
    at = open_compare(steps="10", optimizers=",".join(optimizers.names()))
    for name in landscapes.names():
        at.selectbox(key="surface").set_value(name).run()
        assert not at.exception, name
        assert len(paths(at)) == len(optimizers.names()), name
        assert len(table(at)) == len(optimizers.names())


def test_each_optimizer_has_its_own_sliders_and_moving_one_changes_only_its_path():
    at = open_compare(surface="ill_conditioned", steps="50")
    before = paths(at)
    at.select_slider(key="sgd.lr").set_value(0.06).run()
    after = paths(at)
    assert not np.array_equal(before["Gradient descent (SGD)"], after["Gradient descent (SGD)"])
    for title in DEFAULT_TITLES[1:]:
        np.testing.assert_array_equal(before[title], after[title])


def test_a_diverging_optimizer_is_ranked_last_and_marked():
    at = open_compare(surface="bowl", optimizers="sgd,adam", **{"sgd.lr": "2"})
    ranked = table(at)
    assert list(ranked["Optimizer"]) == ["Adam", "Gradient descent (SGD)"]
    assert ranked["Outcome"].iloc[-1].startswith("diverged at step")


def test_a_link_restores_the_selection_and_each_optimizers_settings():
    query = {"surface": "himmelblau", "optimizers": "newton,rmsprop", "rmsprop.alpha": "0.9"}
    at = open_compare(**query)
    assert not at.exception and not at.warning
    assert at.multiselect(key="optimizers").value == ["newton", "rmsprop"]
    assert at.select_slider(key="rmsprop.alpha").value == 0.9
    assert dict(at.query_params) == query
    bad = open_compare(optimizers="adam,shampoo")
    assert "optimizers=adam,shampoo" in "\n".join(w.value for w in bad.warning)
    assert bad.multiselect(key="optimizers").value == ["sgd", "momentum", "rmsprop", "adam"]


def test_no_optimizer_selected_asks_for_one():
    at = open_compare()
    at.multiselect(key="optimizers").set_value([]).run()
    assert not at.exception
    assert "Pick at least one optimizer" in at.info[0].value


def test_side_by_side_view_draws_one_map_per_optimizer_and_is_in_the_link():
    at = open_compare(view="Side by side", optimizers="sgd,adam")
    assert not at.exception
    spec = chart_figures(at)[0]
    names = {trace.get("name") for trace in spec["data"]}
    assert {"Gradient descent (SGD)", "Adam"} <= names
    assert not any(trace["type"] == "surface" for trace in spec["data"])  # maps, no 3D view
    assert at.query_params["view"] == "Side by side"


def test_a_switching_run_continues_from_the_switch_point_with_the_second_optimizer():
    at = open_compare(
        surface="rosenbrock",
        optimizers="sgd,adam",
        **{"adam.lr": "0.05", "sgd.lr": "0.0005"},
        switch_from="adam",
        switch_to="sgd",
        switch_at="40",
        steps="120",
    )
    assert not at.exception
    spec = chart_figures(at)[0]
    title = "Adam → Gradient descent (SGD) at step 40"
    (switched,) = [t for t in spec["data"] if t.get("name") == title and t["type"] == "scatter"]
    drawn = np.column_stack([switched["x"], switched["y"]]).astype(float)
    # Independent reference: Adam for 40 steps, then a fresh SGD from exactly where it stopped.
    surface = landscapes.get("rosenbrock")
    head = optimizers.simulate(surface, "adam", {"lr": 0.05}, [surface.start], 40)
    tail = optimizers.simulate(surface, "sgd", {"lr": 0.0005}, head.points[-1], 80)
    expected = np.concatenate([head.points[:, 0], tail.points[1:, 0]])
    np.testing.assert_allclose(drawn, expected, rtol=1e-3, atol=1e-3)  # the figure rounds
    marker = [t for t in spec["data"] if t.get("name") == "switch at step 40"]
    assert marker and np.allclose(
        [marker[0]["x"][0], marker[0]["y"][0]], head.points[-1, 0], atol=1e-3
    )
    assert title in list(table(at)["Optimizer"])


def test_switch_controls_need_two_optimizers():
    at = open_compare(optimizers="adam")
    assert not at.exception
    assert not [box for box in at.selectbox if box.label == "Start with"]


def test_the_loss_chart_plots_against_evaluations_on_request_and_the_link_keeps_it():
    at = open_compare(
        optimizers="lbfgs,adam",
        surface="rosenbrock",
        **{"lbfgs.line_search_fn": "strong_wolfe", "lbfgs.lr": "1"},
    )
    loss = chart_figures(at)[1]
    assert loss["layout"]["xaxis"]["title"]["text"] == "step"
    at.radio(key="loss_x").set_value("evaluations").run()
    assert at.query_params["loss_x"] == "evaluations"
    loss = chart_figures(at)[1]
    assert loss["layout"]["xaxis"]["title"]["text"] == "evaluations of f and ∇f"
    lines = {t["name"]: t for t in loss["data"] if t.get("mode") == "lines"}
    lbfgs, adam = lines["L-BFGS"], lines["Adam"]
    # Adam spends one evaluation per step; the line search several on some steps.
    assert adam["x"] == list(range(len(adam["y"])))
    assert lbfgs["x"][-1] > len(lbfgs["y"]) - 1
    ranking = table(at).set_index("Optimizer")
    steps = int(ranking.loc["L-BFGS", "Steps to minimum"])
    assert int(ranking.loc["L-BFGS", "Evaluations to minimum"]) == lbfgs["x"][steps]
    assert ranking.loc["Adam", "Evaluations to minimum"] == "—"
    reopened = open_compare(**dict(at.query_params))
    assert reopened.radio(key="loss_x").value == "evaluations"
