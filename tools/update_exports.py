"""Write ``partnerlib/_exports.py``: which module defines each public name.

``partnerlib`` loads a public name from its module on first use; this table
lets it import only that module. Run after adding or renaming a public name:

    .venv/bin/python tools/update_exports.py

``tests/test_api.py`` fails when the table is out of date.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import partnerlib

TARGET = Path(partnerlib.__file__).with_name("_exports.py")


def exports_source() -> str:
    """Return the text of ``_exports.py`` for the modules as they are now."""
    owner: dict[str, str] = {}
    for name in partnerlib._MODULES:
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
