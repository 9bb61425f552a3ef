"""Import tables from spreadsheets into a plan (risks, KPIs, measurements …) or the register (gifts, contacts).

People keep registers in Excel or export them as CSV. This module reads such a
file (CSV, or the cached values of an ``.xlsx`` sheet), matches its columns to
the model's fields (case- and space-insensitively, with common synonyms such
as "Probability" for likelihood), checks every row with the same rules as the
forms, and returns an :class:`ImportReport` that lists every accepted row,
every rejected row with its row number as the spreadsheet shows it (the header
is row 1, so the first data row is row 2) and the reason, the columns used
and the columns it did not know. Nothing is dropped without saying so.

A row refers to the plan's KPIs, partners, needs and rates the way people
know them: by id, name or external code, ignoring case and spaces
(:mod:`partnerlib.io.references`); a name the plan does not hold, or holds
twice, rejects the row and lists the names it knows.

:func:`import_table` writes to the workspace only when every row is valid,
unless ``keep_valid=True`` asks it to write the valid rows and leave the rest.
Importing the same file twice changes nothing: a measurement for a KPI, date
and group the plan already holds replaces that value, and a record whose name
(a risk's title; a contribution's party and description) matches one of the
plan's records updates it, keeping its id. The report counts both.

The organisation's register takes gifts and contacts the same way
(:func:`import_register`), from a donor system's export such as CiviCRM's: each
donor or employer is found in the register by name or email, or added to it,
and a gift with the same id (or donor, date and amount) is updated, not doubled.

What the reader accepts:

* UTF-8 CSV with or without a byte-order mark (Excel's "CSV UTF-8"), separated
  by commas, semicolons or tabs; any other encoding is refused with a message.
* ``.xlsx`` workbooks, read-only: formulas are never evaluated; a formula cell
  gives the value the spreadsheet program saved with it, and a formula with no
  saved value is a row error.
* Words for scores ("Likely", "Major"), numbers with thousands separators
  ("1,250.50", "1 250"), ISO dates (2026-03-31, with a time of day or without
  it); day-first dates (31/03/2026)
  only with ``dayfirst=True`` — without it such a date is a row error, since
  03/04/2026 could be either day.

Text that looks like a formula (``=``, ``+``, ``-``, ``@`` at the start) is kept
as plain text: it is never evaluated here, and the plan document neutralises
it when it writes a spreadsheet.

Measurements can run to a million rows, so they are checked column by column
with pandas, never one model per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import types
import typing
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

from pydantic import Field, ValidationError, field_validator

from ..core.formats import plural
from ..core.problems import (
    InvalidInput,
    PlanError,
    Problem,
    describe,
    render,
    rule_error,
)
from ..models import (
    REQUIRED_MEASUREMENT_COLUMNS,
    Candidate,
    Contribution,
    Gift,
    Kpi,
    Measurement,
    Organisation,
    Person,
    Plan,
    Record,
    Risk,
)
from ..models._base import Name, RequiredName
from ..models.shared import CurrencyCode, same_entry
from .references import Names, names_for

if TYPE_CHECKING:
    import pandas as pd

    from .store import Snapshot, Workspace

__all__ = [
    "COLUMN_SYNONYMS",
    "ImportReport",
    "REGISTER_KINDS",
    "RejectedRow",
    "TABLE_KINDS",
    "import_register",
    "import_table",
    "measurements_frame",
    "read_table",
]

#: The kinds of table that can be imported into a plan.
TABLE_KINDS = ("candidates", "contributions", "kpis", "measurements", "risks")
#: The kinds of table that can be imported into the register, shared by every plan.
REGISTER_KINDS = ("contacts", "gifts")

#: Column names understood besides the model's own field names, per kind
#: (compared case- and space-insensitively; ``_`` and ``-`` count as spaces).
COLUMN_SYNONYMS: dict[str, dict[str, str]] = {
    "candidates": {
        "candidate": "name", "partner": "name", "partner name": "name", "organisation": "name",
        "organization": "name", "organisation name": "name", "organization name": "name",
        "candidate id": "id", "need id": "need", "type": "kind", "organisation type": "kind",
        "organization type": "kind", "contact person": "contact", "objectives": "goals",
        "stage": "status", "check in": "cadence", "check ins": "cadence",
        "check in frequency": "cadence", "organization id": "organisation_id",
    },
    "risks": {
        "risk": "title", "risk name": "title", "risk title": "title", "risk id": "id",
        "risk category": "category", "type": "category", "risk owner": "owner",
        "probability": "likelihood", "inherent likelihood": "likelihood",
        "inherent probability": "likelihood", "severity": "impact", "consequence": "impact",
        "inherent impact": "impact", "response": "mitigation", "treatment": "mitigation",
        "mitigation plan": "mitigation", "residual probability": "residual_likelihood",
        "residual severity": "residual_impact", "residual consequence": "residual_impact",
        "last reviewed": "reviewed", "review date": "reviewed", "date reviewed": "reviewed",
    },
    "kpis": {
        "indicator": "name", "kpi": "name", "kpi name": "name", "indicator name": "name",
        "kpi id": "id", "indicator id": "id", "baseline value": "baseline",
        "target value": "target", "deadline": "target_date", "how often": "frequency",
        "disaggregated by": "disaggregation", "breakdown": "disaggregation",
        "responsible": "owner", "reported by": "owner",
    },
    "measurements": {
        "indicator": "kpi", "kpi id": "kpi", "indicator id": "kpi", "period": "date",
        "reporting date": "date", "actual": "value", "result": "value", "measurement": "value",
        "disaggregation": "group", "disaggregation group": "group", "data source": "source",
    },
    "contributions": {
        "partner": "party", "partner id": "party", "contributor": "party", "party id": "party",
        "contribution id": "id", "resource": "type", "resource type": "type",
        "contribution": "description", "what": "description", "cash or in kind": "form",
        "value": "amount", "rate id": "rate",
    },
    # CiviCRM's contribution export (its column titles), and the words of other donor systems
    "gifts": {
        "contribution id": "id", "gift id": "id", "donation id": "id",
        "contact name": "donor", "display name": "donor", "donor name": "donor", "name": "donor",
        "contributor": "donor", "email address": "email", "contact type": "donor_kind",
        "date received": "date", "received date": "date", "receive date": "date",
        "contribution date": "date", "gift date": "date", "donation date": "date",
        "total amount": "amount", "gift amount": "amount", "donation amount": "amount",
        "financial type": "kind", "gift type": "kind", "contribution status": "status",
        "contribution source": "designation", "source": "designation", "fund": "designation",
        "purpose": "designation",
    },
    # CiviCRM's contact export (its column titles)
    "contacts": {
        "contact name": "name", "display name": "name", "full name": "name",
        "email address": "email", "current employer": "organisation", "employer": "organisation",
        "organization": "organisation", "job title": "role", "position": "role",
        "last contact": "last_contacted", "last contacted date": "last_contacted",
        "contact type": "contact_kind", "url": "website",
    },
}

#: CiviCRM's contact types, and plain words, as a donor or contact of the register.
_CONTACT_TYPES = {"individual": "person", "household": "person", "organization": "organisation"}
#: Financial types (CiviCRM's, and other donor systems') for gifts in kind and pledges;
#: every other financial type (Donation, Member Dues, Event Fee …) is money given: cash.
_GIFT_KINDS = {"in kind": "in kind", "inkind": "in kind", "gift in kind": "in kind", "pledge": "pledge"}
#: Contribution statuses (CiviCRM's) of gifts received or still expected; any other
#: (Cancelled, Failed, Refunded, Chargeback …) is not a gift and rejects its row.
_GIFT_STATUSES = {
    "completed": "received", "received": "received", "paid": "received",
    "pending": "expected", "in progress": "expected", "overdue": "expected", "partially paid": "expected",
    "expected": "expected",
}


def _word(value: Any) -> Any:
    """A cell's text as looked up in the tables of words above: lower case, single spaces."""
    return " ".join(value.replace("-", " ").casefold().split()) if isinstance(value, str) else value


