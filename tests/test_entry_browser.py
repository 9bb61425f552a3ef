"""Step 10's entry box in a real browser: rows pasted with one bad row, saved, the bad row kept with its message.

Voilà serves the notebooks as ``partnerlib present`` does (the ``voila`` fixture of
tests/conftest.py), without warm kernels: only the page opened starts one,
which spares a shared machine a dozen kernels. Chromium opens step 10, pastes three rows copied from a
spreadsheet (a heading line, two good rows and one whose value is a word) and
presses Save rows. The two good rows are saved, the KPI table below shows the
new value without a reload, and the bad row stays in the box with the message
naming its line and column. The spreadsheet template downloads from the page.

Needs ``/usr/bin/chromium`` (as tests/test_browser.py).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from test_browser import ACTION_TIMEOUT, CHROMIUM, PAGE_TIMEOUT, browser  # noqa: F401  # the same Chromium

from partnerlib import SAMPLE_PLAN, Workspace
from partnerlib.app.present import voila_url

STEP = "10_monitoring_and_evaluation.ipynb"
SATISFACTION = "Households satisfied with health services"
WATER = "Water points repaired or built"
BAD_ROW = f"{SATISFACTION}\t2026-09-20\tlots"
PASTED = f"KPI\tDate\tValue\n{SATISFACTION}\t2026-09-15\t64\n{BAD_ROW}\n{WATER}\t2026-09-25\t12"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="SKIPPED THE REAL-BROWSER TEST: no /usr/bin/chromium."),
]


@pytest.fixture(scope="module")
def warm_kernels() -> bool:
    """Voilà (tests/conftest.py) without warm kernels: only the page opened starts one."""
    return False


@pytest.fixture
def page(browser, voila):  # noqa: F811
    page = browser.new_page()
    page.set_default_timeout(ACTION_TIMEOUT)
    page.goto(voila_url(voila, STEP), timeout=PAGE_TIMEOUT)
    page.get_by_role("button", name="Save rows").wait_for(timeout=PAGE_TIMEOUT)
    yield page
    page.close()


def _kpi_row(page):
    """The row of the KPI table (the first results table) naming the satisfaction KPI."""
    return page.locator("table").filter(has=page.locator("caption", has_text="KPI")).first.locator("tr").filter(
        has_text=SATISFACTION).first


def _saved(workspace: Path) -> list[tuple[str, str, float]]:
    with Workspace.open(workspace) as book:
        frame = book.measurements(SAMPLE_PLAN)
    new = frame[frame["date"].dt.strftime("%Y-%m-%d").isin(["2026-09-15", "2026-09-20", "2026-09-25"])]
    return sorted((row.kpi, f"{row.date:%Y-%m-%d}", row.value) for row in new.itertuples())


def test_pasted_rows_are_saved_and_the_bad_one_stays_with_its_message(page, voila_workspace):
    assert "64%" not in _kpi_row(page).inner_text()
    box = page.get_by_label("Rows", exact=True)
    box.fill(PASTED)
    page.get_by_role("button", name="Save rows").click()
    page.get_by_text("Saved 2 measurements (2 new, 0 updated).").wait_for()
    message = page.get_by_text("Row 2, column 'Value': must be a number (got 'lots')")
    message.wait_for()
    _kpi_row(page).get_by_text("64%", exact=True).wait_for()  # the results follow without a reload
    assert (box.input_value(), _saved(voila_workspace), page.get_by_text("Traceback").count()) == (
        f"KPI\tDate\tValue\n{BAD_ROW}",
        [("k-satisfaction", "2026-09-15", 64.0), ("k-water-points", "2026-09-25", 12.0)],
        0,
    )


def test_the_template_downloads_from_the_page(page):
    page.get_by_role("button", name="Spreadsheet template").click()
    link = page.get_by_role("link", name=re.compile("Download the measurements template"))
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))["Lists"]
    assert (download.value.suggested_filename, WATER in [cell.value for cell in sheet["A"]]) == (
        "riverside-community-health-measurements-template.xlsx", True)
