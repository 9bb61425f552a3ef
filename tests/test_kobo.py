"""KoboToolbox exports, built exactly in formpack's layout: sheets, repeat groups, '/' paths, re-imports."""

from __future__ import annotations

import json

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import Plan, PlanError, PlanInfo, Workspace
from partnerlib.app.cli import main
from partnerlib.io.kobo import import_kobo, read_kobo
from partnerlib.models import Kpi, Monitoring

NAME = "Water"
TITLE = "Water point survey"
UUID_1 = "f16d9a3f-0892-413e-81d4-758ab188ea0b"
UUID_2 = "790af158-7b24-4651-b584-27bf65b9e397"

# The main sheet as formpack writes it with groups in headers ('/' paths) and KoboToolbox's
# copy fields (_id, _uuid, _submission_time, _validation_status), then _index (the form has a repeat).
MAIN = [
    ["start", "end", "today", "village", "water/households", "water/share_safe",
     "_id", "_uuid", "_submission_time", "_validation_status", "_index"],
    ["2024-01-15T09:00:00.000-05:00", "2024-01-15T09:20:00.000-05:00", "2024-01-15", "Abura", "120", "64",
     123, UUID_1, "2024-01-15T14:21:09", "validation_status_approved", 1],
    ["2024-01-16T10:00:00.000-05:00", "2024-01-16T10:30:00.000-05:00", "2024-01-15", "Kiti", "80", "50",
     124, UUID_2, "2024-01-16T15:30:00", "validation_status_approved", 2],
]
# The repeat group's sheet: its questions, then _index, _parent_table_name, _parent_index and
# the submission's copy fields prefixed _submission_ (formpack's auto fields, in that order).
WELLS = [
    ["wells/well_name", "wells/working", "_index", "_parent_table_name", "_parent_index",
     "_submission__id", "_submission__uuid", "_submission__submission_time", "_submission__validation_status"],
    ["North well", "1", 1, TITLE, 1, 123, UUID_1, "2024-01-15T14:21:09", "validation_status_approved"],
    ["River well", "1", 2, TITLE, 1, 123, UUID_1, "2024-01-15T14:21:09", "validation_status_approved"],
    ["School well", "0", 3, TITLE, 2, 124, UUID_2, "2024-01-16T15:30:00", "validation_status_approved"],
]
MAPPING = {"kpis": {"water/households": "Households with safe water", "working": "WELLS"},
           "date": "today", "group": "village"}


def small_plan():
    return Plan(info=PlanInfo(name=NAME), monitoring=Monitoring(kpis=[
        Kpi(id="k1", name="Households with safe water"),
        Kpi(id="k2", name="Working wells", code="WELLS"),
        Kpi(id="k3", name="Share of households with safe water", unit="percentage", code="share_safe"),
    ]))


def workbook(tmp_path, main=MAIN, wells=WELLS, name="water.xlsx"):
    book = openpyxl.Workbook()
    book.active.title = TITLE
    for row in main:
        book.active.append(row)
    sheet = book.create_sheet("wells")
    for row in wells:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def kobo_csv(tmp_path, rows=MAIN, name="water.csv"):
    """The first sheet as formpack's to_csv writes it: ';' between cells, every cell in quotes."""
    path = tmp_path / name
    path.write_text("\n".join(";".join('"' + str(c).replace('"', '""') + '"' for c in row) for row in rows) + "\n")
    return path


def records(report):
    frame = report.accepted
    return frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d")).to_dict("records")


