"""A warm Voilà kernel learns its page's plan: it waits for the page's request, however long, and gets it.

A warm kernel runs the notebook's first cells before any page asks for it, then
waits for Voilà to hand over the page's request (its query string, ``?plan=``)
over a websocket. These tests stand Voilà's own request handler up on 127.0.0.1
and check the kernel gets the request whichever comes first, and when Voilà
does not answer at first (Voilà's own helper gives up then, and the page would
show another group's plan).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
from voila.request_info_handler import RequestInfoSocketHandler

from partnerlib import current_plan, new_plan, open_workspace
from partnerlib.ui.workbook import session_plan

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
def warm_kernel(monkeypatch) -> Iterator[tuple[str, int]]:
    """This process as a warm kernel of a Voilà on a free port: Voilà's variables set, no request yet."""
    kernel, port = str(uuid.uuid4()), _free_port()  # a kernel id as Voilà's are
    for name, value in {"VOILA_PREHEAT": "True", "VOILA_APP_IP": "127.0.0.1", "VOILA_APP_PORT": str(port),
                        "VOILA_SERVER_URL": "/", "VOILA_KERNEL_ID": kernel}.items():
        monkeypatch.setenv(name, value)
    for name in [*REQUEST, "VOILA_WS_BASE_URL", "VOILA_WS_PROTOCOL"]:
        monkeypatch.setenv(name, "")  # put back as it was afterwards, then taken away
        monkeypatch.delenv(name)
    session_plan.cache_clear()
    yield kernel, port
    session_plan.cache_clear()


def _in_kernel() -> tuple[threading.Thread, list[str | None]]:
    """Run the notebook's cell that needs the page's plan, as a warm kernel does: it waits there."""
    found: list[str | None] = []
    cell = threading.Thread(target=lambda: found.append(session_plan()), daemon=True)
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
def test_a_warm_kernel_gets_its_pages_plan(warm_kernel, case, happen):
    assert happen(*warm_kernel) == ["Second group"]


def test_a_plan_made_while_the_warm_kernel_waits_is_the_pages(warm_kernel, tmp_path):
    # A group makes its plan in step 0 after the step pages' warm kernels have opened the workspace;
    # a step page opened with ?plan= must work on that plan, not on the workspace's choice.
    kernel, port = warm_kernel
    voila = FakeVoila(port).start()
    book = open_workspace(tmp_path / "workspace.sqlite")
    new_plan(book, "First group", organisation="Hope")  # the workspace's choice

    def second_group_makes_its_plan_then_opens_a_step() -> None:
        with open_workspace(tmp_path / "workspace.sqlite") as other:
            new_plan(other, "Second group", organisation="Hope")
            other.set_setting("current_plan", "First group")
        voila.hand_over(kernel)

    threading.Timer(1, second_group_makes_its_plan_then_opens_a_step).start()
    found = current_plan(book)  # the notebook's first cell, in the warm kernel: waits for its page
    voila.close()
    book.close()
    assert found == "Second group"
