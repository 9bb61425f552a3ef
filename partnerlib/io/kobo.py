"""KoboToolbox in: measurements from a form's xlsx or CSV export, as KoboToolbox (formpack) writes it.

A KoboToolbox export holds one row per submission in its first sheet, and
one more sheet per repeat group, each row pointing at its parent row:
``_index`` numbers a sheet's rows, ``_parent_table_name`` and
``_parent_index`` name the parent's sheet and row, and ``_submission__uuid``
names the submission. Questions inside groups are headed with their group
path (``water/households``) when the export includes groups in headers. The
CSV export holds the first sheet only, separated by ``;`` and quoted.

A mapping says what is what, as a YAML file or a dict::

    kpis:                       # question → KPI (its id, name or code)
      water/households: Households with safe water
      wells_built: WELLS
    date: visit_date            # default: _submission_time
    group: village              # optional: the disaggregation group

A question named as a KPI's external code needs no line under ``kpis``. A
question may sit in any sheet; its date and group are looked up in its own
row first, then in the rows it belongs to, up to the submission.

Each answer is identified by its submission's ``_uuid``, its question and
its repeat row, so a submission exported twice counts once. Answers of one
KPI on one date and group become one measurement (added up, averaged for a
percentage, as the KPI evaluation combines groups), whose source names the
form and how many submissions made it; importing a later export of the
same form updates those measurements instead of doubling them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.problems import PlanError, Problem, render
from ..models import Plan
from .references import kpi_names, name_key

if TYPE_CHECKING:
    import pandas as pd

    from .store import Workspace

__all__ = ["KoboReport", "KoboRow", "import_kobo", "read_kobo", "read_mapping"]

#: The submission time KoboToolbox adds to every submission: the default date.
SUBMISSION_TIME = "_submission_time"
_ISO_START = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SHOWN = 20


@dataclass(frozen=True)
class KoboRow:
    """An answer that was not imported: where it is and why.

    Attributes:
        sheet: the sheet's name (the file's name for a CSV).
        row: the row number the spreadsheet shows (the header is row 1).
        column: the column's heading.
        problem: what is wrong, as a code and its context (its ``field`` is the column).
    """

    sheet: str
    row: int
    column: str
    problem: Problem

    @property
    def reason(self) -> str:
        """What is wrong, in words."""
        return render(self.problem)

    def __str__(self) -> str:
        return f"sheet {self.sheet!r} row {self.row}, {self.reason}"


@dataclass
class KoboReport:
    """What an import of a KoboToolbox export found and did.

    Attributes:
        file: the file's name.
        accepted: the measurements (kpi, date, value, group, source), one per
            KPI, date and group.
        answers: the answers they were made from.
        rejected: every answer refused, with sheet, row, column and reason.
        questions: the question read for each KPI id.
        unused_columns: the export's questions not imported (KoboToolbox's own
            columns, those starting with '_', left out).
        written: measurements written (added plus updated), None when nothing was attempted.
        added: measurements added.
        updated: measurements that replaced one the plan held.
    """

    file: str
    accepted: Any = None
    answers: int = 0
    rejected: list[KoboRow] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)
    unused_columns: list[str] = field(default_factory=list)
    written: int | None = None
    added: int = 0
    updated: int = 0

    def __str__(self) -> str:
        count = 0 if self.accepted is None else len(self.accepted)
        lines = [f"{self.file} (KoboToolbox): {self.answers:,} answers read as {count:,} measurements, "
                 f"{len(self.rejected):,} answers rejected."]
        if self.written is not None:
            lines.append(
                f"Written to the plan: {self.added:,} added, {self.updated:,} updated." if self.written
                else "Nothing was written: fix the answers below and import again, or import with the "
                "option to keep the valid answers (--keep-valid) to write those.")
        lines.append("Questions: " + ", ".join(f"{q} → {k}" for k, q in self.questions.items()))
        if self.unused_columns:
            more = len(self.unused_columns) - _SHOWN
            lines.append("Not imported (no KPI): " + ", ".join(self.unused_columns[:_SHOWN])
                         + (f" … and {more:,} more" if more > 0 else ""))
        lines += [f"  {r}" for r in self.rejected[:_SHOWN]]
        if len(self.rejected) > _SHOWN:
            lines.append(f"  … and {len(self.rejected) - _SHOWN:,} more (all are in report.rejected)")
        return "\n".join(lines)


# ---------------------------------------------------------------- the mapping


def read_mapping(source: str | Path | dict[str, Any] | None) -> dict[str, Any]:
    """Read a mapping (YAML file or dict) into ``{"kpis": {question: KPI}, "date": …, "group": …}``.

    Raises:
        PlanError: the file cannot be read, or the mapping is not of that shape.
    """
    if source is None:
        return {"kpis": {}, "date": SUBMISSION_TIME, "group": ""}
    if not isinstance(source, dict):
        import yaml

        path = Path(source)
        try:
            source = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError) as exc:
            raise PlanError.of("kobo_mapping_unreadable", file=path.name, reason=str(exc)) from None
        except yaml.YAMLError as exc:
            raise PlanError.of("kobo_mapping_not_yaml", file=path.name, reason=" ".join(str(exc).split())) from None
    if not isinstance(source, dict):
        raise PlanError.of("kobo_mapping_shape")
    unknown = sorted(set(map(str, source)) - {"kpis", "date", "group"})
    kpis = source.get("kpis") or {}
    if unknown or not isinstance(kpis, dict) or not all(
            isinstance(v, str | int | float) for v in [*kpis, *kpis.values()]):
        if unknown:
            raise PlanError.of("kobo_mapping_unknown_keys", unknown=unknown)
        raise PlanError.of("kobo_mapping_shape")
    return {"kpis": {str(q).strip(): str(k).strip() for q, k in kpis.items()},
            "date": str(source.get("date") or SUBMISSION_TIME).strip(), "group": str(source.get("group") or "").strip()}


# ---------------------------------------------------------------- reading the export


@dataclass
class _Sheet:
    name: str
    header: list[str]
    rows: list[list[str]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheets(path: Path) -> list[_Sheet]:
    """Every sheet of the export as text: an xlsx's sheets, or a CSV as one sheet."""
    if not path.is_file():
        raise PlanError.of("no_such_file", path=path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise PlanError.of("not_an_xlsx_workbook", file=path.name, reason=str(exc)) from None
        try:
            sheets = []
            for sheet in book.worksheets:
                rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
                if rows:
                    sheets.append(_Sheet(sheet.title, rows[0], rows[1:]))
        finally:
            book.close()
        return sheets
    if suffix in (".csv", ".txt"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise PlanError.of("kobo_not_utf8", file=path.name) from None
        first = text.split("\n", 1)[0]
        separator = ";" if first.count(";") >= first.count(",") else ","
        try:
            rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)]
        except csv.Error as exc:
            raise PlanError.of("not_csv", file=path.name, reason=str(exc)) from None
        return [_Sheet(path.stem, rows[0], rows[1:])] if rows else []
    raise PlanError.of("kobo_file_kind", file=path.name)


