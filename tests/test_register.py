"""An optimizer defined here, registered with optimizers.register, is offered by every page with
no other edit: the spec is the only place that knows about it."""

import numpy as np
import pytest
from page_charts import chart_figures, open_page
from streamlit.testing.v1 import AppTest

import landscapes
import optimizers
from analysis import sweeps
from analysis.starting_rates import starting_lr
from classroom import scenarios
from optimizers import Family, Hyper, OptimizerSpec, StepInput
from optimizers.registry import REFERENCE_COLORS, SPARE_COLORS

TITLE = "Sign descent"


class _NoState(tuple):
    """Sign descent remembers nothing."""


def _sign_update(inputs: StepInput, state, hp):
    # Only the sign of each slope counts: every coordinate moves by exactly lr.
    return inputs.params - inputs.lr * np.sign(inputs.grad), state


SIGN_DESCENT = OptimizerSpec(
    key="sign_descent",
    title=TITLE,
    hyperparams=(
        Hyper("lr", 0.01, 1e-4, 1.0, r"\eta", "learning rate η", "The length of every step.", True),
    ),
    init=lambda params, hp: _NoState(),
    update=_sign_update,
    latex=r"\theta_t = \theta_{t-1} - \eta\,\operatorname{sign}(g_t)",
    summary="Steps by lr along the sign of each slope, whatever its size.",
    family=Family.ADAPTIVE,
)


@pytest.fixture
def sign_descent():
    spec = optimizers.register(SIGN_DESCENT)
    yield spec
    optimizers.unregister(spec.key)


def _page(page: str, **query: str) -> AppTest:
    at = open_page(page, query)
    assert not at.exception, at.exception
    return at


def _drawn_names(at: AppTest) -> set[str]:
    return {trace.get("name") for figure in chart_figures(at) for trace in figure["data"]}


def test_registering_gives_a_spare_colour_and_refuses_clashes(sign_descent):
    assert sign_descent.color in SPARE_COLORS
    assert optimizers.names()[-1] == "sign_descent"
    with pytest.raises(ValueError, match="registered already"):
        optimizers.register(SIGN_DESCENT)
    clash = OptimizerSpec(**{**vars(SIGN_DESCENT), "key": "other", "color": REFERENCE_COLORS[0]})
    with pytest.raises(ValueError, match="colour"):
        optimizers.register(clash)


def test_the_core_runs_it_by_its_family(sign_descent):
    bowl = landscapes.get("bowl")
    run = optimizers.simulate(bowl, "sign_descent", {"lr": 0.1}, [(1.0, -0.5)], 3)
    np.testing.assert_allclose(
        run.points[:, 0], [(1.0, -0.5), (0.9, -0.4), (0.8, -0.3), (0.7, -0.2)]
    )
    (xmin, xmax), _ = bowl.domain
    assert starting_lr(bowl, "sign_descent") == pytest.approx(0.01 * (xmax - xmin), rel=0.2)
    # Not lr-linear (sign(η·g) = sign(g)): the sweep runs one simulation per rate, and gets it right.
    sweep = sweeps.lr_sweep(bowl, "sign_descent", None, (1.0, -0.5), [0.1, 0.25], 4, None)
    # lr 0.1: (0.6, -0.1) after 4 steps; lr 0.25: y reaches 0 at step 2 and stays (sign 0 = 0).
    np.testing.assert_allclose(sweep.final_loss, [0.6**2 + 0.1**2, 0.0])


def test_explore_runs_draws_and_links_it(sign_descent):
    at = _page("explore", optimizer="sign_descent", steps="50")
    assert at.selectbox(key="optimizer").value == "sign_descent"
    assert TITLE in _drawn_names(at)
    assert TITLE in at.subheader[0].value
    assert at.query_params["optimizer"] == "sign_descent"
    colours = {
        trace["line"]["color"]
        for trace in chart_figures(at)[0]["data"]
        if trace.get("name") == TITLE and "line" in trace
    }
    assert colours == {sign_descent.color}


def test_compare_ranks_it_beside_the_built_ins(sign_descent):
    at = _page("compare", optimizers="sign_descent,sgd", steps="50")
    assert {TITLE, optimizers.get("sgd").title} <= _drawn_names(at)
    ranking = at.dataframe[0].value
    assert TITLE in set(ranking["Optimizer"])


def test_present_offers_a_scenario_made_for_it(sign_descent):
    demo = scenarios.demo("sign_descent")
    assert demo in scenarios.all_scenarios()
    at = _page("present", preset=demo.key)
    assert TITLE in _drawn_names(at)
    assert at.button(key=f"preset_{demo.key}").proto.type == "primary"


def test_learn_has_its_section_and_measures_its_row(sign_descent):
    at = _page("learn")
    assert TITLE in [tab.label for tab in at.tabs]
    table = at.dataframe[-1].value.set_index("optimizer")
    assert TITLE in table.index


def test_basins_maps_it(sign_descent):
    at = _page("basins", left="sign_descent", resolution="50", steps="50")
    assert at.selectbox(key="left").value == "sign_descent"
    assert len(chart_figures(at)) == 2


def test_sweeps_sweep_it(sign_descent):
    at = _page("sweeps", optimizers="sign_descent", lr_count="20", steps="50")
    assert TITLE in _drawn_names(at)


def test_mini_batches_train_with_it(sign_descent):
    at = _page("minibatch", optimizer="sign_descent", epochs="1")
    assert at.selectbox(key="optimizer").value == "sign_descent"
    assert "batches of 20" in _drawn_names(at)
