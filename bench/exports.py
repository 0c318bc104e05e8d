"""Speed and size of the classroom exports (issue 6 target: GIF and MP4 of 300 steps in < 10 s),
plus the time to measure the Learn page's comparison table.

Run from the repository root:  python3 bench/exports.py [--repeats N]

Definitions: four optimizers (GD, Momentum, Adam, RMSprop) from Rosenbrock's start for 300 steps;
each export is timed end to end (rasterising the map, drawing, encoding), median of N runs after
one warm-up; sizes are of the files a user downloads (GIF 800×450, MP4 1280×720).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import figures
import landscapes
import optimizers
from classroom import exports, measurements

STEPS = 300
RUNS = {"sgd": 1e-3, "momentum": 1e-3, "adam": 0.05, "rmsprop": 0.01}


def _median_seconds(action, repeats: int) -> tuple[float, object]:
    result = action()  # warm-up: imports, ffmpeg start-up, caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    surface = landscapes.get("rosenbrock")
    tracks = [
        figures.Track.of(
            optimizers.simulate(surface, key, {"lr": lr}, [surface.start], STEPS),
            optimizers.get(key).title,
            optimizers.get(key).color,
            surface,
        )
        for key, lr in RUNS.items()
    ]
    frames = len(figures.frame_steps(STEPS, exports.MAX_FRAMES))
    print(f"{len(tracks)} optimizers × {STEPS} steps on {surface.title}, {frames} frames")
    for name, action in (
        ("CSV", lambda: exports.trajectories_csv(tracks).encode()),
        ("GIF", lambda: exports.animation_gif(surface, tracks)),
        ("MP4", lambda: exports.animation_mp4(surface, tracks)),
    ):
        seconds, data = _median_seconds(action, args.repeats)
        print(f"{name:4s} {seconds:6.2f} s  {len(data) / 1e6:6.2f} MB")

    start = time.perf_counter()
    measurements.measure_table()
    table_runs = (
        len(optimizers.names()) * len(measurements.measured_surfaces()) * len(measurements.LR_GRID)
    )
    print(
        f"comparison table: {table_runs} runs × {measurements.TABLE_STEPS} steps in "
        f"{time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