def _column(header: list[str], question: str) -> int | None:
    """Where a question is: its exact heading, or a heading whose last '/' part is the question."""
    keys = [name_key(h) for h in header]
    wanted = name_key(question)
    if wanted in keys:
        return keys.index(wanted)
    ends = [p for p, key in enumerate(keys) if key.rsplit("/", 1)[-1] == wanted.rsplit("/", 1)[-1]]
    return ends[0] if len(ends) == 1 else None


def _row_numbers(sheet: _Sheet) -> dict[str, int]:
    """A sheet's ``_index`` → the position of its row (what a child row's ``_parent_index`` names)."""
    if "_index" not in sheet.header:
        return {}
    position = sheet.header.index("_index")
    return {row[position]: number for number, row in enumerate(sheet.rows) if position < len(row)}


def _date(text: str, column: str) -> dt.date | Problem:
    """A Kobo date or date-time (2024-01-15, 2024-01-15T10:23:45.000-05:00) as its date, or why not."""
    found = _ISO_START.match(text)
    if not found:
        if not text:
            return Problem((), "required_rule", {"field": column, "rule": "date"})
        return Problem((), "date_parsing", {"field": column, "got": text})
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError:
        return Problem((), "not_a_real_date", {"field": column, "got": text})


def read_kobo(path: str | Path, plan: Plan, mapping: str | Path | dict[str, Any] | None = None) -> KoboReport:
    """Read a KoboToolbox export's answers as a plan's measurements, without writing anything.

    Args:
        path: the ``.xlsx`` (every sheet) or ``.csv`` (first sheet) export.
        plan: the plan whose KPIs the questions measure.
        mapping: which question is which KPI, and which is the date and the
            group (a YAML file or a dict; see the module's help). Without it,
            questions named as KPI codes are read, dated by ``_submission_time``.

    Returns:
        The report: one measurement per KPI, date and group, and every answer refused.

    Raises:
        PlanError: the file cannot be read, the mapping is wrong, or a
            question it names is in no sheet.
    """
    import pandas as pd

    path = Path(path)
    wanted = read_mapping(mapping)
    sheets = _sheets(path)
    if not sheets:
        raise PlanError.of("kobo_no_header", file=path.name)
    names = kpi_names(plan)
    questions: dict[str, str] = {}  # question → KPI id
    problems = []
    for question, kpi in wanted["kpis"].items():
        found = names.find(kpi, f"kpis: {question}")
        if found.problem:
            problems.append(render(found.problem))
        questions[question] = found.id
    for kpi in plan.monitoring.kpis:  # a question named as a KPI's code needs no mapping
        if kpi.code and kpi.id not in questions.values() and any(_column(s.header, kpi.code) is not None
                                                                   for s in sheets):
            questions[kpi.code] = kpi.id
    located: dict[str, tuple[int, int]] = {}
    for question in questions:
        places = [(n, p) for n, s in enumerate(sheets) if (p := _column(s.header, question)) is not None]
        if not places:
            problems.append(render(Problem((), "question_in_no_sheet", {"question": question, "file": path.name})))
        else:
            located[question] = places[0]
    if problems or not questions:
        raise PlanError.of("cannot_import", file=path.name,
                           problems="; ".join(problems) or render(Problem((), "no_question_mapped")))
    report = KoboReport(path.name, questions={questions[q]: q for q in questions})
    used = {(n, p) for n, p in located.values()}
    by_name = {s.name: n for n, s in enumerate(sheets)}
    index_of = [_row_numbers(s) for s in sheets]

    def lookup(sheet: int, row: int, question: str) -> tuple[str, str]:
        """A question's answer in this row or the rows it belongs to: (answer, column heading)."""
        for _ in range(20):  # repeat groups nest a few levels at most
            header, cells = sheets[sheet].header, sheets[sheet].rows[row]
            position = _column(header, question)
            if position is not None:
                used.add((sheet, position))
                return (cells[position] if position < len(cells) else ""), header[position]
            parent = {h: (cells[p] if p < len(cells) else "") for p, h in enumerate(header)
                      if h in ("_parent_table_name", "_parent_index")}
            sheet = by_name.get(parent.get("_parent_table_name", ""), 0 if sheet else -1)
            parent_row = index_of[sheet].get(parent.get("_parent_index", "")) if sheet >= 0 else None
            if parent_row is None:
                break
            row = parent_row
        return "", question

    answers: dict[tuple[str, str, str], dict[str, Any]] = {}
    for question, (sheet_number, position) in located.items():
        sheet = sheets[sheet_number]
        for number, cells in enumerate(sheet.rows, start=2):
            text = cells[position] if position < len(cells) else ""
            if not text:
                continue  # not asked or not answered: no measurement
            where = (sheet.name, number)
            row = number - 2
            uuid = lookup(sheet_number, row, "_submission__uuid")[0] or lookup(sheet_number, row, "_uuid")[0]
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            date_text, date_column = lookup(sheet_number, row, wanted["date"])
            date = _date(date_text, date_column)
            group, group_column = lookup(sheet_number, row, wanted["group"]) if wanted["group"] else ("", "")
            column = sheet.header[position]
            reasons = [KoboRow(*where, column, Problem((), "float_parsing", {"field": column, "got": text}))
                       ] if not math.isfinite(value) else []
            if isinstance(date, Problem):
                reasons.append(KoboRow(*where, date_column, date))
            if len(group) > 200:
                reasons.append(KoboRow(*where, group_column, Problem((), "string_too_long", {
                    "field": group_column, "max_length": 200, "length": len(group)})))
            if reasons:
                report.rejected += reasons
                continue
            key = (uuid or f"{sheet.name}:{number}", question, lookup(sheet_number, row, "_index")[0])
            answers[key] = {"kpi": questions[question], "date": date, "value": value, "group": group,
                            "submission": key[0]}
    report.answers = len(answers) + len({(r.sheet, r.row, r.column) for r in report.rejected})
    report.unused_columns = [h for n, s in enumerate(sheets) for p, h in enumerate(s.header)
                             if h and not h.startswith("_") and (n, p) not in used
                             and name_key(h) not in {name_key(wanted["date"]), name_key(wanted["group"])}]
    report.accepted = _combine(pd.DataFrame(answers.values(), columns=["kpi", "date", "value", "group", "submission"]),
                               plan, path.name)
    return report


