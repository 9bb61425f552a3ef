"""Results that follow a Save: the tables and charts under a section editor, redrawn in place.

A step notebook shows a section's editor, then results read from the saved
plan. In a workshop (Voilà, code hidden) nobody re-runs cells, so after each
successful Save every result shown through :func:`follow_saves` is worked out
again from the plan as saved and replaced where it stands, with no reload.

Each result is one ordinary cell output — the table's ``text/html`` or the
chart's PNG, with ``text/plain`` — that also carries the view of an output
widget holding the same result. Once the notebook runs, JupyterLab and Voilà
draw the widget, and a Save replaces what the widget holds (Voilà draws plain
cell outputs once and ignores ``update_display_data``, so a display handle
would not do). A notebook opened without running shows the HTML or picture,
and nbval compares the text and HTML (it skips widget views).

A view that cannot be drawn yet for the saved plan (it raises
:class:`~partnerlib.core.problems.PlanError` or ``ValueError``, as for a step not
filled in) shows "Not available yet: …", worded as in the plan document, and
its result comes back after a Save that supplies the data.

>>> import pathlib, tempfile
>>> from partnerlib import SAMPLE_PLAN, section_editor, seed_workspace, views
>>> folder = tempfile.TemporaryDirectory()
>>> book = seed_workspace(pathlib.Path(folder.name) / "workspace.sqlite")
>>> editor = section_editor(book, SAMPLE_PLAN, "risks")
>>> results = follow_saves(editor)
>>> register = results.show(views.show_risk_register)
>>> register.result.caption
'Risk register: 18 risks, worst after mitigation first'
>>> editor.form.set_value(editor.saved.model_copy(update={"risks": editor.saved.risks[:2]}))
>>> editor.save_button.click()
>>> register.result.caption
'Risk register: 2 risks, worst after mitigation first'
>>> book.close(); folder.cleanup()
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..core.collector import fewer_collections
from ..core.problems import PlanError, not_available, sentence
from ..output.views.common import view_title

if TYPE_CHECKING:
    import pandas as pd

    from ..io.store import Workspace
    from ..models import Plan
    from .forms import SectionEditor

__all__ = ["GIFTS", "LiveResult", "LiveResults", "MEASUREMENTS", "PLAN_DATE", "follow_saves"]


class _Saved:
    """The plan as saved, and its KPI measurements (read only if a view asks for them)."""

    def __init__(self, workspace: Workspace, plan_name: str, plan: Plan | None = None) -> None:
        self.workspace, self.plan_name = workspace, plan_name
        self.plan: Plan = workspace.load(plan_name).plan if plan is None else plan

    @cached_property
    def measurements(self) -> pd.DataFrame:
        return self.workspace.measurements(self.plan_name)

    @cached_property
    def gifts(self) -> pd.DataFrame:
        from ..analyses.register import gifts_table

        workspace = self.workspace
        return gifts_table(workspace.gifts(), workspace.organisations(), workspace.people())


class _FromSaved:
    """An argument of a view that is read again from the saved plan at every redraw."""

    def __init__(self, name: str, read: Callable[[_Saved], Any]) -> None:
        self.name, self.read = name, read

    def __repr__(self) -> str:
        return self.name


#: Stands for the plan's date (``plan.info.as_of``) as saved: ``results.show(view, as_of=PLAN_DATE)``.
PLAN_DATE = _FromSaved("PLAN_DATE", lambda saved: saved.plan.info.as_of)
#: Stands for the plan's KPI measurements in the workspace: ``results.show(view, MEASUREMENTS, ...)``.
MEASUREMENTS = _FromSaved("MEASUREMENTS", lambda saved: saved.measurements)
#: Stands for the register's gifts, every plan's, as saved: ``results.show(show_gift_budget, GIFTS)``.
GIFTS = _FromSaved("GIFTS", lambda saved: saved.gifts)


def _given(value: Any, saved: _Saved) -> Any:
    """Return an argument as given, or read from the saved plan if it is PLAN_DATE or MEASUREMENTS."""
    return value.read(saved) if isinstance(value, _FromSaved) else value


class _NotAvailable:
    """What shows instead of a result the saved plan cannot give yet, and why."""

    def __init__(self, error: Exception) -> None:
        self.text = not_available(error)

    def _repr_html_(self) -> str:
        return f"<p><em>{html.escape(self.text)}</em></p>"

    def __repr__(self) -> str:
        return self.text


def _formats(result: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return a result's output data and metadata as Jupyter shows it (text and HTML outside a kernel)."""
    from IPython import get_ipython
    from IPython.core.formatters import DisplayFormatter

    shell = get_ipython()
    return (shell.display_formatter if shell is not None else DisplayFormatter()).format(result)