def test_xlsx_reads_main_and_repeat_sheets(tmp_path):
    assert records(read_kobo(workbook(tmp_path), small_plan(), MAPPING)) == [
        {"kpi": "k1", "date": "2024-01-15", "value": 120.0, "group": "Abura",
         "source": "KoboToolbox water (1 submission)"},
        {"kpi": "k1", "date": "2024-01-15", "value": 80.0, "group": "Kiti", "source": "KoboToolbox water (1 submission)"},
        # the wells' village and date come from the submission each well row belongs to
        {"kpi": "k2", "date": "2024-01-15", "value": 2.0, "group": "Abura",
         "source": "KoboToolbox water (1 submission)"},
        {"kpi": "k2", "date": "2024-01-15", "value": 0.0, "group": "Kiti", "source": "KoboToolbox water (1 submission)"},
        # share_safe is the code of k3: read without a line in the mapping
        {"kpi": "k3", "date": "2024-01-15", "value": 64.0, "group": "Abura",
         "source": "KoboToolbox water (1 submission)"},
        {"kpi": "k3", "date": "2024-01-15", "value": 50.0, "group": "Kiti", "source": "KoboToolbox water (1 submission)"},
    ]


def test_without_a_group_answers_of_a_date_combine(tmp_path):
    mapping = {"kpis": {"water/households": "k1", "water/share_safe": "k3"}, "date": "today"}
    found = {(r["kpi"], r["value"]) for r in records(read_kobo(workbook(tmp_path), small_plan(), mapping))}
    assert found == {("k1", 200.0), ("k3", 57.0)}  # households summed; the percentage averaged


def test_csv_reads_the_main_sheet(tmp_path):
    mapping = {"kpis": {"households": "k1"}}  # the question's own name finds its '/' path
    found = records(read_kobo(kobo_csv(tmp_path), small_plan(), mapping))
    assert [(r["kpi"], r["date"], r["value"]) for r in found] == [
        ("k1", "2024-01-15", 120.0), ("k1", "2024-01-16", 80.0),  # dated by _submission_time
        ("k3", "2024-01-15", 64.0), ("k3", "2024-01-16", 50.0)]


def test_a_mapping_from_yaml(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text("kpis:\n  water/households: households with SAFE water\ndate: today\n")
    assert {r["kpi"] for r in records(read_kobo(workbook(tmp_path), small_plan(), path))} == {"k1", "k3"}


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "workspace.sqlite") as ws:
        ws.create_plan(small_plan(), author="test")
        yield ws


def test_importing_the_same_export_twice_updates(workspace, tmp_path):
    path = workbook(tmp_path)
    import_kobo(workspace, NAME, path, MAPPING)
    again = import_kobo(workspace, NAME, path, MAPPING)
    assert (again.added, again.updated, len(workspace.measurements(NAME))) == (0, 6, 6)


def test_a_later_export_with_a_new_submission_updates_its_date(workspace, tmp_path):
    import_kobo(workspace, NAME, workbook(tmp_path), MAPPING)
    later = [*MAIN, ["", "", "2024-01-15", "Abura", "30", "", 125, "a1b2", "2024-01-17T08:00:00", "", 3]]
    report = import_kobo(workspace, NAME, workbook(tmp_path, main=later, name="later.xlsx"), MAPPING)
    stored = workspace.measurements(NAME).query("kpi == 'k1' and group == 'Abura'")
    assert (report.added, stored["value"].tolist()) == (0, [150.0])


def test_a_submission_exported_twice_counts_once(tmp_path):
    doubled = [*MAIN, MAIN[1]]
    found = records(read_kobo(workbook(tmp_path, main=doubled), small_plan(), MAPPING))
    assert [r["value"] for r in found if r["kpi"] == "k1"] == [120.0, 80.0]


# (a change to the main sheet's second row: column → text, the rejected answers as (sheet, row, column, reason))
BAD_ANSWERS = [
    ({"water/households": "many"}, [(TITLE, 2, "water/households", "'water/households' must be a number (got 'many')")]),
    ({"today": "15/01/2024"}, [(TITLE, 2, "today", "'today' must be a date like 2026-03-31 (got '15/01/2024')")] * 2
     + [("wells", 2, "today", "'today' must be a date like 2026-03-31 (got '15/01/2024')"),
        ("wells", 3, "today", "'today' must be a date like 2026-03-31 (got '15/01/2024')")]),
    ({"today": "2024-02-30"}, [(TITLE, 2, "today", "'today' is not a real date (got '2024-02-30')")] * 2
     + [("wells", 2, "today", "'today' is not a real date (got '2024-02-30')"),
        ("wells", 3, "today", "'today' is not a real date (got '2024-02-30')")]),
]


