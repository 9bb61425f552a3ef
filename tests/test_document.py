"""The plan document: contents, hostile text kept inert in HTML and xlsx, typed cells, print in Chromium."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import shutil
import subprocess
import typing
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pydantic import BaseModel

import partnerlib.views
from partnerlib import (
    DOCUMENT_CONTENTS,
    DocumentBlock,
    Kpi,
    Plan,
    PlanError,
    build_document,
    document_links,
    evaluate_kpis,
    load_sample,
    preview_document,
    records_table,
    render_html,
    report_from_workspace,
    sample_measurements,
    seed_workspace,
    show_table,
    write_html,
    write_xlsx,
)
from partnerlib.cli import main

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)

#: What every free-text field of the hostile plan holds (plus a number, so names stay distinct).
PAYLOAD = '=HYPERLINK("http://example.invalid","x")<script>alert(1)</script><img src=x onerror=alert(1)>'


# ---------------------------------------------------------------- fixtures


def _is_free_text(info: typing.Any) -> bool:
    """A plain text field: not an id or a reference (those have a pattern or 64 characters at most)."""
    if info.annotation is not str:
        return False
    limits = [m for m in info.metadata if hasattr(m, "max_length")]
    return all(m.pattern is None and (m.max_length or 0) > 64 for m in limits)


def _hostile(value: typing.Any, counter: typing.Iterator[int]) -> typing.Any:
    """Copy a model with every free-text field replaced by PAYLOAD; ids, references, Literals kept."""
    if isinstance(value, list):
        return [_hostile(item, counter) for item in value]
    if not isinstance(value, BaseModel):
        return value
    fields = {}
    for name, info in type(value).model_fields.items():
        current = getattr(value, name)
        fields[name] = f"{PAYLOAD} {next(counter)}" if _is_free_text(info) else _hostile(current, counter)
    return fields


@pytest.fixture(scope="module")
def sample():
    return build_document(load_sample(), measurements=sample_measurements())


@pytest.fixture(scope="module")
def hostile_plan():
    return Plan.model_validate(_hostile(load_sample(), itertools.count(1)))


@pytest.fixture(scope="module")
def hostile(hostile_plan, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    document = build_document(hostile_plan, measurements=sample_measurements())
    return document, write_html(document, folder / "plan.html"), write_xlsx(document, folder / "plan.xlsx")


@pytest.fixture(scope="module")
def sample_files(sample, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    return write_html(sample, folder / "plan.html"), write_xlsx(sample, folder / "plan.xlsx")


class _Elements(HTMLParser):
    """Collect every start tag with its attributes, and the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def _sheets(path: Path) -> dict[str, str]:
    """Table title (from the Contents sheet) → sheet name."""
    index = pd.read_excel(path, sheet_name="Contents")
    return dict(zip(index["What the table holds"], index["Sheet"], strict=True))


# ---------------------------------------------------------------- contents


@pytest.mark.parametrize("number", range(1, 12))
def test_every_step_has_a_table_or_chart(sample, number):
    step = next(s for s in sample.steps if s.number == number)
    assert any(block.table is not None or block.svg for block in step.blocks)


@pytest.mark.parametrize("number", range(1, 12))
def test_no_view_of_the_sample_fails(sample, number):
    step = next(s for s in sample.steps if s.number == number)
    assert [block.note for block in step.blocks if block.note] == []


def test_contents_list_steps_in_method_order():
    assert list(DOCUMENT_CONTENTS) == ["goals", "alignment", "partners", "business_case", "governance", "risks",
                              "community", "resources", "communication", "monitoring", "review"]


# (what the cover shows, text expected in the page)
COVER = [
    ("plan", "<h1>Riverside Community Health</h1>"),
    ("organisation", "<dd>Hope Alliance International</dd>"),
    ("SSU", "Riverside District community health programme (programme)"),
    ("partners", "Riverbend Health Centre, ClearFlow Water Trust, ByteBridge Solutions"),
    ("date", "<dt>Plan as of</dt><dd>30 Sep 2026</dd>"),
]


@pytest.mark.parametrize(("what", "expected"), COVER)
def test_cover(sample, what, expected):
    assert expected in render_html(sample)


# (topic, words its headline must hold)
SUMMARY = [
    ("Risks", "4 still above appetite"),
    ("Risks", "none critical"),
    ("KPIs", "8 on track, 3 at risk, 2 off track, 1 no data"),
    ("Budget", "USD 26,000 a year"),
    ("Partnership health", "amber"),
    ("Check-ins", "3 relationships overdue"),
    ("Still missing", "5 items still missing"),
]


@pytest.mark.parametrize(("topic", "words"), SUMMARY)
def test_executive_summary(sample, topic, words):
    assert words in next(f.headline for f in sample.summary if f.topic == topic)


