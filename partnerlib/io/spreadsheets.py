"""Import tables from spreadsheets into a plan (risks, KPIs, measurements, answers …) or the register (gifts …).

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

Rows copied from a spreadsheet and pasted on a page (or typed there) take the
same way: :func:`read_rows` reads them as a table whose row numbers are the
lines of the box, with or without a first line naming the columns, and
:func:`import_rows` writes the valid ones as :func:`import_table` does.

Measurements can run to a million rows, so they are checked column by column
with pandas, never one model per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import types
import typing
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

from pydantic import Field, ValidationError, field_validator

from ..core.fields import field_label
from ..core.problems import (
    LIST_SHOWN,
    MESSAGES,
    InvalidInput,
    Listed,
    PlanError,
    Problem,
    counted,
    describe,
    render,
    rule_error,
    shown_list,
)
from ..core.text import forbidden_character, other_encoding
from ..models import (
    REQUIRED_MEASUREMENT_COLUMNS,
    Answer,
    Candidate,
    Contribution,
    FactorRating,
    Gift,
    Kpi,
    Measurement,
    Name,
    Organisation,
    Person,
    Plan,
    Record,
    RequiredName,
    Risk,
)
from ..models.shared import CurrencyCode, same_entry
from .references import Names, names_for

if TYPE_CHECKING:
    import pandas as pd

    from .store import Snapshot, Workspace

__all__ = [
    "COLUMN_SYNONYMS",
    "IMPORT_KINDS",
    "ImportKind",
    "ImportReport",
    "REGISTER_KINDS",
    "RejectedRow",
    "TABLE_KINDS",
    "entry_columns",
    "import_register",
    "import_rows",
    "import_table",
    "measurements_frame",
    "pasted_records",
    "read_rows",
    "read_table",
    "repeated_measurements",
    "required_columns",
    "rows_in_words",
    "section_of",
]

#: The kinds of table that can be imported into a plan.
TABLE_KINDS = ("answers", "candidates", "contributions", "kpis", "measurements", "ratings", "risks")
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
    "answers": {
        "statement": "question", "question id": "question", "respondent id": "respondent",
        "respondent code": "respondent", "score": "answer", "rating": "answer",
    },
    "ratings": {
        "review id": "review", "partner": "party", "partner id": "party", "rated by": "party",
        "collaboration factor": "factor", "rating": "score",
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


class ImportKind(NamedTuple):
    """What the import (and its spreadsheet template) knows of one kind of table.

    Attributes:
        model: the model of one row.
        section: the plan section holding the table ('' for the register's).
        table: the list field of that section ('' for measurements, stored beside the plan).
        required: the fields a file must have a column for.
        key: the fields naming a record: a row giving them updates that record.
        same: the problem code of two rows naming the same record.
    """

    model: type[Record]
    section: str
    table: str
    required: tuple[str, ...]
    key: tuple[str, ...] = ("name",)
    same: str = "same_name"


def _required(model: type[Record]) -> tuple[str, ...]:
    return tuple(name for name, info in model.model_fields.items() if info.is_required())


#: Every kind of table an import reads, by name: those of :data:`TABLE_KINDS` and :data:`REGISTER_KINDS`.
IMPORT_KINDS: dict[str, ImportKind] = {
    "answers": ImportKind(Answer, "community", "answers", _required(Answer), ("question", "respondent"),
                          "same_answer"),
    "candidates": ImportKind(Candidate, "partners", "candidates", ("name",)),
    "contributions": ImportKind(Contribution, "resources", "contributions", ("party",), ("party", "description"),
                                "same_party_and_description"),
    "kpis": ImportKind(Kpi, "monitoring", "kpis", ("name",)),
    "measurements": ImportKind(Measurement, "monitoring", "", REQUIRED_MEASUREMENT_COLUMNS),
    "ratings": ImportKind(FactorRating, "review", "ratings", _required(FactorRating),
                          ("review", "party", "person", "factor"), "same_rating"),
    "risks": ImportKind(Risk, "risks", "risks", ("title",), ("title",), "same_title"),
    # the register's: no plan section
    "contacts": ImportKind(_ContactRow, "", "", ("name",)),
    "gifts": ImportKind(_GiftRow, "", "", ("donor", "date", "amount")),
}

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
        # row 3, column 'Likelihood': must be …; or row 3: the same title as row 2 …
        code = "rejected_row_column" if self.problems and self.problems[0].field else "rejected_row"
        return _say(code, row=self.row, reason=self.reason)


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
        words: templates of :data:`~partnerlib.core.problems.MESSAGES` this
            report words its own way (a page's, see ``ENTRY_MESSAGES``).
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
    words: Mapping[str, str] = field(default_factory=dict)
    new_entries: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row of the file is valid."""
        return not self.rejected

    @property
    def shown_rejected(self) -> list[RejectedRow]:
        """The rejected rows a report lists (the first 20); the others are counted, not listed."""
        return self.rejected[:LIST_SHOWN]

    def __str__(self) -> str:
        count, rejected = len(self.accepted), len(self.rejected)

        def say(code: str, **context: Any) -> str:
            return _say(code, words=self.words, **context)

        lines = [say("report_read", file=self.file, what=self.kind, valid=count, rejected=rejected,
                     rows=counted(count + rejected, "rows"))]
        if self.written is not None:
            if self.written or count == 0 and not self.rejected:
                rows = rows_in_words(self.kind, self.updated or self.added)
                register = self.kind in REGISTER_KINDS
                if self.updated:
                    code = "written_to_register_updated" if register else "written_to_plan_updated"
                    lines.append(say(code, updated=rows, added=self.added))
                else:
                    lines.append(say("written_to_register" if register else "written_to_plan", added=rows))
                if self.new_entries:
                    lines.append(say("new_in_register", names=self.new_entries))
            else:
                lines.append(say("nothing_written"))
        lines.append(say("report_columns", columns=[
            say("column_read_as", heading=heading, name=name) for heading, name in self.columns.items()]))
        if self.unknown_columns:
            lines.append(say("report_unknown_columns", columns=self.unknown_columns))
        if self.rejected:
            lines.append(say("report_rejected_rows"))
            lines += [f"  {row}" for row in shown_list(self.rejected)]
        return "\n".join(lines)


def _say(code: str, *, words: Mapping[str, str] | None = None, **context: Any) -> str:
    """Word a sentence (or a phrase) of :data:`~partnerlib.core.problems.MESSAGES` by the one renderer."""
    return render(Problem((), code, context), words=words)


def _noun(kind: str, *, many: bool = False) -> str:
    """What a row of a kind of table is called (``KPI``), or several of them (``KPIs``)."""
    return MESSAGES[f"{'many' if many else 'one'}:{kind}"]


def rows_in_words(kind: str, count: int) -> str:
    """Count rows of a kind of table in words.

    >>> rows_in_words("measurements", 1), rows_in_words("kpis", 3)
    ('1 measurement', '3 KPIs')
    """
    return counted(count, kind)


def section_of(kind: str) -> str:
    """The plan section a kind of table belongs to (measurements: monitoring, though stored beside it)."""
    return IMPORT_KINDS[kind].section


def required_columns(kind: str) -> tuple[str, ...]:
    """The fields every row of a kind of table must give (a file must have a column for each)."""
    return IMPORT_KINDS[kind].required


def _rejected(report: ImportReport, found: dict[int, list[Problem]]) -> list[RejectedRow]:
    """The rejected rows, in row order, each problem named by the file's own column heading.

    >>> report = ImportReport("risks", "risks.csv", [], columns={"Probability": "likelihood"})
    >>> problem = Problem((), "between", {"field": "likelihood", "ge": 1, "le": 5, "got": 9})
    >>> str(_rejected(report, {3: [problem]})[0])
    "row 3, column 'Probability': must be between 1 and 5 (got 9)"
    """
    headings = {name: heading for heading, name in report.columns.items()}

    def column(field: str) -> str:
        return _say("column_named", heading=headings[field]) if field in headings else repr(field)

    said: dict[int, str] = {}  # many rows share one problem (one per distinct value): each is worded once
    rows = []
    for row in sorted(found):
        problems = tuple(found[row])
        words = [said[id(p)] if id(p) in said
                 else said.setdefault(id(p), render(p, label=column, words=report.words))
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
    with path.open("rb") as handle:
        encoding = other_encoding(handle.read(1 << 12))
    if encoding:
        raise PlanError.of("csv_other_encoding", source=path.name, encoding=encoding)
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
    return PlanError.of("csv_not_utf8", source=path.name, byte=f"0x{exc.object[exc.start]:02x}", position=exc.start)


def _read_csv(path: Path, text_columns: Callable[[list[str]], dict[int, str]]) -> _Table:
    import numpy as np
    import pandas as pd

    header, separator = _csv_header(path)
    if not any(h.strip() for h in header):
        raise PlanError.of("table_without_header", file=path.name)
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
        raise PlanError.of("first_row_too_long", file=path.name) from None
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from None
    except pd.errors.ParserError as exc:
        longer = _first_long_row(path, separator, len(header))
        if longer is not None:
            line, saw = longer
            raise PlanError.of("row_too_long", file=path.name, row=line, cells=saw, columns=len(header)) from None
        raise PlanError.of("not_csv", file=path.name, reason=str(exc)) from None
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
            raise PlanError.of("not_an_xlsx_workbook", file=path.name, reason=str(exc)) from None
        names = book.sheetnames
        if sheet is None:
            return book, book[names[0]]
        if sheet in names:
            return book, book[sheet]
        position = int(sheet) if isinstance(sheet, int) or str(sheet).isdigit() else -1
        if 0 <= position < len(names):
            return book, book[names[position]]
        book.close()
        raise PlanError.of("no_such_sheet", file=path.name, sheet=sheet, sheets=[repr(name) for name in names])

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
        raise PlanError.of("table_without_header", file=path.name)
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
        raise PlanError.of("no_such_file", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, text_columns)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise PlanError.of("not_a_table_file", file=path.name)


# ---------------------------------------------------------------- columns


def _column_map(
    kind: str, header: list[str], cells: pd.DataFrame | None, columns: dict[str, str] | None = None
) -> tuple[dict[int, str], list[str]]:
    """Match the header to fields: position → field, plus the unknown columns' names.

    ``columns`` (heading → field) says what a column holds when its heading does
    not: ``{"Site": "group"}``; it takes precedence over the headings' own meaning.
    """
    model = IMPORT_KINDS[kind].model
    chosen = {_key(heading): name for heading, name in (columns or {}).items()}
    problems = [
        Problem((), "not_a_field_of", {"field": name, "many": _noun(kind, many=True),
                                       "choices": list(model.model_fields)})
        for name in chosen.values() if name not in model.model_fields
    ]
    found = [repr(h.strip()) for h in header if h.strip()]
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
                unknown.append(_say("column_without_header", letter=_column_letter(position)))
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
    for name in IMPORT_KINDS[kind].required:
        if name not in seen:
            problems.append(Problem((), "missing_column", {
                "what": _field_words(kind, name), "choices": _or(_headings(kind, name)), "found": found}))
    if problems:
        raise InvalidInput(problems, _say("cannot_import_table", what=_noun(kind, many=True)))
    return mapping, unknown


def _field_words(kind: str, name: str) -> str:
    """Say what a field holds: ``the risk's title``."""
    words = MESSAGES.get(f"field:{name}", name.replace("_", " "))
    return _say("field_of_row", row=_noun(kind), name=words)


def _headings(kind: str, name: str) -> list[str]:
    """The column headings read as one field, as a person would type them: 'Title', 'Risk', 'Risk name'."""
    def typed(text: str) -> str:
        text = " ".join(("KPI" if word == "kpi" else word) for word in text.replace("_", " ").split())
        return text[:1].upper() + text[1:]

    return [typed(name)] + [typed(s) for s, field_name in COLUMN_SYNONYMS[kind].items() if field_name == name]


def _or(choices: list[str]) -> str:
    """``'A'``, ``'A' or 'B'``, ``'A', 'B' or 'C'``."""
    quoted = [repr(c) for c in choices]
    return quoted[0] if len(quoted) == 1 else _say("either", choices=quoted[:-1], last=quoted[-1])


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
        if found := forbidden_character(value):
            return Problem((), "forbidden_character",
                           {"field": name, "character": found[0], "position": found[1], "got": value})
        return None

    return check


def _values(series: pd.Series) -> tuple[Any, Any, tuple[Any, Callable[[], Any]]]:
    """Read the value column as floats: the numbers, the empty cells, and the check.

    Plain numbers are converted in one pass; only the cells that fail it (empty,
    thousands separators, words) are looked at again as text.
    """
    import numpy as np
    import pandas as pd

    if series.dtype.kind in "iuf":
        value = series.to_numpy(dtype="float64", copy=True)
    elif series.dtype.kind == "b":  # true and false are not numbers
        value = np.full(len(series), np.nan)
    else:
        value = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", copy=True)
        if pd.api.types.infer_dtype(series, skipna=True) in ("boolean", "mixed", "mixed-integer"):
            value[[type(v) is bool for v in series]] = np.nan  # type(), as True is also an int
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
    if kind not in IMPORT_KINDS:
        raise PlanError.of("unknown_table_kind", got=kind, kinds=list(IMPORT_KINDS))
    path = Path(path)

    def text_columns(header: list[str]) -> dict[int, str]:
        """The dtype of each column but a measurement value: text, or categories for measurements."""
        if kind != "measurements":
            return dict.fromkeys(range(len(header)), "str")
        mapping, _ = _column_map(kind, header, None, columns)
        # Read as categories, each distinct text is hashed once, while parsing (a column
        # not imported is only looked at for being blank: plain text is cheaper to make).
        return {p: "category" if p in mapping else "str" for p in range(len(header)) if mapping.get(p) != "value"}

    table = _read(path, sheet, text_columns)
    return _checked_table(table, ImportReport(kind, path.name, []), dayfirst=dayfirst, plan=plan,
                          columns=columns, source=path.name)


def _checked_table(
    table: _Table, report: ImportReport, *, dayfirst: bool, plan: Plan | None,
    columns: dict[str, str] | None, source: str,
) -> ImportReport:
    """Check every row of a table read from a file or a page; fill in ``report`` and return it."""
    kind = report.kind
    mapping, report.unknown_columns = _column_map(kind, table.header, table.cells, columns)
    report.columns = {table.header[p].strip(): name for p, name in mapping.items()}
    names = names_for(IMPORT_KINDS[kind].model, plan) if plan else {}
    if kind == "measurements":
        _read_measurements(table, mapping, report, dayfirst=dayfirst, source=source,
                           kpis=names.get("kpi", "any"))
    else:
        _read_records(table, mapping, report, dayfirst=dayfirst, names=names)
    return report


# ---------------------------------------------------------------- rows pasted or typed on a page


def entry_columns(kind: str) -> list[str]:
    """The columns of rows pasted without a line naming them, in order: the model's fields but its id.

    >>> entry_columns("measurements")
    ['kpi', 'date', 'value', 'group', 'source']
    """
    return [name for name in IMPORT_KINDS[kind].model.model_fields if name != "id"]


class PastedRecord(NamedTuple):
    """One row of pasted text: the lines it spans (counted from 1) and its cells, stripped."""

    first: int
    last: int
    cells: list[str]


def pasted_records(text: str) -> list[PastedRecord]:
    r"""Split pasted text into rows: cells separated by tabs (as spreadsheets copy them).

    Text with no tab at all is read as typed by hand, the values separated by
    commas or semicolons (whichever its first line holds more of). Quotes work
    as in CSV, so a quoted cell may hold a separator or a line break. Blank
    lines are left out; each row keeps the lines it came from.

    >>> [tuple(r) for r in pasted_records("Wells\t2026-01-31\t4\n\nLatrines; 2026-01-31; 2")]
    [(1, 1, ['Wells', '2026-01-31', '4']), (3, 3, ['Latrines; 2026-01-31; 2'])]
    >>> [r.cells for r in pasted_records("Wells; 2026-01-31; 4")]
    [['Wells', '2026-01-31', '4']]
    """
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    separator = "\t" if "\t" in text else max((",", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    records, line = [], 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            records.append(PastedRecord(line, reader.line_num, [cell.strip() for cell in cells]))
        line = reader.line_num + 1
    return records


def _names_a_column(kind: str) -> dict[str, str]:
    """Heading → field, for every heading a column of ``kind`` may have (normalised by ``_key``)."""
    fields = IMPORT_KINDS[kind].model.model_fields
    return ({_key(name): name for name in fields} | {_key(field_label(name)): name for name in fields}
            | {_key(k): v for k, v in COLUMN_SYNONYMS[kind].items()})


def _pasted_table(text: str, kind: str) -> _Table:
    """Read pasted rows as a table: row numbers are the box's lines, the header is given or implied.

    The first row names the columns when most of its cells are headings the
    import knows ("KPI", "Date", "Indicator" …); otherwise every row is data, in
    the order of :func:`entry_columns`, under their labels as headings.
    """
    import numpy as np
    import pandas as pd

    records = pasted_records(text)
    known = _names_a_column(kind)
    filled = [cell for cell in records[0].cells if cell] if records else []
    if filled and 2 * sum(_key(cell) in known for cell in filled) > len(filled):
        header, records = records[0].cells, records[1:]
    else:
        header = [field_label(name) for name in entry_columns(kind)]
    width = max([len(header), *(len(r.cells) for r in records)])
    header = header + [""] * (width - len(header))
    body = [r.cells + [""] * (width - len(r.cells)) for r in records]
    cells = pd.DataFrame(body, columns=list(range(width)), dtype=str) if body else pd.DataFrame(
        {i: pd.Series([], dtype=str) for i in range(width)})
    return _Table(header, cells, np.array([r.first for r in records], dtype=np.int64), {})


def read_rows(text: str, kind: str, plan: Plan, *, dayfirst: bool = False,
              words: Mapping[str, str] | None = None) -> ImportReport:
    r"""Check rows pasted from a spreadsheet (or typed) as a file import checks its rows; write nothing.

    The rows are read by :func:`pasted_records`, with or without a first line
    naming the columns, then checked exactly as :func:`import_table` checks a
    file's rows against the plan: each row's values, its references by id, name
    or code, and rows naming the same record twice. A rejected row is named by
    its line in the text.

    >>> from partnerlib.io.sample import load_sample
    >>> report = read_rows("Water points repaired or built\t2026-10-31\t12\nWells\t2026-10-31\tmany",
    ...                    "measurements", load_sample())
    >>> len(report.accepted), len(report.rejected)
    (1, 1)
    >>> print(report.rejected[0])
    row 2, column 'KPI': 'Wells' is not one of the plan's KPIs (known: ...); column 'Value': must be a number ...

    Args:
        text: the rows, one a line, cells separated by tabs (or commas or semicolons when typed).
        kind: one of :data:`TABLE_KINDS`.
        plan: the plan the rows go into.
        dayfirst: read dates like 31/03/2026 as day-first.
        words: templates worded the page's own way (see ``ENTRY_MESSAGES``).

    Returns:
        The report; ``accepted_rows`` (or the accepted table's index) and the
        rejected rows give lines of ``text``.

    Raises:
        PlanError: an unknown kind, or a first line naming two columns that give one field.
    """
    if kind not in IMPORT_KINDS:
        raise PlanError.of("unknown_table_kind", got=kind, kinds=list(TABLE_KINDS))
    # what the rows are called in the report and in the plan's history
    report = ImportReport(kind, _say("pasted_rows"), [], words=dict(words or {}))
    _checked_table(_pasted_table(text, kind), report, dayfirst=dayfirst, plan=plan, columns=None, source="")
    _against_plan(report, plan, "append")
    return report


def import_rows(
    workspace: Workspace, plan_name: str, text: str, kind: str, *, dayfirst: bool = False,
    author: str = "", words: Mapping[str, str] | None = None,
) -> ImportReport:
    """Write the valid rows of pasted text into a plan, as :func:`import_table` with ``keep_valid``.

    Measurements are added or update the value the plan holds for their KPI,
    date and group; answers and ratings go into their section as one revision,
    updating the record a row names (a respondent's answer to a question, a
    rating of a factor by a party in a review).

    Returns:
        The report of :func:`read_rows`, with ``written``, ``added`` and ``updated`` set.

    Raises:
        PlanError: the plan does not exist, or its section as a whole would break a rule.
        StaleSave: someone saved the section since it was read (nothing is written).
    """
    snapshot = workspace.load(plan_name)
    report = read_rows(text, kind, snapshot.plan, dayfirst=dayfirst, words=words)
    current, targets = _against_plan(report, snapshot.plan, "append")
    _write(workspace, snapshot, report, current, targets, keep_valid=True, mode="append", author=author)
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
    for row, problem in repeated_measurements(clean).items():
        reasons.setdefault(row, []).append(problem)
    clean = clean.loc[~clean.index.isin(list(reasons))]
    report.rejected = _rejected(report, reasons)
    clean.index.name = "row"
    report.accepted = clean


def repeated_measurements(clean: pd.DataFrame, where: Callable[[int], str] | None = None) -> dict[int, Problem]:
    """Rows giving a second value for the same KPI, date and group, each naming the other rows.

    A KPI has one value per date and group, and the file cannot say which of
    two is right, so all of them are rejected.

    Args:
        clean: checked measurements (see :func:`measurements_frame`), indexed by row.
        where: names a row by its index (a plan file's JSON path); by default the
            index is a spreadsheet's row number ("rows 3, 7").

    Returns:
        Row index → its problem, for every row of a repeated KPI, date and group;
        a row names the first 20 others and counts the rest (:class:`Listed`).
    """
    key = ["kpi", "date", "group"]
    twice = clean.duplicated(key, keep=False)
    found: dict[int, Problem] = {}
    if not twice.any():  # usually: no grouping, no loop
        return found
    for (kpi, date, group), rows in clean.loc[twice, key].groupby(key, sort=False).groups.items():
        numbers = [int(r) for r in rows]
        code = ("repeated_group_measurement" if group else "repeated_measurement") + (
            "_at" if where else "_rows" if len(numbers) > 2 else "")
        context = {"kpi": kpi, "date": f"{date:%Y-%m-%d}", "group": group}
        places = "places" if where else "rows"
        named = {row: where(row) if where else row for row in numbers[: LIST_SHOWN + 1]}
        total = len(numbers) - 1
        # every row after the first 21 names the same first 20 others: one problem for all of them
        rest = Problem((), code, context | {places: Listed(list(named.values())[:LIST_SHOWN], total)})
        for row in numbers:
            found[row] = rest
        for row in named:
            others = [text for other, text in named.items() if other != row][:LIST_SHOWN]
            found[row] = Problem((), code, context | {places: Listed(others, total)})
    return found


def _read_records(
    table: _Table, mapping: dict[int, str], report: ImportReport, *, dayfirst: bool, names: dict[str, Names]
) -> None:
    import pandas as pd

    model, required = IMPORT_KINDS[report.kind].model, IMPORT_KINDS[report.kind].required
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
        except ValidationError as exc:  # a field whose cell was refused above is not "missing" as well
            refused = {p.field for p in found}
            found += [p for p in describe(exc) if not (p.code == "missing" and p.field in refused)]
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
        raise PlanError.of("import_mode", got=mode)
    if kind in REGISTER_KINDS:  # the gifts are for this plan; contacts are everyone's
        if mode == "replace":
            raise PlanError.of("register_not_replaced", what=_noun(kind, many=True))
        return import_register(workspace, path, kind, plan=plan_name, dayfirst=dayfirst, keep_valid=keep_valid,
                               author=author, sheet=sheet, columns=columns)
    from .store import opened_workspace

    ws, opened = opened_workspace(workspace, create=False)
    try:
        snapshot = ws.load(plan_name)
        report = read_table(path, kind, dayfirst=dayfirst, sheet=sheet, plan=snapshot.plan, columns=columns)
        current, targets = _against_plan(report, snapshot.plan, mode)
        _write(ws, snapshot, report, current, targets, keep_valid=keep_valid, mode=mode, author=author)
    finally:
        if opened:
            ws.close()
    return report


def _against_plan(report: ImportReport, plan: Plan, mode: str) -> tuple[list[Record], dict[int, int]]:
    """Check the rows against the plan's table: the records they join, and row → the record each updates."""
    if report.kind == "measurements":
        return [], {}
    spec = IMPORT_KINDS[report.kind]
    current = [] if mode == "replace" else getattr(getattr(plan, spec.section), spec.table)
    return current, _check_records(report, current)


def _write(
    ws: Workspace, snapshot: Snapshot, report: ImportReport, current: list[Record], targets: dict[int, int],
    *, keep_valid: bool, mode: str, author: str,
) -> None:
    """Write the accepted rows (all rows valid, or ``keep_valid``) and count them in the report."""
    report.written = 0
    if (report.rejected and not keep_valid) or not len(report.accepted):
        return
    if report.kind == "measurements":
        write = ws.replace_measurements if mode == "replace" else ws.add_measurements
        report.added, report.updated = write(snapshot.name, report.accepted)
    else:
        _save_records(ws, snapshot, report, current, targets, author)
    report.written = report.added + report.updated


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

    With ``given``, only values the file gave count: a default such as "New risk"
    is no name (an empty default, as a rating's person, is a value like any other).
    """
    fields = IMPORT_KINDS[kind].key
    if given and any(f not in record.model_fields_set and getattr(record, f) for f in fields):
        return None
    key = tuple(" ".join(str(getattr(record, f) or "").casefold().split()) for f in fields)
    return key if any(key) else None


def _check_records(report: ImportReport, current: list[Record]) -> dict[int, int]:
    """Check rows against the plan and each other; return row → position of the record it updates."""
    kind = report.kind
    same = IMPORT_KINDS[kind].same
    extra: dict[int, list[Problem]] = {}
    by_id = {getattr(r, "id", None): n for n, r in enumerate(current)}
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
                    Problem((), "updates_same_record", {"record": _noun(kind), "first": first_target[target]}))
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
    spec = IMPORT_KINDS[report.kind]
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
        raise InvalidInput(describe(exc), _say("section_would_break_rule", title=section.title)) from None
    ws.save_section(
        snapshot.name, spec.section, value, base=snapshot.revisions[spec.section], author=author,
        note=_say("imported_note", rows=rows_in_words(report.kind, len(report.accepted)), file=report.file,
                  added=report.added, updated=report.updated),
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
        raise PlanError.of("unknown_register_kind", got=kind, kinds=list(REGISTER_KINDS))
    if kind == "gifts" and not plan:
        raise PlanError.of("gifts_need_a_plan")
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