class LiveResult:
    """One result shown under an editor: a view, its arguments, and what it gave for the saved plan.

    Attributes:
        view: the ``show_*`` function, called as ``view(plan, *args, **options)``.
        args, options: its other arguments; :data:`PLAN_DATE` and
            :data:`MEASUREMENTS` are read from the saved plan at every redraw.
        result: the view's latest result (a table or a Figure), or a
            "Not available yet: …" note.
        widget: the output widget that holds the result on screen.
    """

    def __init__(self, view: Callable[..., Any], args: tuple[Any, ...], options: dict[str, Any]) -> None:
        from .widgets import plain_widget

        self.view, self.args, self.options = view, args, options
        self.result: Any = None
        self.widget = plain_widget("Output")

    @property
    def title(self) -> str:
        """The result in words, from the view's name: ``show_risk_register`` → ``Risk register``."""
        return view_title(getattr(self.view, "__name__", "result"))

    def shows(self, view: Callable[..., Any], args: tuple[Any, ...], options: dict[str, Any]) -> bool:
        """Tell whether this result is ``view(plan, *args, **options)``."""
        try:
            return bool((self.view, self.args, self.options) == (view, args, options))
        except (TypeError, ValueError):  # an argument such as a DataFrame has no single truth value
            return False

    @fewer_collections()
    def draw(self, saved: _Saved) -> None:
        """Run the view on the saved plan and put what it gives into the widget."""
        args = [_given(value, saved) for value in self.args]
        options = {name: _given(value, saved) for name, value in self.options.items()}
        try:
            result = self.view(saved.plan, *args, **options)
        except (PlanError, ValueError) as error:
            result = _NotAvailable(error)
        data, metadata = _formats(result)
        self.result = result
        self.widget.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        # The widget view for Jupyter and Voilà, the result's own formats for nbval and static readers.
        return {**self.widget._repr_mimebundle_(), **self.widget.outputs[0]["data"]}


class LiveResults:
    """The results shown under one section editor, redrawn from the saved plan after each Save.

    Attributes:
        editor: the section editor whose saves are followed.
        shown: the results shown so far, in order.
    """

    def __init__(self, editor: SectionEditor) -> None:
        self.editor = editor
        self.shown: list[LiveResult] = []
        # First the plan the editor has just loaded (reading it again cost each step about 10 ms).
        self._saved = _Saved(editor.workspace, editor.plan_name, editor.plan)
        self._before = editor.on_saved
        editor.on_saved = self._after_save

    def _load(self) -> _Saved:
        # Read the editor's plan name each time: saving a plan's details may rename it.
        return _Saved(self.editor.workspace, self.editor.plan_name)

    def show(self, view: Callable[..., Any], /, *args: Any, **options: Any) -> LiveResult:
        """Show ``view(plan, *args, **options)`` for the saved plan, and again after each Save.

        Args:
            view: a ``show_*`` function taking the plan first.
            *args: its other positional arguments (:data:`MEASUREMENTS` for the
                plan's measurements).
            **options: its keyword arguments (``as_of=PLAN_DATE`` for the plan's date).

        Showing the same view with the same arguments again (a cell run twice)
        replaces the result followed before.

        Returns:
            The result, displayed as the cell's output.
        """
        shown = LiveResult(view, args, options)
        shown.draw(self._saved)
        # Running a cell again replaces its result; the one shown before is no longer on screen.
        self.shown = [old for old in self.shown if not old.shows(view, args, options)]
        self.shown.append(shown)
        return shown

    def refresh(self) -> None:
        """Redraw every result shown from the plan as saved now.

        Raises:
            PlanError: a view failed for another reason than missing data;
                the others are redrawn, and the failed ones keep what they showed.
        """
        self._saved = self._load()
        failed = []
        for shown in self.shown:
            try:
                shown.draw(self._saved)
            except Exception as error:  # redraw the others; the editor reports the failure
                failed.append(sentence("result_failed", result=shown.title, error=type(error).__name__,
                                       reason=str(error)))
        if failed:
            raise PlanError.of("results_not_redrawn", results="; ".join(failed))

    def _after_save(self, value: Any) -> None:
        if self._before is not None:
            self._before(value)
        self.refresh()


def follow_saves(editor: SectionEditor) -> LiveResults:
    """Return the results of a step, to be shown below its editor and redrawn after each Save.

    Show each result with ``results.show(view, ...)`` in its own cell. A Save
    that stores nothing (invalid input, or someone else saved first) redraws
    nothing. If a redraw fails, the save still stands and the editor says which
    results could not be updated. A callback already set on the editor
    (``editor.on_saved``) still runs, first.

    Args:
        editor: the step's section editor (:func:`partnerlib.ui.forms.section_editor`).

    Returns:
        The step's :class:`LiveResults`.
    """
    return LiveResults(editor)
