"""Views of step 6, risk and conflict: the register scored, crucial risks, the profile, heat maps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...analyses.tables import records_table
from ...core.formats import plural
from ...models import (
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    Appetite,
    Plan,
    Risk,
)
from ..display import ShownTable, show_table
from .common import per_section

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "show_crucial_risks",
    "show_risk_heatmaps",
    "show_risk_matrix",
    "show_risk_profile",
    "show_risk_profile_chart",
    "show_risk_register",
    "show_risks_above_appetite",
]


#: The appetite column's heading: the highest score (likelihood × impact, 1–25) the category accepts.
_APPETITE_HEADING = "Appetite: highest score accepted"


@per_section("risks")
def _scored(plan: Plan) -> pd.DataFrame:
    """Score the plan's register against its appetite, worst first (residual, inherent, title)."""
    from ...analyses.risk import score_risks

    scored = score_risks(
        records_table(plan.risks.risks, Risk), appetite=records_table(plan.risks.appetite, Appetite)
    )
    return scored.sort_values(
        ["residual_score", "score", "title"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def _words(scored: pd.DataFrame) -> pd.DataFrame:
    """Add the columns people read: (likelihood, impact) pairs, shown as scores, and bands in words.

    A residual score not assessed yet has no pair.
    """
    scored = scored.copy()
    for prefix in ("", "residual_"):
        scored[f"{prefix}pair"] = list(zip(scored[f"{prefix}likelihood"], scored[f"{prefix}impact"], strict=True))
    scored["residual_pair"] = scored["residual_pair"].where(scored["residual_assessed"], None)
    scored["band"] = scored["band"].astype(str)
    scored["residual_band"] = scored["residual_band"].astype(str)
    return scored


def show_risk_register(plan: Plan) -> ShownTable:
    """Show every risk with its score and band before and after mitigation, worst residual first.

    A score is likelihood × impact (1–25); the band is low (1–4), medium
    (5–9), high (10–14) or critical (15–25). "Above appetite" says whether the
    score after mitigation is still higher than the category accepts.

    >>> from partnerlib import load_sample
    >>> show_risk_register(load_sample()).frame.iloc[0][["Risk", "After mitigation", "Band after"]].tolist()
    ['Villages depend on the partnership to keep water running', '3 × 4 = 12', 'high']
    """
    scored = _words(_scored(plan))
    return show_table(
        scored,
        columns={
            "title": "Risk",
            "category": "Category",
            "owner": "Owner",
            "pair": "Before: likelihood × impact",
            "band": "Band before",
            "residual_pair": "After mitigation",
            "residual_band": "Band after",
            "reduction": "Reduced by",
            "appetite": _APPETITE_HEADING,
            "above_appetite": "Above appetite",
            "status": "Status",
        },
        formats={"pair": "risk score", "residual_pair": "risk score", "reduction": "number", "appetite": "number"},
        missing={"residual_pair": "not assessed yet", "appetite": "none set"},
        status=("band", "residual_band"),
        caption=f"Risk register: {plural(len(scored), 'risk')}, worst after mitigation first",
    )


def show_crucial_risks(plan: Plan, *, top: int = 5) -> ShownTable:
    """Show the risks to deal with first: every risk above appetite plus the ``top`` highest scores."""
    from ...analyses.risk import crucial_risks

    crucial = _words(crucial_risks(_scored(plan), top=top))
    import numpy as np

    above, high = crucial["above_appetite"].to_numpy(), crucial.index.to_numpy() < top
    crucial["why"] = np.select(
        [above & high, above, high],
        [f"above appetite; among the {top} highest", "above appetite", f"among the {top} highest"],
        "",
    )
    return show_table(
        crucial,
        columns={
            "title": "Risk",
            "category": "Category",
            "residual_pair": "After mitigation",
            "residual_band": "Band after",
            "why": "Why it is crucial",
            "mitigation": "Mitigation",
            "owner": "Owner",
        },
        formats={"residual_pair": "risk score"},
        missing={"residual_pair": "not assessed yet"},
        status=("residual_band",),
        caption="Crucial risks: deal with these first",
        empty="No risk recorded yet.",
    )


def show_risks_above_appetite(plan: Plan) -> ShownTable:
    """Show the risks whose score after mitigation is still above their category's appetite."""
    scored = _words(_scored(plan))
    above = scored[scored["above_appetite"]].copy()
    above["excess"] = above["residual_score"] - above["appetite"]
    return show_table(
        above,
        columns={
            "title": "Risk",
            "category": "Category",
            "residual_score": "Score after mitigation",
            "appetite": _APPETITE_HEADING,
            "excess": "Over by",
            "mitigation": "Mitigation so far",
            "owner": "Owner",
        },
        formats={"residual_score": "number", "appetite": "number", "excess": "number"},
        caption="Risks still above appetite after mitigation",
        empty="No risk is above its appetite after mitigation.",
    )


def show_risk_profile(plan: Plan) -> ShownTable:
    """Show, per category, how many risks fall in each band and the total score, before and after mitigation."""
    import pandas as pd

    from ...analyses.risk import DEFAULT_MATRIX

    scored = _scored(plan)
    bands = list(DEFAULT_MATRIX.band_names)
    parts = {}
    for prefix, when in (("", "before"), ("residual_", "after")):
        counts = pd.crosstab(scored["category"], scored[f"{prefix}band"].astype(str))
        parts[when] = counts.reindex(columns=bands, fill_value=0)
        parts[f"{when}_exposure"] = scored.groupby("category")[f"{prefix}score"].sum()
    table = pd.DataFrame(index=sorted(scored["category"].unique()))
    table["risks"] = scored.groupby("category").size()
    for when in ("before", "after"):
        counts = parts[when].reindex(table.index, fill_value=0)
        table[f"{when}_bands"] = [
            ", ".join(f"{n} {band}" for band, n in zip(bands, row, strict=True) if n)
            for row in counts.to_numpy()
        ]
        table[f"{when}_exposure"] = parts[f"{when}_exposure"]
    table = table.sort_values(["after_exposure", "before_exposure"], ascending=False, kind="stable")
    table = table.rename_axis("category").reset_index()
    return show_table(
        table,
        columns={
            "category": "Category",
            "risks": "Risks",
            "before_bands": "Bands before mitigation",
            "before_exposure": "Exposure before",
            "after_bands": "Bands after mitigation",
            "after_exposure": "Exposure after",
        },
        formats={"risks": "number", "before_exposure": "number", "after_exposure": "number"},
        caption="Risk profile per category (exposure = the scores added up), largest exposure first",
    )


def show_risk_matrix(plan: Plan, *, residual: bool = False) -> ShownTable:
    """Show the heat map as a table: how many risks sit in each likelihood × impact cell."""
    from ...analyses.risk import risk_matrix_counts

    counts = risk_matrix_counts(_scored(plan), residual=residual).iloc[::-1]
    counts.columns = [f"{n} {word}" for n, word in zip(counts.columns, IMPACT_LABELS, strict=True)]
    counts.insert(0, "likelihood", [f"{n} {LIKELIHOOD_LABELS[n - 1]}" for n in counts.index])
    when = "after mitigation" if residual else "before mitigation"
    return show_table(
        counts.reset_index(drop=True),
        columns={"likelihood": "Likelihood ↓ / impact →", **{c: c for c in counts.columns[1:]}},
        caption=f"Number of risks per cell {when}: {int(counts.iloc[:, 1:].to_numpy().sum())} in all",
    )


def show_risk_heatmaps(plan: Plan) -> Figure:
    """Draw the risk matrix before and after mitigation, each cell with the number of risks in it."""
    from ...output.charts.risk import plot_risk_heatmaps

    return plot_risk_heatmaps(_scored(plan))


def show_risk_profile_chart(plan: Plan, *, residual: bool = False) -> Figure:
    """Draw the risk profile: one bar per category, stacked by band (after mitigation if ``residual``)."""
    from matplotlib.ticker import MaxNLocator

    from ...analyses.risk import risk_profile
    from ...output.charts.risk import plot_risk_profile

    figure = plot_risk_profile(risk_profile(_scored(plan), residual=residual))
    axes = figure.axes[0]
    when = "after" if residual else "before"
    axes.set_title(f"Risk profile {when} mitigation: risks per category and band")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts are whole risks
    return figure