class _GiftRow(Gift):
    """One row of a gifts file, such as a CiviCRM contribution export: a gift, its donor as people name them.

    The donor is matched to the register by name or email on import (and added to
    it when new); whoever imports chooses the SSU plan. The financial type gives
    the kind, the contribution status whether it is received or expected.
    """

    donor: RequiredName = Field(..., description="The donor's name, as the file writes it.")
    plan: Name = Field("", description="Chosen by whoever imports.")
    currency: CurrencyCode = Field("", description="The amount's currency (default: the plan's).")
    email: Name = Field("", description="The donor's email address, to find them in the register.")
    donor_kind: Literal["person", "organisation"] = Field("person", description="A person or an organisation.")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_from_financial_type(cls, value: Any) -> Any:
        return _GIFT_KINDS.get(_word(value), "cash") if isinstance(value, str) else value

    @field_validator("status", mode="before")
    @classmethod
    def _received_or_expected(cls, value: Any) -> Any:
        if isinstance(value, str) and _word(value) not in _GIFT_STATUSES:
            raise rule_error("not_a_gift_status", field="status", got=value)
        return _GIFT_STATUSES[_word(value)] if isinstance(value, str) else value

    @field_validator("donor_kind", mode="before")
    @classmethod
    def _person_or_organisation(cls, value: Any) -> Any:
        return _CONTACT_TYPES.get(_word(value), _word(value))


class _ContactRow(Person):
    """One row of a contacts file, such as a CiviCRM contact export: a person, or an organisation.

    A person's organisation is named, and found in the register (or added to it).
    """

    organisation: Name = Field("", description="The name of their organisation.")
    contact_kind: Literal["person", "organisation"] = Field("person", description="A person or an organisation.")
    website: Name = Field("", description="An organisation's website.")

    @field_validator("contact_kind", mode="before")
    @classmethod
    def _person_or_organisation(cls, value: Any) -> Any:
        return _CONTACT_TYPES.get(_word(value), _word(value))


class _Kind(NamedTuple):
    model: type[Record]
    section: str  # the plan section holding the table
    table: str  # the list field of that section
    required: tuple[str, ...]  # columns the file must have


_KINDS: dict[str, _Kind] = {
    "candidates": _Kind(Candidate, "partners", "candidates", ("name",)),
    "contributions": _Kind(Contribution, "resources", "contributions", ("party",)),
    "kpis": _Kind(Kpi, "monitoring", "kpis", ("name",)),
    "measurements": _Kind(Measurement, "monitoring", "", REQUIRED_MEASUREMENT_COLUMNS),
    "risks": _Kind(Risk, "risks", "risks", ("title",)),
    # the register's: no plan section
    "contacts": _Kind(_ContactRow, "", "", ("name",)),
    "gifts": _Kind(_GiftRow, "", "", ("donor", "date", "amount")),
}

_ROWS_SHOWN = 20
#: An ISO date, perhaps with a time of day as donor systems write it (CiviCRM: 2026-03-14 10:32:17),
#: which is left out: a gift or a measurement is for a day.
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_GROUPED_NUMBER = r"[+-]?\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?"
_RECORD_ID = r"[A-Za-z0-9_-]+"


class RejectedRow(NamedTuple):
    """A row of the file that was not imported.

    Attributes:
        row: the row number the spreadsheet shows (the header is row 1).
        reason: every rule the row breaks, in words, separated by "; ".
        problems: the same as data: each rule's code and context.
    """

    row: int
    reason: str
    problems: tuple[Problem, ...] = ()

    def __str__(self) -> str:
        if self.problems and self.problems[0].field:
            return f"row {self.row}, {self.reason}"  # row 3, column 'Likelihood': must be …
        return f"row {self.row}: {self.reason}"


