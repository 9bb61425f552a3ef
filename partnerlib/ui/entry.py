r"""Rows typed or pasted on a step's page: measurements (step 10), survey answers (7), review ratings (11).

A person at a desk or in a workshop has the figures in a spreadsheet, or on
paper. The entry box takes rows copied from a spreadsheet (cells separated by
tabs, as every spreadsheet program copies them), with or without the line of
headings, or rows typed by hand with the values separated by commas. KPIs,
questions, reviews and partners are given by name (or id, or code), as an
import gives them.

**Check rows** reads the box exactly as a file import reads a file
(:func:`partnerlib.io.spreadsheets.read_rows`: the same column names, the same
rules, the same report) and lists the rows to fix by their line in the box and
their column. **Save rows** stores the valid rows (measurements are added or
replace the value held for their KPI, date and group; answers and ratings are
saved into their section as one revision) and leaves the rows to fix in the
box, with their messages: nothing typed is lost. The step's results are worked
out again at once.

Under the box, **Spreadsheet template** makes the xlsx template of the same
table for the plan (:func:`partnerlib.io.templates.template_bytes`) and offers
it as a download link: the file travels inside the link (a ``data:`` address),
so it works the same in Voilà and in JupyterLab and leaves no file behind.

>>> import pathlib, tempfile
>>> from partnerlib import SAMPLE_PLAN, follow_saves, section_editor, seed_workspace, views
>>> folder = tempfile.TemporaryDirectory()
>>> book = seed_workspace(pathlib.Path(folder.name) / "workspace.sqlite")
>>> results = follow_saves(section_editor(book, SAMPLE_PLAN, "monitoring"))
>>> entry = entry_table(results, "measurements")
>>> entry.box.value = "KPI\tDate\tValue\nWater points repaired or built\t2026-10-31\t14\nWells\t2026-10-31\t3"
>>> entry.save_button.click()
>>> entry.saved.written, entry.box.value
(1, 'KPI\tDate\tValue\nWells\t2026-10-31\t3')
>>> book.close(); folder.cleanup()
"""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING, Any

from ..core.fields import field_label
from ..core.formats import plural
from ..core.paths import plan_slug
from ..core.problems import ENTRY_MESSAGES, PlanError, sentence
from ..io.spreadsheets import (
    ImportReport,
    entry_columns,
    import_rows,
    pasted_records,
    read_rows,
    required_columns,
    rows_in_words,
    section_of,
)
from ..io.templates import template_bytes, template_columns
from .widgets import FORM_CLASS, error_html, help_html, note_html, plain_widget, shared_look
from .widgets import ipywidgets_module as _w

if TYPE_CHECKING:
    from ..models import Plan
    from .live import LiveResults

__all__ = ["ENTRY_KINDS", "EntryTable", "entry_table"]

#: The tables a page can take rows for: survey answers (step 7), measurements (10), review ratings (11).
ENTRY_KINDS = ("answers", "measurements", "ratings")
#: The words of the buttons.
CHECK, SAVE, TEMPLATE = sentence("label_check_rows"), sentence("label_save_rows"), sentence("label_template")
#: The media type of an xlsx file, for its download link.
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _example(kind: str, plan: Plan) -> list[str]:
    """An example row for the box's placeholder: the plan's first names, its date, the lowest number allowed."""
    values = []
    for column in template_columns(kind, plan):
        if column.name not in entry_columns(kind):
            continue
        if column.choices:
            values.append(column.choices[0])
        elif column.kind == "date":
            values.append(plan.info.as_of.isoformat())
        elif column.kind in ("whole", "decimal"):
            values.append(f"{column.bounds[0] if column.bounds[0] is not None else 1:g}")
        else:
            values.append("")
    return values


