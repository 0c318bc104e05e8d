"""Sidebar controls shared by every page: surface, optimizer hyperparameters, start, run, schedule.

Each control seeds its widgets through a PageState, so every value is in the page's URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

import landscapes
import optimizers
from analysis.starting_rates import starting_lr
from analysis.switching import Switch
from landscapes import Domain, ExpressionError, Surface
from optimizers import Choice, Hyper, OptimizerSpec, Schedule
from optimizers.choices import hyper_choices, log_grid, nearest_choice
from texts import tr, translatable
from ui.markdown import plain
from ui.url import (
    PageState,
    int_setting,
    list_setting,
    number_setting,
    text_setting,
)
from ui.widgets import drawn_texts, select_slider, selectbox, slider, whole_number_input

CUSTOM = "custom"
DEFAULT_FORMULA = "x^2 + 3*y^2 + 2*sin(2*x)"
MIN_STEPS = 10
MAX_STEPS = 1000
DEFAULT_STEPS = 300
NOISE_CHOICES = (0.0, *log_grid(0.01, 100.0))
MAX_SEED = 2**31 - 1
_DOMAIN_KEYS = ("x_min", "x_max", "y_min", "y_max")
_DOMAIN_LABELS = {
    "x_min": translatable("x min"),
    "x_max": translatable("x max"),
    "y_min": translatable("y min"),
    "y_max": translatable("y max"),
}
START_DIGITS = 3


@dataclass(frozen=True)
class SurfaceChoice:
    """What the user picked, as plain values: hashable, cacheable, and what the URL stores."""

    name: str  # a catalogue name or CUSTOM
    formula: str = ""
    domain: Domain | None = None

    def load(self) -> Surface:
        """The compiled surface (cached by the core); raises ExpressionError for a bad formula."""
        if self.name == CUSTOM:
            return landscapes.from_expression(self.formula, self.domain)
        return landscapes.get(self.name)


def surface_picker(
    state: PageState, default: str | None = None
) -> tuple[SurfaceChoice, Surface | None]:
    """Surface select box, plus formula and domain boxes for "Custom formula…".

    `default` is the surface shown when neither the link nor an earlier page chose one.
    Returns the choice and its surface, or None after showing the formula's problem.
    """
    names = [*landscapes.names(), CUSTOM]
    name = selectbox(
        state,
        "surface",
        tr("Surface"),
        names,
        default=default,
        format_func=_surface_title,
        help=tr("The loss function f(x, y) to minimise."),
    )
    if name != CUSTOM:
        return SurfaceChoice(name), landscapes.get(name)

    state.seed(text_setting("formula", DEFAULT_FORMULA))
    formula = st.text_input(
        tr("Formula in x and y"),
        key="formula",
        max_chars=landscapes.parser.MAX_LENGTH,
        help=tr("Allowed: {vocabulary}.", vocabulary=landscapes.allowed_vocabulary()),
    )
    domain = _domain_inputs(state)
    choice = SurfaceChoice(CUSTOM, formula, domain)
    try:
        return choice, choice.load()
    except ExpressionError as error:
        st.error(
            tr("**This formula cannot be used.** {problem}", problem=plain(str(error))),
            icon=":material/edit:",
        )
        return choice, None


def _domain_inputs(state: PageState) -> Domain:
    (dx_min, dx_max), (dy_min, dy_max) = landscapes.DEFAULT_DOMAIN
    limit = landscapes.MAX_DOMAIN_EXTENT
    columns = st.columns(4)
    values = []
    for column, key, default in zip(
        columns, _DOMAIN_KEYS, (dx_min, dx_max, dy_min, dy_max), strict=True
    ):
        state.seed(number_setting(key, default, -limit, limit))
        values.append(
            column.number_input(tr(_DOMAIN_LABELS[key]), -limit, limit, key=key, format="%g")
        )
    return (values[0], values[1]), (values[2], values[3])


def _surface_title(name: str) -> str:
    return tr("Custom formula…") if name == CUSTOM else tr(landscapes.get(name).title)


def optimizer_picker(
    state: PageState,
    key: str = "optimizer",
    label: str | None = None,
    keys: Sequence[str] | None = None,
    default: str | None = None,
) -> OptimizerSpec:
    """One optimizer of `keys` (every registered one unless given), in a select box labelled
    `label` (in the page's language; "Optimizer" unless given)."""
    keys = optimizers.names() if keys is None else list(keys)
    label = tr("Optimizer") if label is None else label
    return optimizers.get(selectbox(state, key, label, keys, default=default, format_func=_title))


def optimizers_multiselect(
    state: PageState,
    defaults: tuple[str, ...],
    help: str | None = None,
    keys: Sequence[str] | None = None,
    key: str = "optimizers",
) -> list[str]:
    """Several optimizer keys (of `keys`, every registered one unless given), in the order
    picked; the URL lists them comma-separated under `key`."""
    keys = optimizers.names() if keys is None else list(keys)
    state.seed(list_setting(key, defaults, keys))
    return st.multiselect(
        tr("Optimizers"), keys, key=key, format_func=drawn_texts(keys, _title), help=help
    )


def hyperparameter_controls(
    state: PageState,
    spec: OptimizerSpec,
    surface_choice: SurfaceChoice,
    surface: Surface,
    prefix: str = "",
    many_runs: bool = False,
) -> dict[str, float]:
    """A slider per hyperparameter of `spec` (a select box for a Choice), generated from the
    registry.

    Widget keys are `prefix + name` (e.g. "lr" or "adam.lr"). The learning rate starts at a value
    that suits the surface and resets to it when the surface or optimizer changes; the others
    start at torch's defaults (the spec's many-run defaults with `many_runs`, for a page that
    runs thousands of starts) and reset when the optimizer changes.
    """
    values = {}
    defaults = spec.many_run_defaults() if many_runs else spec.defaults()
    for hyper in spec.many_run_hyperparams() if many_runs else spec.hyperparams:
        if isinstance(hyper, Choice):
            state.follow(prefix + hyper.name, spec.key, defaults[hyper.name])
            values[hyper.name] = selectbox(
                state,
                prefix + hyper.name,
                tr(hyper.label),
                hyper.options,
                default=defaults[hyper.name],
                format_func=lambda option, hyper=hyper: tr(hyper.title(option)),
                help=tr(hyper.help),
            )
            continue
        if hyper.name == "lr":
            default, follows = starting_lr(surface, spec.key), (surface_choice, spec.key)
        else:
            default, follows = defaults[hyper.name], spec.key
        values[hyper.name] = hyper_slider(state, prefix + hyper.name, hyper, default, follows)
    return values


def hyper_slider(
    state: PageState,
    key: str,
    hyper: Hyper,
    default: float,
    follows: Any,
    label: str | None = None,
    where: Any = st,
    with_help: bool = True,
) -> float:
    """A slider over the choices of `hyper` (its label unless `label` is given, with its help
    unless `with_help` is off; in the page's language), in container `where`; it resets to
    `default` whenever `follows` (the surface, the optimizer) changes."""
    choices = hyper_choices(hyper)
    default = nearest_choice(choices, default)
    state.follow(key, follows, default)
    state.seed(number_setting(key, default, hyper.low, hyper.high, choices), default)
    return where.select_slider(
        label or tr(hyper.label),
        choices,
        key=key,
        format_func=hyper.format,
        help=tr(hyper.help) if with_help else None,
    )


def start_point(
    state: PageState, surface_choice: SurfaceChoice, surface: Surface
) -> tuple[float, float]:
    """Number inputs for the start; they reset to the surface's own start when it changes.

    Clicking the contour map also sets them (see ui.layout.trajectory_chart).
    """
    st.caption(tr("Start point (or click the contour map)"))
    columns = st.columns(2)
    start = []
    for column, key, axis, (low, high), default in zip(
        columns, ("start_x", "start_y"), "xy", surface.domain, surface.start, strict=True
    ):
        default = round(float(default), START_DIGITS)
        state.follow(key, surface_choice, default)
        state.seed(number_setting(key, default, low, high), default)
        start.append(
            column.number_input(
                axis, float(low), float(high), key=key, step=(high - low) / 100, format="%.3f"
            )
        )
    return tuple(start)


@dataclass(frozen=True)
class RunSettings:
    steps: int
    noise: float
    seed: int


def run_settings(state: PageState) -> RunSettings:
    steps = slider(
        state, "steps", tr("Steps"), MIN_STEPS, MAX_STEPS, default=DEFAULT_STEPS, step=MIN_STEPS
    )
    noise = select_slider(
        state,
        "noise",
        tr("Batch noise σ"),
        NOISE_CHOICES,
        default=0.0,
        help=tr(
            "Standard deviation of random noise added to every gradient: 0 is full-batch gradient "
            "descent, larger values mimic smaller mini-batches (stochastic gradient descent)."
        ),
    )
    seed = whole_number_input(
        state,
        "seed",
        tr("Noise seed"),
        0,
        MAX_SEED,
        default=0,
        disabled=noise == 0,
        help=tr("The same seed gives the same noise, so a shared link shows the same run."),
    )
    return RunSettings(steps, float(noise), seed)


_SCHEDULE_DEFAULTS = Schedule()
_GAMMA_CHOICES = tuple(round(0.05 * i, 2) for i in range(1, 20))
_EXPONENTIAL_GAMMA_CHOICES = (0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999)
_WARMUP_FACTORS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
_ETA_MIN_CHOICES = (0.0, *log_grid(1e-5, 1.0))


def schedule_controls(state: PageState) -> Schedule:
    """Learning-rate schedule and linear warm-up, as torch.optim.lr_scheduler offers them."""
    kinds = list(optimizers.SCHEDULE_KINDS)
    kind = selectbox(
        state,
        "schedule",
        tr("Learning-rate schedule"),
        kinds,
        format_func=lambda kind: tr(optimizers.SCHEDULE_KINDS[kind]),
    )
    options: dict[str, float | int] = {"kind": kind}
    if kind == "step":
        options["gamma"] = select_slider(
            state, "step_gamma", tr("multiply lr by γ"), _GAMMA_CHOICES, default=0.5
        )
        options["step_size"] = slider(
            state,
            "step_size",
            tr("every … steps"),
            1,
            MAX_STEPS,
            default=_SCHEDULE_DEFAULTS.step_size,
        )
    elif kind == "exponential":
        options["gamma"] = select_slider(
            state,
            "exp_gamma",
            tr("multiply lr by γ every step"),
            _EXPONENTIAL_GAMMA_CHOICES,
            default=0.99,
        )
    elif kind == "cosine":
        options["t_max"] = slider(
            state,
            "t_max",
            tr("steps to the minimum rate (T_max)"),
            1,
            MAX_STEPS,
            default=DEFAULT_STEPS,
        )
        options["eta_min"] = select_slider(
            state, "eta_min", tr("minimum rate η_min"), _ETA_MIN_CHOICES, default=0.0
        )
    options["warmup_steps"] = slider(
        state,
        "warmup",
        tr("Warm-up steps"),
        0,
        MAX_STEPS,
        default=0,
        help=tr("Ramp the rate up linearly over the first steps, as large-batch training does."),
    )
    if options["warmup_steps"]:
        options["warmup_start_factor"] = select_slider(
            state, "warmup_factor", tr("warm-up starts at lr ×"), _WARMUP_FACTORS, default=0.1
        )
    return Schedule(**options)


NO_SWITCH = "none"


def switch_controls(state: PageState, keys: list[str], steps: int) -> Switch | None:
    """An extra run that starts with one of the chosen optimizers and switches to another.

    The second optimizer starts fresh (empty moments) from where the first stopped, as building a
    new torch optimizer on the same parameters would; each uses its hyperparameters from above.
    """
    if len(keys) < 2:
        st.caption(
            tr("Choose two or more optimizers above to add a run that switches between them.")
        )
        return None
    first = selectbox(
        state,
        "switch_from",
        tr("Start with"),
        [NO_SWITCH, *keys],
        format_func=lambda key: tr("— no switching run —") if key == NO_SWITCH else _title(key),
        help=tr(
            "Adam first, then SGD is a known recipe: fast early progress, then a calmer finish."
        ),
    )
    if first == NO_SWITCH:
        return None
    others = [key for key in keys if key != first]
    second = selectbox(
        state,
        "switch_to",
        tr("then continue with"),
        others,
        default="sgd" if "sgd" in others else others[0],
        format_func=_title,
    )
    # A link's switch step must fall inside this run (else the default, with a note).
    state.seed(int_setting("switch_at", max(1, steps // 3), 1, steps - 1))
    # A shorter run than before leaves no room for the old switch step: keep it inside the run.
    if "switch_at" in st.session_state:  # not yet after a reconnect (see PageState.seed)
        st.session_state["switch_at"] = min(st.session_state["switch_at"], steps - 1)
    step = st.slider(tr("Switch at step"), 1, steps - 1, key="switch_at")
    return Switch(first, second, int(step))


def _title(key: str) -> str:
    return tr(optimizers.get(key).title)
