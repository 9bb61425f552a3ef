"""Walk through every step of the workbook as a new user would, in Voilà and in JupyterLab.

Issue 17 lists what a new user tripped over. This walks the same path again and
checks each page for those faults, leaving a screenshot of every page and a
report in ``docs/walk/`` (``README.md``, ``results-voila.json``, ``results-lab.json`` and the images):

1. **Voilà, as a workshop sees it.** ``partnerlib present`` (the real command)
   serves a fresh copy of the sample workspace in a temporary folder, on a free
   port of 127.0.0.1. Chromium (``/usr/bin/chromium``, headless) opens every
   step page (00–13) at a projector's size (1280×800), waits until the page is
   usable (Voilà has shown the cells and the widgets stop appearing), takes a
   screenshot at the page's first form (or its top), and checks:

   - steps 1–11 show their form (a page drawn without it once passed every
     other check);
   - no code words: ``None``, "parameters cell", "run the cells", a keyword
     argument such as ``kpi="…"``, an import;
   - no traceback or error (``Traceback``, ``…Error``, Voilà's "There was an
     error"), no stderr output;
   - no "(s)" plurals, no "1 risks" (a count of one with a plural noun), no
     numbers written "1e+12", none of the issue's wordings ("Checkins",
     "None found", "EURO", "by sample", …);
   - no request to any host but this computer, no failed request and no
     answer of 400 or more (a CDN, a missing file);
   - no list inside a form that scrolls in a box of its own (the 320 px boxes
     of issue 17) and no multiple-selection list box or browser number spinner;
   - axe-core 4 (``tests/browser-tools``, ``npm ci --prefix tests/browser-tools``)
     finds no critical or serious violation (moderate ones are counted);
   - on step 12, the document links open (the files are written into the
     working copy's ``documents`` folder, named after the plan).

   Steps 00, 06, 10 and 11 are opened again at a phone's size (390×844):
   a screenshot, and the page must not be wider than the phone. Two small
   tasks follow: step 0 creates a plan (the list updates, the form empties,
   a brand-new plan shows 0 saves, a currency typed "euro" is quoted as typed)
   and step 6 types letters into Likelihood (a message naming the field).
   ``present`` is then stopped with SIGTERM, as a service manager does; its
   port must be free and none of its processes (Voilà, kernels) left.

2. **JupyterLab, as a person at a desk uses it.** ``partnerlib lab`` opens
   another fresh copy of the sample workspace. For every step Chromium opens
   the notebook, chooses *Run → Run All Cells*, waits until every cell has run,
   saves it (Ctrl+S), takes a screenshot at the first form and checks the
   outputs: no error or stderr output, and the same wording rules as above
   (code is expected there, so not the code words). After the last step,
   ``lab`` is stopped with SIGTERM (same checks), and then:

   - the committed ``notebooks/`` are unchanged (``git status``): lab saved
     into its working copy, not into the regression fixtures;
   - step 12 wrote its documents into the working copy's ``documents`` folder,
     named after the plan, and nothing into ``notebooks/documents``.

   Both servers' terminal output is checked too: no DeprecationWarning, no
   "running over TCP without encryption", no traceback. Each part also checks
   that the code it walked stayed as it was (the commit, and no edit under
   ``partnerlib/`` or ``notebooks/``): a merge under a running walk breaks
   pages that are not broken, so such a walk says to walk again.

Run it from the repository with the workbook's Python, on a machine where
nothing else needs the two cores for ten minutes or so::

    PYTHONPATH=$PWD .venv/bin/python tools/walk.py            # both, every step
    PYTHONPATH=$PWD .venv/bin/python tools/walk.py --only 06 10 --no-lab

The two parts can also run at once, in two terminals (``--no-lab`` in one,
``--no-voila`` in the other): each keeps its own results file, and the report
is written again from both after every page, so a walk stopped early still
leaves a report of what it saw (``--report`` writes it again from the files).
The exit code is 0 when no check failed, 1 otherwise. Screenshots are JPEG
(quality 60, about 100 KB each, some 4 MB in all). Every server it starts is
stopped at the end, also when a page fails; to stop a walk early, send SIGTERM
to its ``partnerlib present`` or ``lab`` first (they run in a session of their
own), then to the walk.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from partnerlib.app.present import free_port, voila_url, wait_for_server
from partnerlib.app.series import select_steps, series_notebooks
from partnerlib.core.formats import plural
from partnerlib.core.paths import WORKSPACE_ENV, plan_slug
from partnerlib.ui.workbook import DOCUMENTS_FOLDER

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "walk"
CHROMIUM = "/usr/bin/chromium"
#: Chromium without a sandbox, GPU or background traffic (see /work/shared/JUPYTER-NOTES.md).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
AXE = ROOT / "tests" / "browser-tools" / "node_modules" / "axe-core" / "axe.min.js"
PROJECTOR = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: The steps opened again on a phone: those with the longest forms.
PHONE_STEPS = ("00", "06", "10", "11")
#: The plan the sample workspace starts on (step 12 names its documents after it).
SAMPLE_PLAN = "Riverside Community Health"
#: Seconds to wait for a page to become usable (a cold page on a busy 2-core machine: a minute).
PAGE_TIMEOUT_S = 300
#: Seconds to wait for one step of JupyterLab's Run All Cells.
RUN_ALL_TIMEOUT_S = 600
#: Milliseconds for a single action (a click, a widget round trip).
ACTION_MS = 30_000
#: Milliseconds a usable page gets to show its step's form (the browser builds it after the results).
FORM_TIMEOUT_MS = 30_000
JPEG_QUALITY = 60
#: Seconds a server gets to stop after SIGTERM before it is killed (and the walk says so).
STOP_GRACE_S = 45

#: Words that belong in code, not on a workshop page (checked in Voilà only).
CODE_WORDS = {
    r"\bNone\b": "Python's None",
    r"parameters cell": "the parameters cell",
    r"(?i)run the cells": "cells to run",
    r"\b[a-z_]+=\"": 'a keyword argument (kpi="…")',
    r"\b[a-z_]+\(\)": "a function call",
    r"from partnerlib import": "an import",
}
#: Signs of a failure in what a page shows.
ERROR_WORDS = {
    r"Traceback": "a traceback",
    r"\b[A-Z][A-Za-z]*Error\b": "an exception's name",
    r"\bError\b": "the word Error",
    r"There was an error": "Voilà's failed cell",
    r"model not found": "a widget the browser could not find (model not found)",
}
#: Words ending in s that may follow a "1" in good English.
_NOT_PLURALS = [
    "is", "was", "has", "this", "its", "as", "us", "yes", "plus", "thus", "status", "across", "less",
    "process", "access", "address", "progress", "business", "focus", "bonus", "census", "campus", "bus", "news",
]
#: Grammar and number formats of issue 17 (a regular expression each, and what it finds).
WORDING = {
    r"\w\(s\)": "a plural written (s)",
    r"(?<![\d.,:/])(?<![Ss]tep )(?<![Pp]age )\b1 (?!(?:" + "|".join(_NOT_PLURALS) + r")\b)[a-z]+s\b":
        "one with a plural noun",
    r"\b\d+(?:\.\d+)?e[+-]?\d+\b": "a number written like 1e+12",
    r"\bCheckins\b": "Checkins",
    r"None found:": "'None found:' before a list",
    r"Revisions saved": "a new plan's revisions counted",
    r"\bby sample\b": "'by sample' on the cover",
    r"\bEURO\b": "a typed currency changed",
    r": has no\b": "a sentence cut after a colon",
    r"The executive summary\s*\n\s*Executive summary": "a heading repeated",
}
#: Issue 17's terminal lines.
TERMINAL_WORDS = {
    r"DeprecationWarning": "a DeprecationWarning",
    r"without encryption": "'Kernel is running over TCP without encryption'",
    r"Traceback": "a traceback",
    r"Timeout waiting for IOPub output": "a cell's outputs not waited for (a page drawn without them)",
}

# ---------------------------------------------------------------- what a visit found


@dataclass
class Check:
    """One check on one page: passed (True), failed (False) or only noted (None), and what was seen."""

    name: str
    passed: bool | None
    detail: str = ""


@dataclass
class Visit:
    """One page as the walk met it: where, how long until usable, its screenshot and its checks."""

    where: str
    step: str
    title: str = ""
    seconds: float = 0.0
    screenshot: str = ""
    checks: list[Check] = field(default_factory=list)

    def check(self, name: str, passed: bool | None, detail: str = "") -> None:
        """Record a check's result."""
        self.checks.append(Check(name, passed, detail))

    @property
    def failed(self) -> list[Check]:
        """The checks that found a defect."""
        return [check for check in self.checks if check.passed is False]


