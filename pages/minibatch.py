"""Mini-batches: a real model on a real data set, trained with real mini-batch gradients.

Left the feature as measured, right the same data standardised: the same model, two bowls.
"""

import streamlit as st

import figures
import optimizers
import ui
from analysis.outcome import summarise
from analysis.starting_rates import starting_lr
from analysis.sweeps import stability_edge
from figures.data_fit import data_fit_figure, parameter_map_figure
from figures.sweeps import sweep_figure
from landscapes import data
from optimizers.registry import REFERENCE_COLORS
from texts import tr, translatable

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
SIDES = {
    False: translatable("Feature as measured (mean 50, spread 20)"),
    True: translatable("Feature standardised"),
}
# The learning-rate slider of each side.
LR_LABELS = {
    False: translatable("Learning rate η, feature as measured"),
    True: translatable("Learning rate η, feature standardised"),
}

SCALE_OPTIONS = {"off": translatable("off"), "on": translatable("on")}

state = ui.PageState("minibatch")

with st.sidebar:
    model = ui.selectbox(
        state,
        "model",
        tr("Model"),
        list(data.MODELS),
        format_func=lambda key: tr(data.MODELS[key].title),
    )
    spec = ui.optimizer_picker(state, keys=KEYS)
    key = spec.key
    batch_size = ui.slider(
        state,
        "batch",
        tr("Batch size"),
        1,
        data.SAMPLES,
        default=20,
        help=tr(
            "1 is pure SGD (one sample per step); {samples} is full-batch gradient descent.",
            samples=data.SAMPLES,
        ),
    )
    epochs = ui.slider(
        state, "epochs", tr("Epochs (passes over the data)"), 1, MAX_EPOCHS, default=5
    )
    base_lrs = {
        scaled: ui.hyper_slider(
            state,
            f"lr_{'scaled' if scaled else 'raw'}",
            spec.hyper("lr"),
            starting_lr(data.get(model, scaled).surface, key),
            (model, key),
            label=tr(LR_LABELS[scaled]),
        )
        for scaled in SIDES
    }
    with st.expander(tr("Large batches: linear scaling and warm-up")):
        scale_rule = ui.radio(
            state,
            "scale_lr",
            tr("Scale η with the batch size"),
            ["off", "on"],
            horizontal=True,
            format_func=lambda option: tr(SCALE_OPTIONS[option]),
            help=tr("The linear-scaling rule: k times the batch size, k times the learning rate."),
        )
        base_batch = ui.select_slider(
            state,
            "base_batch",
            tr("η above is meant for batch size"),
            BASE_BATCHES,
            default=10,
            help=tr("The batch size at which η is used as it is; other sizes scale it."),
        )
        warmup = ui.slider(
            state,
            "warmup",
            tr("Warm-up steps"),
            0,
            MAX_WARMUP,
            default=0,
            help=tr("Start at a tenth of η and ramp it up linearly over these steps."),
        )
    seed = ui.whole_number_input(
        state,
        "seed",
        tr("Shuffle seed"),
        0,
        ui.controls.MAX_SEED,
        default=0,
        help=tr("Which samples go in which batch."),
    )
    ui.finish_sidebar(state)


batches = data.MiniBatches(data.SAMPLES, batch_size, seed)
steps = epochs * batches.steps_per_epoch
lrs = {
    scaled: data.linear_scaled_lr(lr, batch_size, base_batch) if scale_rule == "on" else lr
    for scaled, lr in base_lrs.items()
}
model_title = tr(data.MODELS[model].title)
st.subheader(
    tr(
        "{optimizer} on real data: {model}",
        optimizer=tr(spec.title),
        # Lower case in the middle of the sentence (the English titles have one capital only).
        model=model_title[:1].lower() + model_title[1:],
    )
)
full_batch_label = tr("all {samples} samples per step", samples=data.SAMPLES)
st.caption(
    tr(
        "{samples} samples in batches of {batch}: {per_epoch} steps per epoch, {epochs} epochs = "
        "{steps} steps. Every step uses the gradient of its mini-batch only, each sample once per "
        "epoch in a fresh random order; the loss drawn is always over all samples. The path "
        '"{full_batch}" is full-batch training, to compare.',
        samples=data.SAMPLES,
        batch=batch_size,
        per_epoch=batches.steps_per_epoch,
        epochs=epochs,
        steps=steps,
        full_batch=full_batch_label,
    )
)
if scale_rule == "on":
    st.info(
        tr(
            "Linear scaling: batch {batch} is {factor:g} × batch {base}, so η is multiplied by "
            "{factor:g}.",
            batch=batch_size,
            factor=batch_size / base_batch,
            base=base_batch,
        )
    )

for column, (scaled, side) in zip(st.columns(2), SIDES.items(), strict=True):
    problem = data.get(model, scaled)
    surface = problem.surface
    lr = lrs[scaled]
    minibatch_run = ui.cached.minibatch_run(model, scaled, key, lr, batch_size, steps, warmup, seed)
    full_run = ui.cached.minibatch_run(model, scaled, key, lr, data.SAMPLES, steps, warmup, seed)
    paths = [
        figures.Track.of(full_run, full_batch_label, FULL_BATCH_COLOR, surface),
        figures.Track.of(
            minibatch_run, tr("batches of {batch}", batch=batch_size), spec.color, surface
        ),
    ]
    with column:
        st.markdown(f"**{tr(side)}** — η = {spec.hyper('lr').format(lr)}")
        ui.plotly_chart(
            parameter_map_figure(surface, paths),
            key=f"map_{scaled}",
        )
        edge = stability_edge(surface) if key == "sgd" else None
        # Diverged, flew off or blew up: analysis.outcome's rule, in the rankings' words.
        (row,) = ui.ranking([(paths[1].label, summarise(minibatch_run, surface))])
        if row.unstable:
            blew_up = tr("The mini-batch run blew up ({outcome}).", outcome=row.outcome)
            if edge:
                blew_up += " " + tr(
                    "On this bowl gradient descent needs η < 2/L = {edge:.3g}.", edge=edge
                )
            st.error(blew_up)
        st.caption(problem.lesson)
        end = tuple(paths[1].points[paths[1].last_step])
        ui.plotly_chart(
            data_fit_figure(
                problem,
                [
                    (tr("model at the start"), spec.color, surface.start),
                    (tr("model after training"), spec.color, end),
                ],
            ),
            key=f"fit_{scaled}",
        )
        ui.plotly_chart(
            figures.loss_chart(paths, surface=surface),
            key=f"loss_{scaled}",
        )

st.markdown("#### " + tr("Batch size and learning rate move together"))
base_lr = base_lrs[True]
st.caption(
    tr(
        "{epochs} epochs on the standardised data at every batch size from 1 to {samples}. With "
        "the same η = {lr} a large batch takes few steps per epoch and gets less far; scaling η "
        "with the batch size (η × batch / {base}) makes up for it, until the step is too large "
        "for the bowl and the run stalls or blows up. A warm-up makes the first large steps "
        "gentler.",
        epochs=epochs,
        samples=data.SAMPLES,
        lr=spec.hyper("lr").format(base_lr),
        base=base_batch,
    )
)
with st.spinner(tr("Training at {count} batch sizes, twice…", count=len(BATCH_SIZES))):
    comparison = [
        (
            tr("same η for every batch size"),
            spec.color,
            ui.cached.batch_size_sweep(
                model, key, base_lr, base_batch, BATCH_SIZES, epochs, False, warmup, seed
            ),
        ),
        (
            tr("η scaled with the batch size"),
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