@dataclass
class ImportReport:
    """What an import found: the rows accepted, the rows rejected and why, the columns used.

    Attributes:
        kind: the kind of table (one of :data:`TABLE_KINDS`).
        file: the file's name.
        accepted: the valid rows, as models (a DataFrame with columns kpi,
            date, value, group, source for measurements).
        rejected: the rows refused, each with its spreadsheet row number and reason.
        columns: how the file's columns were read, column header → field.
        unknown_columns: the file's columns that match no field (not imported).
        written: rows written to the workspace (added plus updated), or None
            when nothing was attempted (``read_table`` only checks).
        added: rows written as new records or measurements.
        updated: rows that replaced a record or measurement already in the plan.
        accepted_rows: the spreadsheet row number of each accepted record (for
            measurements, the accepted DataFrame's index holds them).
        new_entries: the names an import of gifts or contacts added to the register.
    """

    kind: str
    file: str
    accepted: list[Record] | pd.DataFrame
    rejected: list[RejectedRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    written: int | None = None
    accepted_rows: list[int] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    new_entries: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row of the file is valid."""
        return not self.rejected

    def __str__(self) -> str:
        count = len(self.accepted)
        lines = [
            f"{self.file} as {self.kind}: {plural(count + len(self.rejected), 'row')} read, "
            f"{count:,} valid, {len(self.rejected):,} rejected."
        ]
        if self.written is not None:
            if self.written or count == 0 and not self.rejected:
                what = plural(self.updated or self.added, _ONE[self.kind], _MANY[self.kind])
                where = "the register" if self.kind in REGISTER_KINDS else "the plan"
                lines.append(
                    f"Written to {where}: {what} updated, {self.added:,} added." if self.updated
                    else f"Written to {where}: {what} added."
                )
                if self.new_entries:
                    lines.append("New in the register (check none is a misspelling of a name already there): "
                                 + ", ".join(self.new_entries))
            else:
                lines.append(
                    "Nothing was written: fix the rows below and import again, or import with "
                    "the option to keep the valid rows (--keep-valid) to write those."
                )
        lines.append("Columns: " + ", ".join(f"{k} → {v}" for k, v in self.columns.items()))
        if self.unknown_columns:
            lines.append("Not imported (no such field): " + ", ".join(self.unknown_columns))
        if self.rejected:
            lines.append("Rejected rows:")
            lines += [f"  {row}" for row in self.rejected[:_ROWS_SHOWN]]
            if len(self.rejected) > _ROWS_SHOWN:
                more = len(self.rejected) - _ROWS_SHOWN
                lines.append(f"  … and {more:,} more (all are in report.rejected)")
        return "\n".join(lines)


#: What one row of each kind is called, in messages.
_ONE = {"candidates": "candidate", "contributions": "contribution", "kpis": "KPI",
        "measurements": "measurement", "risks": "risk", "contacts": "contact", "gifts": "gift"}
_MANY = {"kpis": "KPIs"} | {k: v + "s" for k, v in _ONE.items() if k != "kpis"}


def _rejected(report: ImportReport, found: dict[int, list[Problem]]) -> list[RejectedRow]:
    """The rejected rows, in row order, each problem named by the file's own column heading.

    >>> report = ImportReport("risks", "risks.csv", [], columns={"Probability": "likelihood"})
    >>> problem = Problem((), "between", {"field": "likelihood", "ge": 1, "le": 5, "got": 9})
    >>> str(_rejected(report, {3: [problem]})[0])
    "row 3, column 'Probability': must be between 1 and 5 (got 9)"
    """
    headings = {name: heading for heading, name in report.columns.items()}

    def column(field: str) -> str:
        return f"column {headings[field]!r}:" if field in headings else f"'{field}'"

    said: dict[int, str] = {}  # many rows share one problem (one per distinct value): each is worded once
    rows = []
    for row in sorted(found):
        problems = tuple(found[row])
        words = [said[id(p)] if id(p) in said else said.setdefault(id(p), render(p, label=column))
                 for p in problems]
        rows.append(RejectedRow(row, "; ".join(words), problems))
    return rows


# ---------------------------------------------------------------- reading files


class _Table(NamedTuple):
    header: list[str]
    cells: pd.DataFrame  # columns are header positions; every cell is text
    rows: Any  # numpy array: the spreadsheet row number of each frame row
    errors: dict[int, list[Problem]]  # spreadsheet row → problems found while reading


def _key(text: str) -> str:
    """Normalise a column name for matching: lower case, single spaces, no '_' or '-'."""
    return " ".join(re.sub(r"[_\-]+", " ", str(text)).lower().split())


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _csv_header(path: Path) -> tuple[list[str], str]:
    """Read the header line of a CSV file and guess its separator."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
            handle.read(1 << 16)  # check a first stretch of the file is UTF-8 too
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from None
    separator = max((",", ";", "\t"), key=first.count)
    header = next(csv.reader([first], delimiter=separator), [])
    return header, separator


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> PlanError:
    return PlanError(
        f"{path.name} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position "
        f"{exc.start:,} cannot be read): save it as 'CSV UTF-8' and import it again"
    )


def _read_csv(path: Path, text_columns: Callable[[list[str]], dict[int, str]]) -> _Table:
    import numpy as np
    import pandas as pd

    header, separator = _csv_header(path)
    if not any(h.strip() for h in header):
        raise PlanError(f"{path.name} is empty: the first row must name the columns")
    text = text_columns(header)
    try:
        with warnings.catch_warnings():
            # pandas only warns when the first data row is longer than the header
            warnings.simplefilter("error", pd.errors.ParserWarning)
            cells = pd.read_csv(
                path, sep=separator, header=None, skiprows=1, names=list(range(len(header))),
                dtype=text, keep_default_na=False,
                na_values=[], skip_blank_lines=False, encoding="utf-8-sig", index_col=False,
            )
    except pd.errors.ParserWarning:
        raise PlanError(
            f"{path.name} row 2 has more cells than the header names columns "
            "(a separator inside a value must be in quotes)"
        ) from None
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from None
    except pd.errors.ParserError as exc:
        longer = _first_long_row(path, separator, len(header))
        if longer is not None:
            line, saw = longer
            raise PlanError(
                f"{path.name} row {line} has {saw} cells but the header names {len(header)} columns "
                "(a separator inside a value must be in quotes)"
            ) from None
        raise PlanError(f"{path.name} cannot be read as CSV: {exc}") from None
    except pd.errors.EmptyDataError:
        cells = pd.DataFrame({i: pd.Series([], dtype=str) for i in range(len(header))})
    rows = np.arange(2, len(cells) + 2)
    return _Table(header, cells, rows, {})


def _first_long_row(path: Path, separator: str, width: int) -> tuple[int, int] | None:
    """Find the first row with more cells than the header names: (its row number, its cells)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, cells in enumerate(csv.reader(handle, delimiter=separator), start=1):
            if len(cells) > width:
                return number, len(cells)
    return None


def _cell_text(value: Any) -> str:
    """Write one xlsx cell value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, sheet: str | int | None) -> _Table:
    import numpy as np
    import pandas as pd
    from openpyxl import load_workbook

    def open_sheet(data_only: bool) -> Any:
        try:
            book = load_workbook(path, read_only=True, data_only=data_only)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise PlanError(f"{path.name} cannot be read as an .xlsx workbook ({exc})") from None
        names = book.sheetnames
        if sheet is None:
            return book, book[names[0]]
        if sheet in names:
            return book, book[sheet]
        position = int(sheet) if isinstance(sheet, int) or str(sheet).isdigit() else -1
        if 0 <= position < len(names):
            return book, book[names[position]]
        book.close()
        raise PlanError(f"{path.name} has no sheet {sheet!r} (it has {', '.join(map(repr, names))})")

    values_book, values = open_sheet(True)
    formulas_book, formulas = open_sheet(False)
    help_row = _help_row(values_book, values.title)
    header: list[str] | None = None
    body: list[list[str]] = []
    numbers: list[int] = []  # each body row's number in the sheet
    errors: dict[int, list[Problem]] = {}
    try:
        pairs = zip(
            values.iter_rows(min_row=1, min_col=1, values_only=True),
            formulas.iter_rows(min_row=1, min_col=1, values_only=True),
            strict=False,
        )
        for number, (row, written) in enumerate(pairs, start=1):
            if number == help_row:  # a partnerlib template's help under the headings
                continue
            cells = [_cell_text(v) for v in row]
            for position, (value, formula) in enumerate(zip(row, written, strict=False)):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    where = header[position] if header and position < len(header) else _column_letter(position)
                    errors.setdefault(number, []).append(Problem((), "formula_without_value", {"column": where}))
            if header is None:
                if any(cells):
                    header = cells
                continue
            body.append(cells)
            numbers.append(number)
    finally:
        values_book.close()
        formulas_book.close()
    if header is None:
        raise PlanError(f"{path.name} is empty: the first row must name the columns")
    width = max([len(header), *map(len, body)])
    header = header + [""] * (width - len(header))  # a value beyond the header is reported, not cut
    body = [cells + [""] * (width - len(cells)) for cells in body]
    cells = pd.DataFrame(body, columns=list(range(width)), dtype=str) if body else pd.DataFrame(
        {i: pd.Series([], dtype=str) for i in range(width)}
    )
    return _Table(header, cells, np.array(numbers, dtype=np.int64), errors)


def _help_row(book: Any, title: str) -> int | None:
    """The row of a partnerlib template's help on this sheet (see io.templates), if it is one."""
    named = book.defined_names.get("partnerlib_help_row")
    for sheet_title, cells in named.destinations if named is not None else ():
        if sheet_title == title and re.fullmatch(r"\$(\d+):\$\1", cells):
            return int(cells.split(":")[0][1:])
    return None


def _read(path: Path, sheet: str | int | None, text_columns: Callable[[list[str]], dict[int, str]]) -> _Table:
    if not path.is_file():
        raise PlanError(f"{path} does not exist (or is not a file)")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, text_columns)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise PlanError(
        f"{path.name}: only .csv and .xlsx files can be imported (save an .xls or .ods file as .xlsx)"
    )


# ---------------------------------------------------------------- columns


