"""The workshop pages in a real browser: Voilà serves them, Chromium reads and fills them.

A workshop participant's path, end to end: Voilà serves the notebooks folder
as ``partnerlib present`` does; from the start page, follow the link to the risk
step, add a risk with an impact of 9 (refused, with a message next to the
field, nothing saved), correct it, save it, and find the new risk in the
register and counted in the heat map at once (the results follow the Save),
and again after reloading the page. The page must show no code and no
traceback, and at a phone's width each label sits above its box.

Every step's page (00–12) is also checked as a participant meets it: axe-core 4
(from ``tests/browser-tools``, installed with npm by ``bootstrap.py test`` and
``.ci/run``; never a CDN) finds no critical or serious accessibility violation,
the words on the page name no code, and the page asks nothing of any host but
this computer.

Needs ``/usr/bin/chromium`` (Playwright's own browser download is not used);
``.ci/run`` installs it in CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from partnerlib import SAMPLE_PLAN, Workspace
from partnerlib.app.present import voila_url
from partnerlib.app.series import series_notebooks

CHROMIUM = Path("/usr/bin/chromium")
RISK_STEP = "06_risk_and_conflict.ipynb"
#: Chromium without a sandbox, GPU or background traffic (it cannot reach the network here).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Milliseconds to wait for Voilà to execute the notebook and send the page (about 10 s here).
PAGE_TIMEOUT = 180_000
#: Milliseconds to wait for one widget round trip (about 0.2 s here).
ACTION_TIMEOUT = 30_000
#: The risk the test adds: a title nobody else would write.
TITLE = "Browser test: the ferry stops running"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="SKIPPED THE REAL-BROWSER TEST: /usr/bin/chromium is missing. "
        "Install it with `sudo apt-get install chromium` (CI's .ci/run does this).",
    ),
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Chromium with a fresh profile; closed afterwards."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def first_view(browser, voila):
    """The risk step as first opened, for the tests that only read it."""
    page = browser.new_page()
    page.set_default_timeout(ACTION_TIMEOUT)
    page.goto(voila_url(voila, RISK_STEP), timeout=PAGE_TIMEOUT)
    _wait_for_the_form(page)
    yield page
    page.close()


@pytest.fixture
def page(browser, voila):
    """The risk step, reached as a participant does: from the start page's list of steps."""
    page = browser.new_page()
    page.set_default_timeout(ACTION_TIMEOUT)
    page.goto(voila_url(voila, series_notebooks()[0].name), timeout=PAGE_TIMEOUT)
    page.get_by_role("link", name=re.compile("Risk and conflict")).first.click(timeout=PAGE_TIMEOUT)
    _wait_for_the_form(page)
    yield page
    page.close()


def _wait_for_the_form(page) -> None:
    """Wait until Voilà has run the risk step's notebook (its Save button is there)."""
    page.get_by_role("button", name="Save").wait_for(timeout=PAGE_TIMEOUT)


def _caption_number(page, pattern: str) -> int:
    """Read a number from the caption of a results table, e.g. 'Risk register: 18 risks'."""
    caption = page.locator("caption").filter(has_text=re.compile(pattern)).first
    return int(re.search(pattern, caption.inner_text()).group(1))


def _heat_cell(page, likelihood: str, impact: int) -> int:
    """Read one cell of the heat-map counts before mitigation: risks with this likelihood and impact."""
    table = page.locator("table").filter(
        has=page.locator("caption", has_text="Number of risks per cell before mitigation")
    )
    row = table.locator("tr").filter(has=page.locator("td", has_text=likelihood))
    return int(row.locator("td").nth(impact).inner_text())


def _results(page) -> tuple[int, int, int, int]:
    """Read what the results say of the test's risk: in the register, counted in captions and in its cell."""
    register = page.locator("table").filter(has=page.locator("caption", has_text="Risk register"))
    return (
        register.get_by_text(TITLE).count(),
        _caption_number(page, r"Risk register: (\d+) risks"),
        _caption_number(page, r"before mitigation: (\d+) in all"),
        _heat_cell(page, "3 Possible", 4),
    )


def _keep_row_button(page):
    """The button that keeps the open row in its table ("OK" or "Keep this row"): the one before Cancel."""
    return page.get_by_role("button", name="Cancel", exact=True).locator("xpath=preceding-sibling::button[1]")


