"""Networks: a small neural network trained by the registry's optimizers on real mini-batches,
its loss landscape as a 2-D slice through its hundreds of weights, the decision boundary, and the
lessons' contrasts (batch norm, L2, the loss, the batch size) side by side."""

import numpy as np
import streamlit as st

import figures
import optimizers
import ui
from analysis import network_runs, slices
from classroom import exports
from figures.charts import step_chart
from figures.network import decision_boundary_figure
from landscapes import network
from texts import tr
from ui.url import text_setting

ui.ensure_app_navigation()

DEFAULT_OPTIMIZERS = ("sgd", "momentum", "adam", "rmsprop")
SAMPLE_CHOICES = tuple(range(network.MIN_SAMPLES, network.MAX_SAMPLES + 1, 50))
LABEL_NOISE_CHOICES = (0.0, 0.05, 0.1, 0.2, 0.3)
L2_CHOICES = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1)
BATCH_CHOICES = (8, 16, 32, 64, 128, 256, network.MAX_SAMPLES)
RESOLUTION_CHOICES = (21, 31, 41, 51)
MIN_STEPS, MAX_STEPS, STEP = 50, 1000, 50
SLICE_NAME = "network-slice"  # one name: the 3D camera stays put when settings change

state = ui.PageState("networks")

with st.sidebar:
    st.markdown(tr("**Data and network**"))
    dataset = ui.selectbox(
        state,
        "dataset",
        tr("Data set"),
        list(network.DATASETS),
        format_func=lambda name: tr(network.DATASETS[name]),
    )
    samples = ui.select_slider(state, "samples", tr("Points"), SAMPLE_CHOICES, default=300)
    label_noise = ui.select_slider(
        state,
        "label_noise",
        tr("Label noise (share of labels flipped)"),
        LABEL_NOISE_CHOICES,
        default=0.0,
    )
    data_seed = ui.whole_number_input(
        state, "data_seed", tr("Data seed"), 0, ui.controls.MAX_SEED, default=0
    )
    state.seed(text_setting("hidden", "24, 16"))
    hidden_text = st.text_input(
        tr("Hidden layers (units per layer)"),
        key="hidden",
        help=tr(
            "1 to {layers} layers of {low} to {high} units, separated by commas.",
            layers=network.MAX_LAYERS,
            low=network.MIN_WIDTH,
            high=network.MAX_WIDTH,
        ),
    )
    activation = ui.radio(
        state, "activation", tr("Activation"), network.ACTIVATIONS, horizontal=True
    )
    loss = ui.radio(
        state,
        "loss",
        tr("Loss"),
        list(network.LOSSES),
        format_func=lambda kind: tr("cross-entropy") if kind == "cross_entropy" else "MSE",
        horizontal=True,
        help=tr("Binary cross-entropy on the logit, or mean squared error on the sigmoid output."),
    )
    batch_norm = ui.radio(
        state,
        "batch_norm",
        tr("Batch normalisation"),
        ["off", "on"],
        format_func=lambda switch: tr("on") if switch == "on" else tr("off"),
        horizontal=True,
        help=tr(
            "After each hidden linear layer: normalised by the batch's own mean and spread, "
            "then a learnt scale γ and shift β."
        ),
    )
    l2 = ui.select_slider(
        state,
        "l2",
        tr("L2 penalty λ"),
        L2_CHOICES,
        default=0.0,
        help=tr("Adds λ/2·‖W‖² over the weight matrices to the loss (not the biases, γ or β)."),
    )
    st.markdown(tr("**Training**"))
    keys = ui.optimizers_multiselect(
        state,
        DEFAULT_OPTIMIZERS,
        keys=network_runs.trainable_keys(),
        key="net_optimizers",
        help=tr(
            "Every optimizer of the registry that needs no Hessian; all start from the same "
            "weights and see the same mini-batches."
        ),
    )
    batch_size = ui.select_slider(
        state,
        "net_batch",
        tr("Batch size"),
        BATCH_CHOICES,
        default=32,
        help=tr(
            "Points per gradient step, in a fresh shuffle every epoch. Larger than the data "
            "set means full-batch gradient descent."
        ),
    )
    steps = ui.slider(state, "net_steps", tr("Steps"), MIN_STEPS, MAX_STEPS, default=300, step=STEP)
    seed = ui.whole_number_input(
        state,
        "net_seed",
        tr("Seed (initial weights and shuffle)"),
        0,
        ui.controls.MAX_SEED,
        default=0,
    )
    st.markdown(tr("**Landscape**"))
    plane = ui.radio(
        state,
        "plane",
        tr("Slice through weight space along"),
        list(slices.PLANES),
        format_func=lambda kind: tr(slices.PLANES[kind]),
    )
    resolution = ui.select_slider(
        state,
        "resolution",
        tr("Slice resolution (points per side)"),
        RESOLUTION_CHOICES,
        default=41,
        help=tr("The network's loss is computed exactly at resolution² points of the plane."),
    )
    contrast = ui.selectbox(
        state,
        "contrast",
        tr("Compare with the same run but"),
        list(network_runs.CONTRASTS),
        format_func=lambda kind: tr(network_runs.CONTRASTS[kind]),
        help=tr("Trains everything twice with one setting changed, and measures both landscapes."),
    )
    view = ui.chart_view(state, default_step=steps)
    try:
        setup = network.NetworkSetup(
            dataset,
            network.parse_hidden(hidden_text),
            activation,
            loss,
            batch_norm == "on",
            float(l2),
            data_seed,
            int(samples),
            float(label_noise),
        )
        problem = setup.problem()
    except network.NetworkError as error:
        setup, problem = None, None
        st.error(str(error))
    learning_rates = {}
    if problem is not None and keys:
        with st.expander(tr("Learning rates"), expanded=False):
            for key in keys:
                spec = optimizers.get(key)
                learning_rates[key] = ui.hyper_slider(
                    state,
                    f"net_lr_{key}",
                    spec.hyper("lr"),
                    ui.cached.network_starting_lr(setup, key, seed),
                    (setup, key),
                    label=tr("{optimizer}: learning rate η", optimizer=tr(spec.title)),
                    with_help=False,
                )
            st.caption(tr("Other hyperparameters are torch's defaults."))
    ui.finish_sidebar(state, complete=problem is not None)

