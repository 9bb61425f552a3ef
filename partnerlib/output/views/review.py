"""Views of step 11, partnership review: health scores, perception gaps, change, focus, recommendations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...analyses.tables import records_table
from ...core.formats import plural, round_half_away
from ...models import Plan, Recommendation
from ..display import ShownTable, format_date, show_table
from .common import per_section

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ...analyses.health import HealthScore

__all__ = [
    "show_health_by_partner",
    "show_health_change",
    "show_health_change_chart",
    "show_health_chart",
    "show_health_check",
    "show_health_factors",
    "show_health_focus",
    "show_health_groups",
    "show_perception_gaps",
    "show_recommendations",
]


@per_section("review")
def _health(plan: Plan, review: str | None) -> HealthScore:
    from ...analyses.health import score_health

    return score_health(plan.review, review_id=review)


#: What the health views say while no review has been held.
NO_REVIEW = "No partnership review held yet: add a review and its ratings in the form above."


def _no_review(caption: str) -> ShownTable:
    """An empty table saying that there is no review to show yet."""
    import pandas as pd

    return ShownTable(pd.DataFrame(), caption=caption, empty=NO_REVIEW)


def _no_review_chart() -> Figure:
    """A small figure saying that there is no review to draw yet."""
    from ..charts.style import new_figure

    figure = new_figure(7.0, 1.0)
    figure.text(0.5, 0.5, NO_REVIEW, ha="center", va="center")
    return figure


def _rounded(table: pd.DataFrame) -> pd.DataFrame:
    """Scores and the score before to tenths; the change is between the two numbers shown."""
    table = table.copy()
    table["score"] = round_half_away(table["score"], 1)
    table["previous"] = round_half_away(table["previous"], 1)
    table["change"] = round_half_away(table["score"] - table["previous"], 1)
    return table


def _when(scored: HealthScore) -> str:
    return f"{scored.name} ({format_date(scored.date)})"


def show_health_check(plan: Plan, *, review: str | None = None) -> ShownTable:
    """Show the quick red / amber / green check of the latest review (or ``review``) and why.

    >>> from partnerlib import load_sample
    >>> show_health_check(load_sample()).frame.iloc[0][["Review", "Overall"]].tolist()
    ['Second partnership review (17 Sep 2026)', 'amber']
    """
    if not plan.review.reviews:
        return _no_review("Partnership health at a glance")
    import pandas as pd

    scored = _health(plan, review)
    table = pd.DataFrame(
        {
            "review": [_when(scored)],
            "compared": [scored.previous_name or "no earlier review"],
            "overall": [scored.overall],
            "reason": [scored.reason],
        }
    )
    return show_table(
        table,
        columns={
            "review": "Review",
            "compared": "Compared with",
            "overall": "Overall",
            "reason": "Why",
        },
        status=("overall",),
        caption="Partnership health at a glance",
    )


def show_health_groups(plan: Plan, *, review: str | None = None) -> ShownTable:
    """Show each of the six groups of factors: its score (1–5), band, the score before and the change."""
    if not plan.review.reviews:
        return _no_review("Health by group")
    scored = _health(plan, review)
    return show_table(
        _rounded(scored.groups).assign(group=scored.groups["group"].str.capitalize()),
        columns={
            "group": "Group",
            "score": "Score (1–5)",
            "band": "Band",
            "previous": "Before",
            "change": "Change",
        },
        formats={"score": "number1", "previous": "number1", "change": "number1"},
        status=("band",),
        caption=f"Health by group: {_when(scored)}",
    )


def show_health_factors(plan: Plan, *, review: str | None = None) -> ShownTable:
    """Show all twenty factors with their score, band and the range of the partners' ratings."""
    if not plan.review.reviews:
        return _no_review("Collaboration factors")
    scored = _health(plan, review)
    factors = _rounded(scored.factors)
    factors["range"] = (
        factors["low"].astype("Int64").astype(str)
        + "–"
        + factors["high"].astype("Int64").astype(str)
    )
    factors.loc[factors["ratings"].eq(0), "range"] = ""
    return show_table(
        factors,
        columns={
            "factor": "Factor",
            "group": "Group",
            "score": "Score (1–5)",
            "band": "Band",
            "ratings": "Partners rating",
            "range": "Ratings from–to",
            "gap": "Seen differently",
        },
        formats={"score": "number1", "ratings": "number"},
        status=("band",),
        caption=f"Collaboration factors: {_when(scored)}",
    )


