"""DHIS2 dataValueSets: periods to dates and back, KPIs by code, DHIS2's import summary, no half writes."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import Plan, PlanError, PlanInfo, Workspace
from partnerlib.app.cli import main
from partnerlib.io.dhis2 import (
    dhis2_data_values,
    export_dhis2,
    import_dhis2,
    period_dates,
    period_of,
    read_dhis2,
)
from partnerlib.models import Kpi, Monitoring

NAME = "Wells"

# (DHIS2 period, its first and last day)
PERIODS = [
    ("20240115", "2024-01-15", "2024-01-15"),
    ("2024W1", "2024-01-01", "2024-01-07"),
    ("2020W53", "2020-12-28", "2021-01-03"),
    ("202401", "2024-01-01", "2024-01-31"),
    ("202402", "2024-02-01", "2024-02-29"),
    ("202412", "2024-12-01", "2024-12-31"),
    ("2024Q1", "2024-01-01", "2024-03-31"),
    ("2024Q4", "2024-10-01", "2024-12-31"),
    ("2024S2", "2024-07-01", "2024-12-31"),
    ("2024", "2024-01-01", "2024-12-31"),
]


@pytest.mark.parametrize(("period", "first", "last"), PERIODS)
def test_period_dates(period, first, last):
    assert [d.isoformat() for d in period_dates(period)] == [first, last]


@pytest.mark.parametrize("period", ["2024Q5", "202413", "24Q1", "2024W60", "2024-01", ""])
def test_bad_periods_are_refused(period):
    with pytest.raises(ValueError, match="is not a DHIS2 period"):
        period_dates(period)


# (date, KPI frequency, DHIS2 period)
PERIODS_OF = [
    (dt.date(2024, 3, 31), "monthly", "202403"),
    (dt.date(2024, 3, 31), "quarterly", "2024Q1"),
    (dt.date(2024, 7, 1), "twice a year", "2024S2"),
    (dt.date(2024, 7, 1), "yearly", "2024"),
    (dt.date(2021, 1, 3), "weekly", "2020W53"),
]


@pytest.mark.parametrize(("date", "frequency", "period"), PERIODS_OF)
def test_period_of(date, frequency, period):
    assert period_of(date, frequency) == period


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
       st.sampled_from(["weekly", "monthly", "quarterly", "twice a year", "yearly"]))
@settings(max_examples=200, deadline=None)
def test_a_date_lies_in_its_period(date, frequency):
    first, last = period_dates(period_of(date, frequency))
    assert first <= date <= last


def small_plan():
    return Plan(info=PlanInfo(name=NAME), monitoring=Monitoring(kpis=[
        Kpi(id="k1", name="Households with safe water", code="HH_WATER", frequency="monthly"),
        Kpi(id="k2", name="Wells built", code="WELLS", frequency="quarterly", cumulative=True),
        Kpi(id="k3", name="Meetings held"),
    ]))


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "workspace.sqlite") as ws:
        ws.create_plan(small_plan(), author="test")
        yield ws


def value_set(*values, **shared):
    return {"dataSet": "pBOMPrpg1QX", "orgUnit": "DiszpKrYNg8"} | shared | {"dataValues": list(values)}


def write(tmp_path, document, name="values.json"):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


GOOD = value_set(
    {"dataElement": "HH_WATER", "period": "202401", "categoryOptionCombo": "female", "value": "412"},
    {"dataElement": "hh_water", "period": "202401", "categoryOptionCombo": "HllvX50cXC0", "value": 800,
     "comment": "household survey"},
    {"dataElement": "WELLS", "period": "2024Q1", "value": "3"},
)


def test_import_reads_values_as_measurements(workspace, tmp_path):
    import_dhis2(workspace, NAME, write(tmp_path, GOOD))
    stored = workspace.measurements(NAME)
    assert stored.assign(date=stored["date"].dt.strftime("%Y-%m-%d")).to_dict("records") == [
        {"kpi": "k1", "date": "2024-01-31", "value": 800.0, "group": "", "source": "household survey"},
        {"kpi": "k1", "date": "2024-01-31", "value": 412.0, "group": "female", "source": "DHIS2 DiszpKrYNg8"},
        {"kpi": "k2", "date": "2024-03-31", "value": 3.0, "group": "", "source": "DHIS2 DiszpKrYNg8"},
    ]


def test_import_summary_counts_as_dhis2_does(workspace, tmp_path):
    path = write(tmp_path, GOOD)
    import_dhis2(workspace, NAME, path)
    changed = value_set({"dataElement": "WELLS", "period": "2024Q1", "value": "4"},
                        {"dataElement": "WELLS", "period": "2024Q2", "value": "2"})
    summary = import_dhis2(workspace, NAME, write(tmp_path, changed, "b.json"))
    assert summary.as_json()["importCount"] == {"imported": 1, "updated": 1, "ignored": 0, "deleted": 0}


def test_importing_the_same_file_twice_updates(workspace, tmp_path):
    path = write(tmp_path, GOOD)
    import_dhis2(workspace, NAME, path)
    summary = import_dhis2(workspace, NAME, path)
    assert (summary.status, summary.imported, summary.updated, len(workspace.measurements(NAME))) == (
        "SUCCESS", 0, 3, 3)


def test_the_set_period_serves_values_without_one(tmp_path):
    summary = read_dhis2(write(tmp_path, value_set({"dataElement": "HH_WATER", "value": "1"}, period="2024Q2")),
                         small_plan())
    assert summary.accepted["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-06-30"]


# (one data value, the field at fault, the start of the reason)
CONFLICTS = [
    ({"dataElement": "LATRINES", "period": "202401", "value": "1"}, "dataElement",
     "'dataElement' 'LATRINES' is not one of the plan's KPIs (known: Households with safe water, Wells built"),
    ({"period": "202401", "value": "1"}, "dataElement", "'dataElement' is required"),
    ({"dataElement": "HH_WATER", "period": "2024-01", "value": "1"}, "period",
     "'2024-01' is not a DHIS2 period like 202401"),
    ({"dataElement": "HH_WATER", "value": "1"}, "period", "'period' is required"),
    ({"dataElement": "HH_WATER", "period": "202401", "value": "many"}, "value", "'value' must be a number (got 'many')"),
    ({"dataElement": "HH_WATER", "period": "202401", "value": "NaN"}, "value", "'value' must be a finite number"),
    ({"dataElement": "HH_WATER", "period": "202401"}, "value", "'value' is required"),
    ({"dataElement": "HH_WATER", "period": "202401", "value": "1", "comment": "x" * 201}, "comment",
     "'comment' must be at most 200 characters (got 201)"),
    ("not an object", "dataValues", "must be an object with a dataElement"),
]


@pytest.mark.parametrize(("value", "field", "reason"), CONFLICTS)
def test_each_bad_value_is_a_conflict(tmp_path, value, field, reason):
    summary = read_dhis2(write(tmp_path, value_set({"dataElement": "WELLS", "period": "2024Q1", "value": "3"},
                                                   value)), small_plan())
    assert [(c.index, c.object, c.value.startswith(reason)) for c in summary.conflicts] == [(2, field, True)]


def test_two_values_for_one_kpi_period_and_group_are_both_refused(tmp_path):
    twice = value_set({"dataElement": "WELLS", "period": "2024Q1", "value": "3"},
                      {"dataElement": "Wells built", "period": "2024Q1", "value": "4"})
    assert [c.index for c in read_dhis2(write(tmp_path, twice), small_plan()).conflicts] == [1, 2]


BAD = value_set({"dataElement": "WELLS", "period": "2024Q1", "value": "3"},
                {"dataElement": "WELLS", "period": "2024Q9", "value": "3"})


def test_a_conflict_writes_nothing(workspace, tmp_path):
    summary = import_dhis2(workspace, NAME, write(tmp_path, BAD))
    assert (summary.status, summary.ignored, len(workspace.measurements(NAME))) == ("ERROR", 2, 0)


def test_keep_valid_writes_the_others(workspace, tmp_path):
    summary = import_dhis2(workspace, NAME, write(tmp_path, BAD), keep_valid=True)
    assert (summary.status, summary.imported, summary.ignored) == ("WARNING", 1, 1)


# (file text, the start of the message)
MALFORMED = [
    ("", "values.json is not JSON (line 1, column 1"),
    ("{\"dataValues\": [", "values.json is not JSON"),
    ("[1, 2]", "values.json is not a DHIS2 dataValueSet: it needs a 'dataValues' list"),
    ("{\"dataValues\": {}}", "values.json is not a DHIS2 dataValueSet"),
    ("\xff\xfe", "values.json is not"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_a_malformed_file_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "values.json"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(PlanError) as caught:
        read_dhis2(path, small_plan())
    assert str(caught.value).startswith(message)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
data_value = st.fixed_dictionaries({}, optional={
    "dataElement": st.sampled_from(["HH_WATER", "WELLS", "k3", "x"]) | json_values,
    "period": st.sampled_from(["202401", "2024Q1", "2024W9", "2024S3"]) | json_values,
    "categoryOptionCombo": json_values, "value": st.sampled_from(["1", "2.5", "-3"]) | json_values,
    "comment": json_values,
})


@given(st.lists(data_value | json_values, max_size=6), json_values)
@settings(max_examples=150, deadline=None)
def test_any_json_gives_a_summary_or_a_clear_error(tmp_path_factory, values, period):
    path = tmp_path_factory.mktemp("fuzz") / "values.json"
    path.write_text(json.dumps({"period": period, "dataValues": values}))
    summary = read_dhis2(path, small_plan())
    assert len(summary.accepted) + len({c.index for c in summary.conflicts}) == len(values)


def measurements(*rows):
    return pd.DataFrame(rows, columns=["kpi", "date", "value", "group", "source"]).assign(
        date=lambda f: pd.to_datetime(f["date"]))


def test_export_writes_one_value_per_kpi_period_and_group():
    document, skipped = dhis2_data_values(small_plan(), measurements(
        ("k1", "2024-01-15", 400.0, "", ""), ("k1", "2024-01-31", 410.0, "", "survey"),
        ("k1", "2024-01-31", 200.0, "female", ""), ("k2", "2024-01-31", 1.0, "", ""),
        ("k2", "2024-03-31", 2.0, "", ""), ("k3", "2024-01-31", 5.0, "", ""),
    ), org_unit="DiszpKrYNg8", data_set="pBOMPrpg1QX")
    assert (document, skipped) == ({"dataSet": "pBOMPrpg1QX", "orgUnit": "DiszpKrYNg8", "dataValues": [
        {"dataElement": "HH_WATER", "period": "202401", "orgUnit": "DiszpKrYNg8", "value": "410", "comment": "survey"},
        {"dataElement": "HH_WATER", "period": "202401", "orgUnit": "DiszpKrYNg8", "categoryOptionCombo": "female",
         "value": "200"},
        {"dataElement": "WELLS", "period": "2024Q1", "orgUnit": "DiszpKrYNg8", "value": "3"},  # cumulative: summed
    ]}, ["Meetings held"])


def test_export_then_import_gives_the_same_measurements(workspace, tmp_path):
    import_dhis2(workspace, NAME, write(tmp_path, GOOD))
    before = workspace.measurements(NAME)
    path, _, _ = export_dhis2(workspace, NAME, tmp_path / "out.json", org_unit="DiszpKrYNg8")
    workspace.replace_measurements(NAME, before.iloc[:0])
    import_dhis2(workspace, NAME, path)
    assert workspace.measurements(NAME).equals(before)


def test_export_needs_an_org_unit(workspace, tmp_path):
    with pytest.raises(PlanError, match="needs the organisation unit"):
        export_dhis2(workspace, NAME, tmp_path / "out.json", org_unit=" ")


def test_the_commands_import_and_export(workspace, tmp_path, capsys):
    main(["--workspace", str(workspace.path), "import-dhis2", NAME, str(write(tmp_path, GOOD)),
          "--summary", str(tmp_path / "summary.json")])
    main(["--workspace", str(workspace.path), "export", NAME, str(tmp_path / "out.json"), "--format", "dhis2",
          "--org-unit", "DiszpKrYNg8"])
    out = capsys.readouterr().out
    assert ("values.json: SUCCESS. Imported 3, updated 0, ignored 0." in out, "Wrote 3 data values" in out,
            json.loads((tmp_path / "summary.json").read_text())["status"]) == (True, True, "SUCCESS")


def test_the_import_command_fails_when_nothing_is_written(workspace, tmp_path, capsys):
    code = main(["--workspace", str(workspace.path), "import-dhis2", NAME, str(write(tmp_path, BAD))])
    assert (code, "dataValues[2], period: '2024Q9' is not a DHIS2 period" in capsys.readouterr().out) == (1, True)
