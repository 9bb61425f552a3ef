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
from ..core.formats import write_number
from ..core.problems import PlanError
from ..models import Plan
from .references import names_for
from .spreadsheets import _KINDS, TABLE_KINDS

__all__ = ["HELP_ROW_NAME", "TemplateColumn", "template_bytes", "template_columns", "write_template"]

#: The workbook name marking the help row, which the import skips.
HELP_ROW_NAME = "partnerlib_help_row"
_FIRST_ROW = 3  # heading, help, then the rows to fill in
_LAST_ROW = 5000  # how far down the checks reach
_LISTS = "Lists"


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
    spec = _KINDS[kind]
    model = spec.model
    lookups = names_for(model, plan)
    columns = []
    for name, info in model.model_fields.items():
        if name == "id" and kind != "measurements":
            help_text = "Leave empty for a new row; an id (or the same name) updates that record."
        else:
            help_text = info.description or ""
        kind_of = unwrap(info.annotation)[0]  # without Annotated and None: int, str, a Literal …
        choices: list[str] = []
        bounds: tuple[Any, Any] = (None, None)
        if name in lookups:
            names = lookups[name]
            choices = [record_name or record_id for record_id, record_name, _ in names.records]
            kind_name = "list"
            help_text = f"The {names.one}: choose one of the plan's {names.many} (its id or code works too)."
        elif typing.get_origin(kind_of) is Literal:
            choices, kind_name = [str(c) for c in typing.get_args(kind_of)], "list"
        elif kind_of is bool:
            choices, kind_name = ["true", "false"], "list"
        elif kind_of is int or kind_of is float:
            kind_name, bounds = ("whole" if kind_of is int else "decimal"), _bounds(model, name)
        elif getattr(kind_of, "__name__", "") == "date":
            kind_name = "date"
            help_text += " A date like 2026-03-31."
        else:
            kind_name = "text"
        required = info.is_required() or name in spec.required
        columns.append(TemplateColumn(name, kind_name, ("Required. " if required else "") + help_text.strip(),
                                      choices, bounds))
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
        raise PlanError(f"{path.name}: a template is an .xlsx file")
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
        raise PlanError(f"unknown kind of table {kind!r}: choose one of {', '.join(TABLE_KINDS)}")
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
                                  errorTitle=name, error="Choose a value from the list.")
        elif kind_name == "date":
            rule = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                  showErrorMessage=True, errorTitle=name, error="Type a date like 2026-03-31.")
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif kind_name in ("whole", "decimal"):
            low = -1e15 if low is None else low
            high = 1e15 if high is None else high
            rule = DataValidation(type=kind_name, operator="between", formula1=f"{low:g}", formula2=f"{high:g}",
                                  allow_blank=True, showErrorMessage=True, errorTitle=name,
                                  error=f"Type a {'whole ' if kind_name == 'whole' else ''}number "
                                        f"from {write_number(low)} to {write_number(high)}.")
        else:
            continue
        sheet.add_data_validation(rule)
        rule.add(cells)
    sheet.freeze_panes = f"A{_FIRST_ROW}"
    book.defined_names[HELP_ROW_NAME] = DefinedName(HELP_ROW_NAME, attr_text=f"'{sheet.title}'!$2:$2")
    written = io.BytesIO()
    book.save(written)
    return written.getvalue()
