"""Publish a plan's results to IATI: an iati-activities 2.03 document with the plan as one activity.

IATI (the International Aid Transparency Initiative) is how funders and
nonprofits publish what they do and what it achieves. Here the plan is one
activity; its KPIs are the activity's results, one result per level (output,
outcome, impact; inputs as "other"), each KPI an indicator with:

* its measure (a percentage, or a number of units for counts and amounts)
  and whether it should rise (``ascending``);
* its external code as the indicator's reference (vocabulary 99: the
  reporting organisation's own codes);
* its baseline (year, date and value);
* one period per calendar period at the KPI's frequency, with the target
  on the straight path from baseline to target and the actual value measured
  in that period (see :func:`partnerlib.analyses.kpi.kpi_periods`).

The identifiers IATI requires come from the plan's details (step 0): the
organisation's IATI identifier and the activity's. Without them the export
stops and says which is missing. The document validates against the official
2.03 schema (the tests check it).
"""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..analyses.kpi import kpi_periods
from ..analyses.tables import records_table
from ..core.problems import InvalidInput, Problem
from ..models import ORGANISATION_TYPES, Kpi, Plan

if TYPE_CHECKING:
    import pandas as pd

    from ..io.store import Workspace

__all__ = ["IATI_VERSION", "export_iati", "iati_activities"]