def _saved(workspace: Path) -> tuple[int, int]:
    """Return the number of saved revisions of the risks, and of risks in the latest one."""
    with Workspace.open(workspace) as book:
        return len(book.history(SAMPLE_PLAN, "risks")), len(book.load(SAMPLE_PLAN).plan.risks.risks)


def _field(page, label: str):
    return page.get_by_label(label, exact=True)


def _field_box(page, label: str):
    """The box holding a field, its help line and its message."""
    return _field(page, label).locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")


def test_the_page_shows_no_code_and_no_traceback(first_view):
    page = first_view
    text = page.inner_text("body")
    assert (
        page.locator(".jp-CodeCell .jp-InputArea").count(),
        "from partnerlib import" in text,
        "Traceback" in text,
        page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count(),
    ) == (0, False, False, 0)


def test_the_page_shows_the_form_and_the_results(first_view):
    page = first_view
    assert (
        page.get_by_role("button", name="Add").count() >= 1,
        _caption_number(page, r"Risk register: (\d+) risks") > 0,
        _caption_number(page, r"before mitigation: (\d+) in all") > 0,
    ) == (True, True, True)


def test_a_risk_is_refused_then_saved_and_counted(page, voila_workspace):
    before = _saved(voila_workspace)
    in_register = _caption_number(page, r"Risk register: (\d+) risks")
    in_heat_map = _caption_number(page, r"before mitigation: (\d+) in all")
    in_cell = _heat_cell(page, "3 Possible", 4)
    counted = (1, in_register + 1, in_heat_map + 1, in_cell + 1)

    # An impact of 9: a message next to the field, and Save saves nothing.
    page.get_by_role("button", name="Add").first.click()
    _field(page, "Title").fill(TITLE)
    _field(page, "Likelihood").fill("3")
    _field(page, "Impact").fill("9")
    _field(page, "Impact").press("Tab")
    _keep_row_button(page).click()
    _field_box(page, "Impact").get_by_text("must be between 1 and 5").wait_for()
    page.get_by_role("button", name="Save").click()
    page.get_by_text(re.compile(r"Not saved: \d+ problem")).wait_for()
    assert _saved(voila_workspace) == before, "an invalid risk changed the workspace"

    # Corrected: the row is kept in the table, Save stores it.
    _field(page, "Impact").fill("4")
    _field(page, "Impact").press("Tab")
    _keep_row_button(page).click()
    _keep_row_button(page).wait_for(state="hidden")
    page.get_by_role("button", name="Save").click()
    page.get_by_text(re.compile(r"Saved at \d\d:\d\d")).wait_for()
    assert _saved(voila_workspace) == (before[0] + 1, before[1] + 1), "the corrected risk was not saved"

    # Without a reload: the results below the form already count the new risk.
    page.locator("caption", has_text=f"Risk register: {in_register + 1} risks").wait_for()
    page.locator("caption", has_text=f"before mitigation: {in_heat_map + 1} in all").wait_for()
    assert (_results(page), page.get_by_text("could not be updated").count()) == (counted, 0)

    # Reloaded: the results still count it.
    page.reload(timeout=PAGE_TIMEOUT)
    _wait_for_the_form(page)
    assert _results(page) == counted


def test_on_a_phone_each_label_sits_above_its_box(browser, voila):
    # A workshop participant may open the page on a phone: labels above the boxes, help under them.
    page = browser.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(ACTION_TIMEOUT)
    try:
        page.goto(voila_url(voila, RISK_STEP), timeout=PAGE_TIMEOUT)
        _wait_for_the_form(page)
        page.get_by_role("button", name="Add").first.click()
        box = _field(page, "Title").bounding_box()
        label = _field_box(page, "Title").locator(".widget-label").first.bounding_box()
        help_line = _field_box(page, "Title").get_by_text("What could go wrong.").bounding_box()
    finally:
        page.close()
    assert (
        label["y"] + label["height"] <= box["y"],
        abs(label["x"] - box["x"]) < 8,
        abs(help_line["x"] - box["x"]) < 8,
        box["x"] + box["width"] <= 390,
    ) == (True, True, True, True)


# ---------------------------------------------------------------- every page, as a participant meets it

