"""IATI export: the plan as one activity, its KPIs as results, valid against the official 2.03 schema."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import elementpath
import pytest
import xmlschema

from partnerlib import InvalidInput, Plan, PlanInfo, Workspace, load_sample, sample_measurements
from partnerlib.app.cli import main
from partnerlib.models import Kpi, Monitoring
from partnerlib.output.iati import export_iati, iati_activities

ROOT = Path(__file__).resolve().parents[1]
#: The official schema, kept beside the repository (IATI_SCHEMA_DIR names another folder).
SCHEMA_DIR = Path(os.environ.get("IATI_SCHEMA_DIR", ROOT.parent / "shared" / "standards" / "iati-2.03"))
UPDATED = dt.datetime(2026, 9, 30, 9, tzinfo=dt.UTC)
IDS = {"iati_organisation": "GB-CHC-1234567", "iati_activity": "GB-CHC-1234567-SSU1"}


@pytest.fixture(scope="module")
def schema():
    path = SCHEMA_DIR / "iati-activities-schema.xsd"
    if not path.is_file():
        pytest.skip(f"the IATI 2.03 schema is not at {path} (set IATI_SCHEMA_DIR to its folder)")
    return xmlschema.XMLSchema(path)


def with_info(plan, **changes):
    return plan.model_copy(update={"info": plan.info.model_copy(update=changes)})


@pytest.fixture(scope="module")
def sample_document():
    return iati_activities(with_info(load_sample(), **IDS), sample_measurements(), updated=UPDATED)


def test_the_sample_plan_is_valid_iati(schema, sample_document):
    assert [e.reason for e in schema.iter_errors(sample_document.decode())] == []


def test_a_plan_without_kpis_is_valid_iati(schema):
    document = iati_activities(Plan(info=PlanInfo(**IDS)), sample_measurements().iloc[:0], updated=UPDATED)
    assert [e.reason for e in schema.iter_errors(document.decode())] == []


def small_document(*kpis, measurements=None):
    import pandas as pd

    plan = Plan(info=PlanInfo(name="Wells", as_of=dt.date(2026, 6, 30), **IDS), monitoring=Monitoring(kpis=list(kpis)))
    frame = measurements if measurements is not None else pd.DataFrame(columns=["kpi", "date", "value", "group"])
    return ET.fromstring(iati_activities(plan, frame, updated=UPDATED))


WELLS = Kpi(id="k1", name="Wells built", level="outcome", unit="percentage", direction="decrease", code="WELLS_1",
            frequency="yearly", baseline=60, baseline_date=dt.date(2025, 7, 1), target=30,
            target_date=dt.date(2026, 12, 31), decimals=1)

# (XPath into the document of one KPI, what it finds)
ONE_KPI = [
    ("string(//iati-identifier)", "GB-CHC-1234567-SSU1"),
    ("string(//reporting-org/@ref)", "GB-CHC-1234567"),
    ("string(//reporting-org/@type)", "22"),  # national NGO
    ("string(//result/@type)", "2"),  # outcome
    ("string(//indicator/@measure)", "2"),  # percentage
    ("string(//indicator/@ascending)", "0"),  # should fall
    ("string(//indicator/reference/@code)", "WELLS_1"),
    ("string(//indicator/reference/@vocabulary)", "99"),
    ("string(//baseline/@year)", "2025"),
    ("string(//baseline/@iso-date)", "2025-07-01"),
    ("string(//baseline/@value)", "60.0"),
    ("count(//period)", 2),  # 2025 and 2026
    ("string(//period[2]/period-start/@iso-date)", "2026-01-01"),
    ("string(//period[2]/period-end/@iso-date)", "2026-12-31"),
    ("string(//period[2]/target/@value)", "30.0"),
    ("string(//period[1]/actual/@value)", "50.5"),  # the last value of 2025
    ("string(//period[1]/target/@value)", "50.0"),  # 60 − 30 × 183 / 548 days = 49.98
    ("count(//period[2]/actual)", 0),  # measured after as_of
]


@pytest.mark.parametrize(("path", "expected"), ONE_KPI)
def test_a_kpi_becomes_an_indicator(path, expected):
    import pandas as pd

    measurements = pd.DataFrame({"kpi": ["k1", "k1", "k1"], "value": [55.0, 50.5, 40.0],
                                 "date": pd.to_datetime(["2025-09-30", "2025-12-31", "2026-09-30"]), "group": ""})
    assert elementpath.select(small_document(WELLS, measurements=measurements), path) == expected


# (KPI level, IATI result type)
RESULT_TYPES = [("input", "9"), ("output", "1"), ("outcome", "2"), ("impact", "3")]


@pytest.mark.parametrize(("level", "code"), RESULT_TYPES)
def test_result_type_from_the_kpi_level(level, code):
    assert elementpath.select(small_document(Kpi(level=level)), "string(//result/@type)") == code


# (identifiers the plan has, the message)
MISSING = [
    ({"iati_activity": "GB-CHC-1234567-SSU1"}, "'iati_organisation' is empty: IATI requires the organisation's"),
    ({"iati_organisation": "GB-CHC-1234567"}, "'iati_activity' is empty: IATI requires the activity's identifier"),
    ({"iati_organisation": "GB-CHC-1234567", "iati_activity": "SSU1"},
     "'iati_activity' must start with the organisation's identifier and '-' (GB-CHC-1234567-…; got 'SSU1')"),
]


@pytest.mark.parametrize(("ids", "message"), MISSING)
def test_missing_identifiers_are_named(ids, message):
    with pytest.raises(InvalidInput, match="cannot publish the plan to IATI") as caught:
        iati_activities(Plan(info=PlanInfo(**ids)), sample_measurements(), updated=UPDATED)
    assert [p.message for p in caught.value.problems if p.message.startswith(message)] != []


def test_both_missing_identifiers_are_named_at_once():
    with pytest.raises(InvalidInput) as caught:
        iati_activities(Plan(), sample_measurements(), updated=UPDATED)
    assert [p.message.split(" ")[0] for p in caught.value.problems] == ["'iati_organisation'", "'iati_activity'"]


def test_the_same_plan_gives_the_same_document(sample_document):
    again = iati_activities(with_info(load_sample(), **IDS), sample_measurements(), updated=UPDATED)
    assert again == sample_document


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "workspace.sqlite") as ws:
        ws.create_plan(with_info(load_sample(), **IDS), author="test", saved_at=UPDATED)
        ws.add_measurements(load_sample().info.name, sample_measurements())
        yield ws


def test_export_iati_from_a_workspace_is_valid(schema, workspace, tmp_path):
    path = export_iati(workspace, load_sample().info.name, tmp_path / "plan.xml")
    assert [e.reason for e in schema.iter_errors(str(path))] == []


def test_the_command_writes_iati(workspace, tmp_path, capsys):
    path = tmp_path / "plan.xml"
    main(["--workspace", str(workspace.path), "export", load_sample().info.name, str(path), "--format", "iati"])
    assert ET.parse(path).findtext("iati-activity/iati-identifier") == "GB-CHC-1234567-SSU1"


def test_the_command_says_which_identifier_is_missing(tmp_path, capsys):
    with Workspace.open(tmp_path / "ws.sqlite") as ws:
        ws.create_plan(load_sample(), author="test")
    code = main(["--workspace", str(tmp_path / "ws.sqlite"), "export", load_sample().info.name,
                 str(tmp_path / "plan.xml"), "--format", "iati"])
    assert (code, "'iati_organisation' is empty" in capsys.readouterr().err, (tmp_path / "plan.xml").exists()) == (
        1, True, False)
