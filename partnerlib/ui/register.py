"""The register's forms: organisations, people and gifts, shared by every plan, edited on a page.

Each register is a table of records edited one at a time with the form
generated from its model (:class:`~partnerlib.ui.forms.RecordTable`), and one
Save that writes what changed to the workspace: a changed or new record is
saved, a deleted one removed. An organisation or person saved under a new name
is renamed in every plan that links to it (see ``Workspace.sync_register``), and
the line under Save says in how many.

:func:`register_import` reads gifts or contacts into the register from a CSV
or xlsx file, such as a CiviCRM export, and shows the import's report.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..core.collector import fewer_collections
from ..core.formats import plural
from ..core.problems import PlanError, sentence
from ..models import Gift, Organisation, Person
from .forms import RecordTable
from .widgets import plain_widget

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..io.spreadsheets import ImportReport
    from ..io.store import Workspace

__all__ = ["REGISTERS", "RegisterEditor", "RegisterImport", "register_editor", "register_import"]

#: Each register: its model, its title on the page, and what it holds (a code of
#: :data:`~partnerlib.core.problems.MESSAGES`).
REGISTERS: dict[str, tuple[type[BaseModel], str, str]] = {
    "organisations": (Organisation, "Organisations", "register_organisations"),
    "people": (Person, "People", "register_people"),
    "gifts": (Gift, "Gifts", "register_gifts"),
}


class RegisterEditor:
    """One register (organisations, people or gifts) as a table of records with one Save.

    Attributes:
        kind: ``"organisations"``, ``"people"`` or ``"gifts"``.
        table: the :class:`RecordTable` of the register's records.
        save_button: writes what changed.
        message: the line under Save: what was saved, or what to fix.
        widget: the ipywidgets box to display.
    """

    def __init__(self, workspace: Workspace, kind: str, *, author: str = "") -> None:
        model, label, description = REGISTERS[kind]
        self.workspace = workspace
        self.kind = kind
        self.author = author
        self.table = RecordTable(model, label=label, description=sentence(description))
        self.table.references = self._references
        self.save_button = plain_widget("Button", description=sentence("label_save"), icon="save",
                                        button_style="success",
                                        tooltip=sentence("tip_save_register", register=label.lower()))
        self.message = plain_widget("HTML", "")
        self.save_button.on_click(lambda _button: self.save())
        self.table.observe(lambda: self._say(sentence("register_changed"), pending=True))
        self.widget = plain_widget("VBox", [self.table.widget, self.save_button, self.message])
        self._stored: dict[str, Any] = {}
        self.load()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return self.widget._repr_mimebundle_(**kwargs)

    def _records(self) -> list[Any]:
        return cast("list[Any]", {"organisations": self.workspace.organisations, "people": self.workspace.people,
                "gifts": self.workspace.gifts}[self.kind]())

    def _references(self) -> dict[str, dict[str, str]]:
        """Names for the ids a record points at, so the table shows names, not ids."""
        organisations = {o.id: o.name for o in self.workspace.organisations()}
        if self.kind == "people":
            return {"organisation": organisations}
        if self.kind == "gifts":
            return {"donor": organisations | {p.id: p.name for p in self.workspace.people()}}
        return {}

    def load(self) -> None:
        """Show the register as the workspace holds it now."""
        records = self._records()
        self._stored = {record.id: record for record in records}
        self.table.write(records)

    def save(self) -> int:
        """Write the records added, changed or deleted since the last load; return how many.

        Saving an organisation or person under a new name renames it in every
        plan that links to it; the message says how many plan sections changed.
        """
        if self.table.editing:
            self._say(sentence("register_row_open"), problem=True)
            return 0
        rows = {record.id: record for record in cast("list[Any]", self.table.read())}
        changed = [record for record_id, record in rows.items() if self._stored.get(record_id) != record]
        removed = [record_id for record_id in self._stored if record_id not in rows]
        renamed = 0
        for record in changed:
            if self.kind == "gifts":
                self.workspace.save_gift(record)
            elif self.kind == "organisations":
                renamed += len(self.workspace.save_organisation(record, author=self.author))
            else:
                renamed += len(self.workspace.save_person(record, author=self.author))
        for record_id in removed:
            self.workspace.delete_record(self.kind, record_id)
        self.load()
        count = len(changed) + len(removed)
        words = sentence("register_saved", changes=plural(count, "change")) if count else sentence(
            "register_nothing_changed")
        if renamed:
            words += " " + sentence("register_renamed", sections=plural(renamed, "plan section"))
        self._say(words)
        return count

    def _say(self, text: str, *, problem: bool = False, pending: bool = False) -> None:
        colour = "#b00020" if problem else "#8a5a00" if pending else "#1b5e20"
        self.message.value = f'<span style="color:{colour}">{html.escape(text)}</span>'


@fewer_collections()
def register_editor(workspace: Workspace, kind: str, *, author: str = "") -> RegisterEditor:
    """Return the form of one register of the workspace: ``"organisations"``, ``"people"`` or ``"gifts"``.

    >>> from partnerlib import Workspace
    >>> import tempfile, pathlib
    >>> with Workspace.open(pathlib.Path(tempfile.mkdtemp()) / "w.sqlite") as ws:
    ...     register_editor(ws, "gifts").table.rows
    []
    """
    if kind not in REGISTERS:
        raise PlanError.of("no_such_register", got=kind)
    return RegisterEditor(workspace, kind, author=author)


class RegisterImport:
    """Import gifts or contacts into the register from a CSV or xlsx file, with the import's report.

    The file goes through :func:`partnerlib.io.spreadsheets.import_register`:
    nothing is written unless every row is valid (or the box to keep the valid
    rows is ticked), and the report names each rejected row.

    Attributes:
        upload: chooses the file (.csv or .xlsx).
        kind: gifts or contacts.
        plan: the SSU plan the gifts are for.
        keep_valid: write the valid rows even when some are rejected.
        import_button: reads the file and writes it.
        report: the import's report, or what went wrong.
        widget: the ipywidgets box to display.
    """

    def __init__(self, workspace: Workspace, *, plan: str | None = None, author: str = "") -> None:
        self.workspace = workspace
        self.author = author
        plans = [summary.name for summary in workspace.plans()]
        wide = {"description_width": "initial"}
        self.upload = plain_widget("FileUpload", accept=".csv,.xlsx", multiple=False,
                                   description=sentence("label_choose_file"))
        self.kind = plain_widget("Dropdown", options=[(sentence("label_gifts"), "gifts"),
                                                      (sentence("label_contacts"), "contacts")], value="gifts",
                                 description=sentence("label_file_holds"), style=wide)
        first = plan if plan in plans else plans[0] if plans else None
        self.plan = plain_widget("Dropdown", options=plans, value=first, description=sentence("label_gifts_for_plan"),
                                 style=wide)
        self.keep_valid = plain_widget("Checkbox", value=False, indent=False,
                                       description=sentence("register_keep_valid"))
        self.import_button = plain_widget("Button", description=sentence("label_import"), icon="upload",
                                          button_style="primary",
                                          tooltip=sentence("tip_import_register"))
        self.report = plain_widget("HTML", "")
        self.kind.observe(lambda change: setattr(self.plan, "disabled", change["new"] != "gifts"), names="value")
        self.import_button.on_click(lambda _button: self.run())
        self.widget = plain_widget("VBox", [self.upload, self.kind, self.plan, self.keep_valid,
                                            self.import_button, self.report])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return self.widget._repr_mimebundle_(**kwargs)

    def run(self) -> ImportReport | None:
        """Import the chosen file and show the report; return it (None when nothing could be read)."""
        from ..io.spreadsheets import import_register

        if not self.upload.value:
            self._show(sentence("register_choose_file"), problem=True)
            return None
        chosen = self.upload.value[0]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(chosen["name"]).name  # the report names the file as the user knows it
            path.write_bytes(bytes(chosen["content"]))
            try:
                report = import_register(self.workspace, path, self.kind.value, plan=self.plan.value,
                                         keep_valid=self.keep_valid.value, author=self.author)
            except PlanError as error:
                self._show(str(error), problem=True)
                return None
        self._show(str(report), problem=bool(report.rejected) and not report.written)
        return report

    def _show(self, text: str, *, problem: bool = False) -> None:
        colour = "#b00020" if problem else "#1b5e20"
        self.report.value = f'<pre style="white-space:pre-wrap;color:{colour}">{html.escape(text)}</pre>'


def register_import(workspace: Workspace, *, plan: str | None = None, author: str = "") -> RegisterImport:
    """Return the import of gifts or contacts into the register, from a CSV or xlsx file (a CiviCRM export).

    Args:
        workspace: the workspace whose register the file goes into.
        plan: the SSU plan chosen at first for gifts (default: the first plan).
        author: who imports (shown in the history of plans a new name reaches).
    """
    return RegisterImport(workspace, plan=plan, author=author)
