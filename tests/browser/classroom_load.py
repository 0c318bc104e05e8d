"""A classroom opening the teacher's link at once: many browser sessions against one server, each
moving its own learning-rate slider for a while, every redraw checked.

Each student gets a different pair of learning rates (its link sets one, its slider toggles to
the next), so a figure showing another student's rate, or a path that is not the one the core
computes for the rate on the student's own slider, is caught at once. Sessions run concurrently
in one Chromium (one context each: separate cookies and websocket, like separate laptops), driven
by Playwright's async API. The server's memory is sampled throughout.

Used by tests/browser/test_browser_load.py (a light version in CI) and bench/load.py (the full report).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import statistics
import time
from dataclasses import dataclass, field

import numpy as np
from atlas_view import (
    CONTOUR_MAP,
    LR_LABEL,
    SCENE_CANVAS,
    assert_same_path,
    expected_path,
    page_url,
)
from browser_harness import (
    APP_IDLE,
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    PATHS_FINGERPRINT,
    VIEWPORT,
    StreamlitServer,
)
from playwright.async_api import Browser, async_playwright

import landscapes
import optimizers
from optimizers.choices import hyper_choices

SURFACE = "bowl"
OPTIMIZER = "sgd"
START = tuple(round(float(v), 3) for v in landscapes.get(SURFACE).start)
FIRST_LR = 0.03  # student i starts at the (2i)-th choice from here; its slider toggles to the next
MEMORY_SAMPLE_S = 0.25
ARRIVAL_GAP_S = 1.0
# Ten tabs that each compile Plotly and draw WebGL in software share the server's two cores: the
# first plot can take minutes. Checks poll every POLL_MS (not every animation frame) so that the
# watching itself does not eat the CPU the tabs need; redraw times are accurate to that interval.
FIRST_PLOT_TIMEOUT_MS = 300_000
POLL_MS = 50
FIGURE_MESSAGE_BYTES = 50_000
MIB = 1024


@dataclass
class LoadReport:
    sessions: int
    duration_s: float
    redraw_ms: list[float] = field(default_factory=list)
    figure_arrival_ms: list[float] = field(default_factory=list)  # press -> figure message in
    updates: dict[int, int] = field(default_factory=dict)  # checked redraws per student
    problems: list[str] = field(default_factory=list)
    rss_samples_kib: list[int] = field(default_factory=list)
    server_hwm_kib: int = 0

    def percentile_ms(self, q: int, times: str = "redraw_ms") -> float:
        values = getattr(self, times)
        return float(np.percentile(values, q)) if values else float("nan")

    @property
    def peak_rss_mib(self) -> float:
        return max(self.rss_samples_kib, default=0) / MIB

    def summary(self) -> str:
        per_student = sorted(self.updates.values())
        return "\n".join(
            [
                f"{self.sessions} sessions x {self.duration_s:.0f} s on one server",
                f"  slider -> redrawn figure: p50 {self.percentile_ms(50):.0f} ms, "
                f"p95 {self.percentile_ms(95):.0f} ms, max {max(self.redraw_ms, default=0):.0f} ms"
                f" over {len(self.redraw_ms)} checked redraws",
                f"  of which server (press -> figure message in the browser): "
                f"p50 {self.percentile_ms(50, 'figure_arrival_ms'):.0f} ms, "
                f"p95 {self.percentile_ms(95, 'figure_arrival_ms'):.0f} ms",
                f"  checked redraws per student: min {per_student[0] if per_student else 0}, "
                f"median {statistics.median(per_student) if per_student else 0:g}",
                f"  server memory (process tree RSS): start {self.rss_samples_kib[0] / MIB:.0f} MiB,"
                f" peak {self.peak_rss_mib:.0f} MiB, end {self.rss_samples_kib[-1] / MIB:.0f} MiB;"
                f" server VmHWM {self.server_hwm_kib / MIB:.0f} MiB",
                f"  problems: {len(self.problems)}",
                *(f"    - {problem}" for problem in self.problems[:20]),
            ]
        )


def student_rates(students: int) -> list[tuple[float, float]]:
    """Disjoint (link lr, toggled lr) pairs, one per student."""
    choices = hyper_choices(optimizers.get(OPTIMIZER).hyperparams[0])
    first = choices.index(FIRST_LR)
    if first + 2 * students > len(choices):
        raise ValueError(f"only {len(choices)} learning rates: too few for {students} students")
    return [(choices[first + 2 * i], choices[first + 2 * i + 1]) for i in range(students)]


def run_classroom(server: StreamlitServer, students: int, duration_s: float) -> LoadReport:
    # In a thread of its own: the sync Playwright of other tests may own this thread's event loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(lambda: asyncio.run(_classroom(server, students, duration_s))).result()


async def _classroom(server: StreamlitServer, students: int, duration_s: float) -> LoadReport:
    report = LoadReport(students, duration_s)
    report.rss_samples_kib.append(server.tree_rss_kib())
    rates = student_rates(students)
    expected = {lr: expected_path(SURFACE, OPTIMIZER, lr, START) for pair in rates for lr in pair}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample_memory(server, report, stop))
        try:
            await asyncio.gather(
                *(
                    _student(browser, server.url, i, pair, expected, duration_s, report)
                    for i, pair in enumerate(rates)
                )
            )
        finally:
            stop.set()
            await sampler
            await browser.close()
    report.server_hwm_kib = server.peak_rss_kib()
    return report


async def _sample_memory(server: StreamlitServer, report: LoadReport, stop: asyncio.Event):
    while not stop.is_set():
        report.rss_samples_kib.append(server.tree_rss_kib())
        with contextlib.suppress(TimeoutError):  # time for the next sample
            await asyncio.wait_for(stop.wait(), MEMORY_SAMPLE_S)
    report.rss_samples_kib.append(server.tree_rss_kib())


async def _student(
    browser: Browser,
    base_url: str,
    student: int,
    pair: tuple[float, float],
    expected: dict[float, np.ndarray],
    duration_s: float,
    report: LoadReport,
) -> None:
    name = f"student {student} (lr {pair[0]:g}/{pair[1]:g})"
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = await context.new_page()
    page.on(
        "console",
        lambda m: m.type == "error" and report.problems.append(f"{name}: console: {m.text}"),
    )
    page.on("pageerror", lambda e: report.problems.append(f"{name}: uncaught: {e.message}"))
    # Arrival time of every large websocket message: the figure (the rest are a few KB).
    arrivals: list[float] = []
    page.on(
        "websocket",
        lambda socket_: socket_.on(
            "framereceived",
            lambda payload: (
                len(payload) > FIGURE_MESSAGE_BYTES and arrivals.append(time.perf_counter())
            ),
        ),
    )
    report.updates[student] = 0
    try:
        # Students do not click the link in the same millisecond.
        await asyncio.sleep(student * ARRIVAL_GAP_S)
        await page.goto(page_url(base_url, "explore", f"lr={pair[0]:g}"))
        await page.wait_for_function(_CHART_DRAWN, polling=POLL_MS, timeout=FIRST_PLOT_TIMEOUT_MS)
        await page.wait_for_selector(APP_IDLE)
        thumb = page.locator(f"input[type='range'][aria-label='{LR_LABEL}']")
        if not await _shows_own_path(page, thumb, pair, expected, name, report):
            return
        await thumb.focus()
        deadline = time.monotonic() + duration_s
        move = 0
        while time.monotonic() < deadline:
            before = await page.evaluate(PATHS_FINGERPRINT)
            pressed = time.perf_counter()
            await thumb.press("ArrowRight" if move % 2 == 0 else "ArrowLeft")
            await page.wait_for_function(
                f"(before) => ({PATHS_FINGERPRINT})() !== before", arg=before, polling=POLL_MS
            )
            report.redraw_ms.append((time.perf_counter() - pressed) * 1000)
            arrived = [t for t in arrivals if t >= pressed]
            if arrived:  # none when Streamlit sent a reference to a figure the tab already has
                report.figure_arrival_ms.append((arrived[0] - pressed) * 1000)
            await page.wait_for_selector(APP_IDLE)
            if not await _shows_own_path(page, thumb, pair, expected, name, report):
                return
            report.updates[student] += 1
            move += 1
    except Exception as error:  # a timeout or a closed page is a finding of the load test
        report.problems.append(f"{name}: {type(error).__name__}: {str(error)[:300]}")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=ARTIFACTS / f"load-student-{student}.png")
    finally:
        await context.close()


async def _shows_own_path(page, thumb, pair, expected, name, report) -> bool:
    """Whether the slider shows one of this student's rates and the chart that rate's path."""
    lr = float(await thumb.get_attribute("aria-valuetext") or "nan")
    if lr not in pair:
        report.problems.append(f"{name}: slider shows lr {lr:g}")
        return False
    drawn = await page.evaluate(_OWN_PATH, optimizers.get(OPTIMIZER).title)
    try:
        assert drawn, "no path in the chart"
        assert_same_path(np.array(drawn, dtype=float), expected[lr], SURFACE)
    except AssertionError as error:
        report.problems.append(f"{name}: the chart does not show the path for lr {lr:g}: {error}")
        return False
    return True


_CHART_DRAWN = f"""
() => {{
  const gd = document.querySelector('.js-plotly-plot');
  return !!(gd && gd._fullData && gd.querySelector("{SCENE_CANVAS}")
            && gd.querySelector("{CONTOUR_MAP}"));
}}
"""
_OWN_PATH = """
(title) => {
  const gd = document.querySelector('.js-plotly-plot');
  const t = gd && gd._fullData.find((t) => t.type === 'scatter' && t.mode === 'lines'
                                         && t.name === title);
  return t ? Array.from(t.x, (x, i) => [x, t.y[i]]) : null;
}
"""


# A class opening the largest basin maps at once, every student with its own learning rate (no
# two share a cached map): what each session costs the server in memory.
BASIN_QUERY = "resolution=200&steps=500&left.lr={lr:g}&right.lr={lr:g}"
BASIN_TIMEOUT_MS = 600_000


@dataclass(frozen=True)
class BasinMemory:
    sessions: int
    start_kib: int  # the server before anyone opened Basins
    peak_kib: int  # its high-water mark while they did

    def summary(self) -> str:
        per_session = (self.peak_kib - self.start_kib) / max(self.sessions, 1) / MIB
        return (
            f"{self.sessions} sessions opening a 200×200 × 500-step basin map pair at once: server "
            f"{self.start_kib / MIB:.0f} MiB before, peak {self.peak_kib / MIB:.0f} MiB, "
            f"{per_session:.0f} MiB per session"
        )


def run_basin_class(server: StreamlitServer, students: int) -> BasinMemory:
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(lambda: asyncio.run(_basin_class(server, students))).result()


async def _basin_class(server: StreamlitServer, students: int) -> BasinMemory:
    start = server.peak_rss_kib()
    lrs = hyper_choices(optimizers.get("sgd").hyper("lr"))[20 : 20 + students]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            await asyncio.gather(*(_open_basins(browser, server.url, lr) for lr in lrs))
        finally:
            await browser.close()
    return BasinMemory(students, start, server.peak_rss_kib())


async def _open_basins(browser: Browser, base_url: str, lr: float) -> None:
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    await page.goto(page_url(base_url, "basins", BASIN_QUERY.format(lr=lr)))
    await page.wait_for_selector(APP_IDLE, timeout=BASIN_TIMEOUT_MS)
    await context.close()
