"""Learn: the ideas behind the tool, each with a live mini-figure, then one section per optimizer
generated from the registry, then a comparison table the app measures itself."""

import numpy as np
import streamlit as st

import figures
import landscapes
import optimizers
import ui
from classroom import lessons, measurements, presenter, presets
from figures import learn as learn_figures
from landscapes import data

ui.ensure_app_navigation()

FIELD_SURFACES = ("ill_conditioned", "bowl", "himmelblau", "six_hump_camel")
TAYLOR_SURFACE, TAYLOR_START, TAYLOR_LENGTH = "ill_conditioned", (-2.5, 1.0), 2.2
TAYLOR_STEPS = (0.05, 0.1, 0.2, 0.5, 1.0, 1.5, 2.0)
BASIN_SURFACE, BASIN_OPTIMIZER, BASIN_LR = "himmelblau", "sgd", 0.01
NEWTON_SURFACE, NEWTON_LR = "ill_conditioned", 0.03
NEWTON_POINTS = np.array([[-2.5, 1.0], [2.2, -0.9], [-1.2, -1.1], [1.4, 1.2]])
_CACHE = 32


@st.cache_resource(max_entries=_CACHE, show_spinner=False)
def preset_paths(key: str) -> list[figures.Path]:
    preset = presets.get(key)
    return presenter.preset_paths(preset, preset.run(), landscapes.get(preset.surface))


@st.cache_resource(max_entries=_CACHE, show_spinner=False)
def gradient_field(name: str) -> lessons.GradientField:
    return lessons.gradient_field(landscapes.get(name))


@st.cache_resource(show_spinner=False)
def batch_paths() -> list[figures.Path]:
    runs = lessons.batch_size_runs()
    surface = data.get("linear_regression", scaled=True).surface
    keys = presenter.color_keys(["sgd"] * len(runs))
    return [
        figures.path_from_run(key, batch.label, batch.run, surface)
        for key, batch in zip(keys, runs, strict=True)
    ]


@st.cache_resource(show_spinner=False)
def scaling_curves() -> list[lessons.LossCurve]:
    return lessons.batch_scaling_curves()


@st.cache_resource(show_spinner=False)
def switching_curves() -> list[lessons.LossCurve]:
    return lessons.switching_curves()


@st.cache_resource(show_spinner=False)
def basins() -> lessons.Basins:
    return lessons.basins(landscapes.get(BASIN_SURFACE), BASIN_OPTIMIZER, BASIN_LR)


@st.cache_resource(show_spinner=False)
def saved_table() -> dict[str, measurements.Row]:
    return measurements.load_table()


@st.cache_resource(max_entries=len(optimizers.names()), show_spinner=False)
def measured_row(key: str) -> measurements.Row:
    return measurements.measure_row(key)


def open_links(preset: presets.Preset, key: str) -> None:
    left, right = st.columns(2)
    page = "Compare" if presenter.link_target(preset)[0] == "compare" else "Explore"
    left.link_button(f"Open in {page}", presenter.link_url(preset), key=f"{key}_open")
    right.link_button("Present it", presenter.present_url(preset), key=f"{key}_present")


st.title("Learn: how optimizers move")
st.markdown(
    "Training a model means walking downhill on a loss surface. Each idea below comes with a "
    "small live figure; every optimizer has its own section further down, and the table at the "
    "end is measured by this app: it runs every optimizer on every surface."
)

st.header("The ideas")

st.subheader("1. The gradient is a direction on the map")
st.markdown(
    "The gradient ∇f = (∂f/∂x, ∂f/∂y) is a vector in the plane of the parameters, not on the "
    "surface. It points uphill, at right angles to the contour lines. Gradient descent steps the "
    "other way: θ ← θ − η·∇f(θ). On a stretched bowl, −∇f does **not** point at the minimum."
)
field_name = st.radio(
    "Surface",
    FIELD_SURFACES,
    format_func=lambda name: landscapes.get(name).title,
    horizontal=True,
    key="learn_field_surface",
)
field = gradient_field(field_name)
ui.plotly_chart(
    learn_figures.gradient_field_figure(
        landscapes.get(field_name), field.points, field.gradients, highlight=len(field.points) // 3
    ),
    key="gradient_field",
)

