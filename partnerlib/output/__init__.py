"""What people read: charts, tables for people, the per-step views and the plan document.

``views`` is loaded on first use, so ``partnerlib.views`` (the package's public
face) reaches it without importing it up front.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submodules=["views"])
