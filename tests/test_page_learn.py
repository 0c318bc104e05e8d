"""The Learn page is generated from the registries and its numbers are measured, not typed."""

from pathlib import Path

import numpy as np
import pytest
from page_charts import chart_figures, open_page
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
import texts
from classroom import lessons, measurements, scenarios
from landscapes import data
from texts import tr

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "learn.py")


@pytest.fixture(scope="module")
def learn_page():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    return at


def _figures(at) -> list[dict]:
    return chart_figures(at)


def _comparison_table(at):
    return at.dataframe[-1].value.set_index("optimizer")


def test_every_optimizer_has_a_section_with_its_rule_memory_and_settings(learn_page):
    tabs = [tab.label for tab in learn_page.tabs]
    titles = [optimizers.get(key).title for key in optimizers.names()]
    assert tabs == titles
    latex = {element.value.strip("$\n") for element in learn_page.latex}
    markdown = " ".join(element.value for element in learn_page.markdown)
    for key in optimizers.names():
        spec = optimizers.get(key)
        assert spec.latex in latex
        assert spec.summary in markdown
        assert measurements.memory_text(spec) in markdown
    hyper_tables = [frame.value for frame in learn_page.dataframe[:-1]]
    assert [list(table["hyperparameter"]) for table in hyper_tables] == [
        [h.label for h in optimizers.get(key).hyperparams] for key in optimizers.names()
    ]


def test_memory_follows_the_optimizer_state():
    assert measurements.memory_text(optimizers.get("sgd")) == "none"
    assert measurements.memory_text(optimizers.get("momentum")) == "1 per parameter"
    assert measurements.memory_text(optimizers.get("adam")) == "2 per parameter"
    assert measurements.extra_memory(optimizers.get("newton"), parameters=10) == 100
    assert measurements.extra_memory(optimizers.get("adam"), parameters=10) == 20


def test_comparison_table_holds_measured_numbers_that_match_closed_forms(learn_page):
    table = _comparison_table(learn_page)
    assert list(table.index) == [optimizers.get(key).title for key in optimizers.names()]
    bowl = landscapes.get("bowl").title
    # GD on x² + y² multiplies the distance by |1 − 2η|; from |start| = 2 it must shrink to the
    # tolerance 0.004 (0.1 % of the width 4). Best rate on the grid: η = 0.3, 0.4^k ≤ 0.002 → k = 7.
    expected_steps = int(np.ceil(np.log(0.002) / np.log(0.4)))
    assert table.loc[optimizers.get("sgd").title, bowl] == f"{expected_steps} (η 0.3)"
    # Newton lands on a quadratic's minimum in one step.
    newton = optimizers.get("newton").title
    assert table.loc[newton, bowl] == "1 (η 1)"
    assert table.loc[newton, landscapes.get("ill_conditioned").title] == "1 (η 1)"
    assert table.loc[optimizers.get("adam").title, "extra memory"] == "2 per parameter"
    surfaces_shown = [c for c in table.columns if c not in ("extra memory", "forgiving")]
    assert surfaces_shown == [landscapes.get(n).title for n in measurements.measured_surfaces()]


def test_saved_table_is_what_the_app_measures_now():
    # The page shows numbers measured at build time; if the core changed, they must be
    # re-measured (python3 -m classroom.measurements) or this fails.
    saved = measurements.load_table()
    assert list(saved) == optimizers.names()
    assert [saved[key] for key in optimizers.names()] == measurements.measure_table()


def test_a_table_saved_with_other_settings_is_not_shown(tmp_path):
    stale = tmp_path / "table.json"
    cells = {name: measurements.Cell(1, 1.0, 1) for name in measurements.measured_surfaces()}
    measurements.save_table([measurements.Row("newton", "Newton's method", cells)], stale)
    assert set(measurements.load_table(stale)) == {"newton"}
    stale.write_text(stale.read_text().replace('"steps": 400', '"steps": 399'))
    assert measurements.load_table(stale) == {}


def test_surfaces_without_a_minimum_are_left_out_of_the_table():
    assert "saddle" not in measurements.measured_surfaces()
    assert "bowl" in measurements.measured_surfaces()


def test_a_cell_counts_every_rate_that_converged():
    # GD on the bowl converges for η < 1 (|1 − 2η| < 1): all grid rates but 1.0, within 400 steps
    # except the slowest: η = 0.001 needs ln(0.002)/ln(0.998) ≈ 3100 steps, 0.003 about 1030.
    cell = measurements.measure_cell("bowl", "sgd")
    assert cell.converging_rates == sum(
        1 for lr in measurements.LR_GRID if lr < 1 and np.log(0.002) / np.log(1 - 2 * lr) <= 400
    )