if problem is None:
    st.info(tr("Fix the network's settings in the sidebar to train it."))
    st.stop()
if not keys:
    st.info(tr("Choose at least one optimizer in the sidebar."))
    st.stop()

experiment = network_runs.Experiment(
    setup,
    tuple((key, float(learning_rates[key])) for key in keys),
    int(batch_size),
    steps,
    seed,
    plane,
    int(resolution),
)
st.subheader(tr("Training a real network: {network}", network=tr(problem.title)))
batch = experiment.effective_batch
numbers = {"samples": setup.samples, "batch": batch, "steps": steps, "seed": seed}
if batch == setup.samples:
    about = tr(
        "{samples} points in batches of {batch} (full batch), {steps} steps from the same "
        "initial weights (seed {seed}).",
        **numbers,
    )
else:
    about = tr(
        "{samples} points in batches of {batch}, {steps} steps from the same initial weights "
        "(seed {seed}).",
        **numbers,
    )
about += " " + tr(
    "The network has {weights} weights; the pictures below are a 2-D slice through that space, "
    "and every loss shown is the network's real loss on all points, not the slice's value.",
    weights=problem.dim,
)
st.caption(about)

variants = network_runs.contrast(experiment, contrast)
summaries = []
for label, variant in variants:
    variant_problem = variant.setup.problem()
    with st.spinner(
        tr(
            "Training {count} optimizers and slicing the landscape {variant}…",
            count=len(keys),
            variant=label,
        )
    ):
        runs = ui.cached.network_runs(variant)
        scape = ui.cached.network_landscape(variant)
    cut = scape.cut
    tracks = [
        figures.Track(
            tr(optimizers.get(key).title),
            optimizers.get(key).color,
            path.coordinates,
            path.losses,
            path.plane_gradient,
            path.diverged_at,
        )
        for key, path in zip(keys, scape.paths, strict=True)
    ]
    if label:
        st.markdown(f"#### {label[:1].upper()}{label[1:]}")
    for track in tracks:
        if track.diverged:
            st.error(
                tr(
                    "{optimizer} blew up at step {step}: its learning rate is too large for this "
                    "network. Lower it in the sidebar's learning rates.",
                    optimizer=track.label,
                    step=track.diverged_at,
                )
            )
        elif track.losses[track.last_step] > track.losses[0]:
            st.warning(
                tr(
                    "{optimizer} ends with a higher loss than it started with ({start:.3g} → "
                    "{end:.3g}): its learning rate is too large for this network. Lower it in the "
                    "sidebar's learning rates.",
                    optimizer=track.label,
                    start=track.losses[0],
                    end=track.losses[track.last_step],
                )
            )
    explained = cut.plane.explained
    if explained is None:
        where = tr(
            "Two filter-normalised random directions around where {optimizer} ends (a = b = 0); "
            "each unit is one filter norm.",
            optimizer=tracks[0].label,
        )
    else:
        where = tr(
            "The first two principal directions of all {count} paths, which explain {first:.0%} "
            "and {second:.0%} of their movement ({together:.0%} together).",
            count=len(tracks),
            first=explained[0],
            second=explained[1],
            together=sum(explained),
        )
    far = max(float(np.nanmax(p.distance)) for p in scape.paths)
    st.caption(
        where
        + " "
        + tr(
            "The surface is the network's loss computed at {resolution}² points of that plane "
            "(drawn between them by interpolation). Each path is drawn at its projection on the "
            "plane and at its real loss, so it floats off the surface where the weights leave the "
            "plane: up to {far:.3g} away (in weight-space distance; the table gives each one's).",
            resolution=variant.resolution,
            far=far,
        )
    )
    surface = cut.surface(SLICE_NAME, tr("slice of {network}", network=tr(variant_problem.title)))
    ui.trajectory_chart(
        figures.trajectory_figure(surface, tracks, clickable=False),
        key=f"trajectory{len(summaries)}",
        view=view,
    )
    shown_step = min(view.step, steps)
    grid_x, grid_y, probabilities = ui.cached.decision_grids(variant, shown_step)
    st.caption(
        tr(
            "Decision boundaries at step {step}, where the animation above was last paused or "
            "dragged to (they follow once it stops, not while it plays); blue points are class 0, "
            "rust class 1.",
            step=shown_step,
        )
    )
    for column, track, run, path, probability in zip(
        st.columns(len(tracks)), tracks, runs, scape.paths, probabilities, strict=True
    ):
        at = min(shown_step, network_runs.last_good_step(run))
        with column:
            ui.plotly_chart(
                decision_boundary_figure(
                    variant_problem.data.inputs,
                    variant_problem.data.labels,
                    grid_x,
                    grid_y,
                    probability,
                    track,
                    tr("step {step}: {accuracy:.0%} right", step=at, accuracy=path.accuracy[at]),
                ),
                key=f"boundary{len(summaries)}_{track.label}",
            )
    loss_column, accuracy_column = st.columns(2)
    with loss_column:
        ui.plotly_chart(figures.loss_chart(tracks), key=f"loss{len(summaries)}")
    with accuracy_column:
        ui.plotly_chart(
            step_chart(
                tracks,
                [path.accuracy for path in scape.paths],
                tr("accuracy on the training points"),
                tr("accuracy"),
                log=False,
            ),
            key=f"accuracy{len(summaries)}",
        )
    st.caption(
        tr(
            "Roughness of this slice: mean ‖∇L‖ over its {resolution}² points = "
            "**{roughness:.4g}** (the full gradient, in all {weights} directions). Sharpness: the "
            "largest Hessian eigenvalue of the loss where each run ends.",
            resolution=variant.resolution,
            roughness=cut.roughness,
            weights=variant_problem.dim,
        )
    )
    rows = {
        tr("optimizer"): [t.label for t in tracks],
        "η": [f"{lr:.3g}" for _, lr in variant.optimizers],
        tr("final loss"): [
            f"{p.losses[network_runs.last_good_step(r)]:.4g}"
            for p, r in zip(scape.paths, runs, strict=True)
        ],
        tr("final accuracy"): [
            f"{p.accuracy[network_runs.last_good_step(r)]:.1%}"
            for p, r in zip(scape.paths, runs, strict=True)
        ],
        tr("sharpness at the end"): [f"{p.sharpness:.4g}" for p in scape.paths],
        tr("farthest from the plane"): [f"{np.nanmax(p.distance):.3g}" for p in scape.paths],
    }
    st.dataframe(rows, hide_index=True)
    summaries.append((label, cut.roughness, scape.paths, tracks, surface))

if len(summaries) == 2:
    (first, rough_a, paths_a, _, _), (second, rough_b, paths_b, _, _) = summaries
    st.markdown(tr("#### The two side by side"))
    st.dataframe(
        {
            "": [tr("slice roughness (mean ‖∇L‖)")]
            + [tr("sharpness at the end: {optimizer}", optimizer=t.label) for t in summaries[0][3]],
            first: [f"{rough_a:.4g}"] + [f"{p.sharpness:.4g}" for p in paths_a],
            second: [f"{rough_b:.4g}"] + [f"{p.sharpness:.4g}" for p in paths_b],
        },
        hide_index=True,
    )

with st.expander(tr("Download: runs as CSV, the slice's animation as GIF or MP4")):
    label, _, paths, tracks, surface = summaries[-1]
    st.download_button(
        tr("Network runs (CSV): loss, accuracy, distance from the plane"),
        exports.network_runs_csv(tracks, [p.accuracy for p in paths], [p.distance for p in paths]),
        file_name=f"network-{dataset}-runs.csv",
        mime="text/csv",
        on_click="ignore",
    )
    ui.export_panel(surface, tracks, key="networks")