def test_an_empty_plan_still_gives_a_document():
    document = build_document(Plan())
    assert ([s.number for s in document.steps], "Untitled plan" in render_html(document)) == (list(range(1, 12)), True)


def test_a_view_that_cannot_be_drawn_becomes_a_note(monkeypatch):
    def refuse(plan):
        raise PlanError("Add an objective first.")

    monkeypatch.setattr(partnerlib.views, "show_objectives", refuse)
    document = build_document(Plan())
    assert document.steps[0].blocks[0].note == "Not available yet: Add an objective first."


def test_the_html_is_the_same_on_every_build(sample):
    again = build_document(load_sample(), measurements=sample_measurements())
    assert render_html(again) == render_html(sample)


def test_the_xlsx_is_the_same_on_every_build(sample, tmp_path):
    first, second = write_xlsx(sample, tmp_path / "a.xlsx"), write_xlsx(sample, tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()


# ---------------------------------------------------------------- hostile text: HTML


def test_the_hostile_plan_holds_the_payload_everywhere(hostile_plan):
    assert hostile_plan.info.name.startswith(PAYLOAD) and hostile_plan.risks.risks[0].title.startswith(PAYLOAD)


def test_hostile_text_is_shown_as_text(hostile):
    _, html, _ = hostile
    shown = "".join(_parse(html.read_text(encoding="utf-8")).text)
    assert shown.count("<script>alert(1)</script>") > 100


def test_hostile_text_reaches_the_charts_escaped(hostile):
    document, _, _ = hostile
    charts = "".join(block.svg for _, block in document.blocks())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in charts


# (tag that must not appear)
FORBIDDEN_TAGS = ["script", "img", "iframe", "object", "embed", "link", "base", "form", "input"]


@pytest.mark.parametrize("tag", FORBIDDEN_TAGS)
def test_no_element_comes_from_hostile_text(hostile, tag):
    _, html, _ = hostile
    assert [t for t, _ in _parse(html.read_text(encoding="utf-8")).tags if t == tag] == []


def test_no_event_handler_attribute(hostile):
    _, html, _ = hostile
    tags = _parse(html.read_text(encoding="utf-8")).tags
    assert [(t, a) for t, attrs in tags for a in attrs if a.lower().startswith("on")] == []


def test_links_only_point_inside_the_page(hostile):
    _, html, _ = hostile
    tags = _parse(html.read_text(encoding="utf-8")).tags
    targets = [v for t, attrs in tags if t != "image" for a, v in attrs.items()
               if a in ("href", "xlink:href", "src", "action", "formaction")]
    assert [v for v in targets if not (v or "").startswith("#")] == []


def test_svg_images_are_embedded(hostile):
    """Charts with a raster part (heat maps) embed it as a data: URI, never fetch it."""
    _, html, _ = hostile
    tags = _parse(html.read_text(encoding="utf-8")).tags
    targets = [attrs.get("xlink:href") or attrs.get("href") or "" for t, attrs in tags if t == "image"]
    assert [v for v in targets if not v.startswith("data:image/png;base64,")] == []


def test_no_network_request_in_style_attributes(hostile):
    _, html, _ = hostile
    tags = _parse(html.read_text(encoding="utf-8")).tags
    styles = [v or "" for _, attrs in tags for a, v in attrs.items() if a == "style"]
    assert [v for v in styles if re.search(r"url\(\s*['\"]?(?!#)", v)] == []


def test_web_addresses_only_in_text(hostile):
    """The payload's http address appears only as text or a label, never where a browser would fetch it."""
    _, html, _ = hostile
    tags = _parse(html.read_text(encoding="utf-8")).tags
    where = {a for _, attrs in tags for a, v in attrs.items() if not a.startswith("xmlns") and "http" in (v or "")}
    assert where <= {"aria-label"}


def test_no_url_in_the_style_sheet(hostile):
    _, html, _ = hostile
    style = re.search(r"<style>(.*?)</style>", html.read_text(encoding="utf-8"), re.DOTALL).group(1)
    assert re.findall(r"url\(|@import|https?:", style) == []


# ---------------------------------------------------------------- hostile text: xlsx


def _cells(path: Path):
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_no_formula_in_the_workbook(hostile):
    _, _, xlsx = hostile
    cells = _cells(xlsx)
    assert [c.coordinate for c in cells if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))] == []


def test_no_formula_element_in_the_sheet_files(hostile):
    _, _, xlsx = hostile
    with zipfile.ZipFile(xlsx) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert [s for s in sheets if "<f>" in s or "<f " in s] == []


def test_formula_like_text_is_quoted(hostile):
    _, _, xlsx = hostile
    quoted = [c for c in _cells(xlsx) if isinstance(c.value, str) and c.value.startswith("'=HYPERLINK")]
    assert len(quoted) > 100 and all(c.quotePrefix for c in quoted)


