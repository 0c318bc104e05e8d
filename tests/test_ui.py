"""ui/ without a browser: slider choices, URL codecs, starting learning rates, wording, maths."""

import json
import math
import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io
import plotly.offline
import pytest
import torch
from plotly.basedatatypes import BaseTraceType

import figures
import landscapes
import optimizers
from analysis import starting_rates
from analysis.outcome import tolerance_for
from optimizers import Schedule
from optimizers.choices import hyper_choices, log_grid, nearest_choice
from ui import chart, maths, report
from ui.markdown import plain
from ui.url import (
    NearestChoice,
    SettingError,
    int_setting,
    list_setting,
    number_setting,
    point_setting,
    text_setting,
)


@pytest.mark.parametrize("key", optimizers.names())
def test_every_slider_offers_its_default_and_ends_and_shows_distinct_labels(key):
    sliders = [h for h in optimizers.get(key).hyperparams if isinstance(h, optimizers.Hyper)]
    for hyper in sliders:
        choices = hyper_choices(hyper)
        assert {hyper.default, hyper.low, hyper.high} <= set(choices)
        assert list(choices) == sorted(set(choices))
        labels = [hyper.format(value) for value in choices]
        assert len(set(labels)) == len(labels), f"{key}.{hyper.name} shows two values alike"


def test_decay_rates_near_one_are_not_rounded_to_one():
    beta2 = optimizers.get("adam").hyper("beta2")
    labels = [beta2.format(value) for value in hyper_choices(beta2)]
    assert {"0.99", "0.999", "0.9999"} <= set(labels)
    assert "1" not in labels and "1.00" not in labels


def test_log_grid_is_evenly_spread_per_decade():
    grid = np.array(log_grid(1e-4, 10.0))
    assert grid[0] == 1e-4 and grid[-1] == 10.0
    assert {0.06, 0.9, 0.5, 1.0} <= set(grid.tolist())
    ratios = grid[1:] / grid[:-1]
    assert ratios.max() <= 1.5 and ratios.min() > 1.05


def test_nearest_choice_snaps_on_a_log_scale():
    choices = (0.01, 0.1, 1.0)
    assert nearest_choice(choices, 0.2) == 0.1  # 0.2 is nearer 0.1 than 1 in log terms
    assert nearest_choice(choices, 0.5) == 1.0
    assert nearest_choice((0.0, 0.5, 1.0), 0.3) == 0.5


def test_a_link_carries_any_formula_the_parser_accepts():
    longest = "x + 0." + "1" * (landscapes.parser.MAX_LENGTH - 6)
    landscapes.parser.parse_expression(longest)
    assert text_setting("formula", "x^2").parse(longest) == longest


def test_url_settings_parse_good_values_and_explain_bad_ones():
    lr = number_setting("lr", 0.1, 1e-4, 10.0, log_grid(1e-4, 10.0))
    assert lr.parse("0.06") == 0.06
    with pytest.raises(NearestChoice) as between:  # the page uses 0.06 and says so
        lr.parse("0.0613")
    assert between.value.choice == 0.06
    assert lr.parse(lr.encode(0.0012)) == 0.0012
    for bad, reason in (("abc", "not a number"), ("nan", "finite"), ("50", "between")):
        with pytest.raises(SettingError, match=reason):
            lr.parse(bad)
    steps = int_setting("steps", 300, 10, 1000)
    assert steps.parse("120") == 120
    with pytest.raises(SettingError):
        steps.parse("12.5")
    chosen = list_setting("optimizers", ["sgd"], optimizers.names())
    assert chosen.parse("adam,sgd,adam") == ["adam", "sgd"]
    assert chosen.parse(chosen.encode(["rmsprop", "newton"])) == ["rmsprop", "newton"]
    with pytest.raises(SettingError):
        chosen.parse("adam,shampoo")


def test_starting_lr_for_gd_on_the_bowl_is_below_the_stability_edge():
    bowl = landscapes.get("bowl")  # f = x² + y²: curvature L = 2, GD stable for lr < 2/L = 1
    assert starting_rates.steepest_curvature(bowl) == pytest.approx(2.0)
    assert 0 < starting_rates.starting_lr(bowl, "sgd") < 1.0


