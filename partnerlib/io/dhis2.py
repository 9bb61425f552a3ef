"""DHIS2 in and out: a plan's measurements as a dataValueSets JSON document.

DHIS2 is the health information system many ministries and nonprofits report
into. Its data values travel as a *dataValueSet*::

    {"dataSet": "pBOMPrpg1QX", "period": "202401", "orgUnit": "DiszpKrYNg8",
     "dataValues": [{"dataElement": "HH_WATER", "categoryOptionCombo": "female",
                     "value": "412", "comment": "household survey"}]}

How the two meet:

* A data element is one of the plan's KPIs, found by its external code (or
  its name or id, ignoring case and spaces; see :mod:`partnerlib.io.references`).
* A period (``20240115`` a day, ``2024W3`` an ISO week, ``202401`` a month,
  ``2024Q1`` a quarter, ``2024S1`` a half year, ``2024`` a year) becomes the
  measurement's date: the period's last day. Back, a measurement's date
  becomes the period holding it at its KPI's frequency.
* A category option combo other than DHIS2's default is the disaggregation
  group; the comment is the measurement's source (else "DHIS2 " and the org unit).
* A value, its period and org unit may sit on the set or on each data value
  (the value's own wins).

:func:`import_dhis2` answers as DHIS2's own import does: a summary with
``status`` and the counts ``imported``, ``updated`` and ``ignored``, and one
conflict per value refused (its position in ``dataValues``, the field and
the reason). As every importer here, it writes nothing unless every value is
valid, or ``keep_valid=True``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..core.problems import PlanError, Problem, render
from ..models import Plan
from .references import kpi_names

if TYPE_CHECKING:
    import pandas as pd

    from .store import Workspace

__all__ = [
    "DEFAULT_CATEGORY_OPTION_COMBO",
    "Dhis2Conflict",
    "Dhis2Summary",
    "dhis2_data_values",
    "export_dhis2",
    "import_dhis2",
    "period_dates",
    "period_of",
    "read_dhis2",
]

#: DHIS2's uid of the category option combo "default" (no disaggregation).
DEFAULT_CATEGORY_OPTION_COMBO = "HllvX50cXC0"
#: The largest file read, in bytes (a dataValueSet of about a million values).
MAX_BYTES = 200_000_000

_PERIOD = re.compile(r"(\d{4})(?:(\d{2})(\d{2})?|W(\d{1,2})|Q([1-4])|S([12]))?")


def period_dates(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a DHIS2 period.

    >>> [str(d) for d in period_dates("2024Q1")], [str(d) for d in period_dates("2024W1")]
    (['2024-01-01', '2024-03-31'], ['2024-01-01', '2024-01-07'])

    Raises:
        ValueError: the text is not a period of one of the kinds above.
    """
    found = _PERIOD.fullmatch(period.strip())
    try:
        if not found:
            raise ValueError(period)
        return _period_dates(*found.groups())
    except ValueError:
        raise ValueError(render(Problem((), "not_a_dhis2_period", {"got": period}))) from None


def _period_dates(
    year: str, month: str | None, day: str | None, week: str | None, quarter: str | None, half: str | None
) -> tuple[dt.date, dt.date]:
    if day:
        start = end = dt.date(int(year), int(month or 0), int(day))
    elif week:
        start = dt.date.fromisocalendar(int(year), int(week), 1)
        end = start + dt.timedelta(days=6)
    elif month or quarter or half:
        first = int(month) if month else (int(quarter) - 1) * 3 + 1 if quarter else (int(cast(str, half)) - 1) * 6 + 1
        months = 1 if month else 3 if quarter else 6
        start = dt.date(int(year), first, 1)
        following = dt.date(int(year) + (first + months > 12), (first + months - 1) % 12 + 1, 1)
        end = following - dt.timedelta(days=1)
    else:
        start, end = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    return start, end


