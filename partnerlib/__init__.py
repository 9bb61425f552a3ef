"""partnerlib: plan, analyse and draw a strategic partnership, one step at a time.

The names a notebook or a script needs are here, flat: ``from partnerlib import
score_risks, open_workspace``; the views of each step are one name further,
``from partnerlib import views`` then ``views.show_risk_register(plan)``. Everything
else stays in its module (``partnerlib.analyses.risk``, ``partnerlib.models`` …).

Each name is loaded from its module the first time it is used: the stub
``__init__.pyi`` beside this file says which module holds which name, for
lazy_loader and for type checkers alike. So ``import partnerlib`` stays light,
and pandas, matplotlib, ipywidgets or Jinja2 are imported only by the step that
needs them.
"""

import lazy_loader

__version__ = "0.2.0"

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
