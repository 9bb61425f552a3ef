"""Views of step 10, monitoring and evaluation: KPIs evaluated on a date, charts, the data-collection plan.

The measurements live in the workspace's own table, not in the plan: pass
``book.measurements(plan_name)`` (or any table with ``kpi``, ``date``,
``value`` and optionally ``group``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...analyses.tables import records_table
from ...models import (
    KPI_LEVELS,
    Collection,
    Kpi,
    Plan,
)
from ..display import (
    ShownTable,
    format_date,
    format_money,
    format_number,
    show_table,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "show_data_collection",
    "show_kpi_evaluation",
    "show_kpi_groups",
    "show_kpi_progress_chart",
    "show_kpi_rollup",
    "show_kpi_series_chart",
]

_PERIOD = {
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "twice a year": "half-year",
    "yearly": "year",
}


def _evaluated(plan: Plan, measurements: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    from ...analyses.kpi import evaluate_kpis

    return evaluate_kpis(records_table(plan.monitoring.kpis, Kpi), measurements, as_of=as_of)


def _value_words(
    values: pd.Series, units: pd.Series, decimals: pd.Series, currency: str
) -> list[str]:
    """Write each value in its KPI's unit: a count, a percentage or money, with its decimals."""
    words = []
    for value, unit, places in zip(values, units, decimals, strict=True):
        if unit == "currency":
            words.append(format_money(value, currency, int(places)))
        else:
            text = format_number(value, int(places))
            words.append(text + "%" if text and unit == "percentage" else text)
    return words


