"""The organisation's register across its SSU plans: duplicates, shared partners, gifts and contacts.

The register (organisations, people and gifts) is kept once per workspace and
used by every SSU plan. These functions read it as plain lists of records and
return DataFrames, one row per finding, so a page, the portfolio document and a
spreadsheet all show the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..models import Gift, Organisation, Person, Plan
from ..models.shared import duplicate_keys, normalised_name

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GIFT_COLUMNS",
    "contacts_not_reached",
    "donors_to_thank",
    "gift_budget",
    "gifts_by",
    "gifts_table",
    "normalised_name",
    "register_duplicates",
    "shared_partners",
]

#: The columns of :func:`gifts_table`, in order.
GIFT_COLUMNS = (
    "id", "date", "donor", "donor_name", "plan", "amount", "currency", "kind", "status", "designation",
)


def register_duplicates(organisations: Sequence[Organisation], people: Sequence[Person]) -> pd.DataFrame:
    """List pairs of register entries that look like the same organisation or person.

    Two entries are alike by the register's duplicate rules
    (:func:`partnerlib.models.shared.duplicate_keys`): organisations when their
    names are the same once normalised (:func:`normalised_name`); people when
    their names are, or when they share an email address (ignoring case).

    >>> from partnerlib.models import Organisation, Person
    >>> register_duplicates([Organisation(id="a", name="Riverbend Ltd"), Organisation(id="b", name="riverbend")],
    ...     [Person(id="p", name="Ann", email="A@x.org"), Person(id="q", name="Ann Lee", email="a@x.org")]
    ... )[["kind", "first", "second", "why"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'kind': 'organisation', 'first': 'a', 'second': 'b', 'why': 'same name'},
     {'kind': 'person', 'first': 'p', 'second': 'q', 'why': 'same email'}]

    Returns:
        One row per pair: ``kind`` (organisation or person), ``first`` and
        ``second`` (ids, in register order), ``first_name``, ``second_name``
        and ``why`` (``same name`` or ``same email``).
    """
    import pandas as pd

    rows = []
    registers: tuple[tuple[str, Sequence[Organisation | Person]], ...] = (
        ("organisation", organisations), ("person", people))
    for kind, records in registers:
        keys = [duplicate_keys(record) for record in records]
        paired: set[tuple[str, str]] = set()
        for why in ("same name", "same email"):
            seen: dict[str, Organisation | Person] = {}
            for record, key in zip(records, keys, strict=True):
                value = key.get(why)
                if not value:
                    continue
                if value in seen and (seen[value].id, record.id) not in paired:
                    first = seen[value]
                    paired.add((first.id, record.id))
                    rows.append((kind, first.id, record.id, first.name, record.name, why))
                seen.setdefault(value, record)
    return pd.DataFrame(rows, columns=["kind", "first", "second", "first_name", "second_name", "why"])


def _donor_names(organisations: Sequence[Organisation], people: Sequence[Person]) -> dict[str, str]:
    return {o.id: o.name for o in organisations} | {p.id: p.name for p in people}


def gifts_table(
    gifts: Sequence[Gift], organisations: Sequence[Organisation], people: Sequence[Person]
) -> pd.DataFrame:
    """Return the gifts as a table, with each donor's name from the register.

    Returns:
        One row per gift, by date, with the columns :data:`GIFT_COLUMNS`;
        ``donor_name`` is "unknown donor (id)" for a donor no longer in the register.
    """
    import pandas as pd

    names = _donor_names(organisations, people)
    frame = pd.DataFrame([gift.model_dump() for gift in gifts], columns=list(Gift.model_fields))
    frame["donor_name"] = [names.get(donor, f"unknown donor ({donor})") for donor in frame["donor"]]
    frame["amount"] = frame["amount"].astype(float)
    return frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)[list(GIFT_COLUMNS)]


def gifts_by(gifts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Total gifts received and expected per donor or per SSU plan, in each currency.

    Amounts in different currencies are never added together: a donor who
    gave in two currencies has a row for each.

    Args:
        gifts: the table from :func:`gifts_table`.
        by: ``"donor"`` (totals per donor) or ``"plan"`` (per SSU plan).

    Returns:
        One row per donor (or plan) and currency, largest total first:
        ``donor_name`` (or ``plan``), ``currency``, ``received``, ``expected``,
        ``total`` and ``gifts`` (how many).
    """
    import pandas as pd

    key = {"donor": "donor_name", "plan": "plan"}[by]
    amounts = gifts.assign(
        received=gifts["amount"].where(gifts["status"] == "received", 0.0),
        expected=gifts["amount"].where(gifts["status"] == "expected", 0.0),
    )
    totals = amounts.groupby([key, "currency"], sort=False).agg(
        received=("received", "sum"), expected=("expected", "sum"), gifts=("id", "size")
    ).reset_index()
    totals["total"] = totals["received"] + totals["expected"]
    columns = [key, "currency", "received", "expected", "total", "gifts"]
    if totals.empty:
        return pd.DataFrame(columns=columns)
    return totals.sort_values(["total", key], ascending=[False, True], kind="stable").reset_index(drop=True)[columns]