st.subheader("2. Why the step must be small")
st.markdown(
    "Gradient descent trusts the tangent: f(θ) ≈ f(a) + ∇f(a)·(θ − a). Near a, the tangent and "
    "the surface agree; the farther the step, the wider the gap between what the tangent "
    "promised and what the surface does. Move the slider and watch the error grow: a long enough "
    "step even ends higher than it started."
)
taylor_step = st.select_slider(
    "Step length along −∇f", TAYLOR_STEPS, value=TAYLOR_STEPS[2], key="learn_taylor_step"
)
taylor = lessons.taylor_slice(
    landscapes.get(TAYLOR_SURFACE), TAYLOR_START, TAYLOR_LENGTH, taylor_step
)
ui.plotly_chart(
    learn_figures.taylor_figure(
        taylor.distances, taylor.true_loss, taylor.linear_loss, taylor_step
    ),
    key="taylor",
)
st.caption(
    f"{landscapes.get(TAYLOR_SURFACE).title}, from (x, y) = {TAYLOR_START}, "
    "along the steepest-descent direction."
)

st.subheader("3. The learning rate is your choice")
three_ways = presets.get("lr_three_ways")
st.markdown(three_ways.watch + " On a quadratic the edge is η = 2/L, L the largest curvature.")
lr_paths = preset_paths(three_ways.key)
ui.plotly_chart(
    learn_figures.side_by_side_figure(
        landscapes.get(three_ways.surface), lr_paths, [path.label for path in lr_paths]
    ),
    key="three_ways",
)
open_links(three_ways, "three_ways")

st.subheader("4. Full batch, mini-batch, one sample")
problem = data.get("linear_regression", scaled=True)
st.markdown(
    f"A line fitted to {problem.samples} data points; the map's axes are the line's slope and "
    "intercept. Full-batch GD averages the gradient over every sample: exact, expensive, straight. "
    "SGD uses one sample per step: cheap and noisy, it wanders but gets there on average. A "
    "mini-batch sits in between. Same learning rate for all three: "
    f"η = {lessons.BATCH_LR:g}. Larger batches allow larger rates (doubling the batch roughly "
    "doubles the rate that works), often after a warm-up."
)
ui.plotly_chart(learn_figures.paths_figure(problem.surface, batch_paths()), key="batches")
st.markdown(
    "**Batch size and learning rate move together.** With the same number of samples, a batch "
    "4 times larger takes 4 times fewer steps: at the same rate it falls behind. Multiply the "
    "rate by 4 too (the linear-scaling rule) and it keeps up."
)
ui.plotly_chart(
    learn_figures.loss_curves_figure(
        scaling_curves(), "samples seen", y_title="loss above the best fit"
    ),
    key="batch_scaling",
)

st.subheader("5. Local minima and saddles")
st.markdown(
    "Where the gradient is zero, gradient descent stops: at the lowest point, at a worse local "
    "minimum, or on a saddle. Which minimum a run reaches depends on where it starts. Each dot "
    f"below is a start point of GD (η = {BASIN_LR:g}), coloured by the minimum it ends in."
)
basin = basins()
ui.plotly_chart(
    learn_figures.basins_figure(landscapes.get(BASIN_SURFACE), basin.starts, basin.destination),
    key="basins",
)
for column, key in zip(st.columns(2), ("adam_escapes_saddle", "noise_helps"), strict=True):
    with column:
        escape = presets.get(key)
        st.markdown(f"**{escape.title}.** {escape.watch}")
        ui.plotly_chart(
            learn_figures.paths_figure(landscapes.get(escape.surface), preset_paths(key)),
            key=f"escape_{key}",
        )
        open_links(escape, key)

