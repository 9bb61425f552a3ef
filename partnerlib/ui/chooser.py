"""The plan chooser of step 0: pick the plan to work on, start a new one, rename or delete one.

A form rather than code, so a planner never edits a notebook to switch plans.
In JupyterLab the choice is kept in the workspace and read by every step's
``plan = None``; in Voilà it also belongs to the browser session: the links on
the page carry it to every step (see :mod:`partnerlib.ui.workbook`), so another
group, in another browser, keeps its own plan.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..core.collector import fewer_collections
from ..core.problems import PlanError, sentence
from .workbook import CURRENT_PLAN, choose_plan, current_plan, in_voila, new_plan

if TYPE_CHECKING:
    from ..io.store import Workspace

__all__ = ["PlanChooser", "plan_chooser"]

#: The value of "Start from" for an empty plan (a copy's is the plan's name).
_EMPTY = ""


def _currency(typed: str) -> str:
    """Read a currency code as typed: three letters in any case are the code in capitals.

    Anything else is passed on as typed, so the message quotes what the person wrote.

    >>> [_currency(t) for t in ("kes", " EUR ", "euro")]
    ['KES', 'EUR', 'euro']
    """
    typed = typed.strip()
    return typed.upper() if len(typed) == 3 and typed.isalpha() else typed


class PlanChooser:
    """Small forms: the plans there are, the one to work on, a new plan, rename or delete one.

    Attributes:
        widget: the ipywidgets box to display.
        listing: the table of the plans in the workspace (kept up to date).
        plans: the dropdown of existing plans.
        new_name, rename: a new name for the chosen plan, and the button that gives it.
        delete, confirm_delete, keep: delete the chosen plan, after a confirmation.
        name, organisation, ssu_name, currency, start_from: the new plan's fields.
        message: the line that says what happened (escaped text).
    """

    def __init__(self, workspace: Workspace, *, author: str = "") -> None:
        import ipywidgets as widgets

        self.workspace = workspace
        self.author = author
        self.session = in_voila()
        wide = widgets.Layout(width="32em")
        style = {"description_width": "11em"}
        self.listing = widgets.HTML()
        self.plans = widgets.Dropdown(description=sentence("label_plan"), layout=wide, style=style)
        self.use = widgets.Button(description=sentence("label_work_on_plan"), button_style="primary")
        self.new_name = widgets.Text(description=sentence("label_new_name"), layout=wide, style=style)
        self.rename = widgets.Button(description=sentence("label_rename"))
        self.delete = widgets.Button(description=sentence("label_delete_plan"))
        self.confirm_delete = widgets.Button(description=sentence("label_confirm_delete"), button_style="danger")
        self.keep = widgets.Button(description=sentence("label_keep_plan"))
        self.confirmation = widgets.HBox(
            [self.confirm_delete, self.keep], layout=widgets.Layout(display="none")
        )
        self.name = widgets.Text(
            description=sentence("label_name"), placeholder=sentence("label_name_example"), layout=wide, style=style
        )
        self.organisation = widgets.Text(description=sentence("label_organisation"), layout=wide, style=style)
        self.ssu_name = widgets.Text(
            description=sentence("label_unit"), placeholder=sentence("label_unit_example"), layout=wide, style=style
        )
        self.currency = widgets.Text(
            value="USD", description=sentence("label_currency"), layout=widgets.Layout(width="18em"), style=style
        )
        self.start_from = widgets.Dropdown(description=sentence("label_start_from"), layout=wide, style=style)
        self.create = widgets.Button(description=sentence("label_create_plan"))
        self.message = widgets.HTML()
        self.use.on_click(lambda _: self._use())
        self.create.on_click(lambda _: self._create())
        self.rename.on_click(lambda _: self._rename())
        self.delete.on_click(lambda _: self._ask_to_delete())
        self.confirm_delete.on_click(lambda _: self._delete())
        self.keep.on_click(lambda _: self._hide_confirmation())
        self.chosen = current_plan(workspace) if workspace.plans() else None
        self._refresh()
        self.widget = widgets.VBox(
            [
                self.listing,
                widgets.HTML("<h3>The plan to work on</h3>"),
                widgets.HBox([self.plans, self.use]),
                widgets.HBox([self.new_name, self.rename]),
                widgets.HBox([self.delete, self.confirmation]),
                widgets.HTML("<h3>Or start a new plan</h3>"),
                self.name,
                self.organisation,
                self.ssu_name,
                self.currency,
                self.start_from,
                self.create,
                self.message,
            ]
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_())
        bundle["text/plain"] = sentence("shown_chooser")
        return bundle

    def _refresh(self) -> None:
        from ..output.views import show_plans

        names = [summary.name for summary in self.workspace.plans()]
        if self.chosen not in names:
            self.chosen = current_plan(self.workspace) if names else None
        self.listing.value = show_plans(self.workspace)._repr_html_()
        self.plans.options = names
        self.plans.value = self.chosen
        self.start_from.options = [(sentence("chooser_empty_plan"), _EMPTY),
                                   *((sentence("chooser_copy_of", plan=name), name) for name in names)]
        self.start_from.value = _EMPTY

    def _say(self, text: str, *, problem: bool = False) -> None:
        colour = "#B34700" if problem else "#333333"
        mark = "⚠ " if problem else ""
        lines = "<br>".join(html.escape(line.strip()) for line in text.splitlines() if line.strip())
        # The page template reads the browser session's plan from the last data-session-plan mark.
        session = f'<span data-session-plan="{html.escape(self.chosen or "")}" hidden></span>'
        self.message.value = f'<span role="status" style="color:{colour}">{mark}{lines}</span>{session}'

    def _working_on(self, name: str) -> str:
        return sentence("chooser_working_on_here" if self.session else "chooser_working_on", plan=name)

    def _use(self) -> None:
        if not self.plans.value:
            self._say(sentence("chooser_no_plan_yet"), problem=True)
            return
        try:
            self.chosen = choose_plan(self.workspace, self.plans.value)
        except PlanError as error:
            self._say(str(error), problem=True)
            return
        self._say(self._working_on(self.chosen))

    def _rename(self) -> None:
        old, new = self.plans.value, self.new_name.value.strip()
        if not old or not new:
            self._say(sentence("chooser_rename_needs_name"), problem=True)
            return
        try:
            self.workspace.rename_plan(old, new, author=self.author)
        except PlanError as error:
            self._say(sentence("chooser_not_renamed", reason=str(error)), problem=True)
            return
        if self.chosen == old:
            self.chosen = new
        if self.workspace.setting(CURRENT_PLAN) == old:
            choose_plan(self.workspace, new)
        self.new_name.value = ""
        self._refresh()
        self._say(sentence("chooser_renamed", old=old, new=new))

    def _ask_to_delete(self) -> None:
        if not self.plans.value:
            self._say(sentence("chooser_nothing_to_delete"), problem=True)
            return
        self.confirmation.layout.display = None
        self._say(sentence("chooser_delete_asked", plan=self.plans.value))

    def _hide_confirmation(self) -> None:
        self.confirmation.layout.display = "none"
        self._say(sentence("chooser_nothing_deleted"))

    def _delete(self) -> None:
        doomed = self.plans.value
        self.confirmation.layout.display = "none"
        try:
            self.workspace.delete_plan(doomed)
        except PlanError as error:
            self._say(sentence("chooser_not_deleted", reason=str(error)), problem=True)
            return
        self._refresh()
        self._say(sentence("chooser_deleted", plan=doomed, chosen=self.chosen) if self.chosen
                  else sentence("chooser_deleted_the_last", plan=doomed))

    def _create(self) -> None:
        copy_of = self.start_from.value or None
        try:
            snapshot = new_plan(
                self.workspace,
                self.name.value.strip(),
                organisation=self.organisation.value.strip(),
                ssu_name=self.ssu_name.value.strip(),
                currency=_currency(self.currency.value),
                copy_of=copy_of,
                author=self.author,
            )
        except PlanError as error:
            self._say(sentence("chooser_not_created", reason=str(error)), problem=True)  # what was typed stays
            return
        self.chosen = snapshot.name
        for field in (self.name, self.organisation, self.ssu_name):
            field.value = ""
        self.currency.value = "USD"
        self._refresh()
        self._say(sentence("chooser_created", plan=snapshot.name, working_on=self._working_on(snapshot.name)))


@fewer_collections()
def plan_chooser(workspace: Workspace, *, author: str = "") -> PlanChooser:
    """Return the plan chooser for a workspace, ready to display in a notebook."""
    return PlanChooser(workspace, author=author)
