"""What one Streamlit process serves, and what replicas behind HAProxy add (no browsers).

Run from the repository root:
    python3 bench/capacity.py                 # everything, ~12 minutes on the 2-core machine
    python3 bench/capacity.py --only gc       # one part: levels, class, gc, breakdown, replicas

Sessions speak Streamlit's websocket protocol (tests/browser/protocol_load.py) and every answer is
checked against the path the core computes. Prints:
- levels: reruns per second and server time p50/p95 (slider move sent -> script finished) with
  1, 5, 10, 20, 40 sessions each moving a slider again as soon as its answer came, for Explore and
  Compare, every session on its own settings (cache misses) or on one preset (cache hits); the
  server's CPU time per rerun, and memory per session (the server's RSS with the sessions open);
- class: sessions that pause --think seconds (on average) between moves, as students look at the
  result, and the largest such class whose server p95 stays within 500 ms;
- gc: the same load with Streamlit's garbage collection after every run (its default) and without
  (.streamlit/config.toml), and the server's memory after a long run without it;
- breakdown: where one rerun's time goes, from timers around the stages in a real script run;
- replicas: the same load against one process and against deploy/serve --replicas 2.
The machine's load average is printed first and last: other jobs on the cores slow everything.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from browser_harness import deployment, streamlit_server  # noqa: E402
from protocol_load import WORKLOADS, LevelReport, Workload, run_level  # noqa: E402

LEVELS = (1, 5, 10, 20, 40)
CLASS_SIZES = (2, 4, 6, 8, 10, 15, 20, 30, 40)
P95_BUDGET_MS = 500
REPLICA_SESSIONS = 20


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def warm_up(url: str, pids: tuple[int, ...]) -> None:
    """Imports, compiled surfaces and the first figures: what the first visitor pays once."""
    for workload in WORKLOADS:
        run_level(url, workload, 1, 2.0, pids)


def levels(seconds: float) -> None:
    print("\n== one process, sessions moving a slider as soon as their answer came ==")
    with streamlit_server("bench-capacity") as server:
        pids = (server.pid,)
        warm_up(server.url, pids)
        for workload in WORKLOADS:
            for sessions in LEVELS:
                report = run_level(server.url, workload, sessions, seconds, pids)
                print(report.row() + f"  {report.mib_per_session:5.1f} MiB/session", flush=True)
                _print_problems(report)


def class_with_pauses(seconds: float, think_s: float) -> None:
    print(f"\n== one process, a class: every student moves again ~{think_s:g} s after an answer ==")
    with streamlit_server("bench-capacity-class") as server:
        pids = (server.pid,)
        warm_up(server.url, pids)
        for workload in (WORKLOADS[0], WORKLOADS[2]):  # own settings: the class's worst case
            served = 0
            for sessions in CLASS_SIZES:
                report = run_level(server.url, workload, sessions, seconds, pids, think_s)
                print(report.row(), flush=True)
                _print_problems(report)
                if report.percentile_ms(95) > P95_BUDGET_MS or report.problems:
                    break
                served = sessions
            print(
                f"  -> {workload.name}: {served or f'fewer than {CLASS_SIZES[0]}'} students per "
                f"process with server p95 <= {P95_BUDGET_MS} ms",
                flush=True,
            )


def garbage_collection(seconds: float) -> None:
    print("\n== Streamlit's gc.collect() after every script run: on (its default) vs off (ours) ==")
    for setting in ("true", "false"):
        with streamlit_server(
            f"bench-gc-{setting}", options=(f"--runner.postScriptGC={setting}",)
        ) as server:
            pids = (server.pid,)
            warm_up(server.url, pids)
            for workload in WORKLOADS:
                for sessions in (1, 10):
                    report = run_level(server.url, workload, sessions, seconds, pids)
                    print(f"postScriptGC={setting:5s} {report.row()}", flush=True)
                    _print_problems(report)
            if setting == "false":
                long_run = run_level(server.url, WORKLOADS[0], 10, 6 * seconds, pids)
                print(
                    f"  without it, {len(long_run.server_ms)} more reruns on own settings: server "
                    f"RSS {long_run.rss_open_kib / 1024:.0f} MiB at the start, "
                    f"{server.tree_rss_kib() / 1024:.0f} MiB after, peak "
                    f"{server.peak_rss_kib() / 1024:.0f} MiB",
                    flush=True,
                )


def replicas(seconds: float) -> None:
    print(f"\n== one process vs deploy/serve --replicas 2, {REPLICA_SESSIONS} sessions ==")
    results = {}
    for workload in (WORKLOADS[0], WORKLOADS[1]):
        with streamlit_server("bench-capacity-single") as server:
            warm_up(server.url, (server.pid,))
            one = run_level(server.url, workload, REPLICA_SESSIONS, seconds, (server.pid,))
        with deployment("bench-capacity", replicas=2) as served:
            pids = tuple(served.replica_pids.values())
            warm_up(served.url, pids)
            two = run_level(served.url, workload, REPLICA_SESSIONS, seconds, pids)
        for label, report in (("1 process ", one), ("2 replicas", two)):
            print(f"{label}  {report.row()}", flush=True)
            _print_problems(report)
        results[workload.name] = two.reruns_per_s / one.reruns_per_s
    for name, ratio in results.items():
        print(f"  -> {name}: 2 replicas sustain {ratio:.2f}x the reruns/s of one process")


def breakdown(repeats: int) -> None:
    """Timers around the stages of a real script run (Streamlit's AppTest runs the page)."""
    from streamlit import config
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
    from streamlit.testing.v1 import AppTest

    import optimizers
    import ui.chart
    import ui.runs
    from classroom import exports

    postscript_gc = config.get_option("runner.postScriptGC")
    print(
        "\n== where a rerun's time goes (mean ms per rerun, script run in AppTest, "
        f"runner.postScriptGC={postscript_gc}) =="
    )
    spent: dict[str, list[float]] = defaultdict(list)

    def timed(stage, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage].append(time.perf_counter() - start)

        return wrapper

    patches = [
        (optimizers, "simulate", "simulate (optimizers.simulate)"),
        (ui.chart, "figure_message", "figure -> JSON (plotly to_json)"),
        (exports, "trajectories_csv", "CSV for the download button"),
        (ScriptRunner, "_run_script", "whole script run"),
    ]
    with contextlib.ExitStack() as undo:
        for owner, name, stage in patches:
            original = getattr(owner, name)
            setattr(owner, name, timed(stage, original))
            undo.callback(setattr, owner, name, original)
        for kind, build in list(ui.runs.FIGURES.items()):
            ui.runs.FIGURES[kind] = timed("build Plotly figures", build)
            undo.callback(ui.runs.FIGURES.__setitem__, kind, build)
        collections = _time_full_collections(spent)
        undo.callback(gc.callbacks.remove, collections)
        for offset, workload in enumerate(WORKLOADS):
            _time_workload(AppTest, workload, repeats, spent, first=12 + 12 * offset)


def _time_full_collections(spent: dict):
    """Time every full (generation 2) garbage collection, Streamlit's or Python's own."""
    started = []

    def callback(phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            spent["full garbage collections"].append(time.perf_counter() - started.pop())

    gc.callbacks.append(callback)
    return callback


def _time_workload(app_test, workload: Workload, repeats: int, spent: dict, first: int) -> None:
    at = app_test.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    if workload.page != "explore":
        at.switch_page(f"pages/{workload.page}.py").run()
    options = [float(option) for option in at.select_slider(key=workload.lr_key).options]
    # Cache misses: rates nobody asked for yet. Hits: back and forth between two rates.
    values = (
        options[first : first + 2 + repeats] if workload.own_settings else options[30:32] * repeats
    )
    for value in values[:2]:
        at.select_slider(key=workload.lr_key).set_value(value).run()  # the hits' two runs
    spent.clear()
    for value in values[2 : 2 + repeats]:
        at.select_slider(key=workload.lr_key).set_value(value).run()
    total = sum(spent.pop("whole script run")) / repeats * 1000
    parts = {stage: sum(times) / repeats * 1000 for stage, times in spent.items()}
    rest = total - sum(parts.values())
    shown = ", ".join(f"{stage} {ms:.0f}" for stage, ms in parts.items())
    print(
        f"{workload.name:24s} script {total:4.0f} ms: {shown}, widgets/caches/Streamlit {rest:.0f}"
    )


def _print_problems(report: LevelReport) -> None:
    for problem in report.problems[:5]:
        print(f"    ! {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="per measurement")
    parser.add_argument("--think", type=float, default=3.0, help="a student's pause (class)")
    parser.add_argument("--repeats", type=int, default=8, help="reruns timed per breakdown")
    parser.add_argument("--only", choices=("levels", "class", "gc", "breakdown", "replicas"))
    args = parser.parse_args()
    print(load_average())
    parts = {
        "levels": lambda: levels(args.seconds),
        "class": lambda: class_with_pauses(2 * args.seconds, args.think),
        "gc": lambda: garbage_collection(args.seconds),
        "breakdown": lambda: breakdown(args.repeats),
        "replicas": lambda: replicas(args.seconds),
    }
    for name, part in parts.items():
        if args.only in (None, name):
            part()
    print(f"\n{load_average()}")


if __name__ == "__main__":
    main()
