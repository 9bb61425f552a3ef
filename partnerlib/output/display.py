"""Readable results: numbers with units and currency, dates as dates, statuses in words and colour.

Notebooks show analysis results through :func:`show_table`, which returns an
object Jupyter renders as an HTML table and nbval compares as plain text. All
text is escaped (by markupsafe, as Jinja2 autoescapes): a partner named ``<script>`` is shown
as written and never runs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..core.formats import format_date, write_number
from .charts.style import STATUS_COLOURS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ShownTable",
    "format_date",
    "format_money",
    "format_money_rows",
    "format_number",
    "format_percent",
    "numeric_kind",
    "show_table",
]

#: A numeric kind: its base and, optionally, its number of decimals (``number2``: two decimals).
_NUMERIC_KIND = re.compile(r"(?P<base>money|percent|number)(?P<decimals>\d?)")
#: The kinds that are not numeric.
_OTHER_KINDS = ("date", "yes/no", "text", "risk score")
#: How a column of each kind that is not numeric is set, where it is not left-aligned text.
_COLUMN_CLASSES = {"date": "date", "risk score": "score"}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("NaT", "<NA>")


def format_number(value: Any, decimals: int = 0) -> str:
    """Format a number with thousands separators, rounded half away from zero; '' when missing.

    >>> format_number(1250.5, 1), format_number(4.25, 1), format_number(None)
    ('1,250.5', '4.3', '')
    """
    if _missing(value):
        return ""
    return write_number(float(value), decimals)


def format_money(value: Any, currency: str, decimals: int = 0) -> str:
    """Format an amount with its currency code: ``USD 12,500``.

    >>> format_money(12500, "USD")
    'USD 12,500'
    """
    text = format_number(value, decimals)
    return f"{currency} {text}" if text else ""


def format_money_rows(amounts: Iterable[Any], currencies: Iterable[str], decimals: int = 0) -> list[str]:
    """Format each amount with its own row's currency, for a table whose rows mix currencies.

    >>> format_money_rows([12500, 300], ["USD", "KES"])
    ['USD 12,500', 'KES 300']
    """
    return [format_money(amount, currency, decimals) for amount, currency in zip(amounts, currencies, strict=True)]


def format_percent(fraction: Any, decimals: int = 0) -> str:
    """Format a fraction (0.153) as a percentage ("15%").

    >>> format_percent(0.153), format_percent(1.0)
    ('15%', '100%')
    """
    if _missing(fraction):
        return ""
    return f"{write_number(float(fraction) * 100, decimals)}%"


class ShownTable:
    """A formatted table: HTML in Jupyter and Voilà, aligned plain text elsewhere.

    Attributes:
        frame: the table as text cells (what is shown).
        caption: a line above the table.
        colours: column headings that hold a status (shown with a coloured dot too).
        data: the same cells with their typed values (numbers, dates, fractions,
            (likelihood, impact) pairs), under the same headings, for a spreadsheet.
        kinds: heading → how the column is formatted (see :func:`show_table`),
            or ``by row`` for a column whose rows each have their own kind.
        row_kinds: heading → each row's kind, for the ``by row`` columns.
        currency: the currency code of ``money`` columns.
        empty: what to say instead of a table with no rows.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        caption: str = "",
        colours: Mapping[str, bool] | None = None,
        *,
        data: pd.DataFrame | None = None,
        kinds: Mapping[str, str] | None = None,
        row_kinds: Mapping[str, list[str]] | None = None,
        currency: str = "",
        empty: str = "Nothing to show yet.",
    ):
        self.frame = frame
        self.caption = caption
        self.colours = dict(colours or {})
        self.data = frame if data is None else data
        self.kinds = dict(kinds or {})
        self.row_kinds = dict(row_kinds or {})
        self.currency = currency
        self.empty = empty

    def cell_kinds(self, heading: str) -> list[str]:
        """Each row's kind in a column: the column's own, or each row's for a ``by row`` column."""
        return self.row_kinds.get(heading) or [self.kinds.get(heading, "text")] * len(self.frame)

    def column_class(self, heading: str) -> str:
        """How the plan document's page sets a column, from its kind.

        ``status`` (a status word with its dot), ``number`` (right-aligned: any
        of its rows holds a number), ``date`` or ``score`` (kept on one line),
        or ``""`` for text.
        """
        if heading in self.colours:
            return "status"
        kinds = self.cell_kinds(heading) or [self.kinds.get(heading, "text")]
        return "number" if any(numeric_kind(kind) for kind in kinds) else _COLUMN_CLASSES.get(kinds[0], "")

    def _repr_html_(self) -> str:
        # markupsafe's escape, as Jinja2's autoescape does, every cell, heading and caption (plan text);
        # a table needs no template engine, and a notebook step then loads no Jinja2 (about 45 ms a kernel).
        from markupsafe import escape

        caption = escape(self.caption)
        if len(self.frame) == 0:
            return f"\n<p>{f'{caption}: ' if caption else ''}<em>{escape(self.empty)}</em></p>"
        # Numbers, dates and risk scores on one line, as on the document's page: "USD 120,000" and
        # "15 Sep 2024", never broken after "USD" or "Sep".
        whole = {name for name in self.frame.columns if self.column_class(name) in ("number", "date", "score")}
        head = "".join(f'<th style="text-align:left">{escape(name)}</th>' for name in self.frame.columns)
        rows = []
        for row in self.frame.itertuples(index=False):
            cells = []
            for name, text in zip(self.frame.columns, row, strict=True):
                colour = STATUS_COLOURS.get(text) if name in self.colours else None
                if colour:
                    cells.append('<td style="text-align:left;white-space:nowrap">'
                                 f'<span style="color:{escape(colour)}">&#9679;</span> {escape(text)}</td>')
                else:
                    align = "right" if _looks_numeric(text) else "left"
                    nowrap = ";white-space:nowrap" if name in whole else ""
                    cells.append(f'<td style="text-align:{align}{nowrap}">{escape(text)}</td>')
            rows.append(f"\n<tr>{''.join(cells)}</tr>")
        return (f'\n<table class="partnerlib-table">{f"<caption>{caption}</caption>" if caption else ""}'
                f"\n<thead><tr>{head}</tr></thead>\n<tbody>{''.join(rows)}\n</tbody>\n</table>")

    def __repr__(self) -> str:
        head = f"{self.caption}\n" if self.caption else ""
        if self.frame.empty:
            return head + self.empty
        return head + self.frame.to_string(index=False)


