"""Every hostile link tests/link_fuzz.py makes from the pages' settings, opened in AppTest.

Run from the repository root:  nice -n 19 python3 bench/link_fuzz.py [--pages explore compare]
[--quick] [--limit N]

The settings are found thoroughly (each page opened with every option of each of its choice
settings, so every conditional setting is fuzzed) unless --quick. Prints the count of cases and
of failures per page as it goes, every failure, and the totals; --limit stops each page after N
cases.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
logging.disable(logging.WARNING)  # Streamlit's "no runtime" notices, once per cache and AppTest

import link_fuzz  # noqa: E402

PROGRESS_EVERY = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", default=link_fuzz.PAGES)
    parser.add_argument("--quick", action="store_true", help="find settings with two runs a page")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    total_cases = total_failures = 0
    started = time.perf_counter()
    for page in args.pages:
        cases = link_fuzz.cases(page, thorough=not args.quick)[: args.limit]
        failures = 0
        for done, case in enumerate(cases, 1):
            for problem in link_fuzz.check(case):
                failures += 1
                print("FAIL", problem[:400], flush=True)
            if done % PROGRESS_EVERY == 0:
                print(f"  {page}: {done} of {len(cases)} cases, {failures} failures", flush=True)
        total_cases += len(cases)
        total_failures += failures
        print(f"{page}: {len(cases)} cases, {failures} failures", flush=True)
    minutes = (time.perf_counter() - started) / 60
    print(f"total: {total_cases} cases, {total_failures} failures, {minutes:.1f} min", flush=True)


if __name__ == "__main__":
    main()
