"""Speed of the simulation core (issue 2 targets: one 500-step trajectory < 5 ms; 40,000 starts ×
500 steps of Adam on Himmelblau < 1 s), and the same work done by torch.optim when torch is there.

Run from the repository root:  python3 bench/core.py [--repeats N]

Definitions:
- one trajectory: `simulate` from the surface's start for 500 steps, median of N runs after one
  warm-up run, per optimizer (Rosenbrock, each optimizer at its default hyperparameters);
- 40,000 starts: a 200 × 200 grid of starts over Himmelblau's domain, Adam lr 0.05, 500 steps.
  "cold" is the first run in the process (it pays for fresh memory pages of the 320 MB history),
  "warm" the following ones;
- torch: the same 40,000 points as one float64 tensor on one thread, loss and gradient by autograd and
  torch.optim.Adam, 500 steps in a Python loop, history copied out each step like ours.
Every time is printed as wall clock and, in brackets, this process's CPU time: on a machine
shared with other work the CPU time is the steadier number.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import landscapes
import optimizers

STEPS = 500
GRID = 200
ADAM = {"lr": 0.05}


def timed(work) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) taken by work()."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def one_trajectory_ms(key: str, repeats: int) -> tuple[float, float]:
    surface = landscapes.get("rosenbrock")

    def run():
        optimizers.simulate(surface, key, None, [surface.start], STEPS)

    run()
    walls, cpus = zip(*(timed(run) for _ in range(repeats)), strict=True)
    return 1e3 * statistics.median(walls), 1e3 * statistics.median(cpus)


def grid_starts(surface) -> np.ndarray:
    (xmin, xmax), (ymin, ymax) = surface.domain
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, GRID), np.linspace(ymin, ymax, GRID))
    return np.column_stack([gx.ravel(), gy.ravel()])


def many_starts(starts: np.ndarray) -> None:
    optimizers.simulate(landscapes.get("himmelblau"), "adam", ADAM, starts, STEPS)


def torch_many_starts(starts: np.ndarray) -> None:
    import torch

    params = torch.tensor(starts, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([params], lr=ADAM["lr"])
    history = np.empty((STEPS + 1, *starts.shape))
    history[0] = starts
    for step in range(1, STEPS + 1):
        optimizer.zero_grad()
        px, py = params[:, 0], params[:, 1]
        loss = ((px**2 + py - 11) ** 2 + (px + py**2 - 7) ** 2).sum()
        loss.backward()
        optimizer.step()
        history[step] = params.detach().numpy()


def show(times: list[tuple[float, float]]) -> str:
    return ", ".join(f"{wall:.2f} s ({cpu:.2f})" for wall, cpu in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    print(f"One trajectory, {STEPS} steps on Rosenbrock (median of {args.repeats}; target < 5 ms)")
    for key in optimizers.names():
        wall, cpu = one_trajectory_ms(key, args.repeats)
        print(f"  {key:9s} {wall:6.2f} ms ({cpu:.2f})")

    starts = grid_starts(landscapes.get("himmelblau"))
    print(f"\n{len(starts):,} starts × {STEPS} steps of Adam on Himmelblau (target < 1 s)")
    ours = [timed(lambda: many_starts(starts)) for _ in range(4)]
    print(f"  cold {show(ours[:1])}; warm {show(ours[1:])}")

    try:
        import torch
    except ImportError:
        print("  torch is not installed: no comparison")
        return
    # One thread, like NumPy here: the same work on the same core, no thread-pool spinning.
    torch.set_num_threads(1)
    reference = [timed(lambda: torch_many_starts(starts)) for _ in range(3)]
    print(f"  torch {torch.__version__} optim.Adam + autograd, Python loop: {show(reference)}")
    best_ours, best_torch = min(ours[1:]), min(reference[1:])
    print(
        f"  ratio torch / ours, best warm runs: wall {best_torch[0] / best_ours[0]:.2f}×, "
        f"CPU {best_torch[1] / best_ours[1]:.2f}×"
    )


if __name__ == "__main__":
    main()
