"""The Networks page in Streamlit's AppTest: what it draws is what the core computes."""

import tomllib
from pathlib import Path

import numpy as np
import pytest
from korean_text import page_texts
from page_charts import chart_figures, open_page

import optimizers
import texts
from analysis import network_runs
from classroom import network_lessons
from landscapes.network import NetworkSetup

QUICK = {"net_steps": "100", "resolution": "21"}  # small enough for the test suite
DEFAULT_KEYS = ("sgd", "momentum", "adam", "rmsprop")


def networks_page(**query: str):
    return open_page("networks", QUICK | query, timeout=120)


def drawn_path(figure: dict, title: str) -> np.ndarray:
    trace = next(t for t in figure["data"] if t.get("name") == title and t["type"] == "scatter")
    return np.column_stack([trace["x"], trace["y"]]).astype(float)


def expected_experiment(at, **changes) -> network_runs.Experiment:
    """The experiment the page should have run, from the learning rates it shows."""
    keys = changes.pop("keys", DEFAULT_KEYS)
    rates = {key: float(at.select_slider(key=f"net_lr_{key}").value) for key in keys}
    settings = {"batch_size": 32, "steps": 100, "seed": 0, "plane": "pca", "resolution": 21}
    settings |= changes
    return network_runs.Experiment(
        changes.pop("setup", NetworkSetup()),
        tuple(rates.items()),
        **{k: v for k, v in settings.items() if k != "setup"},
    )


def test_the_paths_drawn_are_the_simulated_runs_projected_on_the_slice():
    at = networks_page()
    assert not at.exception and not at.error
    figures = chart_figures(at)
    # the slice with its paths, one decision boundary per optimizer, loss, accuracy
    assert len(figures) == 1 + len(DEFAULT_KEYS) + 2
    experiment = expected_experiment(at)
    scape = experiment.landscape(experiment.runs())
    (xmin, xmax), (ymin, ymax) = scape.cut.surface("s", "s").domain
    for (key, _), path in zip(experiment.optimizers, scape.paths, strict=True):
        drawn = drawn_path(figures[0], optimizers.get(key).title)
        assert drawn.shape == (101, 2)
        np.testing.assert_allclose(
            drawn, path.coordinates, atol=2e-4 * max(xmax - xmin, ymax - ymin)
        )
    captions = "\n".join(c.value for c in at.caption)
    assert "explain" in captions and f"{scape.cut.roughness:.4g}" in captions


def test_a_moved_slider_redraws_the_path_simulate_gives():
    at = networks_page()
    before = drawn_path(chart_figures(at)[0], "Adam")
    at.select_slider(key="net_lr_adam").set_value(0.05).run()
    assert not at.exception
    after = drawn_path(chart_figures(at)[0], "Adam")
    assert not np.allclose(before[-1], after[-1])
    experiment = expected_experiment(at)
    assert dict(experiment.optimizers)["adam"] == 0.05
    scape = experiment.landscape(experiment.runs())
    np.testing.assert_allclose(
        after, scape.paths[2].coordinates, atol=2e-4 * np.ptp(scape.cut.xs) + 1e-9
    )


def test_an_empty_layer_is_explained_not_a_traceback():
    at = networks_page(hidden="24,,16")
    assert not at.exception
    assert "empty" in at.error[0].value
    assert chart_figures(at) == []


def test_a_learning_rate_far_too_large_is_reported():
    at = networks_page(net_optimizers="momentum", net_lr_momentum="10")
    assert not at.exception
    assert "higher loss than it started" in at.warning[0].value


def test_batch_norm_contrast_trains_both_and_compares_their_numbers():
    at = networks_page(contrast="batch_norm", net_optimizers="adam,sgd")
    assert not at.exception and not at.error
    headings = [m.value for m in at.markdown if m.value.startswith("####")]
    assert headings == [
        "#### Without batch norm",
        "#### With batch norm",
        "#### The two side by side",
    ]
    assert len(chart_figures(at)) == 2 * (1 + 2 + 2)
    table = at.dataframe[-1].value
    assert list(table.columns) == ["", "without batch norm", "with batch norm"]
    assert table.iloc[0, 0].startswith("slice roughness")


def test_settings_are_in_the_link():
    at = networks_page(dataset="spiral", activation="relu", batch_norm="on", l2="0.001")
    assert not at.exception
    assert "Spiral" in at.subheader[0].value and "relu, batch norm" in at.subheader[0].value
    link = dict(at.query_params)
    assert {k: link[k] for k in ("dataset", "activation", "batch_norm", "l2")} == {
        "dataset": "spiral",
        "activation": "relu",
        "batch_norm": "on",
        "l2": "0.001",
    }


def test_every_lesson_on_the_learn_page_links_to_its_preset():
    at = open_page("learn", {})
    assert not at.exception
    links = {button.proto.url for button in at.get("link_button")}
    for lesson in network_lessons.LESSONS:
        assert lesson.link() in links
        assert lesson.minibatch_link() in links | {None}


@pytest.mark.parametrize("lesson", network_lessons.LESSONS, ids=lambda lesson: lesson.key)
def test_each_lesson_link_opens_its_contrast(lesson):
    at = networks_page(**lesson.query)
    assert not at.exception and not at.error and not at.warning
    labels = [
        label
        for label, _ in network_runs.contrast(
            network_runs.Experiment(NetworkSetup(), (), 32, 100, 0, "pca", 21), lesson.key
        )
    ]
    headings = [m.value for m in at.markdown if m.value.startswith("####")]
    assert headings[:2] == [f"#### {label.capitalize()}" for label in labels]


def test_the_page_in_korean_shows_none_of_its_texts_in_english():
    at = networks_page(lang="ko", contrast="batch_norm", net_optimizers="adam")
    assert not at.exception and not at.error
    assert len(chart_figures(at)) == 2 * (1 + 1 + 2)
    catalogue = Path(__file__).parents[1] / "texts" / "ko" / "figures.toml"
    entries = tomllib.loads(catalogue.read_text(encoding="utf-8"))["message"]
    english = {entry["en"] for entry in entries if entry["en"] != entry["ko"]}
    shown = set(page_texts(at))
    assert sorted(shown & english) == []
    korean = texts.catalogue("ko")
    assert {f"#### {korean[label]}" for label in ("without batch norm", "with batch norm")} <= shown
