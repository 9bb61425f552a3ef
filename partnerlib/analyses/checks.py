"""Table checks: required columns and bad values per row, reported all at once.

Every analysis checks its input tables once, on entry, with these helpers, so
a bad table reads the same in every step: the table and the row (counted from
1), the column, the rule and what arrived —
``risks row 3: 'likelihood' must be a whole number from 1 to 5 (got 9)``.
The ``*_problems`` helpers return :class:`~partnerlib.core.problems.Problem` lists
(at most ``MOST_ROWS_NAMED`` rows each, then a count of the rest) so one
check can gather every problem of a table before :func:`raise_problems`
raises them together as one :class:`~partnerlib.core.problems.InvalidInput`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..core.problems import InvalidInput, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MOST_ROWS_NAMED",
    "as_day",
    "as_table",
    "choice_problems",
    "raise_problems",
    "read_dates",
    "repeat_problems",
    "require_columns",
    "row_problems",
    "rule_problems",
    "unknown_problems",
    "whole_number_problems",
]

#: At most this many bad rows are named per check; the rest are counted.
MOST_ROWS_NAMED = 10


def require_columns(table: Any, columns: Iterable[str], name: str) -> None:
    """Refuse a table that is not a DataFrame or lacks any of ``columns``, naming every one missing.

    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"id": [1]}), ("id", "power", "interest"), "stakeholders")
    Traceback (most recent call last):
    ...
    partnerlib.core.problems.InvalidInput: the stakeholders table has no columns 'power', 'interest'

    Args:
        table: the table to check.
        columns: the column names it must have.
        name: the table's name in messages ("risks", "check-ins").

    Raises:
        InvalidInput: ``table`` is not a DataFrame, or columns are missing.
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise InvalidInput([Problem((), "not_a_table", {"kind": type(table).__name__})], name)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        code = "missing_columns_plural" if len(missing) > 1 else "missing_columns"
        listed = ", ".join(repr(c) for c in missing)
        raise InvalidInput([Problem((), code, {"table": name, "columns": listed})])


