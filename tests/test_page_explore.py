"""The Explore page in Streamlit's AppTest: renders everywhere, reacts, keeps its URL, explains."""

import warnings
from pathlib import Path

import numpy as np
import pytest
from page_charts import chart_figures, chart_messages, open_page
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 30


def explore(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at.run()


def figure(at: AppTest, index: int = 0) -> dict:
    return chart_figures(at)[index]


def contour_path(at: AppTest, label: str) -> np.ndarray:
    """The drawn 2D path of the optimizer titled `label`, shape (points, 2)."""
    trace = next(t for t in figure(at)["data"] if t.get("name") == label and t["type"] == "scatter")
    return np.column_stack([trace["x"], trace["y"]]).astype(float)


def texts(elements) -> str:
    return "\n".join(element.value for element in elements)


def test_default_page_shows_a_run_its_charts_and_the_maths():
    at = explore()
    assert not at.exception
    assert len(chart_figures(at)) == 3  # trajectory, loss, distance
    assert at.selectbox(key="surface").value == "bowl"
    assert "Reached the minimum" in texts(at.success)
    assert not at.latex  # the maths is drawn only once its expander is opened

    at.session_state["maths"] = True
    latex = texts(at.run().latex)
    assert "x^{2} + y^{2}" in latex and r"\eta = " in latex


def test_every_surface_and_optimizer_renders():
    at = explore(steps="10")
    for name in landscapes.names():
        at.selectbox(key="surface").set_value(name).run()
        for key in optimizers.names():
            at.selectbox(key="optimizer").set_value(key).run()
            assert not at.exception, (name, key)
            # Only a surface without a minimum may end a run at its starting lr in divergence.
            errors = texts(at.error)
            assert not errors or ("Diverged" in errors and not landscapes.get(name).minima), (
                name,
                key,
                errors,
            )
            path = contour_path(at, optimizers.get(key).title)
            np.testing.assert_allclose(path[0], landscapes.get(name).start, atol=1e-3)
            # The full path is drawn, or up to the divergence the error message reports.
            assert len(path) == 11 or (errors and len(path) < 11), (name, key, len(path))


def test_moving_the_lr_slider_changes_the_drawn_trajectory():
    at = explore(surface="ill_conditioned", steps="50")
    before = contour_path(at, "Gradient descent (SGD)")
    at.select_slider(key="lr").set_value(0.06).run()
    after = contour_path(at, "Gradient descent (SGD)")
    np.testing.assert_allclose(before[0], after[0])  # same start
    # GD on x²/2 + 15y²: y is multiplied by (1 - 30·lr) each step, so lr = 0.06 flips its sign
    # (the zig-zag) while the default starting lr does not.
    assert np.all(np.diff(np.sign(after[:10, 1])) != 0)
    assert not np.all(np.diff(np.sign(before[:10, 1])) != 0)


def test_a_diverging_lr_says_so_with_the_step_and_a_hint():
    at = explore(surface="bowl", lr="1.5")
    assert not at.exception
    message = texts(at.error)
    # GD on x² + y² with lr 1.5 multiplies the distance by |1 - 2·1.5| = 2 every step.
    assert "Diverged at step" in message and "too large for the curvature" in message


def test_a_bad_formula_shows_a_message_and_no_traceback():
    at = explore(surface="custom", formula="x^2 + __import__('os')", lr="0.02")
    assert not at.exception
    message = texts(at.error)
    assert "cannot be used" in message
    # The parser's message quotes the typed name; it is shown literally, not as bold Markdown.
    assert r"\_\_import\_\_" in message
    assert not chart_figures(at)
    # The link's lr waits for the fixed formula instead of being reported as unknown.
    assert not at.warning and at.query_params["lr"] == "0.02"
    at.text_input(key="formula").set_value("x^2 + 3*y^2").run()
    assert not at.exception and not at.error
    assert len(chart_figures(at)) == 3
    assert at.select_slider(key="lr").value == 0.02


def test_a_link_restores_every_setting():
    query = {
        "surface": "custom",
        "formula": "(x-1)^2 + 2*y^2",
        "x_min": "-2",
        "x_max": "4",
        "optimizer": "adam",
        "lr": "0.02",
        "beta2": "0.99",
        "start_x": "-1.5",
        "start_y": "1",
        "steps": "120",
        "noise": "0.5",
        "seed": "7",
        "schedule": "cosine",
        "t_max": "80",
        "warmup": "10",
    }
    at = explore(**query)
    assert not at.exception and not at.warning
    assert at.text_input(key="formula").value == "(x-1)^2 + 2*y^2"
    assert at.select_slider(key="lr").value == 0.02
    assert at.select_slider(key="beta2").value == 0.99
    assert at.number_input(key="seed").value == 7
    path = contour_path(at, "Adam")
    assert len(path) == 121 and tuple(path[0]) == (-1.5, 1.0)
    # The page writes the same settings back, so the link it shows is the link it was given.
    assert dict(at.query_params) == query
    # Opening the link again draws exactly the same (noisy, seeded) run.
    np.testing.assert_array_equal(contour_path(explore(**query), "Adam"), path)


def test_bad_and_stale_link_values_fall_back_to_defaults_with_a_note():
    at = explore(surface="rosenbrock", lr="lots", steps="5000", colour="red")
    assert not at.exception
    note = texts(at.warning)
    assert "lr=lots" in note and "not a number" in note
    assert "steps=5000" in note and "colour" in note
    assert at.selectbox(key="surface").value == "rosenbrock"
    assert at.slider(key="steps").value == 300


def test_changing_surface_resets_lr_and_start_to_suit_the_new_surface():
    at = explore(surface="bowl")
    at.select_slider(key="lr").set_value(0.9).run()
    at.selectbox(key="surface").set_value("rosenbrock").run()
    rosenbrock = landscapes.get("rosenbrock")
    assert at.select_slider(key="lr").value < 0.01  # stable across Rosenbrock's steep walls
    assert (at.number_input(key="start_x").value, at.number_input(key="start_y").value) == (
        pytest.approx(rosenbrock.start[0]),
        pytest.approx(rosenbrock.start[1]),
    )
    assert not at.error


def test_reset_puts_every_setting_back_and_clears_the_link():
    at = explore(surface="rosenbrock", optimizer="adam", lr="0.1", steps="50")
    at.button(key="_reset_explore").click().run()
    assert not at.exception
    assert at.selectbox(key="surface").value == "bowl"
    assert at.selectbox(key="optimizer").value == "sgd"
    assert at.slider(key="steps").value == 300
    assert dict(at.query_params) == {}


def test_a_link_names_the_animation_step_and_camera_and_a_bad_one_gets_a_note():
    at = explore(surface="ill_conditioned", at="40", eye="1.5,1.2,0.9")
    assert chart_messages(at)[0]["view"] == {"step": 40, "eye": [1.5, 1.2, 0.9]}

    at = explore(at="-3", eye="1,2")
    assert chart_messages(at)[0]["view"] == {"step": 0, "eye": None}
    notes = texts(at.warning)
    assert "`at=-3`" in notes and "`eye=1,2` must be three numbers" in notes


@pytest.mark.parametrize("page", ["explore", "compare"])
def test_a_domain_too_narrow_to_draw_is_refused_in_the_page(page):
    at = open_page(page, {"surface": "custom", "x_min": "0", "x_max": "5e-324"})
    assert not at.exception
    assert any("too narrow" in error.value for error in at.error)
    assert not chart_figures(at)


def test_a_key_repeated_in_the_link_is_used_once_with_a_note_and_written_once():
    at = open_page("explore", {"steps": ["10", "20"]})
    assert not at.exception
    assert at.slider(key="steps").value == 20
    notes = texts(at.warning)
    assert "`steps` is in the link 2 times; using the last, `20`." in notes
    assert at.query_params["steps"] == "20"


@pytest.mark.parametrize("formula", ["cosh(x)**50", "(x+y)**50"])
def test_a_formula_with_astronomical_values_draws_without_warnings_or_long_ticks(formula):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        at = open_page("explore", {"surface": "custom", "formula": formula})
    assert not at.exception
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], caught
    bars = [t["colorbar"] for t in chart_figures(at)[0]["data"] if "colorbar" in t]
    labels = [label for bar in bars for label in bar.get("ticktext", [])]
    assert labels and max(map(len, labels)) <= 8, labels


