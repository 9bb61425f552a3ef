"""Step 2 (and partners) — check-ins: when each relationship was last visited and is next due.

Each peer department and each selected partner has a cadence (weekly …
yearly, in days by ``CADENCE_DAYS``). The next check-in is due one cadence
after the last one; a relationship never checked in is due at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..models import CADENCE_DAYS
from .checks import (
    as_day,
    choice_problems,
    raise_problems,
    read_dates,
    require_columns,
    rule_problems,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..models import Plan

__all__ = [
    "CHECKIN_COLUMNS",
    "DUE_SOON_DAYS",
    "checkin_schedule",
    "contact_calendar",
    "overdue",
]

#: Columns a check-in log must have (as from ``records_table(..., CheckIn)``).
CHECKIN_COLUMNS = ("relationship", "date")
#: A check-in due within this many days of ``as_of`` is *due soon*.
DUE_SOON_DAYS = 14


def _tables(plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return a plan's peers, candidates and check-ins as tables."""
    from ..models import Candidate, CheckIn, Peer
    from .tables import records_table

    return (
        records_table(plan.alignment.peers, Peer),
        records_table(plan.partners.candidates, Candidate),
        records_table(plan.alignment.checkins, CheckIn),
    )


def checkin_schedule(
    plan_or_peers: Plan | pd.DataFrame,
    candidates: pd.DataFrame | None = None,
    checkins: pd.DataFrame | None = None,
    *,
    as_of: dt.date,
    soon: int = DUE_SOON_DAYS,
) -> pd.DataFrame:
    """List every relationship with its last check-in, the next one due and its status.

    Relationships are the peer departments and the *selected* partners. The
    next check-in is due ``CADENCE_DAYS[cadence]`` days after the last one held
    on or before ``as_of`` (later log entries are ignored); never checked in
    means due on ``as_of``. Status: *overdue* when the due day has passed,
    *due soon* when it falls within ``soon`` days, else *on schedule*.

    >>> import datetime as dt, pandas as pd
    >>> peers = pd.DataFrame({"id": ["m"], "name": ["Membership"], "cadence": ["monthly"]})
    >>> partners = pd.DataFrame({"id": ["c"], "name": ["Clinic"], "cadence": ["weekly"],
    ...     "status": ["selected"]})
    >>> log = pd.DataFrame({"relationship": ["m"], "date": [dt.date(2026, 1, 1)]})
    >>> checkin_schedule(peers, partners, log, as_of=dt.date(2026, 2, 10))[
    ...     ["name", "next_due", "days_overdue", "status"]].to_dict("records")
    [{'name': 'Membership', 'next_due': datetime.date(2026, 1, 31), 'days_overdue': 10, 'status': 'overdue'},
     {'name': 'Clinic', 'next_due': datetime.date(2026, 2, 10), 'days_overdue': 0, 'status': 'due soon'}]

    Args:
        plan_or_peers: a whole :class:`~partnerlib.models.Plan`, or the peers
            table (``id``, ``name``, ``cadence``; ``contact`` is shown if there).
        candidates: the candidates table (``id``, ``name``, ``cadence``,
            ``status``), when the first argument is the peers table.
        checkins: the check-in log (``relationship``, ``date``), likewise.
        as_of: the day the schedule is read on.
        soon: how many days ahead counts as due soon.

    Returns:
        One row per relationship, soonest due first (then by name): ``relationship`` (id),
        ``name``, ``kind`` (peer department or partner), ``contact``,
        ``cadence``, ``every_days``, ``last_checkin``, ``next_due``,
        ``days_overdue`` (0 unless overdue), ``days_until`` (negative when
        overdue), ``status``, ``note``.
    """
    import numpy as np
    import pandas as pd

    day = as_day(as_of)
    if isinstance(plan_or_peers, pd.DataFrame):
        peers = plan_or_peers
        if candidates is None or checkins is None:
            raise TypeError("give the candidates and check-ins tables with the peers table")
    else:
        peers, candidates, checkins = _tables(plan_or_peers)
    require_columns(peers, ("id", "name", "cadence"), "peers")
    require_columns(candidates, ("id", "name", "cadence", "status"), "candidates")
    require_columns(checkins, CHECKIN_COLUMNS, "check-ins")
    problems = choice_problems(peers, "peers", "cadence", CADENCE_DAYS)
    chosen = candidates["status"].eq("selected")
    problems += rule_problems(  # only selected partners need a cadence; rows counted in the whole table
        candidates,
        "candidates",
        "cadence",
        chosen & ~candidates["cadence"].isin(tuple(CADENCE_DAYS)),
        "choice",
        choices=tuple(CADENCE_DAYS),
    )
    held, found = read_dates(checkins, "check-ins", "date", required=True)
    raise_problems(problems + found)
    selected = candidates[chosen]

    used = ("id", "name", "cadence", "contact")  # only these go on: a candidate has many more columns
    relationships = pd.concat(
        [
            peers[[c for c in used if c in peers]].assign(kind="peer department"),
            selected[[c for c in used if c in selected]].assign(kind="partner"),
        ],
        ignore_index=True,
    )
    if "contact" not in relationships:
        relationships["contact"] = ""
    log = pd.DataFrame(
        {"relationship": checkins["relationship"].astype(str).to_numpy(), "date": held.to_numpy()}
    )
    last = log[log["date"] <= day].groupby("relationship")["date"].max()
    every = relationships["cadence"].map(CADENCE_DAYS).astype(int)
    last_checkin = pd.Series(
        last.reindex(relationships["id"].astype(str)).to_numpy(dtype="datetime64[s]")
    )
    next_due = (last_checkin + pd.to_timedelta(every, unit="D")).fillna(day)
    days_until = (next_due - day).dt.days.astype(int)
    status = np.select([days_until < 0, days_until <= soon], ["overdue", "due soon"], "on schedule")
    schedule = pd.DataFrame(
        {
            "relationship": relationships["id"],
            "name": relationships["name"],
            "kind": relationships["kind"],
            "contact": relationships["contact"].fillna(""),
            "cadence": relationships["cadence"],
            "every_days": every,
            "last_checkin": last_checkin.dt.date,
            "next_due": next_due.dt.date,
            "days_overdue": np.maximum(-days_until, 0),
            "days_until": days_until,
            "status": status,
            "note": np.where(last_checkin.isna(), "never checked in", ""),
        }
    )
    order = np.lexsort((schedule["name"].astype(str).to_numpy(), schedule["days_until"].to_numpy()))
    return schedule.iloc[order].reset_index(drop=True)