class EntryTable:
    """The entry box of one table on a step's page: rows checked and saved as a file import would.

    Attributes:
        kind: ``measurements``, ``answers`` or ``ratings``.
        results: the step's results (and through them its section editor), redrawn after a save.
        box: the ``Textarea`` holding the rows.
        dayfirst: the "Dates with the day first" ``Checkbox``.
        check_button, save_button: "Check rows" and "Save rows".
        report: the HTML widget saying what the last check or save found.
        checked: the report of the last check (of the rows left in the box after a save).
        saved: the report of the last save, or None.
        template_button: "Spreadsheet template"; makes the download link.
        template_link: the HTML widget holding the link, and how to fill the template in.
        widget: the ipywidgets ``VBox`` to display.
    """

    def __init__(self, results: LiveResults, kind: str) -> None:
        if kind not in ENTRY_KINDS:
            raise PlanError.of("not_entered_on_page", got=kind, choices=list(ENTRY_KINDS))
        w = _w()
        self.kind, self.results = kind, results
        self.checked: ImportReport | None = None
        self.saved: ImportReport | None = None
        required = [field_label(name) for name in required_columns(kind)]
        self.help = plain_widget("HTML", help_html(sentence(
            "entry_help", columns=_header(kind), required=required), indent=False))
        self.box = w.Textarea(
            value="", description=sentence("label_rows"), rows=8,
            placeholder="\t".join(_header(kind)) + "\n" + "\t".join(_example(kind, self._plan())),
            layout=w.Layout(width="100%", max_width="900px"),
            style={"description_width": "initial"},
        )
        self.dayfirst = w.Checkbox(value=False, description=sentence("entry_dayfirst"),
                                   indent=False, layout=w.Layout(width="auto"))
        self.check_button = plain_widget("Button", description=CHECK, icon="check",
                                         tooltip=sentence("tip_check_rows"))
        self.save_button = plain_widget("Button", description=SAVE, icon="save", button_style="primary",
                                        tooltip=sentence("tip_save_rows"))
        self.report = plain_widget("HTML", "")
        self.template_button = plain_widget("Button", description=TEMPLATE, icon="download",
                                            tooltip=sentence("tip_template"))
        self.template_link = plain_widget("HTML", "")
        self.check_button.on_click(lambda _b: self._clicked(self.check))
        self.save_button.on_click(lambda _b: self._clicked(self.save))
        self.template_button.on_click(lambda _b: self._clicked(self.offer_template))
        buttons = plain_widget("HBox", [self.check_button, self.save_button, self.dayfirst],
                               layout=shared_look(w.Layout, flex_flow="row wrap", align_items="center"))
        self.widget = plain_widget("VBox", [self.help, self.box, buttons, self.report,
                                            self.template_button, self.template_link])
        self.widget.add_class(FORM_CLASS)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_())
        bundle["text/plain"] = sentence("shown_entry", kind=self.kind, buttons=[CHECK, SAVE, TEMPLATE])
        return bundle

    def _plan(self) -> Plan:
        editor = self.results.editor
        return editor.workspace.load(editor.plan_name).plan

    def _clicked(self, action: Any) -> None:
        """Run a button's action; an error becomes the report line, never output in the cell."""
        try:
            action()
        except Exception as exc:  # a button's callback has nowhere else to report
            self.report.value = error_html(str(exc), indent=False)

    def check(self) -> ImportReport | None:
        """Check the rows in the box as an import would, and show which to fix; save nothing."""
        if not self.box.value.strip():
            self.checked = None
            self.report.value = error_html(sentence("entry_empty"), indent=False)
            return None
        self.checked = read_rows(self.box.value, self.kind, self._plan(), dayfirst=self.dayfirst.value,
                                 words=ENTRY_MESSAGES)
        self.report.value = _report_html(self.checked)
        return self.checked

    def save(self) -> ImportReport | None:
        """Save the valid rows; leave the rows to fix in the box with their messages; redraw the results.

        Refused while the step's form holds changes not saved yet and the rows
        go into the same section (the form's Save would then be refused as stale).
        """
        editor = self.results.editor
        if not self.box.value.strip():
            self.report.value = error_html(sentence("entry_empty"), indent=False)
            return None
        same_section = section_of(self.kind) == editor.section_name
        if same_section and editor.unsaved:
            self.report.value = error_html(sentence("entry_unsaved_form"), indent=False)
            return None
        text = self.box.value
        report = import_rows(editor.workspace, editor.plan_name, text, self.kind, dayfirst=self.dayfirst.value,
                             author=editor.author, words=ENTRY_MESSAGES)
        if not report.written:
            self.checked = report
            self.report.value = _report_html(report)
            return report
        self.saved = report
        done = set(report.accepted_rows if isinstance(report.accepted, list) else report.accepted.index)
        self.box.value = _left(text, done) if report.rejected else ""
        saved = note_html(sentence("entry_saved", saved=rows_in_words(self.kind, report.written),
                               added=report.added, updated=report.updated))
        if same_section:
            editor.reload()  # the form shows the rows saved, and its next Save is not refused as stale
        try:
            self.results.refresh()
        except PlanError as exc:  # the rows are saved; say which results are from before
            saved += error_html(sentence("entry_results_not_updated", reason=str(exc)), indent=False)
        if report.rejected:
            self.check()
            left = sentence("entry_left", left=plural(len(report.rejected), "row"), save=SAVE)
            self.report.value = saved + error_html(left, indent=False) + self.report.value
        else:
            self.checked = None
            self.report.value = saved
        return report

    def offer_template(self) -> str:
        """Make the xlsx template for the plan as saved now, and show it as a download link with how to fill it."""
        editor = self.results.editor
        data = base64.b64encode(template_bytes(self._plan(), self.kind)).decode("ascii")
        name = f"{plan_slug(editor.plan_name)}-{self.kind}-template.xlsx"
        words = sentence("template_link", what=self.kind, plan=editor.plan_name)
        self.template_link.value = (
            f'<p><a download="{html.escape(name)}" href="data:{XLSX_TYPE};base64,{data}">'
            f"{html.escape(words)}</a></p>" + help_html(sentence("template_help"), indent=False)
        )
        return name