#: axe-core, installed with npm from tests/browser-tools/package-lock.json.
AXE = Path(__file__).resolve().parent / "browser-tools" / "node_modules" / "axe-core" / "axe.min.js"
#: The impacts that fail a page (axe's "moderate" and "minor" are reported by other means).
BLOCKING_IMPACTS = ("critical", "serious")
#: Words that belong in code, not on a workshop page (a regular expression each, and why).
CODE_WORDS = {
    r"parameters cell": "the notebook's parameters cell",
    r"\bNone\b": "Python's None",
    r"(?i)run the cells": "cells to run",
    r"\b\w+=\"": "a keyword argument, e.g. kpi=\"…\"",
    r"from partnerlib import": "an import",
    r"Traceback": "a traceback",
}
STEPS = [path.name for path in series_notebooks()]
#: The steps whose page shows a section editor's form (1 to 11).
FORM_STEPS = [path.name for path in series_notebooks() if "section_editor(" in path.read_text(encoding="utf-8")]


class Visit:
    """What one page gave: its words, its axe violations, the hosts it asked for and its forms."""

    def __init__(self, text: str, violations: list[dict], hosts: list[str], forms: int) -> None:
        self.text, self.violations, self.hosts, self.forms = text, violations, hosts, forms


def _settle(page) -> None:
    """Wait until Voilà has shown the cells and the widgets stop appearing (bounded)."""
    page.wait_for_function(
        "() => { const m = document.querySelector('#rendered_cells'); return m && m.style.display !== 'none'; }",
        timeout=PAGE_TIMEOUT,
    )
    count, still = -1, 0
    for _ in range(60):
        now = page.locator(".jupyter-widgets").count()
        still = still + 1 if now == count else 0
        if still >= 3:
            return
        count = now
        page.wait_for_timeout(300)


