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


#: One relationship: its id, name, kind ("peer department" or "partner"), contact and cadence.
_Relationship = tuple[object, object, str, object, str]


def _plan_relationships(plan: Plan) -> tuple[list[_Relationship], list[tuple[str, dt.date]]]:
    """Return a plan's relationships (its peers, then its selected partners) and its check-in log.

    The models have checked every cadence and date already, so nothing is checked again.
    """
    relationships: list[_Relationship] = [
        (peer.id, peer.name, "peer department", peer.contact, peer.cadence) for peer in plan.alignment.peers
    ]
    relationships += [(candidate.id, candidate.name, "partner", candidate.contact, candidate.cadence)
                      for candidate in plan.partners.candidates if candidate.status == "selected"]
    return relationships, [(checkin.relationship, checkin.date) for checkin in plan.alignment.checkins]


def _table_relationships(
    peers: pd.DataFrame, candidates: pd.DataFrame, checkins: pd.DataFrame
) -> tuple[list[_Relationship], list[tuple[str, dt.date]]]:
    """Check the peers, candidates and check-in tables, and return the relationships and the log they hold.

    Raises:
        InvalidInput: a column is missing, a cadence is not one of ``CADENCE_DAYS``
            (for a candidate, only a selected one needs one), or a date cannot be read;
            every problem is named with its table and row.
    """
    import pandas as pd

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

    def rows(table: pd.DataFrame, kind: str) -> list[_Relationship]:
        contacts = table["contact"] if "contact" in table else pd.Series("", index=table.index)
        return [(id_, name, kind, "" if pd.isna(contact) else contact, cadence) for id_, name, contact, cadence
                in zip(table["id"], table["name"], contacts, table["cadence"], strict=True)]

    log = list(zip(checkins["relationship"].astype(str), held.dt.date, strict=True))
    return rows(peers, "peer department") + rows(candidates[chosen], "partner"), log


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
    import pandas as pd

    day = as_day(as_of).date()
    if isinstance(plan_or_peers, pd.DataFrame):
        if candidates is None or checkins is None:
            raise TypeError("give the candidates and check-ins tables with the peers table")
        relationships, log = _table_relationships(plan_or_peers, candidates, checkins)
    else:
        relationships, log = _plan_relationships(plan_or_peers)

    # A few dozen relationships and check-ins: plain Python, many times quicker than table operations.
    last: dict[str, dt.date] = {}
    for relationship, held in log:
        if held <= day and held > last.get(relationship, dt.date.min):
            last[relationship] = held
    rows = []
    for id_, name, kind, contact, cadence in relationships:
        every = CADENCE_DAYS[cadence]
        last_checkin = last.get(str(id_))
        next_due = day if last_checkin is None else last_checkin + dt.timedelta(days=every)
        days_until = (next_due - day).days
        status = "overdue" if days_until < 0 else "due soon" if days_until <= soon else "on schedule"
        rows.append((id_, name, kind, contact, cadence, every, pd.NaT if last_checkin is None else last_checkin,
                     next_due, max(-days_until, 0), days_until, status,
                     "never checked in" if last_checkin is None else ""))
    rows.sort(key=lambda row: (row[9], str(row[1])))  # soonest due first, then by name
    return pd.DataFrame(rows, columns=[
        "relationship", "name", "kind", "contact", "cadence", "every_days", "last_checkin", "next_due",
        "days_overdue", "days_until", "status", "note",
    ]).astype({"every_days": "int64", "days_overdue": "int64", "days_until": "int64"})


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
