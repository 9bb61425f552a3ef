"""Views of step 4, the business case: weighted SWOT, TOWS strategies, budget and return, benchmarks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...analyses.budget import business_case_budget
from ...analyses.swot import MIDPOINT, SwotScore, score_swot, tows_table
from ...analyses.tables import records_table
from ...core.problems import PlanError
from ...models import (
    SWOT_KINDS,
    Benchmark,
    BudgetLine,
    Plan,
)
from ...output.charts.swot import plot_swot_board, plot_swot_position
from ..display import ShownTable, show_table
from .common import per_section

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "show_benchmarks",
    "show_budget_lines",
    "show_business_case_budget",
    "show_swot_board",
    "show_swot_chart",
    "show_swot_scores",
    "show_swot_totals",
    "show_tows_strategies",
]

#: What each TOWS quadrant asks, in words.
_QUADRANT_WORDS = {
    "SO": "SO: use strengths to take opportunities",
    "ST": "ST: use strengths to meet threats",
    "WO": "WO: fix weaknesses to take opportunities",
    "WT": "WT: reduce weaknesses, avoid threats",
}


def _in_one_line(error: PlanError) -> str:
    """An error's problems as one sentence for a caption ("a; b."), whatever its layout."""
    problems = getattr(error, "problems", None)
    text = "; ".join(str(problem.message) for problem in problems) if problems else str(error)
    return " ".join(text.split()).rstrip(".") + "."


@per_section("business_case")
def _score(plan: Plan) -> SwotScore | str:
    """Score the plan's SWOT, rescaling weights that do not sum to 1; or say why it cannot be scored."""
    try:
        return score_swot(plan.business_case.swot, normalise=True)
    except PlanError as error:
        return "The SWOT cannot be scored yet: " + _in_one_line(error)


def _message_figure(text: str) -> Figure:
    """A small figure that only says ``text`` (instead of a chart that cannot be drawn)."""
    import textwrap

    from ..charts.style import new_figure

    figure = new_figure(7, 1.5)
    axes = figure.add_subplot()
    axes.axis("off")
    axes.text(0, 0.5, textwrap.fill(text, 90), va="center", fontsize=10)
    return figure


def show_swot_scores(plan: Plan) -> ShownTable:
    """Show each SWOT factor with its weight, rating and weighted score, by quadrant, heaviest first.

    Weights that do not sum to 1 on a side are rescaled so they do (the
    caption says so); a side with no factors leaves the table empty with the
    reason in the caption.

    >>> from partnerlib.io.sample import load_sample
    >>> shown = show_swot_scores(load_sample())
    >>> shown.frame.iloc[0][["Quadrant", "Weight", "Rating", "Weighted score"]].tolist()
    ['Strength', '0.16', '4', '0.64']
    """
    import pandas as pd

    scored = _score(plan)
    if isinstance(scored, str):
        empty = pd.DataFrame(columns=["kind", "text", "weight", "rating", "weighted_score"])
        return show_table(
            empty,
            columns={"kind": "Quadrant", "text": "Factor", "weight": "Weight", "rating": "Rating",
                     "weighted_score": "Weighted score"},
            caption=scored,
        )
    table = scored.table.copy()
    table["order"] = table["kind"].map({kind: n for n, kind in enumerate(SWOT_KINDS)})
    table = table.sort_values(["order", "weighted_score"], ascending=[True, False], kind="stable")
    table["kind"] = table["kind"].str.capitalize()
    caption = "Weighted SWOT: weight (importance, 0–1) × rating (1–4)"
    if scored.changes:
        caption += f" — note: {'; '.join(scored.changes)}"
    return show_table(
        table,
        columns={"kind": "Quadrant", "text": "Factor", "weight": "Weight", "rating": "Rating",
                 "weighted_score": "Weighted score"},
        formats={"weight": "number2", "weighted_score": "number2"},
        caption=caption,
    )


def show_swot_totals(plan: Plan) -> ShownTable:
    """Show the internal and external totals (1–4, midpoint 2.5) and the position they give.

    >>> from partnerlib.io.sample import load_sample
    >>> shown = show_swot_totals(load_sample())
    >>> shown.frame["Total"].tolist()
    ['2.88', '2.34', 'Hold and defend']
    >>> shown.caption
    'Position: Hold and defend (ST strategies first)'
    """
    import pandas as pd

    scored = _score(plan)
    columns = {"side": "Side", "total": "Total", "reading": "What it means"}
    if isinstance(scored, str):
        return show_table(pd.DataFrame(columns=list(columns)), columns=columns, caption=scored)

    def reading(total: float, high: str, low: str) -> str:
        above = total >= MIDPOINT
        return f"{'at or above' if above else 'below'} the midpoint {MIDPOINT}: {high if above else low}"

    frame = pd.DataFrame(
        {
            "side": ["Internal (strengths and weaknesses)", "External (opportunities and threats)", "Position"],
            "total": [scored.internal, scored.external, scored.position],
            "total_kind": ["number2", "number2", "text"],
            "reading": [
                reading(scored.internal, "strengths outweigh weaknesses", "weaknesses outweigh strengths"),
                reading(scored.external, "we respond well to what is outside",
                        "we respond poorly to what is outside"),
                scored.explanation,
            ],
        }
    )
    caption = f"Position: {scored.position} ({scored.quadrant} strategies first)"
    return show_table(frame, columns=columns, formats={"total": "total_kind"}, caption=caption)


