"""Many Streamlit processes behind one address: N replicas of the app and HAProxy in front.

    deploy/serve --replicas 2 --port 8501

One Streamlit process runs every session's script in one Python interpreter, so a class shares
one core. This starts N processes (ports P+1 … P+N on loopback) and HAProxy on port P. Streamlit
keeps a session in one process (its websocket, and the /media files made for it, such as a CSV
download), so every request of one browser must reach the same replica: HAProxy pins each browser
with a cookie it sets itself (SRV), not by client address, because a school's students share one
address behind its NAT. When a replica dies, its browsers reconnect on their own, HAProxy sends
them to a live replica and the page rebuilds its view from the URL, which holds every setting.

Replicas on other machines: run `deploy/serve --replicas-only --replicas 4 --port 8501
--address 0.0.0.0` there (replicas on 8502 … 8505, no balancer), and on the front machine
`deploy/serve --replicas 2 --port 8501 --upstream 10.0.0.2:8502 --upstream 10.0.0.2:8503 …`
(or `--replicas 0` for a balancer only). Give every machine the same STREAMLIT_SERVER_COOKIE_SECRET
so that the replicas accept each other's signed cookies.

Runs in the foreground; Ctrl-C or SIGTERM stops HAProxy and every replica. HAProxy is installed
from Debian's packages where it is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
HEALTH_PATH = "/_stcore/health"
STARTUP_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0
# Every browser gets this cookie from HAProxy, naming the replica that serves it.
STICKY_COOKIE = "SRV"
# The response header that names the replica which served a request (for people and tests).
REPLICA_HEADER = "X-Atlas-Replica"
# The last line it prints once HAProxy and every replica answer (tests wait for it).
READY = "Ctrl-C or SIGTERM stops everything."
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

HAPROXY_CONFIG = """\
global
    maxconn 4096
    # show stat / show servers state, for operators and the tests
    stats socket {stats_socket} mode 600 level operator

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    # A student's websocket stays open for the whole lesson.
    timeout tunnel 8h
    # A replica that refuses the connection (it died): try another one.
    retries 2
    option redispatch

frontend students
    bind {address}:{port}
    default_backend replicas

backend replicas
    # Sessions are long websockets: give a new browser the replica with the fewest.
    balance leastconn
    # HAProxy sets and reads the cookie itself (indirect: the app never sees it); nocache keeps
    # shared caches from handing one browser's cookie to another.
    cookie {cookie} insert indirect nocache httponly attr SameSite=Lax
    option httpchk GET {health}
    http-check expect string ok
    http-response set-header {header} %[srv_name]
{servers}
"""
SERVER_LINE = "    server {name} {address} cookie {name} check inter 1s fall 2 rise 2"


@dataclass
class Replica:
    name: str  # s1, s2, … : HAProxy's server name and the value of its cookie
    address: str  # host:port
    process: subprocess.Popen | None = None  # None for a replica on another machine


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="deploy/serve", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--replicas", type=int, default=2, help="local Streamlit processes")
    parser.add_argument("--port", type=int, default=8501, help="the address students open")
    parser.add_argument(
        "--address",
        default="0.0.0.0",
        help="interface HAProxy (or, with --replicas-only, the replicas) listens on",
    )
    parser.add_argument(
        "--upstream",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="a replica on another machine (repeat for each)",
    )
    parser.add_argument(
        "--replicas-only",
        action="store_true",
        help="no balancer: replicas on --address, ports P+1 … P+N, for a balancer elsewhere",
    )
    args = parser.parse_args(argv)
    if args.replicas < 0 or (args.replicas == 0 and not args.upstream):
        parser.error("nothing to serve: give --replicas N (N ≥ 1) or --upstream HOST:PORT")
    if args.replicas_only and args.upstream:
        parser.error("--replicas-only starts no balancer, so it takes no --upstream")
    return args


def haproxy_config(replicas: list[Replica], address: str, port: int, stats_socket: Path) -> str:
    servers = "\n".join(SERVER_LINE.format(name=r.name, address=r.address) for r in replicas)
    return HAPROXY_CONFIG.format(
        stats_socket=stats_socket,
        address=address,
        port=port,
        cookie=STICKY_COOKIE,
        health=HEALTH_PATH,
        header=REPLICA_HEADER,
        servers=servers,
    )


def ensure_haproxy() -> str:
    """The haproxy executable, installed from Debian's packages when missing."""
    found = shutil.which("haproxy")
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        sys.exit("haproxy is not installed: `apt-get install haproxy` (as root), then try again")
    print("installing haproxy (apt-get) …", flush=True)
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], check=True, env=environment)
    return shutil.which("haproxy") or sys.exit("apt-get installed haproxy, but it is not on PATH")