class Record:
    """What one part of the walk ("voila" or "lab") found so far, saved after every page.

    Each part keeps its own ``results-PART.json`` in the report's folder, and the
    report is written again from every part's file after each page: two parts can
    run at once (``--no-lab`` and ``--no-voila`` in two terminals), and a walk that
    is interrupted still leaves a report of what it saw.
    """

    def __init__(self, out: Path, part: str, steps: list[Path]) -> None:
        self.out, self.part, self.steps = out, part, [step.stem for step in steps]
        self.started = dt.datetime.now(dt.UTC)
        self.code = _code_state()
        self.visits: list[Visit] = []
        self.checks: list[Check] = []

    def add(self, visit: Visit) -> None:
        """Keep a page's visit, say it, and save."""
        self.visits.append(visit)
        _say(visit)
        self.save()

    def save(self) -> None:
        """Write this part's results and the report from every part's."""
        (self.out / f"results-{self.part}.json").write_text(json.dumps(
            {"part": self.part, "date": f"{self.started:%Y-%m-%d %H:%M}",
             "commit": self.code[0],
             "steps": self.steps, "session": [asdict(c) for c in self.checks],
             "visits": [asdict(v) for v in self.visits]}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        write_report(self.out)

    def code_check(self) -> Check:
        """Whether the code walked stayed as it was: a merge or an edit under a running walk breaks pages."""
        commit, code = _code_state()
        if code == self.code[1]:
            return Check("the code stayed as it was during the walk", True, f"partnerlib/ and notebooks/ of {commit}")
        return Check("the code stayed as it was during the walk", False,
                     f"partnerlib/ or notebooks/ changed (commit {self.code[0]}, then {commit}): "
                     "a page's failure may be the change's, not the product's; walk again")


def _git(*arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def _code_state() -> tuple[str, str]:
    """The commit, and a digest of the library and the notebooks as they are (committed or not)."""
    walked = ("--", "partnerlib", "notebooks")
    code = _git("rev-parse", "HEAD:partnerlib", "HEAD:notebooks") + _git("diff", "HEAD", *walked) + _git(
        "status", "--porcelain", *walked)
    return _git("rev-parse", "--short", "HEAD"), hashlib.sha256(code.encode()).hexdigest()[:12]


def _found(rules: dict[str, str], text: str) -> list[str]:
    """Say what each rule finds in the text: its meaning and up to three quotes."""
    found = []
    for pattern, meaning in rules.items():
        hits = [match.group(0) for match in re.finditer(pattern, text)]
        if hits:
            quotes = ", ".join(f"“{_context(text, hit)}”" for hit in dict.fromkeys(hits[:3]))
            found.append(f"{meaning} ({len(hits)}×: {quotes})")
    return found


def _context(text: str, hit: str, width: int = 30) -> str:
    """A hit with a few words either side, on one line."""
    at = text.find(hit)
    snippet = text[max(at - width, 0): at + len(hit) + width]
    return " ".join(snippet.split())


def _text_checks(visit: Visit, text: str, *, code_words: bool) -> None:
    if code_words:
        found = _found(CODE_WORDS, text)
        visit.check("no code words", not found, "; ".join(found))
    found = _found(ERROR_WORDS, text)
    visit.check("no error or traceback", not found, "; ".join(found))
    found = _found(WORDING, text)
    visit.check("wording and numbers", not found, "; ".join(found))


# ---------------------------------------------------------------- the servers


@dataclass
class Server:
    """A ``partnerlib`` server the walk started: its process, port, folder and terminal log."""

    name: str
    process: subprocess.Popen
    port: int
    folder: Path
    log: Path
    workspace: Path

    @property
    def working_copy(self) -> Path:
        """The working copy of the notebooks the server opened: ``workbook`` beside the workspace."""
        return self.folder / "workbook"


def _start(name: str, arguments: list[str], folder: Path, port: int) -> Server:
    """Start ``partnerlib ARGUMENTS`` on a fresh workspace in ``folder``, its output in a log."""
    workspace = folder / "workspace.sqlite"
    log_path = folder / f"{name}.log"
    environment = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                                WORKSPACE_ENV: str(workspace), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "partnerlib.app.cli", *arguments[:1], "--workspace", str(workspace),
               *arguments[1:]]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT,
                                   cwd=folder, start_new_session=True)
    server = Server(name, process, port, folder, log_path, workspace)
    if not wait_for_server(port, process, timeout=PAGE_TIMEOUT_S):
        _stop(server)
        raise SystemExit(f"{name} did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
    return server


def _descendants(workspace: Path) -> list[int]:
    """The processes (this user's) whose environment names this workspace: the server and its kernels."""
    mark = f"{WORKSPACE_ENV}={workspace}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if mark in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
    return found


def _stop(server: Server) -> Check:
    """Stop a server with SIGTERM, as a service manager does; say whether it left anything behind."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=STOP_GRACE_S)
        ended = True
    except subprocess.TimeoutExpired:
        ended = False
    time.sleep(1)
    left = _descendants(server.workspace)
    for pid in left:  # started by this walk (through the server): end them, and report it
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    if not ended:
        server.process.kill()
        server.process.wait()
    port_free = _port_free(server.port)
    problems = []
    if not ended:
        problems.append(f"still running {STOP_GRACE_S} s after SIGTERM")
    if left:
        problems.append(f"left {len(left)} processes running (kernels or server)")
    if not port_free:
        problems.append(f"port {server.port} still taken")
    return Check(f"{server.name} stops on SIGTERM", not problems,
                 "; ".join(problems) or f"ended, port {server.port} free, no kernel left")


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a server binds: TIME_WAIT is no owner
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _terminal_check(server: Server) -> Check:
    text = server.log.read_text(errors="replace")
    found = _found(TERMINAL_WORDS, text)
    return Check(f"{server.name}'s terminal output", not found,
                 "; ".join(found) or f"{len(text.splitlines())} lines, clean")


# ---------------------------------------------------------------- the browser


@contextlib.contextmanager
def _browser(profile: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport=PROJECTOR,
        )
        try:
            yield context
        finally:
            context.close()
    finally:
        playwright.stop()


class Traffic:
    """The requests a page made: to other hosts, failed, or answered with an error."""

    def __init__(self, page) -> None:
        self.external: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))
        page.on("pageerror", lambda e: self.console.append(str(e)))
        page.on("console", lambda m: m.type == "error" and self.console.append(m.text))

    def _request(self, request) -> None:
        host = re.sub(r"^\w+://([^/:]+).*$", r"\1", request.url)
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in ("127.0.0.1", "localhost"):
            self.external.append(request.url)

    def record(self, visit: Visit) -> None:
        """Record what the page asked for as the visit's checks."""
        visit.check("asks only this computer", not self.external, "; ".join(self.external[:5]))
        # A kernel's websocket closed by leaving the page is not a failure of the page.
        failed = [line for line in self.failed if "/api/kernels/" not in line]
        visit.check("no failed request", not failed and not self.errors, "; ".join((failed + self.errors)[:5]))
        if self.console:
            visit.check("browser console errors (noted)", None, "; ".join(dict.fromkeys(self.console[:5])))


#: Scroll boxes: elements that scroll vertically on their own, with what they hold.
_SCROLL_BOXES = """root => [...root.querySelectorAll('*')].filter(e => {
    const s = getComputedStyle(e);
    return ['auto', 'scroll'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + 1
        && e.clientHeight > 0 && !e.classList.contains('jp-WindowedPanel-outer') && e.tagName !== 'TEXTAREA';
}).map(e => ({
    what: e.tagName.toLowerCase() + '.' + [...e.classList].slice(0, 3).join('.'),
    height: e.clientHeight, full: e.scrollHeight,
    inForm: !!e.closest('.partnerlib-form'),
    records: e.querySelectorAll('table.partnerlib-records tbody tr, .widget-checkbox').length,
    checklist: !!e.closest('.partnerlib-checklist'),
}))"""

#: Words wider than the cell of a table that holds them: cut in two (or spilling out).
_BROKEN_WORDS = """root => {
    const found = [];
    for (const cell of root.querySelectorAll('td, th')) {
        if (!cell.offsetParent || !cell.innerText.trim()) continue;
        const s = getComputedStyle(cell);
        const room = cell.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        const probe = document.createElement('span');  // the cell's own font, on one line
        probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
        cell.appendChild(probe);
        const word = cell.innerText.split(/\\s+|(?<=-)/).slice(0, 40).find(w => {
            probe.textContent = w;
            return probe.getBoundingClientRect().width > room + 1;
        });
        probe.remove();
        if (word) found.push(word);
    }
    return found;
}"""

_SHAPES = """root => ({
    multiple: root.querySelectorAll('select[multiple]').length,
    spinners: root.querySelectorAll('input[type=number]').length,
    dates: root.querySelectorAll('input[type=date]').length,
    stderr: root.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length,
    wide: document.documentElement.scrollWidth - window.innerWidth,
})"""

#: Scroll a page so an element sits near the top with a little of what is above it.
_SCROLL_TO = """e => {
    e.scrollIntoView({block: 'start'});
    let s = e.parentElement;
    while (s && !(s.scrollHeight > s.clientHeight + 1 && ['auto', 'scroll'].includes(getComputedStyle(s).overflowY)))
        s = s.parentElement;
    (s || document.scrollingElement).scrollTop -= 140;
}"""


def _layout_checks(visit: Visit, page, root: str) -> None:
    shapes = page.locator(root).first.evaluate(_SHAPES)
    boxes = page.locator(root).first.evaluate(_SCROLL_BOXES)
    lists = [b for b in boxes if b["inForm"] and not b["checklist"]]
    visit.check("form lists not in scroll boxes", not lists,
                "; ".join(f"{b['what']}: {b['records']} rows in a {b['height']} px box of {b['full']} px"
                          for b in lists))
    checklists = [b for b in boxes if b["checklist"]]
    if checklists:
        visit.check("checkbox columns that scroll (noted)", None,
                    "; ".join(f"{b['records']} boxes in {b['height']} px" for b in checklists))
    visit.check("no Ctrl-click lists or spinners", not shapes["multiple"] and not shapes["spinners"],
                f"{shapes['multiple']} multiple-selection lists, {shapes['spinners']} number spinners"
                if shapes["multiple"] or shapes["spinners"] else "")
    broken = page.locator(root).first.evaluate(_BROKEN_WORDS)
    visit.check("no word cut in two in a table", not broken,
                f"{len(broken)} cells, e.g. " + ", ".join(dict.fromkeys(broken[:6])) if broken else "")
    if shapes["dates"]:
        visit.check("date boxes in the browser's own format", False, f"{shapes['dates']} date boxes")
    visit.check("no stderr output", not shapes["stderr"], f"{shapes['stderr']} outputs" if shapes["stderr"] else "")


def _axe(visit: Visit, page) -> None:
    if not AXE.exists():
        visit.check("axe-core: no critical or serious violation", None,
                    "not run: axe-core is missing (npm ci --prefix tests/browser-tools)")
        return
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    blocking = [v for v in found if v["impact"] in ("critical", "serious")]
    visit.check("axe-core: no critical or serious violation", not blocking,
                "; ".join(f"{v['impact']} {v['id']} ×{len(v['nodes'])} ({v['nodes'][0]['target']})" for v in blocking))
    other = [v for v in found if v["impact"] not in ("critical", "serious")]
    if other:
        visit.check("axe-core: moderate or minor (noted)", None,
                    "; ".join(f"{v['impact']} {v['id']} ×{len(v['nodes'])}" for v in other))


def _screenshot(page, out: Path, name: str, anchor: str | None) -> str:
    if anchor and page.locator(anchor).count():
        page.locator(anchor).first.evaluate(_SCROLL_TO)
        page.wait_for_timeout(300)
    else:
        page.evaluate("() => { document.scrollingElement.scrollTop = 0; }")
    path = out / f"{name}.jpg"
    page.screenshot(path=str(path), type="jpeg", quality=JPEG_QUALITY)
    return path.name


def _has_form(step: Path) -> bool:
    """Whether a step's notebook shows a section editor (steps 1 to 11)."""
    return "section_editor(" in step.read_text(encoding="utf-8")


def _form_check(visit: Visit, page, step: Path, root: str) -> None:
    """A step with a section editor shows its form (Voilà once drew such pages without it, now and then)."""
    if not _has_form(step):
        return
    form = page.locator(f"{root} .partnerlib-form").first
    with contextlib.suppress(Exception):
        form.wait_for(timeout=FORM_TIMEOUT_MS)
    shown = form.count() > 0
    visit.check("the step's form is on the page", shown, "" if shown else f"no form after {FORM_TIMEOUT_MS // 1000} s")


def _title(page, root: str) -> str:
    heading = page.locator(f"{root} h1").first
    return heading.inner_text().strip() if heading.count() else ""


# ---------------------------------------------------------------- Voilà


def _settle_voila(page) -> None:
    """Wait until Voilà has shown the cells and the widgets stop appearing (bounded)."""
    page.wait_for_function(
        "() => { const m = document.querySelector('#rendered_cells'); return m && m.style.display !== 'none'; }",
        timeout=PAGE_TIMEOUT_S * 1000,
    )
    count, still = -1, 0
    for _ in range(100):
        now = page.locator(".jupyter-widgets").count()
        still = still + 1 if now == count else 0
        if still >= 4:
            return
        count = now
        page.wait_for_timeout(300)


def _voila_page(context, port: int, step: Path, out: Path, *, viewport: dict, label: str, full: bool) -> Visit:
    visit = Visit(label, step.stem)
    page = context.new_page()
    page.set_viewport_size(viewport)
    page.set_default_timeout(ACTION_MS)
    traffic = Traffic(page)
    try:
        started = time.monotonic()
        page.goto(voila_url(port, step.name), timeout=PAGE_TIMEOUT_S * 1000)
        _settle_voila(page)
        _form_check(visit, page, step, "#rendered_cells")
        visit.seconds = round(time.monotonic() - started, 1)
        visit.title = _title(page, "#rendered_cells")
        suffix = "phone" if viewport is PHONE else "voila"
        visit.screenshot = _screenshot(page, out, f"{step.stem[:2]}-{suffix}",
                                       ".partnerlib-form, .jupyter-widgets, .jp-RenderedHTML table")
        if viewport is PHONE:
            wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            visit.check("fits a phone's width", wide <= 1, f"{wide} px wider than the phone" if wide > 1 else "")
            return visit
        text = page.locator("#rendered_cells").inner_text()
        visit.check("no code shown", page.locator(".jp-CodeCell .jp-InputArea:visible").count() == 0)
        _text_checks(visit, text, code_words=True)
        _layout_checks(visit, page, "#rendered_cells")
        _axe(visit, page)
        if step.stem.startswith("12"):
            _document_links(visit, page, port)
        traffic.record(visit)
        if full:
            page.screenshot(path=str(out / f"{step.stem[:2]}-voila-full.jpg"), type="jpeg", quality=40, full_page=True)
    except Exception as error:  # a page that never became usable is a finding, not the end of the walk
        visit.check("page usable", False, f"{type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        page.close()
    return visit


def _document_links(visit: Visit, page, port: int) -> None:
    """Step 12's links to the plan document open, and the files are named after the plan."""
    links = page.locator("#rendered_cells a[href*='documents/']")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    base = page.url
    statuses = []
    for href in hrefs:
        url = urllib.parse.urljoin(base, href)
        try:
            with urllib.request.urlopen(url, timeout=60) as answer:
                statuses.append((href, answer.status))
        except OSError as error:
            statuses.append((href, getattr(error, "code", str(error))))
    slug = plan_slug(SAMPLE_PLAN)
    named = bool(hrefs) and all(slug in href for href in hrefs)
    broken = [f"{href}: {status}" for href, status in statuses if status != 200]
    visit.check("document links open, named after the plan", named and not broken,
                "; ".join(broken) or ", ".join(urllib.parse.unquote(h) for h in hrefs) or "no link to the documents")


def _create_a_plan(context, port: int) -> Visit:
    """Step 0: create a plan with a misspelt currency, then properly; the list and form follow."""
    visit = Visit("Voilà task", "00_start_here", "Create a plan")
    page = context.new_page()
    page.set_default_timeout(ACTION_MS)
    name = "Walk: island health 2027"
    try:
        page.goto(voila_url(port, "00_start_here.ipynb"), timeout=PAGE_TIMEOUT_S * 1000)
        _settle_voila(page)
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Organisation", exact=True).fill("Walk organisation")
        page.get_by_label("Unit (SSU)", exact=True).fill("Island clinics")
        page.get_by_label("Currency", exact=True).fill("euro")
        page.get_by_role("button", name="Create plan").click()
        message = page.get_by_role("status").last
        message.get_by_text("Not created").wait_for()
        said = message.inner_text()
        visit.check("a wrong currency is quoted as typed", "euro" in said and "EURO" not in said, said)
        page.get_by_label("Currency", exact=True).fill("EUR")
        page.get_by_role("button", name="Create plan").click()
        page.get_by_role("status").last.get_by_text("Created").wait_for()
        row = page.locator("table").filter(has_text="The plans in this workspace").locator("tr", has_text=name)
        with contextlib.suppress(Exception):
            row.first.wait_for(timeout=15_000)
        listed = row.count() == 1
        cells = row.first.locator("td").all_inner_texts() if listed else []
        visit.check("the plan list shows the new plan", listed, " | ".join(cells))
        visit.check("a new plan shows no saves", listed and cells[-1].strip() == "0", " | ".join(cells))
        # ipywidgets writes a dropdown's spaces as no-break spaces (U+00A0) in its options.
        offered = page.get_by_label("Plan", exact=True).locator("option").all_inner_texts()
        in_dropdown = name in [option.replace("\xa0", " ") for option in offered]
        visit.check("the plan to work on offers it", in_dropdown)
        emptied = page.get_by_label("Name", exact=True).input_value() == ""
        visit.check("the form empties after Create", emptied)
        page.get_by_role("button", name="Create plan").click()
        again = page.get_by_role("status").last
        again.get_by_text("Not created").wait_for()
        said = again.inner_text()
        visit.check("Create again says what is missing", "Name must not be empty" in said, said)
    except Exception as error:
        visit.check("task done", False, f"{type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        page.close()
    return visit


def _letters_in_a_number(context, port: int) -> Visit:
    """Step 6: letters typed into Likelihood stay and get a message naming the field by its label."""
    visit = Visit("Voilà task", "06_risk_and_conflict", "Letters in a number field")
    page = context.new_page()
    page.set_default_timeout(ACTION_MS)
    try:
        page.goto(voila_url(port, "06_risk_and_conflict.ipynb"), timeout=PAGE_TIMEOUT_S * 1000)
        _settle_voila(page)
        page.get_by_role("button", name="Add").first.click()
        box = page.get_by_label("Likelihood", exact=True)
        box.fill("three")
        box.press("Tab")
        holder = box.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
        holder.get_by_text("Likelihood").last.wait_for()
        page.wait_for_timeout(1000)
        said = holder.inner_text()
        visit.check("what was typed stays", box.input_value() == "three", box.input_value())
        visit.check("a message names the field by its label",
                    "Likelihood must" in said and "'likelihood'" not in said, " ".join(said.split()))
        page.get_by_role("button", name="Cancel", exact=True).click()
    except Exception as error:
        visit.check("task done", False, f"{type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        page.close()
    return visit


def walk_voila(steps: list[Path], record: Record, folder: Path, *, full: bool) -> None:
    """Present the workbook and visit every step, keeping what each page and the server showed."""
    port = free_port(None)
    out = record.out
    server = _start("present", ["present", "--port", str(port), "--no-browser"], folder, port)
    try:
        with _browser(folder / "chromium") as context:
            for step in steps:
                record.add(_voila_page(context, port, step, out, viewport=PROJECTOR, label="Voilà", full=full))
            for step in steps:
                if step.stem[:2] in PHONE_STEPS:
                    record.add(_voila_page(context, port, step, out, viewport=PHONE, label="Voilà on a phone",
                                           full=False))
            if any(s.stem.startswith("06") for s in steps):
                record.add(_letters_in_a_number(context, port))
            if any(s.stem.startswith("00") for s in steps):
                record.add(_create_a_plan(context, port))
    finally:
        stopped = _stop(server)
    record.checks += [stopped, _terminal_check(server), record.code_check()]
    written = sorted(p.name for p in (server.working_copy / DOCUMENTS_FOLDER).glob("*"))
    if any(s.stem.startswith("12") for s in steps):
        record.checks.append(Check("Voilà's step 12 writes into the working copy", bool(written),
                                   f"{server.working_copy.name}/{DOCUMENTS_FOLDER}: {', '.join(written) or 'nothing'}"))
    record.save()


# ---------------------------------------------------------------- JupyterLab

#: Every code cell of the open notebook has run and the kernel is idle (needs expose_app_in_browser).
_LAB_DONE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.sessionContext || !panel.content) return false;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    if (!kernel || kernel.status !== 'idle') return false;
    const cells = [...panel.content.model.cells].filter(c => c.type === 'code');
    const running = [...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'));
    return !running && cells.every(c => c.executionCount !== null);
}"""
#: The open notebook's outputs from its model: errors, stderr, and the text of the others.
_LAB_OUTPUTS = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const found = {errors: [], stderr: [], unrun: 0};
    for (const cell of panel.content.model.cells) {
        if (cell.type !== 'code') continue;
        if (cell.executionCount === null) found.unrun += 1;
        for (let i = 0; i < cell.outputs.length; i++) {
            const o = cell.outputs.get(i).toJSON();
            if (o.output_type === 'error') found.errors.push(o.ename + ': ' + o.evalue);
            if (o.output_type === 'stream' && o.name === 'stderr') found.stderr.push(String(o.text).slice(0, 200));
        }
    }
    return found;
}"""
#: The text the outputs show (styles and scripts left out), from the page.
_OUTPUT_TEXT = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea')].map(a => {
    const copy = a.cloneNode(true);
    copy.querySelectorAll('style, script').forEach(e => e.remove());
    return copy.innerText || copy.textContent;
}).join('\\n')"""


def _lab_page(context, port: int, step: Path, out: Path, working_copy: Path) -> Visit:
    visit = Visit("JupyterLab", step.stem)
    page = context.new_page()
    page.set_default_timeout(ACTION_MS)
    traffic = Traffic(page)
    saved_before = (working_copy / step.name).stat().st_mtime
    try:
        started = time.monotonic()
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{step.name}?reset", timeout=PAGE_TIMEOUT_S * 1000)
        page.wait_for_function(
            "() => { const p = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return !!(p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel"
            " && p.sessionContext.session.kernel.status === 'idle'); }",
            timeout=PAGE_TIMEOUT_S * 1000,
        )
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            visit.check("no dialog on opening", False, " ".join(dialog.inner_text().split())[:200])
            page.keyboard.press("Enter")
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
        page.wait_for_timeout(2000)
        page.wait_for_function(_LAB_DONE, timeout=RUN_ALL_TIMEOUT_S * 1000, polling=1000)
        visit.seconds = round(time.monotonic() - started, 1)
        visit.title = page.evaluate(
            "() => { const h = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) h1');"
            " return h ? h.innerText.replace(/¶$/, '').trim() : ''; }")
        _form_check(visit, page, step, ".jp-NotebookPanel:not(.lm-mod-hidden)")
        outputs = page.evaluate(_LAB_OUTPUTS)
        unrun = f" ({outputs['unrun']} cells not run)" if outputs["unrun"] else ""
        visit.check("every cell ran without an error", not outputs["errors"] and not outputs["unrun"],
                    "; ".join(outputs["errors"][:3]) + unrun)
        visit.check("no stderr output", not outputs["stderr"], " | ".join(outputs["stderr"][:3]))
        text = page.evaluate(_OUTPUT_TEXT)
        _text_checks(visit, text, code_words=False)
        _layout_checks(visit, page, ".jp-NotebookPanel:not(.lm-mod-hidden)")
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+s")
        page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=ACTION_MS)
        visit.check("Ctrl+S saves into the working copy", (working_copy / step.name).stat().st_mtime > saved_before,
                    f"{working_copy.name}/{step.name}")
        visit.screenshot = _screenshot(page, out, f"{step.stem[:2]}-lab",
                                       ".jp-NotebookPanel:not(.lm-mod-hidden) .partnerlib-form, "
                                       ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .jupyter-widgets, "
                                       ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output table")
        traffic.record(visit)
    except Exception as error:
        visit.check("page usable", False, f"{type(error).__name__}: {str(error).splitlines()[0]}")
        with contextlib.suppress(Exception):
            visit.screenshot = _screenshot(page, out, f"{step.stem[:2]}-lab", None)
    finally:
        with contextlib.suppress(Exception):  # give the kernel back before the next step
            page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.sessionContext.shutdown(); }")
        page.close()
    return visit


def _git_status(path: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain", "--", str(path)], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def walk_lab(steps: list[Path], record: Record, folder: Path) -> None:
    """Open the workbook in JupyterLab, run and save every step, keeping what each page and the session showed."""
    port = free_port(None)
    before = _git_status(ROOT / "notebooks")
    committed_documents = ROOT / "notebooks" / DOCUMENTS_FOLDER
    documents_before = sorted(committed_documents.glob("*")) if committed_documents.exists() else []
    server = _start("lab", ["lab", "--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
                            "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=",
                            "--LabApp.expose_app_in_browser=True"], folder, port)
    try:
        with _browser(folder / "chromium") as context:
            for step in steps:
                record.add(_lab_page(context, port, step, record.out, server.working_copy))
    finally:
        stopped = _stop(server)
    after = _git_status(ROOT / "notebooks")
    documents_after = sorted(committed_documents.glob("*")) if committed_documents.exists() else []
    record.checks += [
        stopped,
        _terminal_check(server),
        record.code_check(),
        Check("the committed notebooks are unchanged", after == before,
              f"git status notebooks/: {after or 'clean'}" + (f" (before: {before})" if before else "")),
        Check("nothing written into notebooks/documents", documents_after == documents_before,
              ", ".join(p.name for p in documents_after if p not in documents_before)),
    ]
    if any(s.stem.startswith("12") for s in steps):
        written = sorted(p.name for p in (server.working_copy / DOCUMENTS_FOLDER).glob("*"))
        slug = plan_slug(SAMPLE_PLAN)
        record.checks.append(Check("step 12 writes its documents into the working copy, named after the plan",
                                   {f"{slug}.html", f"{slug}.xlsx"} <= set(written),
                                   f"{server.working_copy.name}/{DOCUMENTS_FOLDER}: {', '.join(written) or 'nothing'}"))
    record.save()


# ---------------------------------------------------------------- the report


def _say(visit: Visit) -> None:
    mark = "FAIL" if visit.failed else "ok"
    print(f"[{mark}] {visit.where} {visit.step} ({visit.seconds} s)", flush=True)
    for check in visit.failed:
        print(f"       {check.name}: {check.detail}", flush=True)


def _cell(text: str) -> str:
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _verdict(check: Check | None) -> str:
    if check is None:
        return "–"
    mark = {True: "✔", False: "✘", None: "·"}[check.passed]
    return f"{mark} {_cell(check.detail)}".strip()


def _command_help() -> Check:
    text = subprocess.run([sys.executable, "-m", "partnerlib.app.cli", "present", "--help"], cwd=ROOT,
                          capture_output=True, text=True, env=os.environ | {"PYTHONPATH": str(ROOT)}).stdout
    stale = "reload a page" in text
    return Check("`partnerlib present --help` is up to date", not stale,
                 "says 'reload a page to see its results update'" if stale else "no 'reload a page'")


#: How wide each screenshot shows in the report (pixels): a phone's narrower.
_WIDTHS = {"Voilà on a phone": 240}


def _load(out: Path) -> tuple[list[dict], list[Visit], list[Check], list[str]]:
    """Read every part's results: the parts, their visits, their session checks and the steps walked."""
    parts = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(out.glob("results-*.json"))]
    visits = [Visit(**{**v, "checks": [Check(**c) for c in v["checks"]]}) for part in parts for v in part["visits"]]
    checks = [Check(**c) for part in parts for c in part["session"]]
    steps = sorted({step for part in parts for step in part["steps"]})
    return parts, visits, checks, steps


def write_report(out: Path) -> None:
    """Write docs/walk/README.md from every part's results: a table per page, with its screenshots."""
    parts, visits, checks, steps = _load(out)
    branch = _git("branch", "--show-current")
    dirty = bool(_git("status", "--porcelain", "--", "partnerlib", "notebooks"))
    runs = "; ".join(f"{part['part']} on {part['date']} UTC from commit `{part['commit']}`"
                     f" ({plural(len(part['visits']), 'page')}{'' if part['session'] else ', not finished'})"
                     for part in parts)
    failed = [c for v in visits for c in v.failed] + [c for c in checks if c.passed is False]
    lines = [
        "# A new user's walk through the workbook",
        "",
        f"Made by `tools/walk.py` (branch `{branch}`{', with uncommitted changes' if dirty else ''}): {runs}. "
        "Each server served a fresh copy of the sample workspace in a temporary folder: Voilà through "
        "`partnerlib present`, JupyterLab through `partnerlib lab` (every step run with *Run → Run All Cells*, "
        "then saved with Ctrl+S). Chromium at a projector's size (1280×800); four steps again at a phone's "
        "(390×844). How to run it and what each check means: the docstring of `tools/walk.py`.",
        "",
        f"**{plural(len(failed), 'check')} failed.** ✔ passed, ✘ failed, · noted (not a failure), – not checked there.",
        "",
        "## The whole session",
        "",
        "| check | result |",
        "|---|---|",
        *(f"| {_cell(c.name)} | {_verdict(c)} |" for c in checks),
        "",
        "## Every page at a glance",
        "",
        "| step | Voilà | JupyterLab | phone |",
        "|---|---|---|---|",
    ]
    by_place: dict[tuple[str, str], Visit] = {(v.where, v.step): v for v in visits}

    def summary(where: str, step: str) -> str:
        visit = by_place.get((where, step))
        if visit is None:
            return "–"
        return f"✘ {len(visit.failed)} ({visit.seconds} s)" if visit.failed else f"✔ ({visit.seconds} s)"

    for step in steps:
        lines.append(f"| [{step}](#{step}) | {summary('Voilà', step)} | "
                     f"{summary('JupyterLab', step)} | {summary('Voilà on a phone', step)} |")
    for step in steps:
        here = [by_place.get((where, step)) for where in ("Voilà", "JupyterLab", "Voilà on a phone")]
        title = next((v.title for v in here if v and v.title), "")
        lines += ["", f"## {step}", "", f"**{_cell(title)}**" if title else "", ""]
        shots = [(v.where, v.screenshot) for v in here if v and v.screenshot]
        lines.append(" ".join(
            f'<a href="{shot}"><img src="{shot}" alt="{where}: {step}" width="{_WIDTHS.get(where, 400)}"></a>'
            for where, shot in shots))
        names = list(dict.fromkeys(c.name for v in here[:2] if v for c in v.checks))
        lines += ["", "| check | Voilà | JupyterLab |", "|---|---|---|"]
        for name in names:
            found = [next((c for c in v.checks if c.name == name), None) if v else None for v in here[:2]]
            lines.append(f"| {_cell(name)} | {_verdict(found[0])} | {_verdict(found[1])} |")
        lines.append(f"| usable after (seconds) | {here[0].seconds if here[0] else '–'} | "
                     f"{here[1].seconds if here[1] else '–'} (opened, run and saved) |")
        if here[2]:
            lines += [f"| on a phone: {_cell(c.name)} | {_verdict(c)} | – |" for c in here[2].checks]
        for task in (v for v in visits if v.where == "Voilà task" and v.step == step):
            lines += ["", f"**Task: {task.title}**", "", "| check | result |", "|---|---|"]
            lines += [f"| {_cell(c.name)} | {_verdict(c)} |" for c in task.checks]
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Walk the workbook; write the report; return 1 if any check failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=[], metavar="STEP", help="Only these steps (e.g. 06 10).")
    parser.add_argument("--out", type=Path, default=OUT, help="Where the report and screenshots go.")
    parser.add_argument("--no-voila", action="store_true", help="Skip the Voilà walk.")
    parser.add_argument("--no-lab", action="store_true", help="Skip the JupyterLab walk.")
    parser.add_argument("--report", action="store_true",
                        help="Only write README.md again from the saved results-*.json (walk nothing).")
    parser.add_argument("--full", action="store_true", help="Also save full-page screenshots of Voilà (not committed).")
    args = parser.parse_args(argv)
    if args.report:
        write_report(args.out)
        return 0
    steps = select_steps(series_notebooks(ROOT / "notebooks"), args.only)
    args.out.mkdir(parents=True, exist_ok=True)
    parts = [part for part, skip in (("voila", args.no_voila), ("lab", args.no_lab)) if not skip]
    for part in parts:  # this run's part starts afresh; another part's results stay in the report
        for old in [*args.out.glob(f"*-{'lab' if part == 'lab' else '[vp]*'}.jpg"), args.out / f"results-{part}.json"]:
            old.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="partnerlib-walk-") as temporary:
        for part in parts:
            record = Record(args.out, part, steps)
            if part == "voila":
                record.checks.append(_command_help())
            (Path(temporary) / part).mkdir()
            (walk_voila if part == "voila" else walk_lab)(steps, record, Path(temporary) / part, **(
                {"full": args.full} if part == "voila" else {}))
    _, visits, checks, _ = _load(args.out)
    failed = sum(len(v.failed) for v in visits) + sum(c.passed is False for c in checks)
    size = sum(p.stat().st_size for p in args.out.glob("*.jpg") if "-full" not in p.name)
    print(f"{plural(failed, 'check')} failed; report in {args.out / 'README.md'} (screenshots: {size / 1e6:.1f} MB).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
