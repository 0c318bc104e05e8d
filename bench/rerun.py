"""Server-side cost of the Explore and Compare pages: rerun time and figure bytes.

Run from the repository root:  python3 bench/rerun.py [--repeats N]

Prints, for each page's default view:
- the figure JSON sent per rerun (what the browser must parse), per chart and in total;
- the median server time of a rerun after a slider move (a new learning rate, so no cache hit)
  and of a rerun that changes nothing (everything cached), measured with Streamlit's AppTest;
- where a slider move's time goes, from direct calls to simulate and the figure builders.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import figures  # noqa: E402
import landscapes  # noqa: E402
import optimizers  # noqa: E402
from analysis.starting_rates import starting_lr  # noqa: E402
from optimizers.choices import hyper_choices  # noqa: E402
from ui.chart import SerialisedFigure  # noqa: E402

APP = str(ROOT / "app.py")
BUDGET_KB = {"explore": 400, "compare": 800}
BUDGET_MS = {"explore": 50, "compare": 80}  # issue 13's targets


def milliseconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def page(name: str, lr_key: str, repeats: int) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if name != "explore":
        at.switch_page(f"pages/{name}.py").run()
    # Each chart's message (ui.plotly_chart): its figure JSON and a few bytes of config.
    charts = [len(chart.proto.bytes) for chart in at.get("bidi_component") if chart.proto.bytes]
    total_kb = sum(charts) / 1000
    print(f"\n{name}: figure JSON per rerun {total_kb:.0f} KB (budget {BUDGET_KB[name]} KB)")
    print("  per chart (KB): " + ", ".join(f"{size / 1000:.0f}" for size in charts))

    lr = at.select_slider(key=lr_key)
    # Values not run yet, so every move misses the simulation cache as a real new value would.
    unseen = iter([float(option) for option in lr.options if float(option) != lr.value][::-1])

    def move_slider():
        at.select_slider(key=lr_key).set_value(next(unseen)).run()

    move = milliseconds(move_slider, repeats)
    still = milliseconds(at.run, repeats)
    print(f"  server rerun after a slider move: {move:.0f} ms median (target {BUDGET_MS[name]} ms)")
    print(f"  server rerun with nothing changed: {still:.0f} ms median")


def breakdown(repeats: int) -> None:
    surface = landscapes.get("bowl")
    lr = starting_lr(surface, "sgd")
    run = optimizers.simulate(surface, "sgd", {"lr": lr}, [surface.start], 300)
    path = figures.Track.of(run, "SGD", optimizers.get("sgd").color, surface)
    parts = {
        "simulate (300 steps)": lambda: optimizers.simulate(
            surface, "sgd", {"lr": lr}, [surface.start], 300
        ),
        "trajectory_figure": lambda: SerialisedFigure.of(
            figures.trajectory_figure(surface, [path])
        ),
        "loss_chart": lambda: SerialisedFigure.of(figures.loss_chart([path], surface=surface)),
        "distance_chart": lambda: SerialisedFigure.of(figures.distance_chart(surface, [path])),
    }
    print("\nExplore slider move, direct calls, each figure built and serialised (median ms):")
    for label, action in parts.items():
        print(f"  {label:24s} {milliseconds(action, repeats):6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    assert len(hyper_choices(optimizers.get("sgd").hyper("lr"))) > args.repeats
    page("explore", "lr", args.repeats)
    page("compare", "sgd.lr", args.repeats)
    breakdown(args.repeats)


if __name__ == "__main__":
    main()
