"""Turn the records of a plan section into DataFrames the analyses work on.

Columns are the model's field names, in the model's order, even when there are
no rows, so an analysis never has to special-case an empty table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..models import Plan, Record

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["missing_table", "records_table"]


def records_table(rows: Sequence[Record], model: type[Record]) -> pd.DataFrame:
    """Return one row per record and one column per field of ``model``.

    List fields (such as an activity's stakeholders) stay lists in their cell.

    >>> from partnerlib.models import Risk
    >>> records_table([Risk(id="r1", title="Floods", likelihood=2, impact=4)], Risk)[
    ...     ["id", "likelihood", "impact"]].to_dict("records")
    [{'id': 'r1', 'likelihood': 2, 'impact': 4}]
    """
    import pandas as pd

    columns = list(model.model_fields)
    return pd.DataFrame([row.model_dump() for row in rows], columns=columns)


def missing_table(plan: Plan, section: str | None = None) -> pd.DataFrame:
    """Return what the plan still lacks: one row per gap, for one section or all.

    Columns: ``section`` (its title), ``where`` (the field) and ``missing`` (in words).
    """
    import pandas as pd

    from ..models import SECTIONS

    rows = [
        {"section": SECTIONS[name].title, "where": gap.where, "missing": gap.message}
        for name, gap in plan.gaps()
        if section is None or name == section
    ]
    return pd.DataFrame(rows, columns=["section", "where", "missing"])