# (text, what goes into the cell)
NEUTRALISED = [
    ("=1+1", "'=1+1"),
    ("+41 22 000", "'+41 22 000"),
    ("-5", "'-5"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"),
    ("\rReturn", "'\nReturn"),  # XML reads a carriage return back as a line feed
    ("Floods", "Floods"),
    ("a=b", "a=b"),
]


@pytest.fixture(scope="module")
def formula_like(sample, tmp_path_factory):
    """The sample document with an appendix table holding every text of NEUTRALISED."""
    frame = pd.DataFrame({"text": [text for text, _ in NEUTRALISED]})
    block = DocumentBlock("Formula-like text", "test", table=show_table(frame, caption="Formula-like text"))
    path = write_xlsx(dataclasses.replace(sample, missing=block), tmp_path_factory.mktemp("formula") / "plan.xlsx")
    sheet = openpyxl.load_workbook(path)[_sheets(path)["Formula-like text"]]
    return [sheet.cell(row=row, column=1) for row in range(2, sheet.max_row + 1)]


@pytest.mark.parametrize(("number", "expected"), [(n, e) for n, (_, e) in enumerate(NEUTRALISED)])
def test_text_that_looks_like_a_formula(formula_like, number, expected):
    cell = formula_like[number]
    assert (cell.value, cell.data_type) == (expected, "s")


# ---------------------------------------------------------------- xlsx read back


@pytest.fixture(scope="module")
def read_back(sample_files):
    _, xlsx = sample_files
    return pd.read_excel(xlsx, sheet_name=None), _sheets(xlsx)


def test_every_sheet_is_in_the_index(read_back):
    sheets, index = read_back
    assert sorted(index.values()) == sorted(set(sheets) - {"Contents"})


def test_sheet_names_are_short_and_unique(read_back):
    sheets, _ = read_back
    assert all(len(name) <= 31 for name in sheets) and len({n.lower() for n in sheets}) == len(sheets)


def test_index_links_to_its_sheets(sample_files):
    _, xlsx = sample_files
    index = openpyxl.load_workbook(xlsx)["Contents"]
    links = [index.cell(row=r, column=1).hyperlink.location for r in range(2, index.max_row + 1)]
    assert links == [f"'{index.cell(row=r, column=1).value}'!A1" for r in range(2, index.max_row + 1)]


def test_risk_register_titles_and_scores(read_back):
    sheets, index = read_back
    register = sheets[index["Risk register: 18 risks, worst after mitigation first"]]
    plan = load_sample()
    expected = {r.title: f"{r.likelihood} × {r.impact} = {r.likelihood * r.impact}" for r in plan.risks.risks}
    assert dict(zip(register["Risk"], register["Before: likelihood × impact"], strict=True)) == expected


def test_kpi_progress_comes_back_as_fractions(read_back):
    sheets, index = read_back
    kpis = sheets[index["KPIs on 30 Sep 2026"]]
    plan = load_sample()
    evaluated = evaluate_kpis(records_table(plan.monitoring.kpis, Kpi), sample_measurements(), as_of=plan.info.as_of)
    assert dict(zip(kpis["KPI"], kpis["Progress"].fillna(-1), strict=True)) == dict(
        zip(evaluated["name"], evaluated["progress"].fillna(-1), strict=True))


def test_dates_come_back_as_dates(read_back):
    sheets, index = read_back
    kpis = sheets[index["KPIs on 30 Sep 2026"]]
    plan = load_sample()
    assert dict(zip(kpis["KPI"], kpis["By"], strict=True)) == {
        k.name: pd.Timestamp(k.target_date) for k in plan.monitoring.kpis}


def test_percentages_come_back_as_fractions(read_back):
    sheets, index = read_back
    kpis = sheets[index["KPIs on 30 Sep 2026"]]
    assert kpis["Expected by now"].between(0, 1).all()


# (what, number format of the first value cell)
FORMATS = [
    ("Vision-based budget (yearly)", "Expense", '"USD" #,##0'),
    ("KPIs on 30 Sep 2026", "Progress", "0%"),
    ("KPIs on 30 Sep 2026", "By", "d mmm yyyy"),
]


@pytest.mark.parametrize(("table", "heading", "number_format"), FORMATS)
def test_number_formats(sample_files, table, heading, number_format):
    _, xlsx = sample_files
    sheet = openpyxl.load_workbook(xlsx)[_sheets(xlsx)[table]]
    column = [c.value for c in sheet[1]].index(heading) + 1
    assert sheet.cell(row=2, column=column).number_format == number_format


def test_header_row_is_bold_and_frozen(sample_files):
    _, xlsx = sample_files
    sheet = openpyxl.load_workbook(xlsx)[_sheets(xlsx)["Vision-based budget (yearly)"]]
    assert (sheet.freeze_panes, all(c.font.bold for c in sheet[1])) == ("A2", True)


def test_workbook_dated_at_the_plan_date(sample_files):
    _, xlsx = sample_files
    assert openpyxl.load_workbook(xlsx).properties.created == dt.datetime(2026, 9, 30)


# ---------------------------------------------------------------- from a workspace, CLI, notebook helpers


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    path = tmp_path_factory.mktemp("workspace") / "workspace.sqlite"
    seed_workspace(path).close()
    return path


def test_report_from_workspace_shows_the_revision(workspace, tmp_path):
    document = report_from_workspace(workspace, "Riverside Community Health", html=tmp_path / "plan.html")
    assert f"<dt>Revision</dt><dd>{document.revision.id}, saved " in (tmp_path / "plan.html").read_text("utf-8")


def test_cli_report_writes_both_files(workspace, tmp_path, capsys):
    code = main(["--workspace", str(workspace), "report", "Riverside Community Health",
                 "--html", str(tmp_path / "p.html"), "--xlsx", str(tmp_path / "p.xlsx")])
    assert (code, (tmp_path / "p.html").exists(), (tmp_path / "p.xlsx").exists()) == (0, True, True)


def test_cli_report_needs_a_file(workspace, capsys):
    code = main(["--workspace", str(workspace), "report", "Riverside Community Health"])
    assert (code, "--html FILE, --xlsx FILE or both" in capsys.readouterr().err) == (1, True)


def test_preview_of_the_summary_is_escaped(hostile):
    document, _, _ = hostile
    assert "<script>" not in preview_document(document)._repr_html_()


def test_links_keep_relative_paths():
    assert 'href="plan-document/plan.html"' in document_links("plan-document/plan.html")._repr_html_()


# ---------------------------------------------------------------- print, in a real browser


def _print_to_pdf(html: Path, tmp_path: Path) -> bytes:
    pdf = tmp_path / "plan.pdf"
    subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         "--generate-pdf-document-outline", f"--print-to-pdf={pdf}", html.resolve().as_uri()],
        check=True, capture_output=True, timeout=180,
    )
    return pdf.read_bytes()


