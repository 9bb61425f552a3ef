"""What people see of each step: ``show_*`` functions that turn a plan into readable tables and charts.

One module per step (``goals.py``, ``risks.py`` …). Each ``show_*`` takes the
plan (and, where time matters, ``as_of``) and returns a table ready to read
(:class:`partnerlib.output.display.ShownTable`) or a matplotlib Figure. Notebooks call
them in their result cells and the plan document assembles the same views, so
a table reads the same on screen, in print and in the spreadsheet.

Each view is loaded from its step's module the first time it is used: the stub
``__init__.pyi`` beside this file says which module holds which view, for
lazy_loader and for type checkers alike, so a step's notebook imports its own
views and the analyses behind them, not every step's.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