@pytest.mark.parametrize("name", landscapes.names())
def test_starting_lrs_are_slider_choices_and_make_every_optimizer_move(name):
    surface = landscapes.get(name)
    for key in optimizers.names():
        lr = starting_rates.starting_lr(surface, key)
        assert lr in hyper_choices(optimizers.get(key).hyper("lr"))
        run = optimizers.simulate(surface, key, {"lr": lr}, [surface.start], steps=300)
        moved = np.hypot(*(run.points[-1, 0] - run.points[0, 0]))
        width = min(b - a for a, b in surface.domain)
        assert moved > 0.02 * width or run.diverged_at[0] >= 0, f"{key} barely moves on {name}"
        if surface.minima:
            assert run.diverged_at[0] < 0, f"{key} diverges on {name} at its starting lr"


def _outcome(surface, key, lr, steps=60):
    run = optimizers.simulate(surface, key, {"lr": lr}, [surface.start], steps)
    from analysis.outcome import summarise

    return summarise(run, surface, tolerance_for(surface))


def test_results_line_names_the_step_of_divergence_and_the_stability_edge():
    bowl = landscapes.get("bowl")
    outcome = _outcome(bowl, "sgd", 3.0)  # |1 - 2·3| = 5 > 1: the distance grows 5x per step
    message = report.outcome_message(outcome, bowl, optimizers.get("sgd"), 3.0)
    assert message.level == "error"
    assert f"Diverged at step {int(outcome.run.diverged_at[0])}" in message.text
    assert "2/L ≈ 1" in message.text


def test_results_line_reports_steps_to_the_minimum():
    bowl = landscapes.get("bowl")
    # GD with lr 0.5 on x² + y² lands on the minimum in exactly one step.
    message = report.outcome_message(_outcome(bowl, "sgd", 0.5), bowl, optimizers.get("sgd"), 0.5)
    assert message.level == "success" and "after **1 steps**" in message.text


def test_results_line_flags_a_singular_newton_system():
    monkey = landscapes.get("monkey_saddle")  # Hessian vanishes at the origin
    run = optimizers.simulate(monkey, "newton", None, [(0.0, 0.0)], steps=3)
    from analysis.outcome import summarise

    outcome = summarise(run, monkey)
    message = report.outcome_message(outcome, monkey, optimizers.get("newton"), 1.0)
    assert message.level == "warning" and "singular at step 1" in message.text


def test_ranking_puts_converged_runs_first_and_diverged_last():
    bowl = landscapes.get("bowl")
    entries = [
        (optimizers.get("adam").title, _outcome(bowl, "adam", 1e-4)),  # crawls
        (optimizers.get("sgd").title, _outcome(bowl, "sgd", 5.0)),  # diverges
        (optimizers.get("momentum").title, _outcome(bowl, "momentum", 0.05, steps=300)),
        (optimizers.get("newton").title, _outcome(bowl, "newton", 1.0)),  # one step
    ]
    rows = report.ranking(entries)
    assert [row.title for row in rows] == [
        "Newton's method",
        "Momentum",
        "Adam",
        "Gradient descent (SGD)",
    ]
    assert rows[0].steps_to_minimum == 1
    assert math.isnan(rows[-1].final_loss) and rows[-1].outcome.startswith("diverged")


def test_maths_shows_current_values_by_symbol():
    adam = optimizers.get("adam")
    text = maths.hyperparameter_latex(adam, {**adam.defaults(), "lr": 0.05})
    assert text == r"\eta = 0.05,\quad \beta_1 = 0.9,\quad \beta_2 = 0.999,\quad \epsilon = 10^{-8}"
    f, gradient, hessian = maths.surface_latex(landscapes.get("bowl"))
    assert f == "f(x, y) = x^{2} + y^{2}"
    assert r"\partial x} &= 2 x" in gradient and r"\partial y} &= 2 y" in gradient
    assert r"\partial x^2} &= 2" in hessian and r"\partial x \partial y} &= 0" in hessian