@pytest.fixture(scope="module")
def printed(sample_files, tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("CHROMIUM IS MISSING: /usr/bin/chromium not found, the print test did NOT run "
                    "(apt-get install -y chromium)")
    html, _ = sample_files
    return _print_to_pdf(html, tmp_path_factory.mktemp("pdf"))


def test_printed_document_has_a_page_per_step(printed):
    assert len(re.findall(rb"/Type\s*/Page(?!s)", printed)) >= 13


# (heading the PDF's outline must hold)
HEADINGS = [b"Executive summary", b"Step 6 Risk and conflict", b"Appendix: what is still missing"]


@pytest.mark.parametrize("heading", HEADINGS)
def test_printed_document_has_the_headings(printed, heading):
    assert b"/Title (" + heading + b")" in printed


def test_hostile_document_prints(hostile, tmp_path):
    if shutil.which(str(CHROMIUM)) is None:
        pytest.skip("CHROMIUM IS MISSING: /usr/bin/chromium not found, the print test did NOT run")
    _, html, _ = hostile
    assert _print_to_pdf(html, tmp_path).startswith(b"%PDF")


# (paper, printable width in CSS pixels: paper width less the 12 mm side margins of @page, at 96 px per inch)
PAPERS = [("A4", round((210 - 24) / 25.4 * 96)), ("Letter", round((215.9 - 24) / 25.4 * 96))]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("CHROMIUM IS MISSING: /usr/bin/chromium not found, the print layout test did NOT run")
    playwright = pytest.importorskip("playwright.sync_api", reason="PLAYWRIGHT IS MISSING: print layout NOT tested")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_FLAGS))
        yield launched
        launched.close()


@pytest.mark.parametrize(("paper", "width"), PAPERS)
def test_nothing_is_wider_than_the_paper(browser, sample_files, paper, width):
    """In print layout at the paper's printable width, no table or chart runs off the page."""
    html, _ = sample_files
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(html.resolve().as_uri())
    page.emulate_media(media="print")
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll('table, svg')]"
        ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
        ".map(e => e.querySelector('caption')?.textContent || e.tagName)"
    )
    page.close()
    assert too_wide == []


@pytest.mark.parametrize(("paper", "width"), PAPERS)
def test_prints_on_the_paper(browser, sample_files, paper, width):
    html, _ = sample_files
    page = browser.new_page()
    page.goto(html.resolve().as_uri())
    pdf = page.pdf(format=paper, print_background=True)
    page.close()
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 13
