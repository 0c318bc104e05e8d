"""Learn: the ideas behind the tool, each with a live mini-figure, then one section per optimizer
generated from the registry, then a comparison table the app measures itself."""

from dataclasses import replace

import numpy as np
import streamlit as st

import landscapes
import optimizers
import ui
from classroom import lessons, measurements, network_lessons, presenter, scenarios
from figures import learn as learn_figures
from landscapes import data
from texts import tr

ui.ensure_app_navigation()

# The page has no settings in its link: anything a link carries is reported, then dropped.
state = ui.PageState("learn")
state.publish()
state.show_notes()

FIELD_SURFACES = ("ill_conditioned", "bowl", "himmelblau", "six_hump_camel")
TAYLOR_SURFACE, TAYLOR_START, TAYLOR_LENGTH = "ill_conditioned", (-2.5, 1.0), 2.2
TAYLOR_STEPS = (0.05, 0.1, 0.2, 0.5, 1.0, 1.5, 2.0)
BASIN_SURFACE, BASIN_OPTIMIZER, BASIN_LR = "himmelblau", "sgd", 0.01
NEWTON_SURFACE, NEWTON_LR = "ill_conditioned", 0.03
NEWTON_POINTS = np.array([[-2.5, 1.0], [2.2, -0.9], [-1.2, -1.1], [1.4, 1.2]])


def open_links(scenario: scenarios.Scenario, key: str) -> None:
    left, right = st.columns(2)
    page = tr("Compare") if presenter.link_target(scenario)[0] == "compare" else tr("Explore")
    left.link_button(
        tr("Open in {page}", page=page), presenter.link_url(scenario), key=f"{key}_open"
    )
    right.link_button(tr("Present it"), presenter.present_url(scenario), key=f"{key}_present")


def scenario_tracks(key: str) -> list:
    """A scenario's cached tracks, their legends in the page's language."""
    return scenarios.in_language(ui.cached.scenario_tracks(key))


st.title(tr("Learn: how optimizers move"))
st.markdown(
    tr(
        "Training a model means walking downhill on a loss surface. Each idea below comes with a "
        "small live figure; every optimizer has its own section further down, and the table at the "
        "end is measured by this app: it runs every optimizer on every surface."
    )
)

st.header(tr("The ideas"))

st.subheader(tr("1. The gradient is a direction on the map"))
st.markdown(
    tr(
        "The gradient ∇f = (∂f/∂x, ∂f/∂y) is a vector in the plane of the parameters, not on the "
        "surface. It points uphill, at right angles to the contour lines. Gradient descent steps the "
        "other way: θ ← θ − η·∇f(θ). On a stretched bowl, −∇f does **not** point at the minimum."
    )
)
field_name = st.radio(
    tr("Surface"),
    FIELD_SURFACES,
    format_func=ui.drawn_texts(FIELD_SURFACES, lambda name: tr(landscapes.get(name).title)),
    horizontal=True,
    key="learn_field_surface",
)
field = ui.cached.gradient_field(field_name)
ui.plotly_chart(
    learn_figures.gradient_field_figure(
        landscapes.get(field_name), field.points, field.gradients, highlight=len(field.points) // 3
    ),
    key="gradient_field",
)

st.subheader(tr("2. Why the step must be small"))
st.markdown(
    tr(
        "Gradient descent trusts the tangent: f(θ) ≈ f(a) + ∇f(a)·(θ − a). Near a, the tangent and "
        "the surface agree; the farther the step, the wider the gap between what the tangent "
        "promised and what the surface does. Move the slider and watch the error grow: a long enough "
        "step even ends higher than it started."
    )
)
taylor_step = st.select_slider(
    tr("Step length along −∇f"), TAYLOR_STEPS, value=TAYLOR_STEPS[2], key="learn_taylor_step"
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
    tr(
        "{surface}, from (x, y) = {start}, along the steepest-descent direction.",
        surface=tr(landscapes.get(TAYLOR_SURFACE).title),
        start=TAYLOR_START,
    )
)

st.subheader(tr("3. The learning rate is your choice"))
three_ways = scenarios.get("lr_three_ways")
st.markdown(
    tr(three_ways.watch) + " " + tr("On a quadratic the edge is η = 2/L, L the largest curvature.")
)
lr_paths = scenario_tracks(three_ways.key)
ui.plotly_chart(
    learn_figures.side_by_side_figure(
        landscapes.get(three_ways.surface), lr_paths, [path.label for path in lr_paths]
    ),
    key="three_ways",
)
open_links(three_ways, "three_ways")

