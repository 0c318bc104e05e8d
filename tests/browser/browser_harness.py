"""Driving the real app in headless Chromium: a Streamlit server on a free loopback port, a
Chromium launcher, and `AppSession`, which follows one browser tab's websocket so that a test
waits for the script run it caused instead of sleeping.

Why the websocket and not only the DOM: Streamlit marks its run state in the DOM
(`data-test-script-state`), but React may batch "running" and "notRunning" into one render when a
rerun is fast, so a test cannot tell "the rerun has not started" from "it is already over". Every
rerun ends with a `script_finished` ForwardMsg on the websocket, which we decode with Streamlit's
own protobuf classes. The same stream gives the bytes each rerun costs.

Used by the browser tests (tests/browser/) and by bench/browser.py and bench/load.py.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Playwright,
    WebSocket,
)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from deploy import serve

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("GRADIENT_ATLAS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",  # WebGL (the 3D view) then runs on SwiftShader, on the CPU
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION_BOX = "[data-testid='stException']"
VIEWPORT = {"width": 1500, "height": 1000}
# A fresh tab compiles the Plotly bundle and draws the 3D view in software WebGL: ~3-5 s to
# the first plot on an idle 2-core machine, 20 s and more when other jobs share the cores. Waits
# are generous so a busy machine slows the tests down instead of failing them.
PAGE_TIMEOUT_MS = 90_000
_SOCKET_POLL_MS = 2_000
# Opened at a page's own address (/compare), Streamlit's front end first asks whether the app is
# served under that path (/compare/_stcore/health, .../host-config) and, on 404, uses the root.
# Those two expected 404s are the framework finding its base path, not errors of the app.
_BASE_PATH_PROBE = re.compile(r"/[^/]+/_stcore/(health|host-config)$")
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_INTERRUPTED_ANIMATION = "API call to Plotly.animate rejected"
_FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class StreamlitServer:
    process: subprocess.Popen
    url: str
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def peak_rss_kib(self) -> int:
        """The server's own high-water mark of resident memory (VmHWM), in KiB."""
        return _status_kib(self.pid, "VmHWM")

    def tree_rss_kib(self) -> int:
        """Resident memory now of the server and every process it started, in KiB."""
        return sum(_status_kib(pid, "VmRSS") for pid in _process_tree(self.pid))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def streamlit_server(
    purpose: str,
    app: str = "app.py",
    startup_timeout: float = 60.0,
    options: tuple[str, ...] = (),
    port: int | None = None,
) -> Iterator[StreamlitServer]:
    """`streamlit run app` from the repository root on loopback `port` (a free one unless given:
    a restarted server takes its predecessor's), until the block ends; its output goes to
    test-artifacts/streamlit-<purpose>.log. `options` are more Streamlit options (e.g.
    "--runner.postScriptGC=true"), over .streamlit/config.toml.

    Stopping it stops its whole process group; it also stops if this process dies first."""
    port = free_port() if port is None else port
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{purpose}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        *options,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_detach
        )
    server = StreamlitServer(process, f"http://127.0.0.1:{port}", log_path)
    try:
        _wait_healthy(server, startup_timeout)
        yield server
    finally:
        _stop(process)


@dataclass
class Deployment:
    """`deploy/serve` running: HAProxy at `url` in front of Streamlit replicas."""

    process: subprocess.Popen
    url: str
    replica_pids: dict[str, int]  # HAProxy's server name (s1, s2, …) -> the replica's PID
    stats_socket: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def sessions_per_replica(self) -> dict[str, int]:
        """Open connections HAProxy holds to each replica now: a browser's websocket is one."""
        with socket.socket(socket.AF_UNIX) as stats:
            stats.connect(str(self.stats_socket))
            stats.sendall(b"show stat\n")
            text = b"".join(iter(lambda: stats.recv(65536), b"")).decode()
        rows = list(csv.DictReader(text.lstrip("# ").splitlines()))
        return {
            row["svname"]: int(row["scur"]) for row in rows if row["svname"] in self.replica_pids
        }


_SERVING_LINE = re.compile(r"^replica (s\d+) pid (\d+) at ", re.MULTILINE)
_STATS_SOCKET_LINE = re.compile(r"runtime socket (\S+)")


