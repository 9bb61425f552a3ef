"""Views of step 7, community engagement: the stakeholder map, salience, the calendar, survey answers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...analyses.tables import records_table
from ...models import (
    Answer,
    Engagement,
    Plan,
    Question,
    Stakeholder,
)
from ..display import ShownTable, show_table
from .common import per_section

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "SALIENCE_WORDS",
    "show_engagement_by_stakeholder",
    "show_engagement_calendar",
    "show_participation",
    "show_quadrant_engagement",
    "show_salience",
    "show_stakeholder_map",
    "show_stakeholder_map_chart",
    "show_survey_chart",
    "show_survey_summary",
]

#: What each salience class means for the partnership, most pressing first.
SALIENCE_WORDS: dict[str, str] = {
    "definitive": "Power, a legitimate claim and urgency: their needs come first.",
    "dominant": "Power and a legitimate claim: keep them on board and well informed.",
    "dangerous": "Power and urgency without a recognised claim: listen early, before they act alone.",
    "dependent": "A legitimate, urgent claim but little power: others must speak up for them.",
    "dormant": "Power alone: little contact now, but watch for change.",
    "discretionary": "A legitimate claim only: involve them out of goodwill.",
    "demanding": "Urgency only: hear them out; they press but hold little sway.",
    "non-stakeholder": "None of the three attributes: no action needed now.",
}


@per_section("community")
def _mapped(plan: Plan) -> pd.DataFrame:
    """The stakeholders placed on the grid, in quadrant order, strongest power and interest first."""
    from ...analyses.stakeholders import QUADRANTS, stakeholder_map

    mapped = stakeholder_map(records_table(plan.community.stakeholders, Stakeholder))
    mapped["quadrant_order"] = mapped["quadrant"].map({q: n for n, q in enumerate(QUADRANTS)})
    mapped["weight"] = mapped["power"] + mapped["interest"]
    return mapped.sort_values(
        ["quadrant_order", "weight", "name"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)


def show_stakeholder_map(plan: Plan) -> ShownTable:
    """Show each stakeholder's place on the power/interest grid and the engagement it needs.

    >>> from partnerlib import load_sample
    >>> show_stakeholder_map(load_sample()).frame.iloc[0][["Stakeholder", "Where on the map"]].tolist()
    ['District Health Office', 'Manage closely']
    """
    mapped = _mapped(plan)
    mapped["quadrant"] = mapped["quadrant"].str.capitalize()
    return show_table(
        mapped,
        columns={
            "name": "Stakeholder",
            "group": "Group",
            "power": "Power (1–5)",
            "interest": "Interest (1–5)",
            "quadrant": "Where on the map",
            "engagement": "Engagement it needs",
            "target_audience": "Target audience",
        },
        formats={"power": "number", "interest": "number"},
        caption="Stakeholder map: power and interest",
    )


def show_quadrant_engagement(plan: Plan) -> ShownTable:
    """Show, for each quadrant of the map, the engagement it needs and who is in it."""
    import pandas as pd

    from ...analyses.stakeholders import QUADRANTS

    mapped = _mapped(plan)
    names = mapped.groupby("quadrant")["name"].agg(", ".join)
    table = pd.DataFrame(
        {"quadrant": [q.capitalize() for q in QUADRANTS], "engagement": list(QUADRANTS.values())}
    )
    table["count"] = [int((mapped["quadrant"] == q).sum()) for q in QUADRANTS]
    table["names"] = [names.get(q, "") for q in QUADRANTS]
    return show_table(
        table,
        columns={
            "quadrant": "Quadrant",
            "engagement": "Engagement it needs",
            "count": "How many",
            "names": "Who",
        },
        caption="What each quadrant of the map needs",
    )


def show_salience(plan: Plan) -> ShownTable:
    """Show the salience classes (whose claims press hardest), most pressing first, with who is in each."""
    import pandas as pd

    mapped = _mapped(plan)
    classes = [c for c in SALIENCE_WORDS if (mapped["salience"] == c).any()]
    names = mapped.groupby("salience")["name"].agg(", ".join)
    table = pd.DataFrame(
        {
            "salience": [c.capitalize() for c in classes],
            "meaning": [SALIENCE_WORDS[c] for c in classes],
            "count": [int((mapped["salience"] == c).sum()) for c in classes],
            "names": [names[c] for c in classes],
        }
    )
    return show_table(
        table,
        columns={
            "salience": "Class",
            "meaning": "What it means",
            "count": "How many",
            "names": "Who",
        },
        caption="Salience: power, legitimacy and urgency (3 or more out of 5 counts as present)",
    )


def show_stakeholder_map_chart(plan: Plan) -> Figure:
    """Draw the power/interest grid with every stakeholder placed and named."""
    from ...output.charts.stakeholders import plot_stakeholder_map

    return plot_stakeholder_map(_mapped(plan))


@per_section("community")
def _calendar(plan: Plan, as_of: dt.date):  # noqa: ANN202 - an EngagementCalendar
    from ...analyses.stakeholders import engagement_calendar

    return engagement_calendar(
        records_table(plan.community.engagements, Engagement),
        records_table(plan.community.stakeholders, Stakeholder),
        as_of=as_of,
    )


def show_engagement_calendar(plan: Plan, *, as_of: dt.date) -> ShownTable:
    """Show the engagement activities by date, each marked past, upcoming or cancelled on ``as_of``."""
    calendar = _calendar(plan, as_of)
    return show_table(
        calendar.activities,
        columns={
            "date": "Date",
            "title": "Activity",
            "kind": "Kind",
            "stakeholders": "Whom it reaches",
            "status": "Status",
            "timing": "On " + f"{as_of.day} {as_of:%b %Y}",
        },
        caption="Engagement calendar",
    )


def show_engagement_by_stakeholder(plan: Plan, *, as_of: dt.date) -> ShownTable:
    """Show for each stakeholder the activities held and planned, those with nothing planned first."""
    calendar = _calendar(plan, as_of)
    table = calendar.stakeholders.copy()
    table["planned"] = table["upcoming"].eq(0).map({True: "nothing planned", False: ""})
    table["has_plans"] = table["upcoming"] > 0
    table = table.sort_values(
        ["has_plans", "next_date", "name"], kind="stable", na_position="first"
    )
    return show_table(
        table,
        columns={
            "name": "Stakeholder",
            "past": "Activities held",
            "upcoming": "Activities planned",
            "next_date": "Next",
            "planned": "Note",
        },
        caption=f"Who we meet next ({len(calendar.nothing_planned)} with nothing planned)",
    )


def show_participation(plan: Plan) -> ShownTable:
    """Show how far the community takes part in decisions: stakeholders at each level, least say first."""
    from ...analyses.stakeholders import participation_table

    table = participation_table(records_table(plan.community.stakeholders, Stakeholder))
    table["percent"] = table["percent"] / 100
    table["participation"] = table["participation"].str.capitalize()
    return show_table(
        table,
        columns={
            "participation": "Level",
            "stakeholders": "Stakeholders",
            "percent": "Share",
            "names": "Who",
        },
        formats={"percent": "percent"},
        caption="Participation in decisions, from being informed to deciding",
    )


@per_section("community")
def _survey(plan: Plan, by: str | None) -> pd.DataFrame:
    from ...analyses.survey import summarise_likert

    return summarise_likert(
        records_table(plan.community.answers, Answer),
        records_table(plan.community.questions, Question),
        by=by,
    )


def show_survey_summary(plan: Plan, *, by: str | None = None) -> ShownTable:
    """Show each survey statement's answers: count, mean (1–5), share agreeing and disagreeing.

    With ``by="group"`` each statement is summarised per respondent group.
    """
    summary = _survey(plan, by)
    for column in ("agree_percent", "disagree_percent"):
        summary[column] = summary[column] / 100
    columns = {"text": "Statement"}
    if by:
        columns[by] = by.replace("_", " ").capitalize()
    columns |= {
        "n": "Answers",
        "mean": "Mean (1–5)",
        "agree_percent": "Agree",
        "disagree_percent": "Disagree",
    }
    return show_table(
        summary,
        columns=columns,
        formats={
            "n": "number",
            "mean": "number1",
            "agree_percent": "percent",
            "disagree_percent": "percent",
        },
        caption="Survey answers (1 strongly disagree … 5 strongly agree)",
    )


def show_survey_chart(plan: Plan, *, by: str | None = None) -> Figure:
    """Draw each survey statement's answers as a bar running from disagree to agree."""
    from ...output.charts.survey import plot_likert

    title = "Survey answers" + (f" by {by.replace('_', ' ')}" if by else "")
    return plot_likert(_survey(plan, by), title=title)
