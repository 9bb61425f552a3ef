"""Worker processes that draw charts on the machine's other cores.

Drawing a chart is nearly all matplotlib laying out text, in Python, on one
core: the plan document's twelve charts take about three seconds one after
another. The document hands them to these workers, builds its tables
meanwhile and then draws whichever charts no worker has taken; what comes
back from a worker is the same SVG, byte for byte.

Each worker is a child process (``python -m partnerlib.output.workers``) that reads
pickled jobs on its standard input and writes the pickled results to its
standard output. It imports matplotlib, pandas and the views as it starts,
runs in a process group of its own and ends when its input closes: when
this process ends (which does not wait for it) or after :data:`IDLE_SECONDS`
without work. Only this
process and its own workers write to those pipes.

Why not :mod:`concurrent.futures` or loky: both start a resource-tracker
process that ignores SIGTERM. A Jupyter kernel that is shut down waits for
its children to end, so every kernel that had built a document took seconds
longer to stop and was then killed. Starting a worker the same way from a
kernel or a script is also safe here (no fork of a process that runs
threads, no ``if __name__ == "__main__":`` needed).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "IDLE_SECONDS",
    "MAX_WORKERS",
    "ChartWorker",
    "WorkerError",
    "chart_workers",
    "stop_chart_workers",
    "worker_count",
]

#: Seconds the workers wait for more charts before they stop: long enough for
#: the document to be rebuilt after a change, short enough that a workshop
#: server running many kernels does not keep a worker (about 150 MB) per kernel.
IDLE_SECONDS = 120
#: At most this many workers: the document has a dozen charts, and each
#: worker costs a Python process with matplotlib and pandas loaded (about
#: 150 MB) and a second or two of imports before its first chart.
MAX_WORKERS = 3


class WorkerError(RuntimeError):
    """A job failed in a worker, or the worker stopped; the message says which."""


class ChartWorker:
    """One worker process: give it a function and arguments, get back what the function returns."""

    def __init__(self) -> None:
        own_group = (
            {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt" else {"process_group": 0}
        )
        package_folder = str(Path(__file__).resolve().parents[2])
        search_path = os.pathsep.join(filter(None, [package_folder, os.environ.get("PYTHONPATH")]))
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter, this module
            [sys.executable, "-m", "partnerlib.output.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": search_path},
            **own_group,
        )
        self._turn = threading.Lock()  # one job at a time, whichever thread asks

    def alive(self) -> bool:
        """Tell whether the process is still running."""
        return self.process.poll() is None

    def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run ``function(*args)`` in the worker and return its result.

        ``function`` must be importable by name (a module-level function) and
        the arguments and result picklable.

        Raises:
            WorkerError: the function raised (its message is kept), the job cannot be sent
                (an argument that does not pickle), or the worker stopped.
        """
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            # Pickled whole before anything is written: a job that fails half-way through would leave
            # the worker reading a broken one.
            job = pickle.dumps((function, args))
        except Exception as error:  # pickling raises TypeError, AttributeError, PicklingError …
            raise WorkerError(f"This job cannot be sent to a chart worker ({error!r}).") from error
        try:
            with self._turn:
                self.process.stdin.write(job)
                self.process.stdin.flush()
                done, value = pickle.load(self.process.stdout)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError) as error:
            raise WorkerError(f"The chart worker stopped ({error!r}).") from error
        if not done:
            raise WorkerError(value)
        return value

    def close_input(self) -> None:
        """Close the worker's input: it ends once its current job is done (this does not wait for it)."""
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):  # already gone
            self.process.stdin.close()

    def stop(self) -> None:
        """End the worker once its current job is done: close its input, wait for it, close its output.

        A worker still busy after a minute (a job that never ends) is killed.
        """
        assert self.process.stdout is not None
        my_turn = self._turn.acquire(timeout=60)
        try:
            self.close_input()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stdout.close()
        finally:
            if my_turn:
                self._turn.release()


_workers: list[ChartWorker] = []
_lock = threading.Lock()
_idle_timer: threading.Timer | None = None
_stop_at_exit = False


def _cores() -> int:
    """The cores this process may run on (fewer than the machine's in a container or under taskset)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count() -> int:
    """One worker per core but this process's, which draws charts too once its tables are done."""
    return max(0, min(_cores() - 1, MAX_WORKERS))


def chart_workers() -> list[ChartWorker]:
    """Return the running workers, starting any that are missing; empty on a one-core machine.

    Starting returns at once: a new worker does its imports (about a second)
    while the caller goes on. Each call also restarts the idle countdown: the
    workers stop :data:`IDLE_SECONDS` after the last call.
    """
    global _idle_timer, _stop_at_exit
    with _lock:
        if not _stop_at_exit:
            atexit.register(_let_workers_go)
            _stop_at_exit = True
        for ended in [worker for worker in _workers if not worker.alive()]:
            ended.stop()
            _workers.remove(ended)
        _workers.extend(ChartWorker() for _ in range(worker_count() - len(_workers)))
        if _idle_timer is not None:
            _idle_timer.cancel()
        _idle_timer = threading.Timer(IDLE_SECONDS, stop_chart_workers)
        _idle_timer.daemon = True
        _idle_timer.start()
        return list(_workers)


def stop_chart_workers() -> None:
    """Stop every worker (each ends after its current job)."""
    with _lock:
        for worker in _workers:
            worker.stop()
        _workers.clear()


def _let_workers_go() -> None:
    """At exit: close each worker's input and do not wait; it ends by itself once its current job is done.

    Waiting would hold up the end of this process (a Jupyter kernel being
    shut down, say) by the worker's own exit, a fifth of a second, for nothing:
    the worker is in a process group of its own and writes no files.
    """
    with _lock:
        for worker in _workers:
            worker.close_input()
        _workers.clear()


def _import_drawing() -> None:
    """Import what any chart needs before the first job: every step's views load on first use otherwise."""
    import matplotlib.figure  # noqa: F401
    import pandas  # noqa: F401

    from . import views

    for name in views.__all__:
        getattr(views, name)


def _serve(jobs: BinaryIO, answers: BinaryIO) -> None:
    """Run pickled ``(function, args)`` jobs until ``jobs`` closes; answer ``(True, result)`` or ``(False, why)``."""
    while True:
        try:
            function, args = pickle.load(jobs)
        except EOFError:
            return
        try:
            answer = (True, function(*args))
        except Exception as error:  # the caller decides what a failed chart means
            answer = (False, f"{type(error).__name__}: {error}")
        try:
            pickle.dump(answer, answers)
            answers.flush()
        except BrokenPipeError:  # the process that asked has ended
            return


if __name__ == "__main__":
    jobs, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything a job prints goes to stderr, never into the answers
    _import_drawing()
    _serve(jobs, answers)
