"""Views of step 3, partner analysis: scores and ranks, due diligence, shortlist, sensitivity, feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...analyses.selection import audit_table, score_candidates, selection_sensitivity
from ...analyses.tables import records_table
from ...models import AUDIT_CHECKS, Feedback, Plan
from ...output.charts.selection import plot_candidate_scores
from ..display import ShownTable, show_table
from .common import per_section

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "show_candidate_chart",
    "show_candidate_scores",
    "show_due_diligence",
    "show_feedback",
    "show_shortlist",
    "show_weight_sensitivity",
]

#: How each flag of the due-diligence audit reads.
_FLAG_WORDS = {"red": "red", "amber": "amber", "gap": "checks missing", "clear": "clear"}


@per_section("partners")
def _scored(plan: Plan) -> pd.DataFrame:
    """Score the plan's candidates, naming each need by its title."""
    partners = plan.partners
    return score_candidates(partners.candidates, partners.criteria, partners.scores, needs=partners.needs)


def _need_order(plan: Plan, needs: pd.Series) -> pd.Series:
    """Each row's need as its position among the plan's needs (unknown needs last)."""
    order = {need.id: number for number, need in enumerate(plan.partners.needs)}
    return needs.map(order).fillna(len(order)).astype(int)


def _whole_or_tenths(weights: pd.Series) -> list[str]:
    """Each weight's kind: a whole number (``70``) when it is one to a tenth, else one decimal (``2.5``)."""
    return ["number" if whole else "number1" for whole in weights.round(1) % 1 == 0]


def show_candidate_scores(plan: Plan) -> ShownTable:
    """Show every candidate's weighted score, rank within its need and result in words.

    Needs come in the plan's order, candidates best first; a candidate out at a
    gate, or not scored, comes last in its need with the reason.

    >>> from partnerlib.io.sample import load_sample
    >>> shown = show_candidate_scores(load_sample())
    >>> shown.frame.iloc[0][["Candidate", "Score (1–5)", "Percent", "Rank", "Result"]].tolist()
    ['Riverbend Health Centre', '4.50', '88%', '1', 'winner']
    """
    scored = _scored(plan)
    scored["need_order"] = _need_order(plan, scored["need"])
    scored = scored.sort_values(
        ["need_order", "rank", "weighted_score"], ascending=[True, True, False], na_position="last", kind="stable"
    )
    scored["percent"] = scored["percent"] / 100
    return show_table(
        scored,
        columns={
            "need_title": "Need",
            "name": "Candidate",
            "status": "Status",
            "weighted_score": "Score (1–5)",
            "percent": "Percent",
            "rank": "Rank",
            "result": "Result",
        },
        formats={"weighted_score": "number2", "percent": "percent", "rank": "number"},
        missing={"rank": "—"},
        caption="Candidates by weighted score, per need",
    )


def show_due_diligence(plan: Plan) -> ShownTable:
    """Show the due-diligence checklist for every candidate, with its red flags and concerns.

    A failed check is a red flag, a concern an amber flag; a check not done on
    a shortlisted or selected candidate is listed as missing.

    >>> from partnerlib.io.sample import load_sample
    >>> shown = show_due_diligence(load_sample())
    >>> shown.frame.loc[shown.frame["Candidate"] == "CareWell Private Clinic", ["Flag", "Red flags"]].values.tolist()
    [['red', 'safeguarding']]
    """
    table = audit_table(plan.partners.candidates, plan.partners.audit)
    titles = {need.id: need.title for need in plan.partners.needs}
    table["need_title"] = table["need"].map(titles).fillna("(no need chosen)")
    table["need_order"] = _need_order(plan, table["need"])
    table["flag"] = table["flag"].map(_FLAG_WORDS)
    table = table.sort_values("need_order", kind="stable")
    checks = {check: check.capitalize() for check in AUDIT_CHECKS}
    return show_table(
        table,
        columns={
            "need_title": "Need",
            "name": "Candidate",
            "status": "Status",
            **checks,
            "flag": "Flag",
            "red_flags": "Red flags",
            "concerns": "Concerns",
            "gaps": "Not checked yet",
        },
        status=("flag",),
        caption="Due diligence: the checklist per candidate",
    )


