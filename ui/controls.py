"""Sidebar controls shared by every page: surface, optimizer hyperparameters, start, run, schedule.

Each control seeds its widgets through a PageState, so every value is in the page's URL.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import landscapes
import optimizers
from landscapes import Domain, ExpressionError, Surface
from optimizers import OptimizerSpec, Schedule
from ui.choices import hyper_choices, log_grid
from ui.markdown import plain
from ui.presets import starting_lr
from ui.url import (
    PageState,
    choice_setting,
    int_setting,
    list_setting,
    number_setting,
    text_setting,
)

CUSTOM = "custom"
DEFAULT_FORMULA = "x^2 + 3*y^2 + 2*sin(2*x)"
MIN_STEPS = 10
MAX_STEPS = 1000
DEFAULT_STEPS = 300
NOISE_CHOICES = (0.0, *log_grid(0.01, 100.0))
MAX_SEED = 2**31 - 1
_DOMAIN_KEYS = ("x_min", "x_max", "y_min", "y_max")
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
    state.seed(choice_setting("surface", default or names[0], names))
    name = st.selectbox(
        "Surface",
        names,
        key="surface",
        format_func=_surface_title,
        help="The loss function f(x, y) to minimise.",
    )
    if name != CUSTOM:
        return SurfaceChoice(name), landscapes.get(name)

    state.seed(text_setting("formula", DEFAULT_FORMULA))
    formula = st.text_input(
        "Formula in x and y",
        key="formula",
        max_chars=landscapes.parser.MAX_LENGTH,
        help=f"Allowed: {landscapes.allowed_vocabulary()}.",
    )
    domain = _domain_inputs(state)
    choice = SurfaceChoice(CUSTOM, formula, domain)
    try:
        return choice, choice.load()
    except ExpressionError as error:
        st.error(f"**This formula cannot be used.** {plain(str(error))}", icon=":material/edit:")
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
            column.number_input(key.replace("_", " "), -limit, limit, key=key, format="%g")
        )
    return (values[0], values[1]), (values[2], values[3])


def _surface_title(name: str) -> str:
    return "Custom formula…" if name == CUSTOM else landscapes.get(name).title


def optimizer_picker(state: PageState) -> OptimizerSpec:
    keys = optimizers.names()
    state.seed(choice_setting("optimizer", keys[0], keys))
    key = st.selectbox(
        "Optimizer",
        keys,
        key="optimizer",
        format_func=lambda k: optimizers.get(k).title,
    )
    return optimizers.get(key)


def optimizers_multiselect(
    state: PageState, defaults: tuple[str, ...], help: str | None = None
) -> list[str]:
    """Several optimizer keys, in the order picked; the URL lists them comma-separated."""
    state.seed(list_setting("optimizers", defaults, optimizers.names()))
    return st.multiselect(
        "Optimizers", optimizers.names(), key="optimizers", format_func=_title, help=help
    )


def hyperparameter_controls(
    state: PageState,
    spec: OptimizerSpec,
    surface_choice: SurfaceChoice,
    surface: Surface,
    prefix: str = "",
) -> dict[str, float]:
    """A slider per hyperparameter of `spec`, generated from the registry.

    Widget keys are `prefix + name` (e.g. "lr" or "adam.lr"). The learning rate starts at a value
    that suits the surface and resets to it when the surface or optimizer changes; the others
    start at torch's defaults and reset when the optimizer changes.
    """
    values = {}
    for hyper in spec.hyperparams:
        key = prefix + hyper.name
        if hyper.name == "lr":
            default = starting_lr(surface, spec.key)
            state.follow(key, (surface_choice, spec.key), default)
        else:
            default = hyper.default
            state.follow(key, spec.key, default)
        choices = hyper_choices(hyper)
        state.seed(number_setting(key, default, hyper.low, hyper.high, choices), default)
        values[hyper.name] = st.select_slider(
            hyper.label,
            choices,
            key=key,
            format_func=hyper.format,
            help=hyper.help,
        )
    return values


def start_point(
    state: PageState, surface_choice: SurfaceChoice, surface: Surface
) -> tuple[float, float]:
    """Number inputs for the start; they reset to the surface's own start when it changes.

    Clicking the contour map also sets them (see ui.layout.trajectory_chart).
    """
    st.caption("Start point (or click the contour map)")
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
    state.seed(int_setting("steps", DEFAULT_STEPS, MIN_STEPS, MAX_STEPS))
    steps = st.slider("Steps", MIN_STEPS, MAX_STEPS, key="steps", step=MIN_STEPS)
    state.seed(number_setting("noise", 0.0, 0.0, NOISE_CHOICES[-1], NOISE_CHOICES))
    noise = st.select_slider(
        "Batch noise σ",
        NOISE_CHOICES,
        key="noise",
        format_func=lambda v: f"{v:g}",
        help=(
            "Standard deviation of random noise added to every gradient: 0 is full-batch gradient "
            "descent, larger values mimic smaller mini-batches (stochastic gradient descent)."
        ),
    )
    state.seed(int_setting("seed", 0, 0, MAX_SEED))
    seed = st.number_input(
        "Noise seed",
        0,
        MAX_SEED,
        key="seed",
        disabled=noise == 0,
        help="The same seed gives the same noise, so a shared link shows the same run.",
    )
    return RunSettings(int(steps), float(noise), int(seed))


_SCHEDULE_DEFAULTS = Schedule()
_GAMMA_CHOICES = tuple(round(0.05 * i, 2) for i in range(1, 20))
_EXPONENTIAL_GAMMA_CHOICES = (0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999)
_WARMUP_FACTORS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
_ETA_MIN_CHOICES = (0.0, *log_grid(1e-5, 1.0))


def schedule_controls(state: PageState) -> Schedule:
    """Learning-rate schedule and linear warm-up, as torch.optim.lr_scheduler offers them."""
    kinds = list(optimizers.SCHEDULE_KINDS)
    state.seed(choice_setting("schedule", kinds[0], kinds))
    kind = st.selectbox(
        "Learning-rate schedule",
        kinds,
        key="schedule",
        format_func=optimizers.SCHEDULE_KINDS.get,
    )
    options: dict[str, float | int] = {"kind": kind}
    if kind == "step":
        options["gamma"] = _select(state, "step_gamma", "multiply lr by γ", _GAMMA_CHOICES, 0.5)
        state.seed(int_setting("step_size", _SCHEDULE_DEFAULTS.step_size, 1, MAX_STEPS))
        options["step_size"] = st.slider("every … steps", 1, MAX_STEPS, key="step_size")
    elif kind == "exponential":
        options["gamma"] = _select(
            state, "exp_gamma", "multiply lr by γ every step", _EXPONENTIAL_GAMMA_CHOICES, 0.99
        )
    elif kind == "cosine":
        state.seed(int_setting("t_max", DEFAULT_STEPS, 1, MAX_STEPS))
        options["t_max"] = st.slider("steps to the minimum rate (T_max)", 1, MAX_STEPS, key="t_max")
        options["eta_min"] = _select(state, "eta_min", "minimum rate η_min", _ETA_MIN_CHOICES, 0.0)
    state.seed(int_setting("warmup", 0, 0, MAX_STEPS))
    options["warmup_steps"] = st.slider(
        "Warm-up steps",
        0,
        MAX_STEPS,
        key="warmup",
        help="Ramp the rate up linearly over the first steps, as large-batch training does.",
    )
    if options["warmup_steps"]:
        options["warmup_start_factor"] = _select(
            state, "warmup_factor", "warm-up starts at lr ×", _WARMUP_FACTORS, 0.1
        )
    return Schedule(**options)


def _select(state: PageState, key: str, label: str, choices, default: float) -> float:
    state.seed(number_setting(key, default, choices[0], choices[-1], choices))
    return st.select_slider(label, choices, key=key, format_func=lambda v: f"{v:g}")


NO_SWITCH = "none"


@dataclass(frozen=True)
class Switch:
    """A run that uses optimizer `first` for `step` steps, then `second` from the same point."""

    first: str
    second: str
    step: int

    key = "switch"  # a scene has at most one switching run; figures give it its own colour

    @property
    def title(self) -> str:
        first, second = optimizers.get(self.first).title, optimizers.get(self.second).title
        return f"{first} → {second} at step {self.step}"


def switch_controls(state: PageState, keys: list[str], steps: int) -> Switch | None:
    """An extra run that starts with one of the chosen optimizers and switches to another.

    The second optimizer starts fresh (empty moments) from where the first stopped, as building a
    new torch optimizer on the same parameters would; each uses its hyperparameters from above.
    """
    if len(keys) < 2:
        st.caption("Choose two or more optimizers above to add a run that switches between them.")
        return None
    state.seed(choice_setting("switch_from", NO_SWITCH, [NO_SWITCH, *keys]))
    first = st.selectbox(
        "Start with",
        [NO_SWITCH, *keys],
        key="switch_from",
        format_func=lambda key: "— no switching run —" if key == NO_SWITCH else _title(key),
        help="Adam first, then SGD is a known recipe: fast early progress, then a calmer finish.",
    )
    if first == NO_SWITCH:
        return None
    others = [key for key in keys if key != first]
    state.seed(choice_setting("switch_to", "sgd" if "sgd" in others else others[0], others))
    second = st.selectbox("then continue with", others, key="switch_to", format_func=_title)
    state.seed(int_setting("switch_at", max(1, steps // 3), 1, MAX_STEPS - 1))
    # A shorter run than before leaves no room for the old switch step: keep it inside the run.
    st.session_state["switch_at"] = min(st.session_state["switch_at"], steps - 1)
    step = st.slider("Switch at step", 1, steps - 1, key="switch_at")
    return Switch(first, second, int(step))


def _title(key: str) -> str:
    return optimizers.get(key).title