def overdue(schedule: pd.DataFrame) -> pd.DataFrame:
    """Keep the overdue relationships of a schedule, the longest overdue first.

    Args:
        schedule: the result of :func:`checkin_schedule`.

    Returns:
        The overdue rows, with the schedule's columns.
    """
    require_columns(schedule, ("status", "days_overdue"), "schedule")
    late = schedule[schedule["status"].eq("overdue")]
    return late.sort_values("days_overdue", ascending=False, kind="stable").reset_index(drop=True)


def contact_calendar(schedule: pd.DataFrame, *, as_of: dt.date, months: int = 6) -> pd.DataFrame:
    """List the coming check-in dates of every relationship over the next months.

    The first date is the next one due, or ``as_of`` for an overdue
    relationship (catch up now); after it, one every ``every_days`` until
    ``months`` months after ``as_of``.

    >>> import datetime as dt, pandas as pd
    >>> schedule = pd.DataFrame({"relationship": ["m"], "name": ["Membership"],
    ...     "kind": ["peer department"], "cadence": ["monthly"], "every_days": [30],
    ...     "next_due": [dt.date(2026, 2, 15)]})
    >>> contact_calendar(schedule, as_of=dt.date(2026, 2, 1), months=2)["date"].tolist()
    [datetime.date(2026, 2, 15), datetime.date(2026, 3, 17)]

    Args:
        schedule: the result of :func:`checkin_schedule`.
        as_of: the day the calendar starts.
        months: how many months ahead to list.

    Returns:
        One row per coming check-in, by date: ``date``, ``relationship``,
        ``name``, ``kind``, ``cadence``.
    """
    import numpy as np
    import pandas as pd

    day = as_day(as_of)
    if not (isinstance(months, int) and months >= 1):
        raise ValueError(f"'months' must be a whole number of at least 1 (got {months!r})")
    require_columns(
        schedule, ("relationship", "name", "kind", "cadence", "every_days", "next_due"), "schedule"
    )
    end = day + pd.DateOffset(months=months)
    next_due, problems = read_dates(schedule, "schedule", "next_due", required=True)
    raise_problems(problems)
    first = next_due.clip(lower=day)
    every = schedule["every_days"].to_numpy(dtype="int64")
    span = (end - first).dt.days.to_numpy()
    count = np.where(span >= 0, span // every + 1, 0)
    rows = np.repeat(np.arange(len(schedule)), count)
    step = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    dates = first.to_numpy()[rows] + (step * every[rows]).astype("timedelta64[D]")
    calendar = pd.DataFrame(
        {
            "date": pd.Series(dates, dtype="datetime64[s]").dt.date,
            "relationship": schedule["relationship"].to_numpy()[rows],
            "name": schedule["name"].to_numpy()[rows],
            "kind": schedule["kind"].to_numpy()[rows],
            "cadence": schedule["cadence"].to_numpy()[rows],
        }
    )
    order = np.lexsort((calendar["name"].astype(str).to_numpy(), dates))
    return calendar.iloc[order].reset_index(drop=True)
