"""Write ``partnerlib/_exports.py``: which module defines each public name.

``partnerlib`` loads a public name from its module on first use; this table
lets it import only that module. Run after adding or renaming a public name:

    .venv/bin/python tools/update_exports.py

``tests/test_api.py`` fails when the table is out of date.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import partnerlib

TARGET = Path(partnerlib.__file__).with_name("_exports.py")


#: Packages that read their own names from this table: their names are looked up in their modules.
READ_FROM_TABLE = ("output.views",)


def _defining_modules() -> list[str]:
    """Return the modules in ``partnerlib._MODULES``, each package in READ_FROM_TABLE replaced by its modules."""
    names = []
    for name in partnerlib._MODULES:
        if name in READ_FROM_TABLE:
            package = importlib.import_module(f"partnerlib.{name}")
            names += sorted(f"{name}.{info.name}" for info in pkgutil.iter_modules(package.__path__))
        else:
            names.append(name)
    return names


def exports_source() -> str:
    """Return the text of ``_exports.py`` for the modules as they are now."""
    owner: dict[str, str] = {}
    for name in _defining_modules():
        for public in importlib.import_module(f"partnerlib.{name}").__all__:
            owner.setdefault(public, name)
    lines = [
        '"""Which module defines each public name (written by tools/update_exports.py; do not edit)."""',
        "",
        "EXPORTS = {",
        *(f"    {public!r}: {owner[public]!r}," for public in sorted(owner)),
        "}",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    TARGET.write_text(exports_source(), encoding="utf-8")
    print(f"wrote {TARGET}")