def streamlit_command(address: str, port: int) -> list[str]:
    """One replica: the settings every run shares are in .streamlit/config.toml."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        f"--server.address={address}",
        f"--server.port={port}",
        # A deployment does not edit its code while it serves: no watcher thread per process.
        "--server.fileWatcherType=none",
    ]


def _stop_with_parent() -> None:
    """In a child before it starts: its own process group (stopped as a whole), and SIGTERM when
    this script dies without stopping it (kill -9), so no replica outlives the command."""
    os.setsid()
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def start(command: list[str], name: str, environment: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=_stop_with_parent,
    )
    threading.Thread(target=_relay, args=(process, name), daemon=True).start()
    return process


def _relay(process: subprocess.Popen, name: str) -> None:
    """Each child's output on ours, every line prefixed with the child's name."""
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(f"[{name}] {line.decode(errors='replace')}")
        sys.stdout.flush()


def wait_healthy(replicas: list[Replica], timeout: float = STARTUP_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(replicas)
    while waiting:
        replica = waiting[0]
        if replica.process is not None and replica.process.poll() is not None:
            raise RuntimeError(f"replica {replica.name} exited with {replica.process.returncode}")
        try:
            url = f"http://{replica.address}{HEALTH_PATH}"
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    waiting.pop(0)
                    continue
        except OSError:
            pass  # not listening yet
        if time.monotonic() > deadline:
            raise TimeoutError(f"replica {replica.name} not healthy after {timeout:.0f} s")
        time.sleep(0.2)  # polling the health endpoint, bounded by the deadline


def stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Stop(Exception):
    """SIGTERM or SIGINT arrived."""


def _raise_stop(signum: int, _frame) -> None:
    raise Stop(signal.Signals(signum).name)


def serve(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    haproxy = None if args.replicas_only else ensure_haproxy()
    replica_address = args.address if args.replicas_only else "127.0.0.1"
    environment = dict(os.environ)
    # Replicas of one app sign cookies with one secret (Streamlit makes a random one per process).
    environment.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    local = [
        Replica(f"s{i + 1}", f"{replica_address}:{args.port + 1 + i}") for i in range(args.replicas)
    ]
    remote = [
        Replica(f"s{len(local) + i + 1}", upstream) for i, upstream in enumerate(args.upstream)
    ]
    children: list[subprocess.Popen] = []
    run_dir = Path(tempfile.mkdtemp(prefix="atlas-serve-"))
    try:
        for replica in local:
            host, port = replica.address.rsplit(":", 1)
            replica.process = start(streamlit_command(host, int(port)), replica.name, environment)
            children.append(replica.process)
        wait_healthy(local)
        for replica in local:
            print(f"replica {replica.name} pid {replica.process.pid} at {replica.address}")
        for replica in remote:
            print(f"replica {replica.name} (another machine) at {replica.address}")
        if haproxy is not None:
            stats_socket = run_dir / "haproxy.sock"
            config = run_dir / "haproxy.cfg"
            config.write_text(haproxy_config(local + remote, args.address, args.port, stats_socket))
            # -db: stay in the foreground, so stopping this command stops HAProxy.
            balancer = start([haproxy, "-db", "-f", str(config)], "haproxy", environment)
            children.append(balancer)
            front = "127.0.0.1" if args.address in ("0.0.0.0", "::") else args.address
            wait_healthy([Replica("haproxy", f"{front}:{args.port}", balancer)])
            print(f"haproxy pid {balancer.pid}, runtime socket {stats_socket}")
            print(f"serving on http://{args.address}:{args.port} ({len(local + remote)} replicas)")
        print(READY, flush=True)
        return supervise(local, children[-1] if haproxy else None)
    except Stop as stopped:
        print(f"{stopped}: stopping", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for child in reversed(children):
            stop(child)
        shutil.rmtree(run_dir, ignore_errors=True)


def supervise(local: list[Replica], balancer: subprocess.Popen | None) -> int:
    """Wait for a signal; say when a replica dies (HAProxy's checks then skip it) and stop
    everything when the balancer dies. Returns the exit status."""
    reported: set[str] = set()
    while True:
        if balancer is not None and balancer.poll() is not None:
            print(f"haproxy exited with {balancer.returncode}: stopping", flush=True)
            return 1
        for replica in local:
            if replica.process.poll() is not None and replica.name not in reported:
                reported.add(replica.name)
                print(
                    f"replica {replica.name} (pid {replica.process.pid}) exited with "
                    f"{replica.process.returncode}; the other replicas take its students",
                    flush=True,
                )
        if balancer is None and len(reported) == len(local):
            return 1
        time.sleep(0.5)  # a supervisor's poll; signals interrupt it at once


def main(argv: list[str] | None = None) -> None:
    sys.exit(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
