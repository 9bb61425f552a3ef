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

from ..core.paths import data_dir, default_workspace

if TYPE_CHECKING:
    import pandas as pd

    from ..models import Plan
    from .store import Workspace

__all__ = ["load_sample", "sample_measurements", "sample_path", "seed_workspace"]



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

    from ..models import MEASUREMENT_COLUMNS, MEASUREMENT_TYPES

    frame = pd.read_csv(
        data_dir() / "sample_measurements.csv",
        dtype={name: kind for name, kind in MEASUREMENT_TYPES.items() if name != "date"},
        keep_default_na=False,
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame.loc[:, list(MEASUREMENT_COLUMNS)]


def _written(sample: Plan) -> dt.datetime:
    """When the sample counts as written: 09:00 UTC on its as-of date.

    Every copy of the sample then has the same history (and the notebooks
    built from it the same output), whenever it was put in a workspace.

    >>> _written(load_sample()).isoformat()
    '2026-09-30T09:00:00+00:00'
    """
    return dt.datetime.combine(sample.info.as_of, dt.time(9, 0), tzinfo=dt.UTC)


#: The sample's plan files, in the order they are seeded: the sample plan, then a second SSU plan
#: of the same organisation (Lakeside girls' education), so the portfolio has two plans to compare.
SAMPLE_FILES = ("sample_plan.json", "sample_plan_lakeside.json")


def seed_workspace(path: str | Path | None = None, *, replace: bool = False) -> Workspace:
    """Open a workspace and add the sample plans, their measurements, and the register they use.

    Two plans of Hope Alliance International are added: "Riverside Community
    Health" (every step filled in) and "Lakeside Girls' Education" (a younger
    plan), with their measurements, the shared organisations and people, and
    their gifts. A plan the workspace already holds is left alone unless
    ``replace`` is true; then it is deleted (softly: the store can bring it
    back under another name) and a fresh copy added. Register entries and
    gifts are added only when none with the same id exists, so edits to them
    are kept.

    Args:
        path: the workspace file (default: :func:`partnerlib.core.paths.default_workspace`).
        replace: put fresh copies of the sample plans in place of existing ones.

    Returns:
        The open workspace; close it (or use it in a ``with`` block) when done.
    """
    from .plan_files import read_plan_file
    from .store import PlanExists, Workspace

    workspace = Workspace.open(default_workspace() if path is None else path)
    try:
        for name in SAMPLE_FILES:
            contents = read_plan_file(data_dir() / name)
            plan = contents.plan
            present = any(p.name == plan.info.name for p in workspace.plans())
            if present and not replace:
                continue
            if present:
                workspace.delete_plan(plan.info.name)
            try:
                workspace.create_plan(plan, author=plan.info.author, saved_at=_written(plan))
            except PlanExists:
                continue  # another notebook seeded it a moment ago
            workspace.add_measurements(plan.info.name, contents.measurements)
            known = {o.id for o in workspace.organisations()}
            for organisation in contents.organisations:
                if organisation.id not in known:
                    workspace.save_organisation(organisation)
            known = {p.id for p in workspace.people()}
            for person in contents.people:
                if person.id not in known:
                    workspace.save_person(person)
            known = {g.id for g in workspace.gifts()}
            for gift in contents.gifts:
                if gift.id not in known:
                    workspace.save_gift(gift)
    except BaseException:
        workspace.close()
        raise
    return workspace
