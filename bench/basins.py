"""Time a 200×200-start, 500-step basin map of Adam on Himmelblau (target: < 1 s warm).

Prints the simulation alone and the whole map (simulation + classification), cold and warm, as
wall-clock and CPU time: on a shared machine the CPU time is the steadier of the two.
Run: python3 bench/basins.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import optimizers
from analysis import basins
from landscapes import get

RESOLUTION, STEPS, REPEATS = 200, 500, 3


def main() -> None:
    surface = get("himmelblau")
    _, _, starts = basins.start_grid(surface, RESOLUTION)
    print(f"{len(starts):,} starts × {STEPS} steps of Adam (lr 0.05) on {surface.title}")
    for attempt in range(REPEATS):
        began, began_cpu = time.perf_counter(), time.process_time()
        run = optimizers.simulate(surface, "adam", {"lr": 0.05}, starts, STEPS)
        simulated, simulated_cpu = time.perf_counter() - began, time.process_time() - began_cpu
        history_mb = (run.points.nbytes + run.losses.nbytes) / 1e6
        del run  # as the page does: the history is dropped before the next run allocates its own
        began, began_cpu = time.perf_counter(), time.process_time()
        result = basins.basin_map(surface, "adam", {"lr": 0.05}, RESOLUTION, STEPS, 1e-3)
        mapped, mapped_cpu = time.perf_counter() - began, time.process_time() - began_cpu
        label = "cold" if attempt == 0 else "warm"
        print(
            f"{label}: simulate {simulated:.2f} s wall / {simulated_cpu:.2f} s CPU "
            f"({history_mb:.0f} MB history); whole basin map {mapped:.2f} s wall / "
            f"{mapped_cpu:.2f} s CPU"
        )
    print("outcomes:", result.counts(len(surface.minima)))


if __name__ == "__main__":
    main()
