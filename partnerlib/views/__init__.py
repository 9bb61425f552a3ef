"""What people see of each step: ``show_*`` functions that turn a plan into readable tables and charts.

One module per step (``goals.py``, ``risks.py`` …). Each ``show_*`` takes the
plan (and, where time matters, ``as_of``) and returns a table ready to read
(:class:`partnerlib.display.ShownTable`) or a matplotlib Figure. Notebooks call
them in their result cells and the plan document assembles the same views, so
a table reads the same on screen, in print and in the spreadsheet.

Each view is loaded from its step's module the first time it is used, as the
package's own names are (the table of which module holds which name is
``partnerlib._exports``): a step's notebook imports its own views and the
analyses behind them, not every step's.
"""

from __future__ import annotations

from typing import Any

from .. import _module
from .._exports import EXPORTS

#: Where each view is defined: ``{"show_objectives": "views.goals", …}``.
_VIEWS = {name: module for name, module in EXPORTS.items() if module.startswith("views.")}
__all__ = sorted(_VIEWS)


def __getattr__(name: str) -> Any:
    """Load a view from its step's module on first use."""
    if name not in _VIEWS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_module(_VIEWS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List every view with the package's other names."""
    return sorted({*globals(), *__all__})
