"""Figure JSON bytes and build time of the Explore and Compare pages' figures, per surface.

    python3 bench/payload.py            # the default surface, then every built-in surface

Uses simulate directly with each page's default settings (300 steps, the start point and starting
learning rates the pages use), so the numbers are what a browser receives per rerun. The budgets
come from issue 3: < 400 KB for Explore (one optimizer), < 800 KB for Compare (four).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import figures
import landscapes
import optimizers
from analysis.starting_rates import starting_values

STEPS = 300
EXPLORE_OPTIMIZER = "sgd"
COMPARE_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
BUDGETS = {"explore": 400_000, "compare": 800_000}
REPEATS = 3


def page_paths(surface: landscapes.Surface, keys) -> list[figures.Path]:
    paths = []
    for key in keys:
        values = starting_values(surface, key)
        run = optimizers.simulate(surface, key, values, [surface.start], STEPS)
        label = f"{optimizers.get(key).title}  η={values['lr']:g}"
        paths.append(figures.Track.of(run, label, optimizers.get(key).color, surface))
    return paths


def page_figures(surface: landscapes.Surface, page: str) -> dict:
    if page == "explore":
        paths = page_paths(surface, [EXPLORE_OPTIMIZER])
        return {
            "trajectory": lambda: figures.trajectory_figure(surface, paths),
            "loss": lambda: figures.loss_chart(paths, surface=surface),
            "distance": lambda: figures.distance_chart(surface, paths),
        }
    paths = page_paths(surface, COMPARE_OPTIMIZERS)
    return {
        "trajectory": lambda: figures.trajectory_figure(surface, paths),
        "small multiples": lambda: figures.small_multiples(surface, paths),
        "loss": lambda: figures.loss_chart(paths, surface=surface),
        "distance": lambda: figures.distance_chart(surface, paths),
    }


def measure(surface: landscapes.Surface, page: str) -> tuple[dict[str, tuple[int, float]], int]:
    """Per figure: (JSON bytes, best build + serialise time in ms); and the page total in bytes."""
    results = {}
    for name, build in page_figures(surface, page).items():
        best = float("inf")
        for _ in range(REPEATS):
            start = time.perf_counter()
            size = len(build().to_json())
            best = min(best, time.perf_counter() - start)
        results[name] = (size, best * 1000)
    return results, sum(size for size, _ in results.values())


def main() -> None:
    names = landscapes.names()
    print(
        f"{'surface':16} {'page':8} {'total KB':>9} {'budget':>7}  per figure (KB, ms build+json)"
    )
    for name in names:
        surface = landscapes.get(name)
        for page in ("explore", "compare"):
            results, total = measure(surface, page)
            verdict = "ok" if total < BUDGETS[page] else "OVER"
            detail = ", ".join(
                f"{k} {b / 1000:.0f} KB {ms:.0f} ms" for k, (b, ms) in results.items()
            )
            print(f"{name:16} {page:8} {total / 1000:9.0f} {verdict:>7}  {detail}")


if __name__ == "__main__":
    main()
