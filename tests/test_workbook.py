"""Step pages drawn in advance by a warm Voilà kernel, then shown for the plan in their address.

A warm kernel (``partnerlib present`` keeps one per step) runs the whole page
before any browser asks for it, on the workspace's plan; the page's last cell,
``show_page_plan``, waits for the request and brings the page to the plan it
names, as saved now. Here the request is stood for: ``voila.utils.wait_for_request``
sets the page's query string, as Voilà does when a page takes the kernel. The
wait itself is tested against Voilà's own request handler, stood up on 127.0.0.1:
the kernel gets the request whichever comes first, and when Voilà does not answer
at first (Voilà's own helper gives up then, and the page would show another
group's plan).
"""

from __future__ import annotations

import asyncio
import html
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
from voila.request_info_handler import RequestInfoSocketHandler

from partnerlib import (
    current_plan,
    follow_saves,
    new_plan,
    open_workspace,
    section_editor,
    show_page_plan,
    views,
)
from partnerlib.core.paths import SAMPLE_PLAN
from partnerlib.io.store import Workspace
from partnerlib.ui import forms, workbook
from partnerlib.ui.workbook import session_plan

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
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setattr(workbook._Page, "drawn_for", None)
    monkeypatch.setattr(workbook._Page, "taken", False)
    monkeypatch.setattr(forms, "OPEN_EDITORS", weakref.WeakSet())  # a kernel is one page: its editors only
    monkeypatch.setattr(workbook, "_wait_for_the_page", lambda: pytest.fail("waited with no page"))
    requests: list[str] = []

    def page_takes_it(query: str) -> list[str]:
        def wait_for_the_page() -> None:
            requests.append(query)
            monkeypatch.setenv("QUERY_STRING", query)

        monkeypatch.setattr(workbook, "_wait_for_the_page", wait_for_the_page)
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


def test_the_workspace_is_asked_for_its_plans_once_for_all_the_pages_editors(book, warm_kernel, monkeypatch):
    warm_kernel(f"plan={SECOND}")
    editors = [section_editor(book, current_plan(book), name) for name in ("risks", "community", "review")]
    asked = []
    plans = book.plans
    monkeypatch.setattr(book, "plans", lambda *args, **kwargs: asked.append(args) or plans(*args, **kwargs))
    show_page_plan()
    assert ([editor.plan_name for editor in editors], len(asked)) == ([SECOND] * 3, 1)


def test_outside_a_warm_kernel_nothing_is_waited_for(book, warm_kernel, monkeypatch):
    requests = warm_kernel(f"plan={SECOND}")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    editor, _register = draw_step_6(book)
    show_page_plan()
    assert (requests, editor.plan_name) == ([], SAMPLE_PLAN)


#: What Voilà hands over when a page takes the kernel (part of it).
REQUEST = {"QUERY_STRING": "plan=Second+group&x=1", "SERVER_SOFTWARE": "voila/0.5.13"}


class FakeVoila:
    """Voilà's request endpoint (``/voila/query/KERNEL``, its own handler) on a port, in a thread."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        async def serve() -> None:
            app = tornado.web.Application([(r"/voila/query/(.*)", RequestInfoSocketHandler)])
            server = tornado.httpserver.HTTPServer(app)
            server.add_sockets(tornado.netutil.bind_sockets(self.port, address="127.0.0.1"))
            self.loop, self.stop = asyncio.get_running_loop(), asyncio.Event()
            self.ready.set()
            await self.stop.wait()
            server.stop()
            await server.close_all_connections()

        asyncio.run(serve())

    def start(self) -> FakeVoila:
        self.thread.start()
        self.ready.wait(10)
        return self

    def hand_over(self, kernel: str) -> None:
        """Do what Voilà does when a page takes the warm kernel: send (or keep) the page's request."""
        self.loop.call_soon_threadsafe(RequestInfoSocketHandler.send_updates, {"kernel_id": kernel, "payload": REQUEST})

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def voila_kernel(monkeypatch) -> Iterator[tuple[str, int]]:
    """This process as a warm kernel of a Voilà on a free port: Voilà's variables set, no request yet."""
    kernel, port = str(uuid.uuid4()), _free_port()  # a kernel id as Voilà's are
    for name, value in {"VOILA_PREHEAT": "True", "VOILA_APP_IP": "127.0.0.1", "VOILA_APP_PORT": str(port),
                        "VOILA_SERVER_URL": "/", "VOILA_KERNEL_ID": kernel}.items():
        monkeypatch.setenv(name, value)
    for name in [*REQUEST, "VOILA_WS_BASE_URL", "VOILA_WS_PROTOCOL"]:
        monkeypatch.setenv(name, "")  # put back as it was afterwards, then taken away
        monkeypatch.delenv(name)
    monkeypatch.setattr(workbook._Page, "drawn_for", None)
    monkeypatch.setattr(workbook._Page, "taken", False)
    yield kernel, port


def _in_kernel() -> tuple[threading.Thread, list[str | None]]:
    """Run the page's last cell, as a warm kernel does: it waits there; then read the page's plan."""
    found: list[str | None] = []

    def last_cell() -> None:
        show_page_plan()
        found.append(session_plan())

    cell = threading.Thread(target=last_cell, daemon=True)
    cell.start()
    return cell, found


def _page_first(kernel: str, port: int) -> list[str | None]:
    voila = FakeVoila(port).start()
    voila.hand_over(kernel)  # kept by Voilà until the kernel connects
    cell, found = _in_kernel()
    cell.join(30)
    voila.close()
    return found


def _kernel_first(kernel: str, port: int) -> list[str | None]:
    voila = FakeVoila(port).start()
    cell, found = _in_kernel()
    time.sleep(1)  # the kernel waits for a page
    voila.hand_over(kernel)
    cell.join(30)
    voila.close()
    return found


def _voila_not_answering_yet(kernel: str, port: int) -> list[str | None]:
    cell, found = _in_kernel()
    time.sleep(1.5)  # nothing listens yet: the kernel must keep trying, not go on without its page
    voila = FakeVoila(port).start()
    voila.hand_over(kernel)
    cell.join(30)
    voila.close()
    return found


WAIT_CASES = [
    ("the page came first", _page_first),
    ("the kernel waited first", _kernel_first),
    ("Voilà did not answer at first", _voila_not_answering_yet),
]


@pytest.mark.parametrize(("case", "happen"), WAIT_CASES, ids=[c[0] for c in WAIT_CASES])
def test_a_warm_kernel_gets_its_pages_plan(voila_kernel, case, happen):
    assert happen(*voila_kernel) == ["Second group"]


def test_a_plan_made_after_the_page_was_drawn_is_the_pages(book, warm_kernel):
    # A group makes its plan in step 0 after the step pages' warm kernels have drawn them.
    warm_kernel("plan=Second+group")
    editor, _register = draw_step_6(book)
    with open_workspace(book.location) as other:
        new_plan(other, "Second group", organisation="Hope", copy_of=SAMPLE_PLAN)
    show_page_plan()
    assert editor.plan_name == "Second group"
