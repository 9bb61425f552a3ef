"""How numbers, counts and dates are written for people: one rule each, used by every page.

Tables, charts, the plan document, form help and messages all write through
these functions, so one value never reads two ways:

* **Rounding** is half away from zero (:data:`ROUNDING`): 4.25 reads 4.3 and
  −4.25 reads −4.3, in a table as in a chart. Python's ``round`` and
  ``f"{x:.1f}"`` round a tie to the even digit instead (4.25 → 4.2).
* **Numbers** are written as people write them: thousands separated, no
  exponent (``1,000,000,000,000``, never ``1e+12``).
* **Counts** agree with their noun: "1 gap", "2 gaps", "1.5 points".
* **Dates** read "1 Sep 2027" everywhere (pages, messages, tables), and a date
  typed as "1 Sep 2027", "1/9/2027", "1.9.2027" or "2027-09-01" is read back.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

__all__ = [
    "DATE_EXAMPLE",
    "ROUNDING",
    "Year",
    "format_date",
    "plural",
    "read_date",
    "round_half_away",
    "write_number",
]

#: The one rounding rule of every page, in words.
ROUNDING = "half away from zero"
#: How close to a half, in units of the last place, a scaled value must be to count as one:
#: 4.35 is stored as 4.3499999…, and reads 4.35 to everyone, so it rounds as a half.
_TIE_ULPS = 8
#: A date written the way every page writes them, for help lines and messages.
DATE_EXAMPLE = "1 Sep 2027"
#: The ways a typed date is read, tried in order: day before month (as written
#: outside the United States), or the year first.
_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %b %y")


def round_half_away(values: Any, decimals: Any = 0) -> Any:
    """Round to ``decimals`` places, a half away from zero: 4.25 → 4.3, −0.5 → −1, 2.5 → 3.

    Takes a number, a NumPy array or a pandas Series (then ``decimals`` may be
    an array of one count per value) and returns the same kind; NaN stays NaN.

    >>> round_half_away(4.25, 1), round_half_away(-4.25, 1), round_half_away(2.5), round_half_away(4.35, 1)
    (4.3, -4.3, 3.0, 4.4)

    Args:
        values: the numbers.
        decimals: how many decimals to keep (0 or more).

    Returns:
        The rounded numbers, as floats.
    """
    import numpy as np

    array = np.asarray(values, dtype=float)
    scale = 10.0 ** np.asarray(decimals, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.abs(array) * scale
        floor = np.floor(scaled)
        whole = floor + (scaled - floor >= 0.5 - _TIE_ULPS * np.spacing(np.maximum(scaled, 1.0)))
        rounded = np.where(np.isfinite(scaled), np.copysign(whole / scale, array), array) + 0.0  # no −0
    if hasattr(values, "index"):  # a pandas Series keeps its index and name
        return type(values)(rounded, index=values.index, name=getattr(values, "name", None))
    return float(rounded) if rounded.ndim == 0 else rounded


class Year(int):
    """A whole number that is a year, written as it is: "1990", never "1,990".

    Declare a year field's bounds with it (``Field(ge=Year(1990), le=Year(2100))``):
    :func:`~partnerlib.core.fields.field_bounds` hands them on as they are
    declared, so forms, templates and messages write them as years.

    >>> write_number(Year(1990)), write_number(1990)
    ('1990', '1,990')
    """


def write_number(value: float, decimals: int | None = None) -> str:
    """Write a number as people write it: thousands separated, no exponent, rounded half away.

    Without ``decimals`` the number keeps the decimals it has (0.25 → "0.25",
    1e12 → "1,000,000,000,000"); with them it shows exactly that many.

    >>> write_number(1e12), write_number(1e7), write_number(0.25), write_number(-1500), write_number(4.25, 1)
    ('1,000,000,000,000', '10,000,000', '0.25', '-1,500', '4.3')
    """
    if isinstance(value, Year):
        return str(int(value))
    if decimals is not None:
        return f"{round_half_away(value, decimals):,.{decimals}f}"
    if math.isfinite(value) and float(value).is_integer():
        return f"{int(value):,}"
    return f"{Decimal(repr(float(value))):,f}" if math.isfinite(value) else str(value)


def plural(count: float, one: str, many: str = "") -> str:
    """Write a count with its noun in agreement: "1 gap", "3 gaps", "1.5 points", "2 activities".

    >>> plural(1, "gap"), plural(3, "gap"), plural(1.5, "point"), plural(2, "activity", "activities")
    ('1 gap', '3 gaps', '1.5 points', '2 activities')

    Args:
        count: how many.
        one: the noun for one.
        many: the noun for several (``one`` + "s" when not given).
    """
    return f"{write_number(count)} {one if count == 1 else many or one + 's'}"


def format_date(value: Any) -> str:
    """Write a date unambiguously for readers anywhere: ``30 Sep 2026`` ('' when missing).

    >>> format_date(dt.date(2026, 9, 30)), format_date(None)
    ('30 Sep 2026', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("NaT", "<NA>"):
        return ""
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def read_date(text: str) -> dt.date | None:
    """Read a typed date: "1 Sep 2027", "1 September 2027", "2027-09-01", "1/9/2027", "1.9.2027".

    Day before month, never the other way round (1/9/2027 is 1 September).
    Returns None when the text is no date in any of these forms.

    >>> read_date("1 Sep 2027"), read_date(" 01/09/2027 "), read_date("2027-09-01"), read_date("9/31/2027")
    (datetime.date(2027, 9, 1), datetime.date(2027, 9, 1), datetime.date(2027, 9, 1), None)
    """
    cleaned = " ".join(text.split())
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None
