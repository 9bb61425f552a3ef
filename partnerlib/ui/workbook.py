"""What the notebooks open: the workspace (seeded on first use) and the plan chosen in step 0.

Every step notebook has a ``plan = None`` parameter: None means "the plan
chosen in step 0", so a planner switches plans once, with a form, instead of
editing every notebook. In Voilà the choice belongs to the browser session:
a page opened as ``…/06_risk_and_conflict.ipynb?plan=NAME`` works on that
plan, and its links to other steps carry ``?plan=NAME`` along (the workbook's
page template sees to it), so two groups can work on two plans at once. A page
without one, and JupyterLab, work on the workspace's last choice.

``partnerlib present`` keeps a warm kernel per step page, which draws the
whole page before anyone asks for it, on the workspace's choice; the page's
last cell (:func:`show_page_plan`) waits for the page's address and, if it
names another plan, switches the page's editors (and the results under them)
to that plan before Voilà shows the page.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from ..core.paths import (
    SAMPLE_PLAN,
    WorkspaceTarget,
    default_workspace,
    is_database_url,
    plan_slug,
    workspace_target,
)
from ..core.problems import InvalidInput, PlanError, Problem, render, sentence

if TYPE_CHECKING:
    from ..io.store import Snapshot, Workspace

__all__ = [
    "choose_plan",
    "current_plan",
    "new_plan",
    "open_workspace",
    "plan_document_files",
    "session_plan",
    "show_page_plan",
]

#: The workspace setting that holds the name of the plan last chosen in step 0.
CURRENT_PLAN = "current_plan"
#: The query-string parameter of a Voilà page naming the browser session's plan.
PLAN_PARAMETER = "plan"


def open_workspace(path: WorkspaceTarget | None = None) -> Workspace:
    """Open the workspace a notebook works on, creating it from the sample plan if it is new.

    Args:
        path: the workspace file or PostgreSQL URL; None means the user's own
            (``$PARTNERLIB_WORKSPACE`` or ``~/.partnerlib/workspace.sqlite``).

    Returns:
        The open workspace. A new or empty workspace gets the sample plan, so
        every notebook has something to show on first use.
    """
    from ..io.sample import seed_workspace
    from ..io.store import Workspace

    target = workspace_target(path) if path else default_workspace()
    if is_database_url(target) or Path(target).exists():
        workspace = Workspace.open(target)
        if workspace.plans(include_deleted=True):
            return workspace
        workspace.close()
    else:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    return seed_workspace(target)


class _Page:
    """What a warm Voilà kernel knows of its page: which plan it drew, and whether a page took it."""

    drawn_for: str | None = None
    taken = False


def _drawing_in_advance() -> bool:
    """True in a warm Voilà kernel no page has taken yet: it draws its page before the request."""
    return os.environ.get("VOILA_PREHEAT") == "True" and not _Page.taken


def session_plan() -> str | None:
    """Return the plan named in this Voilà page's address (``?plan=NAME``), or None.

    Voilà gives a page's kernel the page's query string (``QUERY_STRING``); a
    warm kernel learns it only once a page takes it (:func:`show_page_plan`), and
    knows none before. None outside Voilà (JupyterLab, nbval, ``run``).
    """
    if _drawing_in_advance():
        return None
    named = parse_qs(os.environ.get("QUERY_STRING", "")).get(PLAN_PARAMETER, [""])[0].strip()
    return named or None


def in_voila() -> bool:
    """True in a kernel Voilà started for a page (where the browser session has its own plan)."""
    return os.environ.get("VOILA_PREHEAT") == "True" or os.environ.get("SERVER_SOFTWARE", "").startswith("voila")


#: Seconds between two tries to reach Voilà for the page's request.
RETRY_SECONDS = 0.5


def _wait_for_the_page() -> None:
    """Wait, in a warm kernel, until Voilà hands over its page's request; put it in the environment.

    When a page takes a warm kernel, Voilà sends the page's request (its query
    string, its server's name) over a websocket the kernel opens at
    ``/voila/query/KERNEL_ID``, and keeps it until the kernel connects if the page
    came first. Voilà's own helper (``voila.utils.wait_for_request``) gives up on a
    connection that Voilà refuses or takes more than 5 s to open (a busy machine),
    its keep-alive closes the connection when a ping waits 20 s for its answer,
    and it leaves an event loop open at each call: the kernel would then run on
    without its page's request, and a page opened with ``?plan=`` show the
    workspace's plan (another group's). Here the connection keeps no ping and is
    tried again until the request comes, however long the kernel waits for a page.
    """
    import json
    import time

    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    environ = os.environ
    server = (f"{environ.get('VOILA_WS_PROTOCOL') or 'ws'}://{environ.get('VOILA_APP_IP') or '127.0.0.1'}:"
              f"{environ.get('VOILA_APP_PORT') or '8866'}")
    base = environ.get("VOILA_WS_BASE_URL") or environ.get("VOILA_SERVER_URL") or "/"
    address = f"{server}{base}voila/query/{environ['VOILA_KERNEL_ID']}"
    while True:
        try:
            with connect(address, open_timeout=None, ping_interval=None, close_timeout=1) as channel:
                request = json.loads(channel.recv())
        except (OSError, WebSocketException):  # Voilà not answering yet, or the connection dropped
            time.sleep(RETRY_SECONDS)
            continue
        os.environ.update(request)
        return


def show_page_plan() -> None:
    """The last cell of a step page: show the plan the page's address names.

    In a warm Voilà kernel, which drew the page in advance on the workspace's
    plan, wait until a page takes the kernel (:func:`_wait_for_the_page`).
    Then every section editor drawn for that plan, and the results that follow
    it, switch to the plan named by ``?plan=`` (if it names one that exists), or
    are drawn again if the plan was saved since. Voilà shows the page when this
    cell ends, so nobody sees another plan or an old version. Does nothing
    anywhere else (a cold Voilà kernel knows its address from the start;
    JupyterLab and nbval have none).

    Results drawn from measurements or gifts imported since the page was drawn
    in advance (nothing in the plan's sections saved) show them after the next Save.
    """
    if not _drawing_in_advance():
        return
    from .forms import OPEN_EDITORS

    _wait_for_the_page()
    _Page.taken = True
    drawn, named = _Page.drawn_for, session_plan()
    plans: dict[int, set[str]] = {}  # each workspace's plans, asked once (a page has one workspace)
    for editor in [editor for editor in OPEN_EDITORS if editor.plan_name == drawn]:
        if id(editor.workspace) not in plans:
            plans[id(editor.workspace)] = {summary.name for summary in editor.workspace.plans()}
        names = plans[id(editor.workspace)]
        target = named if named is not None and named in names else editor.plan_name
        if target != editor.plan_name or editor.workspace.load(target).revisions != editor.loaded_revisions:
            editor.switch_plan(target)


def current_plan(workspace: Workspace, plan: str | None = None) -> str:
    """Return the name of the plan a notebook works on.

    Args:
        workspace: the open workspace.
        plan: a plan's name, given in the notebook's parameters; None means the
            browser session's plan (:func:`session_plan`), else the plan last
            chosen in step 0 (or, if none was chosen or it is gone, the sample
            plan, or else the first plan by name).

    Raises:
        PlanError: the workspace has no plans at all.
    """
    if plan:
        return plan
    names = [summary.name for summary in workspace.plans()]
    chosen = next((name for name in (session_plan(), workspace.setting(CURRENT_PLAN)) if name in names), None)
    if chosen is None:
        if not names:
            raise PlanError.of("workspace_has_no_plans", workspace=workspace.location)
        chosen = SAMPLE_PLAN if SAMPLE_PLAN in names else names[0]
    if _drawing_in_advance():
        _Page.drawn_for = chosen
    return chosen


def choose_plan(workspace: Workspace, plan: str) -> str:
    """Make ``plan`` the workspace's choice: the one a step works on when nothing else names one.

    A notebook's ``plan`` parameter and a Voilà page's ``?plan=`` come first (see
    :func:`current_plan`).

    Raises:
        PlanNotFound: there is no plan of that name (the message lists those there are).
    """
    workspace.load(plan)  # refuses an unknown name with the list of plans
    workspace.set_setting(CURRENT_PLAN, plan)
    return plan


def _in_form_words(problems: list[Problem]) -> InvalidInput:
    """The new plan's problems as the form creating it words them: by the boxes' labels."""
    return InvalidInput(problems, sentence("new_plan_details"), said=[render(p, form=True) for p in problems])


def new_plan(
    workspace: Workspace,
    name: str,
    *,
    organisation: str,
    ssu_name: str = "",
    currency: str = "USD",
    copy_of: str | None = None,
    author: str = "",
) -> Snapshot:
    """Create a plan, empty or as a copy of another one, and choose it for the notebooks.

    Args:
        workspace: the open workspace.
        name: the new plan's name (unique in the workspace).
        organisation: the organisation making the plan.
        ssu_name: the smallest strategic unit it serves.
        currency: three-letter code for every amount (ignored for a copy,
            which keeps the original's).
        copy_of: the name of a plan to start from (its sections and
            measurements are copied); None starts empty.
        author: who creates it, recorded with the first revision.

    Raises:
        InvalidInput: a detail breaks the plan's rules (named in the message).
        PlanExists: a plan of that name exists already.
    """
    from pydantic import ValidationError

    from ..core.problems import describe
    from ..models import Plan, PlanInfo

    if copy_of:
        snapshot = workspace.copy_plan(copy_of, name, author=author)
        info = snapshot.plan.info.model_copy(update={"organisation": organisation, "ssu_name": ssu_name})
        try:
            info = PlanInfo.model_validate(info.model_dump())
        except ValidationError as error:
            raise _in_form_words(describe(error, model=PlanInfo)) from None
        workspace.save_section(name, "info", info, base=snapshot.revisions["info"], author=author)
    else:
        try:
            info = PlanInfo(name=name, organisation=organisation, ssu_name=ssu_name, currency=currency)
        except ValidationError as error:
            raise _in_form_words(describe(error, model=PlanInfo)) from None
        workspace.create_plan(Plan(info=info), author=author)
    choose_plan(workspace, name)
    return workspace.load(name)


#: The folder, beside the notebook, that step 12 writes the plan documents into.
DOCUMENTS_FOLDER = "documents"


def plan_document_files(
    plan: str, html: str | Path | None = None, xlsx: str | Path | None = None
) -> tuple[Path, Path]:
    """Return where step 12 writes a plan's document: each file named after the plan.

    Relative to the notebook's folder, which for ``partnerlib lab`` and ``present`` is the
    working copy beside the workspace, never the workbook's own notebooks; Voilà serves
    the ``documents`` folder, so the links on the page open them.

    >>> [p.as_posix() for p in plan_document_files("Riverside Community Health")]
    ['documents/riverside-community-health.html', 'documents/riverside-community-health.xlsx']

    Args:
        plan: the plan's name.
        html: the web page to write instead (None: the plan's own name).
        xlsx: the spreadsheet to write instead (None: the plan's own name).
    """
    stem = Path(DOCUMENTS_FOLDER) / plan_slug(plan)
    return Path(html or stem.with_suffix(".html")), Path(xlsx or stem.with_suffix(".xlsx"))