def test_a_run_that_ends_outside_a_custom_map_is_told_so():
    # x² + y² on a map from x = 9999.99 to 10000: the run goes straight to the minimum at (0, 0),
    # which is far outside the map.
    query = {"surface": "custom", "formula": "x**2+y**2", "x_min": "9999.99", "x_max": "10000"}
    at = open_page("explore", query)
    assert not at.exception
    message = texts(at.info)
    assert "It ended outside the map, which shows x from 9999.99 to 10000" in message
    assert "at (0, 0)" in message


def test_a_wide_custom_map_finds_the_default_formulas_minimum():
    query = {"surface": "custom"} | {key: "-10000" for key in ("x_min", "y_min")}
    at = open_page("explore", query | {key: "10000" for key in ("x_max", "y_max")})
    assert not at.exception
    assert "no minimum" not in texts(at.info) + texts(at.success)
    # x² + 3y² + 2·sin(2x) has its lowest point where 2x + 4·cos(2x) = 0, y = 0.
    surface = landscapes.from_expression("x^2 + 3*y^2 + 2*sin(2*x)", ((-1e4, 1e4), (-1e4, 1e4)))
    (mx, my), *_ = surface.minima
    assert abs(2 * mx + 4 * np.cos(2 * mx)) < 1e-9 and my == pytest.approx(0, abs=1e-9)


def test_a_diverging_second_order_run_offers_its_own_remedies():
    # On x² + y², L-BFGS's direction is Newton's after one pair: lr 10 overshoots 9-fold a step.
    at = explore(surface="bowl", optimizer="lbfgs", lr="10")
    assert not at.exception
    message = texts(at.error)
    assert "L-BFGS's step jumped far away" in message
    assert "a line search" in message and "damping" not in message
