"""L-BFGS and Muon, the two optimizers that are not elementwise, on every page at its own
settings: each page runs, draws them and offers their hyperparameters."""

import pytest
from page_charts import chart_figures, open_page

import optimizers

KEYS = ("lbfgs", "muon")
TITLES = {optimizers.get(key).title for key in KEYS}


def _drawn_names(at) -> set[str]:
    return {trace.get("name") for figure in chart_figures(at) for trace in figure["data"]}


def _open(page: str, **query: str):
    at = open_page(page, query, timeout=120)
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("key", KEYS)
def test_explore_draws_it_with_its_choices_and_counts(key):
    at = _open("explore", optimizer=key)
    assert optimizers.get(key).title in _drawn_names(at)
    spec = optimizers.get(key)
    for hyper in spec.hyperparams:
        if isinstance(hyper, optimizers.Choice):
            assert at.selectbox(key=hyper.name).value == hyper.default
        else:
            assert at.select_slider(key=hyper.name).value is not None


def test_explore_takes_a_line_search_and_a_history_from_the_link():
    at = _open("explore", optimizer="lbfgs", line_search_fn="strong_wolfe", history_size="7")
    assert at.selectbox(key="line_search_fn").value == "strong_wolfe"
    assert at.select_slider(key="history_size").value == 7


def test_explore_says_so_when_a_link_names_no_such_option():
    at = _open("explore", optimizer="lbfgs", line_search_fn="wolfe", history_size="7.5")
    assert at.selectbox(key="line_search_fn").value == "none"
    assert at.select_slider(key="history_size").value in (7, 8)
    notes = " ".join(warning.value for warning in at.warning)
    assert "`line_search_fn=wolfe`" in notes and "`history_size=7.5`" in notes


def test_compare_ranks_both():
    at = _open("compare", optimizers="lbfgs,muon,adam")
    assert _drawn_names(at) >= TITLES
    assert set(at.dataframe[0].value["Optimizer"]) >= TITLES


@pytest.mark.parametrize("scenario", ["lbfgs_rosenbrock", "muon_fixed_length"])
def test_present_plays_their_scenarios(scenario):
    at = _open("present", preset=scenario)
    assert at.button(key=f"preset_{scenario}").proto.type == "primary"
    assert _drawn_names(at) & TITLES


def test_learn_has_their_sections_and_rows():
    at = _open("learn")
    assert {tab.label for tab in at.tabs} >= TITLES
    assert set(at.dataframe[-1].value["optimizer"]) >= TITLES


def test_basins_maps_both_side_by_side():
    # At L-BFGS's own starting lr (picking it in the page gives that; a bare link keeps the
    # first view's 0.004, meant for gradient descent).
    at = _open("basins", left="lbfgs", right="muon", **{"left.lr": "1"})
    assert len(chart_figures(at)) == 2
    # The grid's history is the many-run one, and the page says so.
    assert at.select_slider(key="left.history_size").value == 10
    assert any("history size m = 10" in caption.value for caption in at.caption)


def test_sweeps_sweep_both():
    at = _open("sweeps", optimizers="lbfgs,muon", lr_count="20")
    assert _drawn_names(at) >= TITLES


def test_minibatches_train_with_each():
    for key in KEYS:
        at = _open("minibatch", optimizer=key)
        assert at.selectbox(key="optimizer").value == key


def test_networks_train_with_both():
    at = _open("networks", net_optimizers="lbfgs,muon")
    assert _drawn_names(at) & TITLES
