"""What the notebooks open: the workspace (seeded on first use) and the plan chosen in step 0.

Every step notebook has a ``plan = None`` parameter: None means "the plan
chosen in step 0", kept in the workspace, so a planner switches plans once,
with a form, instead of editing every notebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.paths import (
    SAMPLE_PLAN,
    WorkspaceTarget,
    default_workspace,
    is_database_url,
    workspace_target,
)
from ..core.problems import InvalidInput, PlanError, Problem, render

if TYPE_CHECKING:
    from ..io.store import Snapshot, Workspace

__all__ = ["choose_plan", "current_plan", "new_plan", "open_workspace"]

#: The workspace setting that holds the name of the plan chosen in step 0.
CURRENT_PLAN = "current_plan"


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


def current_plan(workspace: Workspace, plan: str | None = None) -> str:
    """Return the name of the plan a notebook works on.

    Args:
        workspace: the open workspace.
        plan: a plan's name, given in the notebook's parameters; None means the
            plan chosen in step 0 (or, if none was chosen or it is gone, the
            sample plan, or else the first plan by name).

    Raises:
        PlanError: the workspace has no plans at all.
    """
    if plan:
        return plan
    names = [summary.name for summary in workspace.plans()]
    chosen = workspace.setting(CURRENT_PLAN)
    if chosen in names:
        return chosen
    if not names:
        raise PlanError(f"The workspace {workspace.location} has no plans yet: create one in step 0.")
    return SAMPLE_PLAN if SAMPLE_PLAN in names else names[0]


def choose_plan(workspace: Workspace, plan: str) -> str:
    """Make ``plan`` the one every step notebook works on (when its ``plan`` parameter is None).

    Raises:
        PlanNotFound: there is no plan of that name (the message lists those there are).
    """
    workspace.load(plan)  # refuses an unknown name with the list of plans
    workspace.set_setting(CURRENT_PLAN, plan)
    return plan


def _in_form_words(problems: list[Problem]) -> InvalidInput:
    """The new plan's problems as the form creating it words them: by the boxes' labels."""
    return InvalidInput(problems, "The new plan's details", said=[render(p, form=True) for p in problems])


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
