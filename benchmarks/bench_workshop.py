"""The workshop room under a room's worth of participants: nothing lost, live within 2 s, light on memory.

The room runs as ``partnerlib workshop`` does, in its own process on
127.0.0.1 (loopback only), for the sample plan on a temporary workspace. A
facilitator's page is open in Chromium. Thirty participants join a health
survey: HTTP clients plus at least five real browser contexts. Each round,
every participant loads the form (timed: participant page load), then all
submit at the same moment; the facilitator's page is read every 50 ms until
it shows every submission. A submission's *submit to view* time runs from
sending it to the facilitator's page first showing as many submissions as
had been stored when it was. Rounds are bounded (``--rounds``).

Memory: the room's resident memory after every participant has joined and
answered, minus before the first joined (once the facilitator's page has
shown its first results, so the libraries the room loads once are counted
before), per participant.

Baseline in the same run: loading the room's static style sheet (the cost of
a request to this server, with nothing computed), so the page-load ratio says
what the form itself costs. Voilà step pages (``--voila``: steps 6, 10 and 11,
navigation to their Save button) are timed only when asked, as they take a
minute or more; otherwise ``p95_voila_step_s`` is null.

Run: ``.venv/bin/python benchmarks/bench_workshop.py [--rounds 5] [--browsers 5] [--voila]``.
Goals: lost 0; p95 submit to view ≤ 2 s; p95 participant page ≤ 1 s; ≤ 30 MB
per participant; p95 Voilà step ≤ 2 s. Figures go to ``benchmarks/results/workshop.json``
with the load average beside each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from bench_voila import until_idle
from common import RESULTS_FOLDER, ROOT, argument_parser, load_average, percentile

from partnerlib import SAMPLE_PLAN, Workspace
from partnerlib.app.kernel import jupyter_environment
from partnerlib.app.present import free_port, voila_command, voila_url, wait_for_server
from partnerlib.io.sample import seed_workspace
from partnerlib.models import FACTORS

RESULTS = RESULTS_FOLDER / "workshop.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VOILA_STEPS = ("06_risk_and_conflict.ipynb", "10_monitoring_and_evaluation.ipynb", "11_partnership_review.ipynb")
#: Seconds to wait for the facilitator's page to show a round's submissions before counting them lost from view.
VIEW_TIMEOUT = 30.0


def resident_mb(pid: int) -> float:
    """A process's resident memory (VmRSS) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_room(workspace: Path) -> tuple[subprocess.Popen, str, str]:
    """Start ``partnerlib workshop`` for the sample plan; return the process and its two links."""
    process = subprocess.Popen(
        [sys.executable, "-m", "partnerlib.app.cli", "--workspace", str(workspace), "workshop", SAMPLE_PLAN],
        stdout=subprocess.PIPE, text=True, env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    links = {}
    assert process.stdout is not None
    while len(links) < 2:
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"the room did not start (exit code {process.poll()})")
        for key, marker in (("facilitator", "/f/"), ("join", "/j/")):
            if marker in line:
                links[key] = line.split()[-1]
    return process, links["facilitator"], links["join"]


class HttpParticipant:
    """A participant on a plain HTTP client (a phone that sends the form)."""

    def __init__(self, join: str, number: int) -> None:
        self.session = requests.Session()
        self.join = join
        self.score = number % 5 + 1
        self.session.get(join, timeout=30)

    def load_form(self, form_url: str) -> float:
        """Load a page; return the seconds it took."""
        started = time.perf_counter()
        reply = self.session.get(form_url, timeout=30)
        reply.raise_for_status()
        return time.perf_counter() - started

    def submit(self, form_url: str) -> tuple[float, float, bool]:
        """Send the form; return when it was sent, when the answer came and whether it was stored."""
        fields = {"_xsrf": self.session.cookies["_xsrf"], "party": "us",
                  **{f"q{n}": str(self.score) for n in range(len(FACTORS))}}
        sent = time.monotonic()
        reply = self.session.post(form_url, data=fields, timeout=30)
        return sent, time.monotonic(), reply.status_code == 200


