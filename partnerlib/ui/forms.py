"""Forms generated from the plan models: a record form, a table of records, a section editor.

Every widget comes from the model through one table, :data:`WIDGET_RULES`
(in ``partnerlib/widgets.py``): a field's type, bounds, choices and description
decide its widget, range and help line. A submitted form is validated by the
model itself and its messages come from :func:`partnerlib.core.problems.describe`, so
they state the same rules as a spreadsheet or JSON import, in the form's own
words: the label by the box and what the user typed (``Impact must be between
1 and 5 (you typed 9)``), and for a rule between rows, the row by its name
(``Row 2 (Floods): …``). Each is shown under the field it is about. Invalid
input keeps what the user typed and saves nothing.

A row of a table is edited in its own form under the table: "Keep this row"
puts it in the table (and says so), the section's Save stores the section.
While the form holds anything not saved yet, the Save button reads "Save
changes ●" in orange and the line under it says so; after Save (or Revert)
it reads "Save" again. Save also keeps a row still open, so one press stores
what the user sees.

Callbacks never print and never use ``with out:``: messages are written into
widget values, so a notebook cell shows only the widget (nbval compares
nothing else) and Voilà shows every message.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import weakref
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.collector import fewer_collections
from ..core.fields import field_label
from ..core.formats import plural
from ..core.problems import (
    InvalidInput,
    PlanError,
    Problem,
    describe,
    render,
    sentence,
)
from ..io.store import StaleSave
from ..models import CANDIDATES, KPIS, PARTIES, SECTIONS, Plan, references_of
from ..output.display import format_date
from .widgets import (
    FORM_CLASS,
    FORM_STYLE,
    WIDGET_RULES,
    FieldType,
    Input,
    UnknownFieldType,
    build_input,
    error_html,
    help_html,
    help_text,
    note_html,
    plain_widget,
    rule_for,
    shared_look,
    shared_style,
)
from .widgets import ipywidgets_module as _w

__all__ = [
    "ModelForm",
    "RecordTable",
    "SectionEditor",
    "UnknownFieldType",
    "WIDGET_RULES",
    "field_label",
    "form_for",
    "section_editor",
]

#: Key of :attr:`ModelForm.errors` for a problem that is about no single field.
WHOLE_FORM = ""
#: The words of the button that keeps an open row in its table (the section's Save stores it).
KEEP = sentence("label_keep_row")
#: The Save button's words while the form holds changes not saved yet.
UNSAVED_SAVE = sentence("label_save_changes")
#: Fields tried, in order, to name a record in a table's row chooser and in a dropdown.
_NAMING_FIELDS = ("title", "name", "text", "item", "statement", "leader", "giver", "message",
                  "person", "description", "stakeholder", "impact_area", "category")
#: A field holding ids of other records → where its choices come from, as its model
#: declares it (``RefersTo``): a list of records in the same section (its rows as
#: they stand in the form), or one of PARTIES, CANDIDATES, KPIS (read from the
#: saved plan given to the form). A field whose choices are unknown (no plan
#: given) stays a text box.
_PLAN_SOURCES: dict[str, Callable[[Plan], dict[str, str]]] = {
    PARTIES: lambda plan: plan.parties(),
    CANDIDATES: lambda plan: {c.id: c.name for c in plan.partners.candidates},
    KPIS: lambda plan: {k.id: k.name for k in plan.monitoring.kpis},
}
#: The look of a record table (an HTML widget gets none of the notebook's table style): long text
#: wraps between words within its cell, a word is cut only if it alone is wider than the table
#: allows ("overflow-wrap:anywhere" cut "Likelihood" into "Likel/ihood" on a projector and every
#: word into letters on a phone), and the table grows with its rows (no box of its own to scroll
#: up and down). Too wide for the screen (a phone), it scrolls sideways in a box the keyboard
#: reaches (:data:`_TABLE_BOX`); the box's width comes from the page, not from the table
#: (``contain:inline-size``), or the widget around it would grow and be cut off instead.
_TABLE_STYLE = (
    "<style>.partnerlib-records{border-collapse:collapse;font-size:90%;width:100%}"
    ".partnerlib-records th,.partnerlib-records td{padding:2px 8px;text-align:left;"
    "vertical-align:top;line-height:1.35;border-bottom:1px solid #ddd;"
    "white-space:normal;overflow-wrap:break-word}"
    ".partnerlib-records-box{overflow-x:auto;overflow-y:hidden;max-width:100%;contain:inline-size}</style>"
)
#: The box around a record table, named after its list: a region the keyboard can reach and scroll.
_TABLE_BOX = '<div class="partnerlib-records-box" role="region" tabindex="0" aria-label="{label}">'

#: Longest text shown in one cell of a record table (it wraps; the whole text is in the row's form).
_CELL_LENGTH = 300
#: Rows shown at once in a record table; longer lists get Previous and Next.
PAGE_SIZE = 25
#: The section editors alive in this kernel (held weakly): what a page shows of a plan, so a page
#: drawn in advance can switch to the plan its address names (:meth:`SectionEditor.switch_plan`).
OPEN_EDITORS: weakref.WeakSet[SectionEditor] = weakref.WeakSet()
_HIDDEN, _SHOWN = "none", ""


def _show(widget: Any, shown: bool) -> None:
    widget.layout.display = _SHOWN if shown else _HIDDEN


def _bundle(widget: Any, text: str) -> dict[str, Any]:
    """Display a widget with a fixed plain-text stand-in (nbval compares text/plain, not views)."""
    bundle = dict(widget._repr_mimebundle_())
    bundle["text/plain"] = text
    return bundle


def record_name(record: BaseModel) -> str:
    """Return the words that name a record in a list: its title, name, text … ('' if none).

    >>> from partnerlib.models import Risk
    >>> record_name(Risk(id="r1", title="Floods"))
    'Floods'
    """
    for name in _NAMING_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return value
    return ""


def _by_field(problems: list[tuple[str, str]]) -> dict[str, str]:
    """Join the messages of each field (``WHOLE_FORM`` for the whole form) with "; "."""
    found: dict[str, str] = {}
    for field, message in problems:
        found[field] = f"{found[field]}; {message}" if field in found else message
    return found


class ModelForm:
    """A form for one record or section, built from its model.

    A record's own ``id`` is kept in a hidden box (ids are internal: a new
    record gets a fresh one). A field holding ids of other records becomes a
    dropdown of their names when the form knows them (``references``, or for a
    section's tables, the ``RefersTo`` markers of its models). Each change is checked at once and a
    problem with the changed field is shown by it; nothing is saved.

    Attributes:
        model: the pydantic model the form edits.
        plan: the saved plan the choices of references to other sections come from, or None.
        fields: field name → the input widget (or :class:`RecordTable` for a list of records).
        error_labels: field name → the HTML widget under the field showing its problem.
        widget: the ipywidgets ``VBox`` to display.
    """

    def __init__(self, model: type[BaseModel], value: BaseModel | None = None, *,
                 plan: Plan | None = None, references: dict[str, dict[str, str]] | None = None) -> None:
        w = _w()
        self.model = model
        self.plan = plan
        self.inputs: dict[str, Input | RecordTable] = {}
        self.fields: dict[str, Any] = {}
        self.error_labels: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self._types: dict[str, FieldType] = {}
        self._empty: dict[str, Any] = {}
        self._listeners: list[Callable[[], None]] = []
        self._loading = False
        rows = []
        references = references or {}
        for name in model.model_fields:
            rule, field = rule_for(model, name, references=references.get(name))
            self._types[name] = field
            if rule.widget == "RecordTable":
                table = RecordTable(field.item, label=field_label(name), description=field.description)
                table.references = functools.partial(self.choices_for, field.item)
                self.inputs[name] = self.fields[name] = table
                box = [table.widget]
            else:
                entry = build_input(rule, field)
                self.inputs[name], self.fields[name] = entry, entry.widget
                box = [entry.widget, plain_widget("HTML", help_html(help_text(rule, field)))]
            self._empty[name] = self.inputs[name].read()
            self.error_labels[name] = plain_widget("HTML", "")
            if name == "id" and rule.widget == "Text":
                rows.append(w.VBox([*box, self.error_labels[name]]))
                _show(rows[-1], False)  # ids are internal: kept, never shown
            else:
                rows.append(plain_widget("VBox", [*box, self.error_labels[name]]))
            self.inputs[name].observe(functools.partial(self._changed, name))
        self.error_labels[WHOLE_FORM] = plain_widget("HTML", "")
        self.widget = plain_widget("VBox", [*rows, self.error_labels[WHOLE_FORM], plain_widget("HTML", FORM_STYLE)])
        self.widget.add_class(FORM_CLASS)
        self.set_value(value)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        model = getattr(self.model, "title", "") or self.model.__name__
        return _bundle(self.widget, sentence("shown_form", title=model))

    def widget_for(self, name: str) -> Any:
        """Return the input widget of one field (a :class:`RecordTable` for a list of records)."""
        return self.fields[name]

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever the user changes any field (not when a value is set)."""
        self._listeners.append(callback)

    def choices_for(self, model: type[BaseModel]) -> dict[str, dict[str, str]]:
        """Return the records each reference field of ``model`` may point at: field → {id: name}.

        Lists of the same section are read as they stand in this form; parties,
        candidates and KPIs come from :attr:`plan`. A field whose sources are
        all unknown here is left out (it stays a text box).
        """
        found: dict[str, dict[str, str]] = {}
        for field, marker in references_of(model).items():
            choices: dict[str, str] | None = None
            for source in marker.sources:
                if isinstance(table := self.inputs.get(source), RecordTable):
                    rows: list[Any] = table.rows  # records of a table, each with an id
                    choices = (choices or {}) | {row.id: record_name(row) for row in rows}
                elif source in _PLAN_SOURCES and self.plan is not None:
                    choices = (choices or {}) | _PLAN_SOURCES[source](self.plan)
            if choices is not None:
                found[field] = choices
        return found

    def _changed(self, name: str = WHOLE_FORM) -> None:
        if self._loading:
            return
        if isinstance(self.inputs.get(name), RecordTable):
            for table in self.inputs.values():
                if isinstance(table, RecordTable) and table is not self.inputs[name]:
                    table.refresh()  # names of rows pointed at may have changed
        self.check(name)
        for callback in self._listeners:
            callback()

    def check(self, name: str) -> str:
        """Check the form after field ``name`` changed; show its problem by it, or clear it.

        Messages of other fields are cleared once fixed, never added: a field the
        user has not reached yet shows nothing until "Keep this row" or Save. Nothing is saved.

        Returns:
            The field's message ('' when its value is fine).
        """
        try:
            self.model.model_validate(self.collect())
        except ValidationError as exc:
            found = _by_field(self._problems(exc))
        else:
            found = {}
        shown = {key: found[key] for key in self.errors if key in found}
        if name in found:
            shown[name] = found[name]
        else:
            shown.pop(name, None)
        self._show_errors(shown)
        return found.get(name, "")

    def set_value(self, value: BaseModel | None) -> None:
        """Show a record in the form (None: the model's defaults) and clear the messages."""
        self._loading = True
        try:
            for name, entry in self.inputs.items():
                field = self._types[name]
                if value is not None:
                    entry.write(getattr(value, name))
                else:
                    entry.write(self._empty[name] if field.required else field.default)
        finally:
            self._loading = False
        for entry in self.inputs.values():
            if isinstance(entry, RecordTable):
                entry.refresh()  # a table may name rows of a table written after it
        self._show_errors({})

    def keep_open_rows(self) -> None:
        """Keep each row still open under a table in it, if valid (an invalid one stays open)."""
        for entry in self.inputs.values():
            if isinstance(entry, RecordTable) and entry.editing:
                entry.ok()

    def clear_notes(self) -> None:
        """Clear the tables' lines such as "Row 3 kept in the table — press Save …" (once saved)."""
        for entry in self.inputs.values():
            if isinstance(entry, RecordTable):
                entry.message.value = ""

    def collect(self) -> dict[str, Any]:
        """Return what the form holds, field by field, as the model would receive it."""
        return {name: entry.read() for name, entry in self.inputs.items()}

    @property
    def value(self) -> BaseModel:
        """Validate what the form holds through the model and return the record.

        Problems are shown under their fields (and kept in :attr:`errors`);
        the widgets keep what the user typed either way.

        Raises:
            InvalidInput: the input breaks the model's rules; one Problem per rule broken.
        """
        problems = [Problem((name,), "row_open", {"keep": KEEP})
                    for name, entry in self.inputs.items() if isinstance(entry, RecordTable) and entry.editing]
        if not problems:
            try:
                record = self.model.model_validate(self.collect())
            except ValidationError as exc:
                problems = describe(exc, model=self.model)
            else:
                self._show_errors({})
                return record
        said = [(self._field_of(p), self._in_form_words(p)) for p in problems]
        self._show_errors(_by_field(said))
        raise InvalidInput(problems, getattr(self.model, "title", "") or self.model.__name__,
                           said=[words for _field, words in said])

    def _problems(self, exc: ValidationError) -> list[tuple[str, str]]:
        """Pair each problem of a failed validation with the field it is shown by and its words in this form."""
        return [(self._field_of(p), self._in_form_words(p)) for p in describe(exc, model=self.model)]

    def _field_of(self, problem: Problem) -> str:
        """Say which field of the form a problem is shown by: its row's table, or its own field."""
        for key in (*problem.path[:1], problem.field):
            if key in self.inputs:
                return str(key)
        return WHOLE_FORM

    def _in_form_words(self, problem: Problem) -> str:
        """Word a problem for this form: fields by their labels, a row and the records it names by their names.

        A rule about row 2 of the risks reads ``Row 2 (Fire): ID 'r1' is used twice``;
        a score given twice names the candidate and the criterion.
        """
        table = self.inputs.get(str(problem.path[0])) if len(problem.path) == 2 else None
        row = problem.path[1] if len(problem.path) == 2 else None
        if not (isinstance(table, RecordTable) and isinstance(row, int) and 0 <= row < len(table.rows)):
            return render(problem, form=True)
        references = table.references()
        named = {key: references[key].get(value) or value for key, value in problem.context.items()
                 if key in references and key != "field" and isinstance(value, str)}
        words = render(problem._replace(context={**problem.context, **named}), form=True)
        return f"{_row_title(table.rows[row], row + 1, references)}: {words}"

    def _show_errors(self, found: dict[str, str]) -> None:
        self.errors = dict(found)
        for name, label in self.error_labels.items():
            indent = name in self.inputs and not isinstance(self.inputs[name], RecordTable)
            label.value = error_html(found.get(name, ""), indent=indent)


def _cell(value: Any) -> str:
    """Write one value of a record table's cell as the results tables do (dates as "10 Sep 2024")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, float):
        value = f"{value:,.2f}".rstrip("0").rstrip(".")
    text = str(value)
    return text if len(text) <= _CELL_LENGTH else text[: _CELL_LENGTH - 1] + "…"


_NO_ROW = sentence("label_choose_row")
#: The "Row:" chooser's value when no row is chosen (None would show an empty box, not _NO_ROW).
_NONE = -1


def _named(value: Any, names: dict[str, str] | None) -> Any:
    """Show ids of other records by their names (an unknown id as "<id> (unknown)")."""
    if names is None or value in ("", None, []):
        return value
    if isinstance(value, list):
        return [names.get(v) or f"{v} (unknown)" for v in value]
    return names.get(value) or f"{value} (unknown)"


def _row_words(record: BaseModel, names: dict[str, dict[str, str]]) -> str:
    """Return the words naming a row: its own name, else the names of the records it points at."""
    words = record_name(record)
    if not words:  # a score, a member …: named by what it points at
        words = " · ".join(
            choices.get(str(getattr(record, field)), str(getattr(record, field)))
            for field, choices in names.items()
            if isinstance(getattr(record, field, None), str) and getattr(record, field)
        )
    return words


def _row_title(record: BaseModel, number: int, names: dict[str, dict[str, str]]) -> str:
    """Name a row in a message, counted from 1: ``Row 3 (Floods)``, or ``Row 3`` when it has no name."""
    words = _row_words(record, names)
    return sentence("form_named_row", number=number, name=words) if words else sentence("form_row", number=number)


class RecordTable:
    """A list of records shown as a read-only table, edited one record at a time.

    One control: the table (:data:`PAGE_SIZE` rows a page, with Previous and
    Next when there are more; long text wraps), then a "Row:" dropdown ("1 · Floods" …) with Add,
    Edit and Delete. Add and Edit open the record's own model-derived form
    under the table; "Keep this row" validates the record (messages by its
    fields, nothing changes on error) and puts it in the table, Cancel drops
    the edit. Delete removes the chosen row. A kept or deleted row is only in
    the table: the line under it says so and points to the section's Save.
    Rules between rows (unknown ids, duplicates) are checked by the section.
    Ids are not shown; a column holding ids of other records shows their names.

    Attributes:
        model: the record model of the rows.
        label: the list's name ("Risks"), also the name of the table's box for screen readers.
        rows: the records, in order.
        table: the HTML widget showing the rows of the current page (every cell escaped).
        page: the page shown, counted from 0.
        pager: Previous, "Rows 26–50 of 240" and Next; hidden while every row fits on one page.
        chooser: the "Row:" ``Dropdown``; Edit and Delete act on its choice (a row index from 0, or -1 for none).
        references: returns field → {id: name} for the record's reference fields (set by the section's form).
        editor: the open record form, or None.
        ok_button: the "Keep this row" button under the open record form.
        message: the line under the table's buttons: what happened to a row, or what to do first.
        editor_message: the line under "Keep this row": why the open row is not kept.
        widget: the ipywidgets ``VBox`` to display.
    """

    def __init__(self, model: type[BaseModel], *, label: str = "", description: str = "") -> None:
        w = _w()
        self.model = model
        self.label = label
        self.rows: list[BaseModel] = []
        self.editor: ModelForm | None = None
        self.editing_index: int | None = None
        self.references: Callable[[], dict[str, dict[str, str]]] = dict
        self._listeners: list[Callable[[], None]] = []
        self.columns = [name for name in model.model_fields if name != "id"]
        self.title = plain_widget("HTML", f'<b style="font-size:17px">{html.escape(label)}</b>'
                                  + help_html(description, indent=False))
        self.table = plain_widget("HTML", "")
        self.chooser = plain_widget("Dropdown", options=[(_NO_ROW, _NONE)], value=_NONE,
                                    description=sentence("label_row"),
                                    style=shared_style("Dropdown", description_width="auto"),
                                    layout=shared_look(w.Layout, width="auto", min_width="260px", max_width="480px"))
        self.add_button = plain_widget("Button", description=sentence("label_add"), icon="plus",
                                       tooltip=sentence("tip_add_row"))
        self.edit_button = plain_widget("Button", description=sentence("label_edit"), icon="pencil",
                                        tooltip=sentence("tip_edit_row"))
        self.delete_button = plain_widget("Button", description=sentence("label_delete"), icon="trash",
                                          tooltip=sentence("tip_delete_row"))
        self.ok_button = plain_widget("Button", description=KEEP, icon="check", button_style="primary",
                                      tooltip=sentence("tip_keep_row"),
                                      layout=shared_look(w.Layout, width="auto"))
        self.cancel_button = plain_widget("Button", description=sentence("label_cancel"),
                                          tooltip=sentence("tip_cancel_row"))
        self.page = 0
        self.previous_button = plain_widget("Button", description=sentence("label_previous"), icon="chevron-left",
                                            tooltip=sentence("tip_rows_before", count=PAGE_SIZE))
        self.next_button = plain_widget("Button", description=sentence("label_next"), icon="chevron-right",
                                        tooltip=sentence("tip_rows_after", count=PAGE_SIZE))
        self.page_label = plain_widget("HTML", "")
        self.previous_button.on_click(lambda _b: self.show_page(self.page - 1))
        self.next_button.on_click(lambda _b: self.show_page(self.page + 1))
        # Its own layout: it is hidden while every row fits on one page.
        self.pager = w.HBox([self.previous_button, self.page_label, self.next_button],
                            layout=w.Layout(align_items="center"))
        self.message = plain_widget("HTML", "")
        self.editor_message = plain_widget("HTML", "")
        self.editor_title = plain_widget("HTML", "")
        self.editor_box = w.VBox([], layout=w.Layout(border="1px solid #999", padding="8px"))
        _show(self.editor_box, False)
        self.add_button.on_click(lambda _b: self.add())
        self.edit_button.on_click(lambda _b: self.edit())
        self.delete_button.on_click(lambda _b: self.delete())
        self.ok_button.on_click(lambda _b: self.ok())
        self.cancel_button.on_click(lambda _b: self.cancel())
        buttons = plain_widget("HBox", [self.add_button, self.chooser, self.edit_button, self.delete_button],
                               layout=shared_look(w.Layout, flex_flow="row wrap", align_items="center"))
        self.widget = plain_widget("VBox", [self.title, self.table, self.pager, buttons, self.message,
                                            self.editor_box])
        self.refresh()

    @property
    def editing(self) -> bool:
        """True while a record form is open under the table."""
        return self.editor is not None

    def observe(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever a row is added, changed or deleted."""
        self._listeners.append(callback)

    def read(self) -> list[BaseModel]:
        """Return the rows (records already validated one by one)."""
        return list(self.rows)

    def write(self, value: list[BaseModel] | None) -> None:
        """Show these records and close any open edit."""
        self.rows = list(value or [])
        self._close()
        self.refresh()

    def table_html(self) -> str:
        """Return the table of rows as HTML; every cell is escaped, ids of other records become names."""
        names = self.references()
        head = "".join(f"<th>{html.escape(field_label(c))}</th>" for c in self.columns)
        first = self.page * PAGE_SIZE
        body = "".join(
            "<tr><td>" + str(number) + "</td>"
            + "".join(f"<td>{html.escape(_cell(_named(getattr(row, c), names.get(c))))}</td>"
                      for c in self.columns)
            + "</tr>"
            for number, row in enumerate(self.rows[first:first + PAGE_SIZE], start=first + 1)
        )
        if not self.rows:
            body = f'<tr><td colspan="{len(self.columns) + 1}"><i>{html.escape(sentence("form_no_rows"))}</i></td></tr>'
        return (
            _TABLE_STYLE + _TABLE_BOX.format(label=html.escape(self.label or sentence("label_rows"))) +
            '<table class="partnerlib-records">'
            f"<thead><tr><th>#</th>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )

    @property
    def pages(self) -> int:
        """How many pages of :data:`PAGE_SIZE` rows the table has (1 when empty)."""
        return max(1, -(-len(self.rows) // PAGE_SIZE))

    def show_page(self, page: int) -> None:
        """Show page ``page`` of the rows (counted from 0; kept within the pages there are)."""
        self.page = min(max(page, 0), self.pages - 1)
        first = self.page * PAGE_SIZE
        self.table.value = self.table_html()
        shown = sentence("form_rows_shown", first=first + 1, last=min(first + PAGE_SIZE, len(self.rows)),
                         count=len(self.rows))
        self.page_label.value = f"&nbsp;{html.escape(shown)}&nbsp;"
        self.previous_button.disabled = self.page == 0
        self.next_button.disabled = self.page == self.pages - 1
        _show(self.pager, self.pages > 1)

    def refresh(self) -> None:
        """Show the rows again (after a change here, or to the records they point at)."""
        chosen = self.chooser.value
        names = self.references()
        self.show_page(self.page)
        self.chooser.options = [(_NO_ROW, _NONE)] + [
            (f"{i + 1} · {_row_words(row, names) or f'row {i + 1}'}", i) for i, row in enumerate(self.rows)
        ]
        self.chooser.value = chosen if 0 <= chosen < len(self.rows) else _NONE

    def _notify(self) -> None:
        for callback in self._listeners:
            callback()

    def _busy(self) -> bool:
        if self.editing:
            self.message.value = error_html(sentence("form_finish_open_row", keep=KEEP), indent=False)
        return self.editing

    def _selected(self, index: int | None) -> int | None:
        if self._busy():
            return None
        index = self.chooser.value if index is None else index
        if not 0 <= index < len(self.rows):
            self.message.value = error_html(sentence("form_choose_row"), indent=False)
            return None
        return index

    def _title(self, index: int) -> str:
        return _row_title(self.rows[index], index + 1, self.references())

    def add(self) -> None:
        """Open an empty record form (the model's defaults) under the table."""
        if not self._busy():
            self._open(None, sentence("label_new_row"))

    def edit(self, index: int | None = None) -> None:
        """Open the chosen row (or row ``index``, counted from 0) in a record form."""
        index = self._selected(index)
        if index is not None:
            self.show_page(index // PAGE_SIZE)
            self._open(index, self._title(index))

    def delete(self, index: int | None = None) -> None:
        """Remove the chosen row (or row ``index``, counted from 0) from the table; Save stores that."""
        index = self._selected(index)
        if index is None:
            return
        title = self._title(index)
        del self.rows[index]
        self.chooser.value = _NONE
        self.refresh()
        self.message.value = note_html(sentence("form_row_deleted", row=title))
        self._notify()

    def ok(self) -> bool:
        """Validate the open record; keep it in the table if valid, else show its messages.

        The row is kept in the table only: the line under the table says so and
        that the section's Save stores it.

        Returns:
            True when the record was valid and its form closed.
        """
        if self.editor is None:
            return False
        try:
            record = self.editor.value
        except InvalidInput:
            self.editor_message.value = error_html(sentence("form_row_not_kept", keep=KEEP), indent=False)
            return False
        index = len(self.rows) if self.editing_index is None else self.editing_index
        changed = index == len(self.rows) or record != self.rows[index]
        self.rows[index:index + 1] = [record]  # appends a new row, replaces an edited one
        self._close()
        self.page = index // PAGE_SIZE  # the kept row in view
        self.refresh()
        self.chooser.value = index
        if changed:
            self.message.value = note_html(sentence("form_row_kept", row=self._title(index)))
            self._notify()
        else:
            self.message.value = note_html(sentence("form_row_unchanged", row=self._title(index)))
        return True

    def cancel(self) -> None:
        """Close the open record form without changing the table."""
        self._close()

    def _open(self, index: int | None, title: str) -> None:
        self.editor = form_for(self.model, None if index is None else self.rows[index],
                               references=self.references())
        self.editing_index = index
        self.editor_title.value = f"<b>{html.escape(title)}</b>"
        self.editor_box.children = [self.editor_title, self.editor.widget,
                                    plain_widget("HBox", [self.ok_button, self.cancel_button]), self.editor_message]
        self.message.value = ""
        _show(self.editor_box, True)

    def _close(self) -> None:
        self.editor = None
        self.editing_index = None
        self.editor_box.children = []
        self.message.value = self.editor_message.value = ""
        _show(self.editor_box, False)


def form_for(model: type[BaseModel], value: BaseModel | None = None, *, plan: Plan | None = None,
             references: dict[str, dict[str, str]] | None = None) -> ModelForm:
    """Return a form for one record or section, built from its model.

    Each field gets the widget of the first matching rule of
    :data:`WIDGET_RULES`, its humanised name as label and its description as
    help; a list of records becomes a :class:`RecordTable`.

    >>> from partnerlib.models import Risk
    >>> form = form_for(Risk, Risk(id="r1", title="Floods", impact=4))
    >>> form.fields["impact"].value, form.value.title
    ('4', 'Floods')

    >>> from partnerlib.models import Score
    >>> score = form_for(Score, references={"candidate": {"c1": "City Clinic"}})
    >>> score.fields["candidate"].options
    (('— choose —', ''), ('City Clinic', 'c1'))

    Args:
        model: the record or section model.
        value: the record to show; None shows the model's defaults.
        plan: the saved plan, for references to other sections (parties, candidates, KPIs).
        references: field → {id: name} of the records a field may point at (a dropdown of names).

    Returns:
        The form; display ``form.widget``, read ``form.value``.

    Raises:
        UnknownFieldType: a field of the model has a type no rule covers.
    """
    return ModelForm(model, value, plan=plan, references=references)


class SectionEditor:
    """The editor of one section of a saved plan: its form, Save, Revert and a status line.

    Attributes:
        form: the section's :class:`ModelForm`.
        base: the revision the form's values were loaded from (a stale save is refused).
        loaded_revisions: every section's revision of the plan when it was last loaded.
        saved: the section as last loaded or saved.
        stale: True after a save was refused because someone else saved first.
        unsaved: True while the form holds changes not saved yet (the Save button then reads
            "Save changes ●" in orange, and the status line says to press it).
        status: the HTML widget saying what happened last.
        heading: the HTML widget above the form naming the plan it edits.
        widget: the ipywidgets ``VBox`` to display.
    """

    def __init__(self, workspace: Any, plan_name: str, section_name: str, *, author: str = "",
                 on_saved: Callable[[BaseModel], Any] | None = None) -> None:
        if section_name not in SECTIONS:
            raise PlanError.of("not_a_section", got=section_name, sections=list(SECTIONS))
        w = _w()
        self.workspace, self.plan_name, self.section_name = workspace, plan_name, section_name
        self.model = SECTIONS[section_name]
        self.author, self.on_saved = author, on_saved
        self.status = plain_widget("HTML", "")
        self.heading = plain_widget("HTML", "")
        self.save_button = plain_widget("Button", description=sentence("label_save"), button_style="primary",
                                        icon="save",
                                        tooltip=sentence("tip_save_step"))
        self.revert_button = plain_widget("Button", description=sentence("label_revert"), icon="undo",
                                          tooltip=sentence("tip_revert"))
        # Its own layout: it is hidden until a save is refused.
        self.reload_button = plain_widget("Button", description=sentence("label_reload"),
                                          button_style="warning", layout=w.Layout(width="auto"))
        self.save_button.on_click(lambda _b: self._clicked(self.save))
        self.revert_button.on_click(lambda _b: self._clicked(self.revert))
        self.reload_button.on_click(lambda _b: self._clicked(self.reload))
        self.unsaved = False
        self._load()
        OPEN_EDITORS.add(self)
        self.form = form_for(self.model, self.saved, plan=self.plan)
        self.form.on_change(self._changed)
        self._say(sentence("form_showing_saved"))
        self.widget = plain_widget("VBox", [
            self.heading,
            self.form.widget,
            plain_widget("HBox", [self.save_button, self.revert_button, self.reload_button]),
            self.status,
        ])
        self.widget.add_class(FORM_CLASS)  # buttons and status in the form's readable size

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return _bundle(self.widget, sentence("shown_editor", title=self.model.title))

    def _load(self) -> None:
        snapshot = self.workspace.load(self.plan_name)
        self.plan = snapshot.plan
        self.saved = getattr(snapshot.plan, self.section_name)
        self.base = snapshot.revisions.get(self.section_name)
        self.loaded_revisions = dict(snapshot.revisions)
        self.stale = False
        _show(self.reload_button, False)
        self._name_plan()

    def _name_plan(self) -> None:
        """Say above the form which plan it edits: step 0 may have switched to another one."""
        self.heading.value = f'<span style="color:#333">Plan: <b>{html.escape(self.plan_name)}</b></span>'

    def _say(self, text: str, *, problem: bool = False, pending: bool = False) -> None:
        """Show what happened last: a problem (⚠, red), something left to do (bold), or news."""
        if problem:
            self.status.value = error_html(text, indent=False)
        else:
            weight = "font-weight:600;" if pending else ""
            self.status.value = f'<span style="{weight}color:#333">{html.escape(text)}</span>'

    def _changed(self) -> None:
        self._mark_unsaved(True)
        if not self.stale:  # keep the stale-save message in view until the user reloads
            self._say(sentence("form_unsaved"), pending=True)

    def _mark_unsaved(self, unsaved: bool) -> None:
        """Mark the Save button while the form holds changes not saved yet ("Save changes ●", orange)."""
        self.unsaved = unsaved
        self.save_button.description = UNSAVED_SAVE if unsaved else sentence("label_save")
        self.save_button.button_style = "warning" if unsaved else "primary"

    def _clicked(self, action: Callable[[], Any]) -> None:
        """Run a button's action; an error becomes the status line, never output in the cell."""
        try:
            action()
        except Exception as exc:  # a button's callback has nowhere else to report
            self._say(sentence("form_went_wrong", reason=str(exc)), problem=True)

    def save(self) -> Any:
        """Validate the section and save it as a new revision; return the revision or None.

        A row still open under a table is kept first, when valid: Save stores
        what the user sees. Invalid input saves nothing (messages by the
        fields). A save refused because someone else saved the section first
        saves nothing either, keeps the form as typed and offers "Reload
        (discard my changes)".
        """
        self.form.keep_open_rows()
        try:
            value = self.form.value
        except InvalidInput as exc:
            self._say(sentence("form_not_saved_problems", problems=plural(len(exc.problems), "problem")),
                      problem=True)
            return None
        try:
            revision = self.workspace.save_section(self.plan_name, self.section_name, value,
                                                   base=self.base, author=self.author)
        except StaleSave as exc:
            self._say(sentence("form_not_saved_stale", reason=str(exc)), problem=True)
            self.stale = True
            _show(self.reload_button, True)
            return None
        except PlanError as exc:
            self._say(sentence("form_not_saved", reason=str(exc)), problem=True)
            return None
        self.plan_name = revision.plan  # saving the plan's details may rename it
        self._name_plan()
        self.saved, self.base = value, revision.id
        self._mark_unsaved(False)
        self.form.clear_notes()
        saved = _saved_text(revision, self.author)
        self._say(saved)
        if self.on_saved is not None:
            try:
                self.on_saved(value)
            except Exception as exc:  # the save stands; say why the results are not updated
                self._say(f"{saved} {sentence('entry_results_not_updated', reason=str(exc))}", problem=True)
        return revision

    def revert(self) -> None:
        """Show the last loaded or saved version again, dropping unsaved changes."""
        self.form.set_value(self.saved)
        self._mark_unsaved(False)
        self._say(sentence("form_reverted"))

    def reload(self) -> None:
        """Load the latest saved version from the workspace (unsaved changes are dropped)."""
        self._load()
        self.form.plan = self.plan
        self.form.set_value(self.saved)
        self._mark_unsaved(False)
        self._say(sentence("form_showing_latest"))

    def switch_plan(self, plan_name: str) -> None:
        """Edit the same section of ``plan_name`` as saved now, and redraw what follows this editor's saves.

        A warm Voilà kernel draws its page before the page is asked for, on the
        workspace's plan; a page whose address names another plan, or drawn
        before someone saved, switches here (:func:`partnerlib.ui.workbook.show_page_plan`).
        """
        self.plan_name = plan_name
        self.reload()
        self._say(sentence("form_showing_saved"))
        if self.on_saved is not None:
            self.on_saved(self.saved)


def _saved_text(revision: Any, author: str) -> str:
    saved_at: Any = getattr(revision, "saved_at", None)
    if hasattr(saved_at, "strftime"):
        if getattr(saved_at, "tzinfo", None) is not None:
            saved_at = saved_at.astimezone()
        saved_at = saved_at.strftime("%H:%M")
    who = getattr(revision, "author", "") or author
    return sentence("form_saved_at_by", time=saved_at, author=who) if who else sentence("form_saved_at", time=saved_at)


@fewer_collections()
def section_editor(workspace: Any, plan_name: str, section_name: str, *, author: str = "",
                   on_saved: Callable[[BaseModel], Any] | None = None) -> SectionEditor:
    """Return the editor of one section of a saved plan.

    Loads the plan from the workspace, shows the section's form with Save and
    Revert, and a status line. Save validates, saves a new revision on top of
    the one loaded and calls ``on_saved(value)`` (for example to redraw the
    results); a stale save is refused with a clear message and a Reload button.

    Args:
        workspace: an open workspace (``Workspace.open(path)``).
        plan_name: the saved plan's name.
        section_name: a key of ``SECTIONS`` (``"risks"``, ``"goals"`` …).
        author: who is editing; written into each saved revision.
        on_saved: called with the saved section after each successful save.

    Returns:
        The editor; display ``editor.widget``.
    """
    return SectionEditor(workspace, plan_name, section_name, author=author, on_saved=on_saved)
