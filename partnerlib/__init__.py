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

#: The modules whose ``__all__`` make up the public API (``_exports.py`` maps each
#: name to its module; ``tools/update_exports.py`` rewrites it from these).
_MODULES = (
    "core.problems",
    "core.paths",
    "models",
    "analyses.tables",
    "analyses.checks",
    "output.charts.style",
    "output.display",
    "io.store",
    "io.plan_files",
    "io.spreadsheets",
    "io.sample",
    "analyses.swot",
    "analyses.risk",
    "analyses.kpi",
    "analyses.selection",
    "analyses.governance",
    "analyses.stakeholders",
    "analyses.survey",
    "analyses.budget",
    "analyses.health",
    "analyses.checkins",
    "analyses.communication",
    "output.charts.budget",
    "output.charts.communication",
    "output.charts.governance",
    "output.charts.health",
    "output.charts.kpi",
    "output.charts.risk",
    "output.charts.selection",
    "output.charts.stakeholders",
    "output.charts.survey",
    "output.charts.swot",
    "ui.forms",
    "ui.live",
    "app.series",
    "ui.workbook",
    "ui.chooser",
    "ui.register",
    "analyses.register",
    "analyses.portfolio",
    "output.portfolio",
    "output.views",
    "output.document",
)


def _module(name: str) -> Any:
    """Import one of the modules in ``_MODULES``."""
    return importlib.import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> Any:
    """Load a public name from the module that defines it, on first use."""
    from ._exports import EXPORTS

    if name not in EXPORTS:
        raise AttributeError(f"module 'partnerlib' has no attribute {name!r}")
    value = getattr(_module(EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List every public name."""
    from ._exports import EXPORTS

    return sorted([*EXPORTS, "__version__"])