def show_shortlist(plan: Plan, *, top: int = 3) -> ShownTable:
    """Show, per need, the best-scored candidates that pass the gates and have no red flag.

    Args:
        plan: the plan.
        top: how many candidates per need the shortlist holds.

    >>> from partnerlib.io.sample import load_sample
    >>> "CareWell Private Clinic" in show_shortlist(load_sample()).frame["Candidate"].tolist()
    False
    """
    scored = _scored(plan)
    table = audit_table(plan.partners.candidates, plan.partners.audit, scored=scored, top=top)
    table = table.merge(scored[["candidate", "need_title", "weighted_score", "rank"]], on="candidate", how="left")
    table = table[table["shortlist"]].copy()
    table["need_order"] = _need_order(plan, table["need"])
    table = table.sort_values(["need_order", "weighted_score"], ascending=[True, False], kind="stable")
    table["flag"] = table["flag"].map(_FLAG_WORDS)
    return show_table(
        table,
        columns={
            "need_title": "Need",
            "name": "Candidate",
            "status": "Status",
            "weighted_score": "Score (1–5)",
            "flag": "Due diligence",
            "concerns": "Concerns to follow up",
        },
        formats={"weighted_score": "number2"},
        status=("flag",),
        caption=f"Shortlist: the best {top} per need that pass the gates and have no red flag",
    )


def show_weight_sensitivity(plan: Plan) -> ShownTable:
    """Show how far each criterion's weight must move before a need's winner changes.

    Only the moves that change a winner are listed, the smallest move first
    within each need; a criterion missing from the table cannot change the
    winner on its own, however much its weight moves.

    >>> from partnerlib.io.sample import load_sample
    >>> shown = show_weight_sensitivity(load_sample())
    >>> shown.frame.iloc[0][["Criterion", "Weight now", "Weight that changes the winner", "New winner"]].tolist()
    ['Data protection', '5', '70', "St Luke's Mission Hospital"]
    """
    partners = plan.partners
    table = selection_sensitivity(partners.candidates, partners.criteria, partners.scores, needs=partners.needs)
    table = table[table["weight_needed"].notna()].copy()
    table["need_order"] = _need_order(plan, table["need"])
    table["size"] = table["change_percent"].abs()
    table = table.sort_values(["need_order", "size"], kind="stable")
    table["move"] = table["direction"].map({"up": "more weight", "down": "less weight"})
    table["weight_needed"] = table["weight_needed"].round(1)  # to a tenth, as shown: no 70.00000000000004
    table["weight_kind"] = _whole_or_tenths(table["weight"])
    table["needed_kind"] = _whole_or_tenths(table["weight_needed"])
    return show_table(
        table,
        columns={
            "need_title": "Need",
            "criterion_name": "Criterion",
            "move": "Move",
            "weight": "Weight now",
            "weight_needed": "Weight that changes the winner",
            "share": "Share now",
            "share_needed": "Share then",
            "winner": "Winner now",
            "new_winner": "New winner",
        },
        formats={"weight": "weight_kind", "weight_needed": "needed_kind", "share": "percent",
                 "share_needed": "percent"},
        caption="How far a weight must move before the winner changes (the other weights stay as they are)",
        empty="No single weight, moved on its own, would change any winner.",
    )


def show_candidate_chart(plan: Plan) -> Figure:
    """Draw each need's candidates as bars of weighted score, the winner and gate failures marked."""
    return plot_candidate_scores(_scored(plan))


def show_feedback(plan: Plan) -> ShownTable:
    """Show stakeholder feedback on the draft design, oldest first (undated last).

    >>> from partnerlib.io.sample import load_sample
    >>> show_feedback(load_sample()).frame["Tone"].tolist()
    ['supportive', 'supportive', 'concerned', 'neutral']
    """
    frame = records_table(plan.partners.feedback, Feedback)
    frame = frame.sort_values("date", na_position="last", kind="stable")
    return show_table(
        frame,
        columns={"date": "Date", "stakeholder": "Stakeholder", "sentiment": "Tone", "comment": "What they said"},
        formats={"date": "date"},
        caption="Stakeholder feedback on the draft design",
    )
