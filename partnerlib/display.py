"""Readable results: numbers with units and currency, dates as dates, statuses in words and colour.

Notebooks show analysis results through :func:`show_table`, which returns an
object Jupyter renders as an HTML table and nbval compares as plain text. All
text is escaped (Jinja2 with autoescape): a partner named ``<script>`` is shown
as written and never runs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from .charts import STATUS_COLOURS

if TYPE_CHECKING:
    import jinja2
    import pandas as pd

__all__ = [
    "ShownTable",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "show_table",
]

_TABLE = """\
<table class="partnerlib-table">
{%- if caption %}<caption>{{ caption }}</caption>{% endif %}
<thead><tr>{% for name in columns %}<th style="text-align:left">{{ name }}</th>{% endfor %}</tr></thead>
<tbody>
{%- for row in rows %}
<tr>
{%- for cell in row %}
{%- if cell.colour %}<td style="text-align:left">
{%- raw %}<span style="color:{% endraw %}{{ cell.colour }}">&#9679;</span> {{ cell.text }}</td>
{%- else %}<td style="text-align:{{ 'right' if cell.number else 'left' }}">{{ cell.text }}</td>
{%- endif %}
{%- endfor %}</tr>
{%- endfor %}
</tbody>
</table>
{%- if not rows %}<p><em>{{ empty }}</em></p>{% endif %}
"""


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("NaT", "<NA>")


def format_number(value: Any, decimals: int = 0) -> str:
    """Format a number with thousands separators, or an empty string when missing.

    >>> format_number(1250.5, 1), format_number(None)
    ('1,250.5', '')
    """
    if _missing(value):
        return ""
    return f"{float(value):,.{decimals}f}"


def format_money(value: Any, currency: str, decimals: int = 0) -> str:
    """Format an amount with its currency code: ``USD 12,500``.

    >>> format_money(12500, "USD")
    'USD 12,500'
    """
    text = format_number(value, decimals)
    return f"{currency} {text}" if text else ""


def format_percent(fraction: Any, decimals: int = 0) -> str:
    """Format a fraction (0.153) as a percentage ("15%").

    >>> format_percent(0.153), format_percent(1.0)
    ('15%', '100%')
    """
    if _missing(fraction):
        return ""
    return f"{float(fraction) * 100:,.{decimals}f}%"


def format_date(value: Any) -> str:
    """Format a date unambiguously for readers anywhere: ``30 Sep 2026``.

    >>> import datetime as dt
    >>> format_date(dt.date(2026, 9, 30))
    '30 Sep 2026'
    """
    if _missing(value):
        return ""
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


@cache
def _template() -> jinja2.Template:
    import jinja2

    return jinja2.Environment(autoescape=True).from_string(_TABLE)


class ShownTable:
    """A formatted table: HTML in Jupyter and Voilà, aligned plain text elsewhere.

    Attributes:
        frame: the table as text cells (what is shown).
        caption: a line above the table.
        colours: column headings that hold a status (shown with a coloured dot too).
        data: the same cells with their typed values (numbers, dates, fractions),
            under the same headings, for a spreadsheet.
        kinds: heading → how the column is formatted (``money``, ``percent``,
            ``date``, ``number``, ``number1``, ``yes/no`` or ``text``).
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
        currency: str = "",
        empty: str = "Nothing to show yet.",
    ):
        self.frame = frame
        self.caption = caption
        self.colours = dict(colours or {})
        self.data = frame if data is None else data
        self.kinds = dict(kinds or {})
        self.currency = currency
        self.empty = empty

    def _repr_html_(self) -> str:
        rows = [
            [
                {
                    "text": text,
                    "colour": STATUS_COLOURS.get(text) if name in self.colours else None,
                    "number": _looks_numeric(text),
                }
                for name, text in zip(self.frame.columns, row, strict=True)
            ]
            for row in self.frame.itertuples(index=False)
        ]
        return _template().render(
            caption=self.caption, columns=list(self.frame.columns), rows=rows, empty=self.empty
        )

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


def show_table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    formats: Mapping[str, str] | None = None,
    currency: str = "USD",
    status: tuple[str, ...] = (),
    caption: str = "",
    empty: str = "Nothing to show yet.",
) -> ShownTable:
    """Prepare a DataFrame for people to read.

    Args:
        frame: the result of an analysis.
        columns: the columns to show, in order, mapped to their headings
            (default: every column, headings from the names: ``due_date`` →
            ``Due date``).
        formats: column → ``"money"``, ``"percent"``, ``"date"``, ``"number"``,
            ``"number1"`` (one decimal) or ``"text"``; dates and numbers are
            recognised without being named.
        currency: the currency code put before money amounts.
        status: columns holding a status word (on track, high …): shown with
            a coloured dot as well as the word.
        caption: a line shown above the table.
        empty: what to say when the table has no rows.

    Returns:
        A ShownTable, rendered as HTML by Jupyter and as plain text by print().
    """
    import pandas as pd

    columns = dict(columns) if columns else {c: str(c).replace("_", " ").capitalize() for c in frame.columns}
    formats = dict(formats or {})
    shown = {}
    kinds = {}
    for name, heading in columns.items():
        values = frame[name]
        kind = formats.get(name)
        if kind is None:
            if pd.api.types.is_datetime64_any_dtype(values) or values.map(lambda v: isinstance(v, dt.date)).any():
                kind = "date"
            elif pd.api.types.is_bool_dtype(values):
                kind = "yes/no"
            elif pd.api.types.is_integer_dtype(values):
                kind = "number"
            elif pd.api.types.is_float_dtype(values):
                kind = "number1"
            else:
                kind = "text"
        formatter = {
            "money": lambda v: format_money(v, currency),
            "percent": format_percent,
            "date": format_date,
            "number": format_number,
            "number1": lambda v: format_number(v, 1),
            "yes/no": lambda v: "" if _missing(v) else ("yes" if v else "no"),
            "text": lambda v: "" if _missing(v) else (", ".join(map(str, v)) if isinstance(v, list) else str(v)),
        }[kind]
        shown[heading] = [formatter(v) for v in values]
        kinds[heading] = kind
    table = pd.DataFrame(shown, columns=list(columns.values()))
    data = frame[list(columns)].rename(columns=columns).reset_index(drop=True)
    return ShownTable(
        table,
        caption,
        {columns[c]: True for c in status if c in columns},
        data=data,
        kinds=kinds,
        currency=currency,
        empty=empty,
    )