def as_table(data: Any, model: type, columns: Sequence[str], name: str) -> pd.DataFrame:
    """Return ``data`` as a DataFrame with ``columns`` and a fresh 0-based index.

    ``data`` is a DataFrame (as from ``records_table``) or a list of records
    of ``model``; after the index is reset, position ``i`` is row ``i + 1`` in
    messages.

    >>> from partnerlib.models import SwotFactor
    >>> as_table([SwotFactor(id="s1", kind="strength", text="Trusted", weight=1, rating=4)],
    ...          SwotFactor, ("id", "kind"), "swot")[["id", "kind"]]
       id      kind
    0  s1  strength

    Args:
        data: a table, or records of ``model``.
        model: the pydantic model the records are.
        columns: the columns the table must have.
        name: the table's name in messages.

    Raises:
        InvalidInput: columns are missing.
    """
    import pandas as pd

    from .tables import records_table

    if not isinstance(data, pd.DataFrame):
        data = records_table(list(data), model)
    require_columns(data, columns, name)
    return data.reset_index(drop=True)


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python value it holds, so messages show ``9``, not ``np.int64(9)``."""
    import numpy as np

    return value.item() if isinstance(value, np.generic) else value


def row_problems(
    table: pd.DataFrame, name: str, bad: Any, code: str, context: Callable[[dict[str, Any]], dict[str, Any]]
) -> list[Problem]:
    """One Problem per row where ``bad`` is true (by position): ``code``, with ``context(row)`` as its context.

    ``row`` is the row as a dict of column → value. At most
    ``MOST_ROWS_NAMED`` rows are named; one more Problem counts the rest.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"candidate": ["c1", "c1"], "check": ["finances", "finances"]})
    >>> [str(p) for p in row_problems(table, "audit", [False, True], "two_results", dict)]
    ["audit row 2: 'c1' has two results for 'finances'"]

    Args:
        table: the table the rows are in.
        name: the table's name in messages.
        bad: one truth value per row (a boolean Series or array).
        code: the rule broken (a code of :data:`~partnerlib.core.problems.MESSAGES`).
        context: the problem's context, from the row.

    Returns:
        The problems, in row order (empty when no row is bad).
    """
    import numpy as np

    positions = np.flatnonzero(np.asarray(bad, dtype=bool))
    columns = list(table.columns)
    problems = [  # cell by cell, so each value keeps its column's type
        Problem(
            (name, int(at)),
            code,
            context({c: _plain(table.iat[int(at), j]) for j, c in enumerate(columns)}),
        )
        for at in positions[:MOST_ROWS_NAMED]
    ]
    if len(positions) > MOST_ROWS_NAMED:
        problems.append(Problem((), "more_rows", {"count": len(positions) - MOST_ROWS_NAMED}))
    return problems


def rule_problems(
    table: pd.DataFrame, name: str, column: str, bad: Any, rule: str, **context: Any
) -> list[Problem]:
    """The rows where ``bad`` is true, as "'column' must be RULE (got value)".

    An empty cell reads "'column' is required (RULE)". The rule is a phrase of
    :data:`~partnerlib.core.problems.MESSAGES` (``rule:<name>``) worded with ``context``.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"impact": [3, 9, None]})
    >>> for problem in rule_problems(table, "risks", "impact", [False, True, True], "whole_number", low=1, high=5):
    ...     print(problem)
    risks row 2: 'impact' must be a whole number from 1 to 5 (got 9.0)
    risks row 3: 'impact' is required (a whole number from 1 to 5)

    Args:
        table: the table the rows are in.
        name: the table's name in messages.
        column: the column whose values break the rule.
        bad: one truth value per row.
        rule: what a good value is: ``"choice"``, ``"id"``, ``"number"`` … (a ``rule:`` phrase).
        context: what the rule's phrase needs (``choices``, ``what``, ``low`` and ``high`` …).

    Returns:
        The problems, in row order (empty when no row is bad).
    """
    import pandas as pd

    def found(row: dict[str, Any]) -> dict[str, Any]:
        value = row[column]
        empty = not isinstance(value, list | tuple) and pd.isna(value)
        return {"field": column, "rule": rule, **context} | ({} if empty else {"got": value})

    problems = row_problems(table, name, bad, "broken_rule", found)
    return [p._replace(code="required_rule") if p.code == "broken_rule" and "got" not in p.context else p
            for p in problems]


def choice_problems(
    table: pd.DataFrame, name: str, column: str, choices: Iterable[str]
) -> list[Problem]:
    """The rows whose ``column`` is not one of ``choices``.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"role": ["R", "X"]})
    >>> [str(p) for p in choice_problems(table, "assignments", "role", "RACI")]
    ["assignments row 2: 'role' must be one of R, A, C, I (got 'X')"]
    """
    allowed = tuple(choices)
    return rule_problems(table, name, column, ~table[column].isin(allowed), "choice", choices=allowed)


def unknown_problems(
    table: pd.DataFrame, name: str, column: str, known: Iterable[Any], what: str
) -> list[Problem]:
    """The rows whose ``column`` is not the id of a known record (``what`` names its kind).

    >>> import pandas as pd
    >>> table = pd.DataFrame({"question": ["q1", "q9"]})
    >>> [str(p) for p in unknown_problems(table, "answers", "question", ["q1", "q2"], "a question")]
    ["answers row 2: 'question' must be the id of a question (got 'q9')"]
    """
    return rule_problems(table, name, column, ~table[column].isin(list(known)), "id", what=what)


def repeat_problems(
    table: pd.DataFrame, name: str, columns: Sequence[str], code: str = "duplicate_id"
) -> list[Problem]:
    """The rows repeating an earlier row's ``columns`` (by default: an id used twice).

    The problem's context holds the row's values of ``columns`` (and, for one
    column, ``field`` and ``got``).

    >>> import pandas as pd
    >>> table = pd.DataFrame({"id": ["s1", "s2", "s1"]})
    >>> [str(p) for p in repeat_problems(table, "swot", ["id"])]
    ["swot row 3: 'id' 's1' is used twice"]

    Args:
        table: the table the rows are in.
        name: the table's name in messages.
        columns: the columns whose values together must be unique.
        code: the rule's code; by default ``duplicate_id`` ("'id' 'x' is used twice").
    """
    first = columns[0]
    single = len(columns) == 1

    def context(row: dict[str, Any]) -> dict[str, Any]:
        values = {column: row[column] for column in columns}
        return values | ({"field": first, "got": row[first]} if single else {})

    return row_problems(table, name, table.duplicated(list(columns)), code, context)


def whole_number_problems(
    table: pd.DataFrame,
    name: str,
    column: str,
    low: int,
    high: int,
    *,
    values: pd.Series | None = None,
) -> list[Problem]:
    """The rows whose ``column`` is not a whole number from ``low`` to ``high``.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"score": [3, 2.5, 7]})
    >>> for problem in whole_number_problems(table, "scores", "score", 1, 5):
    ...     print(problem)
    scores row 2: 'score' must be a whole number from 1 to 5 (got 2.5)
    scores row 3: 'score' must be a whole number from 1 to 5 (got 7.0)

    Args:
        table: the table the rows are in.
        name: the table's name in messages.
        column: the column to check.
        low: the smallest value allowed.
        high: the largest value allowed.
        values: the column already read as numbers (read from the table when not given).
    """
    import pandas as pd

    numbers = pd.to_numeric(table[column], errors="coerce") if values is None else values
    bad = ~(numbers.between(low, high) & (numbers == numbers.round()))
    return rule_problems(table, name, column, bad, "whole_number", low=low, high=high)


def read_dates(
    table: pd.DataFrame, name: str, column: str, *, required: bool
) -> tuple[pd.Series, list[Problem]]:
    """Read a column of dates (ISO text, dates or timestamps) as day-precision datetimes.

    Blank cells are empty (NaT); they are a problem only when ``required``.
    Time zones are dropped (the wall-clock date is kept).

    >>> import pandas as pd
    >>> dates, problems = read_dates(pd.DataFrame({"date": ["2026-03-31", "", "soon"]}),
    ...                              "check-ins", "date", required=False)
    >>> dates.dt.strftime("%Y-%m-%d").tolist(), [str(p) for p in problems]
    (['2026-03-31', nan, nan], ["check-ins row 3: 'date' must be a date like 2026-03-31 (got 'soon')"])

    Args:
        table: the table the column is in.
        name: the table's name in messages.
        column: the column of dates.
        required: whether a blank cell is a problem.

    Returns:
        The dates (``datetime64[s]``, NaT where blank or bad) and the problems.
    """
    import numpy as np
    import pandas as pd

    raw = table[column]
    if raw.dtype.kind == "M":  # already datetimes: nothing to parse
        dates, blank = raw, raw.isna().to_numpy()
    else:  # each distinct value is read once (a million measurements hold a few thousand dates)
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        values = np.asarray(uniques, dtype=object)
        if all(type(value) is dt.date for value in values):  # a model's dates: nothing to parse
            empty = np.zeros(len(values), dtype=bool)
            read = values.astype("datetime64[s]")
        else:
            distinct = pd.Series(values, dtype=object)
            empty = distinct.astype(str).str.strip().eq("").to_numpy()
            parsed = pd.to_datetime(distinct.where(~empty), errors="coerce", format="ISO8601")
            if getattr(parsed.dtype, "tz", None) is not None:
                parsed = parsed.dt.tz_localize(None)
            read = parsed.to_numpy(dtype="datetime64[s]")
        days = np.append(read, np.datetime64("NaT", "s"))
        dates = pd.Series(days[codes], index=raw.index)
        blank = np.append(empty, True)[codes]
    if getattr(dates.dtype, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    bad = dates.isna().to_numpy() & (~blank | required)
    return dates.astype("datetime64[s]"), rule_problems(table, name, column, bad, "date")


def as_day(as_of: dt.date) -> pd.Timestamp:
    """Return ``as_of`` as a timestamp at midnight, refusing anything that is not a date.

    >>> import datetime as dt
    >>> as_day(dt.datetime(2026, 3, 31, 15, 30))
    Timestamp('2026-03-31 00:00:00')

    Raises:
        TypeError: ``as_of`` is not a ``datetime.date`` (or datetime).
    """
    import pandas as pd

    if not isinstance(as_of, dt.date):
        raise TypeError(f"'as_of' must be a date like datetime.date(2026, 3, 31) (got {as_of!r})")
    return pd.Timestamp(as_of).normalize()


def raise_problems(problems: list[Problem], context: str = "") -> None:
    """Raise every problem found as one :class:`~partnerlib.core.problems.InvalidInput`; do nothing if none.

    >>> raise_problems([])
    >>> raise_problems([Problem(("swot", 1), "literal_error",
    ...                         {"field": "kind", "expected": "strength, weakness", "got": "x"})], "SWOT factors")
    Traceback (most recent call last):
    ...
    partnerlib.core.problems.InvalidInput: SWOT factors: swot row 2: 'kind' must be one of strength, weakness (got 'x')
    """
    if problems:
        raise InvalidInput(problems, context)
