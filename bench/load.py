"""A classroom on one server: N concurrent browser sessions each moving its own learning-rate
slider for T seconds; prints slider -> redrawn figure p50/p95, checked redraws per session,
problems (a session seeing a wrong or foreign figure, timeouts, console errors) and the server's
peak memory.

Run from the repository root:  python3 bench/load.py [--sessions 10] [--seconds 60]
With --basins, the sessions instead all open the largest basin maps at once (each its own learning
rate) and it prints the server's memory per session.

Browsers and server share this machine's cores, so on a 2-core machine the redraw times are
dominated by ten Chromium tabs drawing WebGL in software; students on their own laptops see the
server's share only. The same scenario, lighter, is tests/browser/test_browser_load.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from browser_harness import streamlit_server  # noqa: E402
from classroom_load import run_basin_class, run_classroom  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0, help="slider moves per session")
    parser.add_argument("--basins", action="store_true", help="memory per session on Basins")
    args = parser.parse_args()
    if args.basins:
        with streamlit_server("bench-load-basins") as server:
            print(run_basin_class(server, args.sessions).summary())
        return
    with streamlit_server("bench-load") as server:
        report = run_classroom(server, args.sessions, args.seconds)
    print(report.summary())
    sys.exit(1 if report.problems else 0)


if __name__ == "__main__":
    main()
