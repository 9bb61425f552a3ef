"""Step 9 — the communication plan: the calendar read on a date, its gaps and the channel mix.

Audiences come from the communication lines (who talks to whom) and from the
calendar; an audience with nothing planned in a quarter is a gap. Cancelled
calendar items count for nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..models.communication import AUDIENCE_KINDS, CHANNELS
from .checks import as_day

if TYPE_CHECKING:
    import pandas as pd

    from ..models import Communication

__all__ = [
    "CalendarGaps",
    "calendar_gaps",
    "channel_mix",
    "communication_calendar",
]

#: One marker shape per channel, so the chart reads without colour.


def _calendar(communication: Communication) -> pd.DataFrame:
    """Return the calendar items as a table with datetime dates."""
    import pandas as pd

    from ..models import Item
    from .tables import records_table

    items = records_table(communication.calendar, Item)
    return items.assign(date=pd.to_datetime(items["date"]).astype("datetime64[s]"))


def communication_calendar(communication: Communication, *, as_of: dt.date) -> pd.DataFrame:
    """List the calendar's items by date, audience and channel, each marked past or upcoming.

    An item dated before ``as_of``, or already done, is past; one on or after it
    and not done yet is upcoming; cancelled items stay listed with the timing
    *cancelled*.

    >>> import datetime as dt
    >>> from partnerlib.models import Communication, Item
    >>> plan = Communication(calendar=[
    ...     Item(date=dt.date(2026, 5, 1), title="Newsletter", audience="Donors"),
    ...     Item(date=dt.date(2026, 1, 9), title="Thank-you call", audience="Clinic")])
    >>> communication_calendar(plan, as_of=dt.date(2026, 3, 1))[["title", "timing"]].to_dict("records")
    [{'title': 'Thank-you call', 'timing': 'past'}, {'title': 'Newsletter', 'timing': 'upcoming'}]

    Args:
        communication: the plan's step-9 section.
        as_of: the day the calendar is read on.

    Returns:
        One row per item: ``date``, ``title``, ``channel``, ``audience``,
        ``audience_kind``, ``owner``, ``status``, ``timing``.
    """
    import numpy as np

    day = as_day(as_of)
    items = _calendar(communication).sort_values(["date", "audience", "channel"], kind="stable")
    items["timing"] = np.select(
        [items["status"].eq("cancelled"), (items["date"] < day) | items["status"].eq("done")],
        ["cancelled", "past"],
        "upcoming",
    )
    items["date"] = items["date"].dt.date
    return items.reset_index(drop=True)


@dataclass(frozen=True)
class CalendarGaps:
    """Which audience has something planned in which quarter.

    Attributes:
        table: one row per audience (``audience``, ``audience_kind``), then one
            column per quarter (``2026 Q1`` …) counting the items planned.
        gaps: each audience and quarter with nothing planned, in words.
    """

    table: pd.DataFrame
    gaps: tuple[str, ...]


def calendar_gaps(communication: Communication, *, start: dt.date, quarters: int = 4) -> CalendarGaps:
    """Find the audiences with nothing planned in a quarter.

    Quarters are calendar quarters, from the one holding ``start``. Audiences
    are those of the communication lines and of the calendar, lines first, in
    the order listed.

    >>> import datetime as dt
    >>> from partnerlib.models import Communication, Item, Line
    >>> plan = Communication(lines=[Line(audience="Donors", audience_kind="donor")],
    ...     calendar=[Item(date=dt.date(2026, 2, 1), title="Report", audience="Donors")])
    >>> calendar_gaps(plan, start=dt.date(2026, 1, 1), quarters=2).gaps
    ('Donors: nothing planned in 2026 Q2.',)

    Args:
        communication: the plan's step-9 section.
        start: a day in the first quarter to look at.
        quarters: how many quarters to look at.

    Returns:
        A :class:`CalendarGaps`.
    """
    import pandas as pd

    from ..models import Line
    from .tables import records_table

    day = as_day(start)
    if not (isinstance(quarters, int) and quarters >= 1):
        raise ValueError(f"'quarters' must be a whole number of at least 1 (got {quarters!r})")
    items = _calendar(communication)
    items = items[items["status"].ne("cancelled")]
    lines = records_table(communication.lines, Line)
    audiences = pd.concat([lines[["audience", "audience_kind"]], items[["audience", "audience_kind"]]])
    audiences = audiences.drop_duplicates("audience").reset_index(drop=True)
    periods = pd.period_range(day.to_period("Q"), periods=quarters, freq="Q")
    labels = [f"{p.year} Q{p.quarter}" for p in periods]
    quarter = items["date"].dt.to_period("Q")
    counted = pd.crosstab(items["audience"], quarter).reindex(
        index=audiences["audience"], columns=periods, fill_value=0
    )
    table = audiences.copy()
    table[labels] = counted.to_numpy(dtype=int)
    empty = counted.to_numpy() == 0
    rows, columns = empty.nonzero()
    gaps = tuple(
        f"{audience}: nothing planned in {labels[c]}."
        for audience, c in zip(audiences["audience"].to_numpy()[rows], columns, strict=True)
    )
    return CalendarGaps(table=table, gaps=gaps)


def channel_mix(
    communication: Communication, *, of: Literal["calendar", "lines"] = "calendar"
) -> pd.DataFrame:
    """Count the calendar's items (or the communication lines) by channel and kind of audience.

    Every channel and every kind of audience is listed, also those never used;
    cancelled calendar items are left out.

    >>> import datetime as dt
    >>> from partnerlib.models import Communication, Item
    >>> plan = Communication(calendar=[Item(date=dt.date(2026, 2, 1), channel="video",
    ...     audience_kind="donor")])
    >>> mix = channel_mix(plan).set_index("channel")
    >>> int(mix.loc["video", "donor"]), int(mix.loc["video", "total"])
    (1, 1)

    Args:
        communication: the plan's step-9 section.
        of: ``"calendar"`` to count dated items, ``"lines"`` to count who-talks-to-whom lines.

    Returns:
        One row per channel: ``channel``, one column per kind of audience, ``total``.
    """
    import pandas as pd

    from ..models import Line
    from .tables import records_table

    if of == "calendar":
        rows = _calendar(communication)
        rows = rows[rows["status"].ne("cancelled")]
    elif of == "lines":
        rows = records_table(communication.lines, Line)
    else:
        raise ValueError(f"'of' must be 'calendar' or 'lines' (got {of!r})")
    mix = pd.crosstab(rows["channel"], rows["audience_kind"]).reindex(
        index=list(CHANNELS), columns=list(AUDIENCE_KINDS), fill_value=0
    )
    mix["total"] = mix.sum(axis=1)
    mix.columns.name = None
    return mix.rename_axis("channel").reset_index()
