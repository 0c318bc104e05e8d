"""The Networks page's two heavy computations, timed on this machine (targets from issue 15):

- a 41×41 slice of a ~500-weight network on 300 points (loss only, and loss with the gradient's
  norm, which the page's roughness needs), target ≤ 1 s;
- 4 optimizers × 500 steps with batches of 32, target ≤ 1 s;
and, for scale, what one step costs and what the page's landscape adds (projections, accuracy,
sharpness at the end points).

    python3 bench/networks.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import network_runs, slices
from landscapes.network import NetworkSetup

REPEATS = 3
KEYS = ("sgd", "momentum", "adam", "rmsprop")


def best_of(work) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    setup = NetworkSetup(hidden=(24, 16), samples=300)
    problem = setup.problem()
    print(f"network: {problem.title}")
    runs = [network_runs.train(problem, key, {"lr": 0.01}, 32, 500, 0) for key in KEYS]
    plane = slices.pca_plane([run.points[:, 0] for run in runs])
    box = slices.slice_box(plane, [plane.coordinates(run.points[:, 0]) for run in runs])
    for with_gradient, what in ((False, "loss only"), (True, "loss and ‖∇L‖")):
        seconds = best_of(
            lambda with_gradient=with_gradient: slices.loss_slice(
                problem, plane, box, 41, with_gradient
            )
        )
        print(f"41×41 slice, {what}: {seconds:.3f} s (target ≤ 1 s)")
    seconds = best_of(
        lambda: [network_runs.train(problem, key, {"lr": 0.01}, 32, 500, 0) for key in KEYS]
    )
    print(f"4 optimizers × 500 steps, batch 32: {seconds:.3f} s (target ≤ 1 s)")
    experiment = network_runs.Experiment(
        setup, tuple((key, 0.01) for key in KEYS), 32, 500, 0, "pca", 41
    )
    seconds = best_of(lambda: experiment.landscape(runs))
    print(f"the page's whole landscape (slice, projections, accuracy, sharpness): {seconds:.3f} s")
    batch_norm = NetworkSetup(hidden=(24, 16), samples=300, batch_norm=True).problem()
    normalised_plane = slices.random_plane(batch_norm, batch_norm.initial_params(0), 0)
    seconds = best_of(lambda: slices.loss_slice(batch_norm, normalised_plane, box, 41))
    print(f"41×41 slice with batch norm, loss and ‖∇L‖: {seconds:.3f} s")


if __name__ == "__main__":
    main()