def period_of(date: dt.date, frequency: str) -> str:
    """The DHIS2 period holding a date, at a KPI frequency.

    >>> period_of(dt.date(2024, 5, 31), "monthly"), period_of(dt.date(2024, 5, 31), "quarterly")
    ('202405', '2024Q2')
    >>> period_of(dt.date(2024, 5, 31), "twice a year"), period_of(dt.date(2024, 5, 31), "weekly")
    ('2024S1', '2024W22')
    """
    if frequency == "weekly":
        year, week, _ = date.isocalendar()
        return f"{year}W{week}"
    if frequency == "quarterly":
        return f"{date.year}Q{(date.month - 1) // 3 + 1}"
    if frequency == "twice a year":
        return f"{date.year}S{(date.month - 1) // 6 + 1}"
    if frequency == "yearly":
        return f"{date.year}"
    return f"{date.year}{date.month:02d}"


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Dhis2Conflict:
    """One data value refused, as DHIS2 reports a conflict.

    Attributes:
        index: its position in ``dataValues``, counted from 1.
        object: the field at fault (``dataElement``, ``period``, ``value`` …).
        problem: what is wrong, as a code and its context.
    """

    index: int
    object: str
    problem: Problem

    @property
    def value(self) -> str:
        """The reason, in words (DHIS2's name for a conflict's text)."""
        return render(self.problem)

    def __str__(self) -> str:
        return f"dataValues[{self.index}], {self.object}: {self.value}"


@dataclass
class Dhis2Summary:
    """What an import of a dataValueSet did, in DHIS2's terms.

    Attributes:
        file: the file's name.
        status: "SUCCESS" (every value written), "WARNING" (some refused, the
            others written) or "ERROR" (nothing written).
        imported: values added as new measurements.
        updated: values that replaced a measurement the plan held.
        ignored: values not written (refused, or held back because others were).
        conflicts: every value refused and why.
        accepted: the valid values, as measurements (kpi, date, value, group, source).
    """

    file: str
    status: str = "SUCCESS"
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    conflicts: list[Dhis2Conflict] = field(default_factory=list)
    accepted: Any = None

    def as_json(self) -> dict[str, Any]:
        """The summary as DHIS2's import summary JSON."""
        return {
            "responseType": "ImportSummary",
            "status": self.status,
            "importCount": {"imported": self.imported, "updated": self.updated,
                            "ignored": self.ignored, "deleted": 0},
            "conflicts": [{"object": c.object, "value": c.value, "indexes": [c.index - 1]}
                          for c in self.conflicts],
        }

    def __str__(self) -> str:
        lines = [f"{self.file}: {self.status}. Imported {self.imported:,}, updated {self.updated:,}, "
                 f"ignored {self.ignored:,}."]
        if self.conflicts and not (self.imported or self.updated):
            lines.append("Nothing was written: fix the values below and import again, or import with "
                         "the option to keep the valid values (--keep-valid) to write those.")
        lines += [f"  {c}" for c in self.conflicts[:20]]
        if len(self.conflicts) > 20:
            lines.append(f"  … and {len(self.conflicts) - 20:,} more")
        return "\n".join(lines)


def _load(path: Path) -> dict[str, Any]:
    """Read the file as a JSON object holding a list of dataValues, or say why it is not one."""
    if not path.is_file():
        raise PlanError.of("no_such_file", path=path)
    if path.stat().st_size > MAX_BYTES:
        raise PlanError.of("dhis2_too_large", file=path.name, most_mb=MAX_BYTES / 1e6)
    try:
        document = json.loads(path.read_bytes())
    except UnicodeDecodeError:
        raise PlanError.of("dhis2_not_utf8", file=path.name) from None
    except json.JSONDecodeError as exc:
        raise PlanError.of(
            "dhis2_not_json", file=path.name, line=exc.lineno, column=exc.colno, reason=exc.msg
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("dataValues"), list):
        raise PlanError.of("not_a_data_value_set", file=path.name)
    return document