async def browser_submit(page, form_url: str, score: int, go: asyncio.Event) -> tuple[float, float, float, bool]:
    """Load the form in a browser (timed), fill it, wait for the signal, send it."""
    started = time.perf_counter()
    await page.goto(form_url, wait_until="load")
    loaded = time.perf_counter() - started
    await page.select_option("#party", "us")
    for number in range(len(FACTORS)):
        await page.check(f'input[name="q{number}"][value="{score}"]')
    await go.wait()
    sent = time.monotonic()
    await page.click("button[type=submit]")
    await page.wait_for_selector("h1:text-is('Thank you')")
    return loaded, sent, time.monotonic(), True


async def watch(facilitator, target: int) -> list[tuple[float, int]]:
    """Read the facilitator's page every 50 ms until it shows ``target`` submissions (or time runs out)."""
    seen: list[tuple[float, int]] = []
    deadline = time.monotonic() + VIEW_TIMEOUT
    while time.monotonic() < deadline:
        text = await facilitator.evaluate(
            "(document.querySelector('.count') || {dataset: {}}).dataset.submissions || '0'")
        seen.append((time.monotonic(), int(text)))
        if int(text) >= target:
            break
        await asyncio.sleep(0.05)
    return seen


def view_delays(
    submissions: list[tuple[float, float, bool]], seen: list[tuple[float, int]], before: int
) -> list[float]:
    """Per submission: from sending it to the page first showing as many submissions as were done by then."""
    delays = []
    done = sorted((finished, sent) for sent, finished, ok in submissions if ok)
    for rank, (_, sent) in enumerate(done, start=1):
        shown = next((moment for moment, count in seen if count >= before + rank), None)
        if shown is not None:
            delays.append(shown - sent)
    return delays


async def run_room(args: argparse.Namespace, folder: Path) -> dict:
    """Run the rounds against a room in its own process; return the room's figures."""
    from playwright.async_api import async_playwright

    workspace_path = folder / "workspace.sqlite"
    seed_workspace(workspace_path).close()
    process, facilitator_url, join = start_room(workspace_path)
    pool = ThreadPoolExecutor(max_workers=args.participants)
    loop = asyncio.get_running_loop()
    try:
        admin = requests.Session()
        admin.get(facilitator_url, timeout=30)
        headers = {"X-XSRFToken": admin.cookies["_xsrf"]}
        started = admin.post(f"{facilitator_url}/start", data={"kind": "health"}, headers=headers, timeout=30)
        activity = started.json()["id"]
        admin.post(f"{facilitator_url}/a/{activity}/open", headers=headers, timeout=30)
        form_url = f"{join}/a/{activity}"
        static_url = join.split("/j/")[0] + "/static/room.css"

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            facilitator = await (await browser.new_context()).new_page()
            await facilitator.goto(facilitator_url)
            await facilitator.wait_for_selector(".count")  # the first results: the room's libraries are loaded
            memory_before = resident_mb(process.pid)
            pages = []
            for _ in range(args.browsers):
                page = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
                await page.goto(join)
                pages.append(page)
            clients = await asyncio.gather(*(loop.run_in_executor(pool, HttpParticipant, join, n)
                                             for n in range(args.participants - args.browsers)))
            page_loads: list[float] = []
            browser_loads: list[float] = []
            static_loads: list[float] = []
            delays: list[float] = []
            submitted = 0
            for _ in range(args.rounds):
                before = len(Workspace.open(workspace_path).responses(SAMPLE_PLAN))
                go = asyncio.Event()
                browser_tasks = [asyncio.create_task(browser_submit(page, form_url, n % 5 + 1, go))
                                 for n, page in enumerate(pages)]
                page_loads += await asyncio.gather(*(loop.run_in_executor(pool, c.load_form, form_url)
                                                     for c in clients))
                static_loads += [await loop.run_in_executor(pool, lambda: clients[0].load_form(static_url))
                                 for _ in range(5)]
                await asyncio.sleep(0.5)  # the browsers fill their forms meanwhile
                go.set()
                target = before + len(clients) + len(pages)
                watcher = asyncio.create_task(watch(facilitator, target))
                http_results = await asyncio.gather(*(loop.run_in_executor(pool, c.submit, form_url) for c in clients))
                browser_results = await asyncio.gather(*browser_tasks)
                browser_loads += [loaded for loaded, *_ in browser_results]
                results = list(http_results) + [(sent, finished, ok) for _, sent, finished, ok in browser_results]
                submitted += len(results)
                delays += view_delays(results, await watcher, before)
            memory_after = resident_mb(process.pid)
            await browser.close()
        stored = len(Workspace.open(workspace_path).responses(SAMPLE_PLAN))
    finally:
        process.terminate()
        process.wait(timeout=30)
        pool.shutdown()
    p95_page, p95_static = percentile(page_loads + browser_loads, 0.95), percentile(static_loads, 0.95)
    return {
        "submitted": submitted,
        "stored": stored,
        "lost": submitted - stored,
        "p50_submit_to_view_s": percentile(delays, 0.5),
        "p95_submit_to_view_s": percentile(delays, 0.95),
        "views_timed": len(delays),
        "p95_participant_page_s": p95_page,
        "p95_participant_page_http_s": percentile(page_loads, 0.95),
        "p95_participant_page_browser_s": percentile(browser_loads, 0.95),
        "p95_static_file_s (baseline)": p95_static,
        "participant page / static file, p95": p95_page / p95_static if p95_page and p95_static else None,
        "mb_before_participants": round(memory_before, 1),
        "mb_after_participants": round(memory_after, 1),
        "mb_per_participant": round((memory_after - memory_before) / args.participants, 3),
    }