def _column_map(
    kind: str, header: list[str], cells: pd.DataFrame | None, columns: dict[str, str] | None = None
) -> tuple[dict[int, str], list[str]]:
    """Match the header to fields: position → field, plus the unknown columns' names.

    ``columns`` (heading → field) says what a column holds when its heading does
    not: ``{"Site": "group"}``; it takes precedence over the headings' own meaning.
    """
    model = _KINDS[kind].model
    chosen = {_key(heading): name for heading, name in (columns or {}).items()}
    problems = [
        Problem((), "not_a_field_of", {"field": name, "many": _MANY[kind], "choices": list(model.model_fields)})
        for name in chosen.values() if name not in model.model_fields
    ]
    found = ", ".join(repr(h.strip()) for h in header if h.strip()) or "none"
    problems += [
        Problem((), "no_such_column", {"heading": heading, "what": _field_words(kind, name), "found": found})
        for heading, name in (columns or {}).items() if _key(heading) not in map(_key, header)
    ]
    known = {_key(name): name for name in model.model_fields} | {
        _key(k): v for k, v in COLUMN_SYNONYMS[kind].items()
    }
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for position, name in enumerate(header):
        if not str(name).strip():
            if cells is None or (cells[position].astype(str).str.strip() != "").any():
                unknown.append(f"(column {_column_letter(position)} has no header)")
            continue
        if _key(name) in chosen:
            mapping[position] = chosen[_key(name)]
        elif _key(name) in known and known[_key(name)] not in chosen.values():
            mapping[position] = known[_key(name)]
        else:
            unknown.append(str(name).strip())
    seen: dict[str, int] = {}
    for position, name in mapping.items():
        if name in seen:
            first = header[seen[name]].strip()
            problems.append(Problem((), "duplicate_columns", {
                "first": first, "second": header[position].strip(), "what": _field_words(kind, name)}))
        seen.setdefault(name, position)
    for name in _KINDS[kind].required:
        if name not in seen:
            problems.append(Problem((), "missing_column", {
                "what": _field_words(kind, name), "choices": _or(_headings(kind, name)), "found": found}))
    if problems:
        raise InvalidInput(problems, f"cannot import {kind}")
    return mapping, unknown


def _field_words(kind: str, name: str) -> str:
    """Say what a field holds: ``the risk's title``."""
    words = {"kpi": "KPI", "id": "id", "party": "party (the partner's id)"}.get(name, name.replace("_", " "))
    return f"the {_ONE[kind]}'s {words}"


def _headings(kind: str, name: str) -> list[str]:
    """The column headings read as one field, as a person would type them: 'Title', 'Risk', 'Risk name'."""
    def typed(text: str) -> str:
        text = " ".join(("KPI" if word == "kpi" else word) for word in text.replace("_", " ").split())
        return text[:1].upper() + text[1:]

    return [typed(name)] + [typed(s) for s, field_name in COLUMN_SYNONYMS[kind].items() if field_name == name]


def _or(choices: list[str]) -> str:
    """``'A'``, ``'A' or 'B'``, ``'A', 'B' or 'C'``."""
    quoted = [repr(c) for c in choices]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _field_type(model: type[Record], name: str) -> Any:
    """Return a field's type without None and Annotated: int, float, dt.date, bool, str or a Literal."""
    annotation = model.model_fields[name].annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


# ---------------------------------------------------------------- cell checks


def _date_from_text(text: str, field_name: str, dayfirst: bool) -> dt.date | Problem:
    """Read a date written as ISO (2026-03-31) or, with dayfirst, as 31/03/2026; else the problem."""
    iso = _ISO_DATE.fullmatch(text)
    day_first = None if iso else _DAY_FIRST.fullmatch(text)
    if iso:
        year, month, day = map(int, iso.groups())
    elif day_first and dayfirst:
        day, month, year = map(int, day_first.groups())
    elif day_first:
        return Problem((), "ambiguous_date", {"field": field_name, "got": text})
    else:
        return Problem((), "date_parsing", {"field": field_name, "got": text})
    try:
        return dt.date(year, month, day)
    except ValueError:
        return Problem((), "not_a_real_date", {"field": field_name, "got": text})


def _number_or_text(text: str) -> Any:
    """Turn '9' into 9 and '2.5' into 2.5 so messages show numbers; leave words as they are."""
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def _text(series: pd.Series) -> pd.Series:
    """Every cell as stripped text ('' for missing); for the small tables."""
    return series.fillna("").astype(str).str.strip()


def _ungroup(text: pd.Series) -> pd.Series:
    """Remove thousands separators from numbers written like 1,250.50 or 1 250."""
    grouped = text.str.fullmatch(_GROUPED_NUMBER)
    if grouped.any():
        text = text.copy()
        text[grouped] = text[grouped].str.replace(r"[,\u00a0\u202f ]", "", regex=True)
    return text


class _Coded(NamedTuple):
    """A column as codes into its distinct values: ``texts[codes]`` is every cell's stripped text."""

    codes: Any  # numpy int array; -1 (the last text, '') for a missing cell
    texts: Any  # numpy object array of distinct stripped texts, then ''


def _coded(series: pd.Series) -> _Coded:
    """Factorise a column so each distinct value is looked at once, however many rows there are."""
    import numpy as np
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, uniques = series.cat.codes.to_numpy(), series.cat.categories
    else:
        codes, uniques = pd.factorize(series)
    texts = [_cell_text(u) if not isinstance(u, str) else u for u in uniques]
    return _Coded(codes, np.array([t.strip() for t in texts] + [""], dtype=object))


def _checked(column: _Coded, check: Callable[[str], Problem | None]) -> tuple[Any, Callable[[], Any]]:
    """Run a check on each distinct text: the bad rows, and how to get every row's problem."""
    import numpy as np

    found = _objects([check(t) for t in column.texts])
    return np.not_equal(found, np.array(None))[column.codes], lambda: found[column.codes]


def _objects(items: list[Any]) -> Any:
    """A NumPy object array holding each item as it is (a Problem or a list stays one cell)."""
    import numpy as np

    array = np.empty(len(items), dtype=object)
    for position, item in enumerate(items):
        array[position] = item
    return array


def _join(checks: list[tuple[Any, Callable[[], Any]]], length: int) -> dict[int, list[Problem]]:
    """Gather the problems of several checks per bad row (by position), looking only at bad rows."""
    import numpy as np

    joined: dict[int, list[Problem]] = {}
    for bad, problems in checks:
        rows = np.flatnonzero(bad)
        if len(rows):
            for row, problem in zip(rows.tolist(), problems()[rows], strict=True):
                joined.setdefault(row, []).append(problem)
    return joined


def _text_rule(name: str, *, required: bool, max_length: int,
               pattern: str | None = None) -> Callable[[str], Problem | None]:
    compiled = re.compile(pattern) if pattern else None

    def check(value: str) -> Problem | None:
        if not value:
            return Problem((), "empty_cell", {"field": name}) if required else None
        if len(value) > max_length:
            return Problem((), "string_too_long", {"field": name, "max_length": max_length, "length": len(value)})
        if compiled and not compiled.fullmatch(value):
            return Problem((), "string_pattern_mismatch", {"field": name, "pattern": pattern, "got": value})
        return None

    return check


def _values(series: pd.Series) -> tuple[Any, Any, tuple[Any, Callable[[], Any]]]:
    """Read the value column as floats: the numbers, the empty cells, and the check.

    Plain numbers are converted in one pass; only the cells that fail it (empty,
    thousands separators, words) are looked at again as text.
    """
    import numpy as np
    import pandas as pd

    if series.dtype.kind in "biuf":
        value = series.to_numpy(dtype="float64", copy=True)
    else:
        value = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", copy=True)
    problems = np.full(len(value), None, dtype=object)
    empty = np.zeros(len(value), dtype=bool)
    again = ~np.isfinite(value)
    if again.any():
        text = series[again]
        text = text.astype(str) if text.dtype.kind in "biuf" else text.fillna("").astype(str).str.strip()
        numbers = pd.to_numeric(_ungroup(text), errors="coerce").to_numpy(dtype="float64")
        value[again] = numbers
        empty[again] = (text == "").to_numpy()
        problems[again] = _objects([
            _EMPTY_VALUE
            if not t
            else None
            if np.isfinite(n)
            else Problem((), "float_parsing", {"field": "value", "got": t})
            for t, n in zip(text, numbers, strict=True)
        ])
    return value, empty, (~np.isfinite(value), lambda: problems)


