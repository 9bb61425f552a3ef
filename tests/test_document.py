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

import partnerlib.output.views
from partnerlib import (
    Plan,
    PlanError,
    build_document,
    document_links,
    evaluate_kpis,
    load_sample,
    preview_document,
    report_from_workspace,
    sample_measurements,
    score_risks,
    write_html,
    write_xlsx,
)
from partnerlib.analyses.tables import records_table
from partnerlib.app.cli import main
from partnerlib.models import Appetite, Kpi, Risk
from partnerlib.output.display import show_table
from partnerlib.output.document import (
    DOCUMENT_CONTENTS,
    SUMMARY_CONTENTS,
    DocumentBlock,
    render_html,
)

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
    ("KPIs", "9 on track, 2 at risk, 2 off track, 1 no data"),  # diarrhoea cases: on course
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

    monkeypatch.setattr(partnerlib.output.views, "show_objectives", refuse)
    document = build_document(Plan())
    assert document.steps[0].blocks[0].note == "Not available yet: Add an objective first."


@pytest.mark.parametrize("view", [call.view for call in SUMMARY_CONTENTS])
def test_a_table_of_the_summary_and_of_its_step_is_worked_out_once(monkeypatch, view):
    called = []
    shown = getattr(partnerlib.output.views, view)

    def counted(*args, **kwargs):
        called.append(view)
        return shown(*args, **kwargs)

    monkeypatch.setattr(partnerlib.output.views, view, counted)
    build_document(load_sample(), measurements=sample_measurements())
    assert called == [view]


def test_the_html_is_the_same_on_every_build(sample):
    again = build_document(load_sample(), measurements=sample_measurements())
    assert render_html(again) == render_html(sample)


def test_every_chart_is_listed_as_a_chart(sample):
    calls = [*SUMMARY_CONTENTS, *(call for calls in DOCUMENT_CONTENTS.values() for call in calls)]
    blocks = [block for _, block in sample.blocks()][: len(calls)]
    assert [call.view for call, block in zip(calls, blocks, strict=True) if call.chart != bool(block.svg)] == []


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


