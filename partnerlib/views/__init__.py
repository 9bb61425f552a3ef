"""What people see of each step: ``show_*`` functions that turn a plan into readable tables and charts.

One module per step (``goals.py``, ``risks.py`` …). Each ``show_*`` takes the
plan (and, where time matters, ``as_of``) and returns a table ready to read
(:class:`partnerlib.display.ShownTable`) or a matplotlib Figure. Notebooks call
them in their result cells and the plan document assembles the same views, so
a table reads the same on screen, in print and in the spreadsheet.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__: list[str] = []
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    _step = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in _step.__all__:
        globals()[_name] = getattr(_step, _name)
        __all__.append(_name)
__all__.sort()
