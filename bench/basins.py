"""The largest basin map: 200×200 starts × 500 Adam steps on Himmelblau (targets: ≤ 1.0 s and
≤ 120 MB peak resident memory, bare imports included).

Prints, in one process, the map as the page makes it (no history: arrivals reduced as the run goes)
and then the same map read from the full history (every step of every start kept, as before), each
with its wall-clock and CPU time and the process's peak resident memory after it. The light map
runs first: peak RSS only ever grows, so the full-history peak cannot hide it.
Run: python3 bench/basins.py [--repeats N]
"""

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

import optimizers
from analysis import basins
from analysis.outcome import first_true, nearest_minimum_index, summarise
from landscapes import get

RESOLUTION, STEPS, KEY, SETTINGS, TOLERANCE = 200, 500, "adam", {"lr": 0.05}, 1e-3


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def map_from_full_history(surface) -> basins.BasinMap:
    """The basin map as it was made before simulate could drop the history."""
    xs, ys, starts = basins.start_grid(surface, RESOLUTION)
    run = optimizers.simulate(surface, KEY, SETTINGS, starts, STEPS)
    ended = nearest_minimum_index(surface, run.points[-1], TOLERANCE)
    ended[ended < 0] = basins.STILL_MOVING
    ended[summarise(run, surface, TOLERANCE).unstable] = basins.UNSTABLE
    targets = np.vstack([np.reshape(surface.minima, (-1, 2)), [(np.nan, np.nan)]])
    target = targets[np.where(ended >= 0, ended, -1)]
    near = np.empty(run.points.shape[:2], dtype=bool)
    for first in range(0, run.points.shape[0], 16):
        offset = run.points[first : first + 16] - target
        near[first : first + 16] = np.einsum("snk,snk->sn", offset, offset) <= TOLERANCE**2
    shape = (ys.size, xs.size)
    steps = first_true(near).reshape(shape)
    return basins.BasinMap(xs, ys, ended.reshape(shape), steps, STEPS, TOLERANCE)


def timed(label: str, make, repeats: int):
    for attempt in range(repeats):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = make()
        wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
        state = "cold" if attempt == 0 else "warm"
        print(
            f"{label:>22} {state}: {wall:5.2f} s wall, {cpu:5.2f} s CPU, peak RSS {peak_mb():4.0f} MB"
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    surface = get("himmelblau")
    print(f"{RESOLUTION**2:,} starts × {STEPS} steps of Adam (lr 0.05) on {surface.title}")
    print(f"{'bare imports':>22}: peak RSS {peak_mb():4.0f} MB")
    light = timed(
        "no history (now)",
        lambda: basins.basin_map(surface, KEY, SETTINGS, RESOLUTION, STEPS, TOLERANCE),
        args.repeats,
    )
    full = timed("full history (before)", lambda: map_from_full_history(surface), args.repeats)
    same = np.array_equal(light.outcome, full.outcome) and np.array_equal(
        light.steps_to_tolerance, full.steps_to_tolerance
    )
    print("same map both ways:", same, "| outcomes:", light.counts(len(surface.minima)))


if __name__ == "__main__":
    main()