def _text(value: Any) -> str:
    """A field as text: DHIS2 writes values as text, but numbers also arrive."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip() if isinstance(value, str | int | float) else json.dumps(value)[:80]


def read_dhis2(path: str | Path, plan: Plan) -> Dhis2Summary:
    """Read and check a dataValueSet against a plan, without writing anything.

    Args:
        path: the ``.json`` file DHIS2 exported (``/api/dataValueSets.json``).
        plan: the plan whose KPIs the data elements name.

    Returns:
        The summary with the valid values in ``accepted`` and the others in
        ``conflicts``; no count is set yet.

    Raises:
        PlanError: the file is not JSON, or not a dataValueSet.
    """
    import pandas as pd

    path = Path(path)
    document = _load(path)
    kpis = kpi_names(plan)
    shared = {name: _text(document.get(name)) for name in ("period", "orgUnit", "dataSet")}
    summary = Dhis2Summary(path.name)
    rows: list[dict[str, Any]] = []
    for index, value in enumerate(document["dataValues"], start=1):
        if not isinstance(value, dict):
            summary.conflicts.append(Dhis2Conflict(index, "dataValues", Problem((), "not_a_data_value")))
            continue
        found = {name: _text(value.get(name)) or shared.get(name, "") for name in
                 ("dataElement", "period", "orgUnit", "categoryOptionCombo", "value", "comment")}
        problems: list[tuple[str, Problem]] = []
        kpi = kpis.find(found["dataElement"], "dataElement") if found["dataElement"] else None
        if kpi is None or kpi.problem:
            problems.append(("dataElement", kpi.problem if kpi and kpi.problem else
                             Problem((), "missing", {"field": "dataElement"})))
        try:
            date = period_dates(found["period"])[1].isoformat()
        except ValueError:
            problems.append(("period", Problem((), "not_a_dhis2_period", {"field": "period", "got": found["period"]})
                             if found["period"] else Problem((), "missing", {"field": "period"})))
            date = ""
        number = _number(found["value"])
        if isinstance(number, Problem):
            problems.append(("value", number))
        combo = "" if found["categoryOptionCombo"] == DEFAULT_CATEGORY_OPTION_COMBO else found["categoryOptionCombo"]
        source = found["comment"] or (f"DHIS2 {found['orgUnit']}" if found["orgUnit"] else "DHIS2")
        for name, text in (("categoryOptionCombo", combo), ("comment", source)):
            if len(text) > _LONGEST:
                problems.append((name, Problem((), "string_too_long", {
                    "field": name, "max_length": _LONGEST, "length": len(text)})))
        summary.conflicts += [Dhis2Conflict(index, name, problem) for name, problem in problems]
        if not problems and kpi is not None:
            rows.append({"index": index, "kpi": kpi.id, "date": date, "value": number, "group": combo,
                         "source": source})
    clean = pd.DataFrame(rows, columns=["index", "kpi", "date", "value", "group", "source"]).set_index("index")
    clean["date"] = pd.to_datetime(clean["date"], format="%Y-%m-%d")
    clean["value"] = clean["value"].astype("float64")
    repeated = clean.duplicated(["kpi", "date", "group"], keep=False)
    for index in clean.index[repeated]:
        summary.conflicts.append(Dhis2Conflict(int(index), "period", Problem((), "repeated_data_value")))
    clean = clean.loc[~repeated]
    summary.conflicts.sort(key=lambda c: c.index)
    summary.accepted = clean
    return summary


#: The longest group (category option combo) or source (comment) kept, as for any measurement.
_LONGEST = 200


def _number(text: str) -> float | Problem:
    """A data value as a finite number, or the problem why it is not one."""
    if not text:
        return Problem((), "missing", {"field": "value"})
    try:
        number = float(text)
    except ValueError:
        return Problem((), "float_parsing", {"field": "value", "got": text})
    return number if math.isfinite(number) else Problem((), "not_finite", {"field": "value", "got": text})


def import_dhis2(
    workspace: Workspace | str | os.PathLike[str],
    plan_name: str,
    path: str | Path,
    *,
    keep_valid: bool = False,
) -> Dhis2Summary:
    """Import a DHIS2 dataValueSet into a plan's measurements: every value, or none.

    A value for a KPI, date and group the plan holds replaces it (counted as
    updated), so importing the same file twice changes nothing.

    Args:
        workspace: an open Workspace, or the path of a workspace file.
        plan_name: the plan to import into.
        path: the dataValueSet ``.json`` file.
        keep_valid: write the valid values even when some are refused.

    Returns:
        The summary, as DHIS2 gives it: status, imported, updated and ignored
        counts, and the conflicts.

    Raises:
        PlanError: the plan does not exist, or the file is not a dataValueSet.
    """
    from .store import opened_workspace

    ws, opened = opened_workspace(workspace, create=False)
    try:
        summary = read_dhis2(path, ws.load(plan_name).plan)
        refused = len({c.index for c in summary.conflicts})
        if summary.conflicts and not keep_valid:
            summary.status, summary.ignored = "ERROR", refused + len(summary.accepted)
            return summary
        if len(summary.accepted):
            summary.imported, summary.updated = ws.add_measurements(plan_name, summary.accepted)
        summary.ignored = refused
        summary.status = "WARNING" if refused else "SUCCESS"
    finally:
        if opened:
            ws.close()
    return summary


# ---------------------------------------------------------------- writing


def _value_text(value: float) -> str:
    """A value as DHIS2 takes it: whole numbers without '.0' (integer data elements refuse it)."""
    return str(int(value)) if value.is_integer() else repr(value)


def dhis2_data_values(
    plan: Plan, measurements: pd.DataFrame, *, org_unit: str, data_set: str = ""
) -> tuple[dict[str, Any], list[str]]:
    """Write a plan's measurements as a dataValueSet: one value per KPI, period and group.

    Only KPIs with an external code are written (the code is the data
    element). A KPI measured several times within one period of its frequency
    gives that period its last value, or, for a cumulative KPI, the sum of the
    period's measurements (what was added in the period).

    >>> from partnerlib.models import Kpi, Monitoring
    >>> import pandas as pd
    >>> plan = Plan(monitoring=Monitoring(kpis=[Kpi(id="k1", code="HH_WATER", frequency="quarterly")]))
    >>> values, skipped = dhis2_data_values(plan, pd.DataFrame({"kpi": ["k1", "k1"], "value": [3.0, 4.5],
    ...     "date": pd.to_datetime(["2024-01-31", "2024-02-29"]), "group": ["", ""], "source": ["", ""]}),
    ...     org_unit="DiszpKrYNg8")
    >>> values["dataValues"]
    [{'dataElement': 'HH_WATER', 'period': '2024Q1', 'orgUnit': 'DiszpKrYNg8', 'value': '4.5'}]

    Args:
        plan: the plan (its KPIs give the codes and frequencies).
        measurements: its measurements (kpi, date, value, group, source).
        org_unit: the DHIS2 organisation unit the values are for.
        data_set: the DHIS2 data set, if the values belong to one.

    Returns:
        The dataValueSet, and the names of the measured KPIs left out because they have no code.
    """
    import pandas as pd

    kpis = {k.id: k for k in plan.monitoring.kpis}
    measured = set(measurements["kpi"].unique()) if len(measurements) else set()
    skipped = [k.name for k in plan.monitoring.kpis if k.id in measured and not k.code]
    frame = measurements.loc[measurements["kpi"].map(lambda kpi: bool(kpi in kpis and kpis[kpi].code))]
    frame = frame.assign(date=pd.to_datetime(frame["date"]).dt.date).sort_values(["kpi", "date"], kind="stable")
    pairs = frame[["kpi", "date"]].drop_duplicates()  # a period per distinct KPI and date, not per row
    pairs["period"] = [period_of(date, kpis[kpi].frequency) for kpi, date in zip(pairs["kpi"], pairs["date"],
                                                                                 strict=True)]
    frame = frame.merge(pairs, on=["kpi", "date"], how="left")
    summed = frame.groupby(["kpi", "period", "group"], sort=False).agg(
        total=("value", "sum"), last=("value", "last"), source=("source", "last")).reset_index()
    cumulative = summed["kpi"].map(lambda kpi: kpis[kpi].cumulative).astype(bool)
    summed["value"] = summed["total"].where(cumulative, summed["last"])
    values = []
    for row in summed.itertuples(index=False):
        value = {"dataElement": kpis[row.kpi].code, "period": row.period, "orgUnit": org_unit}
        if row.group:
            value["categoryOptionCombo"] = row.group
        value["value"] = _value_text(float(row.value))
        if row.source:
            value["comment"] = row.source
        values.append(value)
    document: dict[str, Any] = {"dataSet": data_set} if data_set else {}
    document |= {"orgUnit": org_unit, "dataValues": values}
    return document, skipped


def export_dhis2(
    workspace: Workspace | str | os.PathLike[str], plan_name: str, path: str | Path, *,
    org_unit: str, data_set: str = "",
) -> tuple[Path, int, list[str]]:
    """Write a plan's measurements to a dataValueSet JSON file, to import into DHIS2.

    Returns:
        The path written, the number of data values, and the measured KPIs left
        out for want of an external code.
    """
    from .store import opened_workspace

    if not org_unit.strip():
        raise PlanError.of("dhis2_needs_org_unit")
    ws, opened = opened_workspace(workspace, create=False)
    try:
        plan = ws.load(plan_name).plan
        measurements = ws.measurements(plan_name)
    finally:
        if opened:
            ws.close()
    document, skipped = dhis2_data_values(plan, measurements, org_unit=org_unit.strip(), data_set=data_set.strip())
    path = Path(path)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path, len(document["dataValues"]), skipped