st.subheader(tr("4. Full batch, mini-batch, one sample"))
problem = data.get("linear_regression", scaled=True)
st.markdown(
    tr(
        "A line fitted to {samples} data points; the map's axes are the line's slope and "
        "intercept. Full-batch GD averages the gradient over every sample: exact, expensive, straight. "
        "SGD uses one sample per step: cheap and noisy, it wanders but gets there on average. A "
        "mini-batch sits in between. Same learning rate for all three: "
        "η = {lr:g}. Larger batches allow larger rates (doubling the batch roughly "
        "doubles the rate that works), often after a warm-up.",
        samples=problem.samples,
        lr=lessons.BATCH_LR,
    )
)
# The cached tracks' legends may be another page run's language: they are written afresh.
batch_tracks = [
    replace(track, label=lessons.batch_label(size, problem.samples))
    for track, size in zip(ui.cached.batch_tracks(), lessons.BATCH_SIZES, strict=True)
]
ui.plotly_chart(learn_figures.paths_figure(problem.surface, batch_tracks), key="batches")
st.markdown(
    tr(
        "**Batch size and learning rate move together.** With the same number of samples, a batch "
        "4 times larger takes 4 times fewer steps: at the same rate it falls behind. Multiply the "
        "rate by 4 too (the linear-scaling rule) and it keeps up."
    )
)
ui.plotly_chart(
    learn_figures.loss_curves_figure(
        ui.cached.scaling_curves(), tr("samples seen"), y_title=tr("loss above the best fit")
    ),
    key="batch_scaling",
)

st.subheader(tr("5. Local minima and saddles"))
st.markdown(
    tr(
        "Where the gradient is zero, gradient descent stops: at the lowest point, at a worse local "
        "minimum, or on a saddle. Which minimum a run reaches depends on where it starts. Each dot "
        "below is a start point of GD (η = {lr:g}), coloured by the minimum it ends in.",
        lr=BASIN_LR,
    )
)
basin = ui.cached.lesson_basins(BASIN_SURFACE, BASIN_OPTIMIZER, BASIN_LR)
ui.plotly_chart(
    learn_figures.basins_figure(landscapes.get(BASIN_SURFACE), basin.starts, basin.destination),
    key="basins",
)
for column, key in zip(st.columns(2), ("adam_escapes_saddle", "noise_helps"), strict=True):
    with column:
        escape = scenarios.get(key)
        st.markdown(f"**{tr(escape.title)}.** {tr(escape.watch)}")
        ui.plotly_chart(
            learn_figures.paths_figure(landscapes.get(escape.surface), scenario_tracks(key)),
            key=f"escape_{key}",
        )
        open_links(escape, key)

st.subheader(tr("6. Newton's method uses the curvature"))
st.markdown(
    tr(
        "The gradient only knows the slope; Newton's method also measures the curvature (the Hessian "
        "H) and jumps to the bottom of the local quadratic model: Δθ = −H⁻¹∇f. On a quadratic that "
        "is the minimum itself, from anywhere. The price: an n×n matrix and a linear solve per step, "
        "and it heads for saddles as readily as for minima."
    )
)
newton_surface = landscapes.get(NEWTON_SURFACE)
steps = lessons.first_steps(newton_surface, NEWTON_POINTS, NEWTON_LR)
ui.plotly_chart(
    learn_figures.newton_figure(
        newton_surface, steps.points, steps.gradient_step, steps.newton_step
    ),
    key="newton",
)

st.subheader(tr("7. Choosing an optimizer in practice"))
st.markdown(
    tr(
        "Adam makes fast early progress with little tuning and suits sparse or badly scaled "
        "features; plain SGD (with momentum) is cheap, works on streaming data and often settles "
        "more precisely. A known recipe is to start with Adam and switch to SGD late. Switching means "
        "a fresh optimizer on the same parameters; different parts of a model may use different "
        "optimizers, but one parameter gets one optimizer at a time."
    )
)
ui.plotly_chart(
    learn_figures.loss_curves_figure(
        ui.cached.switching_curves(),
        tr("step"),
        marker_x=lessons.SWITCH_STEP,
        marker_text=" " + tr("switch to GD"),
    ),
    key="switching",
)
st.caption(
    tr(
        "{surface}; Adam η = {adam:g}, GD η = {gd:g}.",
        surface=tr(landscapes.get(lessons.SWITCH_SURFACE).title),
        adam=lessons.SWITCH_SETTINGS["adam"]["lr"],
        gd=lessons.SWITCH_SETTINGS["sgd"]["lr"],
    )
)