def gift_budget(plan: Plan, gifts: pd.DataFrame) -> pd.DataFrame:
    """Set a plan's vision-based budget against the gifts for it: received, pledged, and what is left.

    Only gifts in the plan's currency are counted; others are reported on a
    row of their own (``counted`` False), since no exchange rate is known.

    Args:
        plan: the SSU plan.
        gifts: the table from :func:`gifts_table` (every plan's gifts; this plan's are picked).

    Returns:
        One row per line: ``line``, ``amount``, ``currency`` and ``counted``. The lines are
        the budget's ``expense``, its planned ``income``, gifts ``received`` and
        ``expected`` (pledges and promised gifts), and the ``gap`` left: expense
        − received − expected (negative when gifts exceed the budget).
    """
    import pandas as pd

    from .budget import vision_budget

    total = vision_budget(plan.resources).iloc[-1]
    currency = plan.info.currency
    own = gifts[gifts["plan"] == plan.info.name]
    # the sums on the columns' arrays: the same additions, in the same order, without a Series each
    counted = (own["currency"] == currency).to_numpy()
    status, amounts = own["status"].to_numpy(), own["amount"].to_numpy(dtype=float)
    received = float(amounts[counted & (status == "received")].sum())
    expected = float(amounts[counted & (status == "expected")].sum())
    rows = [
        ("expense", float(total["expense"]), currency, True),
        ("planned income", float(total["income"]), currency, True),
        ("received", received, currency, True),
        ("expected", expected, currency, True),
        ("gap", float(total["expense"]) - received - expected, currency, True),
    ]
    if not counted.all():
        rows += [
            (f"gifts in {other}, not counted", float(amount), other, False)
            for other, amount in own[~counted].groupby("currency")["amount"].sum().items()
        ]
    return pd.DataFrame(rows, columns=["line", "amount", "currency", "counted"])


def donors_to_thank(gifts: pd.DataFrame, *, as_of: dt.date, days: int = 90) -> pd.DataFrame:
    """List the donors to thank or report to: gifts received in the last ``days``, and gifts still expected.

    Args:
        gifts: the table from :func:`gifts_table`.
        as_of: the day counted from (the plan's date).
        days: how far back a received gift still wants a thank-you (1 or more).

    Returns:
        One row per gift, by date: ``donor_name``, ``plan``, ``date``,
        ``amount``, ``currency``, ``status`` and ``action`` ("thank" for a gift
        received, "report and remind" for one expected).
    """
    since = as_of - dt.timedelta(days=days)
    received = (gifts["status"] == "received") & (gifts["date"] > since) & (gifts["date"] <= as_of)
    expected = gifts["status"] == "expected"
    picked = gifts[received | expected].copy()
    picked["action"] = picked["status"].map({"received": "thank", "expected": "report and remind"})
    columns = ["donor_name", "plan", "date", "amount", "currency", "status", "action"]
    return picked.sort_values(["date", "id"], kind="stable").reset_index(drop=True)[columns]


def shared_partners(plans: Mapping[str, Plan], organisations: Sequence[Organisation]) -> pd.DataFrame:
    """List the register's organisations with the SSU plans whose candidates point at them.

    Args:
        plans: plan name → plan.
        organisations: the register's organisations.

    Returns:
        One row per organisation used by at least one plan, most plans first:
        ``organisation``, ``kind``, ``plans`` (how many), ``ssus`` (the plans'
        names, joined) and ``selected_in`` (the plans where it is a selected partner).
    """
    import pandas as pd

    rows = []
    for organisation in organisations:
        using = {name: [c for c in plan.partners.candidates if c.organisation_id == organisation.id]
                 for name, plan in plans.items()}
        using = {name: found for name, found in using.items() if found}
        if using:
            selected = [name for name, found in using.items() if any(c.status == "selected" for c in found)]
            rows.append((organisation.name, organisation.kind, len(using), ", ".join(using), ", ".join(selected)))
    frame = pd.DataFrame(rows, columns=["organisation", "kind", "plans", "ssus", "selected_in"])
    return frame.sort_values(["plans", "organisation"], ascending=[False, True], kind="stable").reset_index(drop=True)


def contacts_not_reached(people: Sequence[Person], *, as_of: dt.date, days: int = 90) -> pd.DataFrame:
    """List the contacts nobody has spoken or written with in the last ``days`` (or ever).

    Args:
        people: the register's people.
        as_of: the day counted from.
        days: the longest acceptable silence, in days (1 or more).

    Returns:
        One row per person, longest silence first (never contacted first):
        ``name``, ``organisation`` (its id), ``email``, ``last_contacted``
        (a date or None) and ``days_since`` (None when never).
    """
    import pandas as pd

    rows = [
        (p.name, p.organisation, p.email, p.last_contacted,
         None if p.last_contacted is None else (as_of - p.last_contacted).days)
        for p in people
        if p.last_contacted is None or (as_of - p.last_contacted).days > days
    ]
    rows.sort(key=lambda row: float("inf") if row[4] is None else row[4], reverse=True)
    # object columns: ``days_since`` holds whole days, or None for never (not NaN)
    return pd.DataFrame(rows, columns=["name", "organisation", "email", "last_contacted", "days_since"], dtype=object)
