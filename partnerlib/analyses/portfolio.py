"""Every SSU plan of a workspace side by side: how ready each step is, and each plan's headline figures.

Readiness comes from the models themselves: a step is *not started* while its
section is still empty (as a new plan has it), *complete* when it has nothing
missing (:meth:`Plan.gaps`), and *in progress* otherwise. The headline figures
are the ones the plan document's summary gives for one plan: KPI statuses,
crucial risks, the budget gap, partnership health and the next check-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..core.problems import PlanError
from ..models import SECTIONS, Plan

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PORTFOLIO_COLUMNS", "READINESS", "portfolio_table", "step_readiness"]

#: A step's readiness, from least to most ready.
READINESS = ("not started", "in progress", "complete")
#: The columns of :func:`portfolio_table`, in order.
PORTFOLIO_COLUMNS = (
    "plan", "ssu", "as_of", "steps_complete", "steps_started", "missing",
    "on_track", "at_risk", "off_track", "no_data", "crucial_risks", "above_appetite",
    "budget_gap", "currency", "health", "next_checkin", "next_checkin_with",
)


def step_readiness(plan: Plan) -> pd.DataFrame:
    """Return each planning step's readiness and what it still lacks.

    >>> from partnerlib.models import Plan
    >>> step_readiness(Plan())[["step", "status"]].head(2).to_dict("records")
    [{'step': 1, 'status': 'not started'}, {'step': 2, 'status': 'not started'}]

    Returns:
        One row per step 1–11, in order: ``step``, ``section`` (its field
        name), ``title``, ``status`` (one of :data:`READINESS`), ``missing``
        (how many things) and ``what`` (the first few, each a sentence with its full stop,
        one after the other: never "purpose.; Water").
    """
    import pandas as pd

    gaps: dict[str, list[str]] = {}
    for section, gap in plan.gaps():
        gaps.setdefault(section, []).append(gap.message)
    rows = []
    for name, model in SECTIONS.items():
        if name == "info":
            continue
        found = gaps.get(name, [])
        started = getattr(plan, name) != model()
        status = ("in progress" if found else "complete") if started else "not started"
        rows.append((model.step, name, model.title, status, len(found), " ".join(found[:3])))
    return pd.DataFrame(rows, columns=["step", "section", "title", "status", "missing", "what"])


def _kpi_counts(plan: Plan, measurements: pd.DataFrame) -> dict[str, int]:
    from ..models import Kpi
    from .kpi import KPI_STATUSES, evaluate_kpis
    from .tables import records_table

    if not plan.monitoring.kpis:
        return dict.fromkeys(KPI_STATUSES, 0)
    evaluated = evaluate_kpis(records_table(plan.monitoring.kpis, Kpi), measurements, as_of=plan.info.as_of)
    counts = evaluated["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in KPI_STATUSES}


def _risk_counts(plan: Plan) -> tuple[int, int]:
    from ..models import Appetite, Risk
    from .risk import crucial_risks, score_risks
    from .tables import records_table

    if not plan.risks.risks:
        return 0, 0
    scored = score_risks(records_table(plan.risks.risks, Risk), appetite=records_table(plan.risks.appetite, Appetite))
    return len(crucial_risks(scored)), int(scored["above_appetite"].sum())


def _budget_gap(plan: Plan, gifts: pd.DataFrame | None, budget: pd.DataFrame | None) -> float | None:
    from .budget import vision_budget
    from .register import gift_budget

    if not plan.resources.vision_budget:
        return None
    if budget is None and gifts is None:
        return float(vision_budget(plan.resources).iloc[-1]["gap"])
    lines = gift_budget(plan, gifts) if budget is None else budget
    return float(lines.set_index("line")["amount"]["gap"])


def _health(plan: Plan) -> str:
    from .health import score_health

    return score_health(plan.review).overall if plan.review.reviews else "not reviewed"


def _next_checkin(plan: Plan) -> tuple[dt.date | None, str]:
    from .checkins import checkin_schedule

    schedule = checkin_schedule(plan, as_of=plan.info.as_of)  # soonest due first, then by name
    if schedule.empty:
        return None, ""
    return schedule["next_due"].iat[0], str(schedule["name"].iat[0])


def portfolio_table(
    plans: Mapping[str, Plan],
    measurements: Mapping[str, pd.DataFrame],
    gifts: pd.DataFrame | None = None,
    *,
    budgets: Mapping[str, pd.DataFrame] | None = None,
    readiness: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Put every plan's readiness and headline figures on one row each.

    Each plan is read at its own date (``info.as_of``). A figure that cannot
    be worked out for a plan (for example a KPI table the analysis refuses)
    is left empty instead of stopping the whole portfolio.

    Args:
        plans: plan name → plan, in the order to show them.
        measurements: plan name → its measurements (a plan may be missing: no data).
        gifts: the register's gifts (:func:`~partnerlib.analyses.register.gifts_table`),
            so the budget gap counts gifts received and expected; None for the
            vision budget's own gap.
        budgets: plan name → its :func:`~partnerlib.analyses.register.gift_budget`, for a
            caller that has worked them out already (the organisation document shows them
            too); a plan not in it has its own worked out from ``gifts``.
        readiness: plan name → its :func:`step_readiness`, likewise, for a caller that
            shows it too; a plan not in it has its own worked out.

    Returns:
        One row per plan with the columns :data:`PORTFOLIO_COLUMNS`:
        ``steps_complete`` and ``steps_started`` count steps of 11;
        ``missing`` counts every gap; KPI counts by status; ``crucial_risks``
        and ``above_appetite`` (after mitigation); ``budget_gap`` in the plan's
        ``currency`` (None without a vision budget); ``health`` (green, amber,
        red or "not reviewed"); the next check-in due and with whom.
    """
    import pandas as pd

    rows = []
    for name, plan in plans.items():
        steps = step_readiness(plan) if readiness is None or name not in readiness else readiness[name]
        row: dict[str, object] = {
            "plan": name,
            "ssu": plan.info.ssu_name,
            "as_of": plan.info.as_of,
            "steps_complete": int((steps["status"] == "complete").sum()),
            "steps_started": int((steps["status"] != "not started").sum()),
            "missing": int(steps["missing"].sum()),
            "currency": plan.info.currency,
        }
        row.update(_figures(plan, measurements.get(name), gifts, (budgets or {}).get(name)))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(PORTFOLIO_COLUMNS))


def _figures(
    plan: Plan, measurements: pd.DataFrame | None, gifts: pd.DataFrame | None, budget: pd.DataFrame | None
) -> dict[str, object]:
    """Work out one plan's headline figures; one that cannot be worked out is left out, not fatal."""
    found: dict[str, object] = {}
    work = (
        lambda: {status.replace(" ", "_"): count for status, count in
                 _kpi_counts(plan, _no_measurements() if measurements is None else measurements).items()},
        lambda: dict(zip(("crucial_risks", "above_appetite"), _risk_counts(plan), strict=True)),
        lambda: {"budget_gap": _budget_gap(plan, gifts, budget)},
        lambda: {"health": _health(plan)},
        lambda: dict(zip(("next_checkin", "next_checkin_with"), _next_checkin(plan), strict=True)),
    )
    for figure in work:
        try:
            found.update(figure())
        except (PlanError, ValueError):
            continue
    return found


def _no_measurements() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({"kpi": pd.Series(dtype=str), "date": pd.Series(dtype="datetime64[ns]"),
                         "value": pd.Series(dtype=float), "group": pd.Series(dtype=str)})