@pytest.mark.parametrize(("change", "expected"), BAD_ANSWERS)
def test_bad_answers_name_sheet_row_and_column(tmp_path, change, expected):
    main = [MAIN[0], [change.get(h, c) for h, c in zip(MAIN[0], MAIN[1], strict=True)], MAIN[2]]
    report = read_kobo(workbook(tmp_path, main=main), small_plan(), MAPPING)
    assert sorted((r.sheet, r.row, r.column, r.reason) for r in report.rejected) == sorted(expected)


def test_a_bad_answer_writes_nothing(workspace, tmp_path):
    main = [MAIN[0], [*MAIN[1][:4], "many", *MAIN[1][5:]], MAIN[2]]
    report = import_kobo(workspace, NAME, workbook(tmp_path, main=main), MAPPING)
    assert (report.written, len(workspace.measurements(NAME))) == (0, 0)


def test_keep_valid_writes_the_others(workspace, tmp_path):
    main = [MAIN[0], [*MAIN[1][:4], "many", *MAIN[1][5:]], MAIN[2]]
    report = import_kobo(workspace, NAME, workbook(tmp_path, main=main), MAPPING, keep_valid=True)
    assert report.written == 5


# (mapping, the start of the error)
BAD_MAPPINGS = [
    ({"kpis": {"water/households": "Latrines"}},
     "cannot import water.xlsx: 'kpis: water/households' 'Latrines' is not one of the plan's KPIs"),
    ({"kpis": {"water/latrines": "k1"}}, "cannot import water.xlsx: the question 'water/latrines' is in no sheet"),
    ({"kpi": {}}, "a mapping must name 'kpis' (question: KPI), and may name 'date' and 'group' (unknown: kpi)"),
    ({"kpis": ["water/households"]}, "a mapping must name 'kpis'"),
]


@pytest.mark.parametrize(("mapping", "message"), BAD_MAPPINGS)
def test_a_bad_mapping_is_one_clear_error(tmp_path, mapping, message):
    with pytest.raises(PlanError) as caught:
        read_kobo(workbook(tmp_path), small_plan(), mapping)
    assert str(caught.value).startswith(message)


def test_unused_questions_are_listed(tmp_path):
    report = read_kobo(workbook(tmp_path), small_plan(), MAPPING)
    assert report.unused_columns == ["start", "end", "wells/well_name"]


# (file name, bytes, the start of the error)
MALFORMED = [
    ("water.xlsx", b"not a zip", "water.xlsx cannot be read as an .xlsx workbook"),
    ("water.csv", b"", "water.csv is empty"),
    ("water.csv", b"\xff\xfe\x00", "water.csv is not UTF-8 text"),
    ("water.json", b"{}", "water.json: a KoboToolbox export is an .xlsx or .csv file"),
]


@pytest.mark.parametrize(("name", "data", "message"), MALFORMED)
def test_a_malformed_file_is_one_clear_error(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(PlanError) as caught:
        read_kobo(tmp_path / name, small_plan(), MAPPING)
    assert str(caught.value).startswith(message)


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.lists(st.lists(cells, max_size=12), min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_any_csv_gives_a_report_or_a_clear_error(tmp_path_factory, rows):
    path = kobo_csv(tmp_path_factory.mktemp("fuzz"), [MAIN[0], *rows])
    report = read_kobo(path, small_plan(), MAPPING | {"kpis": {"households": "k1"}})
    assert len(report.accepted) <= report.answers


def test_the_command_imports(workspace, tmp_path, capsys):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(json.dumps(MAPPING))  # JSON is YAML too
    main(["--workspace", str(workspace.path), "import-kobo", NAME, str(workbook(tmp_path)), "--mapping", str(mapping)])
    assert "Written to the plan: 6 added, 0 updated." in capsys.readouterr().out