def _combine(answers: pd.DataFrame, plan: Plan, file: str) -> pd.DataFrame:
    """One measurement per KPI, date and group: answers added up, or averaged for a percentage."""
    import pandas as pd

    percentage = {k.id for k in plan.monitoring.kpis if k.unit == "percentage"}
    grouped = answers.groupby(["kpi", "date", "group"], sort=True)
    combined = grouped.agg(total=("value", "sum"), mean=("value", "mean"),
                           submissions=("submission", "nunique")).reset_index()
    combined["value"] = combined["mean"].where(combined["kpi"].isin(percentage), combined["total"])
    combined["date"] = pd.to_datetime(combined["date"])
    stem = Path(file).stem
    combined["source"] = [f"KoboToolbox {stem} ({n} submission{'s' * (n != 1)})" for n in combined["submissions"]]
    return combined[["kpi", "date", "value", "group", "source"]]


def import_kobo(
    workspace: Workspace | str | os.PathLike[str],
    plan_name: str,
    path: str | Path,
    mapping: str | Path | dict[str, Any] | None = None,
    *,
    keep_valid: bool = False,
) -> KoboReport:
    """Import a KoboToolbox export into a plan's measurements: every answer, or none.

    Args:
        workspace: an open Workspace, or the path of a workspace file.
        plan_name: the plan to import into.
        path: the ``.xlsx`` or ``.csv`` export.
        mapping: which question is which KPI, and the date and group questions.
        keep_valid: write the valid answers even when some are refused.

    Returns:
        The report, with ``written``, ``added`` and ``updated`` set.
    """
    from .store import opened_workspace

    ws, opened = opened_workspace(workspace, create=False)
    try:
        report = read_kobo(path, ws.load(plan_name).plan, mapping)
        report.written = 0
        if (report.rejected and not keep_valid) or not len(report.accepted):
            return report
        report.added, report.updated = ws.add_measurements(plan_name, report.accepted)
        report.written = report.added + report.updated
    finally:
        if opened:
            ws.close()
    return report