_EMPTY_VALUE = Problem((), "empty_cell", {"field": "value"})


def measurements_frame(
    frame: pd.DataFrame, *, dayfirst: bool = False, source: str = ""
) -> tuple[pd.DataFrame, pd.Series]:
    """Check raw measurements column by column: the clean rows and a problem text per bad row.

    The same rules as the ``Measurement`` model (a KPI id of letters, digits,
    '-' and '_'; a real date; a finite number; group and source up to 200
    characters), applied to whole columns at once: each distinct text is
    looked at once, so a million rows take about a second.

    >>> import pandas as pd
    >>> clean, problems = measurements_frame(pd.DataFrame(
    ...     {"kpi": ["k1", "k1"], "date": ["2026-01-31", "31/01/2026"], "value": ["1,250.5", "x"]}))
    >>> clean.to_dict("records")
    [{'kpi': 'k1', 'date': Timestamp('2026-01-31 00:00:00'), 'value': 1250.5, 'group': '', 'source': ''}]
    >>> problems.index.tolist(), [[p.code for p in found] for found in problems]
    ([1], [['ambiguous_date', 'float_parsing']])

    Args:
        frame: columns ``kpi``, ``date``, ``value`` and optionally ``group`` and
            ``source``; cells as text or numbers (missing ``group``/``source``
            columns are empty).
        dayfirst: read dates like 31/03/2026 as day-first (otherwise refused as ambiguous).
        source: the source of rows whose ``source`` is empty or missing.

    Returns:
        The valid rows (columns kpi, date as datetime64, value as float,
        group, source; the input's index kept), and each bad row's problems
        (a list of :class:`~partnerlib.core.problems.Problem`, each naming its
        column as ``field``), indexed like the input.
    """
    clean, problems, _ = _check_measurements(frame, dayfirst=dayfirst, source=source)
    return clean, problems