async def time_voila(args: argparse.Namespace, folder: Path) -> list[float]:
    """Seconds from navigation to a step page's Save button, each Voilà step ``--repeat`` times."""
    from playwright.async_api import async_playwright

    workspace_path = folder / "voila.sqlite"
    seed_workspace(workspace_path).close()
    port = free_port(None)
    process = subprocess.Popen(voila_command(ROOT / "notebooks", port=port), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True,
                               env=jupyter_environment() | {"PARTNERLIB_WORKSPACE": str(workspace_path)})
    times = []
    try:
        if not wait_for_server(port, process, timeout=120):
            raise SystemExit("Voilà did not start")
        until_idle(process.pid, 300)  # the warm kernels draw their pages first, all at once
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.repeat):
                for step in VOILA_STEPS:
                    page = await browser.new_page()
                    started = time.perf_counter()
                    await page.goto(voila_url(port, step), timeout=300_000)
                    await page.get_by_role("button", name="Save").first.wait_for(timeout=300_000)
                    times.append(time.perf_counter() - started)
                    await page.close()
            await browser.close()
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=60)
    return times


def main() -> None:
    """Measure, print the figures and write them to ``--output``."""
    parser = argument_parser(__doc__)
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=5, help="How many participants are real browser contexts.")
    parser.add_argument("--rounds", type=int, default=5, help="How many times everyone submits at once.")
    parser.add_argument("--voila", action="store_true", help="Also time Voilà step pages (slow).")
    parser.add_argument("--repeat", type=int, default=3, help="Visits of each Voilà step page.")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.browsers < 1 or args.browsers > args.participants:
        parser.error("--browsers must be between 1 and --participants")
    figures: dict = {"participants": args.participants, "browsers": args.browsers, "rounds": args.rounds,
                     "load_average_start": round(load_average(), 2)}
    with tempfile.TemporaryDirectory() as folder:
        figures |= asyncio.run(run_room(args, Path(folder)))
        figures["load_average_after_room"] = round(load_average(), 2)
        voila = asyncio.run(time_voila(args, Path(folder))) if args.voila else []
        figures["p50_voila_step_s"] = statistics.median(voila) if voila else None
        figures["p95_voila_step_s"] = percentile(voila, 0.95)
        figures["load_average_after_voila"] = round(load_average(), 2) if voila else None
    figures["goals"] = {"lost": 0, "p95_submit_to_view_s": 2, "p95_participant_page_s": 1,
                        "mb_per_participant": 30, "p95_voila_step_s": 2}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(figures, indent=1) + "\n")
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