def _looks_numeric(text: str) -> bool:
    """Tell a formatted number ("1,250", "15%", "USD 1,200") from text, to right-align it."""
    parts = text.split(" ")
    if len(parts) == 2 and parts[0].isalpha() and parts[0].isupper():
        parts = parts[1:]
    return len(parts) == 1 and parts[0].lstrip("-").replace(",", "").replace(".", "").rstrip("%").isdigit()


def numeric_kind(kind: str) -> tuple[str, int] | None:
    """Split a numeric kind into its base and its decimals; None for a kind that is not numeric.

    >>> numeric_kind("money2"), numeric_kind("number"), numeric_kind("date")
    (('money', 2), ('number', 0), None)
    """
    match = _NUMERIC_KIND.fullmatch(kind)
    return None if match is None else (match["base"], int(match["decimals"] or 0))


def _formatter(kind: str, currency: str) -> Callable[[Any], str]:
    """How one kind writes a value that is there (a missing value is handled before)."""
    numeric = numeric_kind(kind)
    if numeric is not None:
        base, places = numeric
        if base == "money":
            return lambda v: format_money(v, currency, places)
        return lambda v: format_percent(v, places) if base == "percent" else format_number(v, places)
    return {
        "date": format_date,
        "yes/no": lambda v: "yes" if v else "no",
        "text": lambda v: ", ".join(map(str, v)) if isinstance(v, list) else str(v),
        "risk score": lambda pair: f"{pair[0]} × {pair[1]} = {pair[0] * pair[1]}",
    }[kind]