def test_torch_snippet_builds_the_optimizer_and_scheduler_it_describes():
    spec = optimizers.get("rmsprop")
    values = {**spec.defaults(), "lr": 0.02}
    schedule = Schedule("step", gamma=0.5, step_size=10, warmup_steps=5)
    snippet = maths.torch_snippet(spec, values, schedule)
    # Our own generated code, run against a stand-in model to prove it is valid PyTorch.
    namespace = {"model": torch.nn.Linear(2, 1)}
    exec(snippet, namespace)
    assert isinstance(namespace["opt"], torch.optim.RMSprop)
    assert namespace["opt"].defaults["lr"] == 0.02
    rates = []
    for _ in range(20):
        rates.append(namespace["opt"].param_groups[0]["lr"])
        namespace["opt"].step()
        namespace["sched"].step()
    np.testing.assert_allclose(rates, schedule.learning_rates(0.02, 20))


def test_plain_escapes_every_markdown_mark_and_keeps_the_text():
    typed = "x**2 + __import__('os') $y$ :red[z] [a](http://e) <b>\n# title"
    escaped = plain(typed)
    # Undoing the escapes gives back the text (line breaks folded into spaces) ...
    assert re.sub(r"\\(.)", r"\1", escaped) == " ".join(typed.split())
    # ... and no Markdown mark is left unescaped.
    unescaped_marks = re.sub(r"\\.", "", escaped)
    assert not set(unescaped_marks) & set("*_$:[]()<>#`\\")


def test_results_line_blames_the_noise_when_a_noisy_run_does_not_settle():
    bowl = landscapes.get("bowl")
    run = optimizers.simulate(bowl, "sgd", {"lr": 0.1}, [bowl.start], 50, noise=20.0)
    from analysis.outcome import summarise

    outcome = summarise(run, bowl, tolerance_for(bowl))
    # Each step adds lr·σ = 2 of random motion: the point never settles within 0.004 of (0, 0).
    assert outcome.converged_at[0] < 0
    message = report.outcome_message(outcome, bowl, optimizers.get("sgd"), 0.1, noise=20.0)
    assert message.level == "info" and "batch noise σ = 20" in message.text


def test_schedule_caption_reports_the_rates_the_run_used():
    bowl = landscapes.get("bowl")
    halving = Schedule("step", gamma=0.5, step_size=50)
    run = optimizers.simulate(bowl, "sgd", {"lr": 0.1}, [bowl.start], 150, schedule=halving)
    # Steps 0-49 use 0.1, 50-99 use 0.05, 100-149 use 0.025.
    caption = report.schedule_caption(run, halving)
    assert "started at 0.1," in caption and "ended at 0.025." in caption
    constant = optimizers.simulate(bowl, "sgd", {"lr": 0.1}, [bowl.start], 10)
    assert report.schedule_caption(constant, Schedule()) == ""


def test_chart_message_is_the_figure_then_the_chart_settings():
    # plotly_chart.js compares the text before the last ',"config":' to tell a new figure from a
    # message that only carries a view: that text must be the figure, even one quoting the key.
    fig = go.Figure(go.Scatter(x=[1.0], y=[2.0], name=',"config":'))
    text = chart.figure_message(fig, "grid", {"step": 3, "eye": None}).decode()
    assert text[: text.rindex(',"config":')] == '{"figure":' + plotly.io.to_json(
        fig, validate=False
    )
    message = json.loads(text)
    assert message["clickTrace"] == "grid" and message["view"] == {"step": 3, "eye": None}
    assert message["config"] == figures.PLOTLY_CONFIG


def test_point_setting_reads_three_bounded_numbers():
    eye = point_setting("eye", -10, 10)
    assert eye.parse("1.5,-1.2,0.9") == (1.5, -1.2, 0.9)
    assert eye.encode((1.5, -1.2, 0.9)) == "1.5,-1.2,0.9"
    for bad in ("1,2", "1,2,x", "1,2,99", "nan,0,0"):
        with pytest.raises(SettingError):
            eye.parse(bad)