IATI_VERSION = "2.03"
#: IATI's OrganisationType code of each kind of organisation a plan can name.
_ORGANISATION_CODES = dict(
    zip(ORGANISATION_TYPES, ("10", "21", "22", "23", "24", "30", "40", "60", "70", "80", "90"), strict=True)
)
#: IATI's ResultType code of each KPI level (an input is "other").
_RESULT_TYPES = {"output": "1", "outcome": "2", "impact": "3", "input": "9"}
_RESULT_TITLES = {"output": "Outputs", "outcome": "Outcomes", "impact": "Impact", "input": "Inputs"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _missing_identifiers(plan: Plan) -> list[Problem]:
    """What the plan lacks for IATI: each required identifier, and their agreement."""
    info = plan.info
    problems = []
    if not info.iati_organisation:
        problems.append(Problem((), "no_iati_organisation", {"field": "iati_organisation"}))
    if not info.iati_activity:
        problems.append(Problem((), "no_iati_activity", {"field": "iati_activity"}))
    if not problems and not info.iati_activity.startswith(info.iati_organisation + "-"):
        problems.append(Problem((), "iati_activity_prefix", {
            "field": "iati_activity", "organisation": info.iati_organisation, "got": info.iati_activity}))
    return problems


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    """Add an element holding one narrative (IATI's element for words)."""
    element = ET.SubElement(parent, tag, attributes)
    ET.SubElement(element, "narrative").text = text
    return element


def _number(value: float, decimals: int) -> str:
    """A value as IATI writes it: plain digits and the KPI's decimals (``12.5``, ``40``)."""
    return f"{value:.{decimals}f}"


def iati_activities(plan: Plan, measurements: pd.DataFrame, *, updated: dt.datetime) -> bytes:
    """Write the plan and its KPIs as an IATI 2.03 iati-activities document.

    Args:
        plan: the plan; its details must hold the organisation's and the
            activity's IATI identifiers.
        measurements: the plan's measurements (columns kpi, date, value, group).
        updated: when the plan was last saved (UTC): the document's and the
            activity's date (the same plan gives the same document).

    Returns:
        The document, UTF-8 XML with its declaration.

    Raises:
        InvalidInput: an identifier IATI requires is missing or malformed
            (each problem names the field).
    """
    problems = _missing_identifiers(plan)
    if problems:
        raise InvalidInput(problems, "cannot publish the plan to IATI")
    info = plan.info
    stamp = updated.astimezone(dt.UTC).replace(microsecond=0).isoformat()
    root = ET.Element("iati-activities", {"version": IATI_VERSION, "generated-datetime": stamp})
    activity = ET.SubElement(root, "iati-activity", {
        "last-updated-datetime": stamp, _XML_LANG: "en", "default-currency": info.currency})
    ET.SubElement(activity, "iati-identifier").text = info.iati_activity
    organisation_type = _ORGANISATION_CODES[info.iati_organisation_type]
    _text(activity, "reporting-org", info.organisation, ref=info.iati_organisation, type=organisation_type)
    _text(activity, "title", info.name)
    about = info.ssu_description or f"Strategic partnership plan of {info.organisation}."
    _text(activity, "description", about, type="1")  # general
    if plan.goals.ssu_goal:
        _text(activity, "description", plan.goals.ssu_goal, type="2")  # objectives
    _text(activity, "participating-org", info.organisation, role="4", ref=info.iati_organisation,
          type=organisation_type)
    for partner in plan.partners.selected():
        _text(activity, "participating-org", partner.name, role="4")
    ET.SubElement(activity, "activity-status", code="2")  # implementation

    kpis = plan.monitoring.kpis
    starts = [k.baseline_date for k in kpis if k.baseline_date]
    ends = [k.target_date for k in kpis if k.target_date]
    ET.SubElement(activity, "activity-date", {"type": "1", "iso-date": min(starts, default=info.as_of).isoformat()})
    if ends:
        ET.SubElement(activity, "activity-date", {"type": "3", "iso-date": max(ends).isoformat()})
    _results(activity, kpis, measurements, info.as_of)

    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _results(activity: ET.Element, kpis: list[Kpi], measurements: pd.DataFrame, as_of: dt.date) -> None:
    """Add one result per KPI level, each KPI an indicator with its baseline and periods."""
    if not kpis:
        return
    periods = kpi_periods(records_table(kpis, Kpi), measurements, as_of=as_of)
    by_kpi = dict(tuple(periods.groupby("id", sort=False)))
    for level, code in _RESULT_TYPES.items():
        chosen = [k for k in kpis if k.level == level]
        if not chosen:
            continue
        result = ET.SubElement(activity, "result", type=code)
        _text(result, "title", _RESULT_TITLES[level])
        for kpi in chosen:
            indicator = ET.SubElement(result, "indicator", measure="2" if kpi.unit == "percentage" else "1",
                                      ascending="1" if kpi.direction == "increase" else "0")
            _text(indicator, "title", kpi.name)
            if kpi.code:
                ET.SubElement(indicator, "reference", vocabulary="99", code=kpi.code)
            if kpi.baseline is not None and kpi.baseline_date is not None:
                ET.SubElement(indicator, "baseline", {
                    "year": str(kpi.baseline_date.year), "iso-date": kpi.baseline_date.isoformat(),
                    "value": _number(kpi.baseline, kpi.decimals)})
            rows = by_kpi.get(kpi.id)
            for row in () if rows is None else rows.itertuples(index=False):
                period = ET.SubElement(indicator, "period")
                ET.SubElement(period, "period-start", {"iso-date": f"{row.period_start:%Y-%m-%d}"})
                ET.SubElement(period, "period-end", {"iso-date": f"{row.period_end:%Y-%m-%d}"})
                if not np.isnan(row.target):
                    ET.SubElement(period, "target", value=_number(row.target, kpi.decimals))
                if not np.isnan(row.actual):
                    ET.SubElement(period, "actual", value=_number(row.actual, kpi.decimals))


def export_iati(workspace: Workspace | str | os.PathLike[str], plan_name: str, path: str | Path) -> Path:
    """Write a plan of a workspace as an IATI 2.03 file, dated when the plan was last saved.

    Args:
        workspace: an open Workspace, or the path of a workspace file.
        plan_name: the plan to publish.
        path: the ``.xml`` file to write (replaced if it exists).

    Returns:
        The path written.

    Raises:
        InvalidInput: an identifier IATI requires is missing (nothing is written).
    """
    from ..io.store import opened_workspace

    ws, opened = opened_workspace(workspace, create=False)
    try:
        snapshot = ws.load(plan_name)
        measurements = ws.measurements(plan_name)
        updated = max(revision.saved_at for revision in ws.history(plan_name))
    finally:
        if opened:
            ws.close()
    document = iati_activities(snapshot.plan, measurements, updated=updated)
    path = Path(path)
    path.write_bytes(document)
    return path