def test_a_chart_is_drawn_once_into_the_svg_savefig_makes():
    """One drawing gives the same SVG, byte for byte, as savefig's two (the first only to run the layout)."""
    import io

    import matplotlib

    from partnerlib import load_sample
    from partnerlib.output.document import _svg

    plan = load_sample()
    saved = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "partnerlib-7", "svg.fonttype": "none"}):
        partnerlib.output.views.show_kpi_series_chart(plan, sample_measurements(), as_of=plan.info.as_of).savefig(
            saved, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = saved.getvalue()
    expected = re.sub(r"<metadata>.*?</metadata>\s*", "", text[text.index("<svg"):], flags=re.DOTALL).strip()
    assert _svg(partnerlib.output.views.show_kpi_series_chart(plan, sample_measurements(), as_of=plan.info.as_of), 7) == expected


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
    assert where <= {"aria-label", "data-label"}


def test_no_url_in_the_style_sheet(hostile):
    _, html, _ = hostile
    style = re.search(r"<style>(.*?)</style>", html.read_text(encoding="utf-8"), re.DOTALL).group(1)
    assert re.findall(r"url\(|@import|https?:", style) == []


# ---------------------------------------------------------------- control characters


@pytest.fixture(scope="module")
def unprintable(tmp_path_factory):
    """A document of a plan whose text holds control characters (stored before they were refused)."""
    plan = load_sample()
    plan.info.__dict__["name"] = "River\x00side"  # past the model's check, as old data would be
    plan.risks.risks[0].__dict__["title"] = "Flo\x0bods\x1f"
    measurements = sample_measurements().assign(source="reg\x08ister")
    document = build_document(plan, measurements=measurements)
    folder = tmp_path_factory.mktemp("unprintable")
    return write_html(document, folder / "plan.html"), write_xlsx(document, folder / "plan.xlsx")


def test_html_drops_control_characters(unprintable):
    html, _ = unprintable
    assert re.findall("[\x00-\x08\x0b\x0c\x0e-\x1f]", html.read_text(encoding="utf-8")) == []


def test_xlsx_keeps_the_text_without_control_characters(unprintable):
    _, xlsx = unprintable
    assert "Floods" in {c.value for c in _cells(xlsx)}


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
    ("\rReturn", "'\nReturn"),  # a line break is written as a line feed, with or without lxml
    ("Line 1\r\nLine 2", "Line 1\nLine 2"),
    ("\x00=1+1", "'=1+1"),  # a character no cell can hold is dropped first
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


def test_every_table_has_a_short_sheet_name_of_its_own(sample):
    """Sheet names come from DOCUMENT_CONTENTS: the same for every plan, and room for the step number."""
    sheets = {call.view: call.sheet for calls in DOCUMENT_CONTENTS.values() for call in calls}
    names = [sheets[block.view] for step in sample.steps for block in step.blocks if block.table is not None]
    assert ([name for name in names if not 0 < len(name) <= 28], len(set(names))) == ([], len(names))


# (title of a table that names no sheet, the sheet's name: first words, a whole word last, never "the")
FALLBACK_NAMES = [
    ("Contact calendar for the next 3 months and the year after", "01 Contact calendar"),
    ("Stakeholder feedback on the draft design of the programme", "01 Stakeholder feedback"),
    ("Risk register: 18 risks", "01 Risk register"),
    ("Risk register (a copy)", "01 Risk register (2)"),
    ("Costs/returns [USD]?", "01 Costs returns USD"),
    ("Partners' shares, by year", "01 Partners' shares"),
]


@pytest.fixture(scope="module")
def fallback_sheets(sample, tmp_path_factory):
    """The sample's workbook with step 1 holding a table for every title of FALLBACK_NAMES."""
    frame = pd.DataFrame({"a": [1]})
    extra = tuple(DocumentBlock(title, "test", table=show_table(frame, caption=title)) for title, _ in FALLBACK_NAMES)
    first = dataclasses.replace(sample.steps[0], blocks=sample.steps[0].blocks + extra)
    document = dataclasses.replace(sample, steps=(first, *sample.steps[1:]))
    return _sheets(write_xlsx(document, tmp_path_factory.mktemp("names") / "plan.xlsx"))


@pytest.mark.parametrize(("title", "name"), FALLBACK_NAMES)
def test_a_sheet_without_a_name_is_named_from_the_title(fallback_sheets, title, name):
    assert fallback_sheets[title] == name


def test_index_links_to_its_sheets(sample_files):
    _, xlsx = sample_files
    index = openpyxl.load_workbook(xlsx)["Contents"]
    links = [index.cell(row=r, column=1).hyperlink.location for r in range(2, index.max_row + 1)]
    assert links == [f"'{index.cell(row=r, column=1).value}'!A1" for r in range(2, index.max_row + 1)]


@pytest.mark.parametrize(("when", "likelihood", "impact", "score"), [
    ("Before", "likelihood", "impact", "score"),
    ("After mitigation", "residual_likelihood", "residual_impact", "residual_score"),
])
def test_risk_scores_come_back_as_numbers(read_back, when, likelihood, impact, score):
    """Likelihood, impact and score are three number columns a reader can sort and add up."""
    sheets, index = read_back
    register = sheets[index["Risk register: 18 risks, worst after mitigation first"]]
    plan = load_sample()
    scored = score_risks(records_table(plan.risks.risks, Risk), appetite=records_table(plan.risks.appetite, Appetite))
    parts = [f"{when}: likelihood", f"{when}: impact", f"{when}: score"]
    assert {title: tuple(rest) for title, *rest in register[["Risk", *parts]].itertuples(index=False)} == {
        title: tuple(rest) for title, *rest in scored[["title", likelihood, impact, score]].itertuples(index=False)}


def test_kpi_latest_and_target_come_back_as_numbers(read_back):
    """Each KPI's target in its own unit: a count or an amount as is, a percentage as a fraction."""
    sheets, index = read_back
    kpis = sheets[index["KPIs on 30 Sep 2026"]]
    expected = {k.name: k.target / 100 if k.unit == "percentage" else k.target for k in load_sample().monitoring.kpis}
    assert dict(zip(kpis["KPI"], kpis["Target"], strict=True)) == pytest.approx(expected)


def _column(xlsx: Path, table: str, heading: str) -> list[openpyxl.cell.Cell]:
    sheet = openpyxl.load_workbook(xlsx)[_sheets(xlsx)[table]]
    column = [c.value for c in sheet[1]].index(heading) + 1
    return [sheet.cell(row=row, column=column) for row in range(2, sheet.max_row + 1)]


# (KPI, number format of its latest value and target: its own unit and decimals)
KPI_FORMATS = [
    ("Volunteer hours given", "#,##0"),
    ("Partner cash contributions received", '"USD" #,##0'),
    ("Cost per household reached", '"USD" #,##0.00'),
    ("Households using safe drinking water", "0.0%"),
]


@pytest.mark.parametrize(("kpi", "number_format"), KPI_FORMATS)
def test_each_kpi_value_has_the_number_format_of_its_unit(sample_files, kpi, number_format):
    _, xlsx = sample_files
    row = [cell.value for cell in _column(xlsx, "KPIs on 30 Sep 2026", "KPI")].index(kpi)
    cells = [_column(xlsx, "KPIs on 30 Sep 2026", heading)[row] for heading in ("Latest", "Target")]
    assert [cell.number_format for cell in cells] == [number_format, number_format]


def test_swot_totals_are_numbers_beside_the_position_in_words(sample_files):
    _, xlsx = sample_files
    totals = [cell.value for cell in _column(xlsx, "Position: Hold and defend (ST strategies first)", "Total")]
    assert [type(total) for total in totals] == [float, float, str]


def test_a_risk_not_assessed_after_mitigation_leaves_its_score_cells_empty(sample, tmp_path):
    plan = load_sample()
    plan = plan.model_copy(update={"risks": plan.risks.model_copy(update={"risks": [
        Risk(id="r-new", title="New hazard", likelihood=3, impact=2)]})})
    block = DocumentBlock("Register", "show_risk_register", table=partnerlib.output.views.show_risk_register(plan))
    first = dataclasses.replace(sample.steps[0], blocks=(block,))
    xlsx = write_xlsx(dataclasses.replace(sample, steps=(first,)), tmp_path / "plan.xlsx")
    parts = [f"{when}: {part}" for when in ("Before", "After mitigation") for part in ("likelihood", "impact", "score")]
    assert [_column(xlsx, "Register", heading)[0].value for heading in parts] == [3, 2, 6, None, None, None]


# (table, heading, type of its values: columns the views write as text but hold numbers or dates)
TYPED = [
    ("Candidates by weighted score, per need", "Score (1–5)", (int, float)),
    ("Candidates by weighted score, per need", "Rank", int),
    ("Shortlist: the best 3 per need that pass the gates and have no red flag", "Score (1–5)", (int, float)),
    ("TOWS strategies, heaviest first in each quadrant", "Combined weight", (int, float)),
    ("How far a weight must move before the winner changes (the other weights stay as they are)",
     "Weight that changes the winner", (int, float)),
    ("KPIs on 30 Sep 2026", "Latest", (int, float)),
    ("Crucial risks: deal with these first", "After mitigation: score", int),
    ("Risk register: 18 risks, worst after mitigation first", "Appetite: highest score accepted", int),
]


@pytest.mark.parametrize(("table", "heading", "kind"), TYPED)
def test_numbers_shown_as_text_are_numbers_in_the_sheet(sample_files, table, heading, kind):
    _, xlsx = sample_files
    values = [cell.value for cell in _column(xlsx, table, heading) if cell.value is not None]
    assert values and [v for v in values if not isinstance(v, kind) or isinstance(v, bool)] == []


def _details(xlsx: Path) -> dict[str, openpyxl.cell.Cell]:
    """The plan details sheet: what → the cell of its value."""
    whats = [cell.value for cell in _column(xlsx, "Plan details", "What")]
    return dict(zip(whats, _column(xlsx, "Plan details", "Value"), strict=True))


# (what, value, number format: the plan details)
DETAILS = [
    ("Plan as of", dt.datetime(2026, 9, 30), "d mmm yyyy"),
    ("Currency", "USD", "General"),
]


@pytest.mark.parametrize(("what", "value", "number_format"), DETAILS)
def test_plan_details_are_typed(sample_files, what, value, number_format):
    _, xlsx = sample_files
    cell = _details(xlsx)[what]
    assert (cell.value, cell.number_format) == (value, number_format)


def test_revision_saved_is_a_moment_in_utc(workspace_file, tmp_path):
    document = report_from_workspace(workspace_file, "Riverside Community Health", xlsx=tmp_path / "plan.xlsx")
    saved = _details(tmp_path / "plan.xlsx")["Last saved (UTC)"]
    expected = document.revision.saved_at.astimezone(dt.UTC).replace(tzinfo=None)
    assert (abs(saved.value - expected) < dt.timedelta(seconds=1), saved.number_format) == (True, "d mmm yyyy hh:mm")


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
    ("Candidates by weighted score, per need", "Score (1–5)", "#,##0.00"),
    ("Candidates by weighted score, per need", "Rank", "#,##0"),
    ("TOWS strategies, heaviest first in each quadrant", "Combined weight", "#,##0.00"),
    ("Risk register: 18 risks, worst after mitigation first", "Before: score", "0"),
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


# ---------------------------------------------------------------- the page's tables


def test_every_cell_carries_its_heading(sample):
    """On a phone each row is a card of "heading  value" lines, so every cell names its column."""
    cells = [attrs for tag, attrs in _parse(render_html(sample)).tags if tag == "td"]
    assert len(cells) > 100 and [attrs for attrs in cells if not attrs.get("data-label")] == []


# (heading, how its column is set: numbers on the right; dates, scores and statuses on one line)
COLUMN_CLASSES = [
    ("Latest", "number"),
    ("Score (1–5)", "number"),
    ("Expense", "number"),
    ("By", "date"),
    ("After mitigation", "score"),
    ("Band after", "status"),
]


@pytest.mark.parametrize(("heading", "css"), COLUMN_CLASSES)
def test_columns_are_set_by_what_they_hold(sample, heading, css):
    assert f'<th scope="col" class="{css}">{heading}</th>' in render_html(sample)


# ---------------------------------------------------------------- from a workspace, CLI, notebook helpers


def test_report_from_workspace_shows_the_revision(workspace_file, tmp_path):
    """When, by whom (the sample is seeded by the person who keeps it) and which revision."""
    report_from_workspace(workspace_file, "Riverside Community Health", html=tmp_path / "plan.html")
    assert ("<dt>Last saved</dt><dd>30 Sep 2026 at 09:00 UTC by Ruth Adeyemi (revision 12)</dd>"
            in (tmp_path / "plan.html").read_text("utf-8"))


def test_yes_and_no_in_the_sheet_as_on_the_page(read_back):
    sheets, index = read_back
    register = sheets[index["Risk register: 18 risks, worst after mitigation first"]]
    assert sorted(set(register["Above appetite"])) == ["no", "yes"]


def test_the_appendix_is_in_sentences(sample):
    """Each line of what is missing starts with a capital and ends with a full stop."""
    lines = sample.missing.table.frame["What is missing"].tolist()
    assert [line for line in lines if not (line[0].isupper() and line.endswith("."))] == []


def test_cli_report_writes_both_files(workspace_file, tmp_path, capsys):
    code = main(["--workspace", str(workspace_file), "report", "Riverside Community Health",
                 "--html", str(tmp_path / "p.html"), "--xlsx", str(tmp_path / "p.xlsx")])
    assert (code, (tmp_path / "p.html").exists(), (tmp_path / "p.xlsx").exists()) == (0, True, True)


def test_cli_report_needs_a_file(workspace_file, capsys):
    code = main(["--workspace", str(workspace_file), "report", "Riverside Community Health"])
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


@pytest.mark.slow
def test_printed_document_has_a_page_per_step(printed):
    assert len(re.findall(rb"/Type\s*/Page(?!s)", printed)) >= 13


# (heading the PDF's outline must hold)
HEADINGS = [b"Executive summary", b"Step 6 Risk and conflict", b"Appendix: what is still missing"]


@pytest.mark.slow
@pytest.mark.parametrize("heading", HEADINGS)
def test_printed_document_has_the_headings(printed, heading):
    assert b"/Title (" + heading + b")" in printed


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
@pytest.mark.parametrize(("paper", "width"), PAPERS)
def test_prints_on_the_paper(browser, sample_files, paper, width):
    html, _ = sample_files
    page = browser.new_page()
    page.goto(html.resolve().as_uri())
    pdf = page.pdf(format=paper, print_background=True)
    page.close()
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 13


# (screen, viewport width in CSS pixels)
SCREENS = [("phone", 390), ("desktop", 1280)]


@pytest.mark.slow
@pytest.mark.parametrize(("screen", "width"), SCREENS)
def test_tables_fit_the_screen(browser, sample_files, screen, width):
    """No table runs off a phone (its rows become cards) or needs a scroll bar on a desktop; nor does the page."""
    html, _ = sample_files
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(html.resolve().as_uri())
    too_wide = page.evaluate(
        "() => { const width = document.documentElement.clientWidth;"
        " const tables = [...document.querySelectorAll('.table-wrap')]"
        "   .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > width + 1)"
        "   .map(e => e.querySelector('caption')?.textContent);"
        " return document.documentElement.scrollWidth > width + 1 ? [...tables, 'the page'] : tables; }"
    )
    page.close()
    assert too_wide == []


# ---- the templates' own words come from MESSAGES ------------------------------------------------

#: What the templates write themselves, as (tag, attribute, value) of the element holding it or an
#: ancestor: the cover's kicker and facts, the contents, each step's number, the summary's heading,
#: introduction and tones, the appendix's heading and introduction, and the footer.
TEMPLATE_WORDS = [
    ("p", "class", "kicker"), ("dt", None, None), ("nav", None, None), ("span", "class", "number"),
    ("span", "class", "tone"), ("footer", None, None), ("title", None, None),
]


class _TemplateText(HTMLParser):
    """Collect the words the templates write themselves (see TEMPLATE_WORDS).

    A dt counts only in the cover's facts (a step's statements are named by
    their fields' labels); the contents' aria-label counts, a chart's does not.
    """

    VOID = {"meta", "link", "br", "img", "input", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "nav":
            self.found.append(attributes["aria-label"])
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def _templates(self) -> bool:
        for index, (tag, attributes) in enumerate(self.stack):
            for wanted, name, value in TEMPLATE_WORDS:
                if tag == wanted and (name is None or value in attributes.get(name, "").split()) and (
                        tag != "dt" or "facts" in self.stack[index - 2][1].get("class", "")):
                    return True
            # a summary's or the appendix's own heading and introduction (a block's are the views')
            if attributes.get("id") in ("summary", "appendix") and self.stack[index + 1:][:1] in (
                    [("h2", {})], [("p", {"class": "intro"})]):
                return True
        return False

    def handle_data(self, data):
        if data.strip() and self._templates():
            self.found.append(data.strip())


def _unmarked_template_words(page: str, data: set[str], mark: str) -> list[str]:
    parser = _TemplateText()
    parser.feed(page)
    return [text for text in parser.found if mark not in text and text not in data]


def test_the_documents_own_words_come_from_messages(pseudo_translated, tmp_path):
    """Pseudo-translated (every sentence of MESSAGES marked): each word the templates write is marked.

    The plan document and the organisation document; what is not marked is the
    plan's data (its name, the steps' titles, the partners). The tables' and
    charts' words are the views'.
    """
    from partnerlib.io.sample import seed_workspace
    from partnerlib.output.portfolio import portfolio_from_workspace, render_portfolio_html

    document = build_document(load_sample(), measurements=sample_measurements())
    with seed_workspace(tmp_path / "workspace.sqlite") as workspace:
        portfolio = render_portfolio_html(portfolio_from_workspace(workspace))
    data = {document.plan_name, document.organisation, *(step.title for step in document.steps)}
    found = {"plan document": _unmarked_template_words(render_html(document), data, pseudo_translated),
             "organisation document": _unmarked_template_words(portfolio, data, pseudo_translated)}
    assert found == {"plan document": [], "organisation document": []}
