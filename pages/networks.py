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
    st.markdown("**Data and network**")
    dataset = ui.selectbox(
        state, "dataset", "Data set", list(network.DATASETS), format_func=network.DATASETS.get
    )
    samples = ui.select_slider(state, "samples", "Points", SAMPLE_CHOICES, default=300)
    label_noise = ui.select_slider(
        state,
        "label_noise",
        "Label noise (share of labels flipped)",
        LABEL_NOISE_CHOICES,
        default=0.0,
    )
    data_seed = ui.whole_number_input(
        state, "data_seed", "Data seed", 0, ui.controls.MAX_SEED, default=0
    )
    state.seed(text_setting("hidden", "24, 16"))
    hidden_text = st.text_input(
        "Hidden layers (units per layer)",
        key="hidden",
        help=f"1 to {network.MAX_LAYERS} layers of {network.MIN_WIDTH} to {network.MAX_WIDTH} "
        "units, separated by commas.",
    )
    activation = ui.radio(state, "activation", "Activation", network.ACTIVATIONS, horizontal=True)
    loss = ui.radio(
        state,
        "loss",
        "Loss",
        list(network.LOSSES),
        format_func=lambda kind: "cross-entropy" if kind == "cross_entropy" else "MSE",
        horizontal=True,
        help="Binary cross-entropy on the logit, or mean squared error on the sigmoid output.",
    )
    batch_norm = ui.radio(
        state,
        "batch_norm",
        "Batch normalisation",
        ["off", "on"],
        horizontal=True,
        help="After each hidden linear layer: normalised by the batch's own mean and spread, "
        "then a learnt scale γ and shift β.",
    )
    l2 = ui.select_slider(
        state,
        "l2",
        "L2 penalty λ",
        L2_CHOICES,
        default=0.0,
        help="Adds λ/2·‖W‖² over the weight matrices to the loss (not the biases, γ or β).",
    )
    st.markdown("**Training**")
    keys = ui.optimizers_multiselect(
        state,
        DEFAULT_OPTIMIZERS,
        keys=network_runs.trainable_keys(),
        key="net_optimizers",
        help="Every optimizer of the registry that needs no Hessian; all start from the same "
        "weights and see the same mini-batches.",
    )
    batch_size = ui.select_slider(
        state,
        "net_batch",
        "Batch size",
        BATCH_CHOICES,
        default=32,
        help="Points per gradient step, in a fresh shuffle every epoch. Larger than the data "
        "set means full-batch gradient descent.",
    )
    steps = ui.slider(state, "net_steps", "Steps", MIN_STEPS, MAX_STEPS, default=300, step=STEP)
    seed = ui.whole_number_input(
        state,
        "net_seed",
        "Seed (initial weights and shuffle)",
        0,
        ui.controls.MAX_SEED,
        default=0,
    )
    st.markdown("**Landscape**")
    plane = ui.radio(
        state,
        "plane",
        "Slice through weight space along",
        list(slices.PLANES),
        format_func=slices.PLANES.get,
    )
    resolution = ui.select_slider(
        state,
        "resolution",
        "Slice resolution (points per side)",
        RESOLUTION_CHOICES,
        default=41,
        help="The network's loss is computed exactly at resolution² points of the plane.",
    )
    contrast = ui.selectbox(
        state,
        "contrast",
        "Compare with the same run but",
        list(network_runs.CONTRASTS),
        format_func=network_runs.CONTRASTS.get,
        help="Trains everything twice with one setting changed, and measures both landscapes.",
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
        with st.expander("Learning rates", expanded=False):
            for key in keys:
                spec = optimizers.get(key)
                learning_rates[key] = ui.hyper_slider(
                    state,
                    f"net_lr_{key}",
                    spec.hyper("lr"),
                    ui.cached.network_starting_lr(setup, key, seed),
                    (setup, key),
                    label=f"{spec.title}: learning rate η",
                    with_help=False,
                )
            st.caption("Other hyperparameters are torch's defaults.")
    ui.finish_sidebar(state, complete=problem is not None)

if problem is None:
    st.info("Fix the network's settings in the sidebar to train it.")
    st.stop()
if not keys:
    st.info("Choose at least one optimizer in the sidebar.")
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
st.subheader(f"Training a real network: {problem.title}")
batch = experiment.effective_batch
st.caption(
    f"{setup.samples} points in batches of {batch}"
    + (" (full batch)" if batch == setup.samples else "")
    + f", {steps} steps from the same initial weights (seed {seed}). The network has "
    f"{problem.dim} weights; the pictures below are a 2-D slice through that space, and every "
    "loss shown is the network's real loss on all points, not the slice's value."
)

variants = network_runs.contrast(experiment, contrast)
summaries = []
for label, variant in variants:
    variant_problem = variant.setup.problem()
    with st.spinner(f"Training {len(keys)} optimizers and slicing the landscape {label}…"):
        runs = ui.cached.network_runs(variant)
        scape = ui.cached.network_landscape(variant)
    cut = scape.cut
    tracks = [
        figures.Track(
            optimizers.get(key).title,
            optimizers.get(key).color,
            path.coordinates,
            path.losses,
            path.plane_gradient,
            path.diverged_at,
        )
        for key, path in zip(keys, scape.paths, strict=True)
    ]
    if label:
        st.markdown(f"#### {label.capitalize()}")
    for track in tracks:
        if track.diverged:
            st.error(
                f"{track.label} blew up at step {track.diverged_at}: its learning rate is too "
                "large for this network. Lower it in the sidebar's learning rates."
            )
        elif track.losses[track.last_step] > track.losses[0]:
            st.warning(
                f"{track.label} ends with a higher loss than it started with "
                f"({track.losses[0]:.3g} → {track.losses[track.last_step]:.3g}): its learning "
                "rate is too large for this network. Lower it in the sidebar's learning rates."
            )
    explained = cut.plane.explained
    if explained is None:
        where = (
            "Two filter-normalised random directions around where "
            f"{tracks[0].label} ends (a = b = 0); each unit is one filter norm."
        )
    else:
        where = (
            f"The first two principal directions of all {len(tracks)} paths, which explain "
            f"{explained[0]:.0%} and {explained[1]:.0%} of their movement "
            f"({sum(explained):.0%} together)."
        )
    far = max(float(np.nanmax(p.distance)) for p in scape.paths)
    st.caption(
        f"{where} The surface is the network's loss computed at {variant.resolution}² points "
        f"of that plane (drawn between them by interpolation). Each path is drawn at its "
        f"projection on the plane and at its real loss, so it floats off the surface where the "
        f"weights leave the plane: up to {far:.3g} away (in weight-space distance; the table "
        "gives each one's)."
    )
    surface = cut.surface(SLICE_NAME, f"slice of {variant_problem.title}")
    ui.trajectory_chart(
        figures.trajectory_figure(surface, tracks, clickable=False),
        key=f"trajectory{len(summaries)}",
        view=view,
    )
    shown_step = min(view.step, steps)
    grid_x, grid_y, probabilities = ui.cached.decision_grids(variant, shown_step)
    st.caption(
        f"Decision boundaries at step {shown_step}, where the animation above was last paused "
        "or dragged to (they follow once it stops, not while it plays); blue points are class 0, "
        "rust class 1."
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
                    f"step {at}: {path.accuracy[at]:.0%} right",
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
                "accuracy on the training points",
                "accuracy",
                log=False,
            ),
            key=f"accuracy{len(summaries)}",
        )
    st.caption(
        f"Roughness of this slice: mean ‖∇L‖ over its {variant.resolution}² points = "
        f"**{cut.roughness:.4g}** (the full gradient, in all {variant_problem.dim} directions). "
        "Sharpness: the largest Hessian eigenvalue of the loss where each run ends."
    )
    rows = {
        "optimizer": [t.label for t in tracks],
        "η": [f"{lr:.3g}" for _, lr in variant.optimizers],
        "final loss": [
            f"{p.losses[network_runs.last_good_step(r)]:.4g}"
            for p, r in zip(scape.paths, runs, strict=True)
        ],
        "final accuracy": [
            f"{p.accuracy[network_runs.last_good_step(r)]:.1%}"
            for p, r in zip(scape.paths, runs, strict=True)
        ],
        "sharpness at the end": [f"{p.sharpness:.4g}" for p in scape.paths],
        "farthest from the plane": [f"{np.nanmax(p.distance):.3g}" for p in scape.paths],
    }
    st.dataframe(rows, hide_index=True)
    summaries.append((label, cut.roughness, scape.paths, tracks, surface))

if len(summaries) == 2:
    (first, rough_a, paths_a, _, _), (second, rough_b, paths_b, _, _) = summaries
    st.markdown("#### The two side by side")
    st.dataframe(
        {
            "": ["slice roughness (mean ‖∇L‖)"]
            + [f"sharpness at the end: {t.label}" for t in summaries[0][3]],
            first: [f"{rough_a:.4g}"] + [f"{p.sharpness:.4g}" for p in paths_a],
            second: [f"{rough_b:.4g}"] + [f"{p.sharpness:.4g}" for p in paths_b],
        },
        hide_index=True,
    )

with st.expander("Download: runs as CSV, the slice's animation as GIF or MP4"):
    label, _, paths, tracks, surface = summaries[-1]
    st.download_button(
        "Network runs (CSV): loss, accuracy, distance from the plane",
        exports.network_runs_csv(tracks, [p.accuracy for p in paths], [p.distance for p in paths]),
        file_name=f"network-{dataset}-runs.csv",
        mime="text/csv",
        on_click="ignore",
    )
    ui.export_panel(surface, tracks, key="networks")