def _guess_kind(values: pd.Series) -> str:
    """The kind of a column no format names: a date, yes/no, a whole number, a number with one decimal, or text."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values) or any(isinstance(v, dt.date) for v in values):
        return "date"
    if pd.api.types.is_bool_dtype(values):
        return "yes/no"
    if pd.api.types.is_integer_dtype(values):
        return "number"
    if pd.api.types.is_float_dtype(values):
        return "number1"
    return "text"


def _row_kinds(frame: pd.DataFrame, name: str, kind: str) -> list[str] | None:
    """Each row's kind when ``kind`` names a column of ``frame`` rather than a kind; None otherwise."""
    if kind in _OTHER_KINDS or numeric_kind(kind) is not None:
        return None
    if kind not in frame.columns:
        raise ValueError(
            f"The format of column {name!r} is {kind!r}: give a kind (money, percent, number, number1, number2, "
            "date, yes/no, text, risk score) or the name of a column holding each row's kind."
        )
    return [str(row_kind) for row_kind in frame[kind]]


def show_table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    formats: Mapping[str, str] | None = None,
    missing: Mapping[str, str] | None = None,
    currency: str = "USD",
    status: tuple[str, ...] = (),
    caption: str = "",
    empty: str = "Nothing to show yet.",
) -> ShownTable:
    """Prepare a DataFrame for people to read.

    Views pass values, not text: the table shows them formatted and keeps
    them typed (:attr:`ShownTable.data`) for a spreadsheet.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"score": [4.5, None], "unit": ["number2", "percent"], "value": [3.1, 0.25]})
    >>> print(show_table(frame, formats={"score": "number2", "value": "unit"}, missing={"score": "—"},
    ...                  columns={"score": "Score", "value": "Value"}))
    Score Value
     4.50  3.10
        —   25%

    Args:
        frame: the result of an analysis.
        columns: the columns to show, in order, mapped to their headings
            (default: every column, headings from the names: ``due_date`` →
            ``Due date``).
        formats: column → its kind: ``"money"``, ``"percent"`` (a fraction,
            0.15 → 15%) or ``"number"``, each optionally followed by its
            decimals (``"number2"``: 4.50, ``"money2"``, ``"percent1"``);
            ``"date"``; ``"yes/no"``; ``"text"``; or ``"risk score"`` (a
            (likelihood, impact) pair shown ``4 × 3 = 12``). Dates and numbers
            are recognised without being named. For a column whose unit
            differs from row to row (a KPI's value: a count, a percentage or
            money), name instead another column of ``frame`` that holds each
            row's kind.
        missing: column → what to show where it has no value (default: nothing),
            e.g. ``"—"`` or ``"not assessed yet"``.
        currency: the currency code put before money amounts.
        status: columns holding a status word (on track, high …): shown with
            a coloured dot as well as the word.
        caption: a line shown above the table.
        empty: what to say when the table has no rows.

    Returns:
        A ShownTable, rendered as HTML by Jupyter and as plain text by print().

    Raises:
        ValueError: a format that is neither a kind nor a column of ``frame``.
    """
    import pandas as pd

    columns = dict(columns) if columns else {c: str(c).replace("_", " ").capitalize() for c in frame.columns}
    formats = dict(formats or {})
    missing = dict(missing or {})
    shown = {}
    kinds = {}
    row_kinds = {}
    for name, heading in columns.items():
        values = frame[name]
        kind = formats.get(name) or _guess_kind(values)
        each = _row_kinds(frame, name, kind)
        if each is not None:
            kind, row_kinds[heading] = "by row", each
        cell_kinds = each or [kind] * len(values)
        formatters = {cell_kind: _formatter(cell_kind, currency) for cell_kind in set(cell_kinds)}
        shown[heading] = [
            missing.get(name, "") if _missing(value) else formatters[cell_kind](value)
            for value, cell_kind in zip(values, cell_kinds, strict=True)
        ]
        kinds[heading] = kind
    table = pd.DataFrame(shown, columns=list(columns.values()))
    data = frame[list(columns)].rename(columns=columns).reset_index(drop=True)
    return ShownTable(
        table,
        caption,
        {columns[c]: True for c in status if c in columns},
        data=data,
        kinds=kinds,
        row_kinds=row_kinds,
        currency=currency,
        empty=empty,
    )
