"""Spreadsheet import: messy files read right, every bad row named, nothing written by halves."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from partnerlib import (
    TABLE_KINDS,
    InvalidInput,
    Plan,
    PlanError,
    PlanInfo,
    Workspace,
    import_table,
    read_table,
)
from partnerlib.io.spreadsheets import COLUMN_SYNONYMS, measurements_frame
from partnerlib.models import (
    Appetite,
    Candidate,
    Kpi,
    Measurement,
    Monitoring,
    Need,
    Partners,
    Rate,
    Resources,
    Risk,
    Risks,
)

NAME = "Test plan"


def csv_file(folder, text, name="table.csv", *, bom=False, encoding="utf-8"):
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def small_plan():
    return Plan(
        info=PlanInfo(name=NAME, as_of=dt.date(2026, 9, 30)),
        partners=Partners(needs=[Need(id="n1", title="Water")], candidates=[Candidate(id="c1", name="ClearFlow")]),
        resources=Resources(rates=[Rate(id="rate-1", name="Nurse", hourly=12)]),
        risks=Risks(risks=[Risk(id="r1", title="Floods")], appetite=[Appetite(category="external")]),
        monitoring=Monitoring(kpis=[Kpi(id="k1", name="Visits"), Kpi(id="k2", name="Trained", code="TRN_01")]),
    )


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "workspace.sqlite") as ws:
        ws.create_plan(small_plan(), author="test")
        yield ws


def state(ws):
    """Everything an import could change: the plan, its revisions and its measurements."""
    snapshot = ws.load(NAME)
    return snapshot.plan, snapshot.revisions, len(ws.measurements(NAME))


# ---------------------------------------------------------------- columns

# (header as typed, kind, field it is read into)
COLUMNS = [
    ("Risk", "risks", "title"),
    ("risk name", "risks", "title"),
    ("  PROBABILITY ", "risks", "likelihood"),
    ("Severity", "risks", "impact"),
    ("consequence", "risks", "impact"),
    ("Risk_Owner", "risks", "owner"),
    ("Residual  Probability", "risks", "residual_likelihood"),
    ("residual-likelihood", "risks", "residual_likelihood"),
    ("Indicator", "kpis", "name"),
    ("Baseline Value", "kpis", "baseline"),
    ("INDICATOR", "measurements", "kpi"),
    ("KPI id", "measurements", "kpi"),
    ("Period", "measurements", "date"),
    ("Actual", "measurements", "value"),
    ("Disaggregation", "measurements", "group"),
    ("Partner", "candidates", "name"),
    ("Partner", "contributions", "party"),
]

REQUIRED = {"risks": ["title"], "kpis": ["name"], "measurements": ["kpi", "date", "value"],
            "candidates": ["name"], "contributions": ["party"]}
CELL = {"title": "x", "name": "x", "kpi": "k1", "date": "2026-01-31", "party": "us"}


@pytest.mark.parametrize(("header", "kind", "field"), COLUMNS)
def test_column_names_match_with_synonyms_case_and_spaces(tmp_path, header, kind, field):
    columns = [c for c in REQUIRED[kind] if c != field]
    cells = [CELL.get(c, "1") for c in [*columns, field]]
    path = csv_file(tmp_path, ",".join([*columns, header]) + "\n" + ",".join(cells) + "\n")
    assert read_table(path, kind).columns[header.strip()] == field


def test_every_synonym_names_a_real_field():
    models = {"risks": Risk, "kpis": Kpi, "measurements": Measurement}
    assert all(field in models[kind].model_fields for kind in models
               for field in COLUMN_SYNONYMS[kind].values())


def test_unknown_columns_are_reported(tmp_path):
    path = csv_file(tmp_path, "Risk,Notes,Impcat\nFloods,wet,4\n")
    assert read_table(path, "risks").unknown_columns == ["Notes", "Impcat"]


def test_unknown_columns_are_named_in_the_summary(tmp_path):
    path = csv_file(tmp_path, "Risk,Notes\nFloods,wet\n")
    assert "Not imported (no such field): Notes" in str(read_table(path, "risks"))


def test_the_report_says_what_was_read_and_why_a_row_was_rejected(tmp_path):
    path = csv_file(tmp_path, "Risk,Severity,Notes,\nFloods,9,wet,\nFire,3,,x\n")
    assert str(read_table(path, "risks")).splitlines() == [
        "table.csv as risks: 2 rows read, 1 valid, 1 rejected.",
        "Columns: Risk → title, Severity → impact",
        "Not imported (no such field): Notes, (column D has no header)",
        "Rejected rows:",
        "  row 2, column 'Severity': must be between 1 and 5 (got 9)",
    ]


def test_a_missing_required_column_is_named(tmp_path):
    path = csv_file(tmp_path, "kpi,period\nk1,2026-01-31\n")
    with pytest.raises(InvalidInput, match="no column for the measurement's value: name one 'Value', 'Actual', "
                                           "'Result' or 'Measurement'"):
        read_table(path, "measurements")


def test_two_columns_meaning_the_same_field_are_refused(tmp_path):
    path = csv_file(tmp_path, "Risk,Probability,Likelihood\nFloods,2,3\n")
    with pytest.raises(InvalidInput, match="'Probability' and 'Likelihood' both give the risk's likelihood"):
        read_table(path, "risks")


#: Columns of a very wide file (100,000 reads the same but takes minutes on a busy machine).
WIDE = 2_000


@pytest.fixture(scope="module")
def wide_files(tmp_path_factory):
    """A very wide CSV without a required column, and one with a valid header."""
    folder = tmp_path_factory.mktemp("wide")
    others = ",".join(f"column {n}" for n in range(WIDE))
    return (csv_file(folder, others + "\n" + "1," * (WIDE - 1) + "1\n", "no_kpi.csv"),
            csv_file(folder, f"kpi,date,value,{others}\nk1,2026-01-31,1{',' * WIDE}\n", "valid.csv"))


def test_a_very_wide_file_without_a_required_column_gives_a_short_error(wide_files):
    with pytest.raises(InvalidInput) as caught:
        read_table(wide_files[0], "measurements")
    assert len(str(caught.value)) < 2_000


def test_the_error_counts_the_columns_it_does_not_name(wide_files):
    with pytest.raises(InvalidInput) as caught:
        read_table(wide_files[0], "measurements")
    assert "'column 19', … and 1,980 more)" in str(caught.value)


def test_a_very_wide_file_gives_a_short_report(wide_files):
    assert len(str(read_table(wide_files[1], "measurements"))) < 2_000


def test_the_report_counts_the_unknown_columns_it_does_not_name(wide_files):
    line = str(read_table(wide_files[1], "measurements")).splitlines()[-1]
    assert line.endswith("column 18, column 19, … and 1,980 more")


def test_many_rejected_rows_are_counted_after_the_first_twenty(tmp_path):
    path = csv_file(tmp_path, "kpi,date,value\n" + "k1,2026-01-31,x\n" * 25)
    assert str(read_table(path, "measurements")).splitlines()[-2:] == [
        "  row 21, column 'value': must be a number (got 'x')", "  … and 5 more"]


def test_a_value_repeated_many_times_names_twenty_other_rows(tmp_path):
    path = csv_file(tmp_path, "kpi,date,value\n" + "k1,2026-01-31,1\n" * 1000)
    reason = read_table(path, "measurements").rejected[-1].reason
    assert reason.startswith("KPI 'k1' has another value for 2026-01-31 in rows "
                             + ", ".join(str(n) for n in range(2, 22)) + ", … and 979 more: a KPI")


def test_unknown_kind_is_refused(tmp_path):
    with pytest.raises(PlanError, match="choose one of"):
        read_table(csv_file(tmp_path, "a\n1\n"), "invoices")


def test_table_kinds():
    assert TABLE_KINDS == ("answers", "candidates", "contributions", "kpis", "measurements", "ratings", "risks")


# ---------------------------------------------------------------- cells of the small tables

# (header, cell, field, value read)
RISK_CELLS = [
    ("Probability", "Likely", "likelihood", 4),
    ("Probability", " almost  CERTAIN ", "likelihood", 5),
    ("Severity", "Major", "impact", 4),
    ("Severity", "2", "impact", 2),
    ("Category", "Reputational", "category", "reputational"),
    ("Owner", "=HYPERLINK(\"http://x\")", "owner", "=HYPERLINK(\"http://x\")"),
    ("Owner", "+44 20 7946 0000", "owner", "+44 20 7946 0000"),
    ("Owner", "@chair", "owner", "@chair"),
    ("Cause", "-rains", "cause", "-rains"),
    ("Reviewed", "2026-03-31", "reviewed", dt.date(2026, 3, 31)),
]


@pytest.mark.parametrize(("header", "cell", "field", "expected"), RISK_CELLS)
def test_risk_cells_are_read_into_values(tmp_path, header, cell, field, expected):
    path = csv_file(tmp_path, f'Risk,{header}\nFloods,"{cell.replace(chr(34), chr(34) * 2)}"\n')
    assert getattr(read_table(path, "risks").accepted[0], field) == expected


# (cell, field, value read): numbers with thousands separators
CONTRIBUTION_CELLS = [
    ("1,250.50", "amount", 1250.5),
    ("1 250", "amount", 1250.0),
    ("12\u00a0000", "amount", 12000.0),
    ("1,250,000", "amount", 1250000.0),
]


@pytest.mark.parametrize(("cell", "field", "expected"), CONTRIBUTION_CELLS)
def test_numbers_with_thousands_separators(tmp_path, cell, field, expected):
    path = csv_file(tmp_path, f'Partner,Amount\nus,"{cell}"\n')
    assert getattr(read_table(path, "contributions").accepted[0], field) == expected


# (date cell, dayfirst, date read)
DATES = [
    ("2026-03-31", False, dt.date(2026, 3, 31)),
    ("2026-3-1", False, dt.date(2026, 3, 1)),
    ("2026-03-31 00:00:00", False, dt.date(2026, 3, 31)),
    ("31/03/2026", True, dt.date(2026, 3, 31)),
    ("04/03/2026", True, dt.date(2026, 3, 4)),
    ("31.03.2026", True, dt.date(2026, 3, 31)),
    ("2026-03-31", True, dt.date(2026, 3, 31)),
]


@pytest.mark.parametrize(("cell", "dayfirst", "expected"), DATES)
def test_dates_iso_or_day_first_when_asked(tmp_path, cell, dayfirst, expected):
    path = csv_file(tmp_path, f"kpi,date,value\nk1,{cell},1\n")
    frame = read_table(path, "measurements", dayfirst=dayfirst).accepted
    assert frame["date"].dt.date.tolist() == [expected]


# ---------------------------------------------------------------- rejected rows

MESSY_RISKS = (
    "Risk ,PROBABILITY, severity ,Owner\n"
    "Floods,Likely,Major,Ann\n"          # row 2: fine
    "Fire,2,9,Bob\n"                     # row 3: impact out of range
    "\n"                                 # row 4: blank, skipped (still counted)
    ",3,3,Cy\n"                          # row 5: no title
    "Theft,often,3,Di\n"                 # row 6: not a scale word
    "Drought,1,1,Ed\n"                   # row 7: fine
)

# (row number, reason)
MESSY_RISK_REJECTS = [
    (3, "column 'severity': must be between 1 and 5 (got 9)"),
    (5, "column 'Risk': must not be empty"),
    (6, "column 'PROBABILITY': must be a whole number (got 'often')"),
]


@pytest.fixture
def messy_risks(tmp_path):
    return csv_file(tmp_path, MESSY_RISKS, "risks.csv", bom=True)


def test_messy_risks_rejects_each_bad_row_with_its_number_and_reason(messy_risks):
    assert [(r.row, r.reason) for r in read_table(messy_risks, "risks").rejected] == MESSY_RISK_REJECTS


def test_a_rejected_row_keeps_its_problems_as_data(messy_risks):
    rejected = read_table(messy_risks, "risks").rejected[0]
    assert [(p.code, dict(p.context)) for p in rejected.problems] == [
        ("between", {"field": "impact", "got": 9, "ge": 1, "le": 5})]


def test_messy_risks_accepts_the_good_rows(messy_risks):
    assert [r.title for r in read_table(messy_risks, "risks").accepted] == ["Floods", "Drought"]


def test_accepted_rows_carry_their_row_numbers(messy_risks):
    assert read_table(messy_risks, "risks").accepted_rows == [2, 7]


def test_summary_lists_rejected_rows(messy_risks):
    text = str(read_table(messy_risks, "risks"))
    assert "5 rows read, 2 valid, 3 rejected" in text and "row 6, column 'PROBABILITY': must be a whole number" in text


MESSY_MEASUREMENTS = (
    "Indicator, Period ,Actual,Disaggregation,Source\n"
    "k1,2026-01-31,\"1,250.50\",female,register\n"   # 2 fine
    "k1,2026-02-28,abc,female,register\n"            # 3 not a number
    "k1,04/03/2026,5,male,register\n"                # 4 ambiguous date
    ",2026-03-31,5,,register\n"                      # 5 no KPI
    "k 1,2026-03-31,5,,register\n"                   # 6 fine: a name (read against a plan on import)
    "k2,2026-02-30,5,,register\n"                    # 7 no such day
    "k2,2026-03-31,\"1,5\",,register\n"              # 8 decimal comma: not a number
    "\n"                                             # 9 blank
    "k2,2026-04-30,,,register\n"                     # 10 no value
    "k2,2026-05-31,1 250,,=cmd()\n"                  # 11 fine; the source stays text
)

# (row number, start of the reason)
MEASUREMENT_REJECTS = [
    (3, "column 'Actual': must be a number (got 'abc')"),
    (4, "column 'Period': '04/03/2026' is not an ISO date: is the day or the month first?"),
    (5, "column 'Indicator': must not be empty"),
    (7, "column 'Period': is not a real date (got '2026-02-30')"),
    (8, "column 'Actual': must be a number (got '1,5')"),
    (10, "column 'Actual': must not be empty"),
]


@pytest.fixture
def messy_measurements(tmp_path):
    return csv_file(tmp_path, MESSY_MEASUREMENTS, "measurements.csv", bom=True)


@pytest.mark.parametrize(("row", "reason"), MEASUREMENT_REJECTS)
def test_messy_measurements_each_bad_row(messy_measurements, row, reason):
    found = {r.row: r.reason for r in read_table(messy_measurements, "measurements").rejected}
    assert found[row].startswith(reason)


def test_messy_measurements_reject_exactly_the_bad_rows(messy_measurements):
    rows = [r.row for r in read_table(messy_measurements, "measurements").rejected]
    assert rows == [row for row, _ in MEASUREMENT_REJECTS]


def test_messy_measurements_accepted_values(messy_measurements):
    frame = read_table(messy_measurements, "measurements").accepted
    assert frame.reset_index().to_dict("records") == [
        {"row": 2, "kpi": "k1", "date": pd.Timestamp("2026-01-31"), "value": 1250.5,
         "group": "female", "source": "register"},
        {"row": 6, "kpi": "k 1", "date": pd.Timestamp("2026-03-31"), "value": 5.0,
         "group": "", "source": "register"},
        {"row": 11, "kpi": "k2", "date": pd.Timestamp("2026-05-31"), "value": 1250.0,
         "group": "", "source": "=cmd()"},
    ]


def test_ambiguous_date_is_read_day_first_when_asked(messy_measurements):
    frame = read_table(messy_measurements, "measurements", dayfirst=True).accepted
    assert frame.loc[4, "date"] == pd.Timestamp("2026-03-04")


def test_a_row_with_several_problems_lists_them_all(tmp_path):
    path = csv_file(tmp_path, "kpi,date,value\n,someday,x\n")
    reason = read_table(path, "measurements").rejected[0].reason
    assert reason.count("; ") == 2


def test_missing_source_column_takes_the_file_name(tmp_path):
    path = csv_file(tmp_path, "kpi,date,value\nk1,2026-01-31,1\n", "march.csv")
    assert read_table(path, "measurements").accepted["source"].tolist() == ["march.csv"]


def test_measurements_never_build_a_model_per_row(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a Measurement model was built")

    monkeypatch.setattr(Measurement, "model_validate", classmethod(refuse))
    monkeypatch.setattr(Measurement, "__init__", refuse)
    days = pd.date_range("2020-01-01", periods=1000).strftime("%Y-%m-%d")
    rows = "".join(f"k{i % 3},{days[i // 3]},{i}\n" for i in range(3000))
    path = csv_file(tmp_path, "kpi,date,value\n" + rows)
    assert len(read_table(path, "measurements").accepted) == 3000


def test_measurements_frame_accepts_numbers_and_text():
    frame = pd.DataFrame({"kpi": ["k1", "k2"], "date": ["2026-01-31", "2026-02-28"], "value": [1.5, 2]})
    clean, problems = measurements_frame(frame)
    assert (clean["value"].tolist(), len(problems)) == ([1.5, 2.0], 0)


def test_measurements_frame_refuses_infinity():
    frame = pd.DataFrame({"kpi": ["k1"], "date": ["2026-01-31"], "value": [float("inf")]})
    assert [[str(p) for p in found] for found in measurements_frame(frame)[1]] == [["'value' must be a number (got 'inf')"]]


# (values of the value column): true and false are never read as 1 and 0.
BOOLEAN_VALUES = [[True, 2.0], [True, False], ["1", False]]


@pytest.mark.parametrize("values", BOOLEAN_VALUES)
def test_measurements_frame_refuses_booleans(values):
    frame = pd.DataFrame({"kpi": "k1", "date": "2026-01-31", "value": values})
    problems = measurements_frame(frame)[1]
    assert {row: [str(p) for p in found] for row, found in problems.items()} == {
        i: [f"'value' must be a number (got {str(v)!r})"] for i, v in enumerate(values) if isinstance(v, bool)}


def test_a_csv_column_of_true_and_false_is_no_number(tmp_path):
    path = csv_file(tmp_path, "kpi,date,value\nk1,2026-01-31,TRUE\nk1,2026-02-28,FALSE\n")
    assert [r.reason for r in read_table(path, "measurements").rejected] == [
        "column 'value': must be a number (got 'True')", "column 'value': must be a number (got 'False')"]


# (column, cell, problem): a control character in any text of a measurement refuses its row.
CONTROL_CHARACTERS = [
    ("group", "fe\x00male",
     "'group' must not contain the unprintable character U+0000 (character 3) (got 'fe\\x00male')"),
    ("source", "reg\x1bister",
     "'source' must not contain the unprintable character U+001B (character 4) (got 'reg\\x1bister')"),
    ("group", "a\ud800", "'group' must not contain the unprintable character U+D800 (character 2) (got 'a\\ud800')"),
]


@pytest.mark.parametrize(("column", "text", "problem"), CONTROL_CHARACTERS)
def test_measurements_frame_refuses_control_characters(column, text, problem):
    frame = pd.DataFrame({"kpi": ["k1"], "date": ["2026-01-31"], "value": [1], column: [text]})
    assert [[str(p) for p in found] for found in measurements_frame(frame)[1]] == [[problem]]


def test_a_risk_title_with_a_control_character_is_a_row_error(tmp_path):
    path = csv_file(tmp_path, "title\nFlo\x00ods\n")
    assert read_table(path, "risks").rejected[0].reason == (
        "column 'title': must not contain the unprintable character U+0000 (character 4) (got 'Flo\\x00ods')")


# ---------------------------------------------------------------- encodings and file kinds


def test_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = csv_file(tmp_path, "kpi,date,value\nk1,2026-01-31,1\n", bom=True)
    assert list(read_table(path, "measurements").columns) == ["kpi", "date", "value"]


def test_semicolon_separated_file(tmp_path):
    path = csv_file(tmp_path, "Risk;Likelihood\nFloods;4\n")
    assert read_table(path, "risks").accepted[0].likelihood == 4


def test_non_utf8_file_gets_a_clear_error(tmp_path):
    path = csv_file(tmp_path, "Risk,Owner\nFloods,José\n", encoding="latin-1")
    with pytest.raises(PlanError, match="not UTF-8 text.*CSV UTF-8"):
        read_table(path, "risks")


# (encoding, what the message says it looks like)
OTHER_ENCODINGS = [
    ("utf-16-le", "UTF-16 (every other byte is zero)"),
    ("utf-16-be", "UTF-16 (every other byte is zero)"),
    ("utf-16", "UTF-16 (it starts with that encoding's byte-order mark)"),
    ("utf-32", "UTF-32 (it starts with that encoding's byte-order mark)"),
    ("utf-32-le", "UTF-32 (three bytes of every four are zero)"),
]


@pytest.mark.parametrize(("encoding", "looks_like"), OTHER_ENCODINGS)
def test_a_utf16_file_is_named_as_such(tmp_path, encoding, looks_like):
    path = csv_file(tmp_path, "Risk,Owner\nFloods,José\n", encoding=encoding)
    with pytest.raises(PlanError) as caught:
        read_table(path, "risks")
    assert str(caught.value) == (
        f"table.csv is not UTF-8 text: it looks like {looks_like}. Only UTF-8 is read (with or without "
        "a byte-order mark): save the file as 'CSV UTF-8' and import it again")


def test_first_row_with_too_many_cells_is_refused(tmp_path):
    path = csv_file(tmp_path, "Risk,Owner\nFloods,Ann,extra\n")
    with pytest.raises(PlanError, match="row 2 has more cells than the header"):
        read_table(path, "risks")


def test_row_with_too_many_cells_is_named(tmp_path):
    path = csv_file(tmp_path, "Risk,Owner\nFloods,Ann\nFire,Bob,extra\n")
    with pytest.raises(PlanError, match="row 3 has 3 cells but the header names 2 columns"):
        read_table(path, "risks")


def test_other_file_kinds_are_refused(tmp_path):
    with pytest.raises(PlanError, match="only .csv and .xlsx"):
        read_table(csv_file(tmp_path, "x", "risks.xls"), "risks")


def test_missing_file(tmp_path):
    with pytest.raises(PlanError, match="does not exist"):
        read_table(tmp_path / "nope.csv", "risks")


@pytest.fixture
def workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(["Risk", "Likelihood", "Impact", "Reviewed", "Owner"])
    sheet.append(["Floods", "Likely", 4, dt.datetime(2026, 3, 31), "Ann"])     # row 2
    sheet.append(["Fire", "=1+2", 3, None, "Bob"])                            # row 3: formula, no saved value
    sheet.append(["Theft", 2, 3.0, dt.date(2026, 1, 5), None])                 # row 4
    sheet.cell(row=4, column=5, value="=SUM(A1:A9)").data_type = "s"          # text that looks like a formula
    other = book.create_sheet("Other")
    other.append(["Risk", "Impact"])
    other.append(["Other sheet", 2])
    path = tmp_path / "risks.xlsx"
    book.save(path)
    return path


# (what, expected)
def test_xlsx_formula_without_saved_value_is_a_row_error(workbook):
    rejected = read_table(workbook, "risks").rejected
    assert [(r.row, "formula whose result was never saved" in r.reason) for r in rejected] == [(3, True)]


def test_xlsx_formula_looking_text_stays_text(workbook):
    assert read_table(workbook, "risks").accepted[1].owner == "=SUM(A1:A9)"


def test_xlsx_dates_and_numbers(workbook):
    first, second = read_table(workbook, "risks").accepted
    assert (first.reviewed, first.likelihood, second.reviewed, second.impact) == (
        dt.date(2026, 3, 31), 4, dt.date(2026, 1, 5), 3)


def test_xlsx_other_sheet_by_name(workbook):
    assert read_table(workbook, "risks", sheet="Other").accepted[0].title == "Other sheet"


def test_xlsx_unknown_sheet_lists_the_sheets(workbook):
    with pytest.raises(PlanError, match="no sheet 'Budget'.*'Register', 'Other'"):
        read_table(workbook, "risks", sheet="Budget")


def test_xlsx_cached_formula_value_is_used(tmp_path):
    # A file saved by a spreadsheet program keeps each formula's last result: that is what is read.
    path = tmp_path / "cached.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["kpi", "date", "value"])
    book.active.append(["k1", "2026-01-31", "=2*21"])
    book.save(path)
    _with_cached_value(path, "C2", "42")
    assert read_table(path, "measurements").accepted["value"].tolist() == [42.0]


def _with_cached_value(path, cell, value):
    """Write a cached result next to a formula, as Excel or LibreOffice would on saving."""
    import re
    import shutil
    import zipfile

    source = path.with_suffix(".tmp")
    shutil.move(path, source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/>|(<c r="{cell}"[^>]*>)<f>([^<]*)</f>',
                              lambda m: f"{m.group(1) or m.group(3)}<f>{m.group(2) or m.group(4)}</f><v>{value}</v>",
                              data.decode()).encode()
            new.writestr(item, data)
    source.unlink()


# ---------------------------------------------------------------- writing into a plan


def test_all_or_nothing_leaves_the_workspace_unchanged(workspace, messy_risks):
    before = state(workspace)
    report = import_table(workspace, NAME, messy_risks, "risks")
    assert (report.written, state(workspace)) == (0, before)


def test_keep_valid_writes_the_valid_rows(workspace, messy_risks):
    import_table(workspace, NAME, messy_risks, "risks", keep_valid=True)
    assert [r.title for r in workspace.load(NAME).plan.risks.risks] == ["Floods", "Drought"]


def test_keep_valid_reports_what_it_wrote(workspace, messy_risks):
    report = import_table(workspace, NAME, messy_risks, "risks", keep_valid=True)
    assert (report.written, len(report.rejected)) == (2, 3)


def test_replace_mode_replaces_the_table(workspace, tmp_path):
    path = csv_file(tmp_path, "Risk,Impact\nDrought,Major\n")
    import_table(workspace, NAME, path, "risks", mode="replace")
    assert [r.title for r in workspace.load(NAME).plan.risks.risks] == ["Drought"]


def test_import_is_one_revision_with_a_note(workspace, tmp_path):
    path = csv_file(tmp_path, "Risk,Impact\nDrought,Major\n", "register.csv")
    import_table(workspace, NAME, path, "risks", author="Ana")
    latest = workspace.history(NAME, "risks")[0]
    assert (latest.author, latest.note) == ("Ana", "Imported 1 risk from register.csv (1 added, 0 updated)")


def test_clean_measurements_are_added(workspace, tmp_path):
    path = csv_file(tmp_path, "kpi,date,value,group\nk1,2026-01-31,\"1,200\",female\nk2,2026-01-31,3,\n")
    import_table(workspace, NAME, path, "measurements")
    assert workspace.measurements(NAME)[["kpi", "value"]].values.tolist() == [["k1", 1200.0], ["k2", 3.0]]


def test_measurements_replace_mode(workspace, tmp_path):
    first = csv_file(tmp_path, "kpi,date,value\nk1,2026-01-31,1\nk1,2026-02-28,2\n", "a.csv")
    second = csv_file(tmp_path, "kpi,date,value\nk2,2026-03-31,9\n", "b.csv")
    import_table(workspace, NAME, first, "measurements")
    import_table(workspace, NAME, second, "measurements", mode="replace")
    assert workspace.measurements(NAME)["value"].tolist() == [9.0]


def test_messy_measurements_write_nothing(workspace, messy_measurements):
    before = state(workspace)
    import_table(workspace, NAME, messy_measurements, "measurements")
    assert state(workspace) == before


# (file text, kind, row, start of the reason): rows that are fine alone but not in this plan
PLAN_CHECKS = [
    ("kpi,date,value\nk1,2026-01-31,1\nk9,2026-01-31,1\n", "measurements", 3,
     "column 'kpi': 'k9' is not one of the plan's KPIs (known: Visits, Trained)"),
    ("id,Risk\nr7,A\nr7,B\n", "risks", 3, "column 'id': 'r7' is used twice (also in row 2)"),
    ("Risk\nDrought\n  drought \n", "risks", 3, "the same title as row 2: keep one of the two rows"),
    ("Candidate,Need\nClearFlow,n1\nAquaAid,n9\n", "candidates", 3,
     "column 'Need': 'n9' is not one of the plan's needs (known: Water)"),
    ("Partner,Hours,Rate\nus,10,rate-1\nus,10,rate-9\n", "contributions", 3,
     "column 'Rate': 'rate-9' is not one of the plan's rates (known: Nurse)"),
    ("Partner,Hours\nus,10\nAquaAid,10\n", "contributions", 3,
     "column 'Partner': 'AquaAid' is not one of the plan's partners (known: Our organisation, ClearFlow)"),
    ("Partner,Contribution\nus,Nurses\nUS,nurses\n", "contributions", 3,
     "the same party and description as row 2"),
]


@pytest.mark.parametrize(("text", "kind", "row", "reason"), PLAN_CHECKS)
def test_rows_are_checked_against_the_plan(workspace, tmp_path, text, kind, row, reason):
    report = import_table(workspace, NAME, csv_file(tmp_path, text), kind)
    assert [(r.row, r.reason.startswith(reason)) for r in report.rejected] == [(row, True)]


def test_unknown_plan(workspace, messy_risks):
    with pytest.raises(PlanError, match="no plan called 'Nope'"):
        import_table(workspace, "Nope", messy_risks, "risks")


def test_bad_mode(workspace, messy_risks):
    with pytest.raises(PlanError, match="mode must be"):
        import_table(workspace, NAME, messy_risks, "risks", mode="merge")


def test_workspace_given_as_a_path(workspace, tmp_path):
    path = csv_file(tmp_path, "Risk\nDrought\n")
    assert import_table(workspace.path, NAME, path, "risks").written == 1


# ---------------------------------------------------------------- importing twice

SAMPLE_MEASUREMENTS = "kpi,date,value,group\nk1,2026-01-31,1,female\nk1,2026-01-31,2,male\nk2,2026-02-28,3,\n"


def test_measurements_imported_twice_are_stored_once(workspace, tmp_path):
    path = csv_file(tmp_path, SAMPLE_MEASUREMENTS)
    import_table(workspace, NAME, path, "measurements")
    import_table(workspace, NAME, path, "measurements")
    assert len(workspace.measurements(NAME)) == 3


# (import, what the second import reports)
SECOND_IMPORTS = [
    ("counts", lambda r: (r.added, r.updated, r.written), (0, 3, 3)),
    ("summary", lambda r: "Written to the plan: 3 measurements updated, 0 added." in str(r), True),
]


@pytest.mark.parametrize(("case", "seen", "expected"), SECOND_IMPORTS, ids=[c[0] for c in SECOND_IMPORTS])
def test_a_second_import_of_measurements_reports_updates(workspace, tmp_path, case, seen, expected):
    path = csv_file(tmp_path, SAMPLE_MEASUREMENTS)
    import_table(workspace, NAME, path, "measurements")
    assert seen(import_table(workspace, NAME, path, "measurements")) == expected


def test_a_reimported_measurement_takes_the_new_value(workspace, tmp_path):
    import_table(workspace, NAME, csv_file(tmp_path, "kpi,date,value\nk1,2026-01-31,1\n"), "measurements")
    report = import_table(workspace, NAME, csv_file(tmp_path, "kpi,date,value\nk1,2026-01-31,7\nk1,2026-02-28,8\n"),
                          "measurements")
    assert ((report.added, report.updated), workspace.measurements(NAME)["value"].tolist()) == ((1, 1), [7.0, 8.0])


def test_repeated_measurements_in_one_file_are_rejected_naming_both_rows(tmp_path):
    path = csv_file(tmp_path, "kpi,date,value,group\nk1,2026-01-31,1,f\nk1,2026-02-28,2,f\nk1,2026-01-31,3,f\n")
    assert [str(r) for r in read_table(path, "measurements").rejected] == [
        "row 2: KPI 'k1' has another value for 2026-01-31 (group 'f') in row 4: a KPI has one value per "
        "date and group, keep one of these rows",
        "row 4: KPI 'k1' has another value for 2026-01-31 (group 'f') in row 2: a KPI has one value per "
        "date and group, keep one of these rows",
    ]


def test_repeated_measurements_leave_the_other_rows_valid(tmp_path):
    path = csv_file(tmp_path, "kpi,date,value\nk1,2026-01-31,1\nk1,2026-02-28,2\nk1,2026-01-31,3\n")
    assert read_table(path, "measurements").accepted.index.tolist() == [3]


RISKS_FILE = "Risk,Likelihood,Owner\nFloods,4,Ann\nDrought,2,Ed\n"


def test_records_imported_twice_are_not_doubled(workspace, tmp_path):
    path = csv_file(tmp_path, RISKS_FILE)
    import_table(workspace, NAME, path, "risks")
    import_table(workspace, NAME, path, "risks")
    assert [r.title for r in workspace.load(NAME).plan.risks.risks] == ["Floods", "Drought"]


def test_a_second_import_of_records_reports_updates(workspace, tmp_path):
    path = csv_file(tmp_path, RISKS_FILE)
    import_table(workspace, NAME, path, "risks")
    report = import_table(workspace, NAME, path, "risks")
    assert ((report.added, report.updated), "Written to the plan: 2 risks updated, 0 added." in str(report)) == (
        (0, 2), True)


def test_a_matching_record_keeps_its_id_and_the_columns_the_file_lacks(workspace, tmp_path):
    # The plan's r1 is "Floods" with the model's defaults; give it an appetite-free update.
    before = workspace.load(NAME).plan.risks.risks[0]
    import_table(workspace, NAME, csv_file(tmp_path, "Risk,Owner\n  FLOODS ,Ann\n"), "risks")
    after = workspace.load(NAME).plan.risks.risks[0]
    assert after == before.model_copy(update={"owner": "Ann", "title": "FLOODS"})


def test_a_row_with_a_known_id_updates_that_record(workspace, tmp_path):
    import_table(workspace, NAME, csv_file(tmp_path, "Risk ID,Risk\nr1,Floods again\n"), "risks")
    assert [(r.id, r.title) for r in workspace.load(NAME).plan.risks.risks] == [("r1", "Floods again")]


CANDIDATES_FILE = "Partner name,Type\nRiverbend Health Centre,ngo\n"


def test_a_candidate_imported_twice_is_one_candidate(workspace, tmp_path):
    path = csv_file(tmp_path, CANDIDATES_FILE)
    import_table(workspace, NAME, path, "candidates")
    import_table(workspace, NAME, csv_file(tmp_path, CANDIDATES_FILE.replace("Riverbend", "riverbend "), "b.csv"),
                 "candidates")
    assert len(workspace.load(NAME).plan.partners.candidates) == 2  # ClearFlow, then the one imported


def test_contributions_match_on_party_and_description(workspace, tmp_path):
    path = csv_file(tmp_path, "Partner,Contribution,Hours\nus,Nurses,10\nus,Drivers,5\n")
    import_table(workspace, NAME, path, "contributions")
    again = csv_file(tmp_path, "Partner,Contribution,Hours\nus,nurses,12\n", "again.csv")
    import_table(workspace, NAME, again, "contributions")
    assert [(c.description, c.hours) for c in workspace.load(NAME).plan.resources.contributions] == [
        ("nurses", 12), ("Drivers", 5)]


# ---------------------------------------------------------------- words

WORDS = [
    ("one row", "Risk\nFloods\n", "1 row read"),
    ("two rows", "Risk\nFloods\nFire\n", "2 rows read"),
    ("no python keywords", "Risk,Impact\nFloods,9\n", "the option to keep the valid rows (--keep-valid)"),
]


@pytest.mark.parametrize(("case", "text", "said"), WORDS, ids=[c[0] for c in WORDS])
def test_the_summary_speaks_plainly(workspace, tmp_path, case, text, said):
    assert said in str(import_table(workspace, NAME, csv_file(tmp_path, text), "risks"))


def test_a_missing_title_column_names_the_headings_accepted(tmp_path):
    path = csv_file(tmp_path, "Owner\nAnn\n")
    with pytest.raises(InvalidInput, match="no column for the risk's title: name one 'Title', 'Risk', 'Risk name' "
                                           "or 'Risk title'"):
        read_table(path, "risks")


def test_a_row_error_names_the_users_heading(tmp_path):
    path = csv_file(tmp_path, "Risk,Likelihood\nFloods,2\nFire,9\n")
    assert str(read_table(path, "risks").rejected[0]) == "row 3, column 'Likelihood': must be between 1 and 5 (got 9)"


def test_an_ambiguous_date_message_shows_no_python(tmp_path):
    path = csv_file(tmp_path, "kpi,date,value\nk1,04/03/2026,1\n")
    assert "=True" not in read_table(path, "measurements").rejected[0].reason


# (file text, kind, field, the ids read): a reference by id, name or code, ignoring case and spaces
BY_NAME = [
    ("KPI,Date,Value\n visits ,2026-01-31,1\n", "measurements", "kpi", ["k1"]),
    ("KPI,Date,Value\nK1,2026-01-31,1\n", "measurements", "kpi", ["k1"]),
    ("KPI,Date,Value\ntrn_01,2026-01-31,1\n", "measurements", "kpi", ["k2"]),
    ("KPI,Date,Value\nTRAINED,2026-01-31,1\nk 2,2026-02-28,2\n", "measurements", "kpi", ["k2", "k2"]),
    ("Candidate,Need\nAquaAid,  water\n", "candidates", "need", ["n1"]),
    ("Partner,Hours,Rate\nclear flow,10,NURSE\n", "contributions", "party", ["c1"]),
    ("Partner,Hours,Rate\nclear flow,10,NURSE\n", "contributions", "rate", ["rate-1"]),
    ("Partner,Hours\nour organisation,10\n", "contributions", "party", ["us"]),
]


@pytest.mark.parametrize(("text", "kind", "name", "ids"), BY_NAME)
def test_references_by_id_name_or_code(workspace, tmp_path, text, kind, name, ids):
    report = import_table(workspace, NAME, csv_file(tmp_path, text), kind)
    accepted = report.accepted
    assert (list(accepted[name]) if kind == "measurements" else [getattr(r, name) for r in accepted]) == ids


def plan_with_kpis(*kpis):
    return small_plan().model_copy(update={"monitoring": Monitoring(kpis=list(kpis))})


# (KPIs of the plan, the text, the reason the row is rejected)
NOT_ONE_KPI = [
    ([Kpi(id="k1", name="Wells"), Kpi(id="k2", name="wells")], "WELLS",
     "column 'KPI': 'WELLS' could be any of 2 KPIs (ids k1, k2): give its id or code instead"),
    ([Kpi(id="k1", name="Wells"), Kpi(id="k2", name="K1")], "K1",
     "column 'KPI': 'K1' could be any of 2 KPIs (ids k1, k2): give its id or code instead"),
    ([Kpi(id=f"k{n}", name=f"KPI {n}") for n in range(22)], "KPI 99",
     "column 'KPI': 'KPI 99' is not one of the plan's KPIs (known: "
     + ", ".join(f"KPI {n}" for n in range(20)) + ", … and 2 more)"),
    ([], "Wells", "column 'KPI': 'Wells' is not one of the plan's KPIs (the plan has none yet: add them first)"),
]


@pytest.mark.parametrize(("kpis", "text", "reason"), NOT_ONE_KPI)
def test_a_name_that_is_not_one_kpi_rejects_the_row(tmp_path, kpis, text, reason):
    path = csv_file(tmp_path, f"KPI,Date,Value\n{text},2026-01-31,1\n")
    report = read_table(path, "measurements", plan=plan_with_kpis(*kpis))
    assert [str(r) for r in report.rejected] == [f"row 2, {reason}"]


def test_an_exact_id_wins_over_another_kpi_of_that_name(tmp_path):
    path = csv_file(tmp_path, "KPI,Date,Value\nk1,2026-01-31,1\n")
    plan = plan_with_kpis(Kpi(id="k1", name="Wells"), Kpi(id="k2", name="k1"))
    assert read_table(path, "measurements", plan=plan).accepted["kpi"].tolist() == ["k1"]


def test_a_column_can_be_read_as_the_group(workspace, tmp_path):
    path = csv_file(tmp_path, "KPI,Date,Value,Site\nVisits,2026-01-31,4,North\nVisits,2026-01-31,6,South\n")
    import_table(workspace, NAME, path, "measurements", columns={"Site": "group"})
    assert workspace.measurements(NAME)["group"].tolist() == ["North", "South"]


def test_a_column_named_for_the_group_must_be_in_the_file(tmp_path):
    path = csv_file(tmp_path, "KPI,Date,Value\nk1,2026-01-31,4\n")
    with pytest.raises(InvalidInput, match="there is no column 'Site' to read as the measurement's group"):
        read_table(path, "measurements", columns={"Site": "group"})


def test_a_column_read_as_the_group_leaves_other_columns_listed(tmp_path):
    path = csv_file(tmp_path, "KPI,Date,Value,Site,Group,Notes\nk1,2026-01-31,4,North,female,x\n")
    assert read_table(path, "measurements", columns={"Site": "group"}).unknown_columns == ["Group", "Notes"]
