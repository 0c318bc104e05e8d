"""Mini-batches: a real model on a real data set, trained with real mini-batch gradients.

Left the feature as measured, right the same data standardised: the same model, two bowls.
"""

import streamlit as st

import figures
import optimizers
import ui
from analysis.sweeps import Sweep, batch_size_sweep, stability_edge
from figures.maps import data_fit_figure, parameter_map_figure, sweep_figure
from landscapes import data
from ui.choices import hyper_choices
from ui.presets import starting_lr
from ui.runs import tolerance_for
from ui.url import choice_setting, int_setting, number_setting

ui.ensure_app_navigation()

# Newton needs the Hessian of the mini-batch loss, which the data surfaces do not provide per batch.
KEYS = [key for key in optimizers.names() if not optimizers.get(key).needs_hessian]
BASE_BATCHES = (1, 2, 5, 10, 20, 50, 100, 200)
BATCH_SIZES = BASE_BATCHES  # the batch sizes compared at the bottom of the page
MAX_EPOCHS = 30
MAX_WARMUP = 300
# A full-batch run drawn next to the mini-batch one, in a colour no optimizer uses.
FULL_BATCH_KEY = "full-batch"
SCALED_KEY = "linear-scaling"  # colour of the scaled-η line in the batch-size comparison
SIDES = {False: "Feature as measured (mean 50, spread 20)", True: "Feature standardised"}
_CACHE_ENTRIES = 64

state = ui.PageState("minibatch")


@st.cache_data(max_entries=_CACHE_ENTRIES, show_spinner=False)
def batch_sweep(model, key, lr, base_batch, epochs, scale_lr, warmup, seed) -> Sweep:
    problem = data.get(model, True)
    return batch_size_sweep(
        problem,
        key,
        lr,
        base_batch,
        BATCH_SIZES,
        epochs,
        scale_lr,
        warmup,
        seed,
        tolerance_for(problem.surface),
    )


@st.cache_data(max_entries=_CACHE_ENTRIES, show_spinner=False)
def train(model, scaled, key, lr, batch_size, steps, warmup, seed) -> optimizers.Trajectories:
    problem = data.get(model, scaled)
    batches = data.MiniBatches(problem.samples, batch_size, seed)
    return optimizers.simulate(
        problem.surface,
        key,
        {"lr": lr},
        [problem.surface.start],
        steps,
        schedule=optimizers.Schedule(warmup_steps=warmup),
        gradient_source=problem.minibatch_source(batches),
    )


with st.sidebar:
    state.seed(choice_setting("model", "linear_regression", list(data.MODELS)))
    model = st.selectbox("Model", list(data.MODELS), key="model", format_func=data.MODELS.get)
    state.seed(choice_setting("optimizer", "sgd", KEYS))
    key = st.selectbox(
        "Optimizer", KEYS, key="optimizer", format_func=lambda k: optimizers.get(k).title
    )
    spec = optimizers.get(key)
    state.seed(int_setting("batch", 20, 1, data.SAMPLES))
    batch_size = st.slider(
        "Batch size",
        1,
        data.SAMPLES,
        key="batch",
        help=f"1 is pure SGD (one sample per step); {data.SAMPLES} is full-batch gradient descent.",
    )
    state.seed(int_setting("epochs", 5, 1, MAX_EPOCHS))
    epochs = st.slider("Epochs (passes over the data)", 1, MAX_EPOCHS, key="epochs")
    lr_choices = hyper_choices(spec.hyper("lr"))
    base_lrs = {}
    for scaled, side in SIDES.items():
        problem = data.get(model, scaled)
        widget = f"lr_{'scaled' if scaled else 'raw'}"
        default = starting_lr(problem.surface, key)
        state.follow(widget, (model, key), default)
        state.seed(
            number_setting(widget, default, lr_choices[0], lr_choices[-1], lr_choices), default
        )
        base_lrs[scaled] = st.select_slider(
            f"Learning rate η, {side.split(' (')[0].lower()}",
            lr_choices,
            key=widget,
            format_func=spec.hyper("lr").format,
        )
    with st.expander("Large batches: linear scaling and warm-up"):
        state.seed(choice_setting("scale_lr", "off", ["off", "on"]))
        scale_rule = st.radio(
            "Scale η with the batch size",
            ["off", "on"],
            key="scale_lr",
            horizontal=True,
            help="The linear-scaling rule: k times the batch size, k times the learning rate.",
        )
        state.seed(int_setting("base_batch", 10, BASE_BATCHES[0], BASE_BATCHES[-1]))
        base_batch = st.select_slider(
            "η above is meant for batch size",
            BASE_BATCHES,
            key="base_batch",
            help="The batch size at which η is used as it is; other sizes scale it.",
        )
        state.seed(int_setting("warmup", 0, 0, MAX_WARMUP))
        warmup = st.slider(
            "Warm-up steps",
            0,
            MAX_WARMUP,
            key="warmup",
            help="Start at a tenth of η and ramp it up linearly over these steps.",
        )
    state.seed(int_setting("seed", 0, 0, ui.controls.MAX_SEED))
    seed = st.number_input(
        "Shuffle seed", 0, ui.controls.MAX_SEED, key="seed", help="Which samples go in which batch."
    )
    ui.finish_sidebar(state)


batches = data.MiniBatches(data.SAMPLES, batch_size, int(seed))
steps = epochs * batches.steps_per_epoch
lrs = {
    scaled: data.linear_scaled_lr(lr, batch_size, base_batch) if scale_rule == "on" else lr
    for scaled, lr in base_lrs.items()
}
st.subheader(f"{spec.title} on real data: {data.MODELS[model].lower()}")
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
    minibatch_run = train(model, scaled, key, lr, batch_size, steps, warmup, int(seed))
    full_run = train(model, scaled, key, lr, data.SAMPLES, steps, warmup, int(seed))
    paths = [
        figures.path_from_run(
            FULL_BATCH_KEY, f"all {data.SAMPLES} samples per step", full_run, surface
        ),
        figures.path_from_run(key, f"batches of {batch_size}", minibatch_run, surface),
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
                [("model at the start", key, surface.start), ("model after training", key, end)],
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
            key,
            "same η for every batch size",
            batch_sweep(model, key, base_lr, base_batch, epochs, False, warmup, int(seed)),
        ),
        (
            SCALED_KEY,
            "η scaled with the batch size",
            batch_sweep(model, key, base_lr, base_batch, epochs, True, warmup, int(seed)),
        ),
    ]
ui.plotly_chart(
    sweep_figure(data.get(model, True).surface, comparison),
    key="batch_sweep",
)
