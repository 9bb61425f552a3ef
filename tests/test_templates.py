"""Spreadsheet templates: the plan's names in dropdown lists, typed columns, a help row, read back by the import."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from partnerlib import Plan, PlanError, PlanInfo, Workspace, import_table, read_table
from partnerlib.app.cli import main
from partnerlib.io.templates import write_template
from partnerlib.models import Kpi, Monitoring

NAME = "Wells"


def small_plan():
    return Plan(info=PlanInfo(name=NAME), monitoring=Monitoring(kpis=[
        Kpi(id="k1", name="Households with safe water"), Kpi(id="k2", name="=Wells built", code="WELLS"),
    ]))


def validations(path, sheet):
    return {str(rule.sqref).split(":")[0][0]: (rule.type, rule.formula1)
            for rule in openpyxl.load_workbook(path)[sheet].data_validations.dataValidation}


# (kind, sheet, column letter, the check it carries)
CHECKS = [
    ("measurements", "Measurements", "A", ("list", "=Lists!$A$1:$A$2")),  # the plan's KPIs
    ("measurements", "Measurements", "B", ("date", "1")),
    ("measurements", "Measurements", "C", ("decimal", "-1e+15")),
    ("risks", "Risks", "C", ("list", "=Lists!$C$1:$C$9")),  # the categories
    ("risks", "Risks", "F", ("whole", "1")),  # likelihood 1–5
    ("kpis", "Kpis", "F", ("list", "=Lists!$F$1:$F$2")),  # cumulative: true or false
]


@pytest.mark.parametrize(("kind", "sheet", "column", "check"), CHECKS)
def test_columns_carry_their_checks(tmp_path, kind, sheet, column, check):
    path = write_template(small_plan(), kind, tmp_path / "t.xlsx")
    assert validations(path, sheet)[column] == check


# (kind, sheet, column letter, what the spreadsheet program says to an entry the check refuses)
REFUSALS = [
    ("measurements", "Measurements", "A", "Choose a value from the list."),
    ("measurements", "Measurements", "B", "Type a date like 2026-03-31."),
    ("measurements", "Measurements", "C", "Type a number from -1,000,000,000,000,000 to 1,000,000,000,000,000."),
    ("risks", "Risks", "F", "Type a whole number from 1 to 5."),
    # numbers as people write them, never "1e+12"
    ("contributions", "Contributions", "F", "Type a number from 0 to 1,000,000,000,000."),  # an amount
    ("contributions", "Contributions", "G", "Type a number from 0 to 10,000,000."),  # in-kind hours
]


@pytest.mark.parametrize(("kind", "sheet", "column", "words"), REFUSALS)
def test_a_refused_entry_is_told_what_to_type(tmp_path, kind, sheet, column, words):
    book = openpyxl.load_workbook(write_template(small_plan(), kind, tmp_path / "t.xlsx"))
    assert {str(rule.sqref)[0]: rule.error for rule in book[sheet].data_validations.dataValidation}[column] == words


def test_the_kpi_list_holds_the_plan_names_as_text(tmp_path):
    lists = openpyxl.load_workbook(write_template(small_plan(), "measurements", tmp_path / "t.xlsx"))["Lists"]
    assert [(c.value, c.data_type) for c in lists["A"]] == [("Households with safe water", "s"), ("=Wells built", "s")]


def test_the_help_row_explains_each_column(tmp_path):
    sheet = openpyxl.load_workbook(write_template(small_plan(), "measurements", tmp_path / "t.xlsx"))["Measurements"]
    assert sheet["A2"].value == "Required. The KPI: choose one of the plan's KPIs (its id or code works too)."


def fill(path, sheet, *rows):
    book = openpyxl.load_workbook(path)
    for number, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            cell = book[sheet].cell(number, column, value)
            cell.data_type = "s" if isinstance(value, str) else cell.data_type  # as a chosen name: text
    book.save(path)
    return path


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "workspace.sqlite") as ws:
        ws.create_plan(small_plan(), author="test")
        yield ws


def test_a_filled_template_imports(workspace, tmp_path):
    path = fill(write_template(small_plan(), "measurements", tmp_path / "t.xlsx"), "Measurements",
                ["Households with safe water", dt.date(2026, 1, 31), 120], ["=Wells built", dt.date(2026, 1, 31), 3])
    import_table(workspace, NAME, path, "measurements")
    assert workspace.measurements(NAME)[["kpi", "value"]].to_dict("records") == [
        {"kpi": "k1", "value": 120.0}, {"kpi": "k2", "value": 3.0}]


def test_an_empty_template_reads_as_no_rows(tmp_path):
    report = read_table(write_template(small_plan(), "risks", tmp_path / "t.xlsx"), "risks")
    assert (len(report.accepted), report.rejected) == (0, [])


def test_a_bad_row_of_a_template_names_its_row(tmp_path):
    path = fill(write_template(small_plan(), "risks", tmp_path / "t.xlsx"), "Risks", [None, "Floods", None, None, None, 9])
    assert [str(r) for r in read_table(path, "risks").rejected] == ["row 3, column 'likelihood': must be between 1 and 5 (got 9)"]


@pytest.mark.parametrize(("kind", "name", "message"), [
    ("gifts", "t.xlsx",
     "unknown kind of table 'gifts': choose one of answers, candidates, contributions, kpis, measurements, ratings, "
     "risks"),
    ("risks", "t.csv", "t.csv: a template is an .xlsx file (give a name ending in .xlsx)"),
])
def test_bad_requests_are_refused(tmp_path, kind, name, message):
    with pytest.raises(PlanError) as caught:
        write_template(small_plan(), kind, tmp_path / name)
    assert str(caught.value) == message


def test_the_command_writes_a_template(workspace, tmp_path, capsys):
    main(["--workspace", str(workspace.path), "template", NAME, "kpis", str(tmp_path / "kpis.xlsx")])
    assert [c.value for c in openpyxl.load_workbook(tmp_path / "kpis.xlsx")["Kpis"][1]][:3] == ["id", "name", "level"]
