"""Spreadsheet templates for a plan: an xlsx to fill in and import, with the plan's names to choose from.

``partnerlib template PLAN KIND FILE.xlsx`` writes one sheet for a kind of
table (risks, KPIs, measurements …) with:

* a heading per field, as the import reads them, then a help row saying what
  each column holds (from the model's descriptions and bounds); the import
  skips that row (the workbook names it ``partnerlib_help_row``);
* a dropdown list in each column that refers to the plan's records (a
  measurement's KPI, a contribution's partner …) holding the plan's names, and
  in each column of choices (a risk's category);
* typed columns: dates as dates, numbers checked against the field's bounds,
  so the spreadsheet program refuses a wrong entry before the import does.

The names are written as text cells, never as formulas, so a name starting
with '=' is shown and chosen exactly as the plan holds it.
"""

from __future__ import annotations

import io
import os
import typing
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ..core.fields import field_bounds, unwrap
from ..core.problems import PlanError, Problem, render
from ..models import Plan
from .references import names_for
from .spreadsheets import IMPORT_KINDS, TABLE_KINDS

__all__ = ["HELP_ROW_NAME", "TemplateColumn", "template_bytes", "template_columns", "write_template"]

#: The workbook name marking the help row, which the import skips.
HELP_ROW_NAME = "partnerlib_help_row"
_FIRST_ROW = 3  # heading, help, then the rows to fill in
_LAST_ROW = 5000  # how far down the checks reach
_LISTS = "Lists"


def _say(code: str, **context: Any) -> str:
    """Word a sentence of :data:`~partnerlib.core.problems.MESSAGES` by the one renderer."""
    return render(Problem((), code, context))


def _bounds(model: Any, name: str) -> tuple[float | None, float | None]:
    """The smallest and largest number a field allows (None where unbounded)."""
    bounds = field_bounds(model.model_fields[name])
    return bounds.get("ge", bounds.get("gt")), bounds.get("le", bounds.get("lt"))


class TemplateColumn(NamedTuple):
    """One column of a template: the field, what it holds, its help, the choices offered and its bounds.

    Attributes:
        name: the field, as the heading.
        kind: text, date, whole, decimal or list.
        help: the help row's words.
        choices: what the dropdown offers (the plan's names, or the field's choices).
        bounds: the smallest and largest number allowed (None where unbounded).
    """

    name: str
    kind: str
    help: str
    choices: list[str]
    bounds: tuple[Any, Any]


def template_columns(kind: str, plan: Plan) -> list[TemplateColumn]:
    """Each column of the template of ``kind`` for ``plan``, in the order of the model's fields.

    >>> [c.name for c in template_columns("measurements", Plan())]
    ['kpi', 'date', 'value', 'group', 'source']
    """
    spec = IMPORT_KINDS[kind]
    model = spec.model
    lookups = names_for(model, plan)
    columns = []
    for name, info in model.model_fields.items():
        new_or_update = name == "id" and kind != "measurements"
        help_text = _say("template_id_help") if new_or_update else info.description or ""
        kind_of = unwrap(info.annotation)[0]  # without Annotated and None: int, str, a Literal …
        choices: list[str] = []
        bounds: tuple[Any, Any] = (None, None)
        if name in lookups:
            names = lookups[name]
            choices = [record_name or record_id for record_id, record_name, _ in names.records]
            kind_name = "list"
            help_text = _say("template_reference_help", one=names.one, many=names.many)
        elif typing.get_origin(kind_of) is Literal:
            choices, kind_name = [str(c) for c in typing.get_args(kind_of)], "list"
        elif kind_of is bool:
            choices, kind_name = ["true", "false"], "list"
        elif kind_of is int or kind_of is float:
            kind_name, bounds = ("whole" if kind_of is int else "decimal"), _bounds(model, name)
        elif getattr(kind_of, "__name__", "") == "date":
            kind_name = "date"
            help_text = f"{help_text} {_say('template_date_help')}"
        else:
            kind_name = "text"
        if info.is_required() or name in spec.required:
            help_text = f"{_say('template_required')} {help_text}"
        columns.append(TemplateColumn(name, kind_name, help_text.strip(), choices, bounds))
    return columns


def write_template(plan: Plan, kind: str, path: str | os.PathLike[str]) -> Path:
    """Write an xlsx template for one kind of table of a plan, ready to fill in and import.

    Args:
        plan: the plan whose names fill the dropdown lists.
        kind: one of ``TABLE_KINDS`` (risks, kpis, measurements, candidates, contributions).
        path: the ``.xlsx`` file to write (replaced if it exists).

    Returns:
        The path written.

    Raises:
        PlanError: an unknown kind, or a file name that is not ``.xlsx``.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise PlanError.of("template_not_xlsx", file=path.name)
    path.write_bytes(template_bytes(plan, kind))
    return path


def template_bytes(plan: Plan, kind: str) -> bytes:
    """Return the xlsx template of :func:`write_template` as bytes, for a page to offer as a download.

    Raises:
        PlanError: an unknown kind.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind not in TABLE_KINDS:
        raise PlanError.of("unknown_table_kind", got=kind, kinds=list(TABLE_KINDS))
    book = Workbook()
    sheet = book.active
    sheet.title = kind.capitalize()
    lists = book.create_sheet(_LISTS)
    lists.sheet_state = "hidden"
    columns = template_columns(kind, plan)
    for position, (name, kind_name, help_text, choices, (low, high)) in enumerate(columns, start=1):
        letter = get_column_letter(position)
        sheet.cell(1, position, name).font = Font(bold=True)
        note = sheet.cell(2, position, help_text)
        note.font, note.alignment = Font(italic=True, color="666666"), Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = max(14, min(40, len(name) + 4))
        cells = f"{letter}{_FIRST_ROW}:{letter}{_LAST_ROW}"
        if kind_name == "list":
            for row, choice in enumerate(choices, start=1):
                cell = lists.cell(row, position, choice)
                cell.data_type = "s"  # text, even when it starts with '=': never a formula
            last = max(len(choices), 1)
            rule = DataValidation(type="list", formula1=f"={_LISTS}!${letter}$1:${letter}${last}",
                                  allow_blank=True, showErrorMessage=True,
                                  errorTitle=name, error=_say("template_choose_from_list"))
        elif kind_name == "date":
            rule = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                  showErrorMessage=True, errorTitle=name, error=_say("template_type_date"))
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif kind_name in ("whole", "decimal"):
            low = -1e15 if low is None else low
            high = 1e15 if high is None else high
            rule = DataValidation(type=kind_name, operator="between", formula1=f"{low:g}", formula2=f"{high:g}",
                                  allow_blank=True, showErrorMessage=True, errorTitle=name,
                                  error=_say("template_type_whole" if kind_name == "whole" else "template_type_number",
                                             low=low, high=high))
        else:
            continue
        sheet.add_data_validation(rule)
        rule.add(cells)
    sheet.freeze_panes = f"A{_FIRST_ROW}"
    book.defined_names[HELP_ROW_NAME] = DefinedName(HELP_ROW_NAME, attr_text=f"'{sheet.title}'!$2:$2")
    written = io.BytesIO()
    book.save(written)
    return written.getvalue()
