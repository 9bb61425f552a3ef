"""Step pages drawn in advance by a warm Voilà kernel, then shown for the plan in their address.

A warm kernel (``partnerlib present`` keeps one per step) runs the whole page
before any browser asks for it, on the workspace's plan; the page's last cell,
``show_page_plan``, waits for the request and brings the page to the plan it
names, as saved now. Here the request is stood for: ``voila.utils.wait_for_request``
sets the page's query string, as Voilà does when a page takes the kernel.
"""

from __future__ import annotations

import html
import weakref
from collections.abc import Callable, Iterator

import pytest

from partnerlib import (
    current_plan,
    follow_saves,
    open_workspace,
    section_editor,
    show_page_plan,
    views,
)
from partnerlib.core.paths import SAMPLE_PLAN
from partnerlib.io.store import Workspace
from partnerlib.ui import forms, workbook

#: The seeded workspace's second plan.
SECOND = "Lakeside Girls' Education"


@pytest.fixture
def book(workspace_file) -> Iterator[Workspace]:
    workspace = open_workspace(workspace_file)
    yield workspace
    workspace.close()


@pytest.fixture
def warm_kernel(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], list[str]]:
    """Stand for a warm kernel no page has taken yet; return how to let a page with a query string take it."""
    import voila.utils

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setattr(workbook._Page, "drawn_for", None)
    monkeypatch.setattr(workbook._Page, "taken", False)
    monkeypatch.setattr(forms, "OPEN_EDITORS", weakref.WeakSet())  # a kernel is one page: its editors only
    requests: list[str] = []

    def page_takes_it(query: str) -> list[str]:
        def wait_for_request(url: str | None = None) -> None:
            requests.append(query)
            monkeypatch.setenv("QUERY_STRING", query)

        monkeypatch.setattr(voila.utils, "wait_for_request", wait_for_request)
        return requests

    return page_takes_it


def draw_step_6(book: Workspace):
    """Run step 6's cells as the notebook does: the plan, the editor, one result."""
    editor = section_editor(book, current_plan(book), "risks")
    results = follow_saves(editor)
    register = results.show(views.show_risk_register)
    return editor, register


def test_a_warm_kernel_draws_the_workspace_plan_before_any_page_asks(book, warm_kernel):
    warm_kernel(f"plan={SECOND}")
    assert current_plan(book) == SAMPLE_PLAN


def test_a_page_naming_another_plan_shows_that_plan(book, warm_kernel):
    warm_kernel(f"plan={SECOND}")
    editor, register = draw_step_6(book)
    show_page_plan()
    lakeside = views.show_risk_register(book.load(SECOND).plan).caption
    assert (editor.plan_name, html.escape(SECOND) in editor.heading.value, register.result.caption) == (
        SECOND, True, lakeside)


def test_a_page_of_the_plan_drawn_keeps_what_was_drawn(book, warm_kernel):
    warm_kernel(f"plan={SAMPLE_PLAN}")
    editor, _register = draw_step_6(book)
    form = editor.form.widget
    show_page_plan()
    assert (editor.plan_name, editor.form.widget is form) == (SAMPLE_PLAN, True)


def test_a_page_drawn_before_someone_saved_shows_the_save(book, warm_kernel):
    warm_kernel("")
    editor, register = draw_step_6(book)
    saved = book.load(SAMPLE_PLAN)
    risks = saved.plan.risks
    book.save_section(SAMPLE_PLAN, "risks", risks.model_copy(update={"risks": risks.risks[:2]}),
                      base=saved.revisions["risks"])
    show_page_plan()
    assert (register.result.caption.startswith("Risk register: 2 risks"), editor.base) == (
        True, book.load(SAMPLE_PLAN).revisions["risks"])


def test_a_page_naming_an_unknown_plan_stays_on_the_plan_drawn(book, warm_kernel):
    warm_kernel("plan=Gone")
    editor, _register = draw_step_6(book)
    show_page_plan()
    assert editor.plan_name == SAMPLE_PLAN


def test_the_page_is_waited_for_once_in_a_warm_kernel(book, warm_kernel):
    requests = warm_kernel(f"plan={SECOND}")
    draw_step_6(book)
    show_page_plan()
    show_page_plan()  # the cell run again: the page is there already
    assert requests == [f"plan={SECOND}"]


def test_outside_a_warm_kernel_nothing_is_waited_for(book, warm_kernel, monkeypatch):
    requests = warm_kernel(f"plan={SECOND}")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    editor, _register = draw_step_6(book)
    show_page_plan()
    assert (requests, editor.plan_name) == ([], SAMPLE_PLAN)