@contextlib.contextmanager
def deployment(
    purpose: str, replicas: int = 2, startup_timeout: float = 120.0
) -> Iterator[Deployment]:
    """`deploy/serve --replicas N` on loopback ports of its own, until the block ends; its output
    (its replicas' and HAProxy's too) goes to test-artifacts/serve-<purpose>.log."""
    port = _free_ports(replicas + 1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"serve-{purpose}.log"
    command = [
        str(REPO_ROOT / "deploy" / "serve"),
        f"--replicas={replicas}",
        f"--port={port}",
        "--address=127.0.0.1",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_detach
        )
    try:
        deadline = time.monotonic() + startup_timeout
        while serve.READY not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"deploy/serve did not start:\n{log_path.read_text()}")
            time.sleep(0.2)  # polling its output, bounded by the deadline
        text = log_path.read_text(errors="replace")
        yield Deployment(
            process,
            f"http://127.0.0.1:{port}",
            {name: int(pid) for name, pid in _SERVING_LINE.findall(text)},
            Path(_STATS_SOCKET_LINE.search(text).group(1)),
            log_path,
        )
    finally:
        _stop(process)


def _free_ports(count: int) -> int:
    """A port P such that P … P + count - 1 are all free on loopback now."""
    while True:
        first = free_port()
        with contextlib.ExitStack() as probes:
            try:
                for port in range(first, first + count):
                    probe = probes.enter_context(socket.socket())
                    probe.bind(("127.0.0.1", port))
            except OSError:
                continue  # one of them is taken: try another start
        return first