st.subheader("6. Newton's method uses the curvature")
st.markdown(
    "The gradient only knows the slope; Newton's method also measures the curvature (the Hessian "
    "H) and jumps to the bottom of the local quadratic model: Δθ = −H⁻¹∇f. On a quadratic that "
    "is the minimum itself, from anywhere. The price: an n×n matrix and a linear solve per step, "
    "and it heads for saddles as readily as for minima."
)
newton_surface = landscapes.get(NEWTON_SURFACE)
steps = lessons.first_steps(newton_surface, NEWTON_POINTS, NEWTON_LR)
ui.plotly_chart(
    learn_figures.newton_figure(
        newton_surface, steps.points, steps.gradient_step, steps.newton_step
    ),
    key="newton",
)

st.subheader("7. Choosing an optimizer in practice")
st.markdown(
    "Adam makes fast early progress with little tuning and suits sparse or badly scaled "
    "features; plain SGD (with momentum) is cheap, works on streaming data and often settles "
    "more precisely. A known recipe is to start with Adam and switch to SGD late. Switching means "
    "a fresh optimizer on the same parameters; different parts of a model may use different "
    "optimizers, but one parameter gets one optimizer at a time."
)
ui.plotly_chart(
    learn_figures.loss_curves_figure(
        switching_curves(),
        "step",
        marker_x=lessons.SWITCH_STEP,
        marker_text=" switch to GD",
    ),
    key="switching",
)
st.caption(
    f"{landscapes.get(lessons.SWITCH_SURFACE).title}; Adam η = "
    f"{lessons.SWITCH_SETTINGS['adam']['lr']:g}, GD η = {lessons.SWITCH_SETTINGS['sgd']['lr']:g}."
)

st.header("The optimizers")
specs = [optimizers.get(key) for key in optimizers.names()]
for tab, spec in zip(st.tabs([spec.title for spec in specs]), specs, strict=True):
    with tab:
        text_column, demo_column = st.columns([1, 1])
        with text_column:
            st.latex(spec.latex)
            st.markdown(spec.summary)
            st.markdown(f"**Extra memory:** {measurements.memory_text(spec)}.")
            st.dataframe(
                [
                    {
                        "hyperparameter": hyper.label,
                        "default (torch)": hyper.format(hyper.default),
                        "range here": f"{hyper.format(hyper.low)} – {hyper.format(hyper.high)}",
                        "what it does": hyper.help,
                    }
                    for hyper in spec.hyperparams
                ],
                hide_index=True,
            )
            if spec.torch_equivalent:
                st.code(spec.torch_equivalent, language="python")
        with demo_column:
            demo = presenter.demo_preset(spec.key)
            st.markdown(f"**{demo.title}.** {demo.watch}")
            ui.plotly_chart(
                learn_figures.paths_figure(landscapes.get(demo.surface), preset_paths(demo.key)),
                key=f"demo_{spec.key}",
            )
            open_links(demo, f"demo_{spec.key}")

st.header("How they compare, measured")
surfaces = measurements.measured_surfaces()
st.markdown(
    f"Each optimizer ran from each surface's start point with every learning rate in "
    f"{', '.join(f'{lr:g}' for lr in measurements.LR_GRID)} for {measurements.TABLE_STEPS} steps. "
    "A cell shows the fewest steps any rate needed to come within 0.1 % of the map's width of a "
    "minimum (and that rate); “—” means no rate got there. **Forgiving** is the share of all "
    "(surface, rate) pairs that got there: how much the optimizer tolerates a poorly chosen rate."
)
saved = saved_table()
missing = [key for key in optimizers.names() if key not in saved]
if missing:
    progress = st.progress(0.0, text="Measuring…")
    for done, key in enumerate(missing, start=1):
        measured_row(key)
        progress.progress(done / len(missing), text=f"Measured {done} of {len(missing)} optimizers")
    progress.empty()
rows = [saved[key] if key in saved else measured_row(key) for key in optimizers.names()]


st.dataframe(
    [
        {
            "optimizer": row.title,
            "extra memory": measurements.memory_text(optimizers.get(row.key)),
            "forgiving": f"{row.robustness:.0%}",
            **{landscapes.get(name).title: row.cells[name].text() for name in surfaces},
        }
        for row in rows
    ],
    hide_index=True,
)