def show_perception_gaps(
    plan: Plan, *, review: str | None = None, at_least: float = 1.5
) -> ShownTable:
    """Show the factors the partners rate apart by ``at_least`` points, each partner's rating side by side.

    Widest spread first. By default only the spreads the health check counts
    as a gap (1.5 points or more); ``at_least=1`` shows every disagreement.
    """
    if not plan.review.reviews:
        return _no_review("Where partners see things differently")
    scored = _health(plan, review)
    parties = plan.parties()
    by_party = scored.by_party.rename(columns=lambda p: parties.get(p, p))
    table = scored.factors.set_index("factor")[["group", "spread", "gap"]].join(by_party)
    table = table[table["spread"] >= at_least].sort_values("spread", ascending=False, kind="stable")
    table = table.reset_index()
    shown = [name for name in parties.values() if name in table.columns]
    return show_table(
        table,
        columns={
            "factor": "Factor",
            "group": "Group",
            **{name: name for name in shown},
            "spread": "Spread",
        },
        formats={**dict.fromkeys(shown, "number"), "spread": "number"},
        caption=f"Where partners see things differently (ratings {plural(at_least, 'point')} or more apart)",
        empty=f"The partners rate every factor within {plural(at_least, 'point')} of each other.",
    )


def show_health_by_partner(plan: Plan, *, review: str | None = None) -> ShownTable:
    """Show how each partner rates each group of factors (its mean rating), and the spread between them."""
    if not plan.review.reviews:
        return _no_review("How each partner rates each group")
    from ...models import FACTOR_GROUPS, FACTORS

    scored = _health(plan, review)
    parties = plan.parties()
    by_party = scored.by_party.rename(columns=lambda p: parties.get(p, p))
    means = by_party.groupby(by_party.index.map(FACTORS)).mean().reindex(list(FACTOR_GROUPS))
    shown = [name for name in parties.values() if name in means.columns]
    means = means[shown].apply(round_half_away, decimals=1)
    means["spread"] = round_half_away(means.max(axis=1) - means.min(axis=1), 1)
    means = means.rename_axis("group").reset_index()
    means["group"] = means["group"].str.capitalize()
    return show_table(
        means,
        columns={"group": "Group", **{name: name for name in shown}, "spread": "Spread"},
        formats={**dict.fromkeys(shown, "number1"), "spread": "number1"},
        caption=f"How each partner rates each group (mean, 1–5): {_when(scored)}",
    )


def show_health_change(plan: Plan, *, review: str | None = None) -> ShownTable:
    """Show each factor's score in the review before and now, biggest drop first."""
    if not plan.review.reviews:
        return _no_review("Change since the review before")
    scored = _health(plan, review)
    factors = _rounded(scored.factors).sort_values(
        ["change", "factor"], kind="stable", na_position="last"
    )
    before = scored.previous_name or "the review before"
    return show_table(
        factors,
        columns={
            "factor": "Factor",
            "group": "Group",
            "previous": "Before",
            "score": "Now",
            "change": "Change",
            "band": "Band now",
        },
        formats={"previous": "number1", "score": "number1", "change": "number1"},
        status=("band",),
        caption=f"Change since {before}, biggest drop first",
    )


def show_health_focus(plan: Plan, *, review: str | None = None, top: int = 5) -> ShownTable:
    """Show what to talk about first: the weakest factors, the widest gaps and the biggest drops."""
    if not plan.review.reviews:
        return _no_review("What to talk about first")
    from ...analyses.health import health_focus

    focus = health_focus(_health(plan, review), top=top)
    focus["focus"] = focus["focus"].str.capitalize()
    return show_table(
        focus,
        columns={
            "focus": "Why it is on the list",
            "factor": "Factor",
            "group": "Group",
            "why": "In short",
        },
        caption="What to talk about first",
        empty="Nothing stands out: no weak factor, no gap between partners and no drop.",
    )


def show_recommendations(plan: Plan) -> ShownTable:
    """Show the changes agreed after the reviews, soonest due first."""
    table = records_table(plan.review.recommendations, Recommendation)
    table = table.sort_values("due", na_position="last", kind="stable")
    return show_table(
        table,
        columns={"text": "Change", "owner": "Who sees it through", "due": "By", "notes": "Why"},
        formats={"due": "date"},
        caption="Recommended changes",
    )


def show_health_chart(plan: Plan, *, review: str | None = None) -> Figure:
    """Draw every factor's score as a bar, coloured and labelled by band."""
    if not plan.review.reviews:
        return _no_review_chart()
    from ...output.charts.health import plot_health

    return plot_health(_health(plan, review))


def show_health_change_chart(plan: Plan, *, review: str | None = None) -> Figure:
    """Draw each group's score in the review before beside its score now."""
    if not plan.review.reviews:
        return _no_review_chart()
    from ...output.charts.health import plot_health_change

    return plot_health_change(_health(plan, review))