def _header(kind: str) -> list[str]:
    """The headings of the box's columns, as the placeholder shows them and the import reads them."""
    return [field_label(name) for name in entry_columns(kind)]


def _left(text: str, done: set[int]) -> str:
    """The text without the rows saved (each named by its first line): the heading line and the rows to fix."""
    lines = text.splitlines()
    kept = [
        "\n".join(lines[record.first - 1:record.last])
        for record in pasted_records(text)
        if record.first not in done
    ]
    return "\n".join(kept)


def _report_html(report: ImportReport) -> str:
    """What a check found, for the page: how many rows can be saved, then each row to fix (at most 20)."""
    read = plural(len(report.accepted) + len(report.rejected), "row")
    if not report.rejected:
        lines = [note_html(sentence("entry_all_valid", read=read, save=SAVE))]
    elif not len(report.accepted):
        lines = [error_html(sentence("entry_nothing_valid", read=read, save=SAVE), indent=False)]
    else:
        lines = [error_html(sentence("entry_checked", read=read, valid=len(report.accepted),
                                 rejected=len(report.rejected)), indent=False)]
    if report.unknown_columns:
        lines.append(help_html(sentence("entry_not_read", columns=report.unknown_columns), indent=False))
    rows = [str(row) for row in report.shown_rejected]
    if len(report.rejected) > len(rows):
        rows.append(sentence("entry_more_rows", count=len(report.rejected) - len(rows)))
    if rows:
        items = "".join(f"<li>{html.escape(row[:1].upper() + row[1:])}</li>" for row in rows)
        lines.append(f'<ul style="margin:4px 0;color:#b00020">{items}</ul>')
    return "".join(lines)


def entry_table(results: LiveResults, kind: str) -> EntryTable:
    """Return the entry box of a step's page for one table, with its spreadsheet template.

    Args:
        results: the step's results (:func:`partnerlib.ui.live.follow_saves`), redrawn after a save;
            their editor says which workspace and plan the rows go into.
        kind: ``measurements`` (step 10), ``answers`` (step 7) or ``ratings`` (step 11).

    Returns:
        The entry; display it (or its ``widget``).

    Raises:
        PlanError: a kind of table that is not entered on a page.
    """
    return EntryTable(results, kind)
