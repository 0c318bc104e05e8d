"""A limit on the CPU time the Sympy work for one typed formula may take.

The parser's limits bound the size of a formula, but not what Sympy's automatic simplification
makes of it: to decide whether abs(exp(sqrt(u))) or tanh(sqrt(u)) is real, Sympy may split u into
real and imaginary parts and expand every power in it, which for a 40-character u takes minutes.
Such work cannot be predicted from the text, so it is stopped instead: a watcher thread raises
an exception in the computing thread once that thread has used up its CPU time. Sympy is plain
Python, so the exception arrives within a few bytecodes; Sympy caches nothing half-computed.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")

_POLL_SECONDS = 0.01


class OverBudget(BaseException):
    """Raised in the computing thread when its time is up.

    A BaseException, like KeyboardInterrupt, so that Sympy's `except Exception` clauses let it
    through.
    """


def run_within_cpu_time(seconds: float, function: Callable[[], Result]) -> Result:
    """function(), or OverBudget once it has used `seconds` of this thread's CPU time."""
    thread_id = threading.get_ident()
    used = _cpu_clock(thread_id)
    deadline = used() + seconds
    lock = threading.Lock()
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(_POLL_SECONDS):
            if used() > deadline:
                with lock:
                    if not finished.is_set():
                        _raise_in_thread(thread_id, OverBudget)
                return

    threading.Thread(target=watch, name="cpu-time-limit", daemon=True).start()
    try:
        return function()
    finally:
        # The watcher fires at most once, and never after `finished` is set under the lock. An
        # exception it fired before is raised somewhere above, or is still pending and is
        # cancelled here: it never surfaces in the caller's code after this returns.
        with lock:
            finished.set()
        _raise_in_thread(thread_id, None)


def _cpu_clock(thread_id: int) -> Callable[[], float]:
    try:
        clock = time.pthread_getcpuclockid(thread_id)
    except (AttributeError, OSError):  # no per-thread CPU clocks here (e.g. Windows)
        return time.monotonic
    return lambda: time.clock_gettime(clock)


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    # None (a NULL pointer) cancels an exception that was set but has not been raised yet.
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), None if exception is None else ctypes.py_object(exception)
    )
