"""The plan chooser of step 0: pick the plan every notebook works on, or start a new one.

A form rather than code, so a planner never edits a notebook to switch plans:
the choice is kept in the workspace and read by every step's ``plan = None``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..core.problems import PlanError
from .workbook import choose_plan, current_plan, new_plan

if TYPE_CHECKING:
    from ..io.store import Workspace

__all__ = ["PlanChooser", "plan_chooser"]

_EMPTY = "an empty plan"


class PlanChooser:
    """Two small forms: choose the plan to work on, and create a new plan.

    Attributes:
        widget: the ipywidgets box to display.
        plans: the dropdown of existing plans.
        name, organisation, ssu_name, currency, start_from: the new plan's fields.
        message: the line that says what happened (escaped text).
    """

    def __init__(self, workspace: Workspace, *, author: str = "") -> None:
        import ipywidgets as widgets

        self.workspace = workspace
        self.author = author
        wide = widgets.Layout(width="32em")
        style = {"description_width": "11em"}
        self.plans = widgets.Dropdown(description="Plan", layout=wide, style=style)
        self.use = widgets.Button(description="Work on this plan", button_style="primary")
        self.name = widgets.Text(
            description="Name", placeholder="e.g. Island health 2027", layout=wide, style=style
        )
        self.organisation = widgets.Text(description="Organisation", layout=wide, style=style)
        self.ssu_name = widgets.Text(
            description="Unit (SSU)", placeholder="programme, community …", layout=wide, style=style
        )
        self.currency = widgets.Text(
            value="USD", description="Currency", layout=widgets.Layout(width="18em"), style=style
        )
        self.start_from = widgets.Dropdown(description="Start from", layout=wide, style=style)
        self.create = widgets.Button(description="Create plan")
        self.message = widgets.HTML()
        self.use.on_click(lambda _: self._use())
        self.create.on_click(lambda _: self._create())
        self._refresh()
        self.widget = widgets.VBox(
            [
                widgets.HTML("<b>The plan the notebooks work on</b>"),
                widgets.HBox([self.plans, self.use]),
                widgets.HTML("<b>Or start a new plan</b>"),
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
        bundle["text/plain"] = "Plan chooser (Work on this plan, Create plan)"
        return bundle

    def _refresh(self) -> None:
        names = [summary.name for summary in self.workspace.plans()]
        chosen = current_plan(self.workspace) if names else None
        self.plans.options = names
        self.plans.value = chosen
        self.start_from.options = [_EMPTY, *(f"a copy of {name}" for name in names)]
        self.start_from.value = _EMPTY

    def _say(self, text: str, *, problem: bool = False) -> None:
        colour = "#D55E00" if problem else "#333333"
        mark = "⚠ " if problem else ""
        lines = "<br>".join(html.escape(line.strip()) for line in text.splitlines() if line.strip())
        self.message.value = f'<span style="color:{colour}">{mark}{lines}</span>'

    def _use(self) -> None:
        if not self.plans.value:
            self._say("There is no plan yet: create one below.", problem=True)
            return
        try:
            chosen = choose_plan(self.workspace, self.plans.value)
        except PlanError as error:
            self._say(str(error), problem=True)
            return
        self._say(f"Every step now works on “{chosen}”. Open step 1 to begin (reload any step already open).")

    def _create(self) -> None:
        start = self.start_from.value
        copy_of = None if start == _EMPTY else start.removeprefix("a copy of ")
        try:
            snapshot = new_plan(
                self.workspace,
                self.name.value.strip(),
                organisation=self.organisation.value.strip(),
                ssu_name=self.ssu_name.value.strip(),
                currency=self.currency.value.strip().upper(),
                copy_of=copy_of,
                author=self.author,
            )
        except PlanError as error:
            self._say(f"Not created: {error}", problem=True)  # what was typed stays in the fields
            return
        self._refresh()
        self._say(f"Created “{snapshot.name}”; every step now works on it. Open step 1 to begin.")


def plan_chooser(workspace: Workspace, *, author: str = "") -> PlanChooser:
    """Return the plan chooser for a workspace, ready to display in a notebook."""
    return PlanChooser(workspace, author=author)
