"""Mini-batches: a real model on a real data set, trained with real mini-batch gradients.

Left the feature as measured, right the same data standardised: the same model, two bowls.
"""

import streamlit as st

import figures
import optimizers
import ui
from analysis.starting_rates import starting_lr
from analysis.sweeps import stability_edge
from figures.data_fit import data_fit_figure, parameter_map_figure
from figures.sweeps import sweep_figure
from landscapes import data
from optimizers.registry import REFERENCE_COLORS

ui.ensure_app_navigation()

# Newton needs the Hessian of the mini-batch loss, which the data surfaces do not provide per batch.
KEYS = [key for key in optimizers.names() if not optimizers.get(key).needs_hessian]
BASE_BATCHES = (1, 2, 5, 10, 20, 50, 100, 200)
BATCH_SIZES = BASE_BATCHES  # the batch sizes compared at the bottom of the page
MAX_EPOCHS = 30
MAX_WARMUP = 300
# Reference runs, in colours no optimizer has: full-batch training next to the mini-batch run,
# and the scaled-η line of the batch-size comparison.
FULL_BATCH_COLOR, SCALED_COLOR = REFERENCE_COLORS[4], REFERENCE_COLORS[1]
SIDES = {False: "Feature as measured (mean 50, spread 20)", True: "Feature standardised"}

state = ui.PageState("minibatch")

with st.sidebar:
    model = ui.selectbox(
        state, "model", "Model", list(data.MODELS), format_func=lambda key: data.MODELS[key].title
    )
    spec = ui.optimizer_picker(state, keys=KEYS)
    key = spec.key
    batch_size = ui.slider(
        state,
        "batch",
        "Batch size",
        1,
        data.SAMPLES,
        default=20,
        help=f"1 is pure SGD (one sample per step); {data.SAMPLES} is full-batch gradient descent.",
    )
    epochs = ui.slider(state, "epochs", "Epochs (passes over the data)", 1, MAX_EPOCHS, default=5)
    base_lrs = {
        scaled: ui.hyper_slider(
            state,
            f"lr_{'scaled' if scaled else 'raw'}",
            spec.hyper("lr"),
            starting_lr(data.get(model, scaled).surface, key),
            (model, key),
            label=f"Learning rate η, {side.split(' (')[0].lower()}",
        )
        for scaled, side in SIDES.items()
    }
    with st.expander("Large batches: linear scaling and warm-up"):
        scale_rule = ui.radio(
            state,
            "scale_lr",
            "Scale η with the batch size",
            ["off", "on"],
            horizontal=True,
            help="The linear-scaling rule: k times the batch size, k times the learning rate.",
        )
        base_batch = ui.select_slider(
            state,
            "base_batch",
            "η above is meant for batch size",
            BASE_BATCHES,
            default=10,
            help="The batch size at which η is used as it is; other sizes scale it.",
        )
        warmup = ui.slider(
            state,
            "warmup",
            "Warm-up steps",
            0,
            MAX_WARMUP,
            default=0,
            help="Start at a tenth of η and ramp it up linearly over these steps.",
        )
    seed = ui.whole_number_input(
        state,
        "seed",
        "Shuffle seed",
        0,
        ui.controls.MAX_SEED,
        default=0,
        help="Which samples go in which batch.",
    )
    ui.finish_sidebar(state)


batches = data.MiniBatches(data.SAMPLES, batch_size, seed)
steps = epochs * batches.steps_per_epoch
lrs = {
    scaled: data.linear_scaled_lr(lr, batch_size, base_batch) if scale_rule == "on" else lr
    for scaled, lr in base_lrs.items()
}
st.subheader(f"{spec.title} on real data: {data.MODELS[model].title.lower()}")
st.caption(
    f"{data.SAMPLES} samples in batches of {batch_size}: {batches.steps_per_epoch} steps per "
    f"epoch, {epochs} epochs = {steps} steps. Every step uses the gradient of its mini-batch only, "
    "each sample once per epoch in a fresh random order; the loss drawn is always over all "
    f'samples. The path "all {data.SAMPLES} samples per step" is full-batch training, to compare.'
)
if scale_rule == "on":
    st.info(
        f"Linear scaling: batch {batch_size} is {batch_size / base_batch:g} × batch {base_batch}, "
        f"so η is multiplied by {batch_size / base_batch:g}."
    )

for column, (scaled, side) in zip(st.columns(2), SIDES.items(), strict=True):
    problem = data.get(model, scaled)
    surface = problem.surface
    lr = lrs[scaled]
    minibatch_run = ui.cached.minibatch_run(model, scaled, key, lr, batch_size, steps, warmup, seed)
    full_run = ui.cached.minibatch_run(model, scaled, key, lr, data.SAMPLES, steps, warmup, seed)
    paths = [
        figures.Track.of(
            full_run, f"all {data.SAMPLES} samples per step", FULL_BATCH_COLOR, surface
        ),
        figures.Track.of(minibatch_run, f"batches of {batch_size}", spec.color, surface),
    ]
    with column:
        st.markdown(f"**{side}** — η = {spec.hyper('lr').format(lr)}")
        ui.plotly_chart(
            parameter_map_figure(surface, paths),
            key=f"map_{scaled}",
        )
        edge = stability_edge(surface) if key == "sgd" else None
        if paths[1].diverged:
            limit = f" On this bowl gradient descent needs η < 2/L = {edge:.3g}." if edge else ""
            st.error(f"The mini-batch run blew up at step {paths[1].diverged_at}.{limit}")
        st.caption(surface.lesson)
        end = tuple(paths[1].points[paths[1].last_step])
        ui.plotly_chart(
            data_fit_figure(
                problem,
                [
                    ("model at the start", spec.color, surface.start),
                    ("model after training", spec.color, end),
                ],
            ),
            key=f"fit_{scaled}",
        )
        ui.plotly_chart(
            figures.loss_chart(paths, surface=surface),
            key=f"loss_{scaled}",
        )

st.markdown("#### Batch size and learning rate move together")
base_lr = base_lrs[True]
st.caption(
    f"{epochs} epochs on the standardised data at every batch size from 1 to {data.SAMPLES}. With "
    f"the same η = {spec.hyper('lr').format(base_lr)} a large batch takes few steps per epoch and "
    f"gets less far; scaling η with the batch size (η × batch / {base_batch}) makes up for it, "
    "until the step is too large for the bowl and the run stalls or blows up. A warm-up makes "
    "the first large steps gentler."
)
with st.spinner(f"Training at {len(BATCH_SIZES)} batch sizes, twice…"):
    comparison = [
        (
            "same η for every batch size",
            spec.color,
            ui.cached.batch_size_sweep(
                model, key, base_lr, base_batch, BATCH_SIZES, epochs, False, warmup, seed
            ),
        ),
        (
            "η scaled with the batch size",
            SCALED_COLOR,
            ui.cached.batch_size_sweep(
                model, key, base_lr, base_batch, BATCH_SIZES, epochs, True, warmup, seed
            ),
        ),
    ]
ui.plotly_chart(
    sweep_figure(data.get(model, True).surface, comparison),
    key="batch_sweep",
)
if spec.many_runs_note():
    st.caption(spec.many_runs_note())
