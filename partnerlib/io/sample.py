"""The sample plan "Riverside Community Health": load it, or seed a workspace with it.

A fictional mission agency, Hope Alliance International, plans a
community-health programme in a river district with a local health centre, a
water NGO and an IT provider. The plan fills every step of the method, with
two years of monthly KPI measurements read at a fixed date (``as_of``
2026-09-30), so every notebook shows something real and gives the same output
on every run. A few flaws are left in on purpose (an objective without a
measure, an activity with two accountable parties, risks above appetite) so
the checks have something to find.

The files live in :func:`partnerlib.core.paths.data_dir`: ``sample_plan.json`` (the
plan-exchange format) and ``sample_measurements.csv``; both are written by
``tools/make_sample.py``, never by hand.

>>> plan = load_sample()
>>> plan.info.name
'Riverside Community Health'
>>> sorted(plan.parties())
['bytebridge', 'clearflow', 'riverbend-clinic', 'us']
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.paths import SAMPLE_PLAN, data_dir, default_workspace

if TYPE_CHECKING:
    import pandas as pd

    from ..models import Plan
    from .store import Workspace

__all__ = ["load_sample", "sample_measurements", "sample_path", "seed_workspace"]

#: Columns of the sample measurements file, in order.
_MEASUREMENT_COLUMNS = ("kpi", "date", "value", "group", "source")


def sample_path() -> Path:
    """Return the path of the sample plan file (plan-exchange JSON).

    >>> sample_path().name
    'sample_plan.json'
    """
    return data_dir() / "sample_plan.json"


def _document() -> dict:
    import json

    return json.loads(sample_path().read_text(encoding="utf-8"))


def load_sample() -> Plan:
    """Return the sample plan, validated.

    The plan is read from :func:`sample_path` and checked with the same
    rules as any plan, so a broken sample fails loudly here.

    >>> load_sample().info.as_of.isoformat()
    '2026-09-30'

    Returns:
        The sample plan "Riverside Community Health".
    """
    from ..models import Plan

    return Plan.model_validate(_document()["plan"])


def sample_measurements() -> pd.DataFrame:
    """Return the sample plan's KPI measurements: two years of monthly values.

    One row per KPI, month end and disaggregation group (``group`` is empty
    for KPIs that are not broken down).

    >>> frame = sample_measurements()
    >>> list(frame.columns)
    ['kpi', 'date', 'value', 'group', 'source']
    >>> str(frame["date"].max().date())
    '2026-09-30'

    Returns:
        Columns ``kpi``, ``date`` (datetime64), ``value`` (float), ``group``, ``source``.
    """
    import pandas as pd

    frame = pd.read_csv(
        data_dir() / "sample_measurements.csv",
        dtype={"kpi": "str", "value": "float64", "group": "str", "source": "str"},
        keep_default_na=False,
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame.loc[:, list(_MEASUREMENT_COLUMNS)]


def _written(sample: Plan) -> dt.datetime:
    """When the sample counts as written: 09:00 UTC on its as-of date.

    Every copy of the sample then has the same history (and the notebooks
    built from it the same output), whenever it was put in a workspace.

    >>> _written(load_sample()).isoformat()
    '2026-09-30T09:00:00+00:00'
    """
    return dt.datetime.combine(sample.info.as_of, dt.time(9, 0), tzinfo=dt.UTC)


def seed_workspace(path: str | Path | None = None, *, replace: bool = False) -> Workspace:
    """Open a workspace and add the sample plan, its measurements and shared records.

    Nothing happens to a workspace that already holds a plan called
    "Riverside Community Health" unless ``replace`` is true; then that plan
    is deleted (softly: the store can bring it back under another name) and
    a fresh copy of the sample is added. Shared organisations and people are
    added only when no record with the same id exists, so edits to them are
    kept.

    Args:
        path: the workspace file (default: :func:`partnerlib.core.paths.default_workspace`).
        replace: put a fresh copy of the sample in place of an existing one.

    Returns:
        The open workspace; close it (or use it in a ``with`` block) when done.
    """
    from ..models import Organisation, Person
    from .store import PlanExists, Workspace

    document = _document()
    workspace = Workspace.open(default_workspace() if path is None else path)
    try:
        present = any(p.name == SAMPLE_PLAN for p in workspace.plans())
        if present and not replace:
            return workspace
        if present:
            workspace.delete_plan(SAMPLE_PLAN)
        sample = load_sample()
        try:
            workspace.create_plan(sample, author=sample.info.author, saved_at=_written(sample))
        except PlanExists:
            return workspace  # another notebook seeded it a moment ago
        workspace.add_measurements(SAMPLE_PLAN, sample_measurements())
        known = {o.id for o in workspace.organisations()}
        for record in document["organisations"]:
            if record["id"] not in known:
                workspace.save_organisation(Organisation.model_validate(record))
        known = {p.id for p in workspace.people()}
        for record in document["people"]:
            if record["id"] not in known:
                workspace.save_person(Person.model_validate(record))
    except BaseException:
        workspace.close()
        raise
    return workspace