def show_swot_board(plan: Plan) -> Figure:
    """Draw the SWOT as four quadrants, each factor with its weight and rating."""
    scored = _score(plan)
    return _message_figure(scored) if isinstance(scored, str) else plot_swot_board(scored)


def show_swot_chart(plan: Plan) -> Figure:
    """Mark where the partnership stands on the internal × external grid."""
    scored = _score(plan)
    return _message_figure(scored) if isinstance(scored, str) else plot_swot_position(scored)


def show_tows_strategies(plan: Plan, *, suggestions: int = 2) -> ShownTable:
    """Show the TOWS strategies written, with the heaviest unwritten pairs suggested, per quadrant.

    Args:
        plan: the plan.
        suggestions: how many unwritten pairs of factors to suggest per quadrant.

    >>> from partnerlib.io.sample import load_sample
    >>> shown = show_tows_strategies(load_sample())
    >>> shown.frame.iloc[0][["Kind of strategy", "Written or suggested", "Combined weight"]].tolist()
    ['SO: use strengths to take opportunities', 'written', '0.46']
    """
    import pandas as pd

    case = plan.business_case
    columns = {
        "quadrant": "Kind of strategy",
        "status": "Written or suggested",
        "combined_weight": "Combined weight",
        "pairs": "Factors paired",
        "strategy": "Strategy",
    }
    try:
        table = tows_table(case.swot, case.strategies, suggestions=suggestions)
    except PlanError as error:
        return show_table(pd.DataFrame(columns=list(columns)), columns=columns,
                          caption="The TOWS strategies cannot be listed yet: " + _in_one_line(error))
    table["quadrant"] = table["quadrant"].map(_QUADRANT_WORDS)
    return show_table(
        table,
        columns=columns,
        formats={"combined_weight": "number2"},
        caption="TOWS strategies, heaviest first in each quadrant",
    )


def show_business_case_budget(plan: Plan) -> ShownTable:
    """Show the total costs, expected returns, the net and the return on investment, in one row.

    Return on investment is the net divided by the costs; with no costs it is
    left empty and the caption says why.

    >>> from partnerlib.io.sample import load_sample
    >>> show_business_case_budget(load_sample()).frame.iloc[0].tolist()
    ['USD 287,000', 'USD 303,000', 'USD 16,000', '6%']
    """
    import pandas as pd

    money = business_case_budget(plan.business_case)
    frame = pd.DataFrame(
        {"costs": [money.costs], "returns": [money.returns], "net": [money.net], "roi": [money.roi]}
    )
    return show_table(
        frame,
        columns={
            "costs": "Costs",
            "returns": "Expected returns",
            "net": "Net (returns − costs)",
            "roi": "Return on investment (net ÷ costs)",
        },
        formats={"costs": "money", "returns": "money", "net": "money", "roi": "percent"},
        currency=plan.info.currency,
        caption="The business case in money"
        + (": no return on investment without costs" if money.roi is None else ""),
    )


def show_budget_lines(plan: Plan) -> ShownTable:
    """Show the budget's costs then expected returns, the largest first within each.

    >>> from partnerlib.io.sample import load_sample
    >>> show_budget_lines(load_sample()).frame.iloc[0][["Item", "Amount"]].tolist()
    ['Water points (repair and new)', 'USD 96,000']
    """
    frame = records_table(plan.business_case.budget, BudgetLine)
    frame["order"] = frame["kind"].map({"cost": 0, "return": 1})
    frame = frame.sort_values(["order", "amount"], ascending=[True, False], kind="stable")
    frame["kind"] = frame["kind"].map({"cost": "cost", "return": "expected return"})
    return show_table(
        frame,
        columns={"item": "Item", "kind": "Cost or return", "amount": "Amount", "note": "How the figure was reached"},
        formats={"amount": "money"},
        currency=plan.info.currency,
        caption="Budget lines",
    )


def show_benchmarks(plan: Plan) -> ShownTable:
    """Show the benchmarks of success, quantitative first, with the KPI that measures each.

    >>> from partnerlib.io.sample import load_sample
    >>> show_benchmarks(load_sample()).frame["Measured by"].tolist()[-1]
    'no KPI linked yet'
    """
    frame = records_table(plan.business_case.benchmarks, Benchmark)
    kpis = {kpi.id: kpi.name for kpi in plan.monitoring.kpis}
    linked = frame["kpi"].fillna("")
    frame["measured_by"] = linked.map(kpis).fillna(linked.where(linked == "", linked + " (not found in step 10)"))
    frame["measured_by"] = frame["measured_by"].replace("", "no KPI linked yet")
    frame["order"] = frame["kind"].map({"quantitative": 0, "qualitative": 1})
    frame = frame.sort_values("order", kind="stable")
    return show_table(
        frame,
        columns={"text": "Benchmark", "kind": "Kind", "measured_by": "Measured by"},
        caption="Benchmarks of success (the first KPIs)",
    )
