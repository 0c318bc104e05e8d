"""A classroom without browsers: sessions that speak Streamlit's websocket protocol to a server
(or to the balancer of deploy/serve), so the measurement is what the server serves, not what ten
software-WebGL tabs cost the same two cores.

A session does what the browser does: it opens the websocket (/_stcore/stream), asks for the first
script run with the page's link (a `rerun_script` BackMsg carrying the query string and page), then,
for every slider move, sends a `rerun_script` whose widget states hold the slider's new value (a
select_slider sends its option's text) and waits for the `script_finished` ForwardMsg. It keeps the
query string the server last published, as the browser's address bar does, and sends only the
widget it moved: the server keeps the others for the session. Each answer is checked: the
trajectory chart must draw, for the learning rate and start just sent, the path the core computes.

Two workloads per page: every session on its own settings (its own start point, and learning
rates it has not asked for before: every rerun misses the caches), and every session on the same
preset toggling the same two learning rates (after the first moves, every rerun hits them).

Used by bench/capacity.py (the full report) and tests/browser/test_serving.py (a light version).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import itertools
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import numpy as np
import websockets
from atlas_view import PAGES, assert_same_path, expected_path
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

import landscapes
import optimizers
from deploy.serve import REPLICA_HEADER
from optimizers.choices import hyper_choices

SURFACE = "bowl"
OPTIMIZER = "sgd"
# The rates a student tries on the bowl: from slow to the edge of stability, none diverging.
LR_RANGE = (0.01, 0.5)
PRESET_LR = 0.1  # the preset everyone shares toggles between this rate and the next
START_STEP = 0.001  # the start inputs show three decimals
OPEN_TIMEOUT_S = 120.0
RERUN_TIMEOUT_S = 120.0
KIB_PER_MIB = 1024
_FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
_CLOCK_TICKS = 100  # os.sysconf("SC_CLK_TCK") on Linux
# Every session gets a start point no other session of this process had: no shared cache entry.
_fresh_starts = itertools.count()


@dataclass(frozen=True)
class Workload:
    page: str  # a key of atlas_view.PAGES
    lr_key: str  # the widget key of the SGD learning-rate slider on that page
    own_settings: bool  # True: cache misses; False: everyone on one preset (cache hits)

    @property
    def name(self) -> str:
        return f"{self.page} {'own settings' if self.own_settings else 'same preset'}"


WORKLOADS = (
    Workload("explore", "lr", True),
    Workload("explore", "lr", False),
    Workload("compare", "sgd.lr", True),
    Workload("compare", "sgd.lr", False),
)


@dataclass
class LevelReport:
    """`sessions` sessions moving their sliders for `seconds`, each `think_s` after its answer
    came (0: as fast as the server answers)."""

    workload: Workload
    sessions: int
    seconds: float
    think_s: float = 0.0
    server_ms: list[float] = field(default_factory=list)  # move sent -> script_finished
    checked: int = 0  # answers whose figure was the right one
    problems: list[str] = field(default_factory=list)
    replicas: Counter = field(default_factory=Counter)  # sessions per replica (behind a balancer)
    server_cpu_s: float = 0.0  # CPU time of the server processes during the moves
    client_cpu_s: float = 0.0  # this process's CPU time during the moves
    rss_before_kib: int = 0  # server processes before the sessions opened
    rss_open_kib: int = 0  # and once every session had opened and moved once
    bytes_in: int = 0  # ForwardMsg bytes received during the moves

    @property
    def reruns_per_s(self) -> float:
        return len(self.server_ms) / self.seconds

    def percentile_ms(self, q: float) -> float:
        return float(np.percentile(self.server_ms, q)) if self.server_ms else float("nan")

    @property
    def server_cpu_ms_per_rerun(self) -> float:
        return 1000 * self.server_cpu_s / max(len(self.server_ms), 1)

    @property
    def mib_per_session(self) -> float:
        return (self.rss_open_kib - self.rss_before_kib) / KIB_PER_MIB / self.sessions

    def row(self) -> str:
        spread = " ".join(f"{name}:{count}" for name, count in sorted(self.replicas.items()))
        return (
            f"{self.workload.name:24s} {self.sessions:3d} sessions, think {self.think_s:g} s  "
            f"{self.reruns_per_s:6.1f} reruns/s  server p50 {self.percentile_ms(50):6.0f} ms  "
            f"p95 {self.percentile_ms(95):6.0f} ms  server CPU {self.server_cpu_ms_per_rerun:4.0f} "
            f"ms/rerun  client CPU {100 * self.client_cpu_s / self.seconds:3.0f}%  "
            f"{self.bytes_in / max(len(self.server_ms), 1) / 1000:4.0f} KB/rerun  "
            f"checked {self.checked}/{len(self.server_ms)}  problems {len(self.problems)}"
            + (f"  replicas {spread}" if spread else "")
        )


def run_level(
    url: str,
    workload: Workload,
    sessions: int,
    seconds: float,
    server_pids: tuple[int, ...] = (),
    think_s: float = 0.0,
) -> LevelReport:
    """`sessions` concurrent sessions against the app at `url`, each moving its slider again
    `think_s` (on average) after the answer came; `server_pids` are the Streamlit processes
    behind it, for their CPU time and memory."""
    # In a thread of its own: a test's sync Playwright may own this thread's event loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        level = _level(url, workload, sessions, seconds, server_pids, think_s)
        return thread.submit(asyncio.run, level).result()


async def _level(url, workload, sessions, seconds, server_pids, think_s) -> LevelReport:
    report = LevelReport(workload, sessions, seconds, think_s)
    report.rss_before_kib = sum(_rss_kib(pid) for pid in server_pids)
    students = [Student(url, workload, i) for i in range(sessions)]
    try:
        await asyncio.gather(*(student.open() for student in students))
        # Everyone moved once, so the session's state is what it holds while the class works.
        await asyncio.gather(*(student.move() for student in students))
        report.rss_open_kib = sum(_rss_kib(pid) for pid in server_pids)
        cpu_before = sum(_cpu_s(pid) for pid in server_pids)
        client_before = time.process_time()
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(student.keep_moving(deadline, report, think_s) for student in students)
        )
        report.server_cpu_s = sum(_cpu_s(pid) for pid in server_pids) - cpu_before
        report.client_cpu_s = time.process_time() - client_before
    finally:
        await asyncio.gather(*(student.close() for student in students))
    report.replicas.update(student.replica for student in students if student.replica)
    for student in students:
        report.problems += student.problems
    return report


class Student:
    """One session of the page: its websocket, the slider it moves and what it expects to see."""

    def __init__(self, url: str, workload: Workload, number: int) -> None:
        self.workload = workload
        self.name = f"{workload.name} #{number}"
        split = urlsplit(url)
        scheme = "wss" if split.scheme == "https" else "ws"
        self.stream_url = f"{scheme}://{split.netloc}{split.path.rstrip('/')}/_stcore/stream"
        self.page_name = PAGES[workload.page]
        choices = hyper_choices(optimizers.get(OPTIMIZER).hyper("lr"))
        lrs = [lr for lr in choices if LR_RANGE[0] <= lr <= LR_RANGE[1]]
        if workload.own_settings:
            self.start = self._fresh_start()
            # Rates in an order of its own, each asked for once per start point.
            offset = number % len(lrs)
            self.lr_walk = lrs[offset:] + lrs[:offset]
        else:
            self.start = tuple(round(float(v), 3) for v in landscapes.get(SURFACE).start)
            preset = lrs.index(min(lrs, key=lambda lr: abs(lr - PRESET_LR)))
            self.lr_walk = lrs[preset : preset + 2]
        self.lr = self.lr_walk[0]
        self.query = urlencode(
            {
                workload.lr_key: f"{self.lr:g}",
                "start_x": f"{self.start[0]:.3f}",
                "start_y": f"{self.start[1]:.3f}",
            }
        )
        self.moves = 0
        self.widget_ids: dict[str, str] = {}  # widget key -> Streamlit's widget id
        self.slider_options: list[str] = []
        self.page_script_hash = ""
        self.replica = ""
        self.problems: list[str] = []
        self._socket = None

    @staticmethod
    def _fresh_start() -> tuple[float, float]:
        surface = landscapes.get(SURFACE)
        (xmin, xmax), _ = surface.domain
        k = next(_fresh_starts)
        x = round(xmin + 0.1 + START_STEP * (k % int((xmax - xmin - 0.2) / START_STEP)), 3)
        return x, round(float(surface.start[1]), 3)

    async def open(self) -> None:
        # The browser offers permessage-deflate too; Streamlit's server decides.
        self._socket = await websockets.connect(
            self.stream_url, subprotocols=["streamlit"], max_size=None, open_timeout=OPEN_TIMEOUT_S
        )
        self.replica = self._socket.response.headers.get(REPLICA_HEADER, "")
        message = BackMsg()
        message.rerun_script.query_string = self.query
        message.rerun_script.page_name = self.page_name
        await self._run(message, OPEN_TIMEOUT_S)
        if self.workload.lr_key not in self.widget_ids:
            raise RuntimeError(f"{self.name}: no slider {self.workload.lr_key!r} on the page")

    async def move(self, report: LevelReport | None = None) -> None:
        """One slider move: the next learning rate of the walk (or, at its end, the start one
        step further, so that a session with its own settings never asks twice)."""
        message = BackMsg()
        client_state = message.rerun_script
        client_state.query_string = self.query
        client_state.page_script_hash = self.page_script_hash
        client_state.page_name = self.page_name
        widget = client_state.widget_states.widgets.add()
        self.moves += 1
        if self.workload.own_settings and self.moves % len(self.lr_walk) == 0:
            self.start = self._fresh_start()  # every rate tried from here: move the start on
            widget.id = self.widget_ids["start_x"]
            widget.double_value = self.start[0]
        else:
            self.lr = self.lr_walk[self.moves % len(self.lr_walk)]
            widget.id = self.widget_ids[self.workload.lr_key]
            widget.string_array_value.data.append(f"{self.lr:g}")  # the option's text
        sent = time.perf_counter()
        received, figure = await self._run(message, RERUN_TIMEOUT_S)
        if report is None:
            return
        report.server_ms.append((time.perf_counter() - sent) * 1000)
        report.bytes_in += received
        if self._shows_own_path(figure):
            report.checked += 1

    async def keep_moving(self, deadline: float, report: LevelReport, think_s: float) -> None:
        # Students do not move in step: each waits a random time around `think_s`.
        pauses = random.Random(self.name)
        try:
            while time.monotonic() < deadline and not self.problems:
                await self.move(report)
                if think_s:
                    await asyncio.sleep(pauses.uniform(0.5, 1.5) * think_s)
        except Exception as error:  # a timeout or a dropped connection is a finding
            self.problems.append(f"{self.name}: {type(error).__name__}: {str(error)[:300]}")

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def _run(self, message: BackMsg, timeout: float) -> tuple[int, dict | None]:
        """Send `message` and read the answer until its script run finished; returns the bytes
        received and the trajectory chart's figure (None if the run drew none)."""
        await self._socket.send(message.SerializeToString())
        received, figure = 0, None
        async with asyncio.timeout(timeout):
            while True:
                payload = await self._socket.recv()
                received += len(payload)
                answer = ForwardMsg()
                answer.ParseFromString(payload)
                kind = answer.WhichOneof("type")
                if kind == "delta" and answer.delta.WhichOneof("type") == "new_element":
                    figure = self._read_element(answer.delta.new_element) or figure
                elif kind == "page_info_changed":
                    self.query = answer.page_info_changed.query_string
                elif kind == "navigation":
                    self.page_script_hash = answer.navigation.page_script_hash
                elif kind == "script_finished":
                    if answer.script_finished not in _FINISHED:
                        raise RuntimeError(f"script run ended with {answer.script_finished}")
                    return received, figure

    def _read_element(self, element) -> dict | None:
        kind = element.WhichOneof("type")
        widget_id = getattr(getattr(element, kind), "id", "")
        if not widget_id:
            return None
        key = widget_id.rsplit("-", 1)[-1]  # Streamlit ends a keyed widget's id with its key
        self.widget_ids[key] = widget_id
        if key == "trajectory":
            return json.loads(element.bidi_component.bytes)["figure"]
        return None

    def _shows_own_path(self, figure: dict | None) -> bool:
        title = optimizers.get(OPTIMIZER).title
        try:
            assert figure is not None, "the answer drew no trajectory chart"
            trace = next(
                (
                    t
                    for t in figure["data"]
                    if t.get("type") == "scatter"
                    and t.get("mode") == "lines"
                    and t.get("name") == title
                ),
                None,
            )
            assert trace is not None, f"no path named {title!r}"
            drawn = np.column_stack([trace["x"], trace["y"]]).astype(float)
            assert_same_path(drawn, _expected(self.lr, self.start), SURFACE)
        except AssertionError as error:
            self.problems.append(f"{self.name} (lr {self.lr:g}, start {self.start}): {error}")
            return False
        return True


@functools.lru_cache(maxsize=4096)
def _expected(lr: float, start: tuple[float, float]) -> np.ndarray:
    return expected_path(SURFACE, OPTIMIZER, lr, start)


def _cpu_s(pid: int) -> float:
    """User + system CPU time of process `pid` so far, in seconds (0 once it has exited)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime


def _rss_kib(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("VmRSS:")), 0)
