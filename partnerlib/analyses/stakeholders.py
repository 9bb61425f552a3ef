"""Step 7 — stakeholders: the power/interest map, salience, engagement calendar, participation.

Stakeholders are rated 1–5 (Very low … Very high) on power, interest,
legitimacy and urgency. The power/interest grid says how closely to engage
each one; the salience classes (after Mitchell, Agle and Wood, 1997) say whose
claims press hardest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models.community import PARTICIPATION
from .checks import (
    as_day,
    choice_problems,
    raise_problems,
    read_dates,
    require_columns,
    rule_problems,
    whole_number_problems,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ENGAGEMENT_COLUMNS",
    "EngagementCalendar",
    "QUADRANTS",
    "SALIENCE",
    "STAKEHOLDER_COLUMNS",
    "engagement_calendar",
    "participation_table",
    "stakeholder_map",
]

#: Columns a stakeholder table must have (as from ``records_table(..., Stakeholder)``).
STAKEHOLDER_COLUMNS = ("id", "name", "power", "interest", "legitimacy", "urgency")
#: Columns an engagement table must have (as from ``records_table(..., Engagement)``).
ENGAGEMENT_COLUMNS = ("title", "kind", "date", "stakeholders", "status")

#: The four quadrants of the power/interest grid and the engagement each needs.
QUADRANTS: dict[str, str] = {
    "manage closely": "Engage fully: involve them in decisions and meet them regularly.",
    "keep satisfied": "Consult them on what touches their interests; keep updates short.",
    "keep informed": "Share progress regularly and give them ways to raise concerns.",
    "monitor": "Watch for changes in their position; general updates are enough.",
}

#: Salience classes by which of power, legitimacy and urgency are present
#: (Mitchell, Agle and Wood, 1997), indexed by power + 2 × legitimacy + 4 × urgency.
SALIENCE = (
    "non-stakeholder",
    "dormant",  # power only
    "discretionary",  # legitimacy only
    "dominant",  # power and legitimacy
    "demanding",  # urgency only
    "dangerous",  # power and urgency
    "dependent",  # legitimacy and urgency
    "definitive",  # all three
)


# ---- the stakeholder map -----------------------------------------------------


def stakeholder_map(stakeholders: pd.DataFrame, *, high: int = 3, present: int = 3) -> pd.DataFrame:
    """Place each stakeholder on the power/interest grid and name its salience class.

    Power or interest of ``high`` or more counts as high: high power and high
    interest → *manage closely*; high power only → *keep satisfied*; high
    interest only → *keep informed*; neither → *monitor*. Salience counts power,
    legitimacy and urgency as present at ``present`` or more and names the class:
    dormant, discretionary, demanding (one attribute), dominant, dangerous,
    dependent (two), definitive (three) or non-stakeholder (none).

    >>> import pandas as pd
    >>> table = pd.DataFrame({"id": ["a"], "name": ["Elders"], "power": [4],
    ...     "interest": [2], "legitimacy": [5], "urgency": [1]})
    >>> stakeholder_map(table)[["name", "quadrant", "salience"]].to_dict("records")
    [{'name': 'Elders', 'quadrant': 'keep satisfied', 'salience': 'dominant'}]

    Args:
        stakeholders: one row per stakeholder with the columns of ``STAKEHOLDER_COLUMNS``
            (1–5 scores); other columns are kept.
        high: the score from which power or interest counts as high (1–5).
        present: the score from which a salience attribute counts as present (1–5).

    Returns:
        The table with ``quadrant``, ``engagement`` (what the quadrant needs, in
        words) and ``salience`` added, rows in their given order.
    """
    import numpy as np

    for option, value in (("high", high), ("present", present)):
        if not (isinstance(value, int) and 1 <= value <= 5):
            raise ValueError(f"'{option}' must be a whole number from 1 to 5 (got {value!r})")
    require_columns(stakeholders, STAKEHOLDER_COLUMNS, "stakeholders")
    raise_problems(
        [
            problem
            for column in STAKEHOLDER_COLUMNS[2:]
            for problem in whole_number_problems(stakeholders, "stakeholders", column, 1, 5)
        ]
    )
    power = stakeholders["power"].to_numpy(dtype=float) >= high
    interest = stakeholders["interest"].to_numpy(dtype=float) >= high
    names = np.array(list(QUADRANTS))
    quadrant = names[np.where(power, np.where(interest, 0, 1), np.where(interest, 2, 3))]
    code = sum(
        (stakeholders[column].to_numpy(dtype=float) >= present).astype(int) * weight
        for column, weight in (("power", 1), ("legitimacy", 2), ("urgency", 4))
    )
    mapped = stakeholders.copy()
    mapped["quadrant"] = quadrant
    mapped["engagement"] = mapped["quadrant"].map(QUADRANTS)
    mapped["salience"] = np.array(SALIENCE)[code]
    return mapped


def participation_table(stakeholders: pd.DataFrame) -> pd.DataFrame:
    """Count where the community takes part in decisions, level by level.

    The levels run from least to most say: informed, consulted, involved,
    collaborating, empowered. Every level is listed, also those nobody is at.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"name": ["A", "B", "C"],
    ...     "participation": ["consulted", "informed", "consulted"]})
    >>> participation_table(table)[["participation", "stakeholders"]].head(2).to_dict("records")
    [{'participation': 'informed', 'stakeholders': 1}, {'participation': 'consulted', 'stakeholders': 2}]

    Args:
        stakeholders: one row per stakeholder with ``name`` and ``participation``.

    Returns:
        One row per level: ``participation``, ``stakeholders`` (count), ``percent``
        of all stakeholders (NaN when there are none) and ``names`` (comma-separated).
    """
    import pandas as pd

    require_columns(stakeholders, ("name", "participation"), "stakeholders")
    raise_problems(choice_problems(stakeholders, "stakeholders", "participation", PARTICIPATION))
    levels = pd.CategoricalIndex(PARTICIPATION, categories=PARTICIPATION, ordered=True)
    grouped = stakeholders.groupby(
        pd.Categorical(stakeholders["participation"], categories=PARTICIPATION), observed=False
    )["name"]
    counts = grouped.size().reindex(levels, fill_value=0)
    names = grouped.agg(lambda s: ", ".join(s.astype(str))).reindex(levels, fill_value="")
    total = len(stakeholders)
    return pd.DataFrame(
        {
            "participation": list(PARTICIPATION),
            "stakeholders": counts.to_numpy(dtype=int),
            "percent": counts.to_numpy(dtype=float) * 100 / total if total else float("nan"),
            "names": names.to_numpy(dtype=object),
        }
    )


# ---- the engagement calendar -----------------------------------------------


@dataclass(frozen=True)
class EngagementCalendar:
    """Engagement activities on a date, and who each stakeholder will meet next.

    Attributes:
        as_of: the day the calendar is read on.
        activities: one row per activity, by date (undated last): ``date``,
            ``title``, ``kind``, ``status``, ``stakeholders`` (names),
            ``timing`` (past, upcoming, no date or cancelled).
        stakeholders: one row per stakeholder: ``id``, ``name``, ``past`` and
            ``upcoming`` (activity counts), ``next_date``.
        nothing_planned: names of the stakeholders with no upcoming activity.
    """

    as_of: dt.date
    activities: pd.DataFrame
    stakeholders: pd.DataFrame
    nothing_planned: tuple[str, ...]


def engagement_calendar(
    engagements: pd.DataFrame, stakeholders: pd.DataFrame, *, as_of: dt.date
) -> EngagementCalendar:
    """List engagement activities by date and find stakeholders with nothing planned.

    An activity dated before ``as_of``, or already held, is past; one on or
    after it and not held yet is upcoming; cancelled activities stay listed
    (timing *cancelled*) but reach nobody. A
    stakeholder has nothing planned when no upcoming, non-cancelled activity
    reaches it.

    >>> import datetime as dt, pandas as pd
    >>> people = pd.DataFrame({"id": ["s1", "s2"], "name": ["Elders", "Youth"]})
    >>> acts = pd.DataFrame({"title": ["Town hall"], "kind": ["town hall"],
    ...     "date": [dt.date(2026, 5, 1)], "stakeholders": [["s1"]], "status": ["planned"]})
    >>> engagement_calendar(acts, people, as_of=dt.date(2026, 4, 1)).nothing_planned
    ('Youth',)

    Args:
        engagements: one row per activity (columns of ``ENGAGEMENT_COLUMNS``;
            ``stakeholders`` holds a list of stakeholder ids).
        stakeholders: one row per stakeholder with ``id`` and ``name``.
        as_of: the day the calendar is read on.

    Returns:
        An :class:`EngagementCalendar`.
    """
    import numpy as np
    import pandas as pd

    day = as_day(as_of)
    require_columns(engagements, ENGAGEMENT_COLUMNS, "engagements")
    require_columns(stakeholders, ("id", "name"), "stakeholders")
    problems = choice_problems(engagements, "engagements", "status", ("planned", "held", "cancelled"))
    dates, found = read_dates(engagements, "engagements", "date", required=False)
    names = pd.Series(stakeholders["name"].to_numpy(), index=stakeholders["id"].to_numpy())

    table = engagements.reset_index(drop=True).assign(date=dates.to_numpy())
    reached = table["stakeholders"].map(lambda v: list(v) if isinstance(v, list | tuple) else [])
    pairs = pd.DataFrame({"row": reached.index, "id": reached}).explode("id").dropna(subset=["id"])
    unknown = pairs[~pairs["id"].isin(names.index)].groupby("row")["id"].first().reindex(table.index)
    problems += found + rule_problems(unknown.to_frame("stakeholders"), "engagements", "stakeholders",
                                      unknown.notna(), "id", what="a stakeholder")
    raise_problems(problems)
    pairs["name"] = pairs["id"].map(names)
    joined = pairs.groupby("row")["name"].agg("; ".join).reindex(table.index, fill_value="")

    cancelled = table["status"].eq("cancelled").to_numpy()
    timing = np.select(
        [cancelled, table["date"].isna().to_numpy(), ((table["date"] < day) | table["status"].eq("held")).to_numpy()],
        ["cancelled", "no date", "past"],
        "upcoming",
    )
    activities = pd.DataFrame(
        {
            "date": table["date"].dt.date,
            "title": table["title"],
            "kind": table["kind"],
            "status": table["status"],
            "stakeholders": joined,
            "timing": timing,
        }
    )
    activities = activities.iloc[np.argsort(table["date"].to_numpy(), kind="stable")]

    pairs["timing"] = timing[pairs["row"].to_numpy(dtype=int)]
    pairs["date"] = table["date"].to_numpy()[pairs["row"].to_numpy(dtype=int)]
    counts = pd.crosstab(pairs["id"], pairs["timing"]).reindex(
        index=stakeholders["id"], columns=["past", "upcoming"], fill_value=0
    )
    upcoming = pairs[pairs["timing"].eq("upcoming")]
    next_date = upcoming.groupby("id")["date"].min().reindex(stakeholders["id"])
    per_stakeholder = pd.DataFrame(
        {
            "id": stakeholders["id"].to_numpy(),
            "name": stakeholders["name"].to_numpy(),
            "past": counts["past"].to_numpy(dtype=int),
            "upcoming": counts["upcoming"].to_numpy(dtype=int),
            "next_date": next_date.dt.date.to_numpy(),
        }
    )
    nothing = tuple(per_stakeholder.loc[per_stakeholder["upcoming"].eq(0), "name"].astype(str))
    return EngagementCalendar(
        as_of=day.date(),
        activities=activities.reset_index(drop=True),
        stakeholders=per_stakeholder,
        nothing_planned=nothing,
    )