def _forms(page) -> int:
    """Count the page's forms once one is there, or after ACTION_TIMEOUT (the browser builds forms last)."""
    for _ in range(ACTION_TIMEOUT // 500):
        if page.locator(".partnerlib-form").count():
            break
        page.wait_for_timeout(500)
    return page.locator(".partnerlib-form").count()


@pytest.fixture(scope="module")
def visits(browser, voila):
    """Open each step once; return a function giving what the page showed."""
    seen: dict[str, Visit] = {}

    def visit(step: str) -> Visit:
        if step not in seen:
            hosts: list[str] = []
            page = browser.new_page()
            page.on("request", lambda request: hosts.append(re.sub(r"^\w+://([^/:]+).*$", r"\1", request.url)))
            try:
                page.goto(voila_url(voila, step), timeout=PAGE_TIMEOUT)
                _settle(page)
                forms = _forms(page) if step in FORM_STEPS else 0
                violations = []
                if AXE.exists():
                    page.add_script_tag(path=str(AXE))
                    found = page.evaluate("async () => (await axe.run(document)).violations")
                    violations = [
                        {"id": v["id"], "impact": v["impact"], "where": [n["target"] for n in v["nodes"]][:3]}
                        for v in found
                        if v["impact"] in BLOCKING_IMPACTS
                    ]
                seen[step] = Visit(page.inner_text("body"), violations, hosts, forms)
            finally:
                page.close()
        return seen[step]

    return visit


@pytest.mark.skipif(not AXE.exists(), reason=f"SKIPPED THE ACCESSIBILITY TEST: axe-core is missing at {AXE}. "
                    "Install it with `npm ci --prefix tests/browser-tools` (bootstrap.py test and .ci/run do this).")
@pytest.mark.parametrize("step", STEPS)
def test_axe_finds_no_serious_violation(visits, step):
    assert visits(step).violations == []


@pytest.mark.parametrize("step", STEPS)
def test_the_page_names_no_code(visits, step):
    text = visits(step).text
    assert {why: re.findall(word, text)[:3] for word, why in CODE_WORDS.items() if re.search(word, text)} == {}


# Voilà's executor once gave up waiting for a form cell's result after 4 s on a busy machine, and
# drew the page without its form (kernel.CELL_OUTPUT_WAIT_S).
@pytest.mark.parametrize("step", FORM_STEPS)
def test_the_page_shows_its_form(visits, step):
    assert visits(step).forms >= 1


@pytest.mark.parametrize("step", STEPS)
def test_the_page_asks_only_this_computer(visits, step):
    assert sorted(set(visits(step).hosts) - {"127.0.0.1", "localhost"}) == []


# ---------------------------------------------------------------- a plan per browser session

#: A second plan in the workspace, with two risks, for a second group.
OTHER_PLAN = "Browser test: the second group"


@pytest.fixture(scope="module")
def second_plan(voila_workspace: Path) -> str:
    with Workspace.open(voila_workspace) as book:
        snapshot = book.copy_plan(SAMPLE_PLAN, OTHER_PLAN)
        risks = snapshot.plan.risks.model_copy(update={"risks": snapshot.plan.risks.risks[:2]})
        book.save_section(OTHER_PLAN, "risks", risks, base=snapshot.revisions["risks"])
    return OTHER_PLAN


# The plan is made once Voilà runs: the risk step's warm kernel (refilled after the other tests' visits)
# drew its page long before, and must still switch to the plan the page names.
def test_a_page_works_on_the_plan_in_its_address_and_its_links_keep_it(browser, voila, second_plan):
    from urllib.parse import parse_qs, quote, urlsplit

    page = browser.new_page()
    page.set_default_timeout(ACTION_TIMEOUT)
    try:
        page.goto(f"{voila_url(voila, RISK_STEP)}?plan={quote(second_plan)}", timeout=PAGE_TIMEOUT)
        _wait_for_the_form(page)
        risks = _caption_number(page, r"Risk register: (\d+) risks")
        page.get_by_role("navigation").get_by_role("link", name=re.compile("Community engagement")).click()
        page.wait_for_url(re.compile(r"07_community_engagement\.ipynb"), timeout=PAGE_TIMEOUT)
        carried = parse_qs(urlsplit(page.url).query).get("plan")
    finally:
        page.close()
    assert (risks, carried) == (2, [second_plan])


#: A projector's screen: what a workshop room sees.
PROJECTOR = {"width": 1024, "height": 768}
#: True when no element between a node and its form scrolls on its own (a list in a box of its own).
_NO_INNER_SCROLL = """node => {
    for (let e = node; e && !e.classList.contains('partnerlib-form'); e = e.parentElement) {
        const style = getComputedStyle(e);
        if (['auto', 'scroll'].includes(style.overflowY) && e.scrollHeight > e.clientHeight + 1) return false;
    }
    return true;
}"""


def test_on_a_projector_the_risk_form_lists_every_risk_without_a_scroll_box(browser, voila, voila_workspace):
    # The sample's risks (18, fewer than a page of 25) all in the page, none hidden in a box that scrolls.
    with Workspace.open(voila_workspace) as book:
        count = len(book.load(SAMPLE_PLAN).plan.risks.risks)
    page = browser.new_page()
    page.set_viewport_size(PROJECTOR)
    page.set_default_timeout(ACTION_TIMEOUT)
    try:
        page.goto(voila_url(voila, RISK_STEP), timeout=PAGE_TIMEOUT)
        _wait_for_the_form(page)
        table = page.locator("table.partnerlib-records").filter(has=page.locator("th", has_text="Likelihood"))
        rows = table.locator("tbody tr")
        rows.last.scroll_into_view_if_needed()
        shown = (rows.count(), rows.last.is_visible(), table.evaluate(_NO_INNER_SCROLL),
                 page.get_by_role("button", name="Next").count())
    finally:
        page.close()
    assert shown == (min(count, 25), True, True, 0 if count <= 25 else 1)


#: The words of a table wider than their cell: cut in two by the browser (or spilling out of it).
_CUT_WORDS = """table => {
    const ruler = document.createElement('canvas').getContext('2d');
    const cut = [];
    for (const cell of table.querySelectorAll('td, th')) {
        const style = getComputedStyle(cell);
        ruler.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        cut.push(...cell.innerText.split(/\\s+|(?<=-)/).filter(word => ruler.measureText(word).width > room + 1));
    }
    return cut;
}"""


def test_on_a_phone_the_risk_table_keeps_its_words_whole_and_scrolls_sideways(browser, voila):
    # Issue 17's walk: "overflow-wrap:anywhere" cut every word of the risk register into letters on a phone.
    page = browser.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(ACTION_TIMEOUT)
    try:
        page.goto(voila_url(voila, RISK_STEP), timeout=PAGE_TIMEOUT)
        _wait_for_the_form(page)
        table = page.locator("table.partnerlib-records").filter(has=page.locator("th", has_text="Likelihood"))
        shown = (
            table.evaluate(_CUT_WORDS),
            table.evaluate("t => t.scrollWidth > t.parentElement.clientWidth"),
            page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"),
        )
    finally:
        page.close()
    assert shown == ([], True, True)
