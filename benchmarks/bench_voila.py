"""Time a Voilà step page from navigation to a usable form, with warm kernels and without.

``partnerlib present`` keeps one warm kernel per step (Voilà's preheated
kernels), which draws the whole page in advance on the workspace's plan and,
when a page takes it, only checks the plan in the page's address and whether
it was saved since (``ui.workbook.show_page_plan``). This opens step pages in Chromium, as a participant would, against
two Voilà servers started one after the other on the sample workspace: as
``present`` starts it (warm), and the same without warm kernels (cold: a new
kernel, the imports, then every cell), the baseline of the same run.

A visit's time runs from ``page.goto`` to the moment the page's cells are shown
and its first button can be clicked (step 12, without a form: its cells shown).
Each page is closed after its visit and the next visit waits ``--gap`` seconds,
as pages are opened in a workshop, so the pool has its kernel again. Visits
start once Voilà and its kernels are idle (the warm kernels have drawn their
pages: at start all eleven do so at once, which takes a while on 2 cores).

Run: ``.venv/bin/python benchmarks/bench_voila.py [--rounds 5] [--steps 06 10 11]``.
Goal: warm p95 ≤ 2 s on a quiet 2-core machine. Figures (with the load average
before each server) go to ``benchmarks/results/voila.json``.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import RESULTS_FOLDER, argument_parser, load_average, percentile

from partnerlib import open_workspace
from partnerlib.app.kernel import jupyter_environment
from partnerlib.app.present import (
    WARM_KERNELS,
    free_port,
    voila_command,
    voila_url,
    wait_for_server,
)
from partnerlib.app.series import select_steps, series_notebooks
from partnerlib.app.working_copy import refresh_working_copy
from partnerlib.core.paths import WORKSPACE_ENV

RESULTS = RESULTS_FOLDER / "voila.json"
GOAL_P95_S = 2.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Seconds to wait for a page (a cold one can take 10 s on a busy machine).
PAGE_TIMEOUT_S = 180

_READY = """() => {
  const main = document.querySelector('#rendered_cells');
  if (!main || main.style.display === 'none') return false;
  const button = main.querySelector('.jupyter-widgets button');
  return button !== null || !main.querySelector('.jupyter-widgets');
}"""


def _cpu_seconds(pid: int) -> float:
    """Return the CPU seconds used by a process and everything below it, read from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    tree, frontier = {pid}, {pid}
    while frontier:
        frontier = {child for child, (parent, _) in stats.items() if parent in frontier} - tree
        tree |= frontier
    return sum(stats[member][1] for member in tree if member in stats)


def until_idle(pid: int, longest: float) -> None:
    """Wait until Voilà and its kernels use no CPU for 3 s (the warm kernels are ready), at most ``longest`` s."""
    deadline, quiet, before = time.monotonic() + longest, 0, _cpu_seconds(pid)
    while time.monotonic() < deadline and quiet < 3:
        time.sleep(1)
        now = _cpu_seconds(pid)
        quiet = quiet + 1 if now - before < 0.05 else 0
        before = now


def _visits(port: int, steps: list[Path], rounds: int, gap: float) -> list[float]:
    from playwright.sync_api import sync_playwright

    seconds = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for _ in range(rounds):
                for step in steps:
                    time.sleep(gap)
                    page = browser.new_page()
                    start = time.perf_counter()
                    page.goto(voila_url(port, step.name), timeout=PAGE_TIMEOUT_S * 1000)
                    page.wait_for_function(_READY, timeout=PAGE_TIMEOUT_S * 1000, polling=50)
                    seconds.append(time.perf_counter() - start)
                    page.close()
        finally:
            browser.close()
    return seconds


def _serve(folder: Path, workspace: Path, *, warm: bool) -> tuple[subprocess.Popen, int]:
    """Start Voilà as ``present`` does, or (``warm=False``) the same without its warm kernels."""
    port = free_port(None)
    line = [part for part in voila_command(folder, port=port) if warm or part not in WARM_KERNELS]
    log = folder.parent / "voila.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            line,
            env=jupyter_environment() | {WORKSPACE_ENV: str(workspace)},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    if not wait_for_server(port, process, timeout=PAGE_TIMEOUT_S):
        _stop(process)
        raise SystemExit(f"Voilà did not start:\n{log.read_text(errors='replace')[-2000:]}")
    return process, port


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)  # Voilà shuts its kernels down
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main() -> None:
    """Time warm and cold step pages and print a markdown table."""
    parser = argument_parser(__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="visits of each step per server")
    parser.add_argument("--steps", nargs="+", default=["06", "10", "11"], help="steps, by the start of their names")
    parser.add_argument("--gap", type=float, default=8.0, help="seconds between visits")
    parser.add_argument("--warm-up", type=float, default=300.0,
                        help="at most this many seconds for the warm kernels to be ready (Voilà idle)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workspace = Path(scratch) / "workspace.sqlite"
        open_workspace(workspace).close()
        folder = Path(scratch) / "workbook"
        refresh_working_copy(folder)
        steps = select_steps(series_notebooks(folder), args.steps)
        figures = {}
        for label, warm in (("warm (as present)", True), ("cold (baseline)", False)):
            process, port = _serve(folder, workspace, warm=warm)
            try:
                until_idle(process.pid, args.warm_up)
                load = load_average()
                seconds = _visits(port, steps, args.rounds, args.gap)
            finally:
                _stop(process)
            figures[label] = {
                "visits": len(seconds),
                "p50_s": round(statistics.median(seconds), 3),
                "p95_s": round(percentile(seconds, 0.95), 3),
                "load_average_1min": round(load, 2),
            }
    warm, cold = figures["warm (as present)"], figures["cold (baseline)"]
    figures["ratio_warm_to_cold_p50"] = round(warm["p50_s"] / cold["p50_s"], 3)
    figures["goal_p95_s"] = GOAL_P95_S
    figures["steps"] = [step.stem for step in steps]
    print("| server | visits | p50 (s) | p95 (s) | load average |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label in ("warm (as present)", "cold (baseline)"):
        row = figures[label]
        print(f"| {label} | {row['visits']} | {row['p50_s']} | {row['p95_s']} | {row['load_average_1min']} |")
    print(f"\nwarm / cold (p50): {figures['ratio_warm_to_cold_p50']}; goal: warm p95 ≤ {GOAL_P95_S} s")
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