def test_a_value_between_slider_choices_snaps_to_the_nearest_with_a_note():
    setting = number_setting("steps", 300, 50, 500, (50, 100, 200, 300, 500))
    with pytest.raises(NearestChoice) as snapped:
        setting.parse("250")
    assert snapped.value.choice in (200, 300)
    assert setting.parse("300") == 300


def _peak_and_reach(surface, run):
    """Independent of analysis.outcome: the highest loss of the run and how far it ended beyond
    the map, in map widths."""
    (xmin, xmax), (ymin, ymax) = surface.domain
    x, y = run.points[-1, 0]
    beyond = max((xmin - x) / (xmax - xmin), (x - xmax) / (xmax - xmin), 0.0)
    beyond = max(beyond, (ymin - y) / (ymax - ymin), (y - ymax) / (ymax - ymin))
    return float(np.nanmax(run.losses[:, 0])), beyond, run.losses[-1, 0] > run.losses[0, 0]


@pytest.mark.parametrize("name", ["rosenbrock", "beale"])
@pytest.mark.parametrize("key", optimizers.names())
def test_a_wild_run_at_the_largest_learning_rate_is_told_to_take_smaller_steps(name, key):
    surface, spec = landscapes.get(name), optimizers.get(key)
    lr = spec.hyper("lr").high
    outcome = _outcome(surface, key, lr, steps=300)
    message = report.outcome_message(outcome, surface, spec, lr)
    _, _, grid = surface.grid(41)
    peak, beyond, uphill = _peak_and_reach(surface, outcome.run)
    wild = peak > 100 * (grid.max() - grid.min()) or (beyond > 1 and uphill)
    if wild and outcome.reached_minimum[0] < 0:
        assert message.level == "error", message.text
        assert "larger learning rate" not in message.text
        assert "smaller" in message.text or "too large" in message.text
        if spec.family is optimizers.Family.SECOND_ORDER:  # its own remedies, from its spec
            names = [hyper.name for hyper in spec.hyperparams]
            assert ("damping" in message.text) == ("damping" in names)
            assert "line search" in message.text


def test_rmsprop_at_lr_10_on_beale_is_called_unstable_with_the_lower_rate_hint():
    beale, rmsprop = landscapes.get("beale"), optimizers.get("rmsprop")
    outcome = _outcome(beale, "rmsprop", 10.0, steps=300)
    message = report.outcome_message(outcome, beale, rmsprop, 10.0)
    assert message.level == "error" and "**Unstable.**" in message.text
    assert "Try a smaller learning rate" in message.text


def test_ranking_puts_unstable_runs_after_still_moving_ones_and_says_why():
    beale = landscapes.get("beale")
    entries = [
        ("wild", _outcome(beale, "rmsprop", 10.0, steps=300)),
        ("slow", _outcome(beale, "sgd", 1e-5, steps=20)),
        ("gone", _outcome(beale, "sgd", 10.0, steps=20)),
    ]
    rows = report.ranking(entries)
    assert [row.title for row in rows] == ["slow", "wild", "gone"]
    assert rows[1].unstable and rows[1].outcome.startswith("unstable")
    assert not rows[0].unstable and rows[2].unstable


def test_the_vendored_plotly_js_is_plotly_pys_version_with_every_trace_type_the_figures_use():
    banner = chart.PLOTLY_BUNDLE.read_text()[:300]
    version, traces = re.match(
        r"/\* plotly\.js v([\d.]+), partial bundle: traces ([a-z0-9, ]+)\.", banner
    ).groups()
    assert version == plotly.offline.get_plotlyjs_version()
    bundled = set(traces.split(", "))
    classes = {name: getattr(go, name) for name in dir(go)}  # loaded lazily: not in vars(go)
    trace_types = {
        name.lower()
        for name, value in classes.items()
        if isinstance(value, type) and issubclass(value, BaseTraceType)
    }
    source = "\n".join(path.read_text() for path in Path(figures.__file__).parent.glob("*.py"))
    used = {t for t in re.findall(r'"type": "(\w+)"', source) if t in trace_types}
    used |= {name.lower() for name in re.findall(r"go\.(\w+)\(", source)} & trace_types
    assert used and used <= bundled, used - bundled
