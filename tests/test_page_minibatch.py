"""The Mini-batches page in Streamlit's AppTest: real batches, raw vs standardised, scaling rule."""

from pathlib import Path

import numpy as np
from page_charts import chart_figures
from streamlit.testing.v1 import AppTest

import texts
from classroom import network_lessons
from landscapes import data

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60


def minibatch_page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/minibatch.py")
    at.query_params.update(query)
    return at.run()


def path(at: AppTest, chart: int, label: str) -> np.ndarray:
    fig = chart_figures(at)[chart]
    trace = next(t for t in fig["data"] if t.get("name") == label and t["type"] == "scatter")
    return np.column_stack([trace["x"], trace["y"]]).astype(float)


def test_raw_and_standardised_maps_with_fits_and_losses():
    at = minibatch_page()
    assert not at.exception and not at.error
    assert len(chart_figures(at)) == 7  # per side: map, data fit, loss; the batch sweep
    caption = "\n".join(c.value for c in at.caption)
    assert "batches of 20: 10 steps per epoch, 5 epochs = 50 steps" in caption
    for chart, scaled in ((0, False), (3, True)):
        surface = data.get("linear_regression", scaled).surface
        noisy = path(at, chart, "batches of 20")
        exact = path(at, chart, "all 200 samples per step")
        assert len(noisy) == len(exact) == 51
        np.testing.assert_allclose(noisy[0], surface.start, atol=1e-3 * np.ptp(surface.domain))
        assert not np.allclose(noisy, exact)


def test_batch_size_n_draws_the_full_batch_path():
    at = minibatch_page(batch="200", epochs="20")
    assert not at.exception
    np.testing.assert_array_equal(
        path(at, 3, "batches of 200"), path(at, 3, "all 200 samples per step")
    )


def test_batch_size_one_is_two_hundred_steps_per_epoch():
    at = minibatch_page(batch="1", epochs="1", model="logistic_regression")
    assert not at.exception
    assert "200 steps per epoch, 1 epochs = 200 steps" in "\n".join(c.value for c in at.caption)
    assert len(path(at, 3, "batches of 1")) == 201


def test_the_loss_lesson_link_shows_the_squared_error_plateau_beside_the_log_loss():
    (lesson,) = [lesson for lesson in network_lessons.LESSONS if lesson.minibatch_query]
    # The lesson's link, and the same link with the log loss instead: same data, start and η.
    remaining, captions = {}, {}
    for model in ("logistic_regression_mse", "logistic_regression"):
        at = minibatch_page(**{**lesson.minibatch_query, "model": model})
        assert not at.exception and not at.error
        captions[model] = "\n".join(c.value for c in at.caption)
        surface = data.get(model, True).surface
        full_batch = path(at, 3, "all 200 samples per step")
        best, start = np.array(surface.minima[0]), np.array(surface.start)
        remaining[model] = np.linalg.norm(full_batch[-1] - best) / np.linalg.norm(start - best)
    assert "plateaus" in captions["logistic_regression_mse"]
    assert "plateaus" not in captions["logistic_regression"]
    # Gradient descent crosses the log loss's bowl and crawls on the squared error's plateau.
    assert remaining["logistic_regression"] < 0.05 < 0.5 < remaining["logistic_regression_mse"]


def test_linear_scaling_multiplies_the_learning_rate():
    at = minibatch_page(batch="40", lr_scaled="0.05", scale_lr="on", base_batch="10")
    assert not at.exception
    assert "η is multiplied by 4" in at.info[0].value
    headings = [m.value for m in at.markdown if "Feature standardised" in m.value]
    assert headings == ["**Feature standardised** — η = 0.2"]


def test_too_large_a_rate_on_the_raw_feature_is_explained():
    at = minibatch_page(lr_raw="0.01", optimizer="sgd")
    assert not at.exception
    assert "blew up" in at.error[0].value and "2/L" in at.error[0].value


def test_warm_up_starts_at_a_tenth_of_the_rate():
    first_steps = []
    for warmup in ("0", "30"):
        at = minibatch_page(warmup=warmup)
        assert not at.exception
        noisy = path(at, 3, "batches of 20")
        first_steps.append(noisy[1] - noisy[0])
    # Same batches (same seed), SGD: the first step is lr × gradient, with lr ten times smaller.
    np.testing.assert_allclose(first_steps[1], first_steps[0] / 10, rtol=0.02, atol=2e-3)


def test_batch_size_comparison_agrees_at_the_base_batch_and_reacts_to_it():
    at = minibatch_page(base_batch="20")
    assert not at.exception
    fig = chart_figures(at)[6]
    same, scaled = (
        next(t for t in fig["data"] if t.get("name") == name and t.get("yaxis", "y") == "y")
        for name in ("same η for every batch size", "η scaled with the batch size")
    )
    assert same["x"] == [1, 2, 5, 10, 20, 50, 100, 200]
    at_base = same["x"].index(20)
    assert same["y"][at_base] == scaled["y"][at_base]
    assert same["y"] != scaled["y"]
    at.select_slider(key="base_batch").set_value(50).run()
    moved = chart_figures(at)[6]
    scaled_now = next(t for t in moved["data"] if t.get("name") == "η scaled with the batch size")
    assert scaled_now["y"] != scaled["y"]


def test_an_adaptive_rate_that_flies_off_without_diverging_is_called_unstable():
    # Adam moves about lr per coordinate per step: at 10 it leaves the parameter map at once,
    # without reaching simulate's escape radius.
    at = minibatch_page(lr_raw="10", optimizer="adam")
    assert not at.exception
    assert "blew up (unstable: lower the learning rate)" in at.error[0].value


def test_in_korean_the_page_its_choices_and_its_lesson_read_in_korean():
    at = minibatch_page(lang="ko", scale_lr="on", batch="20", base_batch="10")
    assert not at.exception
    korean = texts.catalogue("ko")
    assert at.radio(key="scale_lr").options == [korean["off"], korean["on"]]
    assert at.selectbox(key="model").options == [
        korean[model.title] for model in data.MODELS.values()
    ]
    assert at.info[0].value.startswith("선형 스케일링: 배치 20은(는) 배치 10의 2배")
    problem = data.get("linear_regression", scaled=True)
    shown = [caption.value for caption in at.caption]
    assert korean[problem.surface.lesson] in shown  # the standardised feature's lesson
