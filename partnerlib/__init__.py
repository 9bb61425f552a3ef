"""partnerlib: plan, analyse and draw a strategic partnership, one step at a time.

The public names are re-exported here, flat: ``from partnerlib import score_risks``.
Each is loaded from its module the first time it is used, so ``import
partnerlib`` stays light and pandas, matplotlib, ipywidgets or Jinja2 are
imported only by the step that needs them.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: The modules whose ``__all__`` make up the public API, cheapest first.
_MODULES = (
    "errors",
    "paths",
    "models",
    "tables",
    "checks",
    "charts",
    "display",
    "store",
    "exchange",
    "spreadsheets",
    "sample",
    "swot",
    "risk",
    "kpi",
    "selection",
    "governance",
    "stakeholders",
    "survey",
    "budget",
    "health",
    "checkins",
    "communication",
    "forms",
    "series",
    "workbook",
    "chooser",
    "views",
    "document",
)


def _module(name: str) -> Any:
    """Import one of the modules in ``_MODULES`` (None if it does not exist in this copy)."""
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as error:
        if error.name == f"{__name__}.{name}":
            return None
        raise


def __getattr__(name: str) -> Any:
    """Load a public name from the module that defines it, on first use."""
    if name.startswith(("_", "pytest_")):  # private names, and tools probing for hooks
        raise AttributeError(name)
    for module_name in _MODULES:
        module = _module(module_name)
        if name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'partnerlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    """List every public name (this imports every module)."""
    return sorted({n for m in _MODULES for n in getattr(_module(m), "__all__", ())} | {"__version__"})
