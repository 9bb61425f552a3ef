"""Views every step shares: what is still missing; and one analysis shared by a step's views."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from ...analyses.tables import missing_table
from ...core.fields import field_label
from ...models import Plan
from ..display import ShownTable, show_table

__all__ = ["show_missing"]

Helper = TypeVar("Helper", bound=Callable[..., Any])


def per_section(*sections: str, remember: int = 4) -> Callable[[Helper], Helper]:
    """Run a view helper once per content of the plan sections it reads; each call gets a copy.

    A step shows several views of one analysis (the health check, its groups,
    its focus and its charts all score the same review) and a Save redraws
    them all. The helper's result is kept for the sections' content (their
    JSON) and the helper's other arguments, which must be hashable: a section
    that changed is worked out again, an unchanged one is not, whichever plan
    object holds it. Each call returns a deep copy, as a view may change the
    table it is given.

    Only for a helper ``helper(plan, *args)`` that reads nothing of the plan
    but the ``sections`` named.

    Args:
        sections: the plan sections the helper reads (``"review"``).
        remember: how many results to keep, the latest.
    """

    def decorate(helper: Helper) -> Helper:
        kept: dict[tuple[Any, ...], Any] = {}

        @functools.wraps(helper)
        def shared(plan: Plan, *args: Any) -> Any:
            key = (*(getattr(plan, section).model_dump_json() for section in sections), *args)
            if key not in kept:
                kept[key] = helper(plan, *args)
                while len(kept) > remember:
                    kept.pop(next(iter(kept)), None)  # the oldest
            return copy.deepcopy(kept[key])

        return shared  # type: ignore[return-value]

    return decorate


def view_title(name: str) -> str:
    """Name a view's result in words, from the view's name: ``show_risk_register`` → ``Risk register``.

    For a result with no caption or title of its own (a chart without a title, a
    view that cannot be drawn yet). Not a view itself, so not in ``__all__``.

    >>> view_title("show_risk_register"), view_title("_show_raci")
    ('Risk register', 'RACI')
    """
    return field_label(name.removeprefix("_").removeprefix("show_"))


def show_missing(plan: Plan, section: str | None = None) -> ShownTable:
    """Show what the plan (or one section of it) still lacks, in words."""
    frame = missing_table(plan, section)
    columns = {"missing": "What is missing"}
    if section is None:
        columns = {"section": "Step", **columns}
    return show_table(frame, columns=columns, caption="Still missing", empty="Nothing is missing here.")