def _detach() -> None:
    """In the server's process before it starts: a process group of its own (stopped as a whole),
    and SIGTERM when the process that started it dies without stopping it (a killed pytest), so
    no orphaned server keeps its port and memory."""
    os.setsid()
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _wait_healthy(server: StreamlitServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {server.process.returncode}:\n{server.log()}"
            )
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass  # not listening yet
        time.sleep(0.1)  # polling the health endpoint, bounded by the deadline
    raise TimeoutError(f"streamlit not healthy after {timeout:.0f} s:\n{server.log()}")


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _status_kib(pid: int, field_name: str) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0  # the process has exited
    for line in lines:
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1])
    return 0


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name (field 2) may contain spaces; the fields after its ")" do not.
            after_name = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(after_name[1]), []).append(int(stat.parent.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def _is_stream(socket_: WebSocket) -> bool:
    return socket_.url.endswith("/_stcore/stream")


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
    )


@dataclass
class Frame:
    kind: str  # the ForwardMsg type, e.g. "delta" or "script_finished"
    size: int  # bytes on the wire
    at: float  # time.perf_counter() when Playwright reported it


@dataclass
class AppSession:
    """One browser tab on the app: its websocket traffic, console errors and helpers to act on it."""

    page: Page
    frames: list[Frame] = field(default_factory=list)
    runs_finished: int = 0
    console_errors: list[str] = field(default_factory=list)
    _socket: WebSocket | None = None
    _interrupted_animations: int = 0

    def __post_init__(self) -> None:
        self.page.set_default_timeout(PAGE_TIMEOUT_MS)
        self.page.on("websocket", self._follow)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not _BASE_PATH_PROBE.search(url):
            self.console_errors.append(f"{message.text} [{url}]")
        if _INTERRUPTED_ANIMATION in message.text:
            self._interrupted_animations += 1

    def _on_page_error(self, error: Error) -> None:
        # Pause interrupts Plotly.animate, whose promise then rejects with no reason: Plotly logs
        # the warning above and leaves the rejection unhandled. Expected, so not an app error.
        if error.message == "undefined" and self._interrupted_animations:
            self._interrupted_animations -= 1
            return
        self.console_errors.append(f"uncaught: {error.message}\n{error.stack}")

    def _follow(self, socket_: WebSocket) -> None:
        if not _is_stream(socket_):
            return
        self._socket = socket_
        socket_.on("framereceived", self._on_frame)

    def _on_frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        kind = message.WhichOneof("type") or ""
        self.frames.append(Frame(kind, len(payload), time.perf_counter()))
        if kind == "script_finished" and message.script_finished in _FINISHED:
            self.runs_finished += 1

    # --- waiting ------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        """Load `url` and wait until its first script run has finished and the page shows it."""
        before = self.runs_finished
        self._socket = None  # navigating closes the old connection; the page opens a new one
        self.page.goto(url)
        self.wait_for_run(before)

    def wait_for_run(self, finished_before: int) -> None:
        """Wait until a script run that started after `finished_before` runs has finished, then
        until the page reports itself idle."""
        deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
        while self.runs_finished <= finished_before:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"no script run finished within {PAGE_TIMEOUT_MS} ms; the page's last"
                    f" messages: {[f.kind for f in self.frames[-8:]]}"
                )
            # Short waits, each followed by a fresh look at which socket is the page's: a server
            # killed under the page may close its socket without Playwright reporting it before
            # the wait starts, and a wait on that dead socket would use up the whole deadline.
            timeout_ms = min(_SOCKET_POLL_MS, max(1.0, (deadline - time.monotonic()) * 1000))
            with contextlib.suppress(Error):  # the socket closed or the slice ran out: look again
                if self._socket is None or self._socket.is_closed():
                    self.page.wait_for_event("websocket", _is_stream, timeout=timeout_ms)
                else:
                    self._socket.wait_for_event(
                        "framereceived",
                        lambda _: self.runs_finished > finished_before,
                        timeout=timeout_ms,
                    )
        self.page.wait_for_selector(APP_IDLE)

    @contextlib.contextmanager
    def rerun(self) -> Iterator[None]:
        """`with session.rerun(): <act>` returns once the rerun the action caused has finished."""
        before = self.runs_finished
        yield
        self.wait_for_run(before)

    # --- reading the page ---------------------------------------------------------------------
    def exception_texts(self) -> list[str]:
        return self.page.locator(EXCEPTION_BOX).all_inner_texts()

    def figure(self, index: int = 0) -> dict:
        """The index-th Plotly chart as the browser holds it right now: its traces (typed arrays
        decoded to lists), the number of animation frames, the traces those frames move
        (`animated`) and the step slider's current position (`activeStep`); None if not drawn."""
        return self.page.evaluate(_READ_FIGURE, index)

    def wait_for_charts(self) -> list[int]:
        """Wait until the page has charts and every one is drawn (they draw one at a time after
        the run); return each chart's number of traces."""
        # Checked and read in one evaluation: a chart may be redrawn between two of them.
        handle = self.page.wait_for_function(
            """() => {
                const charts = Array.from(document.querySelectorAll('.atlas-chart'));
                const drawn = charts.every(
                    (chart) => chart.classList.contains('js-plotly-plot') && chart._fullData);
                return charts.length > 0 && drawn && charts.map((chart) => chart._fullData.length);
            }""",
            timeout=PAGE_TIMEOUT_MS,
        )
        return handle.json_value()

    def wait_for_figure_change(
        self, before: dict, read: Callable[[dict], object], index: int = 0
    ) -> dict:
        """Poll the chart until `read(figure)` differs from `read(before)`; return the figure."""
        reference = read(before)
        return self.wait_for_figure(lambda figure: read(figure) != reference, index)

    def wait_for_figure(self, ready: Callable[[dict], bool], index: int = 0) -> dict:
        """Poll the chart until `ready(figure)`; return the figure. Charts draw the figures of
        quick reruns one after another, so the first change seen may be an intermediate one."""
        deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            # Let the browser draw the next frame before looking again (bounded polling).
            self.page.evaluate("() => new Promise(requestAnimationFrame)")
            figure = self.figure(index)
            if figure and ready(figure):
                return figure
        raise TimeoutError("the chart never showed what was expected")

    # --- acting on widgets --------------------------------------------------------------------
    def slider(self, label: str, within: Locator | None = None) -> Locator:
        """The keyboard-focusable thumb of the slider (or select_slider) labelled `label`."""
        return (within or self.page).locator(f"input[type='range'][aria-label='{label}']")

    def nudge_slider(
        self, label: str, key: str = "ArrowRight", times: int = 1, within: Locator | None = None
    ) -> None:
        """Move a slider by keyboard (steadier than dragging) and wait for each rerun."""
        thumb = self.slider(label, within)
        thumb.focus()
        for _ in range(times):
            with self.rerun():
                thumb.press(key)

    def wait_for_paths_change(self, before: str) -> str:
        """Wait until the contour paths differ from `before` (a paths_fingerprint()); checked in
        the browser at every animation frame, so the time it returns at is when they were drawn."""
        handle = self.page.wait_for_function(
            f"(before) => {{ const now = ({PATHS_FINGERPRINT})(); return now !== before && now; }}",
            arg=before,
            polling="raf",
        )
        return handle.json_value()

    def paths_fingerprint(self) -> str:
        return self.page.evaluate(PATHS_FINGERPRINT)

    def expander(self, title: str, reruns: bool = False) -> Locator:
        """The expander titled `title`, opened; with `reruns`, opening it reruns the script (an
        expander whose content is drawn only while open) and this waits for that run."""
        details = self.page.locator("[data-testid='stExpander'] details").filter(
            has=self.page.locator("summary").get_by_text(title, exact=True)
        )
        if details.get_attribute("open") is None:
            if reruns:
                with self.rerun():
                    details.locator("summary").click()
            else:
                details.locator("summary").click()
        return details

    def choose(self, label: str, option: str) -> None:
        """Pick `option` in the select box labelled `label` and wait for the rerun."""
        box = self.page.locator("[data-testid='stSelectbox']").filter(
            has=self.page.get_by_text(label, exact=True)
        )
        box.click()
        with self.rerun():
            self.page.get_by_role("option", name=option, exact=True).click()

    def type_text(self, label: str, text: str) -> None:
        """Replace the text of the input labelled `label` and submit it with Enter."""
        field_ = self.page.get_by_label(label, exact=True)
        field_.fill(text)
        with self.rerun():
            field_.press("Enter")

    def number(self, label: str) -> float:
        return float(self.page.get_by_label(label, exact=True).input_value())

    def slider_text(self, label: str, within: Locator | None = None) -> str:
        """The value a slider shows, as the user reads it."""
        return self.slider(label, within).get_attribute("aria-valuetext") or ""

    def screenshot(self, name: str) -> Path:
        """The whole page as test-artifacts/<name>.png. Streamlit scrolls inside its main area,
        not the document, so the window is made as tall as that area for the picture."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        viewport = self.page.viewport_size or VIEWPORT
        height = self.page.evaluate(
            "() => document.querySelector('[data-testid=stMain]')?.scrollHeight ?? 0"
        )
        self.page.set_viewport_size({"width": viewport["width"], "height": max(height, 1)})
        try:
            self.page.screenshot(path=path, full_page=True)
        finally:
            self.page.set_viewport_size(viewport)
        return path


# Plotly keeps the decoded data in gd._fullData (gd.data may hold the base64 "bdata" form); the
# user-facing trace attributes (name, meta, mode) are read from gd.data.
_READ_FIGURE = """
(index) => {
  const gd = document.querySelectorAll('.js-plotly-plot')[index];
  if (!gd || !gd._fullData || !gd.layout) return null;
  const plain = (v) => (v && typeof v === 'object' && ArrayBuffer.isView(v)) ? Array.from(v) : v;
  const traces = gd._fullData.map((full, i) => {
    const input = gd.data[full.index] || {};
    return {
      index: i, type: full.type, name: input.name ?? null, meta: input.meta ?? null,
      mode: full.mode ?? null, visible: full.visible,
      x: plain(full.x) ?? null, y: plain(full.y) ?? null,
      markerSize: plain(full.marker && full.marker.size) ?? null,
      xaxis: full.xaxis ?? null, yaxis: full.yaxis ?? null,
    };
  });
  const frames = (gd._transitionData && gd._transitionData._frames) || [];
  const slider = (gd._fullLayout.sliders || [])[0];
  return {traces, frameCount: frames.length, animated: frames.length ? frames[0].traces : [],
          activeStep: slider ? slider.active : null};
}
"""

# Every line trace on the first chart's 2D axes (the drawn paths), as text: changes exactly when
# a path is redrawn differently. "" while the chart is not drawn.
PATHS_FINGERPRINT = """
() => {
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullData) return '';
  return JSON.stringify(gd._fullData
    .filter((t) => t.type === 'scatter' && t.mode === 'lines')
    .map((t) => [t.name, Array.from(t.x), Array.from(t.y)]));
}
"""
