"""The chart workers: run jobs, report failures, stay out of a kernel's way, end with their parent."""

from __future__ import annotations

import io
import operator
import os
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from partnerlib.output import workers
from partnerlib.output.workers import ChartWorker, WorkerError


@pytest.fixture
def worker():
    started = ChartWorker()
    yield started
    started.stop()
    started.process.wait(timeout=60)


@pytest.mark.parametrize(("cores", "count"), [(1, 0), (2, 1), (4, 3), (64, workers.MAX_WORKERS)])
def test_one_worker_per_core_but_this_process(monkeypatch, cores, count):
    monkeypatch.setattr(workers, "_cores", lambda: cores)
    assert workers.worker_count() == count


def test_one_core_means_no_workers(monkeypatch):
    monkeypatch.setattr(workers, "_cores", lambda: 1)
    workers.stop_chart_workers()
    assert workers.chart_workers() == []


def test_a_worker_returns_what_the_function_returns(worker):
    assert [worker.run(operator.add, 2, 3), worker.run(str.upper, "riverside")] == [5, "RIVERSIDE"]


def test_a_failing_job_names_its_error_and_the_worker_goes_on(worker):
    with pytest.raises(WorkerError, match="ValueError: invalid literal for int"):
        worker.run(int, "nine")
    assert worker.run(int, "9") == 9


def test_a_job_that_cannot_be_sent_says_so_and_the_worker_goes_on(worker):
    with pytest.raises(WorkerError, match="cannot be sent"):
        worker.run(operator.add, lambda: 2, 3)  # a lambda does not pickle
    assert worker.run(operator.add, 2, 3) == 5


def test_a_stopped_worker_says_so(worker):
    worker.stop()
    worker.process.wait(timeout=60)
    with pytest.raises(WorkerError, match="stopped"):
        worker.run(operator.add, 2, 3)


@pytest.mark.skipif(os.name == "nt", reason="process groups are POSIX")
def test_a_worker_has_a_process_group_of_its_own(worker):
    # A Jupyter kernel that shuts down waits for the children in its own group; a worker is not one of them.
    assert os.getpgid(worker.process.pid) != os.getpgrp()


def test_stopped_workers_end_and_new_ones_start(monkeypatch):
    monkeypatch.setattr(workers, "_cores", lambda: 2)
    first = workers.chart_workers()
    workers.stop_chart_workers()
    assert [worker.process.wait(timeout=60) for worker in first] == [0]
    assert [worker.alive() for worker in workers.chart_workers()] == [True]


def test_workers_end_with_the_process_that_started_them(tmp_path):
    script = "from partnerlib.output.workers import chart_workers\nprint(*[w.process.pid for w in chart_workers()])"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    pids = [int(pid) for pid in done.stdout.split()]
    deadline = time.monotonic() + 60
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in pids if _running(pid)] == []


def test_a_worker_whose_parent_has_gone_ends_quietly():
    # The parent does not wait for its workers at exit; one finishing a job then finds no one to answer.
    class Gone(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    jobs = io.BytesIO(pickle.dumps((operator.add, (2, 3))) + pickle.dumps((operator.add, (4, 5))))
    assert workers._serve(jobs, io.BufferedWriter(Gone())) is None
    assert jobs.tell() < len(jobs.getvalue())  # it stopped after the first answer failed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped by init) counts as ended.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text(encoding="ascii"))


def test_a_script_without_a_main_guard_builds_the_document_once(tmp_path):
    # A process pool that starts workers by running the main script again would write runs.txt twice.
    script = tmp_path / "report.py"
    script.write_text(textwrap.dedent("""
        from pathlib import Path
        from partnerlib import build_document, load_sample, write_html
        runs = Path("runs.txt")
        runs.write_text(runs.read_text() + "run\\n" if runs.exists() else "run\\n")
        write_html(build_document(load_sample()), "plan.html")
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stderr, (tmp_path / "runs.txt").read_text()) == (0, "", "run\n")
    assert "<svg" in (tmp_path / "plan.html").read_text(encoding="utf-8")