st.subheader(tr("8. Real networks: batch norm, L2, the loss and the batch size"))
st.markdown(
    tr(
        "A neural network's loss lives in hundreds of dimensions. The Networks page trains a small "
        "one with these same optimizers and shows a 2-D slice of its landscape. Each lesson below "
        "trains it twice with one thing changed and measures both: how rough the slice is and how "
        "sharp the place is where each run ends."
    )
)
for lesson in network_lessons.LESSONS:
    st.markdown(f"**{tr(lesson.title)}.** {tr(lesson.text)}")
    st.link_button(
        tr("Open it on the Networks page"), lesson.link(), key=f"network_lesson_{lesson.key}"
    )
    if lesson.minibatch_link():
        st.link_button(
            tr("The same on Mini-batches"),
            lesson.minibatch_link(),
            key=f"minibatch_lesson_{lesson.key}",
        )

st.header(tr("The optimizers"))
specs = [optimizers.get(key) for key in optimizers.names()]
for tab, spec in zip(st.tabs([tr(spec.title) for spec in specs]), specs, strict=True):
    with tab:
        text_column, demo_column = st.columns([1, 1])
        with text_column:
            st.latex(spec.latex)
            st.markdown(tr(spec.summary))
            st.markdown(tr("**Extra memory:** {memory}.", memory=measurements.memory_text(spec)))
            st.dataframe(
                [
                    {
                        tr("hyperparameter"): tr(hyper.label),
                        tr("default (torch)"): hyper.format(hyper.default),
                        tr("range here"): (
                            " / ".join(tr(hyper.title(option)) for option in hyper.options)
                            if isinstance(hyper, optimizers.Choice)
                            else f"{hyper.format(hyper.low)} – {hyper.format(hyper.high)}"
                        ),
                        tr("what it does"): tr(hyper.help),
                    }
                    for hyper in spec.hyperparams
                ],
                hide_index=True,
            )
            if spec.torch_equivalent:
                st.code(spec.torch_equivalent, language="python")
        with demo_column:
            demo = scenarios.demo(spec.key)
            st.markdown(f"**{tr(demo.title)}.** {tr(demo.watch)}")
            ui.plotly_chart(
                learn_figures.paths_figure(landscapes.get(demo.surface), scenario_tracks(demo.key)),
                key=f"demo_{spec.key}",
            )
            open_links(demo, f"demo_{spec.key}")

st.header(tr("How they compare, measured"))
surfaces = measurements.measured_surfaces()
st.markdown(
    tr(
        "Each optimizer ran from each surface's start point with every learning rate in "
        "{rates} for {steps} steps. "
        "A cell shows the fewest steps any rate needed to come within 0.1 % of the map's width of a "
        "minimum (and that rate); “—” means no rate got there. **Forgiving** is the share of all "
        "(surface, rate) pairs that got there: how much the optimizer tolerates a poorly chosen rate.",
        rates=", ".join(f"{lr:g}" for lr in measurements.LR_GRID),
        steps=measurements.TABLE_STEPS,
    )
)
for note in filter(None, (optimizers.get(key).many_runs_note() for key in optimizers.names())):
    st.caption(note)
saved = ui.cached.saved_comparison()
missing = [key for key in optimizers.names() if key not in saved]
if missing:
    progress = st.progress(0.0, text=tr("Measuring…"))
    for done, key in enumerate(missing, start=1):
        ui.cached.measured_comparison_row(key)
        progress.progress(
            done / len(missing),
            text=tr("Measured {done} of {count} optimizers", done=done, count=len(missing)),
        )
    progress.empty()
rows = [
    saved[key] if key in saved else ui.cached.measured_comparison_row(key)
    for key in optimizers.names()
]


st.dataframe(
    [
        {
            tr("optimizer"): tr(row.title),
            tr("extra memory"): measurements.memory_text(optimizers.get(row.key)),
            tr("forgiving"): f"{row.robustness:.0%}",
            **{tr(landscapes.get(name).title): row.cells[name].text() for name in surfaces},
        }
        for row in rows
    ],
    hide_index=True,
)