def test_taylor_error_at_the_chosen_step_is_the_quadratic_remainder(learn_page):
    learn_page.select_slider(key="learn_taylor_step").set_value(1.0).run()
    assert not learn_page.exception
    # On f = x²/2 + 15y² the first-order error of a step t along d is exactly ½·t²·dᵀHd.
    g = np.array([-2.5, 30.0])
    d = -g / np.linalg.norm(g)
    remainder = 0.5 * 1.0**2 * d @ np.diag([1.0, 30.0]) @ d
    names = [trace.get("name", "") for fig in _figures(learn_page) for trace in fig["data"]]
    assert f"error at this step: {remainder:.3g}" in names


def test_choosing_another_surface_redraws_the_gradient_field(learn_page):
    before = _figures(learn_page)[0]
    learn_page.radio(key="learn_field_surface").set_value("bowl").run()
    after = _figures(learn_page)[0]
    assert not learn_page.exception
    # On the round bowl −∇f points straight at the minimum from every arrow's start.
    arrows = next(t for t in after["data"] if t.get("name") == "−∇f (descent)")
    xs, ys = np.array(arrows["x"], dtype=float), np.array(arrows["y"], dtype=float)
    starts = np.column_stack([xs[0::3], ys[0::3]])
    ends = np.column_stack([xs[1::3], ys[1::3]])
    cosines = np.sum((ends - starts) * -starts, axis=1) / (
        np.linalg.norm(ends - starts, axis=1) * np.linalg.norm(starts, axis=1)
    )
    np.testing.assert_allclose(cosines, 1.0, atol=1e-9)
    assert before != after


def test_scaling_the_rate_with_the_batch_keeps_up_per_sample():
    small, large, large_scaled = lessons.batch_scaling_curves()
    assert large.x[-1] == small.x[-1] == lessons.SCALING_SAMPLES
    quarter = lessons.SCALING_SAMPLES // 4
    at = {
        curve.label: curve.loss[np.searchsorted(curve.x, quarter)]
        for curve in (small, large, large_scaled)
    }
    assert at[large_scaled.label] < at[large.label] / 10
    assert at[large_scaled.label] < 10 * at[small.label]


def test_adam_then_gd_ends_lower_than_either_alone():
    adam, gd, switched = lessons.switching_curves()
    assert switched.loss[-1] < min(adam.loss[-1], gd.loss[-1])
    # Before the switch the combined run is Adam's run.
    np.testing.assert_array_equal(
        switched.loss[: lessons.SWITCH_STEP + 1], adam.loss[: lessons.SWITCH_STEP + 1]
    )


def test_cached_lesson_curves_take_the_language_of_the_run_that_reads_them():
    # ui.cached shares one list of curves among every session: their legends are made on reading.
    curves = lessons.batch_scaling_curves() + lessons.switching_curves()
    english = [curve.label for curve in curves]
    texts.use("ko")
    try:
        korean = [curve.label for curve in curves]
        batch_labels = [lessons.batch_label(size, data.SAMPLES) for size in lessons.BATCH_SIZES]
    finally:
        texts.use("en")
    assert english[0] == "batch 8, η = 0.05"
    assert english[-1] == f"Adam, then GD from step {lessons.SWITCH_STEP}"
    assert korean[0] == "배치 8, η = 0.05"
    assert korean[-1] == f"Adam, {lessons.SWITCH_STEP}단계부터 경사 하강법"
    assert batch_labels[-1] == f"전체 배치 경사 하강법 ({data.SAMPLES}개 전부)"
    assert [run.label for run in lessons.batch_size_runs()] == [
        "SGD (batch of 1)",
        "mini-batch of 16",
        f"full-batch GD (all {data.SAMPLES})",
    ]


def test_learn_speaks_korean_from_the_link(learn_page):
    # learn_page ran in English first and filled the shared caches: the Korean page's legends are
    # still Korean.
    at = open_page("learn", {"lang": "ko"})
    assert not at.exception
    texts.use("ko")
    try:
        title = tr("Learn: how optimizers move")
        hyper_columns = [
            tr(name) for name in ("hyperparameter", "default (torch)", "range here", "what it does")
        ]
        table_columns = [tr(name) for name in ("optimizer", "extra memory", "forgiving")]
        watch = tr(scenarios.get("lr_three_ways").watch)
        memory = tr(
            "**Extra memory:** {memory}.", memory=measurements.memory_text(optimizers.get("adam"))
        )
        legends = {lessons.batch_label(size, data.SAMPLES) for size in lessons.BATCH_SIZES}
        legends |= {curve.label for curve in lessons.switching_curves()}
        legends |= {tr(entry.title) for entry in scenarios.get("lr_three_ways").entries}
    finally:
        texts.use("en")
    assert at.title[0].value == title != "Learn: how optimizers move"
    assert list(at.dataframe[0].value.columns) == hyper_columns
    assert list(at.dataframe[-1].value.columns)[:3] == table_columns
    markdown = [element.value for element in at.markdown]
    assert any(text.startswith(watch) for text in markdown)
    assert memory in markdown
    names = {trace.get("name") for figure in _figures(at) for trace in figure["data"]}
    assert legends <= names