def _check_measurements(
    frame: pd.DataFrame, *, dayfirst: bool, source: str, kpis: Names | None | Literal["any"] = None
) -> tuple[pd.DataFrame, pd.Series, Any]:
    """The work of :func:`measurements_frame`, also returning which rows are entirely blank.

    ``kpis`` says how the ``kpi`` column names a KPI: None, by its id (letters,
    digits, '-' and '_'); the plan's KPIs, by id, name or code, each turned into
    the id; "any", by any name (checked against a plan later).
    """
    import numpy as np
    import pandas as pd

    length = len(frame)
    missing = [c for c in REQUIRED_MEASUREMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise InvalidInput([Problem((), "missing", {"field": c}) for c in missing], "measurements")
    kpi = _coded(frame["kpi"])
    if isinstance(kpis, Names):
        found = [kpis.find(t, "kpi") if t else None for t in kpi.texts]
        kpi = _Coded(kpi.codes, np.array([f.id if f else "" for f in found], dtype=object))
        reasons = _objects([Problem((), "empty_cell", {"field": "kpi"}) if f is None else f.problem
                            for f in found])
        checks = [(np.not_equal(reasons, cast(Any, None))[kpi.codes], lambda: reasons[kpi.codes])]
    else:
        pattern = _RECORD_ID if kpis is None else None
        checks = [_checked(kpi, _text_rule("kpi", required=True, max_length=200 if pattern is None else 64,
                                           pattern=pattern))]

    dates = _coded(frame["date"])
    parsed = [_date_from_text(t, "date", dayfirst) if t else Problem((), "empty_cell", {"field": "date"})
              for t in dates.texts]
    date_problems = _objects([p if isinstance(p, Problem) else None for p in parsed])
    days = np.array(
        [np.datetime64(p, "D") if isinstance(p, dt.date) else np.datetime64("NaT") for p in parsed],
        dtype="datetime64[D]",
    )[dates.codes]
    checks.append((np.not_equal(date_problems, np.array(None))[dates.codes], lambda: date_problems[dates.codes]))

    value, empty, value_check = _values(frame["value"])
    checks.append(value_check)
    blank = (kpi.texts == "")[kpi.codes] & (dates.texts == "")[dates.codes] & empty

    texts = {}
    for name in ("group", "source"):
        if name in frame.columns:
            column = _coded(frame[name])
            blank &= (column.texts == "")[column.codes]
        else:
            column = _Coded(np.full(length, -1), np.array([""], dtype=object))
        if name == "source" and source:
            column = _Coded(column.codes, np.array([t or source for t in column.texts], dtype=object))
        checks.append(_checked(column, _text_rule(name, required=False, max_length=200)))
        texts[name] = column

    failed = np.zeros(length, dtype=bool)
    for found, _ in checks:
        failed |= found
    ok = ~failed & ~blank
    bad = failed & ~blank
    clean = pd.DataFrame(
        {
            "kpi": kpi.texts[kpi.codes[ok]],
            "date": days[ok].astype("datetime64[ns]"),
            "value": value[ok],
            "group": texts["group"].texts[texts["group"].codes[ok]],
            "source": texts["source"].texts[texts["source"].codes[ok]],
        },
        index=frame.index[ok],
        dtype=None,
    )
    joined = _join(checks, length) if bad.any() else {}
    rows = np.flatnonzero(bad)
    problems = pd.Series(_objects([joined[row] for row in rows.tolist()]), index=frame.index[bad], dtype=object)
    return clean, problems, blank


def _blank(series: pd.Series) -> Any:
    """Mask of the empty cells of a column."""
    if series.dtype.kind in "biuf":
        return series.isna().to_numpy()
    coded = _coded(series)
    return (coded.texts == "")[coded.codes]


# ---------------------------------------------------------------- reading a table


def read_table(
    path: str | Path,
    kind: str,
    *,
    dayfirst: bool = False,
    sheet: str | int | None = None,
    plan: Plan | None = None,
    columns: dict[str, str] | None = None,
) -> ImportReport:
    """Read and check one table from a CSV or xlsx file, without writing anything.

    Columns are matched to the model's fields case- and space-insensitively,
    with the synonyms of :data:`COLUMN_SYNONYMS`; every row is checked with the
    model's rules. Empty rows are skipped; empty cells take the field's default.

    Args:
        path: a ``.csv`` (UTF-8, with or without BOM) or ``.xlsx`` file.
        kind: one of :data:`TABLE_KINDS` or :data:`REGISTER_KINDS`.
        dayfirst: read dates like 31/03/2026 as day-first (otherwise they are
            refused as ambiguous).
        sheet: the xlsx sheet's name or 0-based position (default: the first).
        plan: the plan the rows refer to. With it, a cell naming a KPI, a
            partner, a need or a rate may give the record's id, name or external
            code, ignoring case and spaces, and is read as the id; a name the
            plan does not hold, or holds twice, rejects the row. Without it,
            such names are only checked for length.
        columns: what columns hold when their headings do not say it,
            heading → field: ``{"Site": "group"}``.

    Returns:
        The report: accepted rows, rejected rows with row numbers and reasons,
        the column mapping and unknown columns.

    Raises:
        PlanError: the file cannot be read, or lacks a required column
            (InvalidInput names it).
    """
    if kind not in _KINDS:
        raise PlanError(f"unknown kind of table {kind!r}: choose one of {', '.join(TABLE_KINDS + REGISTER_KINDS)}")
    path = Path(path)

    def text_columns(header: list[str]) -> dict[int, str]:
        """The dtype of each column but a measurement value: text, or categories for measurements."""
        if kind != "measurements":
            return dict.fromkeys(range(len(header)), "str")
        mapping, _ = _column_map(kind, header, None, columns)
        # Read as categories, each distinct text is hashed once, while parsing.
        return {p: "category" for p in range(len(header)) if mapping.get(p) != "value"}

    table = _read(path, sheet, text_columns)
    mapping, unknown = _column_map(kind, table.header, table.cells, columns)
    used = {table.header[p].strip(): name for p, name in mapping.items()}
    report = ImportReport(kind, path.name, [], columns=used, unknown_columns=unknown)
    names = names_for(_KINDS[kind].model, plan) if plan else {}
    if kind == "measurements":
        _read_measurements(table, mapping, report, dayfirst=dayfirst, source=path.name,
                           kpis=names.get("kpi", "any"))
    else:
        _read_records(table, mapping, report, dayfirst=dayfirst, names=names)
    return report


def _non_blank(table: _Table) -> Any:
    """Mask of the rows with anything in them (in any column, known or not)."""
    import numpy as np

    filled = np.isin(table.rows, list(table.errors))
    for position in table.cells.columns:
        filled |= ~_blank(table.cells[position])
    return filled


def _read_measurements(
    table: _Table, mapping: dict[int, str], report: ImportReport, *, dayfirst: bool, source: str,
    kpis: Names | Literal["any"],
) -> None:
    import numpy as np
    import pandas as pd

    frame = table.cells[list(mapping)].rename(columns=mapping)
    frame.index = table.rows
    clean, problems, blank = _check_measurements(
        frame, dayfirst=dayfirst, source="" if "source" in mapping.values() else source, kpis=kpis
    )
    others = [p for p in table.cells.columns if p not in mapping]
    if others:  # a row with text only in unknown columns is not blank: say it was not imported
        filled = blank & ~np.all([_blank(table.cells[p]) for p in others], axis=0)
        only = [Problem((), "only_unknown_columns")]
        problems = pd.concat([problems, pd.Series(_objects([only] * int(filled.sum())), index=frame.index[filled])])
    reasons = {int(r): list(p) for r, p in problems.items()}
    for row, found in table.errors.items():
        reasons.setdefault(row, []).extend(found)
    if table.errors:
        clean = clean.loc[~clean.index.isin(list(table.errors))]
    for row, problem in _repeated_measurements(clean).items():
        reasons.setdefault(row, []).append(problem)
    clean = clean.loc[~clean.index.isin(list(reasons))]
    report.rejected = _rejected(report, reasons)
    clean.index.name = "row"
    report.accepted = clean


def _repeated_measurements(clean: pd.DataFrame) -> dict[int, Problem]:
    """Rows giving a second value for the same KPI, date and group, each naming the other rows.

    A KPI has one value per date and group, and the file cannot say which of
    two is right, so all of them are rejected.
    """
    key = ["kpi", "date", "group"]
    repeated = clean.loc[clean.duplicated(key, keep=False), key]  # usually none: no loop
    found: dict[int, Problem] = {}
    for (kpi, date, group), rows in repeated.groupby(key, sort=False).groups.items():
        numbers = [int(r) for r in rows]
        code = ("repeated_group_measurement" if group else "repeated_measurement") + (
            "_rows" if len(numbers) > 2 else "")
        for row in numbers:
            others = [r for r in numbers if r != row]
            found[row] = Problem((), code, {"kpi": kpi, "date": f"{date:%Y-%m-%d}", "group": group, "rows": others})
    return found


def _read_records(
    table: _Table, mapping: dict[int, str], report: ImportReport, *, dayfirst: bool, names: dict[str, Names]
) -> None:
    import pandas as pd

    model, _, _, required = _KINDS[report.kind]
    keep = _non_blank(table)
    cells = table.cells.loc[keep]
    rows = table.rows[keep]
    values: dict[str, list[Any]] = {}
    cell_errors: dict[str, list[Problem | None]] = {}
    for position, name in mapping.items():
        text = _text(cells[position]).reset_index(drop=True)
        kind = _field_type(model, name)
        errors: list[Problem | None] = [None] * len(text)
        if kind in (int, float):
            text = _ungroup(text).map(_number_or_text)
        elif kind is dt.date:
            parsed = [_date_from_text(t, name, dayfirst) if t else "" for t in text]
            errors = [p if isinstance(p, Problem) else None for p in parsed]
            text = pd.Series([p.isoformat() if isinstance(p, dt.date) else "" for p in parsed], dtype=object)
        elif typing.get_origin(kind) is Literal:
            choices = {_key(c): c for c in typing.get_args(kind)}
            text = text.map(lambda t, c=choices: c.get(_key(t), t))
        elif name in names:  # a reference, by id, name or code: the id, or why not
            matches = {t: names[name].find(t, name) for t in set(text) if t}
            errors = [matches[t].problem if t else None for t in text]
            text = pd.Series([matches[t].id if t else "" for t in text], dtype=object)
        values[name] = list(text)
        cell_errors[name] = errors
    accepted: list[Record] = []
    accepted_rows: list[int] = []
    rejected: dict[int, list[Problem]] = {}
    for index, row in enumerate(rows):
        found = list(table.errors.get(int(row), []))
        data = {}
        for name in values:
            problem = cell_errors[name][index]
            if problem is not None:
                found.append(problem)
            elif values[name][index] != "":
                data[name] = values[name][index]
            elif name in required:  # an empty cell would silently become the default
                found.append(Problem((), "empty_cell", {"field": name}))
        try:
            record = model.model_validate(data)
        except ValidationError as exc:
            found += describe(exc)
        if found:
            rejected[int(row)] = found
        else:
            accepted.append(record)
            accepted_rows.append(int(row))
    report.accepted = accepted
    report.accepted_rows = accepted_rows
    report.rejected = _rejected(report, rejected)


# ---------------------------------------------------------------- writing to a plan


def import_table(
    workspace: Workspace | str | os.PathLike[str],
    plan_name: str,
    path: str | Path,
    kind: str,
    *,
    dayfirst: bool = False,
    keep_valid: bool = False,
    mode: Literal["append", "replace"] = "append",
    author: str = "",
    sheet: str | int | None = None,
    columns: dict[str, str] | None = None,
) -> ImportReport:
    """Read a table from a spreadsheet and write it into a plan: all rows, or none.

    Besides the checks of :func:`read_table`, rows are checked against the
    plan: a measurement's KPI must be one of the plan's KPIs, a record's id
    and name must not be twice in the file, and a reference (a candidate's
    need, a contribution's party or rate) must point at a record of the plan.
    A reference may give the record's id, its name or its external code (a
    KPI's ``code``), ignoring case and spaces. By
    default nothing is written unless every row is valid; ``keep_valid=True``
    writes the valid rows and reports the others.

    When appending, nothing is doubled: a measurement for a KPI, date and
    group the plan holds replaces that value, and a row naming a record the
    plan holds (same id, or same name — a risk's title, a contribution's party
    and description — ignoring case and spaces) updates that record, keeping
    its id and changing only the values the row gives.

    Args:
        workspace: an open Workspace, or the path of a workspace file.
        plan_name: the plan to import into.
        path: the ``.csv`` or ``.xlsx`` file.
        kind: one of :data:`TABLE_KINDS`; or of :data:`REGISTER_KINDS`, then the
            rows go to the register as :func:`import_register` takes them (gifts for this plan).
        dayfirst: read dates like 31/03/2026 as day-first.
        keep_valid: write the valid rows even when some rows are rejected.
        mode: ``"append"`` adds the rows to the table; ``"replace"`` replaces
            the whole table (all measurements of the plan, for measurements).
        author: who imports (shown in the history).
        sheet: the xlsx sheet's name or 0-based position (default: the first).
        columns: what columns hold when their headings do not say it,
            heading → field: ``{"Site": "group"}``.

    Returns:
        The report, with ``written``, ``added`` and ``updated`` set.

    Raises:
        PlanError: the file cannot be read or lacks a required column, the plan
            does not exist, or the section as a whole breaks a rule (nothing
            is written then).
    """
    if mode not in ("append", "replace"):
        raise PlanError(f"mode must be 'append' or 'replace' (got {mode!r})")
    if kind in REGISTER_KINDS:  # the gifts are for this plan; contacts are everyone's
        if mode == "replace":
            raise PlanError(f"The register's {kind} are shared by every plan: an import adds and updates them, "
                            "it never replaces them all.")
        return import_register(workspace, path, kind, plan=plan_name, dayfirst=dayfirst, keep_valid=keep_valid,
                               author=author, sheet=sheet, columns=columns)
    from .store import opened_workspace

    ws, opened = opened_workspace(workspace, create=False)
    try:
        snapshot = ws.load(plan_name)
        report = read_table(path, kind, dayfirst=dayfirst, sheet=sheet, plan=snapshot.plan, columns=columns)
        targets: dict[int, int] = {}
        if kind != "measurements":
            current = getattr(getattr(snapshot.plan, _KINDS[kind].section), _KINDS[kind].table)
            current = [] if mode == "replace" else current
            targets = _check_records(report, current)
        report.written = 0
        if (report.rejected and not keep_valid) or not len(report.accepted):
            return report
        if kind == "measurements":
            write = ws.replace_measurements if mode == "replace" else ws.add_measurements
            report.added, report.updated = write(plan_name, report.accepted)
        else:
            _save_records(ws, snapshot, report, current, targets, author)
        report.written = report.added + report.updated
    finally:
        if opened:
            ws.close()
    return report


def _reject(report: ImportReport, extra: dict[int, list[Problem]]) -> None:
    """Move rows found bad against the plan from accepted to rejected."""
    if not extra:
        return
    found = {r.row: list(r.problems) for r in report.rejected}
    for row, problems in extra.items():
        found.setdefault(row, []).extend(problems)
    report.rejected = _rejected(report, found)
    if isinstance(report.accepted, list):
        keep = [i for i, row in enumerate(report.accepted_rows) if row not in extra]
        report.accepted = [report.accepted[i] for i in keep]
        report.accepted_rows = [report.accepted_rows[i] for i in keep]
    else:
        report.accepted = report.accepted.loc[~report.accepted.index.isin(list(extra))]


def _record_key(kind: str, record: Record, *, given: bool = False) -> tuple[str, ...] | None:
    """What names a record, ignoring case and spaces (None: it cannot be matched by name).

    With ``given``, only values the file gave count (a default is no name).
    """
    fields = ("party", "description") if kind == "contributions" else ("title",) if kind == "risks" else ("name",)
    if given and not set(fields) <= record.model_fields_set:
        return None
    key = tuple(" ".join(str(getattr(record, f) or "").casefold().split()) for f in fields)
    return None if not all(key) else key


def _check_records(report: ImportReport, current: list[Record]) -> dict[int, int]:
    """Check rows against the plan and each other; return row → position of the record it updates."""
    kind = report.kind
    same = "same_party_and_description" if kind == "contributions" else "same_title" if kind == "risks" else "same_name"
    extra: dict[int, list[Problem]] = {}
    by_id = {cast(Any, r).id: n for n, r in enumerate(current)}
    by_key = {key: n for n, r in enumerate(current) if (key := _record_key(kind, r)) is not None}
    targets: dict[int, int] = {}
    first_id: dict[str, int] = {}
    first_key: dict[tuple[str, ...], int] = {}
    first_target: dict[int, int] = {}
    for record, row in zip(report.accepted, report.accepted_rows, strict=True):
        given_id = "id" in record.model_fields_set
        key = _record_key(kind, record, given=True)
        if given_id and record.id in first_id:
            extra.setdefault(row, []).append(
                Problem((), "id_used_twice_in_file", {"field": "id", "got": record.id, "first": first_id[record.id]}))
        elif key is not None and key in first_key:
            extra.setdefault(row, []).append(Problem((), same, {"first": first_key[key]}))
        else:
            target = by_id.get(record.id) if given_id else None
            target = by_key.get(key) if target is None and key is not None else target
            if target is not None and target in first_target:
                extra.setdefault(row, []).append(
                    Problem((), "updates_same_record", {"record": _ONE[kind], "first": first_target[target]}))
            elif target is not None:
                targets[row] = target
                first_target[target] = row
        if given_id:
            first_id.setdefault(record.id, row)
        if key is not None:
            first_key.setdefault(key, row)
    _reject(report, extra)
    return {row: target for row, target in targets.items() if row not in extra}


def _save_records(
    ws: Workspace, snapshot: Snapshot, report: ImportReport, current: list[Record],
    targets: dict[int, int], author: str,
) -> None:
    """Write the accepted rows: updating the records they name, adding the others, in one save."""
    spec = _KINDS[report.kind]
    section = getattr(snapshot.plan, spec.section)
    rows = [r.model_dump() for r in current]
    added: list[dict[str, Any]] = []
    for record, row in zip(report.accepted, report.accepted_rows, strict=True):
        given = record.model_dump()
        if row in targets:
            position = targets[row]
            rows[position] |= {f: given[f] for f in record.model_fields_set if f != "id"}
        else:
            added.append(given)
    report.added, report.updated = len(added), len(report.accepted) - len(added)
    data = section.model_dump()
    data[spec.table] = rows + added
    try:
        value = type(section).model_validate(data)
    except ValidationError as exc:
        context = f"the {section.title} section would break a rule; nothing was written"
        raise InvalidInput(describe(exc), context) from None
    counts = f"{report.added} added, {report.updated} updated"
    ws.save_section(
        snapshot.name, spec.section, value, base=snapshot.revisions[spec.section], author=author,
        note=f"Imported {plural(len(report.accepted), _ONE[report.kind], _MANY[report.kind])} "
        f"from {report.file} ({counts})",
    )


# ---------------------------------------------------------------- writing to the register


def import_register(
    workspace: Workspace | str | os.PathLike[str],
    path: str | Path,
    kind: str,
    *,
    plan: str | None = None,
    dayfirst: bool = False,
    keep_valid: bool = False,
    author: str = "",
    sheet: str | int | None = None,
    columns: dict[str, str] | None = None,
) -> ImportReport:
    """Read gifts or contacts from a spreadsheet into the register: all rows, or none.

    The file is read and checked as :func:`read_table` reads any table; a
    CiviCRM export is understood as it is written (its column titles, its
    financial types and contribution statuses, its contact types).

    Gifts are for one SSU plan, chosen here. Each gift's donor is found in the
    register by the duplicate rules (the same name once normalised, or a
    person's same email), among organisations and people; a donor not there
    is added (a person, or an organisation when the file's contact type says
    so). A contribution status of Completed is received; Pending, In Progress
    or Overdue is expected; any other (Cancelled, Refunded …) rejects the row.
    A financial type of In Kind or Pledge gives that kind; any other is cash.
    The currency is the plan's when the file gives none.

    Contacts are people, or organisations when the file's contact type says
    so. A person's organisation is found in the register by name, or added.

    Importing the same file again updates instead of doubling: a gift with an
    id (a Contribution ID column) updates the gift of that id; one without
    updates this plan's gift from the same donor on the same date for the same
    amount. A contact updates the register's entry it duplicates, changing
    only the values the file gives (never its name; a last contact only moves
    later).

    Args:
        workspace: an open Workspace, or a workspace file or PostgreSQL URL.
        path: the ``.csv`` or ``.xlsx`` file.
        kind: ``"gifts"`` or ``"contacts"`` (see :data:`REGISTER_KINDS`).
        plan: the SSU plan the gifts are for (required for gifts).
        dayfirst: read dates like 31/03/2026 as day-first.
        keep_valid: write the valid rows even when some rows are rejected.
        author: who imports (shown in the history of plans a new name reaches).
        sheet: the xlsx sheet's name or 0-based position (default: the first).
        columns: what columns hold when their headings do not say it, heading → field.

    Returns:
        The report, with ``written``, ``added``, ``updated`` and ``new_entries`` set.

    Raises:
        PlanError: the file cannot be read or lacks a required column, or the
            plan is not given (gifts) or does not exist.
    """
    if kind not in REGISTER_KINDS:
        raise PlanError(f"unknown kind of register table {kind!r}: choose one of {', '.join(REGISTER_KINDS)}")
    if kind == "gifts" and not plan:
        raise PlanError("Say which SSU plan the gifts are for (see `partnerlib plans`).")
    from .store import opened_workspace

    ws, opened = opened_workspace(workspace, create=False)
    try:
        ssu = ws.load(plan).plan if kind == "gifts" and plan else None
        report = read_table(path, kind, dayfirst=dayfirst, sheet=sheet, columns=columns)
        changes = _register_changes(report, ws.organisations(), ws.people(), ws.gifts(), ssu)
        report.written = 0
        if (report.rejected and not keep_valid) or not report.accepted:
            return report
        ws.save_register(changes.organisations, changes.people, changes.gifts, author=author)
        report.added, report.updated, report.new_entries = changes.added, changes.updated, changes.new_entries
        report.written = report.added + report.updated
    finally:
        if opened:
            ws.close()
    return report


class _RegisterChanges(NamedTuple):
    organisations: list[Organisation]  # new or changed
    people: list[Person]  # new or changed
    gifts: list[Gift]  # new or changed
    added: int  # gifts or contacts (the file's own entries) added
    updated: int  # … and updated
    new_entries: list[str]  # the names of every entry added, the donors and employers too


class _Register:
    """The register as an import changes it: each entry once, the new and the changed ones kept aside."""

    def __init__(self, organisations: list[Organisation], people: list[Person]) -> None:
        self.entries: list[Organisation | Person] = [*organisations, *people]
        self.changed: dict[str, Organisation | Person] = {}
        self.new: list[str] = []

    def find(self, entry: Organisation | Person, *, either_kind: bool = False) -> Organisation | Person | None:
        """The entry the register holds for ``entry`` (by the duplicate rules): of its kind, or of either."""
        current = [self.changed.get(e.id, e) for e in self.entries]
        return same_entry(entry, [e for e in current if either_kind or type(e) is type(entry)])

    def add(self, entry: Organisation | Person) -> Organisation | Person:
        self.entries.append(entry)
        self.changed[entry.id] = entry
        self.new.append(entry.name)
        return entry

    def update(self, entry: Organisation | Person, values: dict[str, Any]) -> None:
        changed = type(entry).model_validate(entry.model_dump() | values)
        if changed != entry:
            self.changed[entry.id] = changed


def _register_changes(
    report: ImportReport, organisations: list[Organisation], people: list[Person], gifts: list[Gift],
    plan: Plan | None,
) -> _RegisterChanges:
    """Match the accepted rows to the register; reject the rows that clash; return what to write."""
    register = _Register(organisations, people)
    extra: dict[int, list[Problem]] = {}
    first: dict[Any, int] = {}  # what a row names (a gift, a contact's entry) → the first row naming it
    saved: list[Gift] = []
    held = {g.id for g in gifts}
    added = 0
    for record, row in zip(report.accepted, report.accepted_rows, strict=True):
        if isinstance(record, _GiftRow):
            assert plan is not None
            problems, gift = _gift(record, plan, gifts, register, first)
            if gift is None:
                extra[row] = problems
                continue
            first[(gift.donor, gift.date, gift.amount) if "id" not in record.model_fields_set else gift.id] = row
            added += gift.id not in held
            saved.append(gift)
            continue
        contact = cast(_ContactRow, record)
        entry: Organisation | Person = (
            Organisation(name=contact.name) if contact.contact_kind == "organisation"
            else Person(name=contact.name, email=contact.email))
        found = register.find(entry)
        if found is not None and found.id in first:
            extra[row] = [Problem((), "updates_same_record", {"record": "contact", "first": first[found.id]})]
            continue
        given = contact.model_fields_set
        values: dict[str, Any]
        if isinstance(entry, Person):
            values = {f: getattr(contact, f) for f in given & {"role", "email", "last_contacted"}}
            if contact.organisation:
                employer = Organisation(name=contact.organisation)
                values["organisation"] = (register.find(employer) or register.add(employer)).id
            if isinstance(found, Person) and found.last_contacted and contact.last_contacted:
                values["last_contacted"] = max(found.last_contacted, contact.last_contacted)
        else:
            values = {"website": contact.website} if "website" in given else {}
        if found is None:
            found = register.add(entry)
            added += 1
        register.update(found, values)
        first[found.id] = row
    _reject(report, extra)
    changed = list(register.changed.values())
    return _RegisterChanges(
        [e for e in changed if isinstance(e, Organisation)], [e for e in changed if isinstance(e, Person)],
        saved, added, len(report.accepted) - added, register.new,
    )


def _gift(
    row: _GiftRow, plan: Plan, gifts: list[Gift], register: _Register, first: dict[Any, int]
) -> tuple[list[Problem], Gift | None]:
    """The gift a row gives (updating the one it names), or why the row is rejected.

    A row names a gift by its id when the file gives one, else by its donor,
    date and amount among the plan's gifts; its donor is found in the register
    (an organisation or a person, by the duplicate rules) or added to it.
    """
    given = row.model_fields_set
    if "id" in given and row.id in first:
        return [Problem((), "id_used_twice_in_file", {"field": "id", "got": row.id, "first": first[row.id]})], None
    wanted = Person(name=row.donor, email=row.email) if row.donor_kind == "person" else Organisation(name=row.donor)
    donor = register.find(wanted, either_kind=True) or register.add(wanted)
    if "id" in given:
        target = next((g for g in gifts if g.id == row.id), None)
    elif (donor.id, row.date, row.amount) in first:
        return [Problem((), "same_gift", {"first": first[(donor.id, row.date, row.amount)]})], None
    else:
        target = next((g for g in gifts if g.plan == plan.info.name
                       and (g.donor, g.date, g.amount) == (donor.id, row.date, row.amount)), None)
    values = {f: getattr(row, f) for f in given if f in Gift.model_fields}
    values |= {"donor": donor.id, "plan": plan.info.name,
               "currency": row.currency or (target.currency if target else plan.info.currency)}
    try:
        return [], Gift.model_validate((target.model_dump() if target else {}) | values)
    except ValidationError as exc:
        return describe(exc), None