def _in_unit(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Make ``column`` ready to show in each KPI's unit: a percentage (54.2) as a fraction (0.542), and its kind.

    The kind, in the column ``<column>_kind``, is ``number``, ``percent`` or
    ``money`` followed by the KPI's decimals (``money2``), for
    :func:`~partnerlib.output.display.show_table` to format each row by.
    """
    values = table[column].where(table["unit"] != "percentage", table[column] / 100)
    base = table["unit"].map({"currency": "money", "percentage": "percent"}).fillna("number")
    return table.assign(**{column: values, f"{column}_kind": base + table["decimals"].astype(int).astype(str)})


def show_kpi_evaluation(plan: Plan, measurements: pd.DataFrame, *, as_of: dt.date) -> ShownTable:
    """Show every KPI on ``as_of``: latest value, progress against the expected, status, trend, projection.

    Progress runs from the baseline (0 %) to the target (100 %); "expected" is
    the share of the time to the target date already passed. A KPI behind
    schedule whose trend reaches the target by its date is one band better
    (the projection informs the status), and its "Why" says so. KPIs are
    listed by level (input, output, outcome, impact), in the plan's order within each.
    """
    import numpy as np

    table = _evaluated(plan, measurements, as_of)
    table["level_order"] = table["level"].map({level: n for n, level in enumerate(KPI_LEVELS)})
    table = table.sort_values("level_order", kind="stable")
    currency = plan.info.currency
    trend = _value_words(
        table["trend_per_period"].abs(), table["unit"], table["decimals"] + 1, currency
    )
    rising = table["trend_per_period"] > 0
    period = table["frequency"].map(_PERIOD)
    table["trend_words"] = np.where(
        table["trend_per_period"].isna(),
        "",
        np.where(rising, "up ", "down ")
        + np.array(trend, dtype=object)
        + " a "
        + period.astype(str),
    )
    table.loc[table["trend_per_period"].eq(0), "trend_words"] = "flat"
    reached = table["progress"] >= 1
    table["projected_words"] = table["projected_date"].dt.date
    table["projected_words"] = table["projected_words"].astype(object)
    table.loc[reached, "projected_words"] = "reached"
    table.loc[
        table["projected_date"].isna() & ~reached & table["latest"].notna(), "projected_words"
    ] = "not at this trend"
    table["status_note"] = np.where(table["trend_in_time"], "behind schedule, but the trend reaches the target in time",
                                    "")
    table = _in_unit(_in_unit(table, "latest"), "target")
    return show_table(
        table,
        columns={
            "name": "KPI",
            "level": "Level",
            "latest": "Latest",
            "target": "Target",
            "target_date": "By",
            "progress": "Progress",
            "expected_progress": "Expected by now",
            "status": "Status",
            "status_note": "Why",
            "trend_words": "Trend",
            "projected_words": "Target reached on",
        },
        formats={"latest": "latest_kind", "target": "target_kind", "progress": "percent",
                 "expected_progress": "percent"},
        currency=currency,
        status=("status",),
        caption=f"KPIs on {as_of.day} {as_of:%b %Y}",
    )


def show_kpi_groups(plan: Plan, measurements: pd.DataFrame, *, as_of: dt.date) -> ShownTable:
    """Show the KPIs broken down by group (e.g. by sex): each group's latest value and share.

    A rate is judged per group against the KPI's target; a count or an amount
    has one target for the total, so its groups show their share of it and
    no status ("not applicable").
    """
    from ...analyses.kpi import evaluate_kpis_by_group

    table = evaluate_kpis_by_group(records_table(plan.monitoring.kpis, Kpi), measurements, as_of=as_of)
    table = _in_unit(table[table["group"].astype(str) != ""], "latest")
    return show_table(
        table,
        columns={
            "name": "KPI",
            "group": "Group",
            "latest": "Latest",
            "share": "Share of the total",
            "progress": "Progress",
            "status": "Status",
        },
        formats={"latest": "latest_kind", "share": "percent", "progress": "percent"},
        currency=plan.info.currency,
        status=("status",),
        caption=f"KPIs by group on {as_of.day} {as_of:%b %Y}",
        empty="No KPI is broken down by group.",
    )


def show_kpi_rollup(plan: Plan, measurements: pd.DataFrame, *, as_of: dt.date) -> ShownTable:
    """Show how many KPIs of each level are on track, at risk, off track or without data.

    >>> import datetime as dt
    >>> from partnerlib import load_sample, sample_measurements
    >>> table = show_kpi_rollup(load_sample(), sample_measurements(), as_of=dt.date(2026, 9, 30))
    >>> table.frame.iloc[0].tolist()
    ['Input', '2', '0', '1', '0', '3']
    """
    from ...analyses.kpi import kpi_rollup

    rollup = kpi_rollup(_evaluated(plan, measurements, as_of)).reset_index()
    rollup["level"] = rollup["level"].str.capitalize()
    return show_table(
        rollup,
        columns={
            "level": "Level",
            "on track": "On track",
            "at risk": "At risk",
            "off track": "Off track",
            "no data": "No data",
            "total": "Total",
        },
        caption=f"KPIs by level on {as_of.day} {as_of:%b %Y}",
    )


def show_kpi_progress_chart(plan: Plan, measurements: pd.DataFrame, *, as_of: dt.date) -> Figure:
    """Draw each KPI's progress towards its target, with a mark where it should be by now."""
    from ...output.charts.kpi import plot_kpi_progress

    return plot_kpi_progress(
            _evaluated(plan, measurements, as_of),
            title=f"Progress towards each KPI's target on {format_date(as_of)}",
        )


def show_kpi_series_chart(
    plan: Plan, measurements: pd.DataFrame, *, as_of: dt.date, kpi: str | None = None
) -> Figure:
    """Draw one KPI over time with its baseline, target and projected date.

    Args:
        plan: the plan.
        measurements: the plan's measurements.
        as_of: the date of the evaluation.
        kpi: the KPI's id or name; None picks the first KPI at risk or off
            track that has a projected date (else the first with a projection,
            else the first KPI).

    Raises:
        ValueError: ``kpi`` names no KPI of the plan.
    """
    from ...output.charts.kpi import plot_kpi_series

    table = _evaluated(plan, measurements, as_of)
    if table.empty:
        from ..charts.style import new_figure

        figure = new_figure(7.0, 1.0)
        figure.text(0.5, 0.5, "No KPI yet: add one in the form above.", ha="center", va="center")
        return figure
    if kpi is None:
        projected = table["projected_date"].notna()
        behind = table["status"].isin(["at risk", "off track"])
        candidates = table[projected & behind] if (projected & behind).any() else table[projected]
        row = candidates.iloc[0] if len(candidates) else table.iloc[0]
    else:
        chosen = table[table["id"].eq(kpi) | table["name"].eq(kpi)]
        if chosen.empty:
            raise ValueError(f"No KPI called {kpi!r} (choose one of: {', '.join(table['name'])})")
        row = chosen.iloc[0]
    return plot_kpi_series(row, measurements, as_of=as_of)


def show_data_collection(plan: Plan) -> ShownTable:
    """Show how the data of each KPI is collected: method, who, tool and how often, by level."""
    kpis = records_table(plan.monitoring.kpis, Kpi)
    plan_rows = records_table(plan.monitoring.collection, Collection).drop_duplicates("kpi")
    table = kpis.merge(
        plan_rows, left_on="id", right_on="kpi", how="left", suffixes=("", "_collection")
    )
    table["level_order"] = table["level"].map({level: n for n, level in enumerate(KPI_LEVELS)})
    table = table.sort_values("level_order", kind="stable")
    table["method"] = table["method"].fillna("").replace("", "not planned yet")
    return show_table(
        table,
        columns={
            "name": "KPI",
            "level": "Level",
            "method": "How",
            "collector": "Who collects",
            "tool": "With what",
            "frequency": "How often",
            "owner": "Who reports",
            "notes": "Notes",
        },
        caption="Data-collection plan",
    )
